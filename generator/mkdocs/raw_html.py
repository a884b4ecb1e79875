"""HTML that goes past Python-Markdown: large tables of figures placed on the page as written.

The generated pages carry their large blocks of HTML (each report's tables of every indicator,
the printable report's sections) as ``<!--pp-raw ... -->`` comments
(``generator.render.text.carry_raw``). Python-Markdown, MkDocs'
anchor reader and the search plugin each parse every tag of raw HTML in Python, three passes
over megabytes on a large site's reports; a comment they skip in one step. This module, named
in the generated mkdocs.yml as a MkDocs hook, puts each block back in place of its comment in
the page's final HTML. Only blocks nothing needs from MkDocs go this way: no Markdown inside,
no link MkDocs would check or rewrite, no heading for the table of contents, nothing the
search index takes (tables are ``data-search-exclude``; printable reports are not indexed).

Before that, the hook takes out the indentation and blank lines Material's templates write
(about a third of the theme's bytes on every page): each run of white space that holds a line
break becomes one line break, which a browser shows exactly as it showed the run, except inside
``<pre>``, ``<textarea>``, ``<script>`` and ``<style>``, which are left as they are.

The hook also has the theme's template environment list the theme's files without its hidden
folders and compile its templates once per process, not once per build (``internals.cache_theme``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

from generator.mkdocs.internals import cache_theme
from generator.render.text import RAW_CLOSE, RAW_OPEN
from generator.site.languages import lang_blocks, unmark, with_lang

_BLOCK = re.compile(re.escape(RAW_OPEN) + "(.*?)" + re.escape(RAW_CLOSE), re.S)

# The name the generated mkdocs.yml gives this file under ``hooks:`` (MkDocs keys its plugins so).
HOOK = str(Path(__file__).resolve())


def restore(html: str) -> str:
    """The page with each carried block in place of its comment."""
    if RAW_OPEN not in html:
        return html
    return _BLOCK.sub(lambda m: m.group(1), html)


# What keeps its white space: preformatted text, text areas, scripts and stylesheets.
_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
# HTML's white space only: a no-break space is text
_LINE_BREAK_RUN = re.compile(r"[ \t\r\f]*\n[ \t\r\f\n]*")


def collapse(html: str) -> str:
    """The page without its indentation and blank lines (each white space run holding a line
    break made one line break), except in the elements of ``_KEEP``."""
    parts = _KEEP.split(html)
    # split gives text, then the kept element and its tag name, then text again
    for i in range(0, len(parts), 3):
        parts[i] = _LINE_BREAK_RUN.sub("\n", parts[i])
    return "".join(parts[i] for i in range(len(parts)) if i % 3 != 2)


def on_post_page(output: str, **kwargs: Any) -> str:
    """MkDocs' hook on each page's final HTML: its carried blocks put back, its white space
    collapsed, and text shown in another language than the page's marked with its own."""
    return with_lang(restore(collapse(output)))


def on_page_content(html: str, page: Any, config: Any, **kwargs: Any) -> str:
    """MkDocs' hook on a page's content: a content page shown untranslated on the pages of
    another language says its own (``extra.pp_shown_in``, by source file, from
    ``mkdocs/config.py``), and so does a narrative (``languages.lang_blocks``)."""
    shown_in = (config["extra"].get("pp_shown_in") or {}).get(page.file.src_uri)
    html = lang_blocks(html)
    return f'<div lang="{shown_in}">{html}</div>' if shown_in else html


def on_post_template(output_content: str, template_name: str, **kwargs: Any) -> str:
    """MkDocs' hook on a page made from a template alone (the 404 page)."""
    if not template_name.endswith(".html"):
        return unmark(output_content)
    return with_lang(collapse(output_content))


@event_priority(100)
def on_config(config: Any, **kwargs: Any) -> Any:
    """MkDocs' hook on the configuration, before the theme's environment is made: first, so
    that the environment the search plugin's ``on_config`` makes uses the compiled templates
    too."""
    cache_theme(config)
    return config
