"""Honest value axes (issue 14, point 7): the interactive chart and the printed chart draw a
measure on the same axis, which holds everything drawn and does not make a small change look
large.

The property test writes random indicator files (every kind of unit, values near zero, near
100%, negative, huge, flat; targets that change; benchmarks), and reads the axis back from what
the real loader, assessment and renderers make: the range in the Plotly figure's JSON and the
ends and the drawn heights in the printed SVG. It checks them against its own reading of the
rule in SPEC.md ("The value axis of a chart"), from the numbers as written, in exact fractions.
"""

from __future__ import annotations

import json
import os
import tempfile
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.assess.assessment import Assessed, assess_site
from generator.pipeline import check
from generator.render import charts, sparkline
from generator.render.axes import value_axis
from generator.site.i18n import set_language
from generator.site.loader import load_site
from generator.site.models import Measure
from generator.site.problems import Problems
from tests.conftest import MINIMAL_CONFIG, REPO

EXAMPLES = min(200, int(os.environ.get("PERFPAGES_FUZZ_EXAMPLES", "200")))
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SVG = "{http://www.w3.org/2000/svg}"
QUARTERS = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2017, 2018, 2019) for q in (1, 2, 3, 4)]
REPORTING = "2019/20 Q2"
SHOWN = QUARTERS[: QUARTERS.index(REPORTING) + 1]
UNITS = ("percent", "number", "currency", "days", "rate", "score", "ratio", "placements")
AMOUNTS = ("number", "currency", "days", "rate", "placements")
# Where a measure's numbers lie, as whole hundredths: small and ordinary percentages, the
# issue's 97.0-98.2%, either sign, only negative, huge, about 1 (a ratio), all zero.
RANGES = [
    (0, 1000),
    (0, 10000),
    (9700, 9820),
    (-500000, 500000),
    (-100000, -1),
    (10**12, 10**12 + 500),
    (95, 105),
    (0, 0),
    (5, 5),
]


@st.composite
def measures(draw: st.DrawFn) -> dict[str, Any]:
    low, high = draw(st.sampled_from(RANGES))
    number = st.integers(min_value=low, max_value=high).map(lambda n: n / 100)
    count = draw(st.integers(min_value=1, max_value=len(QUARTERS)))
    values: list[dict[str, Any]] = []
    for period in QUARTERS[:count]:
        if draw(st.integers(0, 5)) == 0:
            values.append({"period": period, "value": None, "missing": "tbc"})
        else:
            values.append({"period": period, "value": draw(number)})
    measure: dict[str, Any] = {
        "title": "Random measure",
        "priority": "health",
        "unit": draw(st.sampled_from(UNITS)),
        "decimals": draw(st.integers(0, 2)),
        "polarity": draw(st.sampled_from(["higher_is_better", "lower_is_better", "neutral"])),
        "values": values,
    }
    target_form = draw(st.sampled_from(["none", "one", "steps"]))
    if target_form == "one":
        measure["target"] = draw(number)
    elif target_form == "steps":
        starts = sorted(
            draw(st.sets(st.sampled_from(QUARTERS), min_size=1, max_size=3)), key=QUARTERS.index
        )
        measure["target"] = [{"from": s, "value": draw(number)} for s in starts]
    benchmarks = draw(st.lists(number, max_size=2))
    measure["benchmarks"] = [
        {"label": f"Comparator {i}", "value": v} for i, v in enumerate(benchmarks)
    ]
    return measure


def target_in_force(measure: dict[str, Any], period: str) -> Fraction | None:
    """The test's own reading of the SPEC: the last step starting on or before the period."""
    target = measure.get("target")
    if target is None:
        return None
    if not isinstance(target, list):
        return Fraction(str(target))
    started = [s for s in target if QUARTERS.index(s["from"]) <= QUARTERS.index(period)]
    return Fraction(str(started[-1]["value"])) if started else None


def numbers_drawn(measure: dict[str, Any]) -> list[Fraction]:
    """Values and targets in force for the periods shown, and the benchmarks, as written."""
    drawn = []
    for entry in measure["values"]:
        if entry["period"] not in SHOWN:
            continue
        if entry["value"] is not None:
            drawn.append(Fraction(str(entry["value"])))
        target = target_in_force(measure, entry["period"])
        if target is not None:
            drawn.append(target)
    return drawn + [Fraction(str(b["value"])) for b in measure["benchmarks"]]


def render(folder: Path, measure: dict[str, Any]) -> tuple[dict[str, Any], ET.Element] | None:
    """The interactive chart's figure and the printed chart's SVG, for the same periods."""
    (folder / "indicators").mkdir(parents=True, exist_ok=True)
    config = {**MINIMAL_CONFIG, "reporting_period": REPORTING}
    (folder / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (folder / "indicators" / "random.yml").write_text(yaml.safe_dump(measure), encoding="utf-8")
    problems = Problems()
    site = load_site(folder, problems)
    assert site is not None and not problems.errors, [p.format() for p in problems.errors]
    set_language(site.config.site.language)
    [assessed] = assess_site(site, problems)
    return draw_both(assessed, site.config.reporting_period)


def draw_both(assessed: Assessed, period: Any) -> tuple[dict[str, Any], ET.Element] | None:
    spec = charts.chart_spec(assessed, period)
    shown = [p for p in assessed.points if p.period.end <= period.end]
    assert isinstance(assessed.model, Measure)
    svg = sparkline.sparkline(assessed.model, shown, "Chart")
    if spec is None:
        assert svg is None
        return None
    assert svg is not None
    # The page embeds the figure as this JSON: read it back as the browser does.
    return json.loads(str(charts.chart_json(spec))), ET.fromstring(str(svg))


def svg_axis(svg: ET.Element) -> tuple[float, float]:
    return float(svg.get("data-axis-low", "nan")), float(svg.get("data-axis-high", "nan"))


def is_multiple(number: float, step: float) -> bool:
    """As the numbers read (0.2, not the float nearest it)."""
    return Decimal(repr(number)) % Decimal(repr(step)) == 0


def is_nice(step: float) -> bool:
    """1, 2, 2.5 or 5 times a power of ten."""
    digits = Decimal(repr(step)).normalize().as_tuple().digits
    return digits in ((1,), (2,), (2, 5), (5,))


def required_span(unit: str, drawn: list[Fraction]) -> Fraction:
    """The least span the rule asks for, before margins and rounding."""
    low, high = min(drawn), max(drawn)
    if unit in AMOUNTS:
        low, high = min(low, 0), max(high, 0)
        least = Fraction(0)
    elif unit == "percent":
        if low >= 0 and high <= 10:
            low, least = Fraction(0), Fraction(0)
        else:
            least = Fraction(10)
    else:
        least = max(-low, high) / 10
    return max(high - low, least) or Fraction(1)


def check_axis(measure: dict[str, Any], figure: dict[str, Any], svg: ET.Element) -> None:
    drawn = numbers_drawn(measure)
    unit, decimals = measure["unit"], measure["decimals"]
    yaxis = figure["layout"]["yaxis"]
    low, high = yaxis["range"]
    step = yaxis["dtick"]
    # The same axis in both charts, set in full so the browser cannot choose its own.
    assert svg_axis(svg) == (low, high)
    assert yaxis["autorange"] is False and yaxis["fixedrange"] is True
    assert yaxis["tickmode"] == "linear" and yaxis["tick0"] == low
    lo, hi = Fraction(low), Fraction(high)
    # Everything drawn lies inside: the numbers as written, and as the figure carries them.
    assert all(lo <= n <= hi for n in drawn), (drawn, low, high)
    plotted = [y for trace in figure["data"] for y in trace["y"] if y is not None]
    assert all(low <= y <= high for y in plotted), (plotted, low, high)
    # A number sits on an end of the axis only where the end is zero or 100%.
    ends = {Fraction(0)} | ({Fraction(100)} if unit == "percent" else set())
    for end in (lo, hi):
        assert end not in drawn or end in ends, (end, drawn)
    # The rule's minimums.
    smallest, largest = min(drawn), max(drawn)
    if unit in AMOUNTS:
        assert lo <= 0 <= hi, "counts, money, days and rates include zero"
    elif unit == "percent":
        if smallest >= 0 and largest <= 10:
            assert lo == 0, "small percentages start at zero"
        else:
            assert hi - lo >= 10, "a percentage axis spans at least 10 points"
        if smallest >= 0 and largest <= 100:
            assert lo >= 0 and hi <= 100, "within 0-100% when the numbers are"
    else:
        assert hi - lo >= max(-smallest, largest) / 10, "a tenth of the numbers' size"
    if smallest >= 0:
        assert lo >= 0, "no negative axis for numbers that are not"
    if largest <= 0 < -smallest:
        assert hi <= 0, "no positive axis for numbers that are all negative"
    if not any(drawn):
        assert (lo, hi) == (0, 1)
    # Nice ticks, no finer than the values are shown, and not wastefully wide.
    assert is_nice(step) and step >= 10**-decimals, step
    assert is_multiple(low, step) and is_multiple(high, step)
    # At most six steps (the ends are floats: 0.53 - 0.47 is a hair over six steps of 0.01).
    assert (hi - lo) / Fraction(step) <= 6 + Fraction(1, 10**9)
    # Tick labels with the step's decimal places: every tick reads differently, 90% not 90.0%.
    places = max(0, -int(Decimal(repr(step)).normalize().as_tuple().exponent))
    assert places <= decimals and yaxis["tickformat"] == f",.{places}f"
    assert hi - lo <= 2 * required_span(unit, drawn) + 2 * Fraction(step), (low, high, step)
    check_heights(measure, svg, low, high)


def check_heights(measure: dict[str, Any], svg: ET.Element, low: float, high: float) -> None:
    """Each value's dot in the printed chart is at its height on the axis, between the axis's
    ends as drawn (the labelled gridlines)."""
    top, bottom = sparkline.TOP, sparkline.HEIGHT - sparkline.BOTTOM
    values = [e["value"] for e in measure["values"] if e["period"] in SHOWN]
    dots = [float(c.get("cy", "nan")) for c in svg.iter(f"{SVG}circle")]
    assert len(dots) == len([v for v in values if v is not None])
    for value, dot in zip([v for v in values if v is not None], dots, strict=True):
        assert top <= dot <= bottom
        if high > low:
            expected = top + (high - value) / (high - low) * (bottom - top)
            assert abs(dot - expected) <= 0.051, (value, dot, expected)


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def test_both_charts_draw_every_measure_on_the_same_honest_axis(folder):
    @SETTINGS
    @given(measure=measures())
    def run(measure: dict[str, Any]) -> None:
        drawn = render(folder, measure)
        shown = [e for e in measure["values"] if e["period"] in SHOWN]
        if not any(e["value"] is not None for e in shown):
            assert drawn is None
            return
        assert drawn is not None
        check_axis(measure, *drawn)

    run()


class Unit:
    """Just what value_axis reads of a measure."""

    def __init__(self, unit: str, decimals: int) -> None:
        self.unit, self.decimals = unit, decimals


def axis(unit: str, decimals: int, values: list[float], targets=(), benchmarks=()):
    found = value_axis(Unit(unit, decimals), values, list(targets), list(benchmarks))  # type: ignore[arg-type]
    assert found is not None
    return found.low, found.high, found.step


def test_the_issues_97_to_98_point_2_percent_is_drawn_over_ten_points():
    """Issue 14: a measure moving between 97.0% and 98.2% was drawn from 97% to 98.2%, so a
    1.2-point dip filled the chart. It is drawn from 90% to 100%: the dip is an eighth of it."""
    low, high, step = axis("percent", 1, [97.0, 98.2, 97.6, 97.0, 98.1])
    assert (low, high, step) == (90.0, 100.0, 2.0)
    assert (98.2 - 97.0) / (high - low) < 0.125


def test_the_examples_delayed_transfers_are_drawn_from_zero_and_not_squashed():
    """indicators/health-and-wellbeing/dtoc-whole-system.yml: 2.25% to 2.96%, target 2.5%,
    national 3.02%. Every number is under 10%, so the axis starts at zero and ends just above
    them (0% to 4%): the values fill the upper half, not a sliver at the bottom of 0-10%."""
    site, assessed, _ = check(REPO)
    [dtoc] = [a for a in assessed if a.id == "dtoc-whole-system"]
    drawn = draw_both(dtoc, site.config.reporting_period)
    assert drawn is not None
    figure, svg = drawn
    assert figure["layout"]["yaxis"]["range"] == [0.0, 4.0] == list(svg_axis(svg))
    values = [p.value for p in dtoc.points if p.value is not None]
    assert min(values) / 4.0 > 0.5, "the lowest value is in the upper half of the chart"


def test_every_example_measure_has_the_same_axis_on_its_page_and_in_print():
    site, assessed, _ = check(REPO)
    compared = 0
    for a in assessed:
        if isinstance(a.model, Measure):
            drawn = draw_both(a, site.config.reporting_period)
            if drawn is not None:
                compared += 1
                assert drawn[0]["layout"]["yaxis"]["range"] == list(svg_axis(drawn[1])), a.id
    assert compared >= 10


@pytest.mark.parametrize(
    ("unit", "values", "targets", "expected"),
    [
        # A count includes zero, however far its values are from it.
        ("number", [27, 35, 30, 28, 35], [25], (0.0, 40.0, 10.0)),
        # A budget variance either side of zero: both signs, nothing more.
        ("currency", [2.18, 11.4, -5.909, 0], [], (-10.0, 15.0, 5.0)),
        # Every value zero: 0 to 1.
        ("number", [0, 0], [], (0.0, 1.0, 1.0)),
        # Only negative: the axis ends at zero.
        ("days", [-3, -1], [], (-4.0, 0.0, 1.0)),
        # A ratio about 1 spans a tenth of its size.
        ("ratio", [0.98, 1.02], [], (0.94, 1.06, 0.02)),
        # 100% every time: the ten points below it.
        ("percent", [100, 100], [100], (90.0, 100.0, 2.0)),
        # A single value.
        ("percent", [50], [], (44.0, 56.0, 2.0)),
    ],
)
def test_worked_cases(unit, values, targets, expected):
    decimals = 2 if unit in ("ratio", "currency") else 0
    assert axis(unit, decimals, values, targets) == expected


def test_the_largest_and_smallest_numbers_stay_finite_and_inside():
    for unit in ("number", "score", "percent"):
        for values in ([1.7e308, -1.7e308], [1e308], [5e-324], [-5e-324, 5e-324]):
            low, high, step = axis(unit, 0, values)
            assert all(low <= v <= high for v in values), (unit, values, low, high)
            assert all(abs(n) < float("inf") for n in (low, high, step))
