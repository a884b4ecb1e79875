"""Plan what a quarter's spreadsheet changes in the indicator files.

Planning reads every row, reports every cell it cannot read (with row and column), and works
out for each indicator which values are added, changed or unchanged, and the edit that makes
it so. Only a plan without a single error is turned into new file texts (``rewrite``).
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator.assess.assessment import target_for
from generator.importers.cells import (
    CellError,
    Missing,
    Number,
    PeriodContext,
    read_id,
    read_number,
    read_period,
    read_rating,
    read_reason,
    read_text,
)
from generator.importers.columns import Columns, MappingFile, find_columns
from generator.importers.tables import Row, Table
from generator.importers.yaml_edit import (
    FileEdit,
    PointEdit,
    RawNumber,
    StepEdit,
    TargetEdit,
)
from generator.site.layout import IndicatorFile, Site
from generator.site.models import Measure, TargetLabel
from generator.site.periods import Period, PeriodError, PeriodKind, parse_period
from generator.site.problems import Problem

# ---- What changes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class PointChange:
    period: Period
    status: str  # added | changed | unchanged
    row: int
    fields: list[FieldChange] = field(default_factory=list)
    new_value: str = ""


@dataclass
class IndicatorChanges:
    indicator: IndicatorFile
    points: list[PointChange] = field(default_factory=list)
    target: list[FieldChange] = field(default_factory=list)
    edit: FileEdit | None = None

    def count(self, status: str) -> int:
        return sum(1 for p in self.points if p.status == status)

    @property
    def changed(self) -> bool:
        return bool(self.target) or any(p.status != "unchanged" for p in self.points)


@dataclass
class Plan:
    table: Table
    columns: Columns | None = None
    indicators: list[IndicatorChanges] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # rows with no value, left alone
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


@dataclass
class _RowData:
    row: int
    period: Period
    value: Number | Missing
    note: str | None = None
    rating: str | None = None
    rating_reason: str | None = None
    target: Number | None = None


# ---- Finding the indicator -----------------------------------------------------------------------


class Ambiguous(Exception):
    """A ref or title that more than one indicator has."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__(", ".join(ids))
        self.ids = ids


class IndicatorIndex:
    """Find an indicator by its id (file name), its ref, or its title, leniently.

    An id always wins; a ref or title shared by several indicators is refused, not guessed.
    """

    def __init__(self, site: Site) -> None:
        self.ids = {ind.id: ind for ind in site.indicators}
        self.by_key: dict[str, list[IndicatorFile]] = {}
        self.names: dict[str, str] = {}
        for ind in site.indicators:
            # Written last, the id is the name suggested when its title folds the same.
            names = (ind.model.title, ind.model.ref, ind.id)
            for key, name in {_key(n): n for n in names if n}.items():
                self.by_key.setdefault(key, []).append(ind)
                self.names[key] = name

    def find(self, text: str) -> IndicatorFile | None:
        if text in self.ids:
            return self.ids[text]
        found = self.by_key.get(_key(text), [])
        if len(found) > 1:
            raise Ambiguous(sorted(ind.id for ind in found))
        return found[0] if found else None

    def suggest(self, text: str) -> str | None:
        near = difflib.get_close_matches(_key(text), list(self.names), n=1, cutoff=0.6)
        return self.names[near[0]] if near else None


def _key(text: str) -> str:
    return " ".join(re.sub(r"[\s_\-]+", " ", text.casefold()).split())


# ---- Planning ------------------------------------------------------------------------------------


def plan_import(
    site: Site, table: Table, mapping: MappingFile, default_period: str | None = None
) -> Plan:
    """What importing ``table`` into ``site`` would change, indicator by indicator, with every
    problem found on the way; nothing is written here.

    The columns are found first (a file without them stops there), then each row is read on its
    own, so that one run reports every cell that cannot be read; a row naming an indicator and
    period already seen is refused. ``default_period`` (--period, or the mapping's period) is the
    period of rows that give none."""
    plan = Plan(table)
    plan.notes.extend(table.notes)
    columns = find_columns(table, mapping, plan.problems)
    if columns is None:
        return plan
    plan.columns = columns
    plan.notes.extend(columns.notes)
    fy = site.config.financial_year_start_month
    period_default: Period | None = None
    text = default_period or mapping.period
    if text:
        try:
            period_default = parse_period(text, fy)
        except PeriodError as e:
            plan.problems.append(Problem.in_sheet(table.source, 0, "", f"--period: {e}"))
            return plan
    if "period" not in columns.index and period_default is None and not columns.periods:
        plan.problems.append(
            Problem.in_sheet(
                table.source,
                columns.header_row,
                "",
                "no period column was found; add a column headed Period, or give the period of "
                "every row with --period (e.g. --period '2019/20 Q3')",
                code="import.columns",
            )
        )
        return plan
    index = IndicatorIndex(site)
    by_indicator: dict[str, tuple[IndicatorFile, list[_RowData]]] = {}
    seen: dict[tuple[str, Period], int] = {}
    # A column per period: each is read in turn as the value column, with its header's period.
    value_columns: list[tuple[int | None, Period | None]] = [(None, period_default)]
    if columns.periods:
        value_columns = [(i, parse_period(h, fy)) for i, h in columns.periods.items()]
    for row, (column, period) in itertools.product(table.rows, value_columns):
        if row.number <= columns.header_row or row.blank:
            continue
        if column is not None:
            columns.index["value"] = column
        found = _read_row(plan, columns, row, index, fy, period)
        if found is None:
            continue
        indicator, data = found
        key = (indicator.id, data.period)
        if key in seen:
            plan.problems.append(
                Problem.in_sheet(
                    table.source,
                    row.number,
                    "",
                    f"{indicator.id} {data.period.text} is given twice (rows {seen[key]} and "
                    f"{row.number}); keep one of them",
                    code="import.duplicate",
                )
            )
            continue
        seen[key] = row.number
        by_indicator.setdefault(indicator.id, (indicator, []))[1].append(data)
    for indicator, rows in by_indicator.values():
        plan.indicators.append(_merge(plan, indicator, rows))
    plan.indicators.sort(key=lambda c: c.indicator.rel)
    return plan


def _problem(plan: Plan, row: Row, columns: Columns, name: str, message: str, code: str) -> None:
    header = columns.header(name) if name in columns.index else name
    letter = columns.letter(name) if plan.table.xlsx and name in columns.index else ""
    position = columns.index.get(name, -1)
    plan.problems.append(
        Problem.in_sheet(
            plan.table.source,
            row.number,
            header,
            message,
            letter=letter,
            position=position,
            code=code,
        )
    )


def _read_row(
    plan: Plan,
    columns: Columns,
    row: Row,
    index: IndicatorIndex,
    fy: int,
    period_default: Period | None,
) -> tuple[IndicatorFile, _RowData] | None:
    """One data row as its indicator and what it says of one period; None for a row to leave out.

    A row without a value (nor a missing reason) is passed over quietly when it names no
    indicator of the site (a heading or a note between the data rows), and listed as left alone
    when it names a measure. Every cell is read even after one fails, so that each problem in the
    row is reported in one run."""

    def cell(name: str) -> Any:
        return row.cell(columns.index[name]) if name in columns.index else None

    value_cell = cell("value")
    missing_cell = cell("missing")
    has_value = not value_cell.blank or (missing_cell is not None and not missing_cell.blank)
    ident = read_id(cell("indicator"))
    if ident is None:
        if has_value:
            _problem(
                plan,
                row,
                columns,
                "indicator",
                "the row has a value but no indicator; write the indicator's id",
                "import.id",
            )
        return None
    try:
        indicator = index.find(ident)
    except Ambiguous as e:
        _problem(
            plan,
            row,
            columns,
            "indicator",
            f'"{ident}" is the ref or title of several indicators ({", ".join(e.ids)}); '
            "write the id instead",
            "import.id",
        )
        return None
    if indicator is None:
        if not has_value:
            return None  # a heading or a note between the data rows
        near = index.suggest(ident)
        hint = f"; did you mean {near}?" if near else ""
        _problem(
            plan,
            row,
            columns,
            "indicator",
            f'"{ident}" is not an indicator of this site (by id, ref or title){hint}',
            "import.id",
        )
        return None
    model = indicator.model
    if not isinstance(model, Measure):
        _problem(
            plan,
            row,
            columns,
            "indicator",
            f"{indicator.id} is a project; projects take updates, which are edited in its file",
            "import.project",
        )
        return None
    if not has_value:
        if row.number not in plan.skipped:  # once, though a row has a column per period
            plan.skipped.append(row.number)
        return None
    ok = True
    context = PeriodContext(fy, model.frequency, _is_financial(model))
    period = period_default
    period_cell = cell("period")
    if period_cell is not None and not period_cell.blank:
        try:
            period = read_period(period_cell, context)
        except CellError as e:
            _problem(plan, row, columns, "period", str(e), "import.period")
            ok = False
    elif period is None:
        _problem(plan, row, columns, "period", "no period is given", "import.period")
        ok = False
    percent = model.unit == "percent"
    value: Number | Missing | None = None
    reason: str | None = None
    if missing_cell is not None:
        try:
            reason = read_reason(missing_cell)
        except CellError as e:
            _problem(plan, row, columns, "missing", str(e), "import.missing")
            ok = False
    if value_cell.blank:
        value = Missing(reason) if reason else None
    else:
        try:
            value = read_number(value_cell, percent)
        except CellError as e:
            _problem(plan, row, columns, "value", str(e), "import.value")
            ok = False
        if isinstance(value, Number) and reason:
            _problem(
                plan,
                row,
                columns,
                "missing",
                f"the row has a value ({value.text}) and a reason for a missing value "
                f"({reason}); clear one of them",
                "import.missing",
            )
            ok = False
        elif isinstance(value, Missing) and reason:
            value = Missing(reason)
    data_fields: dict[str, Any] = {}
    for name, reader in (
        ("note", read_text),
        ("rating", read_rating),
        ("rating_reason", read_text),
    ):
        c = cell(name)
        if c is None:
            continue
        try:
            data_fields[name] = reader(c)
        except CellError as e:
            _problem(plan, row, columns, name, str(e), f"import.{name}")
            ok = False
    target: Number | None = None
    target_cell = cell("target")
    if target_cell is not None and not target_cell.blank:
        try:
            found = read_number(target_cell, percent, allow_missing=False)
            assert isinstance(found, Number)
            target = found
        except CellError as e:
            _problem(plan, row, columns, "target", str(e), "import.target")
            ok = False
    if not ok or value is None or period is None:
        return None
    if isinstance(value, Number) and percent and not value_cell.is_percent_format:
        _warn_fraction(plan, row, columns, indicator, value)
    return indicator, _RowData(row.number, period, value, target=target, **data_fields)


def _is_financial(model: Measure) -> bool:
    kinds = {v.period.kind for v in model.values}
    if kinds:
        return bool(kinds & {PeriodKind.FINANCIAL_QUARTER, PeriodKind.FINANCIAL_YEAR})
    return True


def _warn_fraction(
    plan: Plan, row: Row, columns: Columns, indicator: IndicatorFile, value: Number
) -> None:
    model = indicator.model
    assert isinstance(model, Measure)
    known = [v.value for v in model.values if v.value is not None]
    if 0 < value.amount <= 1 and known and all(abs(k) > 1 for k in known):
        meant = Number((value.amount * 100).normalize()).text
        plan.problems.append(
            Problem.in_sheet(
                plan.table.source,
                row.number,
                columns.header("value"),
                f"{value.text} looks like a fraction, but {indicator.id} is a percentage "
                f"(its other values are above 1); if you meant {meant}%, "
                "write that number",
                letter=columns.letter("value") if plan.table.xlsx else "",
                code="import.fraction",
                severity="warning",
            )
        )


# ---- Merging rows into an indicator --------------------------------------------------------------


def _old_number(raw: Any) -> str:
    if raw is None:
        return "null"
    text = getattr(raw, "raw", None)
    return text if isinstance(text, str) else str(raw)


def _show(value: Any, missing: Any) -> str:
    if value is None:
        return f"no value ({missing})" if missing else "no value"
    return _old_number(value)


def _merge(plan: Plan, indicator: IndicatorFile, rows: list[_RowData]) -> IndicatorChanges:
    """The rows of one indicator against its file: each period added, changed (field by field)
    or unchanged, and the edit that makes the file say so.

    A value replaced by no value is a warning, in case it was a mistake; a rating reason with no
    rating (in the row, or already in the file) is refused. ``_merge_targets`` does the targets."""
    model = indicator.model
    assert isinstance(model, Measure)
    data = indicator.doc.data
    items: list[dict[str, Any]] = list(data.get("values") or [])
    periods = [v.period for v in model.values]
    changes = IndicatorChanges(indicator)
    edit = FileEdit(periods=periods)
    position = {p: i for i, p in enumerate(periods)}
    for row in sorted(rows, key=lambda r: r.period):
        index = position.get(row.period)
        wanted: dict[str, Any] = {}
        if isinstance(row.value, Number):
            wanted["value"] = RawNumber(row.value.text)
        else:
            wanted["value"] = None
            wanted["missing"] = row.value.reason
        for name in ("note", "rating", "rating_reason"):
            given = getattr(row, name)
            if given is not None:
                wanted[name] = given
        if index is None:
            if "rating_reason" in wanted and "rating" not in wanted:
                _reason_problem(plan, row)
                continue
            changes.points.append(
                PointChange(row.period, "added", row.row, new_value=_show_new(wanted))
            )
            edit.points.append(PointEdit(row.period, None, wanted))
            continue
        item = items[index]
        if "rating_reason" in wanted and "rating" not in wanted and item.get("rating") is None:
            _reason_problem(plan, row)
            continue
        field_changes: list[FieldChange] = []
        to_set: dict[str, Any] = {}
        remove: tuple[str, ...] = ()
        if not _same_value(item, wanted):
            field_changes.append(
                FieldChange(
                    "value",
                    _show(item.get("value"), item.get("missing")),
                    _show(wanted["value"], wanted.get("missing")),
                )
            )
            to_set["value"] = wanted["value"]
            if wanted["value"] is None and item.get("value") is not None:
                plan.problems.append(
                    Problem.in_sheet(
                        plan.table.source,
                        row.row,
                        "",
                        f"{indicator.id} {periods[index].text}: the value "
                        f"{_old_number(item.get('value'))} is replaced by no value "
                        f"({wanted['missing']}); check this is meant",
                        code="import.value-removed",
                        severity="warning",
                    )
                )
            if "missing" in wanted:
                to_set["missing"] = wanted["missing"]
            elif "missing" in item:
                remove = ("missing",)
        for name in ("note", "rating", "rating_reason"):
            if name in wanted and item.get(name) != wanted[name]:
                field_changes.append(FieldChange(name, _text(item.get(name)), _text(wanted[name])))
                to_set[name] = wanted[name]
        if field_changes:
            changes.points.append(PointChange(periods[index], "changed", row.row, field_changes))
            edit.points.append(PointEdit(periods[index], index, to_set, remove))
        else:
            changes.points.append(PointChange(periods[index], "unchanged", row.row))
    _merge_targets(plan, changes, edit, rows)
    changes.edit = edit if (edit.points or edit.target) else None
    return changes


def _reason_problem(plan: Plan, row: _RowData) -> None:
    plan.problems.append(
        Problem.in_sheet(
            plan.table.source,
            row.row,
            "",
            "a rating reason is given without a rating; add the rating it explains",
            code="import.rating_reason",
        )
    )


def _text(value: Any) -> str:
    return "(none)" if value is None else str(value)


def _show_new(wanted: dict[str, Any]) -> str:
    """The new value, and the other fields the row gives it."""
    parts = [_show(wanted["value"], wanted.get("missing"))]
    parts += [
        f"{name}: {wanted[name]}" for name in ("note", "rating", "rating_reason") if name in wanted
    ]
    return "; ".join(parts)


def _same_value(item: dict[str, Any], wanted: dict[str, Any]) -> bool:
    old, new = item.get("value"), wanted["value"]
    if old is None or new is None:
        return old is None and new is None and item.get("missing") == wanted.get("missing")
    return Decimal(_old_number(old).replace("_", "")) == Decimal(str(new))


def _merge_targets(
    plan: Plan, changes: IndicatorChanges, edit: FileEdit, rows: list[_RowData]
) -> None:
    """The targets the rows give, as an edit of the indicator's target.

    A target that is a label cannot be changed. Steps already in the file are changed or added
    to; a single number (or no target) becomes steps, the old target until the first change, or
    stays one number when that is all the change needs. A change is refused when it would also
    change the target of values the sheet does not give (``_check_later_targets``)."""
    model = changes.indicator.model
    assert isinstance(model, Measure)
    wanted = sorted((r for r in rows if r.target is not None), key=lambda r: r.period)
    if not wanted:
        return
    if isinstance(model.target, TargetLabel):
        for row in wanted:
            plan.problems.append(
                Problem.in_sheet(
                    plan.table.source,
                    row.row,
                    "",
                    f"{changes.indicator.id} has a target written as a label "
                    f'("{model.target.label}"), which an import cannot change; leave the target '
                    "cell empty, or edit the file",
                    code="import.target",
                )
            )
        return
    steps = _current_steps(model)
    step_periods = [p for p, _ in steps]
    edits: dict[Period, StepEdit] = {}
    for row in wanted:
        assert row.target is not None
        # The target in force once the rows before have set theirs: a step is written only
        # where the target changes (the same target on every row is one step, not one a row).
        in_force = _target_in_force(model, edits, row.period)
        if in_force is not None and in_force == row.target.amount:
            continue
        old = "(none)" if in_force is None else _number_text(float(in_force))
        changes.target.append(FieldChange(f"target from {row.period.text}", old, row.target.text))
        number = RawNumber(row.target.text)
        index = step_periods.index(row.period) if row.period in step_periods else None
        edits[row.period] = StepEdit(row.period, index, number)
    if not edits:
        return
    if isinstance(model.target, list):
        edit.target_periods = [s.from_ for s in model.target]
        edit.target = TargetEdit(steps=list(edits.values()))
        merged = {s.from_: StepEdit(s.from_, i, _raw(s.value)) for i, s in enumerate(model.target)}
        merged.update(edits)
        _check_later_targets(plan, changes, list(merged.values()), wanted)
        return
    # A number (or no target) becomes steps: the old target until the first change.
    first = min([*(v.period for v in model.values), *edits], key=lambda p: p.sort_key)
    new_steps: list[StepEdit] = []
    if model.target is not None and first not in edits:
        new_steps.append(StepEdit(first, None, RawNumber(_number_text(model.target))))
    new_steps.extend(edits.values())
    if len(new_steps) == 1 and new_steps[0].period == first:
        edit.target = TargetEdit(number=new_steps[0].value)
    else:
        edit.target = TargetEdit(steps=new_steps, replace=True)
    _check_later_targets(plan, changes, new_steps, wanted)


def _target_in_force(
    model: Measure, edits: dict[Period, StepEdit], period: Period
) -> Decimal | None:
    """The numeric target for ``period`` with the steps ``edits`` sets so far: of the steps
    starting on or before it, the latest start wins, and a step set by the import wins over
    one in the file starting the same day (as ``target_for`` reads the file)."""
    in_force = target_for(model, period)
    current = None if in_force is None else Decimal(repr(in_force))
    latest: Any = None
    if isinstance(model.target, list):
        starts = [s.from_.start for s in model.target if s.from_.start <= period.start]
        latest = max(starts, default=None)
    for step_period, step in edits.items():
        start = step_period.start
        if start <= period.start and (latest is None or start >= latest):
            current = None if step.value is None else Decimal(step.value)
            latest = start
    return current


def _check_later_targets(
    plan: Plan, changes: IndicatorChanges, steps: list[StepEdit], rows: list[_RowData]
) -> None:
    """Refuse a target change that would also change the target of values not in the sheet."""
    model = changes.indicator.model
    assert isinstance(model, Measure)
    given = {r.period for r in rows}
    ordered = sorted(steps, key=lambda s: s.period.start)
    for value in model.values:
        if value.period in given:
            continue
        new: Decimal | None = None
        for step in ordered:
            if step.period.start <= value.period.start:
                new = None if step.value is None else Decimal(step.value)
        old = target_for(model, value.period)
        if (None if old is None else Decimal(repr(old))) != new:
            first = min(rows, key=lambda r: r.period)
            plan.problems.append(
                Problem.in_sheet(
                    plan.table.source,
                    first.row,
                    "",
                    f"this target would also change the target of {changes.indicator.id} for "
                    f"{value.period.text}, which is not in the spreadsheet; give that period's "
                    "target too, or change the target in the file",
                    code="import.target",
                )
            )
            return


def _raw(value: float | None) -> RawNumber | None:
    return None if value is None else RawNumber(_number_text(value))


def _current_steps(model: Measure) -> list[tuple[Period, float | None]]:
    if isinstance(model.target, list):
        return [(s.from_, s.value) for s in model.target]
    return []


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
