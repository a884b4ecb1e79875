"""What an import changes: per indicator, what was added, changed and left unchanged.

``describe`` is the summary printed after an import (the guide calls it the change report);
``preview`` is what ``--dry-run`` shows: the change to the site exactly as ``perfpages diff``
shows it (comparing the site with the validated copy that has the import applied), then how the
spreadsheet was read.
"""

from __future__ import annotations

from pathlib import Path

from generator.importers.spreadsheet import IndicatorChanges, Plan
from generator.site.problems import plural


def _point_lines(changes: IndicatorChanges) -> list[str]:
    lines: list[str] = []
    width = max((len(p.period.text) for p in changes.points), default=0)
    for point in sorted(changes.points, key=lambda p: p.period.sort_key):
        period = point.period.text.ljust(width)
        if point.status == "added":
            lines.append(f"    added    {period}  {point.new_value}")
        elif point.status == "changed":
            parts = [
                f"{c.old} → {c.new}" if c.field == "value" else f"{c.field}: {c.old} → {c.new}"
                for c in point.fields
            ]
            lines.append(f"    changed  {period}  {'; '.join(parts)}")
    for change in changes.target:
        lines.append(f"    changed  {change.field}: {change.old} → {change.new}")
    return lines


def counts(changes: IndicatorChanges) -> str:
    parts = [
        f"{changes.count('added')} added",
        f"{changes.count('changed')} changed",
        f"{changes.count('unchanged')} unchanged",
    ]
    if changes.target:
        parts.append(plural(len(changes.target), "target change"))
    return ", ".join(parts)


def describe(plan: Plan) -> str:
    """The readable summary of the changes: one block per indicator file, then the totals."""
    lines: list[str] = []
    reading = _reading(plan)
    if reading:
        lines.append(reading)
    for changes in plan.indicators:
        lines.append(f"{changes.indicator.rel}: {counts(changes)}")
        lines.extend(_point_lines(changes))
    changed = [c for c in plan.indicators if c.changed]
    added = sum(c.count("added") for c in plan.indicators)
    altered = sum(c.count("changed") for c in plan.indicators)
    same = sum(c.count("unchanged") for c in plan.indicators)
    lines.append(
        f"{plural(len(changed), 'file')} changed: {plural(added, 'value')} added, "
        f"{altered} changed, {same} unchanged"
    )
    lines.extend(_left_out(plan))
    return "\n".join(lines)


def _reading(plan: Plan) -> str | None:
    table = plan.table
    source = table.source + (f' (sheet "{table.sheet}")' if table.sheet else "")
    if plan.columns is None:
        return None
    columns = plan.columns
    named = [n for n in columns.index if not (n == "value" and columns.periods)]
    used = ", ".join(f'{name} = "{columns.header(name)}"' for name in named)
    if columns.periods:
        headers = ", ".join(f'"{h}"' for h in columns.periods.values())
        used += f", a column of values per period: {headers}"
    return f"Read {source}: headers in row {plan.columns.header_row} ({used})"


def _left_out(plan: Plan) -> list[str]:
    """Rows and columns the import did not use, and how the file was read."""
    lines: list[str] = []
    if plan.skipped:
        rows = ", ".join(str(r) for r in plan.skipped)
        which = "row" if len(plan.skipped) == 1 else "rows"
        lines.append(
            f"Left alone: {plural(len(plan.skipped), 'row')} with no value ({which} {rows})"
        )
    if plan.columns is not None and plan.columns.ignored:
        lines.append("Columns not imported: " + ", ".join(f'"{h}"' for h in plan.columns.ignored))
    lines.extend(f"Note: {note}" for note in plan.notes)
    return lines


def preview(plan: Plan, site_root: Path, new_root: Path) -> str:
    """What ``--dry-run`` shows: the change to the site as ``perfpages diff`` shows it (the site
    against the validated copy with the import applied), then how the file was read."""
    from generator.diff.compare import compare, read_version
    from generator.diff.markdown import markdown

    diff = markdown(
        compare(read_version(site_root, "now"), read_version(new_root, "after the import"))
    )
    lines = [diff.rstrip("\n"), ""]
    reading = _reading(plan)
    if reading:
        lines.append(reading)
    lines.extend(_left_out(plan))
    return "\n".join(lines)
