"""Find live markup in built files: what a browser would run, load or follow as a script.

Used by the injection tests on every output file. The rules are strict on purpose: the theme
itself uses none of what is refused here, so any finding came from user text.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "ping",
    "cite",
    "srcset",
    "longdesc",
    "manifest",
    "codebase",
}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def unsafe_url(value: str) -> bool:
    """True for a URL a browser would run as script or treat as inline content."""
    cleaned = _INVISIBLE.sub("", html.unescape(value)).lower()
    return cleaned.startswith(UNSAFE_SCHEMES)


@dataclass
class Finding:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class _Checker(HTMLParser):
    where: str
    marker: str
    findings: list[Finding] = field(default_factory=list)
    scripts: list[tuple[dict[str, str | None], str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    _script: dict[str, str | None] | None = None
    _script_text: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def _find(self, what: str) -> None:
        self.findings.append(Finding(self.where, what))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self._find(f"<{tag}> element")
        if tag == "meta" and any(
            k == "http-equiv" and (v or "").lower() == "refresh" for k, v in attrs
        ):
            self._find("<meta http-equiv=refresh>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self._find(f"<{tag} {name}=...> event handler: {value[:80]!r}")
            if name in URL_ATTRIBUTES and unsafe_url(value):
                self._find(f"<{tag} {name}={value[:80]!r}> unsafe URL")
            if name in ("style", "srcdoc") and self.marker in value:
                self._find(f"<{tag} {name}> carries user text: {value[:80]!r}")
            if name == "src" and self.marker in value:
                self._find(f"<{tag} src> carries user text: {value[:80]!r}")
        if tag == "script":
            self._script = dict(attrs)
            self._script_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self._end_script(self._script, "".join(self._script_text))
            self._script = None

    def _end_script(self, attrs: dict[str, str | None], text: str) -> None:
        self.scripts.append((attrs, text))
        kind = (attrs.get("type") or "").lower()
        if kind == "application/json":
            try:
                json.loads(text)
            except ValueError as e:
                self._find(f"JSON script element does not parse ({e}): {text[:80]!r}")
            return
        if self.marker in text:
            self._find(f"<script> runs user text: {text[:80]!r}")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        else:
            self.text.append(data)


def check_html(text: str, where: str, marker: str) -> tuple[list[Finding], str]:
    """Findings in one HTML document, and its text (what a reader sees, as one string)."""
    checker = _Checker(where, marker)
    checker.feed(text)
    checker.close()
    return checker.findings, "".join(checker.text)


def json_strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in (*json_strings(k), *json_strings(v))]
    if isinstance(data, list):
        return [s for item in data for s in json_strings(item)]
    return []


def chart_specs(page: str) -> list[Any]:
    """The chart JSON of a page, parsed."""
    checker = _Checker("", "\0")
    checker.feed(page)
    return [
        json.loads(text)
        for attrs, text in checker.scripts
        if (attrs.get("type") or "") == "application/json" and attrs.get("id") == "chart-data"
    ]


def check_chart(spec: Any, where: str) -> list[Finding]:
    """Plotly reads <b>, <a href>, <span style> in labels and decodes a few entities: no tag may
    come from users, and every "&" must be one of the three escapes (&amp; &lt; &gt;). The
    only tags allowed are the two perfpages writes: <extra> (hover boxes) and <br> (long legend
    labels broken into lines)."""
    out = []
    for s in json_strings(spec):
        without_extra = re.sub(r"</?extra>|<br>", "", s)
        if "<" in without_extra or re.search(r"&(?!amp;|lt;|gt;)", without_extra):
            out.append(Finding(where, f"chart label with markup: {s[:80]!r}"))
    return out


def check_csv(data: bytes, where: str) -> list[Finding]:
    out = []
    text = data.decode("utf-8-sig")
    for row_number, row in enumerate(csv.reader(io.StringIO(text)), 1):
        for cell in row:
            if cell.startswith(FORMULA_START) and not _is_number(cell):
                out.append(Finding(where, f"row {row_number}: formula cell {cell[:60]!r}"))
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def check_xml(data: bytes, where: str) -> list[Finding]:
    try:
        ET.fromstring(data)
    except ET.ParseError as e:
        return [Finding(where, f"XML does not parse: {e}")]
    return []
