"""The guide: built with MkDocs strictly, and complete: every field and every command documented.

The field and command references are generated from the code (python guide/generate.py) and
committed; these tests fail when a model field or a command is added without refreshing them,
or when a command is not explained anywhere in the hand-written pages.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from generator.commands.cli import main
from generator.commands.schema import indicator_schema, site_config_schema
from tests.conftest import REPO
from tests.guide_scripts import guide_script

DOCS = REPO / "guide" / "docs"
GENERATED = {"reference.md", "cli.md"}
REFRESH = "out of date: run python guide/generate.py and commit the result"


def reference_tables() -> list[set[str]]:
    """The field names of each table in the committed field reference."""
    tables: list[set[str]] = []
    current: set[str] | None = None
    for line in (DOCS / "reference.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| Field |"):
            current = set()
            tables.append(current)
        elif match := re.match(r"\| `([^`]+)` \|", line):
            assert current is not None
            current.add(match.group(1))
        elif not line.startswith("|"):
            current = None
    return tables


def test_generated_pages_are_up_to_date():
    for path, text in guide_script("generate").expected().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is {REFRESH}"


def test_field_reference_covers_every_model_field():
    tables = reference_tables()
    objects = []
    for schema in (indicator_schema(), site_config_schema()):
        objects.append(("(root)", schema))
        objects += list(schema["definitions"].items())
    for name, schema in objects:
        fields = set(schema.get("properties", {}))
        if not fields:
            continue  # the indicator root: a measure or a project, both documented
        assert fields in tables, f"the fields of {name} ({sorted(fields)}) are not documented"


def test_field_reference_test_notices_a_missing_field():
    tables = reference_tables()
    measure = set(indicator_schema()["definitions"]["Measure"]["properties"])
    assert measure in tables
    assert measure | {"a_new_field"} not in tables


def test_every_command_is_explained_in_the_guide():
    written = "\n".join(
        p.read_text(encoding="utf-8") for p in DOCS.glob("*.md") if p.name not in GENERATED
    )
    for name in main.commands:
        assert f"perfpages {name}" in written, f"perfpages {name} is not described in the guide"


def test_every_option_has_help_and_is_in_the_command_reference():
    reference = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help, f"perfpages {name} has no help"
        assert f"## perfpages {name}" in reference
        for param in command.params:
            if param.param_type_name == "option":
                assert getattr(param, "help", None), f"perfpages {name} {param.opts}: no help"
                for opt in param.opts:
                    assert opt in reference, f"perfpages {name} {opt} {REFRESH}"


@pytest.mark.slow
def test_guide_builds_strictly_and_fetches_nothing_from_other_hosts(tmp_path):
    out = tmp_path / "guide"
    result = subprocess.run(
        [sys.executable, str(REPO / "guide" / "build.py"), "--output", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for page in ("index.html", "reference/index.html", "cli/index.html", "reviewing/index.html"):
        assert (out / page).is_file(), page
    assert (out / "schemas" / "indicator.schema.json").is_file()
    reviewing = (out / "reviewing" / "index.html").read_text(encoding="utf-8")
    assert "perfpages: what this change does to the site" in reviewing  # the real report
    publishing = (out / "publishing" / "index.html").read_text(encoding="utf-8")
    assert "actions/deploy-pages@" in publishing
    for html in out.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert not re.search(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', text), html


@pytest.mark.slow
def test_the_guide_preview_opens_from_the_disk(tmp_path):
    """python guide/build.py --preview (the pull-request preview's guide/): every address names
    a file, search loads from the disk, and every page says noindex."""
    from tests.pipeline.test_preview import broken_addresses

    out = tmp_path / "guide"
    result = subprocess.run(
        [sys.executable, str(REPO / "guide" / "build.py"), "--output", str(out), "--preview"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    broken, checked = broken_addresses(out)
    assert not broken, "\n".join(broken[:20])
    assert checked > 100
    assert (out / "search" / "search_index.js").is_file()
    for html in out.rglob("*.html"):
        assert '<meta name="robots" content="noindex">' in html.read_text(encoding="utf-8"), html
    assert not list((REPO / "guide").glob(".mkdocs-preview-*")), "the temporary config is left"
