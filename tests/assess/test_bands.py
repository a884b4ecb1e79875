"""The rating rule as a council writes it: tolerance and band above target per site, priority,
service and indicator (the most particular wins), and the Exceeding rating at its boundaries.

Expected ratings are worked out here from SPEC's table in exact fractions, never with the
generator's own arithmetic.
"""

from __future__ import annotations

import os
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.assess.assessment import (
    RATING_RANK,
    Change,
    Counts,
    Position,
    Rating,
    bands_for,
    rate,
)
from generator.site.models import AboveTarget, Measure, SiteConfig, Tolerance
from generator.site.periods import parse_period
from tests.conftest import MINIMAL_CONFIG

# PERFPAGES_FUZZ_EXAMPLES: fewer in the fast lane (scripts/test --fast), 300 otherwise.
EXAMPLES = int(os.environ.get("PERFPAGES_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None)


def width(target: Fraction, band: dict[str, float]) -> Fraction:
    if "absolute" in band:
        return Fraction(str(band["absolute"]))
    return abs(target) * Fraction(str(band["percent"])) / 100


def expected(
    value: float, target: float, polarity: str, tol: dict[str, float], above: dict | None
) -> str:
    """SPEC's table, by hand."""
    v, t = Fraction(str(value)), Fraction(str(target))
    amber = width(t, tol)
    better = v - t if polarity == "higher_is_better" else t - v  # how far better than target
    if above is not None and better > width(t, above):
        return "exceeding"
    if better >= 0:
        return "green"
    return "amber" if -better <= amber else "red"


# ---- rate() at the boundaries --------------------------------------------------------------------

BANDS = [{"percent": 5}, {"percent": 12.5}, {"absolute": 2}, {"absolute": 0.3}, {"percent": 0}]


@pytest.mark.parametrize("polarity", ["higher_is_better", "lower_is_better"])
@pytest.mark.parametrize("above", BANDS)
@pytest.mark.parametrize("target", [90, 10, 0.5, -20])
def test_exceeding_begins_just_past_the_band_above_target(polarity, above, target):
    sign = 1 if polarity == "higher_is_better" else -1
    t = Fraction(str(target))
    edge = t + sign * width(t, above)  # the last value that is still Green
    step = Fraction(1, 1000)
    tol = Tolerance(percent=5)
    band = AboveTarget(**above)
    assert rate(float(edge), target, polarity, tol, band) is Rating.GREEN
    assert rate(float(edge + sign * step), target, polarity, tol, band) is Rating.EXCEEDING
    assert rate(target, target, polarity, tol, band) is Rating.GREEN
    # The amber band is unchanged by a band above target.
    assert rate(float(t - sign * step), target, polarity, tol, band) is Rating.AMBER


@pytest.mark.parametrize("polarity", ["higher_is_better", "lower_is_better"])
def test_without_a_band_above_target_no_value_is_exceeding(polarity):
    for value in (0, 90, 1000, -1000, 1e9):
        assert rate(value, 90, polarity, Tolerance(percent=5)) is not Rating.EXCEEDING


def test_a_neutral_measure_is_never_exceeding():
    assert rate(1000, 1, "neutral", Tolerance(percent=5), AboveTarget(absolute=0)) is (
        Rating.NOT_RATED
    )


band = st.one_of(
    st.builds(lambda p: {"percent": p}, st.sampled_from([0, 1, 2.5, 5, 10, 12.5, 50])),
    st.builds(lambda a: {"absolute": a}, st.sampled_from([0, 0.5, 1, 2, 3.25, 10])),
)


@SETTINGS
@given(
    target=st.sampled_from([0, 1, 10, 40, 90, 100, 200, -50, 0.5, 33.3]),
    offset=st.integers(-60, 60),
    scale=st.sampled_from([1, 0.25, 0.1, 0.01]),
    polarity=st.sampled_from(["higher_is_better", "lower_is_better"]),
    tol=band,
    above=st.one_of(st.none(), band),
)
def test_rate_follows_the_table_with_and_without_a_band_above_target(
    target, offset, scale, polarity, tol, above
):
    # Values on a grid around the target, so that the edges of each band are hit exactly.
    value = float(Fraction(str(target)) + Fraction(offset) * Fraction(str(scale)))
    got = rate(
        value,
        target,
        polarity,
        Tolerance(**tol),
        AboveTarget(**above) if above is not None else None,
    )
    assert got.value == expected(value, target, polarity, tol, above)


# ---- Which rule a measure is rated by ------------------------------------------------------------

LEVELS = ("indicator", "service", "priority", "site")


@st.composite
def settings_at_levels(draw: st.DrawFn) -> dict[str, Any]:
    """A tolerance and a band above target set, or not, at each of the four levels: each
    level's is distinct so that the one used can be told apart."""
    tolerance = {lv: draw(st.booleans()) for lv in LEVELS}
    above = {lv: draw(st.booleans()) for lv in LEVELS}
    service = draw(st.sampled_from([None, "Public Health", "Highways"]))
    ruled_service = draw(st.sampled_from(["Public Health", "Highways"]))
    return {"tolerance": tolerance, "above": above, "service": service, "ruled": ruled_service}


TOL = {lv: {"absolute": i + 1} for i, lv in enumerate(LEVELS)}
ABOVE = {lv: {"percent": 10 * (i + 1)} for i, lv in enumerate(LEVELS)}


def build(case: dict[str, Any]) -> tuple[Measure, SiteConfig]:
    def rule(level: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if case["tolerance"][level]:
            out["tolerance"] = TOL[level]
        if case["above"][level]:
            out["above_target"] = ABOVE[level]
        return out

    ratings: dict[str, Any] = rule("site")
    service_rule = rule("service")
    if service_rule:
        ratings["services"] = {case["ruled"]: service_rule}
    config = {
        **MINIMAL_CONFIG,
        "priorities": [{"id": "health", "title": "Health", **rule("priority")}],
        "ratings": ratings,
    }
    measure = {
        "title": "M",
        "priority": "health",
        "polarity": "higher_is_better",
        "values": [],
        **rule("indicator"),
    }
    if case["service"]:
        measure["service"] = case["service"]
    return Measure.model_validate(measure), SiteConfig.model_validate(config)


@SETTINGS
@given(case=settings_at_levels())
def test_the_most_particular_rule_wins_each_band_apart(case):
    measure, config = build(case)
    bands = bands_for(measure, config)

    def applies(level: str, kind: str) -> bool:
        if not case[kind][level]:
            return False
        return level != "service" or case["service"] == case["ruled"]

    tol_level = next((lv for lv in LEVELS if applies(lv, "tolerance")), None)
    above_level = next((lv for lv in LEVELS if applies(lv, "above")), None)
    if tol_level is None:
        assert bands.tolerance == Tolerance(percent=5)  # the default
        assert bands.tolerance_from == "site"
    else:
        assert bands.tolerance == Tolerance(**TOL[tol_level])
        assert bands.tolerance_from == tol_level
    if above_level is None:
        assert bands.above_target is None and bands.above_from is None
    else:
        assert bands.above_target == AboveTarget(**ABOVE[above_level])
        assert bands.above_from == above_level


def test_a_service_rule_applies_by_the_exact_name():
    case = {
        "tolerance": dict.fromkeys(LEVELS, False) | {"service": True},
        "above": dict.fromkeys(LEVELS, False),
        "service": "Public Health",
        "ruled": "Public Health",
    }
    measure, config = build(case)
    assert bands_for(measure, config).tolerance == Tolerance(absolute=2)
    other = measure.model_copy(update={"service": "public health"})
    assert bands_for(other, config).tolerance == Tolerance(percent=5)


# ---- Exceeding in the counts ---------------------------------------------------------------------


def test_exceeding_ranks_above_green():
    assert RATING_RANK[Rating.EXCEEDING] > RATING_RANK[Rating.GREEN] > RATING_RANK[Rating.AMBER]
    change = Change()
    change.add(Rating.GREEN, Rating.EXCEEDING)
    change.add(Rating.EXCEEDING, Rating.GREEN)
    change.add(Rating.EXCEEDING, Rating.EXCEEDING)
    assert (change.better, change.worse, change.same) == (1, 1, 1)
    assert (change.on_target_before, change.on_target_now) == (3, 3)
    assert (change.green_before, change.green_now) == (1, 1)


def test_exceeding_is_counted_apart_from_blue_and_as_on_target():
    counts = Counts()
    period = parse_period("2019/20 Q2", 4)
    for rating in (Rating.EXCEEDING, Rating.EXCEEDING, Rating.GREEN, Rating.RED, Rating.BLUE):
        counts.add(Position(period, rating, None))
    assert (counts.exceeding, counts.green, counts.blue) == (2, 1, 1)
    assert counts.rated == 4  # blue is not rated against a target
    assert counts.on_target == 3
    assert counts.on_target_percent == 75
