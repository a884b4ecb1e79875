"""The printable report, printed to PDF by headless Chromium: a committee-ready document with
every indicator, a page break before each priority, and none of the site's navigation."""

from __future__ import annotations

import io
import re

import pytest
import yaml

from generator.site.periods import parse_period
from tests.browser.reader_support import run_axe
from tests.conftest import REPO

pytestmark = pytest.mark.browser


def squash(text: str) -> str:
    """Text compared without spaces, line breaks or hyphenation, which PDF layout changes."""
    return re.sub(r"[\s\u00ad]+", "", text).casefold()


def titles(by: str | None = None) -> list[str]:
    """Every indicator's title; with ``by`` (a period), only those that had begun reporting by
    its end: a value or update in a period ending no later, or none at all yet (SPEC.md)."""
    out = []
    fy = yaml.safe_load((REPO / "site_config.yml").read_text(encoding="utf-8"))
    fy_start = fy.get("financial_year_start_month", 4)
    for path in sorted((REPO / "indicators").rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = data.get("values") or data.get("updates") or []
        ends = [parse_period(str(e["period"]), fy_start).end for e in entries]
        if by is None or not ends or min(ends) <= parse_period(by, fy_start).end:
            out.append(data["title"])
    return out


def print_pdf(page, url: str) -> list[str]:
    from pypdf import PdfReader

    page.goto(url)
    pdf = page.pdf(format="A4", print_background=True)
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize(
    ("slug", "label", "period"),
    [("2019-20-q2", "Q2 2019/20", "2019/20 Q2"), ("2018-19-q4", "Q4 2018/19", "2018/19 Q4")],
)
def test_printed_report_has_every_indicator_and_sensible_pages(
    reader, example_url, slug, label, period
):
    """Every indicator that had begun reporting by the report's period is in it, and those that
    began later are left out and counted."""
    pages = print_pdf(reader, f"{example_url}reports/{slug}/print/")
    text = squash(" ".join(pages))
    listed = titles(period)
    missing = [t for t in listed if squash(t) not in text]
    assert not missing, missing
    later = len(titles()) - len(listed)
    if later:
        assert squash(f"{later} indicators began reporting after {label}") in text
    # Summary first, then each of the five priorities from a new page: at least six pages;
    # and not a page per table row: fewer than three pages per indicator.
    assert 6 <= len(pages) <= 3 * 38, len(pages)
    config = yaml.safe_load((REPO / "site_config.yml").read_text(encoding="utf-8"))
    # Each page's text begins with its number ("3 / 32"), from the @page footer.
    starts = []
    for number, page_text in enumerate(pages, start=1):
        prefix = f"{number}/{len(pages)}"
        assert squash(page_text).startswith(prefix), (number, page_text[:40])
        starts.append(squash(page_text)[len(prefix) : len(prefix) + 400])
    for priority in config["priorities"]:
        assert any(s.startswith(squash(priority["title"])[:60]) for s in starts), priority["id"]
    # None of the site's furniture: no search box, navigation or skip link.
    for chrome in ("Skip to content", "Table of contents", "How to read this site"):
        assert squash(chrome) not in text, chrome
    assert squash(f"report for {label}") in squash(pages[0])


@pytest.mark.slow
def test_print_and_report_pages_pass_axe(reader, example_url):
    for path in ("indicators/", "reports/", "reports/2019-20-q1/", "reports/2019-20-q2/print/"):
        for width in (1280, 320):
            reader.set_viewport_size({"width": width, "height": 900})
            reader.goto(example_url + path)
            assert run_axe(reader) == [], (path, width)
            overflow = reader.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"
            )
            assert not overflow, f"{path} scrolls sideways at {width}px"
