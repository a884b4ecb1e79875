"""The honest baseline: a bare MkDocs + Material site of the same synthetic indicators.

    python benchmarks/bare.py benchmarks/out/site-1000 benchmarks/out/bare-1000

No perfpages at all: one Markdown page per indicator file of a synthetic site (its title, its
description, its commentary and actions, and a Markdown table of its values or updates), a
home page, and the ``mkdocs.yml`` a council would write by hand for Material: the priorities as
navigation sections (MkDocs' own navigation from the folders), ``navigation.prune`` so a page
carries only the part of the navigation it shows, ``font: false``, and the search plugin.
``benchmarks/run.py`` builds it with ``python -m mkdocs build`` beside perfpages' build of the
same indicators, so the ratio says what perfpages costs over the pages themselves.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _cell(value: Any) -> str:
    """Text for a Markdown table cell."""
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def page(data: dict[str, Any]) -> str:
    """One indicator's page, as a hand-written MkDocs site would have it."""
    out = [f"# {data['title']}", "", data.get("description", ""), ""]
    if data.get("kind") == "project":
        updates = data.get("updates", [])
        if updates:
            out += ["## Latest update", "", updates[-1].get("commentary", ""), ""]
        out += ["## Updates", "", "| Period | Rating | Progress |", "|---|---|---|"]
        out += [
            f"| {_cell(u['period'])} | {_cell(u.get('rating'))} | {_cell(u.get('progress'))} |"
            for u in reversed(updates)
        ]
        out += ["", "## Milestones", "", "| Milestone | Due | Status |", "|---|---|---|"]
        out += [
            f"| {_cell(m['title'])} | {_cell(m.get('due'))} | {_cell(m.get('status'))} |"
            for m in data.get("milestones", [])
        ]
        return "\n".join(out) + "\n"
    out += ["## Commentary", "", data.get("commentary", ""), ""]
    if data.get("actions"):
        out += ["## Actions", "", data["actions"], ""]
    target = data.get("target")
    out += ["## Values", "", "| Period | Value | Target | Note |", "|---|---:|---:|---|"]
    for v in sorted(data.get("values", []), key=lambda v: str(v["period"]), reverse=True):
        value = v.get("value")
        shown = _cell(value) if value is not None else _cell(v.get("missing"))
        goal = target if isinstance(target, (int, float)) else ""
        out.append(f"| {_cell(v['period'])} | {shown} | {_cell(goal)} | {_cell(v.get('note'))} |")
    return "\n".join(out) + "\n"


def config(site_name: str) -> dict[str, Any]:
    return {
        "site_name": site_name,
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": True,
        "theme": {"name": "material", "font": False, "features": ["navigation.prune"]},
        "markdown_extensions": ["tables", "toc"],
        "plugins": ["search"],
    }


def write_bare(site: Path, out: Path) -> Path:
    """Write the bare MkDocs project of the synthetic site ``site`` into ``out``; its
    mkdocs.yml's path."""
    docs = out / "docs"
    wanted: set[Path] = set()
    conf = yaml.load((site / "site_config.yml").read_text(encoding="utf-8"), Loader=_Loader)
    titles = {p["id"]: p["title"] for p in conf["priorities"]}
    home = [f"# {conf['site']['title']}", ""]
    home += [f"- {titles[pid]}" for pid in titles]
    files = {docs / "index.md": "\n".join(home) + "\n"}
    for path in sorted((site / "indicators").rglob("*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        files[docs / path.parent.name / f"{path.stem}.md"] = page(data)
    for path, text in files.items():
        wanted.add(path)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in docs.rglob("*.md"):
        if path not in wanted:
            path.unlink()
    mkdocs_yml = out / "mkdocs.yml"
    text = yaml.safe_dump(config(conf["site"]["title"]), sort_keys=False, allow_unicode=True)
    mkdocs_yml.write_text(text, encoding="utf-8")
    return mkdocs_yml


if __name__ == "__main__":
    write_bare(Path(sys.argv[1]), Path(sys.argv[2]))
