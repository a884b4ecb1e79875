"""The markup of the data tables without what only stacked rows need (issue 13): the ARIA roles
that keep a table a table when its rows are blocks, each cell's column name and what the
rows are (and the table's column names, written once on it by generator/render/labels.py). Tests that
read tables with patterns use this, so the patterns stay short; ``column_cells`` reads one column
by the name a narrow screen shows."""

from __future__ import annotations

import re

_EXTRA = re.compile(
    r' role="(?:table|rowgroup|row|columnheader|rowheader|cell)"'
    r'| data-label="[^"]*"| data-rows="[a-z]+"| style="--pp-l[^"]*"'
)
_TABLE = re.compile(r'<table class="pp-data"[^>]*?style="([^"]*)"[^>]*>(.*?)</table>', re.S)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(?:td|th)\b[^>]*>(.*?)</(?:td|th)>", re.S)


def plain_tables(html: str) -> str:
    return _EXTRA.sub("", html)


def column_cells(html: str, label: str) -> list[str]:
    """The contents of every body cell, in every table, whose column's stacked label is
    ``label`` (``--pp-lN:'label'`` on the table: the Nth cell of each row)."""
    out: list[str] = []
    for style, table in _TABLE.findall(html):
        place = re.search(r"--pp-l(\d+):'" + re.escape(label) + "'", style)
        if not place:
            continue
        body = table[table.index("<tbody") :]
        for row in _ROW.findall(body):
            cells = _CELL.findall(row)
            out.append(cells[int(place.group(1)) - 1])
    return out
