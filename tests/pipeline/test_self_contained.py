"""Self-contained: viewing the site never loads anything from another host.

Every built file of the example site and of the injection site is scanned:

- HTML: every element and attribute that makes a browser fetch (scripts, stylesheets, icons,
  preloads, images, srcset, iframes, objects, media, SVG references, inline styles) must point
  at the site itself. Links (``<a href>``) are not loads, so links authors wrote are allowed.
  Markup that makes Material's JavaScript fetch from a CDN (a ``mermaid`` diagram, the GitHub
  "source" widget) must not appear.
- CSS: ``url(...)`` and ``@import`` (fonts, images) must be the site's own or ``data:``.
- JavaScript (Material's bundle, the search worker, lunr, the vendored Plotly, ours): every
  URL string is listed in ALLOWED with the reason it is never fetched when a page is viewed.
  A new URL (a library upgrade) fails the test until someone decides about it.
- JSON (search index, chart data): the search index's HTML snippets are scanned as HTML, and
  chart specifications must not name images or other hosts.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
URL_IN_TEXT = re.compile(r"(?:https?:)?//[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?[^\s\"'`)<>\\]*")

# Attributes that make the browser load something, by element ("*": any element).
LOADING = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("input", "src"),
    ("image", "href"),
    ("image", "xlink:href"),
    ("use", "href"),
    ("use", "xlink:href"),
    ("feimage", "href"),
    ("*", "background"),
}
LOADING_LINK_RELS = {
    "stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload",
    "prefetch", "preconnect", "dns-prefetch", "manifest", "mask-icon", "prerender",
}  # fmt: skip

# URL strings in the site's JavaScript, and why none is fetched when a page is viewed.
ALLOWED: dict[str, str] = {
    # XML namespace names: identifiers, never fetched.
    "http://www.w3.org/2000/svg": "SVG namespace name",
    "http://www.w3.org/1999/xlink": "XLink namespace name",
    "http://www.w3.org/2000/xmlns/": "XMLNS namespace name",
    "http://www.w3.org/1999/xhtml": "XHTML namespace name",
    "http://www.w3.org/XML/1998/namespace": "XML namespace name",
    # Material for MkDocs (assets/javascripts/bundle.*.min.js).
    "https://unpkg.com/mermaid@": "loaded only for a mermaid diagram (a .mermaid element); "
    "test_no_markup_triggers_a_cdn_load proves no page has one",
    "https://unpkg.com/resize-observer-polyfill": "loaded only where window.ResizeObserver is "
    "missing (browsers before 2020, which cannot run Plotly 4 either)",
    "https://api.github.com/": "the repository facts widget, only with repo_url, which "
    "perfpages never sets (no data-md-component=source element, tested below)",
    "https://bit.ly/2s3ChXG": "text of a console warning about a search query",
    # Plotly (assets/javascripts/vendor/plotly.min.js).
    "https://cloud.plotly.com/newchart": "plotlyServerURL, used only by the 'send to cloud' "
    "mode bar button; charts.js turns the mode bar and that button off (tested below)",
    "https://cdn.plot.ly/un/": "topojsonURL, used only by geo traces; perfpages draws scatter",
    "https://plotly.com/": "href of the Plotly logo link (displaylogo: false) and docs links "
    "in console messages",
    "https://github.com/d3/": "documentation links in d3 error messages",
    # lunr's Thai word splitter (assets/javascripts/lunr/wordcut.js), bundled with node-glob.
    "https://github.com/isaacs/node-glob/issues/167": "text of an error message of node-glob, "
    "which never runs in a browser",
}


class _Loads(HTMLParser):
    def __init__(self, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.findings: list[str] = []
        self._style = False
        self._script = False

    def _find(self, what: str) -> None:
        self.findings.append(f"{self.where}: {what}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for name, value in values.items():
            if ((tag, name) in LOADING or ("*", name) in LOADING) and any(
                REMOTE.match(part.strip().split(" ")[0]) for part in value.split(",")
            ):
                self._find(f"<{tag} {name}={value[:80]!r}> loads from another host")
            if name == "style":
                self.findings += [f"{self.where}: {f}" for f in css_findings(value)]
        if tag == "link" and REMOTE.match(values.get("href", "")):
            rels = set(values.get("rel", "").lower().split())
            if rels & LOADING_LINK_RELS:
                self._find(f"<link rel={values.get('rel')!r} href={values['href'][:80]!r}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self._find("<meta http-equiv=refresh>")
        classes = values.get("class", "").split()
        if "mermaid" in classes:
            self._find(f"<{tag} class=mermaid> makes Material load mermaid from unpkg.com")
        if values.get("data-md-component") == "source":
            self._find("the repository widget makes Material call api.github.com")
        self._style = tag == "style"
        kind = values.get("type", "").lower()
        runs = kind in ("", "module") or "javascript" in kind or "ecmascript" in kind
        # Data scripts (the chart JSON) are not run; their text is checked by chart_findings.
        self._script = tag == "script" and "src" not in values and runs

    def handle_data(self, data: str) -> None:
        if self._style:
            self.findings += [f"{self.where} <style>: {f}" for f in css_findings(data)]
        elif self._script:
            self.findings += [f"{self.where} <script>: {f}" for f in js_findings(data)]

    def handle_endtag(self, tag: str) -> None:
        self._style = self._script = False


def html_findings(text: str, where: str) -> list[str]:
    parser = _Loads(where)
    parser.feed(text)
    parser.close()
    return parser.findings


_CSS_URL = re.compile(r"""url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)'"\s]*))\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)""")


def css_findings(text: str) -> list[str]:
    out = []
    for match in _CSS_URL.finditer(text):
        url = next(g for g in match.groups() if g is not None)
        if REMOTE.match(url):
            out.append(f"url({url[:80]}) loads from another host")
    for match in _CSS_IMPORT.finditer(text):
        if REMOTE.match(match[1]):
            out.append(f"@import {match[1][:80]} loads from another host")
    return out


# Licence and documentation comments (/*! ... */, /** ... */) and line comments ("// ..." not
# inside a URL) are not code: URLs there are never fetched.
_JS_COMMENTS = re.compile(r"/\*[!*].*?\*/|(?<![:\"'\\/])//[^\n]*", re.DOTALL)


def js_urls(text: str) -> set[str]:
    """The URLs in JavaScript code (comments left out)."""
    code = _JS_COMMENTS.sub("", text)
    urls = set()
    for match in URL_IN_TEXT.finditer(code):
        url = match[0]
        # A protocol-relative URL is one only inside a string ("//cdn.example.com/x.js").
        if url.startswith("//") and code[match.start() - 1 : match.start()] not in "\"'`":
            continue
        urls.add(url)
    return urls


def js_findings(text: str) -> list[str]:
    return [
        f"URL {url[:100]!r} is not in the allow-list"
        for url in sorted(js_urls(text))
        if not any(url.startswith(prefix) for prefix in ALLOWED)
    ]


def scan(site: Path) -> tuple[list[str], dict[str, int]]:
    findings: list[str] = []
    kinds: dict[str, int] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        suffix = path.suffix.lstrip(".")
        kinds[suffix] = kinds.get(suffix, 0) + 1
        if suffix == "html":
            findings += html_findings(path.read_text("utf-8"), rel)
        elif suffix == "css":
            findings += [f"{rel}: {f}" for f in css_findings(path.read_text("utf-8"))]
        elif suffix == "js":
            findings += [f"{rel}: {f}" for f in js_findings(path.read_text("utf-8"))]
        elif rel == "search/search_index.json":
            for doc in json.loads(path.read_bytes())["docs"]:
                findings += html_findings(doc["title"] + doc["text"], f"{rel} {doc['location']}")
    return findings, kinds


def chart_findings(site: Path) -> list[str]:
    """Chart specifications: Plotly loads from other hosts only for layout images, maps
    (mapbox, geo topojson) and trace types perfpages does not draw. URLs in labels are text."""
    out = []
    pattern = r'<script type="application/json" id="chart-data">(.*?)</script>'
    for page in site.rglob("*.html"):
        for spec in re.findall(pattern, page.read_text("utf-8")):
            data = json.loads(spec)
            layout = data.get("layout", {})
            for key in ("images", "mapbox", "geo", "map"):
                if key in layout:
                    out.append(f"{page}: chart layout.{key}")
            kinds = {trace.get("type") for trace in data.get("data", [])}
            if kinds - {"scatter"}:
                out.append(f"{page}: chart trace types {sorted(kinds)}")
    return out


@pytest.mark.parametrize("which", ["example", "injection"])
def test_no_page_loads_from_another_host(
    which: str, example_built: Path, injection_built: Path
) -> None:
    site = example_built if which == "example" else injection_built
    findings, kinds = scan(site)
    findings += chart_findings(site)
    assert findings == []
    for kind in ("html", "css", "js", "json", "svg", "png"):
        if kind in ("svg", "png") and kind not in kinds:
            continue
        assert kinds.get(kind, 0) > 0, kind


def test_authors_links_are_allowed_and_kept(injection_built: Path) -> None:
    page = (injection_built / "about" / "index.html").read_text("utf-8")
    assert 'href="https://www.example.org/"' in page
    assert html_findings(page, "about") == []


def test_plotly_cloud_and_mode_bar_are_off(example_built: Path) -> None:
    charts = (example_built / "assets" / "javascripts" / "charts.js").read_text("utf-8")
    assert re.search(r"showSendToCloud:\s*false", charts)
    assert re.search(r"displayModeBar:\s*false", charts)
    assert re.search(r"displaylogo:\s*false", charts)


def test_every_allowed_url_is_still_there(example_built: Path) -> None:
    """An allow-list entry a library no longer needs is removed, so the list stays true."""
    urls = set().union(*(js_urls(p.read_text("utf-8")) for p in example_built.rglob("*.js")))
    unused = [prefix for prefix in ALLOWED if not any(url.startswith(prefix) for url in urls)]
    assert unused == []


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.example.com/x.js"></script>',
        '<link rel="stylesheet" href="//fonts.example.com/css">',
        '<link rel="preload" as="font" href="https://fonts.gstatic.com/a.woff2">',
        '<img src="https://evil.example/pixel.gif">',
        '<img srcset="a.png 1x, https://evil.example/b.png 2x">',
        '<iframe src="https://www.youtube.com/embed/x"></iframe>',
        '<div style="background: url(https://evil.example/bg.png)"></div>',
        "<style>@import url('https://fonts.googleapis.com/css?family=Roboto');</style>",
        '<svg><image href="https://evil.example/i.svg"/></svg>',
        '<pre class="mermaid">graph TD; A-->B</pre>',
        "<script>fetch('https://tracker.example.com/hit')</script>",
    ],
)
def test_the_scanner_finds_loads(snippet: str) -> None:
    assert html_findings(f"<html><body>{snippet}</body></html>", "x.html")


def test_the_scanner_passes_links_and_local_files() -> None:
    page = (
        '<a href="https://www.example.org/">x</a><link rel="canonical" href="https://x.example/">'
        '<img src="../assets/images/logo.png"><script src="assets/javascripts/x.js"></script>'
        "<style>.a{background:url(\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>\")}"
        "</style>"
    )
    assert html_findings(page, "x.html") == []
