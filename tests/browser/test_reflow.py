"""Reflow and zoom (WCAG 1.4.4, 1.4.10, 1.4.12): at 320 CSS px no page of either site scrolls
sideways except inside a wide data table, which is then a focusable, labelled scroll region (the
tables of ratings become stacked rows instead: tests/browser/test_viewport.py); with text at 200%
or the text-spacing overrides no text is clipped or overlaps other text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import harness

pytestmark = pytest.mark.browser

# Elements sticking out past the right edge of the window, other than inside a table's own scroll
# region (Plotly's drawing included: a cut-off legend is lost text).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.pp-table, [inert], .md-sidebar--primary')) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1) {
      out.push(el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || '')
        + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 10)};
}"""

# Text that cannot be seen whole: an element that clips (overflow hidden or clip) content larger
# than its box, and pieces of text drawn over other text. Material's header title is a deliberate
# ellipsis (the page's h1 and the home page say the same in full); visually hidden text (such as
# the column headers of a table shown as stacked rows, clipped away by clip-path) is meant to be
# clipped.
TEXT_LOSS = """() => {
  const problems = [];
  const clippedAway = [...document.querySelectorAll('body *')]
    .filter(el => getComputedStyle(el).clipPath !== 'none');
  const skip = el => el.closest('svg, .md-ellipsis, .pp-visually-hidden, [inert], .md-search')
    || clippedAway.some(c => c.contains(el))
    || !el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  for (const el of document.querySelectorAll('body *')) {
    if (skip(el) || !el.textContent.trim()) continue;
    const s = getComputedStyle(el);
    const clipsX = ['hidden', 'clip'].includes(s.overflowX);
    const clipsY = ['hidden', 'clip'].includes(s.overflowY);
    if ((clipsX && el.scrollWidth > el.clientWidth + 1)
        || (clipsY && el.scrollHeight > el.clientHeight + 1)) {
      problems.push('clipped: ' + el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || '')
        + ' "' + el.textContent.trim().slice(0, 40) + '"');
    }
  }
  // Every line of every text node, then any two from different nodes that overlap.
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || skip(node.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 1 && r.height > 1) boxes.push({r, node});
    }
  }
  boxes.sort((a, b) => a.r.top - b.r.top);
  for (let i = 0; i < boxes.length && problems.length < 20; i++) {
    const a = boxes[i].r;
    for (let j = i + 1; j < boxes.length && boxes[j].r.top < a.bottom; j++) {
      const b = boxes[j].r;
      if (boxes[j].node === boxes[i].node) continue;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      // Line boxes of neighbouring lines touch; real overlap covers a good part of the glyphs.
      if (w > 2 && h > 0.35 * Math.min(a.height, b.height)) {
        problems.push('overlap: "' + boxes[i].node.textContent.trim().slice(0, 30) + '" and "'
          + boxes[j].node.textContent.trim().slice(0, 30) + '"');
      }
    }
  }
  return problems;
}"""

TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""
# As a reader's own style sheet or bookmarklet applies it: before the page's scripts draw the
# chart, so Plotly lays out its key with the wider text.
WITH_TEXT_SPACING = (
    "document.addEventListener('DOMContentLoaded', () => {"
    " const style = document.createElement('style');"
    f" style.textContent = {json.dumps(TEXT_SPACING)};"
    " document.head.appendChild(style); });"
)

# The browser's text-size setting: everything sized in rem or em (all of Material's type) doubles.
TEXT_200 = """() => {
  const root = document.documentElement;
  const size = parseFloat(getComputedStyle(root).fontSize);
  root.style.setProperty('font-size', (size * 2) + 'px', 'important');
  return size;
}"""


def all_pages(site: Path) -> list[str]:
    paths = []
    for page in sorted(site.rglob("index.html")):
        folder = page.parent.relative_to(site).as_posix()
        paths.append("" if folder == "." else folder + "/")
    return [*paths, "404.html"]


@pytest.mark.parametrize("site", harness.SITES)
def test_no_page_scrolls_sideways_at_320_px(
    browser: Any, servers: dict[str, str], sites: dict[str, Path], site: str
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": harness.HEIGHT})
    page = context.new_page()
    problems = []
    paths = all_pages(sites[site])
    assert len(paths) >= 15
    try:
        for path in paths:
            page.goto(servers[site] + path)
            harness.wait_until_ready(page, page.locator(".pp-chart__plot").count() > 0)
            found = page.evaluate(OVERFLOWING)
            if found["scroll"] > found["width"] or found["out"]:
                problems.append(f"{path or 'home'}: {found}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def force_wide(page: Any) -> None:
    """Make the tables wider than a phone (every table of the two sites fits or becomes stacked
    rows), then tell the page's scripts the layout changed, as a resize does."""
    page.add_style_tag(content="table.pp-data { min-width: 40rem }")
    page.evaluate("window.dispatchEvent(new Event('resize'))")


@pytest.mark.parametrize(
    ("site", "path", "width", "force", "wide"),
    [
        # The tables with ratings become stacked rows on a phone instead of scrolling.
        ("example", "", 320, False, False),
        ("example", "indicators/", 320, False, False),
        ("stress", "indicators/social-contact/", 320, False, False),
        ("example", "", 1280, False, False),  # on a laptop the summary fits
        ("example", "how-to-read/", 1280, False, False),
        ("example", "how-to-read/", 320, True, True),
    ],
)
def test_wide_tables_are_focusable_labelled_scroll_regions(
    open_page: Any, site: str, path: str, width: int, force: bool, wide: bool
) -> None:
    page = open_page(site, path, width)
    if force:
        force_wide(page)
        expect(page.locator(".pp-table").first).to_have_attribute("tabindex", "0")
    regions = page.locator(".pp-table")
    scrolling = 0
    for index in range(regions.count()):
        region = regions.nth(index)
        scrolls = region.evaluate("el => el.scrollWidth > el.clientWidth + 1")
        if not scrolls:
            expect(region).not_to_have_attribute("tabindex", "0")
            continue
        scrolling += 1
        caption = " ".join(region.locator("caption").inner_text().split())
        expect(region).to_have_attribute("tabindex", "0")
        expect(region).to_have_role("region")
        expect(region).to_have_accessible_name(caption)
        # The keyboard scrolls it.
        region.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())
    assert (scrolling > 0) == wide


def test_a_table_region_stops_being_a_tab_stop_when_the_window_widens(open_page: Any) -> None:
    page = open_page("example", "", 320)
    force_wide(page)
    region = page.locator(".pp-table").first
    expect(region).to_have_attribute("tabindex", "0")
    page.set_viewport_size({"width": 1280, "height": harness.HEIGHT})
    expect(region).not_to_have_attribute("tabindex", "0")
    expect(region).not_to_have_attribute("role", "region")


# The stress site has the hardest text of each page type (the longest titles, notes and
# captions); the example's pages are checked at 320 px above and by axe.
CASES = [pytest.param("stress", kind, id=f"stress-{kind.name}") for kind in harness.PAGE_TYPES]


def text_loss(page: Any) -> list[str]:
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(50)
    problems: list[str] = page.evaluate(TEXT_LOSS)
    found = page.evaluate(OVERFLOWING)
    if found["scroll"] > found["width"]:
        problems.append(f"the page scrolls sideways: {found}")
    return problems


@pytest.mark.parametrize(("site", "kind"), CASES)
def test_text_at_200_percent_and_wcag_text_spacing_lose_nothing(
    open_page: Any, site: str, kind: harness.PageType
) -> None:
    problems = []
    page = open_page(site, kind.path(site), 1280, chart=kind.chart)
    assert not text_loss(page), "text is lost even before any change"
    page.evaluate(TEXT_200)
    problems += [f"1280 px, text 200%: {p}" for p in text_loss(page)]
    for width in harness.WIDTHS:
        spaced = open_page(site, kind.path(site), width, kind.chart, WITH_TEXT_SPACING)
        assert spaced.evaluate("getComputedStyle(document.body).letterSpacing") != "normal"
        problems += [f"{width} px, text spacing: {p}" for p in text_loss(spaced)]
    assert not problems, "\n".join(problems)


def test_the_text_checks_find_clipped_and_overlapping_text(open_page: Any) -> None:
    page = open_page("stress", "about/")
    page.evaluate(
        """() => {
          const a = document.createElement('p');
          a.textContent = 'A sentence far too long for its box, cut off at the edge.';
          a.style.cssText = 'width: 60px; height: 1em; overflow: hidden; white-space: nowrap';
          const b = document.createElement('p');
          b.textContent = 'Drawn on top';
          b.style.cssText = 'margin-top: -2.2em';
          document.querySelector('article').append(a, b);
        }"""
    )
    problems = text_loss(page)
    assert any(p.startswith("clipped: p") for p in problems), problems
    assert any(p.startswith("overlap: ") and "A sentence" in p for p in problems), problems
