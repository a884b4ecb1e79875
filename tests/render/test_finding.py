"""Finding: the all-indicators table without JavaScript, the filter form it ships for filter.js,
and the site search index, which finds indicators by title, description and commentary."""

from __future__ import annotations

import html as htmllib
import json
import re

import yaml

from generator.render.text import plain_text
from tests.conftest import REPO
from tests.render.tables import plain_tables

COLUMNS = [
    "Indicator",
    "Priority",
    "Service",
    "Tags",
    "Latest period",
    "Latest value",
    "Rating",
    "Direction",
]


def sources() -> dict[str, dict]:
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((REPO / "indicators").rglob("*.yml"))
    }


def test_all_indicators_is_a_plain_table_of_every_indicator(example_built):
    html = plain_tables((example_built / "indicators" / "index.html").read_text(encoding="utf-8"))
    table = re.search(r'<table class="pp-data">(.*?)</table>', html, re.S).group(1)
    assert '<caption id="all-table">All indicators at Q2 2019/20</caption>' in table
    headers = re.findall(r'<th scope="col" data-sort-type="(?:text|number)">([^<]+)</th>', table)
    assert headers == COLUMNS
    rows = re.findall(r"<tr data-priority=.*?</tr>", table, re.S)
    by_id = {re.search(r'<a href="([^"/]+)/"', r).group(1): r for r in rows}
    assert sorted(by_id) == sorted(sources())
    for ident, source in sources().items():
        row = by_id[ident]
        assert f'data-priority="{source["priority"]}"' in row
        assert row.count('<th scope="row">') == 1 and row.count("<td") == 7
        if source.get("service"):
            assert f"<td>{source['service']}</td>" in htmllib.unescape(row)
        assert re.search(r'data-rating="(green|amber|red|blue|not_rated)"', row), ident
        assert re.search(r'data-direction="(improving|steady|declining|up|down|none)"', row)
        # The rating is a word with its badge, never colour alone.
        assert re.search(r'<span class="pp-rating pp-rating--[a-z-]+">[A-Z][a-z ]+</span>', row)


def test_filter_form_is_labelled_and_hidden_until_javascript_runs(example_built):
    html = plain_tables((example_built / "indicators" / "index.html").read_text(encoding="utf-8"))
    form = re.search(r'<form class="pp-filter" id="pp-filter" hidden[^>]*>(.*?)</form>', html, re.S)
    assert form, "the form ships hidden: without JavaScript it would do nothing"
    selects = re.findall(r'<select id="([^"]+)" name="([^"]+)" data-filter="\2">', form.group(1))
    assert [name for _, name in selects] == ["priority", "service", "tag", "rating", "direction"]
    for select_id, _ in selects:
        assert f'<label for="{select_id}">' in form.group(1)
    # Only values that occur are offered: every option leads to at least one row.
    table = html[html.index('<table class="pp-data">') :]
    for name in ("priority", "rating", "direction"):
        block = re.search(rf'name="{name}".*?</select>', form.group(1), re.S).group(0)
        values = re.findall(r'<option value="([^"]+)">', block)
        assert values
        for value in values:
            assert f'data-{name}="{value}"' in table, (name, value)
    tags = re.findall(
        r'<option value="([^"]+)">',
        re.search(r'name="tag".*?</select>', form.group(1), re.S).group(0),
    )
    assert sorted(tags, key=str.casefold) == tags
    assert re.search(r'<p class="pp-filter__count" id="pp-filter-count" role="status"></p>', html)


def test_filter_script_is_loaded_only_on_the_all_indicators_page(example_built):
    for page in example_built.rglob("index.html"):
        loaded = "assets/javascripts/filter.js" in page.read_text(encoding="utf-8")
        assert loaded == (page.parent.name == "indicators"), page


def test_search_finds_indicators_by_title_description_and_commentary(example_built):
    index = json.loads((example_built / "search" / "search_index.json").read_text("utf-8"))
    text_by_page: dict[str, str] = {}
    titles: dict[str, set[str]] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        text_by_page[page] = text_by_page.get(page, "") + " " + re.sub(r"<[^>]+>", " ", doc["text"])
        titles.setdefault(page, set()).add(htmllib.unescape(doc["title"]))
    checked = 0
    for ident, source in sources().items():
        page = f"indicators/{ident}/"
        assert source["title"] in titles[page], ident
        words = " ".join(text_by_page[page].split())
        if source.get("description"):
            assert plain_text(source["description"]) in words, ident
        commentary = source.get("commentary")
        if source.get("kind") == "project":
            commentary = source["updates"][-1].get("commentary")
        if commentary:
            first = plain_text(commentary.split("\n\n")[0])[:80]
            assert first in words, (ident, first)
            checked += 1
    assert checked >= 30
    # The printable reports repeat every indicator: they stay out of the index, as does the
    # current report, which repeats the home page.
    pages = set(text_by_page)
    assert not any(p.endswith("/print/") for p in pages)
    assert "reports/2019-20-q2/" not in pages and "reports/2019-20-q1/" in pages
    # The breadcrumb is not indexed: it adds nothing a page's own words do not say, and put
    # "Home" in the text of every page.
    for doc in index["docs"]:
        if doc["location"].startswith("indicators/") and "#" not in doc["location"]:
            assert "Home" not in doc["text"], doc
