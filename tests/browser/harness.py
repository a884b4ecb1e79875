"""What the browser suite and the screenshot script share: the sites, the page types, a local web
server, Chromium, and axe-core.

Plain functions, not fixtures, so ``tests/browser/screenshots.py`` can use them as a script.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.browser.reader_support import AXE_TAGS, CHROMIUM, CHROMIUM_ARGS
from tests.conftest import STRESS, build_strict, copy_example

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "vendor" / "axe.min.js"

WIDTHS = (1280, 320)
HEIGHT = 900


@dataclass(frozen=True)
class PageType:
    """One kind of page, and the page of each test site that stands for it."""

    name: str
    label: str  # as the accessibility statement names it
    example: str  # URL path in the example site
    stress: str  # URL path in the stress site
    chart: bool = False  # wait for the chart to be drawn before checking

    def path(self, site: str) -> str:
        return self.example if site == "example" else self.stress


# Every page type the accessibility statement says is tested. The stress site's pages are the
# hardest case of each type (longest title, most periods, every missing reason).
PAGE_TYPES: tuple[PageType, ...] = (
    PageType("home", "the home page", "", ""),
    PageType(
        "priority",
        "priority pages",
        "priorities/health-and-wellbeing/",
        "priorities/long-priority/",
    ),
    PageType(
        "measure",
        "measure pages",
        "indicators/dtoc-whole-system/",
        "indicators/social-contact/",
        chart=True,
    ),
    PageType(
        "project",
        "project pages",
        "indicators/cds-broadband-phase-2/",
        "indicators/town-centre-regeneration/",
    ),
    PageType("all-indicators", "the list of all indicators", "indicators/", "indicators/"),
    PageType("report", "reports for each period", "reports/2019-20-q1/", "reports/2019-20-q1/"),
    PageType(
        "printable-report",
        "printable reports",
        "reports/2019-20-q2/print/",
        # the stress site's is in parts (reports.printable_in_parts_above): one of them
        "reports/2019-20-q2/print/long-priority/",
    ),
    PageType("reports", "the list of reports", "reports/", "reports/"),
    PageType("content", "information pages", "about/", "about/"),
    PageType("accessibility", "this accessibility statement", "accessibility/", "accessibility/"),
    PageType("how-to-read", "the guide to reading this site", "how-to-read/", "how-to-read/"),
    PageType("not-found", "the page-not-found page", "no-such-page/", "no-such-page/"),
)

SITES = ("example", "stress")


def build_example(workdir: Path) -> Path:
    return build_strict(copy_example(workdir / "example"))


def build_stress(workdir: Path) -> Path:
    return build_strict(copy_example(workdir / "stress", STRESS))


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site the way static hosts do: the site's own 404.html for missing pages."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        # Scripts, styles and data do not change while a test session runs: let the browser
        # keep them, as a real host would, instead of fetching Plotly for every page.
        if not self.path.endswith(("/", ".html")):
            self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 at a free port; yields the base URL (ending in /)."""
    handler = functools.partial(_Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def wait_until_ready(page: Any, chart: bool) -> None:
    """Wait for the page's scripts; on a chart page, for Plotly to have drawn the chart."""
    page.wait_for_load_state("load")
    if chart:
        page.wait_for_selector(".pp-chart__plot .main-svg", state="attached", timeout=15_000)
        page.wait_for_selector(".pp-chart__download", state="attached", timeout=15_000)


def run_axe(page: Any, tags: list[str] | None = None) -> list[dict[str, Any]]:
    """Inject axe-core into the loaded page and return its violations."""
    page.add_script_tag(path=str(AXE_JS))
    results: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        tags or AXE_TAGS,
    )
    violations: list[dict[str, Any]] = results["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Violations as a reader can act on them: rule, what it asks, and where."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}  <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {target}: {summary[:240]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)
