"""Read an Open SDG data repository: ``data/indicator_<id>.csv`` and ``meta/<id>.md`` (YAML
front matter, then Markdown) or ``meta/<id>.yml``, and optional English translations.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.site.inputs import input_file, input_files
from generator.site.problems import Problems
from generator.site.yaml_reader import parse_yaml

DATA_DIR = "data"
META_DIR = "meta"
_DATA_NAME = re.compile(r"indicator_(.+)\.csv")
_ID = re.compile(r"[0-9]+(?:-[0-9a-z]+)+")


@dataclass
class SourceIndicator:
    id: str  # as in Open SDG: 1-2-1, 3-b-1
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""  # the Markdown after the front matter
    meta_file: str | None = None  # relative to the repository
    data_file: str | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why parts could not be read

    @property
    def goal(self) -> str:
        return self.id.split("-")[0]

    @property
    def target(self) -> str:
        return ".".join(self.id.split("-")[:2])

    @property
    def number(self) -> str:
        return self.id.replace("-", ".")


@dataclass
class Repository:
    root: Path
    indicators: list[SourceIndicator]
    translations: dict[str, dict[str, str]]  # global_goals -> {"1-title": "No poverty"}
    skipped: list[tuple[str, str]]  # (file, reason) for files that are not indicators
    licence: str
    # Files that must not be read (a link out of the repository, a named pipe...): nothing is
    # converted while there are any.
    problems: Problems = field(default_factory=Problems)


def sort_key(indicator_id: str) -> tuple[tuple[int, str], ...]:
    """1-2-1 < 1-10-1 < 1-a-1: numbers by value, letters after numbers."""
    return tuple((int(p), "") if p.isdigit() else (10**6, p) for p in indicator_id.split("-"))


def _listed(root: Path, folder: str, problems: Problems, suffixes: tuple[str, ...]) -> list[Path]:
    """The files directly in ``root/folder`` that may be read (``generator.site.inputs``)."""
    found = input_files(root, folder, problems, suffixes=suffixes)
    return sorted(p for p in found if p.parent == root / folder)


def read_repository(root: Path) -> Repository:
    """Every indicator of the repository: its data, metadata and the English translations;
    files the input rule refuses are in ``Repository.problems``, and not read."""
    found: dict[str, SourceIndicator] = {}
    skipped: list[tuple[str, str]] = []
    problems = Problems()
    for path in _listed(root, DATA_DIR, problems, (".csv",)):
        m = _DATA_NAME.fullmatch(path.name)
        if not m:
            continue  # other data (headline.csv, ...) of the repository
        ident = m[1].lower()
        if not _ID.fullmatch(ident):
            skipped.append((f"{DATA_DIR}/{path.name}", "the file name is not an indicator id"))
            continue
        indicator = found.setdefault(ident, SourceIndicator(ident))
        indicator.data_file = f"{DATA_DIR}/{path.name}"
        _read_data(path, indicator)
    for path in _listed(root, META_DIR, problems, (".md", ".yml", ".yaml")):
        ident = path.stem.lower()
        if not _ID.fullmatch(ident):
            skipped.append((f"{META_DIR}/{path.name}", "the file name is not an indicator id"))
            continue
        indicator = found.setdefault(ident, SourceIndicator(ident))
        if indicator.meta_file:
            continue  # both .md and .yml: the first one read wins
        indicator.meta_file = f"{META_DIR}/{path.name}"
        _read_meta(path, indicator)
    indicators = sorted(found.values(), key=lambda i: sort_key(i.id))
    translations = _translations(root, problems)
    licence = _licence(root, problems)
    return Repository(root, indicators, translations, skipped, licence, problems)


def _decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n")


def _read_data(path: Path, indicator: SourceIndicator) -> None:
    text = _decode(path.read_bytes()).lstrip("\r\n")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        indicator.problems.append(f"{indicator.data_file} is not a readable CSV file ({e})")
        return
    if not records:
        return
    indicator.columns = [c.strip() for c in records[0]]
    width = len(indicator.columns)
    for record in records[1:]:
        if not any(cell.strip() for cell in record):
            continue
        indicator.rows.append([c.strip() for c in (record + [""] * width)[:width]])


def _read_meta(path: Path, indicator: SourceIndicator) -> None:
    text = _decode(path.read_bytes())
    front, body = text, ""
    if path.suffix == ".md":
        stripped = text.lstrip()
        if not stripped.startswith("---"):
            indicator.body = text.strip()
            return
        parts = re.split(r"^---[ \t]*$", stripped, maxsplit=2, flags=re.M)
        if len(parts) < 3:
            indicator.problems.append(f"{indicator.meta_file}: the front matter is not closed")
            return
        front, body = parts[1], parts[2]
    problems = Problems()
    doc = parse_yaml(front.encode("utf-8"), path, indicator.meta_file or path.name, problems)
    if doc is None or problems.errors:
        first = problems.errors[0] if problems.errors else None
        why = first.message if first else "unreadable"
        indicator.problems.append(f"{indicator.meta_file}: the metadata cannot be read ({why})")
        return
    indicator.meta = doc.data if isinstance(doc.data, dict) else {}
    indicator.body = body.strip()


def _translations(root: Path, problems: Problems) -> dict[str, dict[str, str]]:
    """``translations/en/global_goals.yml`` and friends, when the repository ships them."""
    out: dict[str, dict[str, str]] = {}
    for path in _listed(root, "translations/en", problems, (".yml",)):
        doc = parse_yaml(path.read_bytes(), path, path.name, Problems())
        if doc is not None and isinstance(doc.data, dict):
            out[path.stem] = {str(k): str(v) for k, v in doc.data.items() if isinstance(v, str)}
    return out


def _licence(root: Path, problems: Problems) -> str:
    for name in ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "LICENCE.md"):
        path = input_file(root, name, problems)
        if path is not None:
            text = _decode(path.read_bytes()).lower()
            if "open government licen" in text and ("v3.0" in text or "version 3" in text):
                return "Open Government Licence v3.0"
            if "cc-by-4.0" in text or "creative commons attribution 4.0" in text:
                return "Creative Commons Attribution 4.0"
    return ""


def translate(repo: Repository, key: Any) -> str | None:
    """``global_indicators.1-2-1-title`` from the translations, when they are present."""
    if not isinstance(key, str) or "." not in key or " " in key:
        return None
    group, _, name = key.partition(".")
    return repo.translations.get(group, {}).get(name)
