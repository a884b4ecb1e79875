"""The position at each reporting period: every indicator as it stood then, and the summary.

The reports by period (``generator.render.reports``) and the Atom feed are written from this.
Positions are found by binary search in each indicator's values, which are sorted once, so the
work grows with periods × indicators × log(values), never with periods × values.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from generator.assess.assessment import (
    Assessed,
    Comparison,
    Counts,
    Point,
    Position,
    Rating,
    Summary,
    UpdatePoint,
    compare,
    is_stale,
)
from generator.site.models import REPORT_YEARS, Measure, Project
from generator.site.periods import Period


def earliest_end(assessed: Sequence[Assessed]) -> dt.date | None:
    """The end of the earliest period with a value or update, if any."""
    ends = [p.period.end for a in assessed for p in a.points]
    ends += [u.period.end for a in assessed for u in a.updates]
    return min(ends, default=None)


def report_periods(
    current: Period, assessed: Sequence[Assessed], years: int = REPORT_YEARS
) -> list[Period]:
    """The reporting period and each earlier one of its form that has any data, newest first,
    going back at most ``years`` years."""
    earliest = earliest_end(assessed)
    periods = [current]
    if earliest is None:
        return periods
    oldest = _years_before(current.end, years)
    period = current.previous()
    while period.end >= earliest and period.end > oldest:
        periods.append(period)
        period = period.previous()
    return periods


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for 29 February), or the first date there is."""
    if day.year - years < dt.MINYEAR:
        return dt.date.min
    return day.replace(year=day.year - years, day=min(day.day, 28 if day.month == 2 else day.day))


Item = Point | UpdatePoint


class Timeline:
    """One indicator's values (or updates) in time order, searchable by period end."""

    def __init__(self, a: Assessed) -> None:
        self.a = a
        self.items: list[Item] = list(a.updates) if a.is_project else list(a.points)
        self.ends = [item.period.end for item in self.items]

    def until(self, period: Period) -> list[Item]:
        """The values or updates in periods ending on or before the end of ``period``."""
        return self.items[: bisect_right(self.ends, period.end)]

    def latest(self, period: Period) -> Item | None:
        """The last value or update in a period ending on or before the end of ``period``
        (what ``Assessed.latest_point`` gives, in log time)."""
        index = bisect_right(self.ends, period.end) - 1
        return self.items[index] if index >= 0 else None

    def position(self, period: Period, stale_after_months: int) -> Position | None:
        """The same position as ``Assessed.position`` (tests/assess/test_history.py checks it)."""
        return self.position_of(self.latest(period), period, stale_after_months)

    def position_of(
        self, item: Item | None, period: Period, stale_after_months: int
    ) -> Position | None:
        """The position at ``period`` that rests on ``item``, its latest value or update."""
        model = self.a.model
        if item is None:
            return None
        if isinstance(item, UpdatePoint):
            closed = isinstance(model, Project) and model.status == "closed"
            return Position(item.period, Rating.BLUE if closed else item.rating, item.direction)
        gone = isinstance(model, Measure) and model.status == "discontinued"
        return Position(
            item.period,
            Rating.BLUE if gone else item.rating,
            item.direction,
            is_stale(item.period, period, stale_after_months),
            item.as_published and not gone,
        )

    @property
    def has_data(self) -> bool:
        return bool(self.items)


@dataclass
class PeriodState:
    """Every indicator as it stood at one reporting period."""

    period: Period
    positions: dict[str, Position | None]
    latest: dict[str, Item | None]
    summary: Summary
    previous: Summary | None
    comparison: Comparison | None  # with the previous period, when it had any indicator


class History:
    """The reporting periods of a site and the position at each, computed once."""

    def __init__(
        self,
        current: Period,
        assessed: Sequence[Assessed],
        priority_ids: Sequence[str],
        stale_after_months: int,
        years: int = REPORT_YEARS,
    ) -> None:
        """Every indicator's position at each reporting period back ``years`` years, the
        summary of each, and its comparison with the period before (whose positions are
        found once more for the oldest report)."""
        self.assessed = list(assessed)
        self.priority_ids = list(priority_ids)
        self.stale = stale_after_months
        self.years = years
        self.timelines = {a.id: Timeline(a) for a in self.assessed}
        self.periods = report_periods(current, self.assessed, years)
        states = [self._summary_at(p) for p in self.periods]
        # The period before the oldest report has no data unless the reports stop ``years``
        # back; as on the home page, a summary of nothing is not shown.
        earliest = earliest_end(self.assessed)
        self.cut_short = earliest is not None and earliest <= self.periods[-1].previous().end
        states.append(self._summary_at(self.periods[-1].previous()))
        self.states: list[PeriodState] = []
        for i, period in enumerate(self.periods):
            positions, latest, summary = states[i]
            before_positions, _, before = states[i + 1]
            comparison = None
            if before.overall.total:
                comparison = compare(
                    self.assessed, self.priority_ids, summary, before, positions, before_positions
                )
            self.states.append(
                PeriodState(
                    period,
                    positions,
                    latest,
                    summary,
                    before if before.overall.total else None,
                    comparison,
                )
            )

    def started(self, a: Assessed, state: PeriodState) -> bool:
        """Whether ``a`` had begun reporting by ``state``'s period: it has a value or update
        by then, or none at all (listed as having no data yet). One whose first value came
        later is not part of that period, as in the summary's counts."""
        return state.positions[a.id] is not None or not self.timelines[a.id].has_data

    @property
    def current(self) -> PeriodState:
        return self.states[0]

    @property
    def earlier(self) -> list[PeriodState]:
        return self.states[1:]

    def _summary_at(
        self, period: Period
    ) -> tuple[dict[str, Position | None], dict[str, Item | None], Summary]:
        by_priority = {pid: Counts() for pid in self.priority_ids}
        overall = Counts()
        positions: dict[str, Position | None] = {}
        latest: dict[str, Item | None] = {}
        for a in self.assessed:
            timeline = self.timelines[a.id]
            item = timeline.latest(period)
            position = timeline.position_of(item, period, self.stale)
            positions[a.id] = position
            latest[a.id] = item
            if position is None and timeline.has_data:
                continue  # not started yet: not counted (as in assess.summarise)
            by_priority[a.priority].add(position, a.is_project)
            overall.add(position, a.is_project)
        return positions, latest, Summary(period, by_priority, overall)
