"""Charts as drawn by Plotly in Chromium: named and described for assistive technology, hidden
from it otherwise, nothing focusable inside, a keyboard-operable download, the colours and dash
patterns of generator/render/charts.py, no gesture captured, nothing that needs hover."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from generator.render import charts
from generator.site.i18n import t
from tests.browser import harness

pytestmark = pytest.mark.browser

MEASURE = next(kind for kind in harness.PAGE_TYPES if kind.name == "measure")
PLOT = ".pp-chart__plot"


def open_chart(open_page: Any, site: str, width: int = 1280, **options: Any) -> Any:
    return open_page(site, MEASURE.path(site), width, chart=True, **options)


def indicator_id(site: str) -> str:
    return MEASURE.path(site).rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.parametrize("site", harness.SITES)
def test_the_chart_is_one_image_named_by_its_caption_and_described_by_its_summary(
    open_page: Any, site: str
) -> None:
    page = open_chart(open_page, site)
    plot = page.locator(PLOT)
    caption = " ".join(page.locator(".pp-chart figcaption").inner_text().split())
    summary = " ".join(page.locator(".pp-chart__summary").inner_text().split())
    assert caption.startswith("Chart of ") and len(summary) > 40
    expect(plot).to_have_role("img")
    expect(plot).to_have_accessible_name(caption)
    expect(plot).to_have_accessible_description(summary)
    # Assistive technology gets the image and nothing of Plotly's drawing inside it.
    lines = plot.aria_snapshot().strip().splitlines()
    assert len(lines) == 1 and "img" in lines[0] and caption in lines[0], lines


@pytest.mark.parametrize("site", harness.SITES)
def test_plotly_svg_is_hidden_and_nothing_inside_the_chart_takes_focus(
    open_page: Any, site: str
) -> None:
    page = open_chart(open_page, site)
    found = page.evaluate(
        """sel => {
          const plot = document.querySelector(sel);
          const svgs = [...plot.querySelectorAll('svg')];
          const focusable = [...plot.querySelectorAll('*')].filter(el => el.tabIndex >= 0);
          const modebar = plot.querySelector('.modebar');
          return {
            svgs: svgs.length,
            exposed: svgs.filter(s => !s.closest('[aria-hidden="true"]')).length,
            focusable: focusable.map(el => el.tagName + '.' + el.getAttribute('class')),
            modebar: !!modebar && modebar.checkVisibility(),
          };
        }""",
        PLOT,
    )
    assert found["svgs"] >= 1
    assert found["exposed"] == 0
    assert found["focusable"] == []
    assert found["modebar"] is False


@pytest.mark.parametrize("site", harness.SITES)
def test_the_download_button_works_by_keyboard_and_its_label_comes_from_the_locale(
    open_page: Any, site: str
) -> None:
    page = open_chart(open_page, site, accept_downloads=True)
    button = page.locator(".pp-chart__download")
    expect(button).to_have_count(1)
    expect(button).to_have_role("button")
    expect(button).to_have_accessible_name(t("indicator.chart_download"))
    # Reach it with Tab, as a keyboard user does.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('pp-chart__download')"):
            break
    else:
        pytest.fail("Tab never reached the chart's download button")
    for key in ("Enter", " "):
        with page.expect_download() as info:
            page.keyboard.press(key)
        download = info.value
        assert download.suggested_filename == f"{indicator_id(site)}.png"
        with open(download.path(), "rb") as image:
            assert image.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("site", harness.SITES)
def test_lines_have_the_colours_and_dash_patterns_of_the_chart_module(
    open_page: Any, site: str
) -> None:
    page = open_chart(open_page, site)
    lines = page.evaluate(
        """sel => [...document.querySelectorAll(sel + ' .scatterlayer .trace')].map(trace => {
          const line = trace.querySelector('path.js-line');
          const style = line ? getComputedStyle(line) : null;
          return style ? [style.stroke, style.strokeDasharray] : null;
        })""",
        PLOT,
    )
    names = page.evaluate(f"document.querySelector('{PLOT}').data.map(d => d.name)")
    assert len(lines) == len(names) >= 3, (names, lines)

    def rgb(colour: str) -> str:
        h = colour.lstrip("#")
        return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))

    value, target, *benchmarks = lines
    assert value == [rgb(charts.VALUE_COLOUR), "none"]
    assert target[0] == rgb(charts.TARGET_COLOUR) and target[1] != "none"
    assert benchmarks, "the chosen measure page must have comparison lines"
    patterns = [target[1]] + [b[1] for b in benchmarks]
    for colour, pattern in benchmarks:
        assert colour == rgb(charts.BENCHMARK_COLOUR) and pattern != "none"
    assert len(set(patterns)) == len(patterns), patterns


@pytest.mark.parametrize("site", harness.SITES)
def test_every_value_and_target_in_the_chart_is_in_the_table(open_page: Any, site: str) -> None:
    """Nothing needs hover: each point's period, value (or missing reason) and target can be read
    in the table of every value."""
    page = open_chart(open_page, site)
    traces = page.evaluate(
        f"document.querySelector('{PLOT}').data.map(d => ({{x: d.x, text: d.text || []}}))"
    )
    rows = page.evaluate(
        """() => Object.fromEntries([...document.getElementById('values-table')
            .closest('table').querySelectorAll('tbody tr')]
            .map(tr => [tr.querySelector('th').innerText.trim(),
                        [...tr.querySelectorAll('td')].map(td => td.innerText.trim())]))"""
    )
    values, targets = traces[0], traces[1]
    assert len(values["x"]) >= 4
    for period, text in zip(values["x"], values["text"], strict=True):
        assert period in rows, f"{period} is in the chart but not in the table"
        assert text and rows[period][0].startswith(text), (period, text, rows[period])
    for period, text in zip(targets["x"], targets["text"], strict=True):
        if text:
            assert rows[period][1].startswith(text), (period, text, rows[period])


def swipe_up_over_plot_area(page: Any) -> int:
    """Drag a finger 200 px up over the middle of the plot area; returns how far the page
    scrolled."""
    page.locator(PLOT).scroll_into_view_if_needed()
    box = page.locator(f"{PLOT} .nsewdrag").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    before = page.evaluate("window.scrollY")
    session = page.context.new_cdp_session(page)
    session.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}
    )
    for step in range(1, 11):
        session.send(
            "Input.dispatchTouchEvent",
            {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 20 * step}]},
        )
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(300)
    scrolled: int = page.evaluate("window.scrollY") - before
    return scrolled


@pytest.mark.parametrize("site", harness.SITES)
def test_no_zoom_or_pan_and_a_swipe_over_the_chart_scrolls_the_page(
    open_page: Any, site: str
) -> None:
    page = open_chart(open_page, site, 320, has_touch=True, is_mobile=True)
    layout = page.evaluate(
        f"""(() => {{ const l = document.querySelector('{PLOT}')._fullLayout;
            return [l.dragmode, l.xaxis.fixedrange, l.yaxis.fixedrange]; }})()"""
    )
    assert layout == [False, True, True]
    assert swipe_up_over_plot_area(page) >= 100, "the chart captured the swipe"
    # The control: with Plotly's default zoom, the same swipe is captured by the chart.
    page.evaluate(
        f"""Plotly.relayout(document.querySelector('{PLOT}'),
            {{dragmode: 'zoom', 'xaxis.fixedrange': false, 'yaxis.fixedrange': false}})"""
    )
    page.evaluate("window.scrollTo(0, 0)")
    assert swipe_up_over_plot_area(page) < 20


def test_charts_and_page_respect_reduced_motion(open_page: Any) -> None:
    page = open_chart(open_page, "stress", reduced_motion="reduce")
    assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    duration = page.evaluate(f"document.querySelector('{PLOT}')._fullLayout.transition.duration")
    assert duration == 0
    # Material's animations (header buttons fade, the drawer slides) are cut to nothing.
    style = "getComputedStyle(document.querySelector('.md-header__button')).transitionDuration"
    reduced = page.evaluate(style)
    normal = open_chart(open_page, "stress").evaluate(style)
    assert all(float(d.rstrip("s")) <= 0.001 for d in reduced.split(", ")), reduced
    assert any(float(d.rstrip("s")) >= 0.1 for d in normal.split(", ")), normal


def test_a_value_shown_on_hover_is_dismissed_with_escape(open_page: Any) -> None:
    page = open_chart(open_page, "stress")
    point = page.locator(f"{PLOT} .scatterlayer .trace").first.locator("path.point").nth(10)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    label = page.locator(f"{PLOT} .hoverlayer .hovertext")
    expect(label).to_have_count(1)
    page.keyboard.press("Escape")
    expect(label).to_have_count(0)
