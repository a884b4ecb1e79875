"""The change report of an import: per indicator, what was added, changed and left unchanged.

``describe`` is the report printed after an import; ``preview`` is what ``--dry-run`` shows.
The preview is kept behind this one function so that it can show the changes the way
``perfpages diff`` does once that command exists (it compares two site folders, and the
dry run has both: the site and the validated copy with the import applied).
"""

from __future__ import annotations

from pathlib import Path

from generator.importers.spreadsheet import IndicatorChanges, Plan
from generator.problems import plural


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


def describe(plan: Plan, *, done: bool = True) -> str:
    """The readable change report: one block per indicator file, then the totals."""
    lines: list[str] = []
    table = plan.table
    source = table.source + (f' (sheet "{table.sheet}")' if table.sheet else "")
    if plan.columns is not None:
        used = ", ".join(f'{name} = "{plan.columns.header(name)}"' for name in plan.columns.index)
        lines.append(f"Read {source}: headers in row {plan.columns.header_row} ({used})")
    for changes in plan.indicators:
        lines.append(f"{changes.indicator.rel}: {counts(changes)}")
        lines.extend(_point_lines(changes))
    changed = [c for c in plan.indicators if c.changed]
    added = sum(c.count("added") for c in plan.indicators)
    altered = sum(c.count("changed") for c in plan.indicators)
    same = sum(c.count("unchanged") for c in plan.indicators)
    verb = "changed" if done else "to change"
    lines.append(
        f"{plural(len(changed), 'file')} {verb}: {plural(added, 'value')} added, "
        f"{altered} changed, {same} unchanged"
    )
    if plan.skipped:
        rows = ", ".join(str(r) for r in plan.skipped)
        which = "row" if len(plan.skipped) == 1 else "rows"
        lines.append(
            f"Left alone: {plural(len(plan.skipped), 'row')} with no value ({which} {rows})"
        )
    if plan.columns is not None and plan.columns.ignored:
        lines.append("Columns not imported: " + ", ".join(f'"{h}"' for h in plan.columns.ignored))
    for note in plan.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)


def preview(plan: Plan, site_root: Path, new_root: Path) -> str:
    """What ``--dry-run`` shows: the changes between the site and the site after the import."""
    del site_root, new_root  # used once the diff command exists (see the module docstring)
    return describe(plan, done=False)
