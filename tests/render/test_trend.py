"""Directions shown side by side (also_compare_with) and the trend, as a measure's page, its open
data and /how-to-read/ give them. Expected directions are worked out here, from the values."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from generator.assess.assessment import assess_site, comparisons
from generator.render.pages import all_outputs
from generator.site.loader import load_site
from generator.site.models import Measure
from generator.site.problems import Problems
from tests.conftest import MINIMAL_CONFIG, REPO

# Quarterly, higher is better, reported at Q2 2019/20.
VALUES = [
    ("2018/19 Q1", 50),
    ("2018/19 Q2", 70),
    ("2018/19 Q3", 66),
    ("2018/19 Q4", 60),
    ("2019/20 Q1", 58),
    ("2019/20 Q2", 62),
]


def measure_yaml(**fields: Any) -> dict[str, Any]:
    return {
        "title": "Trend measure",
        "priority": "health",
        "unit": "number",
        "polarity": "higher_is_better",
        "decimals": 0,
        **fields,
        "values": [{"period": p, "value": v} for p, v in VALUES],
    }


def build(folder: Path, m: dict[str, Any], ratings: dict[str, Any] | None = None) -> dict[str, str]:
    (folder / "indicators").mkdir(parents=True, exist_ok=True)
    config = {**MINIMAL_CONFIG, **({"ratings": ratings} if ratings else {})}
    (folder / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (folder / "indicators" / "m.yml").write_text(yaml.safe_dump(m), encoding="utf-8")
    problems = Problems()
    site = load_site(folder, problems)
    assert site is not None and not problems.errors, [p.format() for p in problems.errors]
    outputs = all_outputs(site, assess_site(site, problems))
    return {o.path: o.data.decode("utf-8-sig") for o in outputs}


def word(change: Fraction) -> str:
    """Higher is better, shown to whole numbers: steady when the change shows as zero."""
    if abs(change) < Fraction(1, 2):
        return "Steady"
    return "Improving" if change > 0 else "Declining"


def trend_change(values: list[int]) -> Fraction:
    """The least-squares line's rise over the window, from the slope's textbook formula."""
    n = len(values)
    mean_x = Fraction(n - 1, 2)
    mean_y = Fraction(sum(values), n)
    top = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    bottom = sum((x - mean_x) ** 2 for x in range(n))
    return top / bottom * (n - 1)


def expected_row(i: int) -> dict[str, str]:
    """The directions of the i-th value against the previous quarter, a year earlier and the
    trend over the last four quarters (all six values are consecutive quarters)."""
    numbers = [v for _, v in VALUES]
    out = {
        "previous": word(Fraction(numbers[i] - numbers[i - 1])) if i >= 1 else "",
        "year_ago": word(Fraction(numbers[i] - numbers[i - 4])) if i >= 4 else "",
        "trend": word(trend_change(numbers[i - 3 : i + 1])) if i >= 3 else "",
    }
    return out


def cells(row_html: str) -> list[str]:
    found = re.findall(r"<td role=\"cell\"[^>]*>(.*?)</td>", row_html)
    return [re.sub(r"<span class=\"pp-visually-hidden\">.*?</span>", "", c) for c in found]


def words_of(cell: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()


def test_the_page_shows_each_comparison_beside_the_headline(tmp_path):
    m = measure_yaml(compare_with="previous", also_compare_with=["year_ago", "trend"])
    page = build(tmp_path, m)["indicators/m.md"]
    latest = expected_row(len(VALUES) - 1)
    # The values were chosen so that the three directions are not all the same.
    assert len(set(latest.values())) > 1, latest
    position = re.search(r'<ul class="pp-position__travel".*?</ul>', page, re.S)
    assert position is not None
    items = [words_of(li) for li in re.findall(r"<li>(.*?)</li>", position[0])]
    items = [re.sub(r", the value (rose|fell)", "", item) for item in items]
    assert items == [
        f"Against the previous quarter: {latest['previous']}",
        f"Against a year earlier: {latest['year_ago']}",
        f"Over the last 4 quarters: {latest['trend']}",
    ]
    head = re.search(r"<thead.*?</thead>", page, re.S)
    assert head is not None
    headings = [words_of(h) for h in re.findall(r"<th [^>]*>(.*?)</th>", head[0])]
    assert headings == [
        "Period",
        "Value",
        "Target",
        "Rating",
        "Direction against the previous quarter",
        "Direction against a year earlier",
        "Direction over the last 4 quarters",
        "Note",
    ]
    body = re.search(r"<tbody.*?</tbody>", page, re.S)
    assert body is not None
    rows = re.findall(r"<tr role=\"row\">(.*?)</tr>", body[0])
    assert len(rows) == len(VALUES)
    for i, row in zip(reversed(range(len(VALUES))), rows, strict=True):
        found = [words_of(c) for c in cells(row)[3:6]]
        want = expected_row(i)
        assert found == [want["previous"], want["year_ago"], want["trend"]], VALUES[i]
    summary = html.unescape(re.search(r'id="chart-summary">(.*?)</p>', page, re.S)[1])
    assert (
        f"Over the last 4 quarters, from Q3 2018/19 to Q2 2019/20, it is "
        f"{latest['trend'].lower()}." in summary
    )
    assert f"Q2 2018/19, the same period a year earlier, it is {latest['year_ago'].lower()}" in (
        summary
    )


def test_the_open_data_has_a_column_for_each_comparison(tmp_path):
    m = measure_yaml(compare_with="trend", also_compare_with=["year_ago"])
    files = build(tmp_path, m)
    rows = list(csv.DictReader(io.StringIO(files["data/m.csv"])))
    for i, row in enumerate(rows):
        want = {k: v.lower() for k, v in expected_row(i).items()}
        assert row["direction"] == want["trend"] == row["direction_trend"]
        assert row["direction_year_ago"] == want["year_ago"]
        assert row["direction_previous"] == ""  # not shown for this measure
    info = json.loads(files["data/m.json"])
    assert (info["compare_with"], info["also_compare_with"], info["trend_periods"]) == (
        "trend",
        ["year_ago"],
        4,
    )
    assert [v["direction_trend"] for v in info["values"]] == [
        r["direction_trend"] or None for r in rows
    ]
    schema = json.loads(files["data/indicators.schema.json"])
    named = {f["name"]: f for f in schema["fields"]}
    for column in ("direction_previous", "direction_year_ago", "direction_trend"):
        assert "improving" in named[column]["constraints"]["enum"]
    everything = list(csv.DictReader(io.StringIO(files["data/indicators.csv"])))
    assert [r["direction_trend"] for r in everything if r["indicator_id"] == "m"] == [
        r["direction_trend"] for r in rows
    ]


def test_a_trend_headline_says_why_there_is_none(tmp_path):
    """The latest quarter's window has a quarter with no value: no direction, and why."""
    m = measure_yaml(compare_with="trend", trend_periods=3)
    m["values"][3] = {"period": "2018/19 Q4", "value": None, "missing": "tbc"}
    files = build(tmp_path, m)
    page = files["indicators/m.md"]
    summary = html.unescape(re.search(r'id="chart-summary">(.*?)</p>', page, re.S)[1])
    assert (
        "Over the last 3 quarters: no direction of travel, because one of those quarters has "
        "no value." in summary
    )
    badges = re.search(r'<p class="pp-position__badges">(.*?)</p>', page)[1]
    assert "No comparison" in badges
    rows = list(csv.DictReader(io.StringIO(files["data/m.csv"])))
    # Q1 2019/20's window holds the missing Q4; Q2 2019/20's too (Q4, Q1, Q2).
    assert [r["direction"] for r in rows][-2:] == ["", ""]
    numbers = [v for _, v in VALUES]
    assert rows[2]["direction"] == word(trend_change(numbers[0:3])).lower()


def test_a_break_inside_the_window_gives_no_trend_but_one_at_its_start_does(tmp_path):
    m = measure_yaml(compare_with="trend", trend_periods=3)
    m["values"][3]["series_break"] = "Counted a new way."  # 2018/19 Q4
    rows = list(csv.DictReader(io.StringIO(build(tmp_path, m)["data/m.csv"])))
    numbers = [v for _, v in VALUES]
    # Q4 and Q1 have the break inside their windows; Q2 2019/20's window starts at it.
    assert [r["direction"] for r in rows][3:5] == ["", ""]
    assert rows[5]["direction"] == word(trend_change(numbers[3:6])).lower()


def test_a_stated_direction_overrides_the_trend_headline_only(tmp_path):
    m = measure_yaml(compare_with="trend", also_compare_with=["previous"])
    m["values"][-1].update(direction="improving", direction_reason="As published.")
    files = build(tmp_path, m)
    rows = list(csv.DictReader(io.StringIO(files["data/m.csv"])))
    want = {k: v.lower() for k, v in expected_row(len(VALUES) - 1).items()}
    assert want["trend"] != "improving"  # so the stated one shows
    assert rows[-1]["direction"] == "improving"
    assert rows[-1]["direction_trend"] == want["trend"]
    assert rows[-1]["direction_previous"] == want["previous"]
    page = files["indicators/m.md"]
    # The position names each direction, the headline first: the stated one, marked.
    position = re.search(r'<ul class="pp-position__travel".*?</ul>', page, re.S)
    assert position is not None
    items = [words_of(li) for li in re.findall(r"<li>(.*?)</li>", position[0])]
    assert items[0].startswith("Over the last 4 quarters: Improving"), items
    assert "(as published)" in items[0] and "(as published)" not in items[1], items
    # ... and not once more unnamed beside the rating.
    badges = re.search(r'<p class="pp-position__badges">(.*?)</p>', page)[1]
    assert "pp-dir" not in badges


def test_the_site_settings_are_the_default_less_the_headline(tmp_path):
    ratings = {"compare_with": "year_ago", "also_compare_with": ["trend"], "trend_periods": 3}
    m = measure_yaml(compare_with="trend")
    files = build(tmp_path, m, ratings)
    info = json.loads(files["data/m.json"])
    assert (info["compare_with"], info["also_compare_with"], info["trend_periods"]) == (
        "trend",
        [],
        3,
    )
    base = {"title": "t", "priority": "p", "polarity": "neutral", "values": []}
    assert comparisons(Measure(**base), "previous", ["trend", "year_ago"]) == (
        "previous",
        "trend",
        "year_ago",
    )
    cumulative = Measure(**base, cumulative="financial_year")
    assert comparisons(cumulative, "previous", ["previous", "trend"]) == ("year_ago",)
    assert comparisons(Measure(**base, also_compare_with=[]), "trend", ["year_ago"]) == ("trend",)


def normalised(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def test_how_to_read_gives_the_trend_rule_word_for_word_as_the_spec(tmp_path):
    spec = (REPO / "SPEC.md").read_text(encoding="utf-8")
    start = spec.index("**Trend over the last N periods**")
    rule = normalised(spec[start : spec.index("\n\n", start)])
    first, rest = rule.split(". ", 1)
    assert (
        first
        == "Trend over the last N periods: the N most recent values up to and including this one"
    )
    page = build(tmp_path, measure_yaml(also_compare_with=["trend"]))["how-to-read.md"]
    text = normalised(html.unescape(page))
    assert f"{first} (N is 4 unless a measure's page says otherwise). {rest}" in text
    # Without a trend on the site, the rule is not described.
    page = build(tmp_path, measure_yaml())["how-to-read.md"]
    assert "Trend over the last N periods" not in page


def test_a_measure_compared_with_nothing_has_no_direction_anywhere(tmp_path):
    """compare_with: none (a measure of demand or context): no direction on its page, in its
    table, its data or the site's counts; /how-to-read/ says such measures exist only when one
    does."""
    files = build(tmp_path / "none", measure_yaml(compare_with="none"))
    page = files["indicators/m.md"]
    assert "No direction of travel is given for this measure." in page
    assert "pp-dir" not in page  # no badge, not even "No comparison"
    head = re.search(r"<thead.*?</thead>", page, re.S)
    assert head is not None and "Direction" not in head[0]
    rows = list(csv.DictReader(io.StringIO(files["data/m.csv"])))
    assert len(rows) == len(VALUES)
    for row in rows:
        assert [row[k] for k in ("direction", *(f"direction_{c}" for c in COMPARED))] == [""] * 4
    assert json.loads(files["data/m.json"])["compare_with"] == "none"
    assert "given no direction of travel" in files["how-to-read.md"]
    home = files["index.md"]
    assert "0 improving, 0 steady, 0 declining" in home, home
    # The same measure compared with the period before has a direction, and the guide says
    # nothing of measures without one.
    files = build(tmp_path / "previous", measure_yaml(compare_with="previous"))
    assert "given no direction of travel" not in files["how-to-read.md"]
    assert "pp-dir" in files["indicators/m.md"]


COMPARED = ("previous", "year_ago", "trend")
