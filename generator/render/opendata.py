"""Open data files: one CSV and one JSON per indicator, the whole site as tidy tables, and a
Frictionless Data Package (``data/datapackage.json``) that describes them all.

CSV files are UTF-8 with a byte order mark (so Excel reads accents correctly; LibreOffice,
Numbers, Google Sheets and pandas all skip it) and CRLF line ends (RFC 4180). Text cells that a
spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, tab or carriage return)
are prefixed with ``'``; the JSON files keep the text exactly as written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, get_args

from generator.assess.assessment import COMPARISONS, Assessed, Direction, Rating
from generator.render.text import plain_text
from generator.site.i18n import current_language, t
from generator.site.languages import language_name, unmark
from generator.site.layout import BREAKDOWNS_SUFFIX, DISAGGREGATIONS_DIR
from generator.site.models import (
    NO_COMPARISON,
    Measure,
    MissingReason,
    Project,
    SiteConfig,
    TargetLabel,
)

COLUMNS = [
    "indicator_id",
    "indicator_title",
    "priority_id",
    "kind",
    "period",
    "period_label",
    "start_date",
    "end_date",
    "value",
    "unit",
    "target",
    "rating",
    "direction",
    "direction_previous",
    "direction_year_ago",
    "direction_trend",
    "missing_reason",
    "note",
    "series_break",
]


def columns_for(others: Sequence[str] = ()) -> list[str]:
    """The tables' columns on a site whose languages other than the default are ``others``:
    ``COLUMNS``, then the indicator's title and each row's note in each of those languages
    (``indicator_title_cy``, ``note_cy``; empty where a text has no translation)."""
    extra = [f"indicator_title_{code}" for code in others] + [f"note_{code}" for code in others]
    return [*COLUMNS, *extra]


def in_language(text: Any, code: str) -> str | None:
    """A text's translation into ``code`` (site: languages); None where it has none."""
    return getattr(text, "texts", {}).get(code)


# The direction against each comparison an indicator shows, as the values give it (the
# headline's, in ``direction``, may be as published): a column each, always present.
TRAVEL_COLUMNS = {rule: f"direction_{rule}" for rule in COMPARISONS}

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def number_text(value: float | None) -> str:
    """A number exactly as written in the YAML (85.1, 27, -1.067), never in exponent form
    (0.00001, not 1e-05), which some spreadsheets read as text."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return format(Decimal(repr(float(value))), "f")


def _unit(measure: Measure) -> str:
    unit = measure.unit
    if unit == "currency":
        unit = measure.currency + (f" {measure.scale}" if measure.scale else "")
    return f"{unit} {measure.unit_label}" if measure.unit_label else unit


def rows(assessed: Assessed, others: Sequence[str] = ()) -> list[dict[str, Any]]:
    """One row per period, typed (numbers are numbers, missing cells are None); with the
    title and note in each of the site's ``others`` languages (``columns_for``)."""
    model = assessed.model
    if others:
        return [
            {**row, **_translated(model.title, note, others)}
            for row, note in zip(rows(assessed), _notes(assessed), strict=True)
        ]
    base = {
        "indicator_id": assessed.id,
        "indicator_title": model.title,
        "priority_id": model.priority,
        "kind": "project" if isinstance(model, Project) else "measure",
    }
    out: list[dict[str, Any]] = []
    if isinstance(model, Project):
        for u in assessed.updates:
            out.append(
                {
                    **base,
                    **_period(u.period),
                    "value": None,
                    "unit": None,
                    "target": None,
                    "rating": u.rating.value,
                    "direction": u.direction.value,
                    **dict.fromkeys(TRAVEL_COLUMNS.values()),
                    "missing_reason": None,
                    "note": plain_text(u.commentary) or None,
                    "series_break": None,
                }
            )
        return out
    assert isinstance(model, Measure)
    for p in assessed.points:
        out.append(
            {
                **base,
                **_period(p.period),
                "value": p.value,
                "unit": _unit(model),
                "target": p.target,
                "rating": p.rating.value,
                "direction": p.direction.value if p.direction else None,
                **{
                    column: travel.direction.value
                    if (travel := p.travel(rule)) and travel.direction
                    else None
                    for rule, column in TRAVEL_COLUMNS.items()
                },
                "missing_reason": p.missing,
                "note": plain_text(p.note) or None,
                "series_break": p.series_break,
            }
        )
    return out


def _notes(assessed: Assessed) -> list[str | None]:
    """Each row's note as written (in every language it is given in), in ``rows()``' order."""
    if isinstance(assessed.model, Project):
        return [u.commentary for u in assessed.updates]
    return [p.note for p in assessed.points]


def _translated(title: str, note: str | None, others: Sequence[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for code in others:
        found[f"indicator_title_{code}"] = in_language(title, code)
    for code in others:
        found[f"note_{code}"] = plain_text(in_language(note, code)) or None
    return found


def _period(period: Any) -> dict[str, str]:
    return {
        "period": period.text,
        "period_label": period.label,
        "start_date": period.start.isoformat(),
        "end_date": period.end.isoformat(),
    }


def safe_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_text(value)  # a negative number is a number, not a formula
    text = unmark(str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(table: Iterable[dict[str, Any]], columns: Sequence[str] = COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in table:
        writer.writerow([safe_cell(row[c]) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def disaggregations(root: Path, indicator_id: str) -> bytes | None:
    """``disaggregations/<id>.csv`` of the site (breakdowns kept by ``perfpages import``), as
    published: UTF-8 with a byte order mark, CRLF, text that could run as a formula made inert
    (numbers, negative ones included, are left as they are). Whatever its encoding: a file
    that is not UTF-8 is reported at load, and never published as it is."""
    path = root / DISAGGREGATIONS_DIR / f"{indicator_id}.csv"
    if not path.is_file():
        return None
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for record in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([_breakdown_cell(c) for c in record])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _compact(data: Any) -> str:
    # unmark: a text shown in another language than the default is data like any other
    return unmark(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _lines(items: Iterable[str], opening: str, closing: str) -> str:
    text = ",\n".join(items)
    return f"{opening}\n{text}\n{closing}" if text else opening + closing


def _breakdown_cell(cell: str) -> str:
    """``safe_cell`` for a breakdowns cell, which is always text: a number is left as it is;
    the number pattern is tried only on a cell the guard would change (a file of half a
    million rows is then written in a second or two)."""
    if cell.startswith(FORMULA_START) and not _NUMBER.fullmatch(cell.strip()):
        return "'" + cell
    return cell


def to_json(data: Any) -> bytes:
    """JSON that is light to publish and still easy to read and diff: an object or list one
    member per line, a member that is a list one item per line, everything deeper compact
    (``json.dumps`` without indentation, which is also many times faster)."""

    def block(value: Any) -> str:
        if isinstance(value, list):
            return _lines(map(_compact, value), "[", "]")
        return _compact(value)

    if isinstance(data, dict):
        text = _lines((f"{_compact(k)}:{block(v)}" for k, v in data.items()), "{", "}")
    else:
        text = block(data)
    return (text + "\n").encode("utf-8")


def _json_row(row: dict[str, Any], columns: Sequence[str] = COLUMNS) -> str:
    """One row of a JSON table: its values in the order of ``columns``."""
    return _compact([row[c] for c in columns])


def table_json(table: Iterable[dict[str, Any]], columns: Sequence[str] = COLUMNS) -> bytes:
    """A table as JSON the way Frictionless reads a JSON table: a list whose first item is the
    list of column names (``COLUMNS``) and each other item one row's values in that order
    (numbers as numbers, empty cells null), one row a line; the same rows as the CSV."""
    rows = [_compact(columns), *(_json_row(row, columns) for row in table)]
    return (_lines(rows, "[", "]") + "\n").encode("utf-8")


def _json_number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def indicator_json(
    assessed: Assessed, table: list[dict[str, Any]] | None = None, others: Sequence[str] = ()
) -> dict[str, Any]:
    """The indicator and its values; ``table`` is its ``rows()`` when already made. On a site
    of several languages, its texts in each of the ``others`` too (``title_cy`` ...)."""
    model = assessed.model
    info: dict[str, Any] = {
        "id": assessed.id,
        "title": model.title,
        "ref": model.ref,
        "kind": "project" if isinstance(model, Project) else "measure",
        "priority_id": model.priority,
        "service": model.service,
        "tags": list(model.tags),
        "description": plain_text(model.description) or None,
        "source": model.source,
        "owner": model.owner,
    }
    if isinstance(model, Measure):
        info.update(
            {
                "unit": _unit(model),
                "decimals": model.decimals,
                "polarity": model.polarity,
                "frequency": model.frequency,
                "status": model.status,
                "compare_with": assessed.comparisons[0] if assessed.comparisons else NO_COMPARISON,
                "also_compare_with": list(assessed.comparisons[1:]),
                "trend_periods": assessed.trend_periods
                if "trend" in assessed.comparisons
                else None,
                "target_label": model.target.label
                if isinstance(model.target, TargetLabel)
                else None,
                "benchmarks": [
                    {
                        "label": b.label,
                        "value": _json_number(b.value),
                        "period": b.period.text if b.period else None,
                        "source": b.source,
                    }
                    for b in model.benchmarks
                ],
            }
        )
    else:
        info["status"] = model.status
    for code in others:
        info[f"title_{code}"] = in_language(model.title, code)
        info[f"description_{code}"] = plain_text(in_language(model.description, code)) or None
        info[f"source_{code}"] = in_language(model.source, code)
        info[f"owner_{code}"] = in_language(model.owner, code)
    info["values"] = [
        {
            k: (_json_number(v) if k in ("value", "target") else v)
            for k, v in row.items()
            if k not in ("indicator_id", "indicator_title", "priority_id", "kind")
        }
        for row in (rows(assessed, others) if table is None else table)
    ]
    return info


def all_rows(assessed: Iterable[Assessed]) -> list[dict[str, Any]]:
    return [_numbers(row) for a in assessed for row in rows(a)]


def human_size(size: int) -> str:
    """'2 KB' as people read it: 1,000-byte kilobytes, rounded half up, never '0 KB'."""
    kilobytes = int((Decimal(size) / 1000).quantize(Decimal(1), ROUND_HALF_UP))
    if kilobytes < 1000:
        return f"{max(1, kilobytes)} KB"
    return f"{(Decimal(size) / 1_000_000).quantize(Decimal('0.1'), ROUND_HALF_UP)} MB"


# ---- The Data Package ------------------------------------------------------------------------

PACKAGE_FILE = "data/datapackage.json"
# The Table Schema every tabular file shares, written once and referenced by path (it is four
# fifths of the package otherwise). Ids have no dots, so no indicator's file can take the name.
SCHEMA_FILE = "data/indicators.schema.json"
ALL_CSV = "data/indicators.csv"
ALL_JSON = "data/indicators.json"

# Frictionless Table Schema types of the columns; every other column is a string.
FIELD_TYPES = {"start_date": "date", "end_date": "date", "value": "number", "target": "number"}
ENUMS: dict[str, list[str]] = {
    "kind": ["measure", "project"],
    "rating": [r.value for r in Rating],
    "direction": [d.value for d in Direction],
    **{column: [d.value for d in Direction] for column in TRAVEL_COLUMNS.values()},
    "missing_reason": list(get_args(MissingReason)),
}
REQUIRED = {
    "indicator_id",
    "indicator_title",
    "priority_id",
    "kind",
    "period",
    "period_label",
    "start_date",
    "end_date",
    "rating",
}
# Licences the Open Definition lists, by the name a licence is usually written with.
LICENCE_IDS = {
    "open government licence v3.0": "OGL-UK-3.0",
    "open government licence v3": "OGL-UK-3.0",
    "open government licence": "OGL-UK-3.0",
    "creative commons attribution 4.0": "CC-BY-4.0",
    "cc by 4.0": "CC-BY-4.0",
    "cc-by-4.0": "CC-BY-4.0",
    "cc0": "CC0-1.0",
    "cc0 1.0": "CC0-1.0",
    "open data commons public domain dedication and licence": "PDDL-1.0",
    "open data commons attribution licence": "ODC-BY-1.0",
}


@dataclass(frozen=True)
class FileFacts:
    """What the Data Package and the pages say of a data file: its size and SHA-256."""

    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes) -> FileFacts:
        return cls(len(data), hashlib.sha256(data).hexdigest())


@dataclass
class DataFiles:
    """Every open data file (paths inside the docs folder), and the facts of each: also of
    those already written elsewhere (``add_written``), whose bytes are not kept."""

    files: list[tuple[str, bytes]] = field(default_factory=list)
    facts: dict[str, FileFacts] = field(default_factory=dict)

    def add(self, path: str, data: bytes) -> None:
        self.files.append((path, data))
        self.facts[path] = FileFacts.of(data)

    def add_written(self, path: str, facts: FileFacts) -> None:
        self.facts[path] = facts

    @property
    def sizes(self) -> dict[str, int]:
        return {path: facts.size for path, facts in self.facts.items()}


def breakdowns_path(indicator_id: str) -> str:
    return f"data/{indicator_id}{BREAKDOWNS_SUFFIX}.csv"


SITE_DATA_FILES = (ALL_CSV, ALL_JSON, SCHEMA_FILE, PACKAGE_FILE)

# One indicator's rows of the site-wide tables: CSV lines, and JSON items of the list.
TableParts = tuple[str, list[bytes]]


def indicator_paths(indicator_id: str) -> tuple[str, str, str]:
    """The data files one indicator may have: CSV, JSON, breakdowns."""
    return f"data/{indicator_id}.csv", f"data/{indicator_id}.json", breakdowns_path(indicator_id)


def data_files(assessed: Sequence[Assessed], config: SiteConfig, root: Path) -> DataFiles:
    """Each indicator's CSV and JSON (and breakdowns, when the site keeps them), the whole
    site's, and the Data Package describing them all."""
    out = DataFiles()
    parts: list[TableParts] = []
    others = config.site.all_languages[1:]
    for a in assessed:
        files, indicator_parts = indicator_files(a, disaggregations(root, a.id), others)
        for path, data in files:
            out.add(path, data)
        parts.append(indicator_parts)
    add_site_data_files(config, assessed, out, parts)
    return out


def indicator_files(
    assessed: Assessed, breakdowns: bytes | None, others: Sequence[str] = ()
) -> tuple[list[tuple[str, bytes]], TableParts]:
    """One indicator's data files, and its rows of the site-wide tables (one ``rows()``); with
    its texts in each of the site's ``others`` languages."""
    csv_path, json_path, breakdowns_file = indicator_paths(assessed.id)
    table = rows(assessed, others)
    columns = columns_for(others)
    files = [
        (csv_path, to_csv(table, columns)),
        (json_path, to_json(indicator_json(assessed, table, others))),
    ]
    if breakdowns is not None:
        files.append((breakdowns_file, breakdowns))
    return files, table_parts(table, columns)


def add_site_data_files(
    config: SiteConfig, assessed: Sequence[Assessed], files: DataFiles, parts: Iterable[TableParts]
) -> None:
    """Add to ``files`` the site-wide tables, their schema and the Data Package of them all."""
    columns = columns_for(config.site.all_languages[1:])
    csv_bytes, json_bytes = all_tables(parts, columns)
    files.add(ALL_CSV, csv_bytes)
    files.add(ALL_JSON, json_bytes)
    files.add(SCHEMA_FILE, to_json(table_schema(columns)))
    files.add(PACKAGE_FILE, to_json(datapackage(config, assessed, files.facts)))


def table_parts(table: Iterable[dict[str, Any]], columns: Sequence[str] = COLUMNS) -> TableParts:
    """Rows of one indicator (``rows()``) as lines of the site-wide CSV and items of its JSON."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    items: list[bytes] = []
    for raw in table:
        row = _numbers(raw)
        writer.writerow([safe_cell(row[c]) for c in columns])
        items.append(_json_row(row, columns).encode("utf-8"))
    return text.getvalue(), items


def all_tables(
    parts: Iterable[TableParts], columns: Sequence[str] = COLUMNS
) -> tuple[bytes, bytes]:
    """``to_csv(all_rows(...))`` and ``table_json(all_rows(...))``, byte for byte, from each
    indicator's ``table_parts``, so that the rows of every indicator are never held at once (on a
    large site they are a lot of memory)."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(columns)
    texts = ["\ufeff", header.getvalue()]
    items: list[bytes] = []
    for text, rows_json in parts:
        texts.append(text)
        items += rows_json
    csv_bytes = "".join(texts).encode("utf-8")
    del texts
    json_bytes = b"[\n" + b",\n".join([_compact(columns).encode("utf-8"), *items]) + b"\n]\n"
    return csv_bytes, json_bytes


def _numbers(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "value": _json_number(row["value"]), "target": _json_number(row["target"])}


def table_schema(columns: Sequence[str] = COLUMNS) -> dict[str, Any]:
    """The Frictionless Table Schema shared by every tabular file."""
    fields: list[dict[str, Any]] = []
    for name in columns:
        base, _, code = name.rpartition("_")
        translated = name not in COLUMNS and base in COLUMNS
        spec: dict[str, Any] = {
            "name": name,
            "type": FIELD_TYPES.get(name, "string"),
            "description": t(
                "opendata.field.translated",
                description=t(f"opendata.field.{base}"),
                language=language_name(code, current_language()),
            )
            if translated
            else t(f"opendata.field.{name}"),
        }
        constraints: dict[str, Any] = {}
        if name in REQUIRED:
            constraints["required"] = True
        if name in ENUMS:
            constraints["enum"] = ENUMS[name]
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    return {"fields": fields, "primaryKey": ["indicator_id", "period"], "missingValues": [""]}


CSV_DIALECT = {
    "delimiter": ",",
    "lineTerminator": "\r\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
}


def _resource(name: str, path: str, facts: FileFacts, title: str, tabular: bool) -> dict[str, Any]:
    is_csv = path.endswith(".csv")
    resource: dict[str, Any] = {
        "name": name,
        "path": path.removeprefix("data/"),
        "profile": "tabular-data-resource" if tabular else "data-resource",
        "title": title,
        "format": "csv" if is_csv else "json",
        "mediatype": "text/csv" if is_csv else "application/json",
        "encoding": "utf-8",
    }
    if is_csv or not tabular:
        # frictionless-py streams JSON tables without counting bytes, and would report a
        # mismatch; the sizes of the JSON tables are on the website instead.
        resource["bytes"] = facts.size
        resource["hash"] = "sha256:" + facts.sha256
    if is_csv:
        resource["dialect"] = CSV_DIALECT
    if tabular:
        resource["schema"] = SCHEMA_FILE.removeprefix("data/")
    return resource


def licence(config: SiteConfig) -> dict[str, str]:
    """The licence as a Data Package licence: an Open Definition id when it is a known one."""
    data = config.data
    entry = {"path": data.licence_url, "title": data.licence}
    known = LICENCE_IDS.get(" ".join(data.licence.lower().removeprefix("the ").split()))
    return {"name": known, **entry} if known else entry


def attribution(config: SiteConfig) -> str:
    return config.data.attribution or t("opendata.attribution", licence=config.data.licence)


def package_name(title: str) -> str:
    """A Data Package name (lower-case letters, digits, '-', '.', '_') from the site title."""
    return re.sub(r"[^a-z0-9._]+", "-", title.lower()).strip("-") or "performance"


def datapackage(
    config: SiteConfig, assessed: Sequence[Assessed], files: Mapping[str, FileFacts]
) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of the data folder (paths relative to it)."""
    info = config.site
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": package_name(info.title),
        "title": info.title,
        "description": t("opendata.package_description", organisation=info.organisation),
        "licenses": [licence(config)],
        "attribution": attribution(config),
        "contributors": [{"title": info.organisation, "role": "publisher"}],
    }
    if info.url:
        package["homepage"] = info.url
    contact = info.contact
    if contact and contact.email:
        package["contributors"][0]["email"] = contact.email
    resources = [
        _resource("indicators-csv", ALL_CSV, files[ALL_CSV], t("opendata.all_title"), True),
        _resource("indicators-json", ALL_JSON, files[ALL_JSON], t("opendata.all_title"), True),
    ]
    for a in assessed:
        title = a.model.title
        for ext in ("csv", "json"):
            path = f"data/{a.id}.{ext}"
            # One indicator's JSON nests its values under its description: not a table.
            resources.append(
                _resource(f"indicator-{a.id}-{ext}", path, files[path], title, ext == "csv")
            )
        path = breakdowns_path(a.id)
        if path in files:
            # Columns chosen by the site (perfpages import): described, not typed.
            resources.append(
                _resource(
                    f"indicator-{a.id}-disaggregations",
                    path,
                    files[path],
                    t("opendata.breakdowns_title", title=title),
                    False,
                )
            )
    package["resources"] = resources
    return package
