"""Build the guide: python guide/build.py [--output DIR] [--preview]

First writes what the guide shows from the real tools into docs/generated/ (the CI files
`perfpages init` writes, a real `perfpages diff` report of an edit to the example site) and
the JSON Schemas into docs/schemas/, then runs a strict MkDocs build (Material, no fonts or
scripts from other hosts). The default output is guide/site/. With --preview, the guide is
built as `perfpages build --preview` builds a site, to be opened from the disk (links to
index.html, search from file://, noindex): the pull-request preview puts it in its guide/.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

GUIDE = Path(__file__).resolve().parent
REPO = GUIDE.parent
sys.path.insert(0, str(REPO))

from generator.commands.scaffold import SCAFFOLD, ci_file, site_file  # noqa: E402
from generator.commands.schema import write_schemas  # noqa: E402
from generator.diff.compare import compare, read_version  # noqa: E402
from generator.diff.markdown import markdown  # noqa: E402
from generator.mkdocs import offline  # noqa: E402

EXAMPLE_PARTS = ("site_config.yml", "indicators", "content")
EDITED = "indicators/fairer-life-chances/health-visitor-new-birth-visits.yml"
ADDED = "indicators/fairer-life-chances/school-readiness.yml"
NEW_MEASURE = """\
title: Children ready for school at the end of reception
priority: fairer-life-chances
unit: percent
decimals: 1
polarity: higher_is_better
target: 72
values:
  - period: 2018/19
    value: 70.1
    rating: green
"""


def _copy_example(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in EXAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    if count != 1:
        raise SystemExit(f"guide/build.py: cannot make the example edit in {path}: {pattern!r}")
    path.write_text(changed, encoding="utf-8")


def example_diff() -> str:
    """A real report: a quarter's edit to one measure, and a new measure with a mistake."""
    with tempfile.TemporaryDirectory() as tmp:
        before = _copy_example(Path(tmp) / "main")
        after = _copy_example(Path(tmp) / "q2-update")
        edited = after / EDITED
        _edit(edited, r"^values:\n", "values:\n  - period: 2019/20 Q2\n    value: 91.2\n")
        _edit(
            edited,
            r"^commentary: \|\n",
            "commentary: |\n  - Performance recovered in Q2 once maternity services sent"
            " birth notifications on time again.\n",
        )
        _edit(edited, r"performance will\n  improve by Q3\.", "performance has\n  improved.")
        (after / ADDED).write_text(NEW_MEASURE, encoding="utf-8")
        report = compare(read_version(before, "main"), read_version(after, "q2-update"))
    return markdown(report)


def generate() -> None:
    generated = GUIDE / "docs" / "generated"
    generated.mkdir(parents=True, exist_ok=True)
    files = {
        "github-workflow.yml": ci_file("github"),
        "gitlab-ci.yml": ci_file("gitlab"),
        "pre-commit-config.yaml": site_file("dot-pre-commit-config.yaml"),
        "requirements.txt": site_file("requirements.txt"),
        "dependabot.yml": (SCAFFOLD / "ci" / "dependabot.yml").read_text(encoding="utf-8"),
        "pre-commit-hooks.yaml": (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"),
        "example-diff.md": example_diff(),
    }
    for name, text in files.items():
        (generated / name).write_text(text, encoding="utf-8")
    write_schemas(GUIDE / "docs" / "schemas")


def build(output: Path, preview: bool = False) -> int:
    generate()
    config = GUIDE / "mkdocs.yml"
    if preview:
        # The guide's mkdocs.yml and the preview's hook, in a file beside it (paths in it are
        # read from its folder), removed afterwards.
        with tempfile.NamedTemporaryFile(
            "w", dir=GUIDE, prefix=".mkdocs-preview-", suffix=".yml", delete=False
        ) as file:
            file.write(f"INHERIT: mkdocs.yml\nhooks:\n  - {json.dumps(offline.HOOK)}\n")
        config = Path(file.name)
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(config),
        "--site-dir",
        str(output.resolve()),
    ]
    # Snippets are read relative to the current folder: the guide's own.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        return subprocess.run(command, cwd=GUIDE, env=env, check=False).returncode
    finally:
        if preview:
            config.unlink()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=GUIDE / "site")
    parser.add_argument("--preview", action="store_true", help="to be opened from the disk")
    arguments = parser.parse_args()
    sys.exit(build(arguments.output, arguments.preview))
