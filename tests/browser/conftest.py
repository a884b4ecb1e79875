"""Fixtures of the browser tests, defined once for the whole session (a session fixture imported
into several modules would start one Playwright per module): the test sites built once, each
served on 127.0.0.1, and one Chromium. The accessibility suite's tests open their own pages in
browser contexts shared by the tests with the same settings; the reader journeys (issue 7) use
``reader``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import harness
from tests.browser.reader_support import chromium, example_url, reader

__all__ = ["browser", "chromium", "contexts", "example_url", "open_page", "reader", "servers"]


@pytest.fixture(scope="session")
def sites(example_built: Path, stress_built: Path, bilingual_built: Path) -> dict[str, Path]:
    return {"example": example_built, "stress": stress_built, "bilingual": bilingual_built}


@pytest.fixture(scope="session")
def servers(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    """Base URL of each built site."""
    with (
        harness.serve(sites["example"]) as example,
        harness.serve(sites["stress"]) as stress,
        harness.serve(sites["bilingual"]) as bilingual,
    ):
        yield {"example": example, "stress": stress, "bilingual": bilingual}


@pytest.fixture(scope="session")
def browser(chromium: Any) -> Any:
    """The session's one Chromium (started by reader_support.chromium)."""
    return chromium


OpenPage = Callable[..., Any]


@pytest.fixture(scope="session")
def contexts(browser: Any) -> Iterator[dict[tuple[Any, ...], Any]]:
    """Browser contexts shared by the tests that ask for the same settings, so the browser's
    cache keeps Plotly and Material's scripts between pages."""
    made: dict[tuple[Any, ...], Any] = {}
    yield made
    for context in made.values():
        context.close()


@pytest.fixture
def open_page(
    browser: Any, servers: dict[str, str], contexts: dict[tuple[Any, ...], Any]
) -> Iterator[OpenPage]:
    """open_page(site, path, width=1280, **context_options) -> a Playwright page, ready.

    ``chart=True`` waits for the chart to be drawn; ``init_script`` runs in the page before its
    own scripts. Context options (reduced_motion, forced_colors, accept_downloads ...) go to
    browser.new_context. Each call opens a new page (closed after the test).
    """
    pages: list[Any] = []

    def open_(
        site: str,
        path: str,
        width: int = 1280,
        chart: bool = False,
        init_script: str | None = None,
        **options: Any,
    ) -> Any:
        key = (width, init_script, *sorted(options.items()))
        if key not in contexts:
            contexts[key] = browser.new_context(
                viewport={"width": width, "height": harness.HEIGHT}, **options
            )
            if init_script:
                contexts[key].add_init_script(init_script)
        page = contexts[key].new_page()
        pages.append(page)
        page.goto(servers[site] + path)
        harness.wait_until_ready(page, chart)
        return page

    yield open_
    for page in pages:
        page.close()
