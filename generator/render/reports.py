"""Reports by reporting period: the position as it stood at the end of each period the data covers.

Every earlier reporting period (of the same form as ``reporting_period``: each quarter back to
the earliest value) gets ``/reports/<slug>/`` with the summary as it stood then, that period's
narrative and each indicator's position then; the current period and each period with a
narrative (every period with ``reports: printable: all``) get a printable report at
``/reports/<slug>/print/``, each indicator's values, chart and commentary as they stood (in
parts, a priority each at ``/reports/<slug>/print/<priority>/``, when it has more indicators
than ``reports.printable_in_parts_above``); ``/reports/`` lists them all.

Positions are found by binary search in each indicator's values, which are sorted once, so the
work grows with periods × indicators × log(values), never with periods × values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from markupsafe import Markup

from generator.assess.assessment import (
    Assessed,
    Point,
    Position,
    Summary,
    UpdatePoint,
)
from generator.assess.history import History, Item, PeriodState
from generator.render import formatting, summaries
from generator.render.output import Output
from generator.render.sparkline import sparkline
from generator.site.i18n import t, tn
from generator.site.models import Measure, Project, SiteConfig
from generator.site.periods import Period


@dataclass(frozen=True)
class Narrative:
    """A report's narrative as placed on a page, and the period it describes when that is not
    the report's own (said above it)."""

    text: Markup
    about: Period | None


class Renderer(Protocol):
    """What the report pages ask of the renderer (``generator.render.pages.Renderer``): the
    site's settings, its pages' rows and wording, and the page template."""

    @property
    def config(self) -> SiteConfig: ...

    def page(self, path: str, template: str, context: dict[str, Any]) -> Output: ...

    def report_order(self) -> list[Assessed]: ...

    def narrative(self, period: Period) -> Narrative | None: ...

    def summary_rows(self, summary: Summary) -> list[dict[str, Any]]: ...

    def row_at(
        self, a: Assessed, position: Position | None, latest: Point | UpdatePoint | None
    ) -> dict[str, Any]: ...

    def target_text(self, model: Measure, target: float | None) -> str: ...


REPORTS = "reports"
# The printed report shows each measure's last values only, so a report stays the same length
# however long the series grows (every value is on the indicator's page and in its data).
PRINT_VALUES = 8


def report_url(period: Period) -> str:
    return f"{REPORTS}/{period.slug}/"


def print_url(period: Period) -> str:
    return f"{REPORTS}/{period.slug}/print/"


def print_part_url(period: Period, priority_id: str) -> str:
    return f"{REPORTS}/{period.slug}/print/{priority_id}/"


# ---- Pages -----------------------------------------------------------------------------------


def history_outputs(r: Renderer, history: History) -> list[Output]:
    """The reports index, one page per period and the printable reports."""
    outputs = [index_output(r, history)]
    for i in range(len(history.states)):
        outputs += period_outputs(r, history, i)
    return outputs


# The docs path of the list of reports.
INDEX = f"{REPORTS}/index.md"


def index_output(r: Renderer, history: History) -> Output:
    return r.page(INDEX, "reports_index.md.j2", index_context(r, history))


def period_outputs(r: Renderer, history: History, i: int) -> list[Output]:
    """The report of the ``i``-th period, newest first, and its printable report if it has one:
    they depend on nothing but the history, so large sites share the periods out between
    processes."""
    state = history.states[i]
    members: dict[str, list[Assessed]] = {p.id: [] for p in r.config.priorities}
    for a in r.report_order():
        if history.started(a, state):
            members[a.priority].append(a)
    later = history.states[i - 1].period if i > 0 else None
    earlier = history.states[i + 1].period if i + 1 < len(history.states) else None
    printable = has_print(r, history.periods, i)
    report, *printed = period_paths(state.period, printable)
    context = report_context(r, state, members, i == 0, earlier, later)
    outputs = [r.page(report, "report.md.j2", {**context, "printable": printable})]
    for path in printed:
        context = print_context(r, history, state, members, i == 0)
        above = r.config.reports.printable_in_parts_above
        parts = _print_parts(state.period, context["sections"], above)
        if not parts:
            outputs.append(r.page(path, "print_report.md.j2", context))
            continue
        outputs.append(
            r.page(path, "print_report.md.j2", {**context, "sections": [], "parts": parts})
        )
        for part in parts:
            part_context = {**context, "section": part["section"], "part": part, "parts": parts}
            outputs.append(r.page(part["path"], "print_part.md.j2", part_context))
    return outputs


def _print_parts(
    period: Period, sections: list[dict[str, Any]], above: int
) -> list[dict[str, Any]]:
    """The parts of a printable report, a priority with indicators then each, when it lists
    more than ``above`` (``reports.printable_in_parts_above``) indicators of two priorities or
    more (none: it is one page). A page of a thousand indicators takes a browser nearly two
    minutes to print (Chromium: 107 s to save its 8 MB as a PDF), and committees take a
    priority's part at a time."""
    listed = [s for s in sections if s["members"]]
    if len(listed) < 2 or sum(len(s["members"]) for s in listed) <= above:
        return []  # one page: as many as the limit, or a single priority's indicators
    return [
        {
            "number": number,
            "section": section,
            "count": len(section["members"]),
            "url": print_part_url(period, section["priority"].id),
            "path": print_part_url(period, section["priority"].id) + "index.md",
        }
        for number, section in enumerate(listed, start=1)
    ]


def has_print(r: Renderer, periods: Sequence[Period], i: int) -> bool:
    """Whether the ``i``-th of the reporting ``periods`` (newest first) has a printable report:
    the current period's and each narrated period's (each indicator's detail as it stood is
    worth a page to print where the council reported on that period), or every period's with
    ``reports: printable: all``. Every report page prints as shown either way."""
    if i == 0 or r.config.reports.printable == "all":
        return True
    return r.narrative(periods[i]) is not None


def period_paths(period: Period, printable: bool = True) -> tuple[str, ...]:
    """The docs paths of a period's report and, if it has one, its printable report."""
    report = f"{REPORTS}/{period.slug}/index.md"
    return (report, f"{REPORTS}/{period.slug}/print.md") if printable else (report,)


def report_paths(r: Renderer, periods: Sequence[Period]) -> list[str]:
    """The docs paths of every period's report and printable report (``History.periods``)."""
    return [
        path
        for i, period in enumerate(periods)
        for path in period_paths(period, has_print(r, periods, i))
    ]


def index_context(r: Renderer, history: History) -> dict[str, Any]:
    printed = {p for i, p in enumerate(history.periods) if has_print(r, history.periods, i)}
    return {
        "states": history.states,
        "printed": printed,
        "indicator_count": len(history.assessed),
        "report_url": report_url,
        "print_url": print_url,
        "older": _older_text(history.years) if history.cut_short else None,
    }


def _older_text(years: int) -> str:
    return t("reports.index_older.none") if years == 0 else tn("reports.index_older", years)


def _rows(r: Renderer, state: PeriodState, members: Sequence[Assessed]) -> list[dict[str, Any]]:
    return [r.row_at(a, state.positions[a.id], state.latest[a.id]) for a in members]


Members = dict[str, list[Assessed]]


def _priority_sections(r: Renderer, state: PeriodState, members: Members) -> list[dict[str, Any]]:
    sections = []
    for priority in r.config.priorities:
        mine = members[priority.id]
        sections.append(
            {
                "priority": priority,
                "counts": state.summary.by_priority[priority.id],
                "measures": _rows(r, state, [a for a in mine if not a.is_project]),
                "projects": _rows(r, state, [a for a in mine if a.is_project]),
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


def _narrative(r: Renderer, period: Period) -> Narrative | None:
    narrative = r.narrative(period)
    if narrative is None:
        return None
    return Narrative(Markup(rebase_links(str(narrative.text), "../../")), narrative.about)


def _summary_context(r: Renderer, state: PeriodState) -> dict[str, Any]:
    return {
        "summary": state.summary,
        "comparison": state.comparison,
        "rows": r.summary_rows(state.summary),
        "narrative": _narrative(r, state.period),
        "report_period": state.period,
    }


def _later_text(r: Renderer, state: PeriodState, members: Members) -> str:
    """How many indicators are left out of a report because they began reporting later."""
    listed = sum(len(m) for m in members.values())
    later = len(r.report_order()) - listed
    return tn("reports.began_later", later, period=state.period.label) if later else ""


def report_context(
    r: Renderer,
    state: PeriodState,
    members: Members,
    current: bool,
    earlier: Period | None,
    later: Period | None,
) -> dict[str, Any]:
    return {
        **_summary_context(r, state),
        "began_later": _later_text(r, state, members),
        "is_current": current,
        "sections": _priority_sections(r, state, members),
        "earlier": earlier,
        "later": later,
        "report_url": report_url,
        "print_url": print_url,
    }


def print_context(
    r: Renderer, history: History, state: PeriodState, members: Members, current: bool
) -> dict[str, Any]:
    sections = _priority_sections(r, state, members)
    for section in sections:
        section["entries"] = [
            _print_item(r, a, history.timelines[a.id].until(state.period), state, current)
            for a in section["members"]
        ]
    return {
        **_summary_context(r, state),
        "began_later": _later_text(r, state, members),
        "is_current": current,
        "sections": sections,
        "parts": [],
        "report_url": report_url,
        "print_url": print_url,
    }


def _print_item(
    r: Renderer, a: Assessed, items: list[Item], state: PeriodState, current: bool
) -> dict[str, Any]:
    """One indicator in the printable report: what its page says, as it stood then."""
    period = state.period
    model = a.model
    item: dict[str, Any] = {
        "a": a,
        "m": model,
        "url": f"indicators/{a.id}/",
        "position": state.positions[a.id],
        "latest": state.latest[a.id],
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
            "chart": sparkline(model, shown, summaries.print_chart_label(model.title, shown)),
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
