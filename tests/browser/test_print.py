"""Printing: every page type prints as a clean document for a committee pack, with no navigation,
search, header, footer or buttons; charts print with their tables; tables fit the paper; links
show their addresses. Checked in the print layout and in the PDF Chromium prints."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from tests.browser import harness

pytestmark = pytest.mark.browser

A4_WIDTH = 718  # CSS px inside Chromium's default A4 margins

CHROME = [
    ".md-header",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-footer",
    ".md-search",
    ".md-top",
    ".md-skip",
    ".pp-breadcrumb",
    ".pp-chart__download",
]

PRINT_LAYOUT = """chrome => {
  const shown = el => el.checkVisibility({visibilityProperty: true}) && el.getClientRects().length;
  const printedChrome = chrome.filter(sel => [...document.querySelectorAll(sel)].some(shown));
  const tables = [...document.querySelectorAll('.pp-table')].map(region => ({
    caption: region.querySelector('caption').textContent.trim().slice(0, 40),
    fits: region.querySelector('table').getBoundingClientRect().right
      <= document.documentElement.clientWidth + 1,
  }));
  const addresses = [...document.querySelectorAll('.md-content a[href]')]
    .filter(a => !a.closest('table, nav') && shown(a))
    .map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content]);
  return {
    printedChrome,
    h1: document.querySelector('h1').textContent.trim(),
    tables,
    addresses,
    chart: !!document.querySelector('.pp-chart .main-svg') && shown(document.querySelector('.pp-chart')),
    scroll: document.documentElement.scrollWidth,
  };
}"""

# The stress site's pages have the widest tables and the longest text of each type.
CASES = [pytest.param("stress", kind, id=f"stress-{kind.name}") for kind in harness.PAGE_TYPES]


@pytest.mark.parametrize(("site", "kind"), CASES)
def test_pages_print_as_clean_documents(open_page: Any, site: str, kind: harness.PageType) -> None:
    page = open_page(site, kind.path(site), 1280, chart=kind.chart)
    screen = page.evaluate(PRINT_LAYOUT, CHROME)
    assert screen["printedChrome"], "on screen the page has its navigation and header"
    page.set_viewport_size({"width": A4_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    layout = page.evaluate(PRINT_LAYOUT, CHROME)
    where = kind.path(site) or "home"
    assert layout["printedChrome"] == [], f"{where}: printed {layout['printedChrome']}"
    assert layout["scroll"] <= A4_WIDTH, f"{where}: wider than the paper"
    cut = [t["caption"] for t in layout["tables"] if not t["fits"]]
    assert not cut, f"{where}: tables cut off at the paper's edge: {cut}"
    for href, after in layout["addresses"]:
        assert after not in ("none", "normal", ""), f"{where}: no address printed for {href}"
        if href.startswith(("http", "mailto:")):
            assert href in after
    if kind.chart:
        assert layout["chart"], "the chart is not printed"
        assert any(t["caption"].startswith("Values of") for t in layout["tables"])

    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert len(pdf.pages) >= 1
    assert layout["h1"][:30] in text
    # None of the screen furniture is on paper.
    for words in ("Skip to content", "Back to top", "Download the chart as an image"):
        assert words not in text, f"{where}: {words!r} printed"
    footer = page.evaluate("document.querySelector('.md-copyright').textContent")
    assert " ".join(footer.split()) not in text, f"{where}: the footer is printed"


def test_a_chart_prints_with_its_table_and_external_links_with_their_address(
    open_page: Any,
) -> None:
    page = open_page("stress", "indicators/social-contact/", chart=True)
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Values of Percentage of adult social care users" in text  # the table's caption
    assert "Sep 2019 85.8%" in text and "Jun 2016 78.0%" in text  # first and last rows
    # Long addresses may break across lines on paper.
    compact = text.replace(" ", "")
    assert "(https://www.example.org/community-connectors)" in compact
    assert "/data/social-contact.csv)" in compact  # a link within the site, with its address
