"""Open data files: one CSV and one JSON per indicator, and the whole site as tidy tables.

CSV files are UTF-8 with a byte order mark (so Excel reads accents correctly) and CRLF line
ends (RFC 4180). Text cells that a spreadsheet would run as a formula are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.assess import Assessed
from generator.models import Measure, Project, TargetLabel
from generator.text import plain_text

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
    "missing_reason",
    "note",
]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def number_text(value: float | None) -> str:
    """A number exactly as written in the YAML (85.1, 27, -1.067)."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _unit(measure: Measure) -> str:
    unit = measure.unit
    if unit == "currency":
        unit = measure.currency + (f" {measure.scale}" if measure.scale else "")
    return f"{unit} {measure.unit_label}" if measure.unit_label else unit


def rows(assessed: Assessed) -> list[dict[str, Any]]:
    """One row per period, typed (numbers are numbers, missing cells are None)."""
    model = assessed.model
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
                    "missing_reason": None,
                    "note": plain_text(u.commentary) or None,
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
                "missing_reason": p.missing,
                "note": plain_text(p.note) or None,
            }
        )
    return out


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
    if isinstance(value, float):
        return number_text(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(table: Iterable[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in table:
        writer.writerow([safe_cell(row[c]) for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


DISAGGREGATIONS_DIR = "disaggregations"
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def disaggregations(root: Path, indicator_id: str) -> bytes | None:
    """``disaggregations/<id>.csv`` of the site (breakdowns kept by ``perfpages import``), as
    published: UTF-8 with a byte order mark, CRLF, text that could run as a formula made inert
    (numbers, negative ones included, are left as they are)."""
    path = root / DISAGGREGATIONS_DIR / f"{indicator_id}.csv"
    if not path.is_file():
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw  # published as it is: it is the site's own file
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for record in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([c if _NUMBER.fullmatch(c.strip()) else safe_cell(c) for c in record])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def _json_number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def indicator_json(assessed: Assessed) -> dict[str, Any]:
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
    info["values"] = [
        {
            k: (_json_number(v) if k in ("value", "target") else v)
            for k, v in row.items()
            if k not in ("indicator_id", "indicator_title", "priority_id", "kind")
        }
        for row in rows(assessed)
    ]
    return info


def all_rows(assessed: Iterable[Assessed]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for a in assessed:
        for row in rows(a):
            row["value"] = _json_number(row["value"])
            row["target"] = _json_number(row["target"])
            out.append(row)
    return out


def human_size(size: int) -> str:
    """'2 KB' as people read it (never '0 KB')."""
    if size < 1000 * 1000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB"
