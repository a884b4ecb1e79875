"""Phone first (issue 13): at 320 px every rating and direction is in view without scrolling
sideways, and at 320 and 1280 px no text is cut off, on every page type of both test sites.

Tables that carry ratings become stacked rows where they would not fit their column (the
"Narrow screens" section of perfpages.css); they stay tables for screen readers."""

from __future__ import annotations

from typing import Any

import pytest

from generator.site.i18n import t
from tests.browser import harness
from tests.browser.test_reflow import TEXT_LOSS

pytestmark = pytest.mark.browser

# Every rating and direction on the page: the badges (a rating, a direction or a project's
# progress), the table cells holding one, and the cells of a column whose header is one (the
# counts of the summary by priority) or names them (the list of reports). Each must lie inside the window and inside every box
# around it that clips or scrolls, as the page first shows it: nothing to scroll sideways to.
# Visually hidden headers (the stacked tables' column headers) and the closed navigation drawer
# are not shown, so not checked.
RATINGS_OUT_OF_VIEW = """headings => {
  const hidden = el => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      if (a.matches('[inert], .md-sidebar--primary, .pp-visually-hidden')) return true;
      if (getComputedStyle(a).clipPath !== 'none') return true;
    }
    return !el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  };
  const targets = new Set(document.querySelectorAll('.pp-rating, .pp-dir'));
  for (const badge of [...targets]) {
    const cell = badge.closest('td, th');
    if (cell) targets.add(cell);
  }
  for (const table of document.querySelectorAll('table')) {
    const head = table.tHead && table.tHead.rows[0];
    if (!head) continue;
    const columns = [...head.cells]
      .filter(c => c.querySelector('.pp-rating, .pp-dir') || headings.includes(c.textContent.trim()))
      .map(c => c.cellIndex);
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        for (const i of columns) if (row.cells[i]) targets.add(row.cells[i]);
      }
    }
  }
  const out = [];
  let checked = 0;
  for (const el of targets) {
    if (hidden(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 1) continue;
    checked += 1;
    let left = 0, right = document.documentElement.clientWidth;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === 'visible') continue;
      const box = a.getBoundingClientRect();
      left = Math.max(left, box.left + a.clientLeft);
      right = Math.min(right, box.left + a.clientLeft + a.clientWidth);
    }
    if (r.left < left - 1 || r.right > right + 1) {
      out.push(el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 30) + '" at '
        + Math.round(r.left) + '..' + Math.round(r.right) + ', in view '
        + Math.round(left) + '..' + Math.round(right));
    }
  }
  return {checked, out: out.slice(0, 12)};
}"""

# Text cut off by a box that scrolls sideways (a table region wider than its column): the reader
# sees a word cut at the edge. Material's own scrolling parts (the navigation, search) excepted.
SCROLLS_SIDEWAYS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('[inert], .md-sidebar, .md-search, svg')) continue;
    if (!el.checkVisibility({visibilityProperty: true}) || !el.textContent.trim()) continue;
    if (!['auto', 'scroll'].includes(getComputedStyle(el).overflowX)) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      out.push('scrolls sideways: ' + el.tagName.toLowerCase() + '.'
        + (el.getAttribute('class') || '') + ' ' + el.scrollWidth + ' px in ' + el.clientWidth);
    }
  }
  return out;
}"""


# Column headers of ratings and directions written as counts in words.
HEADINGS = [t("reports.on_target"), t("reports.improving")]


def ratings_out_of_view(page: Any) -> tuple[int, list[str]]:
    """How many ratings and directions are shown, and those the reader must scroll sideways to
    see."""
    page.evaluate("window.scrollTo(0, 0)")
    found = page.evaluate(RATINGS_OUT_OF_VIEW, HEADINGS)
    return found["checked"], found["out"]


def text_cut_off(page: Any) -> list[str]:
    page.evaluate("window.scrollTo(0, 0)")
    problems: list[str] = page.evaluate(TEXT_LOSS) + page.evaluate(SCROLLS_SIDEWAYS)
    if page.evaluate("document.documentElement.scrollWidth > innerWidth"):
        problems.append("the page scrolls sideways")
    return problems


# Pages that show no rating or direction at all.
WITHOUT_RATINGS = {"content", "accessibility", "not-found"}

# Besides each page type, the stress site's measure with many benchmarks (its key facts, chart
# key and the printable report list them all).
BENCHMARKS = harness.PageType(
    "measure-benchmarks", "", "", "indicators/hospital-delays/", chart=True
)
CASES = [
    pytest.param(site, kind, width, id=f"{site}-{kind.name}-{width}")
    for site in harness.SITES
    for kind in harness.PAGE_TYPES
    for width in harness.WIDTHS
] + [
    pytest.param("stress", BENCHMARKS, width, id=f"stress-benchmarks-{width}")
    for width in harness.WIDTHS
]


@pytest.mark.parametrize(("site", "kind", "width"), CASES)
def test_every_rating_is_in_view_and_no_text_is_cut_off(
    open_page: Any, site: str, kind: harness.PageType, width: int
) -> None:
    page = open_page(site, kind.path(site), width, chart=kind.chart)
    checked, out = ratings_out_of_view(page)
    assert not out, f"ratings or directions out of view at {width} px:\n" + "\n".join(out)
    assert (checked > 0) == (kind.name not in WITHOUT_RATINGS), checked
    problems = text_cut_off(page)
    assert not problems, f"text cut off at {width} px:\n" + "\n".join(problems)


# Between a phone and a laptop: each table is a table where it fits and stacked rows where not.
@pytest.mark.parametrize("width", [480, 768, 1024])
@pytest.mark.parametrize(
    "path", ["", "indicators/", "indicators/social-contact/", "reports/2019-20-q1/"]
)
def test_ratings_are_in_view_at_widths_between(open_page: Any, path: str, width: int) -> None:
    page = open_page("stress", path, width)
    checked, out = ratings_out_of_view(page)
    assert checked and not out, "\n".join(out)


def test_the_checks_find_a_rating_out_of_view_and_text_cut_off(open_page: Any) -> None:
    page = open_page("example", "reports/2019-20-q2/", 320)
    assert ratings_out_of_view(page)[1] == []
    page.add_style_tag(content="table.pp-data { min-width: 2000px }")
    checked, out = ratings_out_of_view(page)
    assert checked and out, "a table far wider than the screen went unnoticed"
    assert any("Green" in line or "Improving" in line for line in out), out
    assert any(p.startswith("scrolls sideways: div.pp-table") for p in text_cut_off(page))

    page = open_page("example", "", 1280)
    assert text_cut_off(page) == []
    page.add_style_tag(
        content=".pp-headline__text { display: block; width: 3em; overflow: hidden;"
        " white-space: nowrap }"
    )
    assert any(p.startswith("clipped: span.pp-headline__text") for p in text_cut_off(page))


@pytest.mark.parametrize("site", harness.SITES)
def test_stacked_tables_are_still_tables_to_screen_readers(open_page: Any, site: str) -> None:
    """At 320 px the rows are blocks, but the accessibility tree still has the table, its column
    and row headers and its cells, and a cell's label is not read as part of its content."""
    page = open_page(site, "indicators/", 320)
    table = page.locator("table.pp-data").first
    assert table.evaluate("t => getComputedStyle(t.tBodies[0].rows[0]).display") == "grid"
    label = table.evaluate(
        "t => getComputedStyle(t.tBodies[0].rows[0].cells[1], '::before').content"
    )
    assert "Priority" in label, label
    snapshot = table.aria_snapshot()
    assert snapshot.startswith("- table "), snapshot[:200]
    for role in ("columnheader", "rowheader", "cell"):
        assert f"- {role} " in snapshot, (role, snapshot[:600])
    assert snapshot.count("- columnheader ") == 8
    # The labels drawn before the cells have an empty alternative text: a cell is read as its
    # content, after its column header, not as "Priority Healthy people".
    priority = table.evaluate("t => t.tBodies[0].rows[0].cells[1].textContent.trim()")
    assert f'- cell "{priority}"' in snapshot, snapshot[:800]
    assert '- cell "Priority' not in snapshot


# Each stacked cell's label, as Chromium draws it, and the text of its column's header.
STACKED_LABELS = """() => {
  const out = [];
  for (const table of document.querySelectorAll('table.pp-data')) {
    const head = table.tHead && table.tHead.rows[0];
    if (!head) continue;
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        if (getComputedStyle(row).display !== 'grid') continue;
        for (const cell of row.cells) {
          if (cell.tagName !== 'TD' || !head.cells[cell.cellIndex]) continue;
          out.push([getComputedStyle(cell, '::before').content,
                    head.cells[cell.cellIndex].textContent.trim().replace(/\\s+/g, ' ')]);
        }
      }
    }
  }
  return out;
}"""


@pytest.mark.parametrize(
    ("site", "path"),
    [
        ("example", ""),
        ("example", "indicators/"),
        ("example", "reports/"),
        ("example", "reports/2019-20-q1/"),
        ("example", "how-to-read/"),
        ("stress", "indicators/social-contact/"),
        ("stress", "priorities/"),
    ],
)
def test_every_stacked_cell_is_labelled_with_its_column(open_page: Any, site: str, path: str):
    """The column names are written once per table (generator/render/labels.py) and drawn by
    the stylesheet before each cell of a stacked row: each must be its column header's text."""
    cells = open_page(site, path, 320).evaluate(STACKED_LABELS)
    assert cells, "no stacked table on the page"
    for content, header in cells:
        # Chromium gives the content with its alternative text: "\"Target\" / \"\""
        assert content.endswith(' / ""'), content
        label = content.removesuffix(' / ""').strip('"').replace('\\"', '"')
        assert label and label in header, (label, header)
