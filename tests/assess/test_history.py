"""The position at each reporting period (generator/assess/history.py) equals the assessment's
own answer at that period, found the slow way for every indicator of the example site."""

from __future__ import annotations

from generator.assess.assessment import summarise
from generator.assess.history import History, Timeline
from generator.pipeline import check
from generator.site.periods import Period, PeriodKind, parse_period


def test_timeline_positions_equal_assess_positions_at_every_period(example_copy):
    """The binary search gives exactly what Assessed.position gives, for every indicator and
    every month from before the first value to after the last."""
    _, assessed, _ = check(example_copy)
    months = [Period(PeriodKind.MONTH, y, m) for y in range(2016, 2021) for m in range(1, 13)]
    quarters = [
        parse_period(f"{y}/{(y + 1) % 100:02d} Q{q}")
        for y in range(2016, 2020)
        for q in range(1, 5)
    ]
    compared = 0
    for a in assessed:
        timeline = Timeline(a)
        for period in months + quarters:
            assert timeline.position(period, 12) == a.position(period, 12), (a.id, period)
            compared += 1
    assert compared == 38 * (60 + 16)


def test_summaries_equal_summarise_at_each_period(example_copy):
    site_model, assessed, _ = check(example_copy)
    config = site_model.config
    history = History(config.reporting_period, assessed, site_model.priority_ids, 12)
    assert len(history.states) == 9  # Q2 2017/18, the earliest value, to Q2 2019/20
    for state in history.states:
        expected = summarise(assessed, site_model.priority_ids, state.period)
        assert state.summary == expected, state.period
        before = summarise(assessed, site_model.priority_ids, state.period.previous())
        assert state.previous == (before if before.overall.total else None)
