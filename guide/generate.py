"""Refresh the guide's reference pages from the code: python guide/generate.py

Writes guide/docs/reference.md (every field, from the models) and guide/docs/cli.md (every
command's --help). Both are committed; tests/test_guide.py fails when they are out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

GUIDE = Path(__file__).resolve().parent
sys.path.insert(0, str(GUIDE.parent))

from generator.cli import main  # noqa: E402
from generator.reference import cli_markdown, fields_markdown  # noqa: E402

PAGES = {"reference.md": fields_markdown, "cli.md": lambda: cli_markdown(main)}


def expected() -> dict[Path, str]:
    return {GUIDE / "docs" / name: make() for name, make in PAGES.items()}


def write() -> None:
    for path, text in expected().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(GUIDE.parent)}")


if __name__ == "__main__":
    write()
