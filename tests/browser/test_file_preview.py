"""Issue 17, point 3: a reviewer downloads the preview (perfpages build --preview), unzips it
and opens index.html from the disk. Every link must land on a page, not a folder listing; the
chart or its table must be there; search must find pages; nothing may come from another host."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

INDICATOR = "Health Visitor mandated contacts"
PRIORITY = "Fairer life chances"


@pytest.fixture
def on_disk(chromium: Any, example_preview: Path) -> Iterator[Any]:
    """A page at 1280 px that fails the test on any script error or request leaving the
    preview folder."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    folder = example_preview.as_uri() + "/"
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((folder, "data:", "blob:", "about:"))
            else outside.append(request.url)
        ),
    )
    yield page
    context.close()
    assert not errors, errors
    assert not outside, f"requests outside the preview folder: {outside}"


def assert_a_page(page: Any, folder: Path, path: str) -> None:
    """The browser shows the page ``path`` of the preview: its file, not a folder listing."""
    page.wait_for_load_state("load")
    assert page.url.split("#")[0] == (folder / path).as_uri()
    assert not page.title().startswith("Index of"), page.title()
    assert page.locator(".md-content h1").count() == 1
    # Every page says it is a preview, and not to index it.
    assert "not the published site" in page.locator(".md-banner").inner_text()
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex"


def follow(page: Any, link: Any) -> None:
    with page.expect_navigation():
        link.click()


def test_a_reviewer_browses_the_preview_from_the_disk(on_disk, example_preview):
    page, folder = on_disk, example_preview
    page.goto((folder / "index.html").as_uri())
    assert_a_page(page, folder, "index.html")

    # Home -> an indicator page, with its chart drawn and its table of values.
    follow(page, page.locator(".md-content a", has_text=INDICATOR).first)
    assert_a_page(page, folder, "indicators/health-visitor-new-birth-visits/index.html")
    page.wait_for_selector(".pp-chart__plot .main-svg", state="attached", timeout=15_000)
    assert page.locator(".md-content table").count() >= 1

    # -> its priority (a link the generator wrote) -> the reports (MkDocs' navigation).
    follow(page, page.locator(".pp-meta a", has_text=PRIORITY))
    assert_a_page(page, folder, "priorities/fairer-life-chances/index.html")
    follow(page, page.locator(".md-tabs a, .md-nav a", has_text="Reports").first)
    assert_a_page(page, folder, "reports/index.html")
    # -> an earlier report, and from there home by the header's logo.
    follow(page, page.get_by_role("link", name="Report for Q4 2018/19", exact=True))
    assert_a_page(page, folder, "reports/2018-19-q4/index.html")
    follow(page, page.locator("a.md-header__button.md-logo"))
    assert_a_page(page, folder, "index.html")

    # The all-indicators page's filters work there too, and keep the choice in the address.
    follow(page, page.locator(".md-tabs a, .md-nav a", has_text="All indicators").first)
    assert_a_page(page, folder, "indicators/index.html")
    page.select_option("#pp-filter-tag", "ASCOF")
    shown = page.locator("#all-table >> xpath=.. >> tbody tr:not([hidden])")
    assert 0 < shown.count() < 38
    assert page.url.endswith("indicators/index.html?tag=ASCOF")


def test_search_works_from_the_disk(on_disk, example_preview):
    page, folder = on_disk, example_preview
    page.goto((folder / "reports" / "index.html").as_uri())
    page.keyboard.press("/")  # Material's key for search
    page.locator("input.md-search__input").press_sequentially("broadband", delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert results.count() >= 1
    assert "broadband" in results.first.inner_text().lower()
    # A result opens its page.
    follow(page, page.locator(".md-search-result__link").first)
    page.wait_for_load_state("load")
    assert page.url.startswith(folder.as_uri() + "/")
    assert ".html" in page.url
    assert not page.title().startswith("Index of")
    assert page.locator(".md-content h1").count() == 1
