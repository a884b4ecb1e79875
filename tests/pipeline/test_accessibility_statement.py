"""The accessibility statement stays true: what it says was tested is what the browser suite
(tests/browser/) tests, and what it promises readers can do has a test behind it."""

from __future__ import annotations

import importlib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.browser import harness
from tests.conftest import MINIMAL_CONFIG, build_strict


class _Text(HTMLParser):
    """The text of the page's article, one string."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" or self.depth:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def statement_text(site: Path) -> str:
    parser = _Text()
    parser.feed((site / "accessibility" / "index.html").read_text(encoding="utf-8"))
    return " ".join("".join(parser.parts).split())


@pytest.fixture(scope="module")
def statement(example_built: Path) -> str:
    return statement_text(example_built)


def page_types_named(text: str) -> set[str]:
    match = re.search(r"Every kind of page on this website \(([^)]*)\) is tested", text)
    assert match, "the statement no longer says which pages are tested"
    items = match.group(1).split(", ")
    *rest, last = items
    return {*rest, *last.split(" and ")} - {""}


def test_the_page_types_it_names_are_the_ones_the_suite_checks(statement: str) -> None:
    assert page_types_named(statement) == {kind.label for kind in harness.PAGE_TYPES}


def test_the_widths_and_rules_it_names_are_the_ones_the_suite_uses(statement: str) -> None:
    widths = re.search(r"at (\d+) pixels and (\d+) pixels wide", statement)
    assert widths and {int(w) for w in widths.groups()} == set(harness.WIDTHS)
    assert "axe-core in the Chromium browser" in statement
    assert harness.CHROMIUM.endswith("chromium")
    assert "against WCAG 2.0, 2.1 and 2.2 levels A and AA and accessibility best practice" in (
        statement
    )
    assert harness.AXE_TAGS == [
        "wcag2a",
        "wcag2aa",
        "wcag21a",
        "wcag21aa",
        "wcag22aa",
        "best-practice",
    ]


# What the statement says readers can do, and the browser test that checks it.
CLAIMS = {
    "zoom in up to 400% without the text spilling off the screen": (
        "test_reflow",
        "test_no_page_scrolls_sideways_at_320_px",  # 1280 px at 400% is 320 CSS px
    ),
    "use the website at a width of 320 pixels": (
        "test_reflow",
        "test_no_page_scrolls_sideways_at_320_px",
    ),
    "navigate the whole website using just a keyboard": (
        "test_keyboard",
        "test_skip_link_first_then_every_control_reached_by_tab_and_visibly_focused",
    ),
    "read every chart as text: each one has a written summary and a table of every value": (
        "test_charts",
        "test_every_value_and_target_in_the_chart_is_in_the_table",
    ),
    "Ratings are never shown by colour alone: each has a word and a symbol as well": (
        "test_ratings",
        "test_every_rating_direction_and_milestone_symbol_is_drawn_and_distinct",
    ),
    "Keyboard-only use": ("test_keyboard", "test_keyboard_walk_from_home_to_an_indicators_csv"),
    "text resized to 200%, text spacing": (
        "test_reflow",
        "test_text_at_200_percent_and_wcag_text_spacing_lose_nothing",
    ),
    "forced colours (high contrast mode)": (
        "test_ratings",
        "test_symbols_stay_in_forced_colours_mode_in_the_text_colour",
    ),
    "and printing are tested as well": ("test_print", "test_pages_print_as_clean_documents"),
}


@pytest.mark.parametrize(("claim", "test"), CLAIMS.items(), ids=list(CLAIMS))
def test_each_promise_has_a_browser_test_behind_it(
    statement: str, claim: str, test: tuple[str, str]
) -> None:
    assert claim in statement, "the statement changed: update CLAIMS with the test behind it"
    module = importlib.import_module(f"tests.browser.{test[0]}")
    assert callable(getattr(module, test[1], None)), f"{test} is gone"
    assert module.pytestmark.name == "browser"  # it runs in Chromium, in CI


def test_it_shows_the_dates_and_contact_from_site_config(statement: str) -> None:
    assert "This website was last tested on 2026-12-01." in statement
    assert "This statement was prepared on 2026-11-23." in statement
    assert "performance@somerset.gov.uk" in statement
    assert "This website is fully compliant with the Web Content Accessibility Guidelines" in (
        statement
    )


def test_known_limitations_make_it_partially_compliant(make_site: Any) -> None:
    accessibility = {
        "last_tested": "2026-12-01",
        "statement_prepared": "2026-11-23",
        "known_limitations": ["Old PDF papers are not accessible."],
    }
    site = make_site(config={**MINIMAL_CONFIG, "accessibility": accessibility})
    text = statement_text(build_strict(site.root))
    assert "Old PDF papers are not accessible." in text
    assert "This website is partially compliant" in text
    assert "fully compliant" not in text


def test_the_page_type_parser_reads_the_list() -> None:
    text = "Every kind of page on this website (a, b, c and d) is tested automatically"
    assert page_types_named(text) == {"a", "b", "c", "d"}
