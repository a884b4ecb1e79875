"""A printable report of more indicators than ``reports.printable_in_parts_above`` is made in
parts, a priority each: its own address keeps the summary and lists the parts; each part holds
its priority's indicators exactly as the whole report would; nothing is lost or listed twice."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.commands.serve import changed_pages
from generator.pipeline import SITE_DIR, BuildCache, generate
from generator.site.models import PRINT_WHOLE_AT_MOST
from tests.conftest import run_cli, tree

CONFIG = """\
site:
  title: Test performance
  organisation: Test Council
  url: https://performance.test.example/
reporting_period: 2019/20 Q2
priorities:
  - {id: health, title: Healthy lives}
  - {id: economy, title: A strong economy}
  - {id: housing, title: Homes for all}
"""


def measure(title: str, priority: str, first: str, values: list[float]) -> str:
    periods = ["2018/19 Q4", "2019/20 Q1", "2019/20 Q2"]
    start = periods.index(first)
    rows = "".join(
        f"  - {{period: {p}, value: {v}}}\n" for p, v in zip(periods[start:], values, strict=False)
    )
    return (
        f"title: {title}\npriority: {priority}\npolarity: higher_is_better\ntarget: 50\n"
        f"commentary: What {title.lower()} shows.\nvalues:\n{rows}"
    )


INDICATORS = {
    "clinics.yml": measure("Clinic waits", "health", "2018/19 Q4", [40, 45, 55]),
    "visits.yml": measure("Home visits", "health", "2018/19 Q4", [60, 58, 61]),
    "screens.yml": measure("Screening", "health", "2019/20 Q1", [30, 52]),
    "jobs.yml": measure("Jobs created", "economy", "2019/20 Q1", [70, 49]),
    "grants.yml": measure("Grants paid", "economy", "2019/20 Q2", [51]),
    "bridge.yml": (
        "title: New bridge\nkind: project\npriority: economy\nupdates:\n"
        "  - {period: 2019/20 Q1, rating: green, progress: progressing, commentary: Begun.}\n"
        "  - {period: 2019/20 Q2, rating: amber, progress: missed_milestone, commentary: Late.}\n"
    ),
}
NARRATIVES = {"reports/2019-20-q1.md": "A spring of steady progress.\n"}
PRINTED = {"2019-20-q2": "2019/20 Q2", "2019-20-q1": "2019/20 Q1"}
ORDER = ["2018/19 Q4", "2019/20 Q1", "2019/20 Q2"]


def expected_parts(period: str) -> dict[str, list[str]]:
    """Each priority's indicators that had begun by ``period``, by title (the report's order),
    worked out from the YAML."""
    parts: dict[str, list[tuple[str, str]]] = {}
    for name, text in INDICATORS.items():
        data = yaml.safe_load(text)
        rows = data.get("values") or data.get("updates")
        if ORDER.index(rows[0]["period"]) <= ORDER.index(period):
            parts.setdefault(data["priority"], []).append(
                (data["title"], name.removesuffix(".yml"))
            )
    return {priority: [ident for _, ident in sorted(found)] for priority, found in parts.items()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same site built with the default limit (one page each), and in parts above two
    indicators."""
    whole = tmp_path_factory.mktemp("whole")
    (whole / "indicators").mkdir()
    (whole / "site_config.yml").write_text(CONFIG)
    for name, text in INDICATORS.items():
        (whole / "indicators" / name).write_text(text)
    for name, text in NARRATIVES.items():
        (whole / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (whole / "content" / name).write_text(text)
    split = tmp_path_factory.mktemp("split") / "site"
    shutil.copytree(whole, split)
    in_parts(split, 2)
    for root in (whole, split):
        result = run_cli("build", "--strict", root)
        assert result.exit_code == 0, result.stderr
    return whole, split


def in_parts(root: Path, above: int) -> None:
    """The site at ``root`` with its printable reports in parts above ``above`` indicators."""
    config = root / "site_config.yml"
    config.write_text(config.read_text() + f"reports:\n  printable_in_parts_above: {above}\n")


def page(root: Path, url: str) -> str:
    """A built page, its relative links written from the site's root (so that the same
    section reads the same on pages at different depths)."""
    html = (root / "site" / url / "index.html").read_text(encoding="utf-8")

    def from_root(match: re.Match[str]) -> str:
        return f'href="/{posixpath.normpath(posixpath.join(url, match.group(1)))}/"'

    return re.sub(r'href="(\.\./[^"#:]*?)/?"', from_root, html)


def sections(html: str) -> dict[str, str]:
    """Each priority's section of a printable page, by priority id."""
    found = re.findall(
        r'(<div class="pp-print-section">\s*<h2 id="priority-([a-z0-9-]+)">.*?)'
        r'(?=<div class="pp-print-section">|<div class="pp-page-break">|</article>)',
        html,
        re.S,
    )
    return {ident: text.strip() for text, ident in found}


def items(section: str) -> list[str]:
    return re.findall(r'<h3 id="indicator-([a-z0-9-]+)">', section)


@pytest.mark.parametrize("slug", PRINTED)
def test_parts_hold_each_priority_as_the_whole_report_does(built, slug):
    whole, split = built
    everything = sections(page(whole, f"reports/{slug}/print"))
    expected = expected_parts(PRINTED[slug])
    assert {p: items(s) for p, s in everything.items() if items(s)} == expected
    opening = page(split, f"reports/{slug}/print")
    assert not sections(opening), "the opening part lists the parts, not the indicators"
    for ident, members in expected.items():
        part = page(split, f"reports/{slug}/print/{ident}")
        (section,) = sections(part).values()
        assert section == everything[ident], "a part is its priority as the whole report has it"
        assert items(section) == members
    # No part for a priority with nothing in it then (housing), and nothing else there.
    folder = split / "site" / "reports" / slug / "print"
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == sorted(expected)


@pytest.mark.parametrize("slug", PRINTED)
def test_the_opening_part_keeps_the_summary_and_lists_the_parts(built, slug):
    whole, split = built
    opening, entire = page(split, f"reports/{slug}/print"), page(whole, f"reports/{slug}/print")
    summary = re.compile(
        r'<h2 id="summary">.*?(?=<div class="pp-page-break">|<h2 id="the-rep)', re.S
    )
    assert summary.search(opening).group(0).strip() == summary.search(entire).group(0).strip()
    expected = expected_parts(PRINTED[slug])
    listed = re.findall(
        r'<li><a href="([a-z0-9-]+)/">Part (\d+): ([^<]+)</a> \((\d+) indicators?\)</li>', opening
    )
    titles = {p["id"]: p["title"] for p in yaml.safe_load(CONFIG)["priorities"]}
    in_order = [p for p in titles if p in expected]
    assert listed == [
        (ident, str(n), titles[ident], str(len(expected[ident])))
        for n, ident in enumerate(in_order, start=1)
    ]
    count = sum(len(m) for m in expected.values())
    assert f"This report of {count} indicators is in parts, one for each priority." in opening


def test_each_part_names_itself_and_links_back(built):
    _, split = built
    parts = ["health", "economy"]
    for n, ident in enumerate(parts, start=1):
        html = page(split, f"reports/2019-20-q2/print/{ident}")
        title = yaml.safe_load(CONFIG)["priorities"][n - 1]["title"]
        heading = f"Test performance: report for Q2 2019/20, part {n} of {len(parts)}: {title}"
        assert re.search(rf"<h1[^>]*>{heading}</h1>", html)
        assert len(re.findall(r"<h1[\s>]", html)) == 1
        back = '<a href="/reports/2019-20-q2/print/">The summary and every part of the report'
        assert back in html
        # A copy of its period's report: not indexed, canonical to the report, not searched.
        canonical = (
            '<link rel="canonical" href="https://performance.test.example/reports/2019-20-q2/">'
        )
        assert canonical in html
        assert '<meta name="robots" content="noindex">' in html
        assert "pp-raw" not in html
    sitemap = (split / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "/print/" not in sitemap
    index = (split / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "print/" not in index


def test_at_the_limit_a_printable_report_is_one_page(built, tmp_path):
    whole, _ = built
    root = tmp_path / "site"
    shutil.copytree(whole, root, ignore=shutil.ignore_patterns("site", "build"))
    at_q1, at_q2 = (sum(map(len, expected_parts(p).values())) for p in ("2019/20 Q1", "2019/20 Q2"))
    assert at_q1 < at_q2
    in_parts(root, at_q1)
    generate(root, root / SITE_DIR)
    docs = root / "build" / "docs" / "reports"
    assert (docs / "2019-20-q2" / "print").is_dir(), "one more than the limit: in parts"
    assert (docs / "2019-20-q1" / "print.md").exists()
    assert not (docs / "2019-20-q1" / "print").exists(), "as many as the limit: one page"


def test_serve_keeps_the_parts_until_it_writes_the_reports(built, tmp_path):
    """Serve shows an edit before it writes the reports again: the parts stay as they were
    meanwhile, and the reports it then writes are what a complete generation writes."""
    whole, _ = built
    root = tmp_path / "site"
    shutil.copytree(whole, root, ignore=shutil.ignore_patterns("site", "build"))
    in_parts(root, 2)
    docs = root / "build" / "docs"
    cache = BuildCache()
    first = generate(root, root / SITE_DIR, cache=cache, defer_reports=True)
    assert first.write_reports is not None
    first.write_reports(lambda: False)
    before = tree(docs)
    part = "reports/2019-20-q2/print/health/index.md"
    assert part in before

    source = root / "indicators" / "clinics.yml"
    source.write_text(source.read_text().replace("value: 55}", "value: 56}"))
    generated = generate(root, root / SITE_DIR, cache=cache, defer_reports=True)
    pages, full = changed_pages(generated)
    assert "indicators/clinics.md" in pages and not full
    assert tree(docs)[part] == before[part], "left as it was until the reports are written"
    assert generated.write_reports is not None
    written = generated.write_reports(lambda: False)
    assert part in written.changed
    deferred = tree(docs)
    generate(root, tmp_path / "complete-site")
    assert tree(docs) == deferred


def test_by_default_a_report_is_in_parts_above_250_indicators(built):
    whole, _ = built
    assert PRINT_WHOLE_AT_MOST == 250
    assert list((whole / "site" / "reports").glob("*/print/index.html"))
    assert not list((whole / "site" / "reports").glob("*/print/*/index.html"))


def test_a_limit_below_zero_is_an_error_at_its_line(make_site):
    config = CONFIG + "reports:\n  printable_in_parts_above: -1\n"
    site = make_site(config=config, indicators={"jobs.yml": INDICATORS["jobs.yml"]})
    result = run_cli("validate", site.root)
    assert result.exit_code == 1
    line = config.count("\n")  # the last line
    assert f"site_config.yml:{line}: reports.printable_in_parts_above: -1 is out of range" in (
        result.stderr
    )


def test_one_priority_s_indicators_are_one_page_whatever_the_limit(make_site):
    """Parts are a priority each: with every indicator under one priority there is nothing to
    part."""
    health = {k: v for k, v in INDICATORS.items() if "priority: health" in v}
    site = make_site(config=CONFIG + "reports:\n  printable_in_parts_above: 0\n", indicators=health)
    result = run_cli("build", "--strict", site.root)
    assert result.exit_code == 0, result.stderr
    assert (site.root / "site" / "reports" / "2019-20-q2" / "print" / "index.html").exists()
    assert not list((site.root / "site" / "reports").glob("*/print/*/index.html"))
    assert len(sections(page(site.root, "reports/2019-20-q2/print"))) == 3
