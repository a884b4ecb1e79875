"""Reports by reporting period: the position as it stood at the end of each period the data covers.

Every earlier reporting period (of the same form as ``reporting_period``: each quarter back to
the earliest value) gets ``/reports/<slug>/`` with the summary as it stood then, that period's
narrative and each indicator's position then; every period, the current one included, gets a
printable report at ``/reports/<slug>/print/``; ``/reports/`` lists them all.

Positions are found by binary search in each indicator's values, which are sorted once, so the
work grows with periods × indicators × log(values), never with periods × values.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator.assess.assessment import (
    Assessed,
    Counts,
    Point,
    Position,
    Rating,
    Summary,
    UpdatePoint,
    is_stale,
)
from generator.render import formatting, summaries
from generator.render.sparkline import sparkline
from generator.site.i18n import t, tn
from generator.site.models import REPORT_YEARS, Measure, Project
from generator.site.periods import Period

if TYPE_CHECKING:
    from generator.render.pages import Output, Renderer

REPORTS = "reports"
# The printed report shows each measure's last values only, so a report stays the same length
# however long the series grows (every value is on the indicator's page and in its data).
PRINT_VALUES = 8


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


def report_url(period: Period) -> str:
    return f"{REPORTS}/{period.slug}/"


def print_url(period: Period) -> str:
    return f"{REPORTS}/{period.slug}/print/"


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
        """The same position as ``Assessed.position`` (tests/render/test_reports.py checks it)."""
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
        )

    @property
    def has_data(self) -> bool:
        return bool(self.items)


@dataclass
class Snapshot:
    """Every indicator as it stood at one reporting period."""

    period: Period
    positions: dict[str, Position | None]
    latest: dict[str, Item | None]
    summary: Summary
    previous: Summary | None


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
        self.snapshots: list[Snapshot] = []
        for i, period in enumerate(self.periods):
            positions, latest, summary = states[i]
            before = states[i + 1][2]
            self.snapshots.append(
                Snapshot(
                    period, positions, latest, summary, before if before.overall.total else None
                )
            )

    @property
    def current(self) -> Snapshot:
        return self.snapshots[0]

    @property
    def earlier(self) -> list[Snapshot]:
        return self.snapshots[1:]

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
            by_priority[a.priority].add(position)
            overall.add(position)
        return positions, latest, Summary(period, by_priority, overall)


# ---- Pages -----------------------------------------------------------------------------------


def history_outputs(r: Renderer, history: History) -> list[Output]:
    """The reports index, one page per earlier period and one printable report per period."""
    outputs = [index_output(r, history)]
    for i in range(len(history.snapshots)):
        outputs += period_outputs(r, history, i)
    return outputs


def index_output(r: Renderer, history: History) -> Output:
    return r.page(f"{REPORTS}/index.md", "reports_index.md.j2", index_context(r, history))


def period_outputs(r: Renderer, history: History, i: int) -> list[Output]:
    """The report and the printable report of the ``i``-th period, newest first: they depend
    on nothing but the history, so large sites share the periods out between processes."""
    members: dict[str, list[Assessed]] = {p.id: [] for p in r.config.priorities}
    for a in r.report_order():
        members[a.priority].append(a)
    snapshot = history.snapshots[i]
    later = history.snapshots[i - 1].period if i > 0 else None
    earlier = history.snapshots[i + 1].period if i + 1 < len(history.snapshots) else None
    report, printed = period_paths(snapshot.period)
    return [
        r.page(
            report, "report.md.j2", report_context(r, snapshot, members, i == 0, earlier, later)
        ),
        r.page(printed, "print_report.md.j2", print_context(r, history, snapshot, members, i == 0)),
    ]


def period_paths(period: Period) -> tuple[str, str]:
    """The docs paths of a period's report and printable report."""
    return f"{REPORTS}/{period.slug}/index.md", f"{REPORTS}/{period.slug}/print.md"


def index_context(r: Renderer, history: History) -> dict[str, Any]:
    return {
        "snapshots": history.snapshots,
        "report_url": report_url,
        "print_url": print_url,
        "older": _older_text(history.years) if history.cut_short else None,
    }


def _older_text(years: int) -> str:
    return t("reports.index_older.none") if years == 0 else tn("reports.index_older", years)


def _rows(r: Renderer, snapshot: Snapshot, members: Sequence[Assessed]) -> list[dict[str, Any]]:
    return [r.row_at(a, snapshot.positions[a.id], snapshot.latest[a.id]) for a in members]


Members = dict[str, list[Assessed]]


def _priority_sections(r: Renderer, snapshot: Snapshot, members: Members) -> list[dict[str, Any]]:
    sections = []
    for priority in r.config.priorities:
        mine = members[priority.id]
        sections.append(
            {
                "priority": priority,
                "counts": snapshot.summary.by_priority[priority.id],
                "measures": _rows(r, snapshot, [a for a in mine if not a.is_project]),
                "projects": _rows(r, snapshot, [a for a in mine if a.is_project]),
                "members": mine,
            }
        )
    return sections


# A relative link target in Markdown or HTML: ](x), ]: x, href="x", src="x". Anything with a
# scheme, an absolute path, or only an anchor is left alone.
_LINK = re.compile(
    r"""(?P<lead>\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?|(?:href|src)=["'])"""
    r"""(?P<target>(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)[^\s)>"']+)""",
    re.M,
)


def rebase_links(markdown_text: str, prefix: str) -> str:
    """Links in a narrative written for the home page, made to work from a page ``prefix``
    deeper (``../../`` for reports/<slug>/), outside fenced code."""
    out: list[str] = []
    fence: str | None = None
    for line in markdown_text.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = None if fence == marker else (fence or marker)
        elif fence is None:
            line = _LINK.sub(lambda m: m["lead"] + prefix + m["target"], line)
        out.append(line)
    return "\n".join(out)


def _narrative(r: Renderer, period: Period) -> Markup | None:
    narrative = r.narrative(period)
    return Markup(rebase_links(str(narrative), "../../")) if narrative is not None else None


def _summary_context(r: Renderer, snapshot: Snapshot) -> dict[str, Any]:
    return {
        "summary": snapshot.summary,
        "previous": snapshot.previous,
        "rows": r.summary_rows(snapshot.summary, snapshot.previous),
        "narrative": _narrative(r, snapshot.period),
        "report_period": snapshot.period,
    }


def report_context(
    r: Renderer,
    snapshot: Snapshot,
    members: Members,
    current: bool,
    earlier: Period | None,
    later: Period | None,
) -> dict[str, Any]:
    return {
        **_summary_context(r, snapshot),
        "is_current": current,
        "sections": _priority_sections(r, snapshot, members),
        "earlier": earlier,
        "later": later,
        "report_url": report_url,
        "print_url": print_url,
    }


def print_context(
    r: Renderer, history: History, snapshot: Snapshot, members: Members, current: bool
) -> dict[str, Any]:
    sections = _priority_sections(r, snapshot, members)
    for section in sections:
        section["entries"] = [
            _print_item(r, a, history.timelines[a.id].until(snapshot.period), snapshot, current)
            for a in section["members"]
        ]
    return {
        **_summary_context(r, snapshot),
        "is_current": current,
        "sections": sections,
        "report_url": report_url,
    }


def _print_item(
    r: Renderer, a: Assessed, items: list[Item], snapshot: Snapshot, current: bool
) -> dict[str, Any]:
    """One indicator in the printable report: what its page says, as it stood then."""
    period = snapshot.period
    model = a.model
    item: dict[str, Any] = {
        "a": a,
        "m": model,
        "url": f"indicators/{a.id}/",
        "position": snapshot.positions[a.id],
        "latest": snapshot.latest[a.id],
    }
    if isinstance(model, Project):
        item.update(
            {
                "project_update": items[-1] if items else None,
                "milestones": model.milestones if current else [],
                "next_steps": model.next_steps if current else [],
            }
        )
        return item
    assert isinstance(model, Measure)
    shown = [p for p in items[-PRINT_VALUES:] if isinstance(p, Point)]
    said = _commentary_at(model, period, current)
    item.update(
        {
            "points": list(reversed(shown)),
            "cut": len(items) > len(shown),
            # The summary describes what the chart and the table show.
            "summary_text": summaries.trend_summary(Assessed(a.file, points=shown), period),
            "chart": sparkline(model, shown, t("print.chart_label", title=model.title)),
            "fmt": lambda v: formatting.value(model, v),
            "ref": lambda v: formatting.reference(model, v),
            "target_text": lambda v: r.target_text(model, v),
            "commentary": said[0],
            "actions": said[1],
        }
    )
    return item


def _commentary_at(model: Measure, period: Period, current: bool) -> tuple[str | None, str | None]:
    """What was said for ``period``: the latest commentary for the current period, else the
    ``earlier_commentary`` kept for that period (if any)."""
    if current:
        return model.commentary, model.actions
    for entry in model.earlier_commentary:
        if entry.period == period:
            return entry.commentary, entry.actions
    return None, None
