"""Open SDG metadata mixes Markdown with HTML; perfpages text is Markdown without raw HTML.

The few HTML elements metadata uses (paragraphs, line breaks, links, bold, italics, list
items, headings) become their Markdown equivalents; every other tag is dropped and its text
kept. Headings become bold paragraphs, because the page's own headings come first.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from generator.render.text import safe_url

_BLOCK = {"p", "div", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.out.append("\n\n")
            if re.fullmatch(r"h[1-6]", tag):
                self.out.append("**")
        elif tag == "br":
            self.out.append("\n\n")
        elif tag == "li":
            self.out.append("\n\n- ")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "a":
            href = dict(attrs).get("href")
            keep = href if href and safe_url(href) else None
            self.links.append(keep)
            if keep:
                self.out.append("[")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p"):
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.out.append("**\n\n")
        elif tag in _BLOCK:
            self.out.append("\n\n")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f"]({href.strip()})")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def to_markdown(text: str) -> str:
    """Metadata text (Markdown, maybe with HTML) as Markdown without HTML."""
    # Markdown's own autolinks (<https://...>) would be read as tags.
    text = re.sub(r"<((?:https?|mailto):[^>\s]+)>", r"[\1](\1)", text)
    if "<" not in text:
        return _tidy(html.unescape(text))
    parser = _ToMarkdown()
    parser.feed(text)
    parser.close()
    return _tidy("".join(parser.out))


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    joined = "\n".join(lines)
    joined = re.sub(r"\*\*\s*\*\*", "", joined)  # bold around nothing
    joined = re.sub(r"\n{3,}", "\n\n", joined)
    paragraphs = [p.strip() for p in joined.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def to_plain(text: str) -> str:
    """One line of plain text (for titles and other plain fields)."""
    markdown = to_markdown(text)
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown).replace("**", "")
    return " ".join(plain.split())
