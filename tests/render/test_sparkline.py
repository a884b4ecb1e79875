"""The printed report's static chart: well-formed SVG with a name, gaps where values are
missing, and a stepped target line."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.pipeline import check
from generator.render.charts import TARGET_COLOUR, TEXT, VALUE_COLOUR
from generator.render.sparkline import GRID, sparkline

SVG = "{http://www.w3.org/2000/svg}"

MEASURE = """\
title: Waits
priority: health
unit: percent
polarity: lower_is_better
target:
  - {from: 2019/20 Q1, value: 10}
  - {from: 2019/20 Q3, value: 8}
values:
  - {period: 2019/20 Q1, value: 12}
  - {period: 2019/20 Q2, value: 11}
  - {period: 2019/20 Q3, value: null, missing: tbc}
  - {period: 2019/20 Q4, value: 7.5}
  - {period: 2020/21 Q1, value: 7}
"""


def draw(make_site, measure: str = MEASURE):
    site = make_site(
        config={
            "site": {"title": "T", "organisation": "O"},
            "reporting_period": "2020/21 Q1",
            "priorities": [{"id": "health", "title": "Health"}],
        },
        indicators={"waits.yml": measure},
    )
    _, assessed, _ = check(site.root)
    a = assessed[0]
    return sparkline(a.model, a.points, 'Chart of "Waits" & <more>')


def test_svg_is_well_formed_named_and_escaped(make_site):
    svg = ET.fromstring(str(draw(make_site)))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == 'Chart of "Waits" & <more>'
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    # The axis's ends (7% to 12%, targets 10% and 8%: ten points at least, rounded to 2s),
    # the values' range, the first and the last period.
    assert texts == ["16%", "4%", "7.0% to 12.0%", "Q1 2019/20", "Q1 2020/21"]
    assert (svg.get("data-axis-low"), svg.get("data-axis-high")) == ("4.0", "16.0")


def test_missing_value_breaks_the_line_and_target_steps(make_site):
    svg = ET.fromstring(str(draw(make_site)))
    assert len(list(svg.iter(f"{SVG}circle"))) == 4, "one dot per value"
    lines = list(svg.iter(f"{SVG}polyline"))
    assert [len(p.get("points").split()) for p in lines] == [2, 2], "a gap for Q3"
    targets = [
        ln for g in svg.iter(f"{SVG}g") if g.get("stroke-dasharray") for ln in g.iter(f"{SVG}line")
    ]
    heights = [float(ln.get("y1")) for ln in targets]
    assert len(targets) == 5
    assert heights[0] == heights[1] and heights[2] == heights[3] == heights[4]
    assert heights[2] > heights[1], "the lower target (8) is drawn lower down"


def test_nothing_to_draw_without_values(make_site):
    measure = (
        MEASURE.split("values:")[0]
        + "values:\n  - {period: 2019/20 Q1, value: null, missing: tbc}\n"
    )
    assert draw(make_site, measure) is None


def _heights(svg: ET.Element) -> list[float]:
    return [float(c.get("cy")) for c in svg.iter(f"{SVG}circle")]


def test_flat_and_huge_values_are_drawn_inside_the_chart(make_site):
    """Equal values are drawn level whatever their size (9007199254740996 - 1 is the same float,
    which once divided by zero); the largest values a file may hold do not overflow."""
    top, bottom = 22, 150 - 24
    for low, high in [
        (50, 50),
        (9007199254740996, 9007199254740996),
        (1e308, 1e308),
        (-1.7e308, 1.7e308),
    ]:
        measure = (
            "title: Big\npriority: health\npolarity: neutral\nvalues:\n"
            f"  - {{period: 2019/20 Q1, value: {low!r}}}\n"
            f"  - {{period: 2019/20 Q2, value: {high!r}}}\n"
        )
        heights = _heights(ET.fromstring(str(draw(make_site, measure))))
        assert len(heights) == 2
        assert all(top <= h <= bottom for h in heights), (low, high, heights)
        if low == high:
            assert heights[0] == heights[1]
            assert heights[0] < (top + bottom) / 2, "a count of 50 is drawn above its zero"
        else:
            assert heights[0] > heights[1], "the larger value is drawn higher up"


def test_each_kind_of_mark_takes_its_look_from_one_group(make_site):
    """Colours, widths and the font are written once for each kind of mark, on a group around
    them, and no mark repeats or overrides them (SVG's marks inherit from their group)."""
    svg = ET.fromstring(str(draw(make_site)))
    looks: dict[str, dict[str, str]] = {}
    for g in svg.iter(f"{SVG}g"):
        kinds = {child.tag.removeprefix(SVG) for child in g}
        assert len(kinds) == 1, f"one kind of mark a group: {kinds}"
        kind = kinds.pop()
        key = "target" if g.get("stroke-dasharray") else kind
        assert key not in looks, f"one group for {key}"
        looks[key] = dict(g.attrib)
        for mark in g:
            assert not {"fill", "stroke", "stroke-width", "font-size"} & set(mark.attrib)
    assert looks["text"] == {"fill": TEXT, "font-size": "12", "font-family": "sans-serif"}
    assert looks["circle"] == {"fill": VALUE_COLOUR}
    assert looks["polyline"]["stroke"] == VALUE_COLOUR and looks["polyline"]["fill"] == "none"
    assert looks["target"]["stroke"] == TARGET_COLOUR
    assert looks["line"] == {"stroke": GRID, "stroke-width": "1"}
    assert all(g in svg for g in svg.iter(f"{SVG}g")), "groups sit directly in the chart"
    assert not [m for m in svg if m.tag != f"{SVG}g"], "every mark is in a group"
