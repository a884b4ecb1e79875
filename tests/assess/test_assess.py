"""Assessment against hand-worked cases: ratings at the boundaries, tolerance, changing targets,
overrides and the mismatch warning, direction of travel, positions and the summary."""

from __future__ import annotations

import textwrap

import pytest

from generator.assess.assessment import Direction, Rating, direction, rate
from generator.pipeline import check
from generator.site.models import Tolerance

PCT5 = Tolerance(percent=5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (95, Rating.GREEN),
        (90, Rating.GREEN),  # on target
        (89.99, Rating.AMBER),
        (85.5, Rating.AMBER),  # 90 - 5% of 90 = 85.5: still amber
        (85.49, Rating.RED),
        (0, Rating.RED),
    ],
)
def test_higher_is_better_percent_tolerance(value, expected):
    assert rate(value, 90, "higher_is_better", PCT5) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.4, Rating.GREEN),
        (2.5, Rating.GREEN),
        (2.51, Rating.AMBER),
        (2.625, Rating.AMBER),  # 2.5 + 0.125 exactly
        (2.626, Rating.RED),
    ],
)
def test_lower_is_better_percent_tolerance(value, expected):
    assert rate(value, 2.5, "lower_is_better", PCT5) is expected


def test_boundary_is_exact_despite_binary_floats():
    # 72 - 5% = 68.4, which is not exact in binary floating point.
    assert rate(68.4, 72, "higher_is_better", PCT5) is Rating.AMBER
    assert rate(68.39, 72, "higher_is_better", PCT5) is Rating.RED
    # 0.1 + 0.2 style sums: target 0.3, value 0.3 is on target.
    assert rate(0.3, 0.3, "lower_is_better", Tolerance(absolute=0)) is Rating.GREEN


def test_absolute_tolerance():
    two = Tolerance(absolute=2)
    assert rate(70, 72, "higher_is_better", two) is Rating.AMBER
    assert rate(69.99, 72, "higher_is_better", two) is Rating.RED
    assert rate(74, 72, "lower_is_better", two) is Rating.AMBER
    assert rate(74.01, 72, "lower_is_better", two) is Rating.RED


def test_zero_and_negative_targets():
    # A balanced budget: target 0, percent tolerance of 0 is no band at all.
    assert rate(0, 0, "lower_is_better", PCT5) is Rating.GREEN
    assert rate(0.001, 0, "lower_is_better", PCT5) is Rating.RED
    # Tolerance is a share of the target's size, whatever its sign: 5% of -5 is 0.25.
    assert rate(-5.25, -5, "higher_is_better", PCT5) is Rating.AMBER
    assert rate(-5.26, -5, "higher_is_better", PCT5) is Rating.RED


def test_neutral_is_not_rated():
    assert rate(50, 40, "neutral", PCT5) is Rating.NOT_RATED


@pytest.mark.parametrize(
    ("previous", "current", "polarity", "decimals", "expected"),
    [
        (85.0, 85.04, "higher_is_better", 1, Direction.STEADY),  # both show 85.0
        (85.0, 85.05, "higher_is_better", 1, Direction.IMPROVING),  # 85.05 shows 85.1
        (85.0, 84.95, "higher_is_better", 1, Direction.STEADY),  # 84.95 shows 85.0 (half up)
        (85.0, 84.94, "higher_is_better", 1, Direction.DECLINING),  # 84.94 shows 84.9
        (2.96, 2.78, "lower_is_better", 2, Direction.IMPROVING),
        (2.78, 2.96, "lower_is_better", 2, Direction.DECLINING),
        (10, 12, "neutral", 0, Direction.UP),
        (12, 10, "neutral", 0, Direction.DOWN),
        (12, 12.4, "neutral", 0, Direction.STEADY),
        (0, 0, "lower_is_better", 0, Direction.STEADY),
    ],
)
def test_direction(previous, current, polarity, decimals, expected):
    assert direction(previous, current, polarity, decimals) is expected


# ---- Whole indicators, through the loader and validator ----------------------------------------

CONFIG = """\
site: {title: T, organisation: O}
reporting_period: 2019/20 Q2
priorities:
  - {id: health, title: Health}
  - {id: economy, title: Economy}
"""


def site_with(make_site, **indicators: str):
    site = make_site(
        config=CONFIG,
        indicators={f"{name}.yml": textwrap.dedent(text) for name, text in indicators.items()},
    )
    return check(site.root)


def points(assessed):
    return [
        (p.period.text, p.rating.value, p.direction.value if p.direction else None)
        for p in assessed.points
    ]


def test_target_that_changes_over_time(make_site):
    _, assessed, problems = site_with(
        make_site,
        breastfeeding="""
            title: Breastfeeding
            priority: health
            unit: percent
            polarity: higher_is_better
            target:
              - {from: 2018/19 Q1, value: 50}
              - {from: 2019/20 Q1, value: 53}
            values:
              - {period: 2017/18 Q4, value: 49.37}
              - {period: 2018/19 Q4, value: 51.25}
              - {period: 2019-05, value: 51.25}
              - {period: 2019/20 Q2, value: 53.5}
        """,
    )
    a = assessed[0]
    assert [p.target for p in a.points] == [None, 50, 53, 53]
    # No target before the first step: not rated. 51.25 against 50 is green; against 53 it is
    # 1.75 short, within 5% of 53 (2.65), so amber.
    assert points(a) == [
        ("2017/18 Q4", "not_rated", None),
        ("2018/19 Q4", "green", "improving"),
        ("2019-05", "amber", "steady"),
        ("2019/20 Q2", "green", "improving"),
    ]
    assert not problems.warnings


def test_stated_rating_wins_and_warns_unless_a_reason_is_given(make_site):
    _, assessed, problems = site_with(
        make_site,
        cqc="""
            title: CQC
            priority: health
            unit: percent
            polarity: higher_is_better
            target: 90
            values:
              - {period: 2019-07, value: 89.9, rating: green, rating_reason: As published}
              - {period: 2019-08, value: 89.2, rating: green}
              - {period: 2019-09, value: 87.8, rating: amber}
        """,
    )
    a = assessed[0]
    assert [(p.computed.value, p.rating.value) for p in a.points] == [
        ("amber", "green"),
        ("amber", "green"),
        ("amber", "amber"),
    ]
    assert [w.format() for w in problems.warnings] == [
        "indicators/cqc.yml:9: values[1].rating: warning: 2019-08 is stated as green but the "
        "data gives amber (value 89.2 against target 90); add rating_reason: saying why, or "
        "remove the rating"
    ]


def test_position_is_the_latest_period_ending_by_the_reporting_period(make_site):
    _, assessed, _ = site_with(
        make_site,
        monthly="""
            title: Monthly
            priority: health
            polarity: lower_is_better
            target: 10
            values:
              - {period: 2019-08, value: 12}
              - {period: 2019-09, value: 9}
              - {period: 2019-10, value: 20}
        """,
    )
    from generator.site.periods import parse_period

    position = assessed[0].position(parse_period("2019/20 Q2"))
    assert position is not None
    assert (position.period.text, position.rating, position.direction) == (
        "2019-09",
        Rating.GREEN,
        Direction.IMPROVING,
    )
    earlier = assessed[0].position(parse_period("2019/20 Q1"))
    assert earlier is None


def test_missing_latest_value_is_not_rated_and_has_no_direction(make_site):
    _, assessed, _ = site_with(
        make_site,
        dtoc="""
            title: DToC
            priority: health
            polarity: lower_is_better
            target: 12.16
            values:
              - {period: 2019-08, value: 19.9}
              - {period: 2019-09, value: null, missing: tbc}
        """,
    )
    from generator.site.periods import parse_period

    position = assessed[0].position(parse_period("2019/20 Q2"))
    assert position is not None
    assert (position.period.text, position.rating, position.direction) == (
        "2019-09",
        Rating.NOT_RATED,
        None,
    )


def test_discontinued_measures_and_closed_projects_are_blue(make_site):
    _, assessed, _ = site_with(
        make_site,
        old="""
            title: Old
            priority: health
            polarity: higher_is_better
            target: 1
            status: discontinued
            values: [{period: 2019/20 Q2, value: 5}]
        """,
        done="""
            title: Done
            priority: economy
            kind: project
            status: closed
            updates: [{period: 2019/20 Q2, rating: green, progress: achieved_milestone}]
        """,
    )
    from generator.site.periods import parse_period

    q2 = parse_period("2019/20 Q2")
    assert {a.id: a.position(q2).rating for a in assessed} == {
        "old": Rating.BLUE,
        "done": Rating.BLUE,
    }


def test_stale_value_warns(make_site):
    _, _, problems = site_with(
        make_site,
        old="""
            title: Old
            priority: health
            polarity: higher_is_better
            values:
              - {period: 2018/19 Q1, value: 5}
        """,
    )
    assert [w.code for w in problems.warnings] == ["data.stale"]
    assert (
        problems.warnings[0]
        .format()
        .startswith(
            "indicators/old.yml:6: values[0].period: warning: the latest value is for Q1 2018/19, "
            "more than 12 months before the end of Q2 2019/20"
        )
    )


def test_summary_by_priority_and_previous_period(make_site):
    from generator.assess.assessment import summarise
    from generator.site.periods import parse_period

    site, assessed, _ = site_with(
        make_site,
        a="""
            title: A
            priority: health
            polarity: higher_is_better
            target: 10
            values:
              - {period: 2019/20 Q1, value: 8}
              - {period: 2019/20 Q2, value: 11}
        """,
        b="""
            title: B
            priority: health
            polarity: lower_is_better
            target: 10
            values:
              - {period: 2019/20 Q1, value: 9}
              - {period: 2019/20 Q2, value: 10.4}
        """,
        c="""
            title: C
            priority: economy
            kind: project
            updates:
              - {period: 2019/20 Q2, rating: red, progress: missed_milestone}
        """,
        d="""
            title: D
            priority: economy
            polarity: neutral
            values:
              - {period: 2019/20 Q1, value: 1}
              - {period: 2019/20 Q2, value: 2}
        """,
    )
    now = summarise(assessed, site.priority_ids, parse_period("2019/20 Q2"))
    health, economy = now.by_priority["health"], now.by_priority["economy"]
    # A: 11 >= 10 green, improving. B: 10.4 within 5% above 10 (10.5): amber, declining.
    assert (health.green, health.amber, health.red, health.improving, health.declining) == (
        1,
        1,
        0,
        1,
        1,
    )
    # C: a project, counted apart: red is off target; its missed milestone is no direction of
    # travel. D: neutral, not rated, 'up' not counted.
    assert (
        economy.red,
        economy.not_rated,
        economy.declining,
        economy.improving,
        economy.steady,
    ) == (0, 1, 0, 0, 0)
    assert (economy.off_track, economy.projects, economy.measures) == (1, 1, 1)
    assert (now.overall.rated, now.overall.green, now.overall.on_target_percent) == (2, 1, 50)
    before = summarise(assessed, site.priority_ids, parse_period("2019/20 Q1"))
    # At Q1: A 8 is red (below 9.5), B 9 green; C had no update yet and is not counted.
    assert (before.overall.green, before.overall.amber, before.overall.red) == (1, 0, 1)
    assert before.overall.total == 3
