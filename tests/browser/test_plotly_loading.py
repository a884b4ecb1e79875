"""Plotly's JavaScript is one file, from the site itself, at one URL: fetched only by pages with
a chart, only once the page has loaded, and taken from the browser's cache on the next page. The browser is the session's one Chromium
(tests/browser/conftest.py)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PLOTLY = "/assets/javascripts/vendor/plotly.min.js"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(example_built: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(example_built))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def visit(page: object, url: str) -> list[str]:
    """Open ``url``; the URLs of the scripts it fetched, once the chart (if any) is drawn."""
    fetched: list[str] = []

    def record(request: object) -> None:
        if request.resource_type == "script":  # type: ignore[attr-defined]
            fetched.append(request.url)  # type: ignore[attr-defined]

    page.on("request", record)  # type: ignore[attr-defined]
    page.goto(url, wait_until="load")  # type: ignore[attr-defined]
    if page.query_selector(".pp-chart__plot"):  # type: ignore[attr-defined]
        page.wait_for_selector(".pp-chart__plot svg", timeout=20_000)  # type: ignore[attr-defined]
    page.remove_listener("request", record)  # type: ignore[attr-defined]
    return fetched


def test_plotly_only_on_chart_pages_one_url_cached(served, browser):
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    home = visit(page, served + "/")
    assert not any("plotly" in url for url in home)

    first = visit(page, served + "/indicators/dtoc-adult-social-care/")
    assert [u for u in first if "plotly" in u] == [served + PLOTLY]  # no query string
    downloaded = page.evaluate(
        """() => performance.getEntriesByType('resource')
              .filter(e => e.name.includes('plotly')).map(e => e.transferSize)"""
    )
    assert downloaded[0] > 300_000  # the first chart page downloads it (gzip or not)

    # Plotly is requested only after the page's load event: text and tables come first.
    timing = page.evaluate(
        """() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const plotly = performance.getEntriesByType('resource')
                .find(e => e.name.includes('plotly'));
            return {load: nav.loadEventStart, plotly: plotly.startTime};
        }"""
    )
    assert timing["plotly"] >= timing["load"]

    second = visit(page, served + "/indicators/breastfeeding-continuation/")
    assert [u for u in second if "plotly" in u] == [served + PLOTLY]
    cached = page.evaluate(
        """() => performance.getEntriesByType('resource')
              .filter(e => e.name.includes('plotly'))
              .map(e => ({transfer: e.transferSize, body: e.decodedBodySize}))"""
    )
    # Not downloaded again: taken from the browser's cache (0 bytes) or, as here, where the
    # server sends no Cache-Control header, revalidated with a "304 Not Modified" (headers only).
    assert len(cached) == 1 and cached[0]["transfer"] < 1_000
    context.close()
