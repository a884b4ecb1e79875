"""Fixtures for the reader journeys (issue 7): the example site served on 127.0.0.1, one
headless Chromium, and axe-core. Import the fixtures into a test module to use them."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

VENDOR = Path(__file__).resolve().parent / "vendor"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def example_url(example_built: Path) -> Iterator[str]:
    """The built example site, served over HTTP (search needs fetch, which file:// refuses)."""
    handler = functools.partial(_Quiet, directory=str(example_built))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: scripts/test installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def reader(chromium: Any, example_url: str) -> Iterator[Any]:
    """A fresh page at 1280 px that fails the test on any script error or outside request."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((example_url, "data:", "blob:"))
            else outside.append(request.url)
        ),
    )
    yield page
    context.close()
    assert not errors, errors
    assert not outside, f"requests to other hosts: {outside}"


def run_axe(page: Any, include: str = ".md-content") -> list[dict[str, Any]]:
    """axe-core's violations in the page's own content (the part these pages generate; the
    site-wide header, search and footer are checked by the accessibility suite)."""
    page.add_script_tag(path=str(VENDOR / "axe.min.js"))
    result = page.evaluate(
        "([tags, include]) => axe.run({include: [include]}, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        [AXE_TAGS, include],
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
