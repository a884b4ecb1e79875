"""The site-wide data files, made one indicator at a time, are byte for byte the same as the
tables made from every row at once."""

from __future__ import annotations

from generator import opendata
from generator.build import check

NOTE_MEASURE = """\
title: "Line\\nbreaks, \\"quotes\\", =formula and café"
priority: health
unit: percent
polarity: higher_is_better
target: 90
values:
  - period: 2019/20 Q1
    value: 85.25
    note: |
      A note on
      two lines, with "quotes" and a tab\there.
  - period: 2019/20 Q2
    value: null
    missing: tbc
"""


def test_all_tables_equal_the_tables_of_all_rows(example_copy):
    _site, assessed, _ = check(example_copy)
    rows = opendata.all_rows(assessed)
    assert len(rows) > 100
    assert opendata.all_tables(assessed) == (opendata.to_csv(rows), opendata.to_json(rows))


def test_all_tables_with_awkward_text(make_site):
    site = make_site(indicators={"awkward.yml": NOTE_MEASURE, "plain.yml": NOTE_MEASURE})
    _site, assessed, _ = check(site.root)
    rows = opendata.all_rows(assessed)
    csv_bytes, json_bytes = opendata.all_tables(assessed)
    assert json_bytes == opendata.to_json(rows)
    assert csv_bytes == opendata.to_csv(rows)
    assert b"\\n" in json_bytes  # the note's newline, escaped inside its text


def test_all_tables_of_nothing():
    assert opendata.all_tables([]) == (opendata.to_csv([]), opendata.to_json([]))
