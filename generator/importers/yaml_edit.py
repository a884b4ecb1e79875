"""Change values in an indicator file in place, keeping its comments, key order and layout.

The file is edited with ruamel.yaml's round-trip mode, set up to read scalars as
``generator.site.yaml_reader`` does (YAML 1.2 core rules, no timestamps), with the file's own
indentation.
Two things ruamel.yaml does not do by itself are handled here:

- a comment that follows a list item belongs to what comes next (the next item, or the next
  field), but ruamel.yaml attaches it to the item before; when an item is inserted after it, the
  comment is moved to the end of the new item so that it keeps its place;
- a removed field's comments are kept, on the field before it.

Every edit is then checked (``check_edit``): the new text must read back through
``generator.site.yaml_reader`` as exactly the intended data, and every line outside the edited
parts must be unchanged. An edit that fails the check is refused rather than written.
"""

from __future__ import annotations

import difflib
import io
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from generator.site.periods import Period
from generator.site.problems import Problems
from generator.site.yaml_reader import _STR, _resolve, parse_yaml

POINT_KEYS = ("period", "value", "missing", "note", "rating", "rating_reason")
TARGET_KEYS = ("from", "value")


class EditError(Exception):
    """The file cannot be edited without changing more than intended; the message says where."""


class RawNumber(str):
    """A number written exactly as given ("85.10" keeps its two decimal places)."""


class _CoreResolver(VersionedResolver):
    """ruamel.yaml's YAML 1.2 resolver without timestamps: ``2019-09-30`` is a period (text),
    as ``generator.site.yaml_reader`` reads it."""

    @property
    def versioned_resolver(self) -> Any:
        version = self.processing_version
        if isinstance(version, str):
            version = tuple(map(int, version.split(".")))
        if version not in self._version_implicit_resolver:
            for versions, tag, regexp, first in implicit_resolvers:
                if version in versions and not tag.endswith(":timestamp"):
                    self.add_version_implicit_resolver(version, tag, regexp, first)
        return self._version_implicit_resolver[version]


def _represent_none(representer: RoundTripRepresenter, _data: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _represent_number(representer: RoundTripRepresenter, data: RawNumber) -> Any:
    tag = "int" if re.fullmatch(r"-?\d+", data) else "float"
    return representer.represent_scalar(f"tag:yaml.org,2002:{tag}", str(data))


def make_yaml(mapping: int = 2, offset: int = 2) -> YAML:
    yaml = YAML(typ="rt")
    yaml.Resolver = _CoreResolver
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never re-wrap long lines
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    yaml.representer.add_representer(type(None), _represent_none)
    yaml.representer.add_representer(RawNumber, _represent_number)
    return yaml


def detect_indent(text: str) -> tuple[int, int]:
    """The file's mapping indent and the offset of '- ' under a key (2 and 2 by default)."""
    mapping: int | None = None
    offset: int | None = None
    lines = text.splitlines()
    # The values list is the one an import edits: its style wins over other lists'.
    keys = sorted(
        (i for i, line in enumerate(lines) if re.match(r"^ *[^\s#-][^:#]*:\s*(?:#.*)?$", line)),
        key=lambda i: not lines[i].startswith("values:"),
    )
    for i in keys:
        line = lines[i]
        indent = len(line) - len(line.lstrip(" "))
        for nxt in lines[i + 1 :]:
            stripped = nxt.strip()
            if not stripped or stripped.startswith("#"):
                continue
            inner = len(nxt) - len(nxt.lstrip(" "))
            if stripped.startswith("- ") or stripped == "-":
                if offset is None and inner >= indent:
                    offset = inner - indent
            elif mapping is None and inner > indent:
                mapping = inner - indent
            break
        if mapping is not None and offset is not None:
            break
    return mapping or 2, 2 if offset is None else offset


def period_scalar(text: str) -> Any:
    """A period as written: quoted only when plain YAML would read it as a number."""
    return text if _resolve(text) == _STR else DoubleQuotedScalarString(text)


def text_scalar(text: str) -> Any:
    return LiteralScalarString(text) if "\n" in text else text


# ---- Edits -----------------------------------------------------------------------------------


@dataclass
class PointEdit:
    """One value of a measure: set fields of an existing item (index) or add a new one."""

    period: Period
    index: int | None = None  # the item in `values`, or None to add an item
    set: dict[str, Any] = field(default_factory=dict)  # field -> RawNumber | str | None
    remove: tuple[str, ...] = ()


@dataclass
class StepEdit:
    """One step of a changing target: set the value of an existing step or add one."""

    period: Period
    index: int | None
    value: RawNumber | None


@dataclass
class TargetEdit:
    """The new target: a number, or steps (edited in place when the target is already a list)."""

    number: RawNumber | None = None
    steps: list[StepEdit] = field(default_factory=list)
    replace: bool = False  # write the steps as a new list (the target was a number or none)


@dataclass
class FileEdit:
    periods: list[Period]  # the periods of the existing values, in the file's order
    target_periods: list[Period] = field(default_factory=list)  # of existing target steps
    points: list[PointEdit] = field(default_factory=list)
    target: TargetEdit | None = None


def edit_measure(text: str, edit: FileEdit) -> str:
    """The new text of one indicator file; raises EditError when that is not safe."""
    bom = text.startswith("\ufeff")
    body = text[1:] if bom else text
    crlf = "\r\n" in body
    if crlf:
        body = body.replace("\r\n", "\n")
    # ruamel's round-trip loader builds only plain data with comments kept: no tags are run.
    round_trip = make_yaml(*detect_indent(body))
    data = round_trip.load(body)
    if not isinstance(data, CommentedMap):
        raise EditError("is not a set of fields")
    periods = list(edit.periods)
    values = data.get("values")
    # Comment lines after an empty `values:` (or `values: []`) belong to the fields after it
    # (`# commentary: |` in the file `perfpages new` writes): they stay below the new items.
    following = _split_trailing(data, "values") if not values and "values" in data else ""
    if not isinstance(values, CommentedSeq):
        values = CommentedSeq()
        data["values"] = values
    values.fa.set_block_style()
    for point in edit.points:
        if point.index is not None:
            _update_item(values[point.index], point)
    for point in sorted((p for p in edit.points if p.index is None), key=lambda p: p.period):
        position = insert_position(periods, point.period)
        item = CommentedMap()
        for key in POINT_KEYS:
            if key == "period":
                item[key] = period_scalar(point.period.text)
            elif key in point.set:
                item[key] = _scalar(key, point.set[key])
        _insert(values, position, item)
        periods.insert(position, point.period)
    if following:
        if values:
            last = values[len(values) - 1]
            trailing = _take_trailing(last, _content_column(last))
            _set_comment_after(last, list(last.keys())[-1], "\n" + trailing + following)
        else:
            _set_comment_after(data, "values", "\n" + following)
    if edit.target is not None:
        _edit_target(data, edit.target, list(edit.target_periods))
    out = io.StringIO()
    round_trip.dump(data, out)
    new = out.getvalue()
    if crlf:
        new = new.replace("\n", "\r\n")
    return ("\ufeff" if bom else "") + new


def insert_position(periods: Sequence[Period], new: Period) -> int:
    """Where a new period goes so that the list stays in time order.

    Lists written newest first stay newest first; any other order is treated as oldest first
    (the new item goes after the last item that is earlier than it).
    """
    descending = len(periods) >= 2 and all(
        a.sort_key > b.sort_key for a, b in itertools.pairwise(periods)
    )
    if descending:
        for i, p in enumerate(periods):
            if p.sort_key < new.sort_key:
                return i
        return len(periods)
    position = 0
    for i, p in enumerate(periods):
        if p.sort_key < new.sort_key:
            position = i + 1
    return position


def _scalar(key: str, value: Any) -> Any:
    if value is None or isinstance(value, RawNumber):
        return value
    if key in ("period", "from"):
        return period_scalar(str(value))
    return text_scalar(str(value))


def _update_item(item: CommentedMap, point: PointEdit) -> None:
    for key in point.remove:
        if key in item:
            _remove_key(item, key)
    for key, value in point.set.items():
        if key in item:
            item[key] = _scalar(key, value)
            continue
        order = POINT_KEYS.index(key)
        position = 0
        for i, existing in enumerate(item.keys()):
            if existing in POINT_KEYS and POINT_KEYS.index(existing) < order:
                position = i + 1
        trailing = _split_trailing(item, list(item.keys())[position - 1]) if position else ""
        item.insert(position, key, _scalar(key, value))
        if trailing:
            # Comment lines after the field before belong to what follows: keep them there.
            _set_comment_after(item, key, "\n" + trailing)


def _split_trailing(node: Any, key: Any, keep_indent: int | None = None) -> str:
    """Remove and return the full comment lines after ``key``'s line; its end-of-line comment
    stays, and so do the first lines indented at least ``keep_indent`` (they are inside the
    item, like a note on its last field)."""
    token = _comment_after(node, key)
    if token is None:
        return ""
    eol, _, rest = token.value.partition("\n")
    lines = rest.splitlines(keepends=True)
    split = 0
    if keep_indent is not None:
        while split < len(lines) and lines[split].strip():
            if len(lines[split]) - len(lines[split].lstrip(" ")) < keep_indent:
                break
            split += 1
    if split == len(lines):
        return ""
    kept = eol + "\n" + "".join(lines[:split])
    _set_comment_after(node, key, kept if kept.strip() else None, token.column)
    return "".join(lines[split:])


def _comment_after(node: Any, key: Any) -> CommentToken | None:
    entry = node.ca.items.get(key)
    if entry and len(entry) > 2 and isinstance(entry[2], CommentToken):
        return entry[2]
    return None


def _set_comment_after(node: Any, key: Any, text: str | None, column: int = 0) -> None:
    entry = node.ca.items.setdefault(key, [None, None, None, None])
    entry[2] = CommentToken(text, CommentMark(column), None) if text else None


def _remove_key(item: CommentedMap, key: str) -> None:
    """Delete a field, keeping its comments on the field before it."""
    keys = list(item.keys())
    token = _comment_after(item, key)
    item.ca.items.pop(key, None)
    del item[key]
    if token is None:
        return
    eol, _, rest = token.value.partition("\n")
    indent = " " * _item_indent(item)
    moved = (f"{indent}{eol.strip()}\n" if eol.strip() else "") + rest
    if not moved:
        return
    previous = keys[keys.index(key) - 1]
    before = _comment_after(item, previous)
    text = (before.value if before else "\n") + moved
    _set_comment_after(item, previous, text, before.column if before else 0)


def _item_indent(item: CommentedMap) -> int:
    column = _content_column(item)
    return 4 if column is None else column


def _take_trailing(node: Any, keep_indent: int | None = None) -> str:
    """Remove and return the comment lines that follow ``node``'s last line."""
    if isinstance(node, CommentedMap) and node:
        key = list(node.keys())[-1]
        child = node[key]
    elif isinstance(node, CommentedSeq) and node:
        key = len(node) - 1
        child = node[key]
    else:
        return ""
    if isinstance(child, (CommentedMap, CommentedSeq)) and child:
        return _take_trailing(child, keep_indent)
    return _split_trailing(node, key, keep_indent)


def _content_column(item: Any) -> int | None:
    """The column of an existing item's fields (None for an item added by this import)."""
    try:
        return int(item.lc.col)
    except (AttributeError, TypeError):
        return None


def _insert(seq: CommentedSeq, position: int, item: CommentedMap) -> None:
    if position > 0:
        before = seq[position - 1]
        trailing = _take_trailing(before, _content_column(before))
        if trailing:
            _set_comment_after(item, list(item.keys())[-1], "\n" + trailing)
    seq.insert(position, item)


def _edit_target(data: CommentedMap, target: TargetEdit, periods: list[Period]) -> None:
    """Set the target as ``target`` says: one number (a new one before values, as a person
    writes it), steps written in full, or steps changed and added in period order in a list
    already in the file (keeping its comments)."""
    if target.number is not None:
        if "target" in data:
            data["target"] = target.number
        else:
            data.insert(_target_position(data), "target", target.number)
        return
    current = data.get("target")
    if target.replace or not isinstance(current, CommentedSeq):
        steps = CommentedSeq()
        for step in sorted(target.steps, key=lambda s: s.period):
            item = CommentedMap()
            item["from"] = period_scalar(step.period.text)
            item["value"] = step.value
            steps.append(item)
        steps.fa.set_block_style()
        if "target" in data:
            data["target"] = steps
        else:
            data.insert(_target_position(data), "target", steps)
        return
    for step in target.steps:
        if step.index is not None:
            current[step.index]["value"] = step.value
    for step in sorted((s for s in target.steps if s.index is None), key=lambda s: s.period):
        position = insert_position(periods, step.period)
        item = CommentedMap()
        item["from"] = period_scalar(step.period.text)
        item["value"] = step.value
        _insert(current, position, item)
        periods.insert(position, step.period)


def _target_position(data: CommentedMap) -> int:
    """A new target goes before values (after frequency or polarity when present)."""
    keys = list(data.keys())
    for anchor in ("frequency", "polarity", "decimals", "unit"):
        if anchor in keys:
            return keys.index(anchor) + 1
    return keys.index("values") if "values" in keys else len(keys)


# ---- The check ---------------------------------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    """Equal as ``generator.site.yaml_reader`` reads them: numbers by value, text by text, order
    of keys kept."""
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return _decimal(a) == _decimal(b)
    return bool(a == b) and type(a is None) is type(b is None)


def _decimal(n: Any) -> Decimal:
    raw = getattr(n, "raw", None)
    if isinstance(raw, str):
        return Decimal(raw.replace("_", ""))
    return n if isinstance(n, Decimal) else Decimal(repr(n))


def check_edit(
    old_text: str,
    new_text: str,
    rel: str,
    expected: Any,
    changeable: Sequence[tuple[int, int]],
    insertable: Sequence[tuple[int, int]],
) -> None:
    """Refuse an edit that reads back differently than intended or touches other lines.

    ``changeable``: old line ranges (1-based, inclusive) that may be rewritten; ``insertable``:
    old line ranges within which new lines may be added.
    """
    problems = Problems()
    doc = parse_yaml(new_text.encode("utf-8"), Path(rel), rel, problems)
    if doc is None or problems.errors:
        detail = problems.errors[0].message if problems.errors else "unreadable"
        raise EditError(f"the edited file would not read back ({detail})")
    if not same(expected, doc.data):
        raise EditError("the edited file would not read back as the intended values")
    old_lines = old_text.splitlines()
    new_lines = new_text.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "insert":
            if not any(start - 1 <= i1 <= end for start, end in insertable):
                raise EditError(f"lines would be added at line {i1 + 1}, outside the values")
            continue
        for line in range(i1 + 1, i2 + 1):
            if not any(start <= line <= end for start, end in changeable):
                raise EditError(
                    f"line {line} would change ({old_lines[line - 1].strip()!r}), although the "
                    "import does not change it"
                )
