"""Column labels written once per table (generator/render/labels.py): a table of any labels
carries the same label for every cell as before, read back with an independent reader of the
HTML attribute and the CSS strings in it."""

from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.labels import MAX_COLUMNS, labelled_tables

LABEL = st.lists(st.sampled_from([*"ab Z'\"\\&<>;:-é\n\t", "&amp;"]), min_size=1, max_size=12).map(
    "".join
)


def table(labels: list[str | None], rows: int) -> str:
    """A table as the templates write it: a row header, then cells with data-label."""
    cells = "".join(
        "<td>x</td>" if label is None else f'<td data-label="{html.escape(label)}">x</td>'
        for label in labels
    )
    body = "\n".join(f'<tr role="row"><th scope="row">r{i}</th>{cells}</tr>' for i in range(rows))
    return (
        '<p>before</p>\n<table class="pp-data" role="table">\n<caption id="c">C</caption>\n'
        f'<thead><tr><th scope="col">h</th></tr></thead>\n<tbody role="rowgroup">\n{body}\n'
        "</tbody>\n</table>\n<p>after</p>"
    )


class Reader(HTMLParser):
    """Each table's style attribute and the data-label of each body cell, as a browser reads
    attribute values (entities decoded)."""

    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str | None] = []
        self.cell_labels: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self.styles.append(found.get("style"))
        if tag == "td":
            self.cell_labels.append(found.get("data-label"))


def css_labels(style: str) -> dict[int, str]:
    """--pp-lN:'...' declarations, CSS escapes undone (\\X is X; \\a and one space a newline)."""
    out: dict[int, str] = {}
    for number, raw in re.findall(r"--pp-l(\d+):'((?:[^'\\]|\\.)*)'", style, re.S):
        out[int(number)] = re.sub(r"\\a |\\(.)", lambda m: m.group(1) or "\n", raw)
    return out


@given(
    st.lists(st.one_of(st.none(), LABEL), min_size=1, max_size=MAX_COLUMNS - 1), st.integers(1, 4)
)
@settings(max_examples=int(os.environ.get("PERFPAGES_FUZZ_EXAMPLES", "300")), deadline=None)
def test_every_cell_keeps_its_label(labels, rows):
    page = labelled_tables(table(labels, rows))
    reader = Reader()
    reader.feed(page)
    if all(label is None for label in labels):
        assert page == table(labels, rows)  # nothing to move
        return
    assert reader.cell_labels == [None] * (len(labels) * rows), "labels left on cells"
    [style] = reader.styles
    assert style is not None
    wanted = {i: label for i, label in enumerate(labels, start=2) if label is not None}
    assert css_labels(style) == wanted
    assert page.startswith("<p>before</p>") and page.endswith("<p>after</p>")


def test_rows_labelled_differently_are_left_as_written():
    different = table(["A", "B"], 2).replace('data-label="B">x</td></tr>', ">x</td></tr>", 1)
    assert labelled_tables(different) == different


def test_rows_with_the_same_labels_in_other_places_are_left_as_written():
    """Row two has A and B in the same order as row one, but in other cells."""
    one_row = table(["A", None, "B"], 1)
    first = '<td data-label="A">x</td><td>x</td><td data-label="B">x</td></tr>'
    second = '<tr role="row"><th scope="row">r1</th><td data-label="A">x</td>'
    second += '<td data-label="B">x</td><td>x</td></tr>'
    shifted = one_row.replace(first, first + "\n" + second)
    assert shifted.count("<tr") == 3
    assert labelled_tables(shifted) == shifted
    assert labelled_tables(one_row) != one_row


def test_a_table_wider_than_the_stylesheet_knows_is_left_as_written():
    wide = table([f"c{i}" for i in range(MAX_COLUMNS)], 2)  # a row header and 16 cells
    assert labelled_tables(wide) == wide
    fits = table([f"c{i}" for i in range(MAX_COLUMNS - 1)], 2)
    assert labelled_tables(fits) != fits


def test_the_stylesheet_has_a_rule_for_every_place():
    from tests.conftest import REPO

    css = (REPO / "theme" / "assets" / "stylesheets" / "perfpages.css").read_text("utf-8")
    for place in range(2, MAX_COLUMNS + 1):
        rule = f'td:nth-child({place})::before {{\n        content: var(--pp-l{place}) / "";'
        assert css.count(rule) == 2, place  # the two widths' blocks
    assert css.count('td[data-label]::before {\n        content: attr(data-label) / "";') == 2
