"""The all-indicators page in a browser: filters and sorting with JavaScript, announced to
screen readers; the plain table without it."""

from __future__ import annotations

import pytest

from tests.browser.keyboard import tab_to
from tests.browser.reader_support import run_axe

pytestmark = pytest.mark.browser

ROWS = "#all-table >> xpath=.. >> tbody tr"


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "table.pp-data tbody tr:not([hidden]) th a",
        "links => links.map(a => a.getAttribute('href').replace(/\\/$/, ''))",
    )


def rows_where(page, attribute: str, value: str) -> list[str]:
    """What the filter should show, read from the rows' own (generated) attributes."""
    return page.eval_on_selector_all(
        "table.pp-data tbody tr",
        "(rows, [name, value]) => rows.filter(r => r.getAttribute('data-' + name) === value)"
        ".map(r => r.querySelector('th a').getAttribute('href').replace(/\\/$/, ''))",
        [attribute, value],
    )


def test_filters_narrow_the_list_and_announce_the_count(reader, example_url):
    page = reader
    page.goto(example_url + "indicators/")
    assert page.is_visible("#pp-filter"), "the script shows the form"
    status = page.locator("#pp-filter-count")
    assert status.get_attribute("role") == "status"
    assert status.inner_text() == "Showing 38 of 38 indicators."
    red = rows_where(page, "rating", "red")
    page.select_option("#pp-filter-rating", "red")
    assert sorted(visible_ids(page)) == sorted(red) and red
    assert status.inner_text() == f"Showing {len(red)} of 38 indicators."
    assert "rating=red" in page.url, "the filter is kept in the address, to share"

    page.select_option("#pp-filter-rating", "")
    page.select_option("#pp-filter-priority", "health-and-wellbeing")
    health = rows_where(page, "priority", "health-and-wellbeing")
    page.select_option("#pp-filter-direction", "declining")
    both = sorted(set(health) & set(rows_where(page, "direction", "declining")))
    assert sorted(visible_ids(page)) == both and both
    assert status.inner_text() == f"Showing {len(both)} of 38 indicators."

    page.click("#pp-filter button[type=reset]")
    page.wait_for_function(
        "document.querySelectorAll('table.pp-data tbody tr[hidden]').length === 0"
    )
    assert status.inner_text() == "Showing 38 of 38 indicators."
    assert run_axe(page) == []


def test_a_shared_address_opens_the_filtered_list(reader, example_url):
    reader.goto(example_url + "indicators/?tag=ASCOF&rating=nonsense")
    assert reader.eval_on_selector("#pp-filter-tag", "s => s.value") == "ASCOF"
    assert reader.eval_on_selector("#pp-filter-rating", "s => s.value") == "", "unknown: ignored"
    tagged = reader.eval_on_selector_all(
        "table.pp-data tbody tr",
        "rows => rows.filter(r => JSON.parse(r.dataset.tag).includes('ASCOF'))"
        ".map(r => r.querySelector('th a').getAttribute('href').replace(/\\/$/, ''))",
    )
    assert 0 < len(tagged) < 38
    assert sorted(visible_ids(reader)) == sorted(tagged)


def test_sorting_by_column_buttons_with_aria_sort(reader, example_url):
    page = reader
    page.goto(example_url + "indicators/")
    header = page.locator("table.pp-data thead th").nth(4)  # Latest period
    button = header.locator("button")
    assert button.inner_text().startswith("Latest period")
    button.click()
    assert header.get_attribute("aria-sort") == "ascending"
    keys = page.eval_on_selector_all(
        "table.pp-data tbody tr td:nth-of-type(4)", "cells => cells.map(c => c.dataset.sort)"
    )
    filled = [k for k in keys if k]
    assert filled == sorted(filled) and keys[: len(filled)] == filled, "empty cells go last"
    assert page.locator("#pp-filter-count").inner_text() == (
        "Showing 38 of 38 indicators, sorted by Latest period, ascending."
    )
    button.click()
    assert header.get_attribute("aria-sort") == "descending"
    keys = page.eval_on_selector_all(
        "table.pp-data tbody tr td:nth-of-type(4)", "cells => cells.map(c => c.dataset.sort)"
    )
    filled = [k for k in keys if k]
    assert filled == sorted(filled, reverse=True)
    # Only one column is sorted at a time.
    rating = page.locator("table.pp-data thead th").nth(6)
    rating.locator("button").click()
    assert rating.get_attribute("aria-sort") == "ascending"
    assert header.get_attribute("aria-sort") is None
    order = page.eval_on_selector_all(
        "table.pp-data tbody tr td:nth-of-type(6)", "cells => cells.map(c => c.dataset.sort)"
    )
    filled = [int(k) for k in order if k]
    assert filled == sorted(filled)
    assert run_axe(page) == []


def test_filters_and_sorting_work_from_the_keyboard(reader, example_url):
    page = reader
    page.goto(example_url + "indicators/")
    tab_to(page, lambda i: i["id"] == "pp-filter-rating", describe="the rating filter")
    page.keyboard.press("ArrowDown")  # Green, the first rating
    assert page.eval_on_selector("#pp-filter-rating", "s => s.value") == "green"
    assert len(visible_ids(page)) == len(rows_where(page, "rating", "green"))
    tab_to(
        page,
        lambda i: i["tag"] == "button" and i["text"].startswith("Rating"),
        describe="the Rating sort button",
    )
    page.keyboard.press("Enter")
    assert page.locator("table.pp-data thead th").nth(6).get_attribute("aria-sort") == "ascending"


def test_without_javascript_the_page_is_the_whole_table(chromium, example_url):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(example_url + "indicators/")
    assert not page.is_visible("#pp-filter")
    assert page.locator("table.pp-data tbody tr:visible").count() == 38
    assert page.locator("table.pp-data thead button").count() == 0
    assert page.locator("#pp-filter-count").inner_text() == ""
    context.close()
