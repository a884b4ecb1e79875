"""Keyboard use: a skip link first on every page; every control reached by Tab, with a visible
focus indicator, never hidden behind something else; Material's menu, search and section
toggles operable; and a walk from the home page to an indicator's CSV using only the keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import harness

pytestmark = pytest.mark.browser

# The stress site has every page type with the most controls (the example's pages, made by the
# same templates, are walked by axe and by the walk from home to a CSV below).
CASES = [
    pytest.param("stress", kind, width, id=f"stress-{kind.name}-{width}")
    for kind in harness.PAGE_TYPES
    for width in harness.WIDTHS
]

# Marks every control a user can see, so the walk can tell which ones Tab reached. Material's
# toggles are labels: one with a focusable button inside (keyboard.js) counts as that button;
# one without is a control the keyboard cannot reach. (The title of the table of contents beside
# the page is a label too, but only does something inside the phone drawer, where it is part of
# the primary navigation.)
MARK_CONTROLS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [tabindex]:not([tabindex="-1"]), [role=button], label.md-header__button[for],'
    + ' .md-nav--primary label.md-nav__link[for],'
    + ' .md-nav--primary label.md-nav__title[for]:not([for="__drawer"])';
  const shown = el => el.checkVisibility({opacityProperty: true, visibilityProperty: true})
    && el.getClientRects().length > 0 && !el.closest('[inert], [aria-hidden="true"]');
  const controls = [...document.querySelectorAll(selector)].filter(shown)
    .filter(el => !(el.tagName === 'LABEL' && el.querySelector('[tabindex="0"]')));
  controls.forEach((el, i) => el.setAttribute('data-pp-control', String(i)));
  return controls.map(el => el.tagName.toLowerCase() + ' "' + (el.getAttribute('aria-label')
    || el.textContent).trim().replace(/\\s+/g, ' ').slice(0, 50) + '"');
}"""

# What a sighted keyboard user sees of the focused element.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const marked = el.closest('[data-pp-control]');
  const style = getComputedStyle(el);
  const rects = [...el.getClientRects()].filter(r => r.width > 0 && r.height > 0);
  const inView = rects.some(r => r.bottom > 0 && r.right > 0
    && r.top < innerHeight && r.left < innerWidth);
  // WCAG 2.4.11: the focused element is not entirely hidden by other content (a sticky header,
  // an overlay): some point of it is on top.
  let onTop = false;
  for (const whole of rects) {
    // The part of it inside the window (a tall table region is larger than the window).
    const left = Math.max(whole.left, 0), top = Math.max(whole.top, 0);
    const r = {left, top, width: Math.min(whole.right, innerWidth) - left,
               height: Math.min(whole.bottom, innerHeight) - top};
    if (r.width <= 0 || r.height <= 0) continue;
    for (const [fx, fy] of [[0.5, 0.5], [0.1, 0.2], [0.9, 0.2], [0.1, 0.8], [0.9, 0.8]]) {
      const x = r.left + r.width * fx, y = r.top + r.height * fy;
      const hit = document.elementFromPoint(x, y);
      if (hit && (hit === el || el.contains(hit))) onTop = true;
    }
  }
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  return {
    control: marked ? marked.getAttribute('data-pp-control') : null,
    name: el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || '') + ' "'
      + (el.getAttribute('aria-label') || el.textContent).trim().replace(/\\s+/g, ' ').slice(0, 50)
      + '"',
    visible: el.checkVisibility({opacityProperty: true, visibilityProperty: true}) && inView,
    indicator: outline || style.boxShadow !== 'none',
    onTop,
  };
}"""


def tab_walk(page: Any, limit: int = 400) -> tuple[list[str], list[dict[str, Any]]]:
    """Press Tab until the focus comes round again; returns the controls and each focus stop."""
    controls: list[str] = page.evaluate(MARK_CONTROLS)
    stops: list[dict[str, Any]] = []
    first = None
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if info is None:
            continue
        if not (info["visible"] and info["onTop"]):
            page.wait_for_timeout(300)  # a transition (search closing, drawer sliding) ends
            info = page.evaluate(FOCUSED)
        if first is not None and info["name"] == first and len(stops) > 1:
            break
        first = first or info["name"]
        stops.append(info)
    return controls, stops


@pytest.mark.parametrize(("site", "kind", "width"), CASES)
def test_skip_link_first_then_every_control_reached_by_tab_and_visibly_focused(
    open_page: Any, site: str, kind: harness.PageType, width: int
) -> None:
    page = open_page(site, kind.path(site), width, chart=kind.chart, reduced_motion="reduce")
    controls, stops = tab_walk(page)
    assert len(controls) >= 5
    where = f"{kind.path(site) or 'home'} at {width} px"
    # The first stop is the skip link (Material's translation of "Skip to content").
    assert stops[0]["name"].startswith('a.md-skip focus-visible "Skip to content"'), where
    problems = []
    for stop in stops:
        if not stop["visible"]:
            problems.append(f"focus on something not visible: {stop['name']}")
        elif not stop["indicator"]:
            problems.append(f"no visible focus indicator: {stop['name']}")
        elif not stop["onTop"]:
            problems.append(f"focused but hidden behind other content: {stop['name']}")
    reached = {stop["control"] for stop in stops}
    for index, control in enumerate(controls):
        if str(index) not in reached:
            problems.append(f"never reached by Tab: {control}")
    assert not problems, f"{where}:\n" + "\n".join(problems)
    # The walk ends back on the skip link: it takes the reader past the menus to the content.
    expect(page.locator(":focus")).to_have_class("md-skip focus-visible")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    after = page.evaluate(
        """() => { const el = document.activeElement;
           return [!!el.closest('.md-content'), !!el.closest('.md-header, .md-sidebar')]; }"""
    )
    assert after == [True, False], f"{where}: Tab after the skip link did not reach the content"


def test_the_tab_walk_reports_a_control_it_cannot_reach(open_page: Any) -> None:
    """The walk can fail: a visible control taken out of the Tab order is reported."""
    page = open_page("stress", "about/", reduced_motion="reduce")
    page.evaluate(
        """() => { const b = document.createElement('button'); b.textContent = 'Unreachable';
           b.tabIndex = -1; document.querySelector('article').prepend(b); }"""
    )
    controls, stops = tab_walk(page)
    reached = {stop["control"] for stop in stops}
    missed = [c for i, c in enumerate(controls) if str(i) not in reached]
    assert missed == ['button "Unreachable"']


def test_section_toggles_in_the_navigation_work_by_keyboard(open_page: Any) -> None:
    # navigation.prune: a page carries its own section's entries only, so the toggle is
    # met on a page of that section, where the section starts open.
    page = open_page("stress", "priorities/", 1280, reduced_motion="reduce")
    toggle = page.locator(".md-nav--primary .md-nav__container .pp-toggle[aria-label='Priorities']")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_have_role("button")
    toggle.focus()
    page.keyboard.press(" ")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Healthy people")


def test_the_phone_menu_opens_closes_and_holds_the_focus_by_keyboard(open_page: Any) -> None:
    page = open_page("stress", "about/", 320, reduced_motion="reduce")
    menu = page.locator(".md-header .pp-toggle").first
    expect(menu).to_have_accessible_name("Navigation")
    # Closed: nothing in the drawer takes the focus.
    assert page.evaluate("document.querySelector('.md-sidebar--primary').inert") is True
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    focused = page.locator(":focus")
    assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")
    expect(focused).to_be_in_viewport()
    page.keyboard.press("Escape")
    expect(menu).to_be_focused()
    expect(menu).to_have_attribute("aria-expanded", "false")
    # Tabbing out of the open drawer closes it.
    page.keyboard.press("Enter")
    for _ in range(30):
        page.keyboard.press("Tab")
        if not page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')"):
            break
    expect(menu).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("document.getElementById('__drawer').checked") is False


def test_the_phone_search_button_opens_the_search_by_keyboard(open_page: Any) -> None:
    page = open_page("stress", "", 320, reduced_motion="reduce")
    search = page.locator(".md-header .pp-toggle[aria-label='Search']")
    search.focus()
    page.keyboard.press("Enter")
    field = page.locator(".md-search__input")
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    page.keyboard.type("delay")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.keyboard.press("Escape")
    expect(search).to_be_focused()
    expect(search).to_have_attribute("aria-expanded", "false")


def tab_to(page: Any, href_end: str, limit: int = 300) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if href.endswith(href_end):
            return
    pytest.fail(f"Tab never reached a link to {href_end} on {page.url}")


@pytest.mark.parametrize("width", harness.WIDTHS)
def test_keyboard_walk_from_home_to_an_indicators_csv(
    open_page: Any, sites: dict[str, Path], width: int
) -> None:
    """Home -> a priority -> an indicator -> its CSV, with Tab and Enter only."""
    page = open_page("example", "", width, accept_downloads=True, reduced_motion="reduce")
    tab_to(page, "priorities/health-and-wellbeing/")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/priorities/health-and-wellbeing/")
    expect(page.locator("h1")).to_contain_text("Improved health and wellbeing")
    tab_to(page, "indicators/dtoc-whole-system/")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/indicators/dtoc-whole-system/")
    tab_to(page, "data/dtoc-whole-system.csv")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename == "dtoc-whole-system.csv"
    expected = (sites["example"] / "data" / "dtoc-whole-system.csv").read_bytes()
    assert Path(download.path()).read_bytes() == expected
    assert expected.removeprefix(b"\xef\xbb\xbf").startswith(b"indicator_id,")
