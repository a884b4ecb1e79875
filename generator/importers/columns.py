"""Which spreadsheet column holds what: lenient header matching, and the mapping file.

Headers are compared after folding case, spaces, underscores, hyphens and anything in brackets
("Indicator_ID", "indicator id" and "Indicator ID (code)" are the same), against a list of the
words performance systems use ("KPI", "Actual", "Quarter", ...). When that is not enough, a small
mapping file names the columns (see ``MappingFile`` and the README).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, field_validator

from generator.importers.tables import Row, Table, column_letter
from generator.site.models import Model, Text
from generator.site.periods import PeriodError, parse_period
from generator.site.problems import Problem, Problems
from generator.site.validate import validate_model
from generator.site.yaml_reader import read_yaml

FIELDS = ("indicator", "period", "value", "note", "missing", "rating", "rating_reason", "target")

SYNONYMS: dict[str, tuple[str, ...]] = {
    # Codes before names: "Ref" wins over "Measure" when a sheet has both.
    "indicator": (
        "indicator id",
        "id",
        "indicator code",
        "indicator ref",
        "indicator reference",
        "measure id",
        "measure code",
        "measure ref",
        "kpi id",
        "kpi code",
        "kpi ref",
        "pi code",
        "pi ref",
        "code",
        "ref",
        "reference",
        "indicator",
        "kpi",
        "pi",
        "measure",
        # Names, as councils' reports head the column (issue 14).
        "performance indicator",
        "indicator name",
        "indicator title",
        "measure name",
        "performance measure",
        "kpi name",
        "pi name",
        "key performance indicator",
    ),
    "period": (
        "period",
        "quarter",
        "month",
        "year",
        "date",
        "reporting period",
        "time period",
        "financial quarter",
        "period ending",
        "quarter ending",
        "month ending",
        "financial year",
        "period covered",
    ),
    "value": (
        "value",
        "actual",
        "actuals",
        "actual value",
        "result",
        "outturn",
        "figure",
        "performance",
        "current value",
        "data",
        "actual outturn",
        "outturn value",
        "latest value",
        "latest outturn",
        "actual performance",
        "current performance",
        "value this period",
    ),
    "note": ("note", "notes", "value note", "comment", "comments", "footnote"),
    "missing": (
        "missing",
        "missing reason",
        "reason missing",
        "why missing",
        "missing value reason",
        "reason for missing value",
    ),
    "rating": (
        "rating",
        "rating override",
        "override rating",
        "rag",
        "rag rating",
        "rag status",
        "rag override",
    ),
    "rating reason": (
        "rating reason",
        "rating override reason",
        "override reason",
        "rag reason",
        "reason for rating",
    ),
    "target": (
        "target",
        "target value",
        "current target",
        "annual target",
        "quarterly target",
        "quarter target",
        "monthly target",
        "target for the period",
    ),
}
# The key for rating_reason is written with a space so that it folds like a header.
_FIELD_OF = {word: name.replace(" ", "_") for name, words in SYNONYMS.items() for word in words}
_RANK = {word: rank for words in SYNONYMS.values() for rank, word in enumerate(words)}


def fold(header: str) -> str:
    """'Indicator_ID (code)' -> 'indicator id'."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", header.lower())
    text = re.sub(r"[^a-z0-9%]+", " ", text)
    return " ".join(text.replace("%", " ").split())


class MappingFile(Model):
    """How ``perfpages import`` reads one performance system's export (import.yml)."""

    columns: dict[str, Text] = Field(
        default_factory=dict,
        description="Field -> the spreadsheet's header for it: indicator, period, value, note, "
        "missing, rating, rating_reason, target.",
        examples=[{"indicator": "KPI code", "value": "Q3 actual"}],
    )
    sheet: Text | None = Field(None, description="The XLSX sheet to read (default: the first).")
    header_row: int | None = Field(
        None, ge=1, description="The row holding the headers (default: found automatically)."
    )
    period: Text | None = Field(
        None, description="The period of every row, when the spreadsheet has no period column."
    )

    @field_validator("columns")
    @classmethod
    def _fields(cls, value: dict[str, str]) -> dict[str, str]:
        from generator.site.models import invalid

        for name in value:
            if name not in FIELDS:
                raise invalid(f'"{name}" is not a field to import; use: {", ".join(FIELDS)}')
        return value


def read_mapping(path: Path, problems: Problems) -> MappingFile | None:
    doc = read_yaml(path, path.name, problems)
    if doc is None:
        return None
    if doc.data is None:
        return MappingFile()
    model = validate_model(MappingFile, doc, problems, {})
    return model if isinstance(model, MappingFile) else None


@dataclass
class Columns:
    """The header row and the index of each field's column."""

    header_row: int
    index: dict[str, int]
    headers: list[str]
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # A sheet with a column per period ("Q1 2019/20", "Q2 2019/20", ...) and no value column:
    # the index of each such column and its header, the period of the values below it.
    periods: dict[int, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        return self.headers[self.index[name]]

    def letter(self, name: str) -> str:
        return column_letter(self.index[name])


def _headers(row: Row) -> list[str]:
    out = []
    for cell in row.cells:
        value = cell.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out.append("" if value is None else str(value).strip())
    return out


def _match(
    headers: list[str], explicit: dict[str, str]
) -> tuple[dict[str, int], list[tuple[str, list[int]]], list[str], list[str]]:
    """Field -> column index; fields claimed by several columns; explicit names not found;
    notes on the choices made.

    When several columns could hold one field ("Ref" and "Measure" for the indicator), the one
    whose header comes first in the list of words wins ("Ref" before "Measure"); a tie is a
    clash the user must settle in the mapping file.
    """
    index: dict[str, int] = {}
    not_found: list[str] = []
    notes: list[str] = []
    for name, header in explicit.items():
        wanted = fold(header)
        hits = [i for i, h in enumerate(headers) if h.strip() == header.strip()] or [
            i for i, h in enumerate(headers) if fold(h) == wanted
        ]
        if hits:
            index[name] = hits[0]
        else:
            not_found.append(name)
    taken = set(index.values())
    found: dict[str, list[tuple[int, int]]] = {}
    for i, header in enumerate(headers):
        if i in taken:
            continue
        folded = fold(header)
        field_name = _FIELD_OF.get(folded)
        if field_name and field_name not in explicit:
            found.setdefault(field_name, []).append((_RANK[folded], i))
    clashes: list[tuple[str, list[int]]] = []
    for field_name, ranked in found.items():
        ranked.sort()
        best = [i for rank, i in ranked if rank == ranked[0][0]]
        if len(best) > 1:
            clashes.append((field_name, best))
            continue
        index[field_name] = best[0]
        others = [f'"{headers[i]}"' for _rank, i in ranked[1:]]
        if others:
            notes.append(
                f'used "{headers[best[0]]}" as the {field_name} column, not {" or ".join(others)}'
            )
    return index, clashes, not_found, notes


_Match = tuple[Row, dict[str, int], list[tuple[str, list[int]]], list[str], list[str]]


def find_columns(table: Table, mapping: MappingFile, problems: list[Problem]) -> Columns | None:
    """The header row and columns; None (with problems added) when they cannot be found."""
    explicit = dict(mapping.columns)
    candidates = (
        [r for r in table.rows if r.number == mapping.header_row]
        if mapping.header_row
        else [r for r in table.rows if not r.blank][:20]
    )
    best: _Match | None = None
    for row in candidates:
        found = (row, *_match(_headers(row), explicit))
        if "indicator" in found[1] and ("value" in found[1] or _period_headers(found)):
            best = found
            break
        if best is None or len(found[1]) > len(best[1]):
            best = found
    if best is None:
        problems.append(
            Problem.in_sheet(table.source, 0, "", "is empty: there are no rows to import")
        )
        return None
    row, index, clashes, not_found, notes = best
    headers = _headers(row)
    ok = True
    for name in not_found:
        problems.append(
            Problem.in_sheet(
                table.source,
                row.number,
                "",
                f'the mapping names the column "{explicit[name]}" for {name}, but row '
                f"{row.number} has no such header (headers: {_list(headers)})",
                code="import.mapping",
            )
        )
        ok = False
    for name, hits in clashes:
        names = " and ".join(f'"{headers[i]}" ({column_letter(i)})' for i in hits)
        problems.append(
            Problem.in_sheet(
                table.source,
                row.number,
                "",
                f"both {names} could be the {name} column; name the right one in the mapping "
                f"file (columns: {{{name}: ...}})",
                code="import.columns",
            )
        )
        ok = False
    periods = {} if "value" in index or "period" in index else _period_headers(best)
    for name in ("indicator", "value"):
        if name == "value" and periods:
            continue
        if name not in index and not any(name == c[0] for c in clashes):
            words = ", ".join(f'"{w}"' for w in SYNONYMS[name][:6])
            problems.append(
                Problem.in_sheet(
                    table.source,
                    row.number,
                    "",
                    f"no column for the {name} was found (headers: {_list(headers)}); name it "
                    f"{words}, or give the header in a mapping file (columns: {{{name}: ...}})",
                    code="import.columns",
                )
            )
            ok = False
    if not ok:
        return None
    used = set(index.values()) | set(periods)
    ignored = [h for i, h in enumerate(headers) if h and i not in used]
    return Columns(row.number, index, headers, ignored, notes, periods)


def _period_headers(found: _Match) -> dict[int, str]:
    """The columns headed by a period ("Q1 2019/20", "Jun-19"), not claimed by another field."""
    row, index = found[0], found[1]
    taken = set(index.values())
    out: dict[int, str] = {}
    for i, header in enumerate(_headers(row)):
        if i in taken or not re.search(r"\d", header):
            continue
        try:
            parse_period(header)
        except PeriodError:
            continue
        out[i] = header
    return out


def _list(headers: list[str]) -> str:
    shown = [f'"{h}"' for h in headers if h]
    return ", ".join(shown) if shown else "none"
