"""The new text of every indicator file a plan changes, each edit checked before it is kept.

``expected_data`` applies the same edit to the plain data ``generator.site.yaml_reader`` read,
so that the edited text can be compared with what it must read back as; ``_regions`` gives the
lines the edit may touch (``yaml_edit.check_edit`` refuses any other change).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generator.importers.spreadsheet import Plan
from generator.importers.yaml_edit import (
    POINT_KEYS,
    EditError,
    FileEdit,
    RawNumber,
    check_edit,
    edit_measure,
    insert_position,
    same,
)
from generator.site.problems import Problem, Problems
from generator.site.yaml_reader import Document, parse_yaml


def new_texts(
    plan: Plan,
) -> tuple[dict[str, bytes], dict[str, bytes | None], list[Problem]]:
    """The new bytes of every changed file (by site-relative path), each edit checked; the
    bytes each was made from; and the files that could not be edited safely."""
    out: dict[str, bytes] = {}
    originals: dict[str, bytes | None] = {}
    problems: list[Problem] = []
    for changes in plan.indicators:
        if changes.edit is None:
            continue
        doc = changes.indicator.doc
        old_bytes = doc.path.read_bytes()
        try:
            old_text = old_bytes.decode("utf-8")
            now = parse_yaml(old_bytes, doc.path, doc.rel, Problems())
            if now is None or not same(now.data, doc.data):
                raise EditError("the file changed while the import ran; import again")
            new_text = edit_measure(old_text, changes.edit)
            expected = expected_data(doc.data, changes.edit)
            changeable, insertable = _regions(doc, changes.edit, old_text)
            check_edit(
                old_text.lstrip("\ufeff"),
                new_text.lstrip("\ufeff"),
                doc.rel,
                expected,
                changeable,
                insertable,
            )
        except (EditError, UnicodeDecodeError) as e:
            problems.append(
                Problem(
                    doc.rel,
                    0,
                    "",
                    f"cannot be updated safely: {e}; nothing was written",
                    code="import.edit",
                )
            )
            continue
        out[doc.rel] = new_text.encode("utf-8")
        originals[doc.rel] = old_bytes
    return out, originals, problems


def expected_data(data: dict[str, Any], edit: FileEdit) -> dict[str, Any]:
    """The plain data the edited file must read back as (the same edit on plain values)."""
    new: dict[str, Any] = _copy(data)
    values: list[dict[str, Any]] = new.setdefault("values", [])
    if values is None:
        values = new["values"] = []
    periods = list(edit.periods)
    for point in edit.points:
        if point.index is None:
            continue
        item = values[point.index]
        for key in point.remove:
            item.pop(key, None)
        for key, value in point.set.items():
            if key in item:
                item[key] = _plain(value)
            else:
                keys = list(item)
                order = POINT_KEYS.index(key)
                position = 0
                for i, existing in enumerate(keys):
                    if existing in POINT_KEYS and POINT_KEYS.index(existing) < order:
                        position = i + 1
                pairs = list(item.items())
                pairs.insert(position, (key, _plain(value)))
                item.clear()
                item.update(pairs)
    for point in sorted((p for p in edit.points if p.index is None), key=lambda p: p.period):
        position = insert_position(periods, point.period)
        item = {"period": point.period.text}
        for key in POINT_KEYS[1:]:
            if key in point.set:
                item[key] = _plain(point.set[key])
        values.insert(position, item)
        periods.insert(position, point.period)
    if edit.target is not None:
        _expected_target(new, edit)
    return new


def _copy(data: Any) -> Any:
    """A copy of plain YAML data (its numbers keep how they were written)."""
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


def _expected_target(new: dict[str, Any], edit: FileEdit) -> None:
    """The target as the edit leaves it, in the plain data ``expected_data`` builds: a single
    number; steps written in full (a new target goes after frequency, else after polarity,
    decimals or unit, else before values); or, for steps already in the file, changed values and
    new steps inserted in period order."""
    target = edit.target
    assert target is not None
    steps: Any
    if target.number is not None:
        steps = Decimal(target.number)
    if target.number is not None or target.replace or not isinstance(new.get("target"), list):
        if target.number is None:
            steps = [
                {"from": s.period.text, "value": _plain(s.value)}
                for s in sorted(target.steps, key=lambda s: s.period)
            ]
        if "target" in new:
            new["target"] = steps
        else:
            keys = list(new)
            position = len(keys)
            for anchor in ("frequency", "polarity", "decimals", "unit"):
                if anchor in keys:
                    position = keys.index(anchor) + 1
                    break
            else:
                position = keys.index("values") if "values" in keys else len(keys)
            pairs = list(new.items())
            pairs.insert(position, ("target", steps))
            new.clear()
            new.update(pairs)
        return
    current: list[dict[str, Any]] = new["target"]
    periods = list(edit.target_periods)
    for step in target.steps:
        if step.index is not None:
            current[step.index]["value"] = _plain(step.value)
    for step in sorted((s for s in target.steps if s.index is None), key=lambda s: s.period):
        position = insert_position(periods, step.period)
        current.insert(position, {"from": step.period.text, "value": _plain(step.value)})
        periods.insert(position, step.period)


def _plain(value: Any) -> Any:
    return Decimal(value) if isinstance(value, RawNumber) else value


def _regions(
    doc: Document, edit: FileEdit, text: str
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Old line ranges the edit may rewrite, and where it may add lines."""
    total = len(text.splitlines()) + 1
    data = doc.data
    keys = list(data)

    def block(key: str) -> tuple[int, int]:
        start = doc.line((key,))
        later = [doc.line((k,)) for k in keys if doc.line((k,)) > start]
        return start, (min(later) - 1 if later else total)

    changeable: list[tuple[int, int]] = []
    insertable: list[tuple[int, int]] = []
    if "values" in data:
        start, end = block("values")
        insertable.append((start, end))
        changeable.append((start, start))
        items = data.get("values") or []
        starts = [doc.line(("values", i)) for i in range(len(items))]
        lines = text.splitlines()
        for point in edit.points:
            if point.index is not None:
                first = starts[point.index]
                last = starts[point.index + 1] - 1 if point.index + 1 < len(starts) else end
                # The last item of the last field runs to the end of the file, not beyond it.
                last = min(last, len(lines))
                # Comment lines after the item are not the item's: they must stay as they are.
                while last > first and _comment_or_blank(lines[last - 1]):
                    last -= 1
                changeable.append((first, last))
    else:
        insertable.append((1, total))
    if edit.target is not None:
        if "target" in data:
            start, end = block("target")
            changeable.append((start, end))
            insertable.append((start, end))
        else:
            insertable.append((1, total))
    return changeable, insertable


def _comment_or_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")
