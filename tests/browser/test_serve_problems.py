"""Under `perfpages serve`, a broken edit shows its problems at the top of every page the browser
has open (file:line: message, as the terminal prints them), readable at 320 px and with no axe
violation; once the file is fixed the banner goes.

serve runs for real, as in tests/commands/test_serve.py, with Debian's Chromium on its pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from generator.site.i18n import t
from tests.browser import harness
from tests.browser.test_reflow import OVERFLOWING
from tests.commands.test_serve import fetch, start_serve, wait_for
from tests.conftest import MINIMAL_MEASURE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The value quotes the user's text, markup included: it must show as text.
BROKEN = MINIMAL_MEASURE.replace("value: 91", 'value: "<b>93%</b>"')
PROBLEM = (
    'indicators/test-measure.yml:10: values[1].value: "<b>93%</b>" is not a number; '
    "write a plain number such as 85.1"
)
TIMEOUT = 60_000  # ms: a regeneration, a rebuild and a reload on a busy machine


@pytest.fixture
def served(make_site: Any) -> Iterator[tuple[str, Path]]:
    """``perfpages serve`` on a one-indicator site: its base URL and the indicator's file."""
    site = make_site()
    process, base = start_serve(site.root, quiet=True, fresh=True)
    try:
        assert wait_for(lambda: fetch(base + "indicators/test-measure/")), "serve did not start"
        yield base, site.root / "indicators" / "test-measure.yml"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_broken_edit_shows_on_every_open_page_until_it_is_fixed(
    browser: Any, served: tuple[str, Path]
) -> None:
    base, measure = served
    pages, errors, outside = [], [], []
    for width, path in ((1280, "indicators/test-measure/"), (320, "")):
        context = browser.new_context(viewport={"width": width, "height": harness.HEIGHT})
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
        page.goto(base + path)
        harness.wait_until_ready(page, chart=False)
        pages.append(page)
    wide = pages[0]
    try:
        banner = [page.locator("#pp-serve-problems") for page in pages]
        for shown in banner:
            expect(shown).to_have_count(0)
        wide.mouse.wheel(0, 2000)  # the reader is further down the page
        wide.wait_for_function("scrollY > 0")

        measure.write_text(BROKEN)
        heading = t("serve.problems_heading")
        for page, shown in zip(pages, banner, strict=True):
            alert = page.get_by_role("alert")
            expect(alert).to_contain_text(PROBLEM, timeout=TIMEOUT)
            expect(alert).to_contain_text("1 error in 1 file")
            expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
            expect(page.get_by_role("region", name=heading)).to_have_count(1)
            # Each problem on its own line, the user's text as text, never markup.
            expect(shown.locator("li")).to_have_text([PROBLEM])
            expect(shown.locator("b")).to_have_count(0)
            reflow = page.evaluate(OVERFLOWING)  # long lines wrap: no sideways scrolling
            assert reflow["scroll"] <= reflow["width"] and not reflow["out"], reflow
            expect(shown).to_be_in_viewport()
            violations = harness.run_axe(page)
            assert not violations, harness.describe_violations(violations)
        expect(wide.locator("article")).to_contain_text("91%")  # the last good page

        measure.write_text(MINIMAL_MEASURE)
        for page, shown in zip(pages, banner, strict=True):
            expect(shown).to_have_count(0, timeout=TIMEOUT)
            page.wait_for_load_state("load")
            page.wait_for_timeout(500)  # the reloaded page has read the problems file: none
            expect(shown).to_have_count(0)
            expect(page.locator("h1")).to_be_visible()
    finally:
        for page in pages:
            page.context.close()
    assert not errors, errors
    assert not outside, f"requests to other hosts: {outside}"
