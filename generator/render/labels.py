"""The column names a narrow screen shows above each cell, written once per table.

Where a table of figures is too wide for the screen, each row stacks: every cell under the name
of its column (perfpages.css). The templates write that name on every cell
(``<td data-label="Target">``), which on a report of a thousand indicators is a sixth of the
page. ``labelled_tables`` moves them onto the table as CSS custom properties, one per column
(``<table ... style="--pp-l3:'Target'">``: ``--pp-lN`` for the Nth cell of a row, counting the
row header), which the stylesheet shows with ``td:nth-child(N)::before``. A table whose rows do
not all carry the same labels in the same places, or with more than ``MAX_COLUMNS`` cells a
row, is left as written (the stylesheet then shows each cell's own label).
"""

from __future__ import annotations

import html
import itertools
import re

# The stylesheet has a rule for each place up to this one (perfpages.css).
MAX_COLUMNS = 16
_TABLE = re.compile(
    r'(<table class="pp-data" role="table"(?: data-rows="[a-z]+")?)>(.*?</table>)', re.S
)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[hd]\b([^>]*)>")
_LABEL = re.compile(r' data-label="([^"]*)"')


def css_string(text: str) -> str:
    """``text`` as a CSS string in single quotes, to sit in a double-quoted HTML attribute."""
    text = text.replace("\\", "\\\\").replace("'", "\\'")
    text = re.sub(r"[\n\r\f]", "\\\\a ", text)
    return "'" + html.escape(text, quote=False).replace('"', "&quot;") + "'"


def _labelled(match: re.Match[str]) -> str:
    opening, rest = match.group(1), match.group(2)
    body_start = rest.find("<tbody")
    if body_start < 0 or " data-label=" not in rest:
        return match.group(0)
    body = rest[body_start:]
    # The attributes of every cell of the body, in order, and each one's label as written.
    cells = _CELL.findall(body)
    first = _ROW.search(body)
    width = len(_CELL.findall(first.group(1))) if first else 0
    written = [found.group(1) if (found := _LABEL.search(a)) else None for a in cells[:width]]
    needles = [None if v is None else f' data-label="{v}"' for v in written]
    same = (
        0 < width <= MAX_COLUMNS
        and len(cells) == width * body.count("<tr")
        and all(
            (needle is None and " data-label=" not in a) or (needle is not None and needle in a)
            for a, needle in zip(cells, itertools.cycle(needles))
        )
    )
    if not same:
        # cells labelled differently from row to row, or more than the stylesheet knows:
        # each cell keeps its own label
        return match.group(0)
    style = ";".join(
        f"--pp-l{position}:{css_string(html.unescape(label))}"
        for position, label in enumerate(written, start=1)
        if label is not None
    )
    return f'{opening} style="{style}">' + rest[:body_start] + _LABEL.sub("", body)


def labelled_tables(page: str) -> str:
    """``page`` with each table's cell labels written once on the table (module docstring)."""
    if " data-label=" not in page:
        return page
    return _TABLE.sub(_labelled, page)
