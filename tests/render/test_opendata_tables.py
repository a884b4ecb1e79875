"""The site-wide data files, made one indicator at a time, are byte for byte the same as the
tables made from every row at once."""

from __future__ import annotations

import json

from generator.pipeline import check
from generator.render import opendata

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
    parts = [opendata.table_parts(opendata.rows(a)) for a in assessed]
    assert opendata.all_tables(parts) == (opendata.to_csv(rows), opendata.table_json(rows))


def test_all_tables_with_awkward_text(make_site):
    site = make_site(indicators={"awkward.yml": NOTE_MEASURE, "plain.yml": NOTE_MEASURE})
    _site, assessed, _ = check(site.root)
    rows = opendata.all_rows(assessed)
    parts = [opendata.table_parts(opendata.rows(a)) for a in assessed]
    csv_bytes, json_bytes = opendata.all_tables(parts)
    assert json_bytes == opendata.table_json(rows)
    header, *body = json.loads(json_bytes)
    assert header == opendata.COLUMNS
    assert [dict(zip(header, values, strict=True)) for values in body] == rows
    assert json_bytes.count(b"\n") == len(rows) + 3  # "[", the header, a line a row, "]"
    assert csv_bytes == opendata.to_csv(rows)
    assert b"\\n" in json_bytes  # the note's newline, escaped inside its text


def test_all_tables_of_nothing():
    assert opendata.all_tables([]) == (opendata.to_csv([]), opendata.table_json([]))


def test_site_data_files_made_by_the_renderer_equal_data_files(example_copy):
    """The renderer makes each indicator's files once (and serve keeps them): the same bytes
    as opendata.data_files, in the same order."""
    from generator.render.pages import OutputCache, Renderer

    site, assessed, _ = check(example_copy)
    expected = opendata.data_files(assessed, site.config, site.root)
    cache = OutputCache()
    for _ in range(2):  # made, then taken from the cache
        renderer = Renderer(site, assessed, cache)
        renderer.prepare_data()
        assert list(renderer.data.items()) == expected.files
        assert renderer.data_sizes == expected.sizes
    assert len(cache.data) == len(assessed)
