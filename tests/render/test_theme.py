"""Colour contrast of the theme and the charts, computed from the colours the code actually uses:
the custom properties in theme/assets/stylesheets/perfpages.css and the constants in
generator/render/charts.py (WCAG 2.2: 4.5:1 for text, 3:1 for graphics and focus indicators)."""

from __future__ import annotations

import re

import pytest

from generator.render import charts
from tests.conftest import REPO

CSS = REPO / "theme" / "assets" / "stylesheets" / "perfpages.css"
PAGE_BACKGROUND = "#ffffff"  # Material's default scheme; --md-default-bg-color
TEXT, GRAPHIC = 4.5, 3.0


def luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    value = colour.lstrip("#")
    assert re.fullmatch(r"[0-9a-fA-F]{6}", value), colour

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(value[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def css_colours() -> dict[str, str]:
    """Every custom property set to a #rrggbb colour in perfpages.css."""
    text = CSS.read_text(encoding="utf-8")
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", text))


@pytest.fixture(scope="module")
def css() -> dict[str, str]:
    return css_colours()


def test_the_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


RATING_COLOURS = [
    "--pp-exceeding",
    "--pp-green",
    "--pp-amber",
    "--pp-red",
    "--pp-blue",
    "--pp-grey",
]


def test_the_css_defines_the_colours_checked_here(css: dict[str, str]) -> None:
    for name in RATING_COLOURS:
        assert name in css
    assert "--md-footer-fg-color--lighter" in css and "--md-footer-bg-color" in css


@pytest.mark.parametrize("name", RATING_COLOURS)
@pytest.mark.parametrize("background", [PAGE_BACKGROUND, "--pp-stripe"])
def test_rating_symbols_stand_out_from_every_background_they_sit_on(
    css: dict[str, str], name: str, background: str
) -> None:
    """Rating and arrow symbols are graphics that carry meaning: 3:1 on the page and on the
    striped table rows and position box (--pp-stripe)."""
    behind = css.get(background, background)
    assert contrast(css[name], behind) >= GRAPHIC, (name, background)


@pytest.mark.parametrize(
    ("foreground", "background"),
    [
        ("--md-typeset-a-color", PAGE_BACKGROUND),
        ("--md-typeset-a-color", "--pp-stripe"),
        ("--md-default-fg-color--light", PAGE_BACKGROUND),
        ("--md-default-fg-color--light", "--pp-stripe"),
        ("--md-default-fg-color--lighter", PAGE_BACKGROUND),
        ("--md-default-fg-color--lighter", "--pp-stripe"),
        ("--md-primary-bg-color", "--md-primary-fg-color"),  # header text on the header
        ("--md-footer-fg-color", "--md-footer-bg-color"),
        ("--md-footer-fg-color--light", "--md-footer-bg-color"),
        ("--md-footer-fg-color--lighter", "--md-footer-bg-color"),
        ("--md-footer-fg-color--light", "--md-footer-bg-color--dark"),
        ("--md-footer-fg-color--lighter", "--md-footer-bg-color--dark"),
    ],
)
def test_text_colours_have_4_5_to_1(css: dict[str, str], foreground: str, background: str) -> None:
    ratio = contrast(css[foreground], css.get(background, background))
    assert ratio >= TEXT, f"{foreground} on {background}: {ratio:.2f}:1"


@pytest.mark.parametrize("name", RATING_COLOURS)
def test_the_white_marks_of_the_glance_patterns_show_on_their_colour(
    css: dict[str, str], name: str
) -> None:
    """Each pattern of the ratings at a glance is white marks on the rating's colour: the marks
    are the graphic that tells Exceeding from Green without colour, so 3:1 between them."""
    assert contrast("#ffffff", css[name]) >= GRAPHIC, name


def test_the_focus_ring_shows_on_light_and_dark_backgrounds(css: dict[str, str]) -> None:
    """A dark outline inside a light halo: one of the two has 3:1 against any background."""
    text = CSS.read_text(encoding="utf-8")
    outline = re.search(r"outline:\s*3px solid (#[0-9a-fA-F]{6})", text)
    assert outline, "the focus outline colour is no longer found in perfpages.css"
    halo = css["--pp-focus"]
    for background in (PAGE_BACKGROUND, css["--pp-stripe"], css["--md-primary-fg-color"]):
        best = max(contrast(outline.group(1), background), contrast(halo, background))
        assert best >= GRAPHIC, background
    assert contrast(outline.group(1), halo) >= GRAPHIC


# ---- Charts ------------------------------------------------------------------------------------


def test_chart_background_is_the_page_background() -> None:
    assert charts.BACKGROUND.lower() == PAGE_BACKGROUND


def test_chart_text_has_4_5_to_1() -> None:
    assert contrast(charts.TEXT, charts.BACKGROUND) >= TEXT


@pytest.mark.parametrize("colour", ["VALUE_COLOUR", "TARGET_COLOUR", "BENCHMARK_COLOUR"])
def test_chart_lines_have_3_to_1_against_the_background(colour: str) -> None:
    assert contrast(getattr(charts, colour), charts.BACKGROUND) >= GRAPHIC


@pytest.mark.parametrize("colour", ["TARGET_COLOUR", "BENCHMARK_COLOUR"])
def test_the_value_line_has_3_to_1_against_each_reference_line(colour: str) -> None:
    assert contrast(charts.VALUE_COLOUR, getattr(charts, colour)) >= GRAPHIC


def test_target_and_benchmark_lines_differ_by_dash_pattern() -> None:
    """No third colour can have 3:1 against white and against two other colours that have it
    too, so the reference lines are told apart by their dash patterns (and by the key, and the
    table), as WCAG 1.4.11 allows; each comparison line gets its own pattern."""
    assert charts.TARGET_DASH not in charts.BENCHMARK_DASHES
    assert len(set(charts.BENCHMARK_DASHES)) == len(charts.BENCHMARK_DASHES)
    assert "solid" not in (charts.TARGET_DASH, *charts.BENCHMARK_DASHES)
