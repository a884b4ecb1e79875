"""Read the user's YAML safely, keeping the line of every key and list item.

PyYAML composes the document into nodes (which never runs code); we then build plain Python
values ourselves so that we can:

- record the line of every field, for messages like ``values[3].period`` at line 14;
- reject duplicate keys at any depth (PyYAML silently keeps the last one, losing data);
- refuse tags other than YAML's plain ones (``!!python/object`` and friends);
- stop alias expansion ("billion laughs") and self-referencing aliases;
- read scalars by YAML 1.2 core rules: ``yes``/``no``/``on``/``off`` stay text, ``2019-09-30``
  stays text (it is a period, not a date object), ``0123`` is not an octal number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.site import yaml_errors
from generator.site.guards import (
    MAX_DEPTH,
    control_character,
    control_message,
    depth_bound,
    text_problem,
)
from generator.site.problems import Problems

MAX_FILE_BYTES = 2_000_000
MAX_VALUES = 200_000  # scalars, lists and mappings built from one file, aliases expanded

FieldPath = tuple[str | int, ...]

# A problem with a whole file (its name, size or emptiness) is shown on its first line, so
# that every message reads path:line: and editors and CI annotations can jump to it.
WHOLE_FILE = 1


class YamlInt(int):
    """An integer that remembers how it was written (``0123`` for a reference code)."""

    raw: str

    def __new__(cls, value: int, raw: str) -> YamlInt:
        obj = super().__new__(cls, value)
        obj.raw = raw
        return obj

    def __getnewargs__(self) -> tuple[int, str]:  # type: ignore[override]
        # pickled (sent from a child process) with how it was written
        return int(self), self.raw


class YamlFloat(float):
    """A float that remembers how it was written (``2.50`` has two decimal places)."""

    raw: str

    def __new__(cls, value: float, raw: str) -> YamlFloat:
        obj = super().__new__(cls, value)
        obj.raw = raw
        return obj

    def __getnewargs__(self) -> tuple[float, str]:  # type: ignore[override]
        return float(self), self.raw


@dataclass
class Document:
    """One user file: its plain data and the line of each field path."""

    path: Path
    rel: str
    data: Any
    lines: dict[FieldPath, int] = field(default_factory=dict)

    def line(self, path: FieldPath) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), 1)


# YAML 1.2 core schema resolvers for plain scalars.
_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_BOOL = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_INT = re.compile(r"[-+]?[0-9][0-9_]*\Z")
_HEX = re.compile(r"0x[0-9a-fA-F_]+\Z")
_FLOAT = re.compile(
    r"(?:[-+]?(?:\.[0-9][0-9_]*|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
)

_STR = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PLAIN = "tag:perfpages,plain"  # a plain scalar with no tag, from _FastLoader
_ALLOWED_TAGS = {_STR, _INT_TAG, _FLOAT_TAG, _BOOL_TAG, _NULL_TAG, _MAP, _SEQ, _PLAIN}


class _Loader(yaml.SafeLoader):
    """Composes nodes only; plain scalars are left to our own resolver below."""

    yaml_implicit_resolvers = {}  # noqa: RUF012 - none: _Builder._scalar resolves plain scalars

    def compose_scalar_node(self, anchor: Any) -> ScalarNode:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        node: ScalarNode = super().compose_scalar_node(anchor)
        # Remember whether the author wrote a tag (``!!str 2019``): node.tag alone cannot tell.
        node.explicit_tag = getattr(event, "tag", None) not in (None, "!")  # type: ignore[attr-defined]
        return node


if yaml.__with_libyaml__:

    class _FastLoader(yaml.CSafeLoader):
        """libyaml's composer: the same nodes as the pure-Python one, much faster.

        Plain scalars written without a tag are tagged ``_PLAIN`` so that ``_Builder`` resolves
        them by the rules below, exactly as it does for ``_Loader``'s nodes. Any syntax error
        is reported by ``_Loader`` instead, so messages do not depend on which parser ran.
        """

        yaml_implicit_resolvers = {}  # noqa: RUF012

        def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
            if kind is ScalarNode and implicit[0]:
                return _PLAIN
            return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]


def _compose(text: str) -> Node | None:
    if yaml.__with_libyaml__:
        try:
            return yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            pass  # composed again below, for the pure-Python parser's message
    return yaml.compose(text, Loader=_Loader)


def _is_plain(node: ScalarNode) -> bool:
    """Written without quotes or a tag (so ``2019`` is a number and ``"2019"`` is text)."""
    if node.tag == _PLAIN:
        return node.style == ""  # libyaml also marks quoted text with a bare "!" tag as plain
    return node.style is None and not getattr(node, "explicit_tag", False)


class _Problem(Exception):
    def __init__(self, line: int, field_path: FieldPath, message: str, code: str) -> None:
        super().__init__(message)
        self.line = line
        self.field_path = field_path
        self.message = message
        self.code = code


def format_path(path: FieldPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def read_yaml(path: Path, rel: str, problems: Problems) -> Document | None:
    """Read one YAML file; on any problem, report it and return None."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        problems.add(rel, 0, "", f"cannot be read: {e.strerror}", code="file.unreadable")
        return None
    return parse_yaml(raw, path, rel, problems)


def parse_yaml(raw: bytes, path: Path, rel: str, problems: Problems) -> Document | None:
    """One YAML file's bytes as a Document: plain data, with the line of every field for messages.
    None, with the problem added, for a file too large, not UTF-8, indented with tabs, not valid
    YAML, or using YAML features perfpages refuses (tags, merge keys, repeated keys, aliases
    that contain themselves or multiply the values)."""
    if len(raw) > MAX_FILE_BYTES:
        problems.add(
            rel,
            WHOLE_FILE,
            "",
            f"is {len(raw):,} bytes, over the limit of {MAX_FILE_BYTES:,} bytes for one file; "
            "check it is the file you meant, or split the data into several indicators",
            code="file.too-large",
        )
        return None
    text = decode_text(raw, rel, problems)
    if text is None:
        return None
    if found := control_character(text):
        problems.add(rel, found[0], "", control_message(found), code="text.control")
        return None
    if depth_bound(text) > MAX_DEPTH and (deep := _too_deep(text)):
        # Checked before composing: libyaml's composer recurses, and crashes on deep input.
        problems.add(
            rel,
            deep,
            "",
            f"nests lists or mappings more than {MAX_DEPTH} levels deep; an indicator file "
            "needs a few levels at most: check the brackets and the indentation",
            code="yaml.too-deep",
        )
        return None
    if "\t" in text:
        # YAML forbids tabs for indentation; PyYAML's own message for that is cryptic.
        for number, line_text in enumerate(text.splitlines(), 1):
            indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
            if "\t" in indent:
                problems.add(
                    rel,
                    number,
                    "",
                    "a tab is used for indentation; YAML needs spaces (replace each tab by spaces)",
                    code="yaml.tab",
                )
                return None
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as e:
        line, message = yaml_errors.explain(e, text)
        problems.add(rel, line, "", message, code="yaml.syntax")
        return None
    except yaml.YAMLError as e:
        problems.add(rel, 0, "", f"is not valid YAML: {e}", code="yaml.syntax")
        return None
    doc = Document(path, rel, None)
    if node is None:
        doc.data = None
        return doc
    builder = _Builder(doc)
    try:
        doc.data = builder.value_of(node, ())
    except _Problem as p:
        problems.add(rel, p.line, format_path(p.field_path), p.message, code=p.code)
        return None
    return doc


def _too_deep(text: str) -> int | None:
    """The line where ``text`` nests deeper than MAX_DEPTH, read as a stream of YAML events
    (which never recurses); None when it does not, or when it is not valid YAML."""
    loader = _FastLoader if yaml.__with_libyaml__ else _Loader
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return mark.line + 1 if mark is not None else WHOLE_FILE
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError as error:
        # libyaml 0.2.6 (in PyYAML 6.0.4's wheels) has a nesting limit of its own (1,000),
        # which its scanner, reading ahead, can reach before the events deeper than
        # MAX_DEPTH come out.
        if "exceeded maximum nesting depth" in str(error):
            mark = getattr(error, "problem_mark", None)
            return mark.line + 1 if mark is not None else WHOLE_FILE
        return None
    return None


def decode_text(raw: bytes, rel: str, problems: Problems) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(
            rel, 1, "", "is saved as UTF-16; save it as UTF-8 instead", code="file.encoding"
        )
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        problems.add(
            rel,
            line,
            "",
            f"is not UTF-8 text (byte 0x{raw[e.start]:02X} at column {column}); "
            "save the file as UTF-8 (in Excel or Notepad: Save As, encoding UTF-8)",
            code="file.encoding",
        )
        return None


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.count = 0
        self.active: set[int] = set()

    def value_of(self, node: Node, path: FieldPath) -> Any:
        """The plain Python value of ``node`` (at ``path`` in the file), recording each list
        item's line in the Document.

        Refuses, as a _Problem, what YAML allows but a data file should not hold: tags other than
        the plain ones, aliases that contain themselves or expand past MAX_VALUES values."""
        self.count += 1
        line = node.start_mark.line + 1
        if self.count > MAX_VALUES:
            raise _Problem(
                line,
                (),
                f"expands to more than {MAX_VALUES:,} values, which usually means YAML "
                "aliases (*name) repeat each other exponentially (a 'billion laughs' "
                "file); write the data out without aliases",
                "yaml.alias-bomb",
            )
        tag = node.tag
        if tag not in _ALLOWED_TAGS and not (isinstance(node, ScalarNode) and tag is None):
            raise _Problem(
                line,
                path,
                f"the YAML tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed; "
                "remove it and write a plain value",
                "yaml.tag",
            )
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if id(node) in self.active:
            raise _Problem(
                line,
                path,
                "a YAML alias (*name) is used inside the list or mapping it names, which never "
                "ends; write the data out in full",
                "yaml.recursive",
            )
        if len(path) >= MAX_DEPTH:
            raise _Problem(
                line,
                path,
                f"nests lists or mappings more than {MAX_DEPTH} levels deep; check the indentation",
                "yaml.too-deep",
            )
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                out_list = []
                for index, item in enumerate(node.value):
                    self.doc.lines.setdefault((*path, index), item.start_mark.line + 1)
                    out_list.append(self.value_of(item, (*path, index)))
                return out_list
            assert isinstance(node, MappingNode)
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: MappingNode, path: FieldPath) -> dict[str, Any]:
        """A mapping as a dict, recording each field's line; refuses keys that are not text, merge
        keys (<<) and a key given twice, which YAML would quietly resolve to the last value."""
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise _Problem(
                    key_line,
                    path,
                    "a field name must be plain text, not a list or mapping",
                    "yaml.key",
                )
            if key_node.tag == "tag:yaml.org,2002:merge" or (
                key_node.value == "<<" and key_node.style in (None, "")
            ):
                raise _Problem(
                    key_line,
                    path,
                    "YAML merge keys (<<) are not supported; write the fields out in full",
                    "yaml.merge",
                )
            key = str(key_node.value)
            _check_text(key, key_line, path)
            if key in first_line:
                raise _Problem(
                    key_line,
                    (*path, key),
                    f'"{key}" is given twice (first at line {first_line[key]}); YAML would '
                    "silently keep only the last one, so delete or rename one of them",
                    "yaml.duplicate-key",
                )
            first_line[key] = key_line
            self.doc.lines.setdefault((*path, key), key_line)
            out[key] = self.value_of(value_node, (*path, key))
        if not path:
            self.doc.lines.setdefault((), node.start_mark.line + 1)
        return out

    def _scalar(self, node: ScalarNode, path: FieldPath) -> Any:
        value = node.value
        resolved = _resolve(value) if _is_plain(node) else _STR if node.tag == _PLAIN else node.tag
        if resolved != _STR:
            try:
                if resolved == _NULL_TAG:
                    return None
                if resolved == _BOOL_TAG:
                    return value.lower() == "true"
                if resolved == _INT_TAG:
                    clean = value.replace("_", "")
                    number = int(clean, 16) if _HEX.match(clean) else int(clean)
                    return YamlInt(number, value)
                if resolved == _FLOAT_TAG:
                    return YamlFloat(_float(value), value)
            except ValueError:
                raise _Problem(
                    node.start_mark.line + 1,
                    path,
                    f'"{value}" is not a valid {resolved.rsplit(":", 1)[-1]}',
                    "yaml.scalar",
                ) from None
        block = 1 if node.style in ("|", ">") else 0  # the text starts on the next line
        _check_text(value, node.start_mark.line + 1 + block, path)
        return value


def _check_text(value: str, line: int, path: FieldPath) -> None:
    """Refuse, as a _Problem, text that cannot be published (see ``guards.text_problem``)."""
    found = text_problem(value)
    if found is not None:
        offset, message, code = found
        # The column is the text's own (an escape such as \e in quotes writes one), not the line's.
        raise _Problem(line + offset - 1, path, message.replace(" column ", " character "), code)


def _resolve(value: str) -> str:
    if _NULL.match(value):
        return _NULL_TAG
    if _BOOL.match(value):
        return _BOOL_TAG
    if _INT.match(value) or _HEX.match(value):
        return _INT_TAG
    if _FLOAT.match(value):
        return _FLOAT_TAG
    return _STR


def _float(value: str) -> float:
    lower = value.lower().replace("_", "")
    if lower in (".inf", "+.inf"):
        return math.inf
    if lower == "-.inf":
        return -math.inf
    if lower == ".nan":
        return math.nan
    return float(lower)
