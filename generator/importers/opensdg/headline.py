"""Which rows of an Open SDG data file are the indicator's headline series.

Open SDG's conventions: a row whose disaggregation cells are all empty belongs to the headline;
Series and Units select among several headline series (the first of each in the file, unless the
metadata's ``data_start_values`` names others). Year, Value, Series, Units, GeoCode and the
observation attributes (Observation status, Unit multiplier, Unit measure, Comment) are not
disaggregations.

Some indicators have no such rows (every value is broken down). Then the starting selection
Open SDG would show is used: the metadata's ``data_start_values`` when given; otherwise the
rows with the fewest breakdowns, and among those the ones with the most years.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NOT_DISAGGREGATIONS = {
    "year",
    "value",
    "series",
    "units",
    "unit measure",
    "unit multiplier",
    "observation status",
    "geocode",
    "comment",
    "comments",
}


@dataclass
class Headline:
    rows: list[int]  # indexes into the data rows, in file order
    how: str  # "headline" | "start values" | "fewest breakdowns"
    selection: dict[str, str] = field(default_factory=dict)  # breakdowns fixed to reach it
    series: str = ""
    units: str = ""
    other_series: list[str] = field(default_factory=list)
    other_units: list[str] = field(default_factory=list)


def column(columns: list[str], name: str) -> int | None:
    for i, c in enumerate(columns):
        if c.strip().lower() == name:
            return i
    return None


def disaggregations(columns: list[str]) -> list[int]:
    return [i for i, c in enumerate(columns) if c.strip().lower() not in NOT_DISAGGREGATIONS]


def _start_values(meta: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in meta.get("data_start_values") or []:
        if isinstance(item, dict) and "field" in item and "value" in item:
            out[str(item["field"]).strip().lower()] = str(item["value"]).strip()
    return out


def _first(values: list[str]) -> list[str]:
    seen: list[str] = []
    for v in values:
        if v not in seen:
            seen.append(v)
    return seen


def choose_headline(columns: list[str], rows: list[list[str]], meta: dict[str, Any]) -> Headline:
    """The rows of the headline series, and how they were chosen (see the module's docstring).

    Rows with no breakdown when there are some; else the group of rows with one combination of
    breakdowns: the metadata's start values if they match rows, otherwise the fewest breakdowns
    and then the most years. Then one series and one unit among them: the start value's, or the
    first in the file; the others are named so that the description can say what is shown."""
    breakdowns = disaggregations(columns)
    start = _start_values(meta)
    year = column(columns, "year")
    candidates = [i for i, r in enumerate(rows) if not any(r[c] for c in breakdowns)]
    how, selection = "headline", {}
    if not candidates and rows:
        wanted = {
            c: start[columns[c].strip().lower()]
            for c in breakdowns
            if columns[c].strip().lower() in start
        }
        pool = [i for i, r in enumerate(rows) if all(r[c] == v for c, v in wanted.items())]
        how = "start values" if wanted and pool else "fewest breakdowns"
        if not pool:
            pool = list(range(len(rows)))
        groups: dict[tuple[str, ...], list[int]] = {}
        for i in pool:
            groups.setdefault(tuple(rows[i][c] for c in breakdowns), []).append(i)

        def rank(item: tuple[tuple[str, ...], list[int]]) -> tuple[int, int]:
            key, members = item
            years = len({rows[i][year] for i in members}) if year is not None else len(members)
            return (sum(1 for v in key if v), -years)

        key, candidates = min(groups.items(), key=rank)  # min keeps the first of equals
        selection = {columns[c]: v for c, v in zip(breakdowns, key, strict=True) if v}
    headline = Headline(candidates, how, selection)
    for name, attr in (("series", "series"), ("units", "units")):
        index = column(columns, name)
        if index is None:
            continue
        present = _first([rows[i][index] for i in headline.rows])
        chosen = start.get(name)
        if chosen not in present:
            chosen = present[0] if present else ""
        setattr(headline, attr, chosen)
        setattr(headline, f"other_{attr}", [v for v in present if v != chosen and v])
        headline.rows = [i for i in headline.rows if rows[i][index] == chosen]
    return headline
