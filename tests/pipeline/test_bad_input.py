"""The corpus of bad input: every mistake a contributor can make, and the exact message for it.

Each folder of ``tests/bad_input/`` is one case: the files it holds are laid over a small valid
site (``site_config.yml`` and ``indicators/test-measure.yml`` from ``tests/conftest.py``), and
``expected.txt`` holds the exact lines the build prints. An optional ``case.toml`` says what
else the case needs (see ``tests/bad_input/README.md``). For every case the real command line
runs; a case passes when the exit status, every line of the message, and the untouched output
folder are as expected.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import MINIMAL_CONFIG, MINIMAL_MEASURE, REPO, run_cli

CASES_DIR = Path(__file__).parents[1] / "bad_input"
STOPPED = "The build stopped; the previously built site was not changed."
# path:line: message, or path: message for a file that does not exist (no line to name).
MESSAGE = re.compile(r"^(?P<file>[^:]+):(?:(?P<line>[1-9]\d*):)? (?P<rest>.+)$")


@dataclass
class Case:
    name: str
    folder: Path
    expected: list[str]
    exit: int = 1
    remove: list[str] = field(default_factory=list)
    pad: dict[str, Any] | None = None

    @property
    def files(self) -> list[Path]:
        skip = {"expected.txt", "case.toml"}
        return sorted(
            p
            for p in self.folder.rglob("*")
            if (p.is_file() or p.is_symlink()) and p.relative_to(self.folder).as_posix() not in skip
        )

    @property
    def combinable(self) -> bool:
        """Only adds indicator files: it can share one site with every other such case."""
        return (
            self.exit == 1
            and not self.remove
            and all(p.relative_to(self.folder).parts[0] == "indicators" for p in self.files)
        )

    def write(self, root: Path) -> Path:
        """The base site with this case's files laid over it."""
        make_base(root)
        for rel in self.remove:
            (root / rel).unlink()
        self.add_files(root)
        return root

    def add_files(self, root: Path) -> None:
        for source in self.files:
            target = root / source.relative_to(self.folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():  # kept a link, pointing where it points in the corpus
                target.symlink_to(os.readlink(source))
                continue
            data = source.read_bytes()
            if self.pad and source.relative_to(self.folder).as_posix() == self.pad["file"]:
                data = padded(data, int(self.pad["bytes"]))
            target.write_bytes(data)


def padded(data: bytes, size: int) -> bytes:
    """The file made at least ``size`` bytes long with YAML comment lines (a huge file)."""
    line = b"# " + b"padding " * 9 + b"\n"
    return data + line * (max(0, size - len(data)) // len(line) + 1)


def make_base(root: Path) -> None:
    (root / "indicators").mkdir(parents=True, exist_ok=True)
    (root / "site_config.yml").write_text(yaml.safe_dump(MINIMAL_CONFIG, sort_keys=False))
    (root / "indicators" / "test-measure.yml").write_text(MINIMAL_MEASURE)


def load_case(folder: Path) -> Case:
    options: dict[str, Any] = {}
    if (folder / "case.toml").is_file():
        options = tomllib.loads((folder / "case.toml").read_text("utf-8"))
    expected_file = folder / "expected.txt"
    expected = expected_file.read_text("utf-8").splitlines() if expected_file.is_file() else []
    return Case(folder.name, folder, expected, **options)


CASES = [load_case(f) for f in sorted(CASES_DIR.iterdir()) if f.is_dir()]
FAILING = [c for c in CASES if c.exit == 1]


def message_lines(stderr: str, site: Path) -> list[str]:
    """The problem lines and the summary, with the site's folder written as {site}."""
    lines = [line for line in stderr.splitlines() if line != STOPPED]
    return [line.replace(str(site), "{site}") for line in lines]


def tree(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_corpus_is_large_and_named_for_its_mistakes() -> None:
    assert len(FAILING) >= 60
    assert len([c for c in CASES if c.exit == 0]) >= 3  # BOM, CRLF, nested folders
    for case in CASES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", case.name), case.name
        assert case.files or case.remove, f"{case.name} has no files"
        if case.exit == 1:
            assert case.expected, f"{case.name} has no expected.txt"


@pytest.mark.parametrize("case", FAILING, ids=lambda c: c.name)
def test_bad_input_is_reported_exactly(case: Case, tmp_path: Path) -> None:
    root = case.write(tmp_path / "site-src")
    before = tree(root)
    result = run_cli("build", root)
    assert result.exit_code == 1, result.stderr
    got = message_lines(result.stderr, root)
    assert got == case.expected
    assert STOPPED in result.stderr
    assert "Traceback" not in result.stderr
    # Every problem names its file and line (a missing file has no line to name).
    for line in got[:-1]:
        match = MESSAGE.match(line)
        assert match, line
        assert match["line"] or not (root / match["file"]).exists(), line
    # Nothing was written: no site, no work folder, no stray file; the user's files are as they were.
    assert not (root / "site").exists()
    assert not (root / "build").exists()
    assert tree(root) == before
    # validate reports the same problems, in the same words.
    checked = run_cli("validate", root)
    assert checked.exit_code == 1
    assert message_lines(checked.stderr, root) == case.expected


@pytest.mark.parametrize("case", [c for c in CASES if c.exit == 0], ids=lambda c: c.name)
def test_accepted_input_builds(case: Case, tmp_path: Path) -> None:
    root = case.write(tmp_path / "site-src")
    result = run_cli("build", "--strict", root)
    assert result.exit_code == 0, result.stderr
    for source in case.files:
        if source.suffix != ".yml":
            continue
        written = yaml.safe_load(source.read_bytes().decode("utf-8-sig"))
        data = json.loads((root / "site" / "data" / f"{source.stem}.json").read_text("utf-8"))
        assert data["title"] == written["title"]
        assert [v["value"] for v in data["values"]] == [v["value"] for v in written["values"]]
        assert (root / "site" / "indicators" / source.stem / "index.html").is_file()


def test_every_problem_in_every_file_is_reported_in_one_run(tmp_path: Path) -> None:
    """All the indicator cases at once: one run reports the union of their messages."""
    cases = [c for c in FAILING if c.combinable]
    assert len(cases) >= 50
    root = tmp_path / "site-src"
    make_base(root)
    for case in cases:
        case.add_files(root)
    result = run_cli("build", root)
    assert result.exit_code == 1
    got = message_lines(result.stderr, root)
    expected = [line for case in cases for line in case.expected[:-1]]
    assert sorted(got[:-1]) == sorted(expected)
    errors = sum(1 for line in expected if " warning: " not in line)
    files = len({MESSAGE.match(line)["file"] for line in expected})  # type: ignore[index]
    assert got[-1] == f"{errors} errors in {files} files"
    assert not (root / "site").exists()
    assert not (root / "build").exists()


SUBPROCESS_CASES = ["yaml-unclosed-bracket", "billion-laughs", "not-utf8", "config-missing-file"]


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_bad_input_through_a_real_process(name: str, tmp_path: Path) -> None:
    """The same, as a user runs it: a separate process, its real exit status and stderr."""
    case = next(c for c in CASES if c.name == name)
    root = case.write(tmp_path / "site-src")
    out = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(root)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert out.returncode == 1
    assert message_lines(out.stderr, root) == case.expected
    assert "Traceback" not in out.stderr
    assert not (root / "site").exists()


def test_previous_site_is_kept_after_every_kind_of_mistake(tmp_path: Path) -> None:
    """A good build, then each kind of mistake in turn: the built site never changes."""
    root = tmp_path / "site-src"
    make_base(root)
    assert run_cli("build", root).exit_code == 0
    built = tree(root / "site")
    for name in ("yaml-unclosed-quote", "duplicate-key-deep", "config-url-quote", "huge-file"):
        attempt = tmp_path / name
        shutil.copytree(root, attempt)
        case = next(c for c in CASES if c.name == name)
        case.add_files(attempt)
        assert run_cli("build", attempt).exit_code == 1
        assert tree(attempt / "site") == built, name


def update(names: list[str]) -> None:
    """Rewrite expected.txt from the current output (review `git diff tests/bad_input`)."""
    import tempfile

    for case in FAILING:
        if names and case.name not in names:
            continue
        with tempfile.TemporaryDirectory() as folder:
            root = case.write(Path(folder) / "site-src")
            result = run_cli("build", root)
            lines = message_lines(result.stderr, root)
        (case.folder / "expected.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{case.name}: {len(lines) - 1} line(s)")


if __name__ == "__main__":
    if sys.argv[1:2] != ["update"]:
        sys.exit("usage: python -m tests.test_bad_input update [case ...]")
    update(sys.argv[2:])
