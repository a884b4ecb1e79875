"""User text to HTML, safely: the one place where text from YAML becomes markup.

Text fields from YAML (commentary, notes, descriptions) are Markdown without raw HTML:

- raw HTML is not parsed as HTML at all, so ``<script>`` shows as the text "<script>";
- links and images may only use safe schemes (http, https, mailto, tel, or relative);
  ``javascript:``, ``data:`` and the like become plain text;
- images from other hosts become links, so viewing a page never loads another host;
- headings are moved to sit under the page's own headings (one h1 per page, no skipped level).

Plain fields (titles, labels) are escaped with :func:`escape` or :func:`md_escape`.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from generator.site.i18n import t
from generator.site.languages import MARKED, unmark

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_HEADING = re.compile(r"h[1-6]")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(url: str, allow_remote: bool = True) -> bool:
    """True for http(s), mailto, tel and relative URLs; False for javascript:, data:, ..."""
    cleaned = _CONTROL.sub("", html.unescape(url))
    scheme = urlsplit(cleaned).scheme.lower() if ":" in cleaned.split("/")[0] else ""
    if not scheme:
        return not cleaned.startswith("//") or allow_remote
    return scheme in SAFE_SCHEMES and (allow_remote or scheme in ("mailto", "tel"))


class _Sanitise(Treeprocessor):
    def __init__(self, md: markdown.Markdown, top_level: int) -> None:
        super().__init__(md)
        self.top_level = top_level

    def run(self, root: ET.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        levels = [int(el.tag[1]) for el in root.iter() if _HEADING.fullmatch(str(el.tag))]
        # The text's own top headings (# or ##, whichever it starts from) take ``top_level``.
        shift = self.top_level - min(levels) if levels else 0
        for el in list(root.iter()):
            tag = el.tag
            if tag == "a":
                href = el.get("href", "")
                if not safe_url(href):
                    el.attrib.pop("href", None)
                    el.tag = "span"
                el.attrib.pop("title", None) if el.get("title") == "" else None
            elif tag == "img":
                self._image(el, parents.get(el))
            elif isinstance(tag, str) and _HEADING.fullmatch(tag):
                el.tag = f"h{min(6, int(tag[1]) + shift)}"
            # Only Markdown's own attributes survive: nothing a user could use for script.
            for name in list(el.attrib):
                if name.lower().startswith("on") or name.lower() == "style":
                    del el.attrib[name]

    def _image(self, el: ET.Element, parent: ET.Element | None) -> None:
        src = el.get("src", "")
        alt = el.get("alt", "")
        remote = urlsplit(src).scheme.lower() in ("http", "https") or src.startswith("//")
        if safe_url(src, allow_remote=False) and not remote:
            return
        # A remote or unsafe image becomes a link (or text) so no other host is contacted.
        el.attrib.clear()
        if safe_url(src):
            el.tag = "a"
            el.set("href", src)
        else:
            el.tag = "span"
        el.text = alt or src


class _SafeExtension(Extension):
    def __init__(self, top_level: int) -> None:
        super().__init__()
        self.top_level = top_level

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Without these, raw HTML is escaped and shown as text instead of being passed through.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Sanitise(md, self.top_level), "perfpages-sanitise", 0)


@functools.lru_cache(maxsize=8)
def _renderer(top_level: int) -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["sane_lists", "tables", _SafeExtension(top_level)],
        output_format="html",
    )


@functools.lru_cache(maxsize=4096)
def _render(text: str, top_level: int) -> str:
    md = _renderer(top_level)
    md.reset()
    return str(md.convert(text.replace("\r\n", "\n")))


def markdown_html(text: str | None, top_level: int = 3) -> Markup:
    """User Markdown as safe HTML; its top headings become ``top_level`` (h3: under an h2).
    Text in another language than the page's (``site.languages.marked``) is wrapped in an
    element that says its language."""
    if not text or not text.strip():
        return Markup("")
    other = MARKED.fullmatch(text)
    if other:
        inner = _render(other.group(2), top_level)
        return Markup(f'<div lang="{other.group(1)}">{inner}</div>')
    return Markup(_render(text, top_level))


def inline_html(text: str | None) -> Markup:
    """A short Markdown text as inline HTML (no surrounding paragraph)."""
    other = MARKED.fullmatch(text or "")
    if other:
        return Markup(f'<span lang="{other.group(1)}">{inline_html(other.group(2))}</span>')
    out = str(markdown_html(text))
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return Markup(out)


def plain_text(text: str | None) -> str:
    """Markdown reduced to plain text, for descriptions, chart labels and CSV files."""
    if not text:
        return ""
    text = unmark(text)
    rendered = str(markdown_html(text))
    stripped = re.sub(r"<[^>]+>", " ", rendered)
    return " ".join(html.unescape(stripped).split())


def escape(text: object) -> Markup:
    return Markup.escape(str(text))


def md_escape(text: object) -> Markup:
    """Plain text made safe for a Markdown line (a heading): no markup, no Markdown syntax."""
    s = " ".join(str(text).split())
    s = html.escape(s, quote=False)
    # Only characters Python-Markdown can escape: any other "\x" would show its backslash.
    return Markup(re.sub(r"([\\`*_{}\[\]()#+.!|])", r"\\\1", s))


def interface_markdown(key: str, /, **values: object) -> Markup:
    """An interface message that is Markdown of its own (``**bold**``, a link): the catalogue's
    text is trusted, every value is escaped unless it is already markup (pass user text through
    ``md_escape`` first, as ``| mdx`` does in a template)."""
    safe = {k: v if isinstance(v, Markup) else Markup.escape(str(v)) for k, v in values.items()}
    return Markup(t(key, **safe))


def link_target(url: str) -> Markup:
    """A (validated) web address as a Markdown link destination: ``(``, ``)``, quotes, angle
    brackets and spaces are %-encoded so the address cannot end the link and start another."""
    if not safe_url(url):
        return Markup("#")
    return Markup(re.sub(r"[()<>\"'\s\\`]", lambda m: f"%{ord(m.group()):02X}", url))


def chart_text(text: object) -> str:
    """Text for Plotly labels, legends and hover text, on one line.

    Plotly reads a few HTML-like tags in them (``<b>``, ``<a href>``, ``<span style>``) and
    decodes ``&amp;``, ``&lt;`` and ``&gt;`` into plain characters, so escaping these three keeps
    "A&E <18s" readable while no tag can be written.
    """
    one_line = " ".join(str(text).split())
    return one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# A block of HTML carried past Python-Markdown in a comment, put back in the page's final HTML
# by the MkDocs hook generator/mkdocs/raw_html.py (why: there).
RAW_OPEN = "<!--pp-raw\n"
RAW_CLOSE = "\n-->"


def carry_raw(html: str) -> Markup:
    """``html`` (safe, escaped by the templates) wrapped to pass Python-Markdown untouched.
    Every ``>`` in text and attributes is escaped and no tag ends in ``--``, so it cannot hold
    ``-->``; if it ever did, it is left to Python-Markdown as before."""
    if "-->" in html:
        return Markup(html)
    # A blank line after it: Markdown that follows starts a block of its own.
    return Markup(RAW_OPEN + str(html).strip("\n") + RAW_CLOSE + "\n")
