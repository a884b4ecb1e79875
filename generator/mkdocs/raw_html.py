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

The hook also has the theme's template environment list the files of installed themes and
compile their templates once per process, not once per build (``internals.cache_theme``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.mkdocs.internals import cache_theme
from generator.render.text import RAW_CLOSE, RAW_OPEN

_BLOCK = re.compile(re.escape(RAW_OPEN) + "(.*?)" + re.escape(RAW_CLOSE), re.S)

# The name the generated mkdocs.yml gives this file under ``hooks:`` (MkDocs keys its plugins so).
HOOK = str(Path(__file__).resolve())


def restore(html: str) -> str:
    """The page with each carried block in place of its comment."""
    if RAW_OPEN not in html:
        return html
    return _BLOCK.sub(lambda m: m.group(1), html)


def on_post_page(output: str, **kwargs: Any) -> str:
    """MkDocs' hook on each page's final HTML."""
    return restore(output)


def on_config(config: Any, **kwargs: Any) -> Any:
    """MkDocs' hook on the configuration, before the theme's environment is made."""
    cache_theme(config)
    return config
