"""In a real browser, no script from the payloads of the injection site runs.

Every payload calls ``__pwned(field)`` or ``alert(field)``. The browser context records both
(``__pwned`` is a binding back to Python, dialogs are caught), and every request to another
host is refused and recorded. Each page is loaded, its chart drawn and hovered, and the search
shows results for the payloads' text; a control page proves the recording works. The
browser is the session's one Chromium (tests/browser/conftest.py).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.injection_site import write_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the browser closing a connection early (navigating on) is not a failure


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = write_site(tmp_path_factory.mktemp("injection-browser"))
    result = run_cli("build", "--strict", root)
    assert result.exit_code == 0, result.stderr
    site = root / "site"
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", site
    finally:
        server.shutdown()
        server.server_close()


class Recorder:
    """What the payloads and the pages did: calls, dialogs, foreign requests, page errors."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.calls: list[str] = []
        self.dialogs: list[str] = []
        self.foreign: list[str] = []

    def attach(self, context: Any) -> None:
        context.expose_function("__pwned", lambda field: self.calls.append(str(field)))
        context.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.base) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def page(self, context: Any) -> Any:
        page = context.new_page()
        page.on("dialog", self._dialog)
        return page

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_no_payload_runs_in_the_browser(served_site: tuple[str, Path], browser: Any) -> None:
    base, site = served_site
    recorder = Recorder(base)
    context = browser.new_context()
    recorder.attach(context)
    page = recorder.page(context)

    # Control: the recording works (a live payload is seen), so silence below means something.
    page.goto(base)
    page.evaluate(
        "() => { const i = document.createElement('img');"
        " i.setAttribute('onerror', \"__pwned('control')\"); i.src = 'x:'; "
        "document.body.appendChild(i); }"
    )
    page.wait_for_function("() => true")
    page.wait_for_timeout(200)
    assert recorder.calls == ["control"]
    page.evaluate("() => setTimeout(() => alert('control'), 0)")
    page.wait_for_timeout(200)
    assert recorder.dialogs == ["alert: control"]
    recorder.calls.clear()
    recorder.dialogs.clear()

    pages = _pages(site)
    charts = 0
    for rel in pages:
        url = base + rel.removesuffix("index.html")
        page.goto(url, wait_until="load")
        plot = page.locator(".pp-chart__plot")
        if plot.count():
            page.wait_for_selector(".pp-chart__plot .main-svg", timeout=15_000)
            charts += 1
            # Hover text is drawn on demand: show it for each point of the value line.
            for point in page.locator(
                ".pp-chart__plot .scatterlayer .trace:first-child .point"
            ).all():
                point.hover(force=True)
            page.mouse.move(0, 0)
        # Focus every focusable element once (an autofocus/onfocus payload would fire).
        page.keyboard.press("Tab")
    assert charts >= 56

    # The search renders titles and text from the index as HTML: show results for the
    # payloads' pages (every measure and project title, and every priority, holds payloads).
    for query in ("measure", "project", "priority"):
        page.goto(base)
        page.keyboard.press("/")
        page.locator("input.md-search__input").press_sequentially(query, delay=20)
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
        shown = page.locator(".md-search-result__list").inner_text()
        assert "__pwned(" in shown or "alert(" in shown
        for more in page.locator(".md-search-result__more summary").all():
            more.click()
        page.wait_for_timeout(300)

    context.close()
    assert recorder.calls == []
    assert recorder.dialogs == []
    assert recorder.foreign == []


def test_chart_legend_shows_the_label_as_written(
    served_site: tuple[str, Path], browser: Any
) -> None:
    """Plotly decodes the escapes chart_text writes, so readers see the label's own characters."""
    base, _site = served_site
    recorder = Recorder(base)
    context = browser.new_context()
    recorder.attach(context)
    page = recorder.page(context)
    page.goto(base + "indicators/m-script/")
    page.wait_for_selector(".pp-chart__plot .legendtext", timeout=15_000)
    # Long legend labels are broken into lines (one tspan each): read them back with spaces.
    legend = page.evaluate(
        """() => [...document.querySelectorAll('.pp-chart__plot .legendtext')].map(t => {
            const lines = t.querySelectorAll('tspan.line');
            return lines.length ? [...lines].map(l => l.textContent).join(' ') : t.textContent;
        })"""
    )
    assert "<script>__pwned('benchmarks.label.script')</script> (2018/19)" in legend
    assert page.locator(".pp-chart__plot script").count() == 0
    axis = page.locator(".pp-chart__plot .ytitle").text_content() or ""
    assert "<script>__pwned('unit_label.script')</script>" in axis
    context.close()
    assert recorder.calls == []
