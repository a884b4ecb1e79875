"""One Open SDG indicator as a perfpages indicator file, plus its breakdowns as a data file.

The headline series (see ``headline``) becomes ``values``; every row of the source data, with
the period each Year was read as, is kept in ``disaggregations/<id>.csv`` whenever the source
holds more than the headline (other series or units, breakdowns, rows that could not be read).
Open SDG metadata does not say whether higher or lower is better, so every indicator is
``polarity: neutral`` (data only, not rated) unless its metadata has a ``polarity`` field.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.importers.opensdg.headline import Headline, choose_headline, column
from generator.importers.opensdg.html_text import to_markdown, to_plain
from generator.importers.opensdg.repo import Repository, SourceIndicator, translate
from generator.importers.opensdg.units import unit_fields
from generator.importers.opensdg.years import hyphen_reading, map_year
from generator.importers.yaml_edit import RawNumber, make_yaml, period_scalar, text_scalar
from generator.site.periods import Period

DISAGGREGATIONS_DIR = "disaggregations"

# Why an indicator has no values (counted in the conversion notes).
NO_DATA_FILE = "no data file in the repository"
NO_DATA_YET = "the data file says there is no data yet"
NON_STATISTICAL = "a non-statistical indicator (no data)"
NO_COLUMNS = "the data file has no Year or Value column"
NO_VALUES = "no row of the headline series could be converted"

# Why a headline row is not a value (counted in the conversion notes).
NOT_A_NUMBER = "the value is not a number"
DUPLICATE = "the headline has different values for the same period (kept in the data file)"


@dataclass
class Outcome:
    """What became of one indicator, for the conversion notes."""

    id: str
    values: int = 0
    no_values_reason: str | None = None
    spans: int = 0  # values of multi-year (or multi-day) periods, shown at their end
    merged: int = 0  # headline rows repeating a value already taken
    not_mapped: Counter[str] = field(default_factory=Counter)  # reason -> headline rows
    extra_rows: int = 0  # rows kept in the disaggregation file only
    notes: list[str] = field(default_factory=list)


@dataclass
class Converted:
    id: str
    goal: str
    path: str  # the indicator file, relative to the site
    text: str
    extra: bytes | None  # the disaggregation file, when there is one
    outcome: Outcome
    latest: Period | None


def _number(text: str) -> Decimal | None:
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _number_text(number: Decimal) -> str:
    text = format(number, "f")
    return "0" if text in ("-0", "+0") else text


def _observation_note(status: str) -> str | None:
    plain = status.strip()
    if plain.lower() in (
        "",
        "normal value",
        "normal",
        "undefined",
        "missing value",
        "missing data",
    ):
        return None
    return plain[0].upper() + plain[1:]


def _missing_reason(status: str) -> str:
    return "suppressed" if "suppress" in status.lower() else "not_available"


def _placeholder(src: SourceIndicator) -> str | None:
    """The reason when the Year column holds a sentence instead of data."""
    year = column(src.columns, "year")
    if year is None or not src.rows:
        return None
    texts = {r[year].lower() for r in src.rows}
    if all(re.search(r"non-statistical", t) for t in texts):
        return NON_STATISTICAL
    if all(re.search(r"\b(no|not) data\b|no data for|but no data", t) for t in texts):
        return NO_DATA_YET
    return None


def convert_indicator(repo: Repository, src: SourceIndicator, fy_start: int) -> Converted:
    """One Open SDG indicator as a perfpages indicator file, with what became of it.

    The headline series gives the values; when it leaves rows out (the breakdowns), every row of
    the source, with its period, goes into the indicator's disaggregation CSV. When there are no
    values, the outcome says why (no data file, a placeholder sentence, no Year or Value column,
    nothing convertible)."""
    outcome = Outcome(src.id)
    outcome.notes.extend(src.problems)
    meta = src.meta
    values: list[CommentedMap] = []
    headline: Headline | None = None
    used_rows: set[int] = set()
    latest: Period | None = None
    placeholder = _placeholder(src)
    if src.data_file is None:
        outcome.no_values_reason = NO_DATA_FILE
    elif placeholder:
        outcome.no_values_reason = placeholder
    elif column(src.columns, "year") is None or column(src.columns, "value") is None:
        outcome.no_values_reason = NO_COLUMNS
    elif src.rows:
        headline = choose_headline(src.columns, src.rows, meta)
        values, used_rows, latest = _values(src, headline, fy_start, outcome)
        if not values:
            outcome.no_values_reason = NO_VALUES
    else:
        outcome.no_values_reason = NO_DATA_YET
    if meta.get("data_non_statistical") is True and not values:
        outcome.no_values_reason = NON_STATISTICAL
    outcome.values = len(values)
    extra: bytes | None = None
    if src.rows and placeholder is None and len(used_rows) < len(src.rows):
        extra = disaggregation_csv(src, fy_start)
        outcome.extra_rows = len(src.rows) - len(used_rows)
    data = _indicator(repo, src, headline, values, extra is not None, outcome)
    text = _dump(data)
    goal = f"goal-{src.goal}"
    return Converted(src.id, goal, f"indicators/{goal}/{src.id}.yml", text, extra, outcome, latest)


def _values(
    src: SourceIndicator, headline: Headline, fy_start: int, outcome: Outcome
) -> tuple[list[CommentedMap], set[int], Period | None]:
    """The headline rows as the values list, the rows used, and the latest period with a value.

    Each Year is read as a period (rows it cannot read are counted with the reason); rows of the
    same period with the same value are merged, and a period with different values is left out
    (both stay in the data file). An empty value becomes value: null with the reason from the
    observation status."""
    year = column(src.columns, "year")
    value = column(src.columns, "value")
    status = column(src.columns, "observation status")
    assert year is not None and value is not None
    hyphen = hyphen_reading(r[year] for r in src.rows)
    if hyphen == "month" and any("-" in src.rows[i][year] for i in headline.rows):
        outcome.notes.append("Year values written YYYY-NN were read as months")
    points: dict[Period, list[tuple[int, Decimal | None, str | None, str]]] = {}
    for i in headline.rows:
        row = src.rows[i]
        mapped = map_year(row[year], fy_start, hyphen)
        if mapped.period is None:
            outcome.not_mapped[mapped.reason or "not a period"] += 1
            continue
        raw = row[value]
        number = _number(raw) if raw else None
        if raw and number is None:
            outcome.not_mapped[NOT_A_NUMBER] += 1
            continue
        observation = row[status] if status is not None else ""
        notes = [n for n in (mapped.note, _observation_note(observation)) if n]
        points.setdefault(mapped.period, []).append(
            (i, number, "; ".join(notes) or None, observation)
        )
        if mapped.span:
            outcome.spans += 1
    items: list[CommentedMap] = []
    used: set[int] = set()
    for period in sorted(points, key=lambda p: p.sort_key):
        rows = points[period]
        numbers = {r[1] for r in rows}
        if len(numbers) > 1:
            outcome.not_mapped[DUPLICATE] += len(rows)
            continue
        _index, number, note, observation = rows[0]
        outcome.merged += len(rows) - 1
        used.update(r[0] for r in rows)
        item = CommentedMap()
        item["period"] = period_scalar(period.text)
        if number is None:
            item["value"] = None
            item["missing"] = _missing_reason(observation)
        else:
            item["value"] = RawNumber(_number_text(number))
        if note:
            item["note"] = text_scalar(note)
        items.append(item)
    latest = max((p for p in points if any(r[0] in used for r in points[p])), default=None)
    return items, used, latest


def decimals_for(items: list[CommentedMap]) -> int:
    """Places to show: as many as the values need (at most 3), more when every value is below 1
    (so that 0.00012 does not show as 0.000)."""
    numbers = [Decimal(str(i["value"])) for i in items if i.get("value") is not None]
    if not numbers:
        return 0
    places = 0
    for n in numbers:
        exponent = n.normalize().as_tuple().exponent  # "22.0" is a whole number
        if isinstance(exponent, int):
            places = max(places, -exponent)
    places = min(places, 3)
    nonzero = [abs(n) for n in numbers if n != 0]
    if nonzero and max(nonzero) < 1:
        significant = 2 - math.floor(math.log10(float(min(nonzero))))
        places = max(places, min(6, significant))
    return places


def _title(repo: Repository, src: SourceIndicator) -> str:
    meta = src.meta
    for candidate in (
        meta.get("indicator_available"),
        meta.get("indicator_name") if " " in str(meta.get("indicator_name", "")) else None,
        translate(repo, meta.get("indicator_name")),
        meta.get("graph_title"),
    ):
        if isinstance(candidate, str) and to_plain(candidate):
            return to_plain(candidate)
    return f"Indicator {src.number}"


def _source(meta: dict[str, Any]) -> str | None:
    parts: list[str] = []
    for n in range(1, 10):
        if meta.get(f"source_active_{n}") is False:
            continue
        organisation = meta.get(f"source_organisation_{n}")
        name = meta.get(f"source_url_text_{n}")
        url = meta.get(f"source_url_{n}")
        bits = [to_plain(str(b)) for b in (organisation, name) if b]
        if url and isinstance(url, str) and url.startswith(("http://", "https://")):
            bits.append(url.strip())
        if bits:
            parts.append(", ".join(bits))
    return "; ".join(parts) or None


def _description(src: SourceIndicator, headline: Headline | None, extra: bool) -> str | None:
    meta = src.meta
    text = meta.get("national_indicator_description") or meta.get("computation_definitions")
    paragraphs: list[str] = []
    if isinstance(text, str) and to_markdown(text):
        paragraphs.append(to_markdown(text))
    if headline is not None and headline.rows:
        shown: list[str] = []
        if headline.series and (headline.other_series or headline.how != "headline"):
            shown.append(f"series “{headline.series}”")
        if headline.units and headline.other_units:
            shown.append(f"units “{headline.units}”")
        shown.extend(f"{k}: {v}" for k, v in headline.selection.items())
        if shown:
            where = " in the data file" if extra else ""
            paragraphs.append(
                f"The values shown are for {', '.join(shown)}; the other series and "
                f"breakdowns are{where} as published."
            )
    return "\n\n".join(paragraphs) or None


def _indicator(
    repo: Repository,
    src: SourceIndicator,
    headline: Headline | None,
    values: list[CommentedMap],
    extra: bool,
    outcome: Outcome,
) -> CommentedMap:
    """The indicator file's fields, in the order a perfpages file has them: title, ref,
    description, priority (the goal), tags, unit, decimals, polarity, values, commentary and
    source, with a comment at the top saying where it came from and what was not converted.

    Open SDG does not say whether higher or lower is better: without a polarity in the metadata
    the indicator is neutral (not rated), with a comment saying how to rate it."""
    meta = src.meta
    data = CommentedMap()
    data["title"] = _title(repo, src)
    data["ref"] = period_scalar(str(meta.get("indicator_number") or src.number))
    description = _description(src, headline, extra)
    if description:
        data["description"] = text_scalar(description)
    data["priority"] = f"goal-{src.goal}"
    tags = [f"Target {src.target}"]
    tier = meta.get("un_designated_tier")
    if isinstance(tier, str) and tier.strip():
        tags.append(tier.strip())
    data["tags"] = tags
    units = headline.units if headline else ""
    if not units:
        units = _unit_measure(src, headline) or str(meta.get("computation_units") or "")
    multiplier = _multiplier(src, headline)
    for key, value in unit_fields(units, multiplier).items():
        data[key] = value
    data["decimals"] = decimals_for(values)
    polarity = meta.get("polarity")
    data["polarity"] = (
        polarity if polarity in ("higher_is_better", "lower_is_better", "neutral") else "neutral"
    )
    seq = CommentedSeq(values)
    seq.fa.set_block_style()
    data["values"] = seq
    commentary = [to_markdown(src.body)] if src.body.strip() else []
    other = meta.get("other_info")
    if isinstance(other, str) and to_markdown(other):
        commentary.append(to_markdown(other))
    if commentary:
        data["commentary"] = text_scalar("\n\n".join(commentary))
    source = _source(meta)
    if source:
        data["source"] = source
    data.yaml_set_start_comment(_header(repo, src, headline, extra, outcome))
    if data["polarity"] == "neutral":
        data.yaml_set_comment_before_after_key(
            "polarity",
            before="Open SDG data does not say whether higher or lower is better: not rated.\n"
            "Set higher_is_better or lower_is_better, and a target, to rate it.",
        )
    return data


def _unit_measure(src: SourceIndicator, headline: Headline | None) -> str:
    index = column(src.columns, "unit measure")
    if index is None or headline is None or not headline.rows:
        return ""
    return src.rows[headline.rows[0]][index]


def _multiplier(src: SourceIndicator, headline: Headline | None) -> str:
    index = column(src.columns, "unit multiplier")
    if index is None or headline is None or not headline.rows:
        return ""
    return src.rows[headline.rows[0]][index]


def _header(
    repo: Repository,
    src: SourceIndicator,
    headline: Headline | None,
    extra: bool,
    outcome: Outcome,
) -> str:
    files = " and ".join(f for f in (src.data_file, src.meta_file) if f)
    licence = f" ({repo.licence})" if repo.licence else ""
    lines = [f"Converted from Open SDG data: {files}{licence}."]
    if headline is not None and headline.how != "headline":
        how = {
            "start values": "the metadata's data_start_values",
            "fewest breakdowns": "the rows with the fewest breakdowns",
        }[headline.how]
        lines.append(f"The source has no headline series; the values are {how}.")
    if extra:
        lines.append(
            f"Every row of the source, with its period: {DISAGGREGATIONS_DIR}/{src.id}.csv"
        )
    if outcome.no_values_reason:
        lines.append(f"No values: {outcome.no_values_reason}.")
    for reason, count in sorted(outcome.not_mapped.items()):
        lines.append(f"Not converted: {count} headline row(s): {reason}.")
    lines.extend(outcome.notes)
    return "\n".join(lines)


def _dump(data: CommentedMap) -> str:
    out = io.StringIO()
    make_yaml(2, 2).dump(data, out)
    return out.getvalue()


def disaggregation_csv(src: SourceIndicator, fy_start: int) -> bytes:
    """Every row of the source, with the SPEC period its Year was read as (empty if none)."""
    year = column(src.columns, "year")
    hyphen = hyphen_reading(r[year] for r in src.rows) if year is not None else "span"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["period", *src.columns])
    for row in src.rows:
        mapped = map_year(row[year], fy_start, hyphen) if year is not None else None
        period = mapped.period.text if mapped and mapped.period else ""
        writer.writerow([period, *row])
    return buffer.getvalue().encode("utf-8")
