"""A build writes only its own build folder and its output, and reads nothing from outside the
project (issue 15).

Each reproduction of the issue is a test here when a folder of ``tests/bad_input/`` cannot hold
it (named pipes, link loops, links made at run time, other file systems, interruptions); the
property test at the end builds small sites with random file-system shapes in their input
folders and checks that nothing outside the project and its output changed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.output import files as write
from generator.output.place import MARKER
from tests.conftest import (
    MINIMAL_CONFIG,
    MINIMAL_MEASURE,
    REPO,
    ForkedProcess,
    run_cli,
    run_forked,
)
from tests.conftest import write as write_file

# ---- helpers -----------------------------------------------------------------------------------


def make_project(root: Path) -> Path:
    """The smallest valid site: site_config.yml and one measure."""
    write_file(root / "site_config.yml", yaml.safe_dump(MINIMAL_CONFIG, sort_keys=False))
    write_file(root / "indicators" / "test-measure.yml", MINIMAL_MEASURE)
    return root


def snapshot(folder: Path) -> dict[str, Any]:
    """Every entry under ``folder`` (not following links): a file's bytes, a link's text, or
    the kind of anything else."""
    out: dict[str, Any] = {}
    if not os.path.lexists(folder):
        return out
    for base, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(base) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_file():
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                out[rel] = "dir" if path.is_dir() else "other"
    return out


def stagings(*folders: Path) -> list[str]:
    """Staging folders left in ``folders``."""
    return [
        name
        for folder in folders
        if folder.is_dir()
        for name in os.listdir(folder)
        if "staging" in name
    ]


def cli(
    *args: str | Path, timeout: float = 120, fresh: bool = False
) -> subprocess.CompletedProcess[str]:
    """perfpages as a user runs it, in a process of its own (a hang fails, not blocks): a forked
    copy of the test's process, or with ``fresh`` a new Python (``python -m generator``), as
    one case of each command here does."""
    if not fresh:
        return run_forked(*args, timeout=timeout, cwd=REPO)
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=timeout,
    )


# ---- 1. the output folder is perfpages' own ---------------------------------------------------


def test_output_inside_indicators_is_refused_and_nothing_deleted(tmp_path: Path) -> None:
    """Issue 15: ``build S --output S/indicators`` exited 0 with every indicator file gone."""
    root = make_project(tmp_path / "S")
    before = snapshot(root)
    result = run_cli("build", root, "--output", root / "indicators")
    assert result.exit_code == 2
    assert f"{root / 'indicators'} is inside indicators/ of the project" in result.stderr
    assert snapshot(root) == before
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("where", "says"),
    [
        (".", "is the project folder"),
        ("..", "holds the project folder"),
        ("content/site", "is inside content/"),
        ("theme", "is inside theme/"),
        ("disaggregations/x", "is inside disaggregations/"),
        ("build", "is inside build/"),
        ("build/staging", "is inside build/"),
    ],
)
def test_output_that_is_or_holds_the_project_or_an_input_is_refused(
    tmp_path: Path, where: str, says: str
) -> None:
    root = make_project(tmp_path / "S")
    (root / "content").mkdir()
    before = snapshot(tmp_path)
    result = run_cli("build", root, "--output", root / where)
    assert result.exit_code == 2, result.stderr
    assert says in result.stderr
    assert "Nothing was written." in result.stderr
    assert snapshot(tmp_path) == before


def test_a_folder_perfpages_did_not_make_is_refused(tmp_path: Path) -> None:
    """Issue 15: ``--output`` naming any existing folder deleted its contents."""
    root = make_project(tmp_path / "S")
    other = tmp_path / "documents"
    write_file(other / "thesis.txt", "years of work")
    result = run_cli("build", root, "--output", other)
    assert result.exit_code == 2
    assert f"The output folder {other} was not made by perfpages" in result.stderr
    assert (other / "thesis.txt").read_text() == "years of work"
    assert sorted(os.listdir(other)) == ["thesis.txt"]
    assert not (root / "build").exists()


def test_a_new_or_empty_folder_is_made_perfpages_own_by_the_marker(tmp_path: Path) -> None:
    root = make_project(tmp_path / "S")
    output = tmp_path / "public"
    output.mkdir()
    assert run_cli("build", root, "--output", output).exit_code == 0
    assert (output / MARKER).is_file()
    assert (output / "index.html").is_file()
    # A second build replaces it; the marker is neither linked nor indexed.
    assert run_cli("build", root, "--output", output).exit_code == 0
    assert MARKER not in (output / "search" / "search_index.json").read_text("utf-8")
    for page in output.rglob("*.html"):
        assert MARKER not in page.read_text("utf-8"), page
    # A site published before the marker existed is recognised by its files.
    (output / MARKER).unlink()
    assert run_cli("build", root, "--output", output).exit_code == 0
    assert (output / MARKER).is_file()


def test_build_folder_linked_outside_is_refused(tmp_path: Path) -> None:
    """Issue 15: ``build/`` as a link to a folder elsewhere: the build deleted and overwrote
    files there (docs/, theme/, staging/, mkdocs.yml)."""
    root = make_project(tmp_path / "S")
    elsewhere = tmp_path / "elsewhere"
    for name in ("docs/keep.md", "theme/keep.css", "staging/keep.html", "mkdocs.yml"):
        write_file(elsewhere / name, "precious")
    (root / "build").symlink_to(elsewhere, target_is_directory=True)
    before = snapshot(elsewhere)
    result = run_cli("build", root)
    assert result.exit_code == 2
    assert f"{root / 'build'} is a symbolic link to {elsewhere}" in result.stderr
    assert snapshot(elsewhere) == before
    assert not (root / "site").exists()
    # serve refuses it too, before writing anything
    served = run_cli("serve", root, "--port", "0")
    assert served.exit_code == 2
    assert snapshot(elsewhere) == before


def test_output_that_is_a_link_is_refused_and_later_builds_work(tmp_path: Path) -> None:
    """Issue 15: a symbolic link as ``--output`` gave a traceback, and every later build of the
    project failed until a leftover staging folder was removed by hand."""
    root = make_project(tmp_path / "S")
    target = tmp_path / "real-output"
    target.mkdir()
    link = tmp_path / "output-link"
    link.symlink_to(target, target_is_directory=True)
    result = cli("build", root, "--output", link)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"The output folder {link} is a symbolic link" in result.stderr
    assert os.listdir(target) == []
    assert link.is_symlink()
    later = run_cli("build", root)
    assert later.exit_code == 0, later.stderr
    assert stagings(root / "build", tmp_path) == []


def test_output_a_mount_point_or_read_only_is_refused_without_a_traceback(tmp_path: Path) -> None:
    root = make_project(tmp_path / "S")
    mount = Path("/proc")
    result = cli("build", root, "--output", mount)
    assert result.returncode == 2, result.stderr
    assert "is a mount point" in result.stderr
    assert "Traceback" not in result.stderr
    # A place that cannot be written: refused up front, or stopped with one line.
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        place = locked / "site" if os.geteuid() != 0 else Path("/proc/perfpages-site")
        result = cli("build", root, "--output", place)
        assert result.returncode in (1, 2), result.stderr
        assert "Traceback" not in result.stderr
        assert "perfpages-site" in result.stderr or str(place) in result.stderr
    finally:
        locked.chmod(0o700)
    assert stagings(root / "build", tmp_path) == []


def _other_device_folder(tmp_path: Path) -> Path | None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        return None
    if os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        return None
    return shm


def test_staging_folders_are_unique_to_each_build(tmp_path: Path) -> None:
    work = tmp_path / "build"
    work.mkdir()
    output = tmp_path / "site"
    names = {write.staging_dir(work, output) for _ in range(20)}
    assert len(names) == 20
    assert all(str(os.getpid()) in n.name for n in names)


@pytest.mark.slow
def test_two_projects_built_into_one_output_on_another_disk(tmp_path: Path) -> None:
    """Issue 15: two builds with the same --output on another file system shared one staging
    folder name; both exited 0 and left a site without index.html."""
    disk = _other_device_folder(tmp_path)
    if disk is None:
        pytest.skip("no second, writable file system (/dev/shm) to publish to")
    parent = Path(tempfile.mkdtemp(prefix="perfpages-two-", dir=disk))
    output = parent / "performance"
    try:
        first, second = make_project(tmp_path / "A"), make_project(tmp_path / "B")
        # Two processes at once, forked from this one (test_a_real_sigint_exits_130 starts a
        # new Python).
        processes = [
            ForkedProcess("build", r, "--output", output, cwd=REPO) for r in (first, second)
        ]
        for process in processes:
            said, _ = process.communicate(timeout=300)
            assert process.returncode == 0, said
        assert (output / "index.html").is_file()
        assert (output / MARKER).is_file()
        assert sorted(os.listdir(parent)) == ["performance"]
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def test_disk_full_removes_the_staging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15: a full disk left the staging folder behind."""
    root = make_project(tmp_path / "S")
    assert run_cli("build", root).exit_code == 0
    previous = snapshot(root / "site")
    import mkdocs.commands.build as mkdocs_build

    real = mkdocs_build._build_page
    pages: list[int] = []

    def full(*args: Any, **kwargs: Any) -> Any:
        pages.append(1)
        if len(pages) > 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "somewhere/index.html")
        return real(*args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_page", full)
    result = run_cli("build", root)
    assert result.exit_code == 1
    assert "No space left on device (somewhere/index.html)" in result.stderr
    assert "the previously built site was not changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert stagings(root / "build", root) == []
    assert snapshot(root / "site") == previous


def test_ctrl_c_exits_130_with_one_line_and_removes_the_staging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15: Ctrl-C exited 1 (130 is the convention)."""
    root = make_project(tmp_path / "S")
    from generator import pipeline

    def interrupted(*args: Any, **kwargs: Any) -> None:
        site_dir = args[3] if len(args) > 3 else kwargs.get("site_dir")
        assert site_dir is not None
        Path(site_dir).mkdir(parents=True)  # MkDocs had started writing
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "run_mkdocs", interrupted)
    result = run_cli("build", root)
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines() == [
        "Interrupted; the previously built site was not changed."
    ]
    assert stagings(root / "build", root) == []
    assert not (root / "site").exists()


def test_ctrl_c_turned_into_another_error_by_python_still_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while a module is imported, as a class is made: Python raises a RuntimeError
    caused by the KeyboardInterrupt (seen once in a hundred real interrupts, with a
    traceback)."""
    root = make_project(tmp_path / "S")
    from generator import pipeline

    def interrupted(*args: Any, **kwargs: Any) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as e:
            raise RuntimeError("Error calling __set_name__ on 'Type' instance") from e

    monkeypatch.setattr(pipeline, "run_mkdocs", interrupted)
    result = run_cli("build", root)
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines() == [
        "Interrupted; the previously built site was not changed."
    ]
    assert stagings(root / "build", root) == []


def test_ctrl_c_in_any_command_exits_130_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """click's own handling said "Aborted!" and exited 1."""
    from generator.commands import scaffold

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(scaffold, "init_site", interrupted)
    result = run_cli("init", tmp_path / "new")
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines() == ["Interrupted."]


@pytest.mark.slow
def test_a_real_sigint_exits_130(tmp_path: Path) -> None:
    root = make_project(tmp_path / "S")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(root)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not (root / "build" / "mkdocs.yml").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=120)
    stderr = process.stderr.read()  # type: ignore[union-attr]
    if code == 0:
        pytest.skip("the build ended before the signal arrived")
    assert code == 130, stderr
    assert "Traceback" not in stderr
    assert stagings(root / "build", root) == []


# ---- 2. nothing from outside the project is read ----------------------------------------------


@pytest.mark.parametrize("folder", ["content/f.md", "indicators/f.yml", "theme/f.css"])
def test_a_named_pipe_is_reported_never_opened(tmp_path: Path, folder: str) -> None:
    """Issue 15: a FIFO named content/f.md made validate and build block for ever."""
    root = make_project(tmp_path / "S")
    (root / folder).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / folder)
    for command in ("validate", "build"):
        # One case in a new Python: validate and build as a user starts them.
        result = cli(command, root, timeout=60, fresh=folder == "content/f.md")
        assert result.returncode == 1, result.stderr
        assert (
            f"{folder}:1: is a named pipe (FIFO), not a file: perfpages reads only plain files"
            in result.stderr
        )
        assert "Traceback" not in result.stderr
    assert not (root / "site").exists()


def test_a_named_pipe_of_breakdowns_is_reported(tmp_path: Path) -> None:
    root = make_project(tmp_path / "S")
    (root / "disaggregations").mkdir()
    os.mkfifo(root / "disaggregations" / "test-measure.csv")
    result = cli("build", root, timeout=60)
    assert result.returncode == 1
    assert "disaggregations/test-measure.csv:1: is a named pipe" in result.stderr


@pytest.mark.parametrize(
    ("name", "target"),
    [("loop.md", "loop.md"), ("a.md", "b.md"), ("here", "."), ("up", "../content")],
)
def test_a_link_loop_in_content_is_reported(tmp_path: Path, name: str, target: str) -> None:
    """Issue 15: a symbolic-link loop in content/ gave a traceback."""
    root = make_project(tmp_path / "S")
    content = root / "content"
    content.mkdir()
    (content / "about.md").write_text("# About\n")
    (content / name).symlink_to(target)
    if name == "a.md":
        (content / "b.md").symlink_to("a.md")
    result = run_cli("build", root)
    assert result.exit_code == 1, result.stderr
    assert f"content/{name}:1: is a symbolic link that leads round in a loop" in result.stderr
    assert "Traceback" not in result.stderr


def test_links_inside_the_project_are_followed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "S")
    write_file(root / "notes" / "about.md", "# About us\n\nText.\n")
    (root / "content").mkdir()
    (root / "content" / "about.md").symlink_to("../notes/about.md")
    result = run_cli("build", "--strict", root)
    assert result.exit_code == 0, result.stderr
    assert "About us" in (root / "site" / "about" / "index.html").read_text("utf-8")


def test_open_sdg_metadata_linked_outside_the_repository_is_refused(tmp_path: Path) -> None:
    """Issue 15: a link in an imported repository's meta/ to a file elsewhere was published."""
    repo = tmp_path / "repo"
    write_file(repo / "data/indicator_2-1-1.csv", "Year,Value\n2019,1\n")
    secret = write_file(tmp_path / "secret.md", "---\ngraph_title: Secret\n---\nSecret text\n")
    (repo / "meta").mkdir()
    (repo / "meta" / "2-1-1.md").symlink_to(secret)
    os.mkfifo(repo / "meta" / "2-1-2.md")
    site = tmp_path / "site-src"
    result = cli("import", "--from", "open-sdg", repo, site, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "meta/2-1-1.md:1: is a link to a file outside the project" in result.stderr
    assert "meta/2-1-2.md:1: is a named pipe (FIFO)" in result.stderr
    assert "nothing was written" in result.stderr
    assert not site.exists()


@pytest.mark.parametrize(
    "where",
    [
        "content/secret.md",
        "theme/assets/secret.css",
        "disaggregations/test-measure.csv",
        "indicators/secret.yml",
        "site_config.yml",
    ],
)
def test_a_hard_link_to_a_file_outside_the_project_is_refused(tmp_path: Path, where: str) -> None:
    """Issue 15 (hard links): a hard link is the file itself, with no path to follow, so the
    rule looks for the file's other names; one outside the project is refused, as a symbolic
    link there is."""
    root = make_project(tmp_path / "S")
    secret = tmp_path / "secret.txt"
    secret.write_text(
        yaml.safe_dump(MINIMAL_CONFIG) if where == "site_config.yml" else "# Secret\n"
    )
    path = root / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.link(secret, path)
    before = snapshot(tmp_path)
    for command in ("validate", "build"):
        result = run_cli(command, root)
        assert result.exit_code == 1, result.stderr
        assert (
            f"{where}:1: is a hard link: the same file also has a name outside the project, and "
            "perfpages reads nothing from outside it; copy the file in instead"
        ) in result.stderr
    assert snapshot(tmp_path) == before
    assert not (root / "site").exists()


def test_a_hard_link_inside_the_project_is_read(tmp_path: Path) -> None:
    """Every name of the file is in the project: nothing from elsewhere is read."""
    root = make_project(tmp_path / "S")
    write_file(root / "notes" / "about.md", "# About us\n\nText.\n")
    (root / "content").mkdir()
    os.link(root / "notes" / "about.md", root / "content" / "about.md")
    result = run_cli("build", "--strict", root)
    assert result.exit_code == 0, result.stderr
    assert "About us" in (root / "site" / "about" / "index.html").read_text("utf-8")


@pytest.mark.parametrize("kind", ["fifo", "folder", "broken"])
def test_site_config_follows_the_input_rule(tmp_path: Path, kind: str) -> None:
    """site_config.yml is read as the input folders' files are: a named pipe there no longer
    reads as a missing file, and never blocks."""
    root = make_project(tmp_path / "S")
    config = root / "site_config.yml"
    config.unlink()
    if kind == "fifo":
        os.mkfifo(config)
    elif kind == "folder":
        config.mkdir()
    else:
        config.symlink_to("settings.yml")
    says = {
        "fifo": "site_config.yml:1: is a named pipe (FIFO), not a file",
        "folder": "site_config.yml:1: is a folder, but it should be a file",
        "broken": "site_config.yml:1: is a symbolic link to settings.yml, which does not exist",
    }[kind]
    result = cli("validate", root, timeout=60)
    assert result.returncode == 1, result.stderr
    assert says in result.stderr
    assert "not found" not in result.stderr


# ---- 3. the property: nothing outside the project and its output changes ----------------------

EXAMPLES = max(4, int(os.environ.get("PERFPAGES_FUZZ_EXAMPLES", "300")) // 25)
INPUTS = [
    "indicators",
    "content",
    "content/sub",
    "content/accessibility",  # the generated pages' addresses
    "content/how-to-read",
    "content/data",
    "theme",
    "theme/assets",
    "disaggregations",
]
SUFFIXES = [".md", ".yml", ".csv", ".css", ""]
KINDS = [
    "file",
    "link-inside",
    "link-outside-file",
    "link-outside-folder",
    "link-project",
    "link-parent",
    "link-broken",
    "loop-self",
    "loop-folder",
    "hard-link-inside",
    "hard-link-outside",
    "fifo",
    "socket",
    "folder",
]
OUTPUTS = [
    "default",
    "new-sibling",
    "outside",
    "outside-link",
    "indicators",
    "content",
    "build",
    "project",
]
NAME_MAX = 255  # the longest name Linux and macOS file systems allow, suffix included

names = st.one_of(
    st.sampled_from(["test-measure", "x", "index", "about", "a-b", "a b", "é"]),
    # addresses the generator makes: a content page or breakdowns file of the same address
    st.sampled_from(
        ["indicators", "priorities", "reports", "accessibility", "how-to-read", "data", "feed"]
    ),
    st.sampled_from(["test-measure-disaggregations", "404", "sitemap", "search", "print"]),
    st.integers(1, NAME_MAX).map(lambda n: "n" * n),  # cut to the limit with its suffix
)
entries = st.lists(
    st.tuples(st.sampled_from(INPUTS), names, st.sampled_from(SUFFIXES), st.sampled_from(KINDS)),
    max_size=5,
)


@contextlib.contextmanager
def alarm(seconds: int) -> Iterator[None]:
    """Fail, instead of hanging for ever, when a build blocks (on a named pipe, say)."""

    def timeout(*_: Any) -> None:
        raise TimeoutError(f"blocked for {seconds} s")

    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def place(root: Path, outside: Path, folder: str, name: str, kind: str) -> None:
    """One entry of the given kind at ``root/folder/name`` (a name cut to the system's limit;
    no socket where its path is too long for one)."""
    if len(name.encode()) > NAME_MAX:
        stem, suffix = os.path.splitext(name)
        name = stem[: NAME_MAX - len(suffix.encode())] + suffix
    path = root / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(path):
        return
    if kind == "file":
        path.write_text(MINIMAL_MEASURE if name.endswith(".yml") else "# Page\n\nText.\n")
    elif kind == "link-inside":
        path.symlink_to(root / "site_config.yml")
    elif kind == "link-outside-file":
        path.symlink_to(outside / "secret.md")
    elif kind == "link-outside-folder":
        path.symlink_to(outside, target_is_directory=True)
    elif kind == "link-project":
        path.symlink_to(root, target_is_directory=True)
    elif kind == "link-parent":
        path.symlink_to(root.parent, target_is_directory=True)
    elif kind == "link-broken":
        path.symlink_to(root / "missing")
    elif kind == "loop-self":
        path.symlink_to(path.name)
    elif kind == "loop-folder":
        path.symlink_to(".", target_is_directory=True)
    elif kind == "hard-link-inside":
        os.link(root / "site_config.yml", path)
    elif kind == "hard-link-outside":
        os.link(outside / "secret.md", path)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
    else:
        path.mkdir()
        (path / "inner.md").write_text("# Inner\n")


def output_for(choice: str, root: Path, outside: Path) -> tuple[list[str], Path | None]:
    """The --output arguments for ``choice``, and the folder it lets the build change."""
    if choice == "default":
        return [], None
    target = {
        "new-sibling": root.parent / "public",
        "outside": outside,
        "outside-link": root.parent / "link-to-outside",
        "indicators": root / "indicators",
        "content": root / "content" / "site",
        "build": root / "build",
        "project": root,
    }[choice]
    if choice == "outside-link":
        target.symlink_to(outside, target_is_directory=True)
    return ["--output", str(target)], target if choice == "new-sibling" else None


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(entries=entries, output=st.sampled_from(OUTPUTS))
def test_nothing_outside_the_project_and_its_output_changes(
    entries: list[tuple[str, str, str, str]], output: str
) -> None:
    """Random file-system shapes in the input folders and a random output: validate and build
    end with 0, 1 or 2, never a traceback, and change nothing beside the project but their
    output, whose pages hold nothing from outside the project.

    Up to five entries, each in one of the input folders (content/ and the folders of the
    generated pages' addresses in it, theme/ and theme/assets/, indicators/, disaggregations/),
    named as a page, as an address the generator makes (indicators.md, accessibility/index.md,
    a test-measure-disaggregations indicator beside test-measure's breakdowns, ...), with a
    space or an accent, or up to the system's limit of 255 bytes; and each a file, a symbolic
    link inside the project, to a file or folder outside it, to the project or its parent,
    to nothing, or round in a loop, a hard link to a file inside or outside the project, a
    named pipe, a socket, or a folder where a file is expected. The output is the default,
    a new folder beside the project, a folder outside it holding files, a link to that
    folder, or a folder in indicators/, content/, build/ or the project itself."""
    with tempfile.TemporaryDirectory(prefix="perfpages-fs-") as folder:
        base = Path(folder)
        root = make_project(base / "project")
        outside = base / "outside"
        write_file(outside / "secret.md", "# Secret\n")
        write_file(outside / "data.csv", "a,b\n1,2\n")
        for place_in, stem, suffix, kind in entries:
            place(root, outside, place_in, stem + suffix, kind)
        arguments, allowed = output_for(output, root, outside)
        listing = sorted(os.listdir(base))
        before = snapshot(outside)
        outputs = []
        with alarm(120):
            for command in (["validate", root], ["build", root, *arguments]):
                result = run_cli(*command)
                outputs.append(result)
        for result in outputs:
            assert result.exit_code in (0, 1, 2), result.stderr
            assert "Traceback" not in result.stdout + result.stderr
        assert snapshot(outside) == before
        after = sorted(os.listdir(base))
        made = {allowed.name} if allowed is not None and outputs[1].exit_code == 0 else set()
        assert set(after) == set(listing) | made
        if outputs[1].exit_code == 0:
            published = root / "site" if allowed is None else allowed
            for page in published.rglob("*"):
                if page.is_file():
                    assert b"# Secret" not in page.read_bytes(), page
