"""Markup injection: a payload in every text field never becomes live markup in any output file.

The site from ``tests/injection_site.py`` puts ~30 payloads (script elements, event handlers,
javascript:/data: links in every spelling, iframes, SVG, entities, Markdown link syntax,
``</script>`` for the chart JSON, CSV formulas) into every text field. Every file of the built
site is then parsed: HTML with the standard library's parser, the search index's HTML snippets,
chart JSON, data JSON, CSV, and the sitemap.
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests import markup_check
from tests.injection_site import MARKER, payload
from tests.markup_check import (
    Finding,
    chart_specs,
    check_chart,
    check_csv,
    check_html,
    check_xml,
    json_strings,
)

# Fields whose text the site shows (as text, or in a meta description): the test proves the
# payload arrives there as visible text, so the markup checks are not passing on dropped text.
SHOWN = {
    "site.title": "script",
    "site.organisation": "img-onerror",
    "site.description": "end-title",
    "contact.phone": "script",
    "contact.address": "img-onerror",
    "accessibility.contact_email": "img-onerror",
    "accessibility.enforcement": "script",
    "data.licence": "script",
}
SHOWN_PER_PAYLOAD = [
    "priority.title",
    "priority.description",
    "accessibility.known_limitations",
    "title",
    "ref",
    "description",
    "service",
    "tags",
    "unit",
    "unit_label",
    "benchmarks.label",
    "benchmarks.source",
    "values.note",
    "values.note2",
    "values.rating_reason",
    "commentary",
    "actions",
    "earlier.commentary",
    "earlier.actions",
    "source",
    "owner",
    "title.label",
    "target.label",
    "project.title",
    "project.ref",
    "project.description",
    "project.service",
    "project.tags",
    "updates.commentary",
    "updates.commentary.old",
    "milestones.title",
    "milestones.note",
    "next_steps",
]


@pytest.fixture
def injection_site(injection_built: Path) -> Path:
    return injection_built


def scan(site: Path) -> tuple[list[Finding], dict[str, int]]:
    """Every finding in every file of ``site``, and how many files of each kind were read."""
    findings: list[Finding] = []
    kinds: dict[str, int] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        kind = "search" if rel == "search/search_index.json" else path.suffix.lstrip(".")
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "html":
            page = data.decode("utf-8")
            findings += check_html(page, rel, MARKER)[0]
            for spec in chart_specs(page):
                kinds["chart"] = kinds.get("chart", 0) + 1
                findings += check_chart(spec, f"{rel} (chart)")
        elif kind == "search":
            # Material's search shows these strings as HTML: each must be inert HTML.
            for text in json_strings(json.loads(data)):
                findings += check_html(text, rel, MARKER)[0]
        elif kind == "json":
            json.loads(data)
        elif kind == "csv":
            findings += check_csv(data, rel)
        elif kind == "xml":
            findings += check_xml(data, rel)
            findings += feed_html_findings(data, rel)
        elif kind == "gz":
            findings += check_xml(gzip.decompress(data), rel)
    return findings, kinds


def feed_html_findings(data: bytes, rel: str) -> list[Finding]:
    """Atom text given as type="html" is shown as HTML by feed readers: it must be inert."""
    out: list[Finding] = []
    for element in ET.fromstring(data).iter():
        if element.get("type") in ("html", "xhtml"):
            text = "".join(element.itertext())
            out += check_html(text, f"{rel} <{element.tag}>", MARKER)[0]
    return out


def test_no_payload_is_live_markup_in_any_file(injection_site: Path) -> None:
    findings, kinds = scan(injection_site)
    assert [str(f) for f in findings] == []
    # Every kind of output file was read, so a finding could have been made in each.
    for kind in ("html", "chart", "search", "json", "csv", "xml", "gz"):
        assert kinds.get(kind, 0) > 0, kind
    assert kinds["html"] > 90
    assert kinds["xml"] >= 2  # the sitemap and the Atom feed


def _visible(site: Path) -> str:
    """What readers see: the text of every page, and the meta descriptions."""
    parts = []
    for path in site.rglob("*.html"):
        page = path.read_text("utf-8")
        parts.append(check_html(page, "", MARKER)[1])
        start = page.find('<meta name="description" content="')
        if start >= 0:
            end = page.index('"', start + 34)
            parts.append(html.unescape(page[start + 34 : end]))
    return "\n".join(parts)


def test_payloads_arrive_as_visible_text(injection_site: Path) -> None:
    visible = _visible(injection_site)
    missing = [f for f, name in SHOWN.items() if payload(name, f) not in visible]
    missing += [
        f"{f}.script" for f in SHOWN_PER_PAYLOAD if payload("script", f"{f}.script") not in visible
    ]
    assert missing == []


def test_markdown_links_with_bad_schemes_keep_their_words(injection_site: Path) -> None:
    page = (injection_site / "indicators" / "m-md-javascript-link" / "index.html").read_text()
    findings, text = check_html(page, "", MARKER)
    assert findings == []
    assert "click me" in text
    assert "javascript:" not in page.lower().replace("javascript:__pwned", "")


def test_chart_labels_are_escaped_for_plotly(injection_site: Path) -> None:
    page = (injection_site / "indicators" / "m-script" / "index.html").read_text()
    (spec,) = chart_specs(page)
    # Long legend labels are broken into lines with <br> (the one tag perfpages writes there).
    names = [trace["name"].replace("<br>", " ") for trace in spec["data"]]
    assert "&lt;script&gt;__pwned('benchmarks.label.script')&lt;/script&gt; (2018/19)" in names
    # The unit word is in the hover text of every point, escaped the same way.
    values = spec["data"][0]
    shown = [text for y, text in zip(values["y"], values["text"], strict=True) if y is not None]
    assert len(shown) == 2
    assert all("placements &lt;script&gt;__pwned(" in text for text in shown)
    assert "</script" not in page.split('id="chart-data">', 1)[1].split("</script>", 1)[0]


def test_csv_formulas_are_prefixed(injection_site: Path) -> None:
    data = (injection_site / "data" / "m-csv-hyperlink.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert rows
    note = payload("csv-hyperlink", "values.note.csv-hyperlink")
    assert any(row["note"] == "'" + note for row in rows)
    everything = (injection_site / "data" / "indicators.csv").read_bytes()
    assert check_csv(everything, "indicators.csv") == []
    assert "'" + payload("csv-at", "ref.csv-at") not in everything.decode("utf-8-sig")  # ref: JSON
    assert "'@SUM" in everything.decode("utf-8-sig") or "'=HYPERLINK" in everything.decode(
        "utf-8-sig"
    )


def test_licence_link_cannot_start_a_second_link(injection_site: Path) -> None:
    page = (injection_site / "how-to-read" / "index.html").read_text()
    assert 'href="https://example.org/licence/a%29[x]%28javascript:alert%281%29"' in page
    assert check_html(page, "", MARKER)[0] == []


# ---- The checks themselves can fail ------------------------------------------------------------


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>__pwned(1)</script>",
        '<img src="x" onerror="__pwned(1)">',
        '<a href="javascript:__pwned(1)">x</a>',
        '<a href=" JaVa&#x09;Script:__pwned(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<iframe src="https://x.example/"></iframe>',
        '<svg onload="__pwned(1)"></svg>',
        '<script type="application/json">{"a": "</script><script>__pwned(1)</script>',
        '<div style="background:url(__pwned)">x</div>',
    ],
)
def test_markup_check_finds_live_markup(snippet: str) -> None:
    findings, _text = check_html(f"<p>{snippet}</p>", "x.html", MARKER)
    assert findings


def test_markup_check_passes_escaped_text() -> None:
    findings, text = check_html(
        "<p>&lt;script&gt;__pwned(1)&lt;/script&gt; "
        '<a href="https://example.org/">ok</a></p>'
        '<script type="application/json">{"a": "\\u003c/script\\u003e"}</script>',
        "x.html",
        MARKER,
    )
    assert findings == []
    assert "<script>__pwned(1)</script>" in text


def test_chart_csv_and_xml_checks_can_fail() -> None:
    assert check_chart({"name": "<b>x</b>"}, "c")
    assert check_chart({"name": "&#60;b&#62;"}, "c")
    assert not check_chart({"name": "A &amp; E &lt;18", "h": "%{x}<extra></extra>"}, "c")
    assert not check_chart({"name": "A long<br>label"}, "c")
    assert check_chart({"name": "<br onload=x>"}, "c")
    assert check_csv(b"a,b\r\n=1+1,2\r\n", "c")
    assert not check_csv(b"a,b\r\n-1.5,'=1+1\r\n", "c")
    assert check_xml(b"<urlset><loc>a</urlset>", "x")
    assert markup_check.unsafe_url("&#106;avascript:x")
