"""A site in two languages in a real browser (issue 18): axe-core finds no violation on any
page type in English or in Welsh, at 1280 and 320 px; the link to the other language is in view
at 320 px, works by keyboard, and keeps the reader on the same page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import harness

pytestmark = pytest.mark.browser

# One page of each type of the bilingual fixture (tests/fixtures/bilingual).
PAGES = (
    "",
    "priorities/",
    "priorities/recycling/",
    "indicators/",
    "indicators/recycling-rate/",
    "indicators/total-collected/",
    "reports/",
    "how-to-read/",
    "accessibility/",
    "about/",
    "help/",
)


@pytest.mark.parametrize("width", harness.WIDTHS)
@pytest.mark.parametrize("folder", ["", "cy/"])
@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations_in_either_language(
    open_page: Any, path: str, folder: str, width: int
) -> None:
    page = open_page("bilingual", folder + path, width)
    assert page.locator("main").count() == 1
    expect(page.locator("html")).to_have_attribute("lang", "cy" if folder else "en")
    violations = harness.run_axe(page)
    assert not violations, (
        f"axe found {len(violations)} violation(s) on /{folder}{path} at {width} px:\n"
        f"{harness.describe_violations(violations)}"
    )


@pytest.mark.parametrize(
    ("start", "name", "lands"),
    [
        ("indicators/recycling-rate/", "Cymraeg", "cy/indicators/recycling-rate/"),
        ("cy/indicators/recycling-rate/", "English", "indicators/recycling-rate/"),
    ],
)
def test_the_other_language_is_one_key_press_away_on_a_phone(
    open_page: Any, servers: dict[str, str], start: str, name: str, lands: str
) -> None:
    page = open_page("bilingual", start, 320)
    switch = page.locator(".pp-language")
    expect(switch).to_have_count(1)
    expect(switch).to_have_accessible_name(name)
    expect(switch).to_be_in_viewport()
    box = switch.bounding_box()
    assert box is not None and box["width"] >= 24 and box["height"] >= 24  # WCAG 2.5.8
    switch.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(servers["bilingual"] + lands)
    expect(page.locator("html")).to_have_attribute("lang", "en" if name == "English" else "cy")
