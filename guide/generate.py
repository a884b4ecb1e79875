"""Refresh the files written from the code: python guide/generate.py

Writes guide/docs/reference.md (every field, from the models), guide/docs/cli.md (every
command's --help) and this repository's own workflow, .github/workflows/perfpages.yml (the
one `perfpages init` writes, installing perfpages from this repository and publishing the
guide beside the example site). All are committed; tests fail when they are out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

GUIDE = Path(__file__).resolve().parent
sys.path.insert(0, str(GUIDE.parent))

from generator.commands.cli import main  # noqa: E402
from generator.commands.reference import cli_markdown, fields_markdown  # noqa: E402
from generator.commands.scaffold import ci_file  # noqa: E402

REPO_INSTALL = "python -m pip install ."
REPO_EXTRA_BUILD = """\
      - name: Build the guide into site/guide/
        run: python guide/build.py --output site/guide
"""
REPO_EXTRA_PREVIEW = """\
      - name: Build the guide's preview into site-preview/guide/
        run: python guide/build.py --output site-preview/guide --preview
"""


def expected() -> dict[Path, str]:
    return {
        GUIDE / "docs" / "reference.md": fields_markdown(),
        GUIDE / "docs" / "cli.md": cli_markdown(main),
        GUIDE.parent / ".github" / "workflows" / "perfpages.yml": ci_file(
            "github",
            install=REPO_INSTALL,
            extra_build=REPO_EXTRA_BUILD,
            extra_preview=REPO_EXTRA_PREVIEW,
        ),
    }


def write() -> None:
    for path, text in expected().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(GUIDE.parent)}")


if __name__ == "__main__":
    write()
