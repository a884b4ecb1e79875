"""Checks that keep every output well-formed and the work on any input bounded.

Run at load, on every text a user writes (each YAML string, each content page):

- control characters (C0 but tab, newline and carriage return; DEL; C1), the code points XML
  cannot hold (U+FFFE, U+FFFF), lone surrogates and the three private-use characters that mark
  text in another language: invisible, and they make feed.xml and the HTML ill-formed;
- a text longer than ``MAX_TEXT_CHARS``;
- a text on which Python-Markdown would work for minutes: it matches each ``[`` (and each
  ``(`` after ``]``) by scanning forward, so thousands of unclosed brackets take quadratic time.

And on content pages: the resources a page would load from another host (Markdown images,
reference-style ones included, and every HTML way to load a file), and the pages whose address
is already taken (by a page perfpages generates, or by another content page).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

MAX_TEXT_CHARS = 100_000
# Characters Python-Markdown scans to match brackets (about a microsecond each): a text over
# this would take seconds. Ordinary text, links included, uses a few thousand at most.
MAX_BRACKET_WORK = 2_000_000

# U+E000 to U+E002 (private use) are refused too: they mark text shown in another language
# (site/languages.py).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\ue002\ufffe\uffff\ud800-\udfff]")


def control_character(text: str) -> tuple[int, int, str] | None:
    """The first control character in ``text``: its line and column (from 1), and its name."""
    m = _CONTROL.search(text)
    if m is None:
        return None
    line = text.count("\n", 0, m.start()) + 1
    column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    char = m.group()
    name = unicodedata.name(char, "") or _NAMES.get(ord(char), "a control character")
    return line, column, f"U+{ord(char):04X} {name}".rstrip()


_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "VERTICAL TAB",
    0x0C: "FORM FEED",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0xE000: "(private use)",
    0xE001: "(private use)",
    0xE002: "(private use)",
}


def control_message(found: tuple[int, int, str]) -> str:
    """What to do about a control character ``control_character`` found."""
    _, column, name = found
    return (
        f"has an invisible control character ({name}) at column {column}, which a web page "
        "or the feed cannot hold; delete it (it usually comes from copying text from another "
        "program)"
    )


def text_problem(text: str, limit: int = MAX_TEXT_CHARS) -> tuple[int, str, str] | None:
    """Why ``text`` cannot be published: (line within the text, message, code); None if it can.
    ``limit`` is the most characters it may have."""
    if len(text) > limit:
        where = "one text; shorten it, or put long text in a page under content/"
        return (
            1,
            f"is {len(text):,} characters long, over the limit of {limit:,} for "
            + (where if limit == MAX_TEXT_CHARS else "a page; split it into several pages"),
            "text.too-long",
        )
    found = control_character(text)
    if found is not None:
        return found[0], control_message(found), "text.control"
    if markdown_work(text) > MAX_BRACKET_WORK:
        return (
            1,
            "has too many [ or ( that are never closed (or are nested very deeply): "
            "reading it as Markdown would take minutes; close them, or write \\[ for a "
            "bracket meant as text",
            "text.brackets",
        )
    return None


def markdown_work(text: str) -> int:
    """About how many characters Python-Markdown scans to match the brackets of ``text``."""
    if "[" not in text and "](" not in text:
        return 0
    work = 0
    for block in re.split(r"\n[ \t]*\n", text):

        def after_bracket(i: int, b: str = block) -> bool:
            return i > 0 and b[i - 1] == "]"

        work += _scan(block, "[", "]", lambda _: True)
        work += _scan(block, "(", ")", after_bracket)
    return work


def _scan(block: str, opening: str, closing: str, charged: Callable[[int], bool]) -> int:
    """The distance from each charged ``opening`` to its match (or to the block's end)."""
    stack: list[int] = []
    work = 0
    for m in re.finditer(re.escape(opening) + "|" + re.escape(closing), block):
        if m.group() == opening:
            stack.append(m.start())
        elif stack:
            start = stack.pop()
            if charged(start):
                work += m.start() - start
    end = len(block)
    return work + sum(end - start for start in stack if charged(start))


# ---- Nesting -----------------------------------------------------------------------------------

MAX_DEPTH = 32


def depth_bound(text: str) -> int:
    """An upper bound, found at once, of how deeply a YAML text nests lists and mappings."""
    block = max(
        (len(line) - len(line.lstrip(" -?")) + 2 for line in text.splitlines()), default=0
    )
    return block + text.count("[") + text.count("{")


# ---- Content pages -----------------------------------------------------------------------------

_REMOTE = r"((?:https?:)?//[^\s)\"'>,]+)"
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?" + _REMOTE)
_MD_REF_IMAGE = re.compile(r"!\[([^\]]*)\](?!\()(?:\[([^\]]*)\])?")
_MD_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*<?(\S+?)>?(?:[ \t]|$)", re.MULTILINE)
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)\b([^>]*)>")
_ATTRIBUTE = re.compile(
    r"([a-zA-Z:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))",
)
_LOADING_ATTRIBUTES = {"src", "srcset", "data", "poster", "background", "imagesrcset"}
_LOADING_HREF = {"link", "image", "use", "feimage"}
_CSS_LOAD = re.compile(r"(?:url\(\s*[\"']?|(@import)\s+[\"'])\s*" + _REMOTE, re.IGNORECASE)
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)(?:</style\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_IS_REMOTE = re.compile(r"\s*(?:https?:)?//", re.IGNORECASE)


def remote_loads(text: str) -> Iterator[tuple[int, str, str]]:
    """Each resource ``text`` (Markdown with HTML) would load from another host when shown:
    (line, what, address). Links are not loads (a reader chooses to follow one); code blocks
    are text."""
    text = _without_fences(text)

    def line_of(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    for m in _MD_IMAGE.finditer(text):
        yield line_of(m.start()), "image", m[1]
    definitions = {_label(m[1]): m[2] for m in _MD_DEFINITION.finditer(text)}
    for m in _MD_REF_IMAGE.finditer(text):
        url = definitions.get(_label(m[2] or m[1]))
        if url and _IS_REMOTE.match(url):
            yield line_of(m.start()), "image", url
    for m in _TAG.finditer(text):
        tag = m[1].lower()
        for a in _ATTRIBUTE.finditer(m[2]):
            name = a[1].lower()
            value = a[2] if a[2] is not None else a[3] if a[3] is not None else a[4]
            if name == "style":
                for css in _CSS_LOAD.finditer(value):
                    yield line_of(m.start()), "style image", css[2]
            elif name in _LOADING_ATTRIBUTES or (
                name in ("href", "xlink:href") and tag in _LOADING_HREF
            ):
                for candidate in value.split(",") if "srcset" in name else [value]:
                    url = candidate.strip().split(" ")[0]
                    if _IS_REMOTE.match(url):
                        what = "image" if tag == "img" else tag
                        yield line_of(m.start()), what, url
    for m in _STYLE_ELEMENT.finditer(text):
        for css in _CSS_LOAD.finditer(m[1]):
            what = "style sheet" if css[1] else "style image"
            yield line_of(m.start(1) + css.start()), what, css[2]


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _without_fences(text: str) -> str:
    """``text`` with the lines of fenced code blocks blanked (so line numbers stay)."""
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = None if fence == stripped[:3] else (fence or stripped[:3])
            out.append("")
            continue
        out.append("" if fence else line)
    return "\n".join(out)


def page_address(inner: str) -> str:
    """The address MkDocs gives a page at ``inner`` (a path under content/): ``about.md`` and
    ``about/index.md`` are both /about/; README.md is an index too."""
    parts = inner[: -len(".md")].split("/")
    if parts[-1] in ("index", "README"):
        parts = parts[:-1]
    return "/" + "".join(f"{p}/" for p in parts)
