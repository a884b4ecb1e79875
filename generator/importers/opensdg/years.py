"""The Year column of Open SDG data, read as SPEC periods.

Real repositories write far more than years. How each form is read (documented in the
README's "Importing" section, and in each converted file when it applies):

- ``2019``, ``2019.0``: the calendar year 2019;
- ``2013 Q1``: the calendar quarter; ``1993 01``: the month 1993-01;
- ``2019/20``, ``2019/2020``, ``2019-20``, ``2019 to 2020``: the financial year 2019/20 (two
  consecutive years, as GOV.UK writes financial and academic years);
- ``2018 to 2020``, ``2015-2017``, ``2003-05``: a span of several years has no SPEC form; it is
  shown at its last year (2020), with the note "Covers 2018 to 2020";
- ``2007/08 to 2009/10``, ``2002/03-2007/08``: the same, at the last financial year (2009/10);
- ``17 May to 11 June 2023``: the day the span ends (2023-06-11), with a note;
- ``2019/20 [Note 5]``: 2019/20, with the note "Marked [Note 5] in the source data";
- any SPEC form (``2019-09-30``, ``2019/20 Q2``): itself;
- ``1974a``, sentences, empty cells: not converted; counted in the conversion notes with the reason.

``YYYY-NN`` is either a month or a span of years (``2003-05`` is 2003 to 2005 in the UK's
maternal mortality data). Each indicator is read one way for all its rows: as spans when every
such value can be a span with the same length, or cannot be a month; otherwise as months.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from generator.site.periods import (
    FINANCIAL_YEAR_START_MONTH,
    Period,
    PeriodError,
    PeriodKind,
    parse_period,
)

_MONTHS = {
    name.lower(): number
    for number, names in enumerate(
        zip(
            (
                "",
                "jan",
                "feb",
                "mar",
                "apr",
                "may",
                "jun",
                "jul",
                "aug",
                "sep",
                "oct",
                "nov",
                "dec",
            ),
            (
                "",
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ),
            strict=True,
        )
    )
    for name in names
    if name
}
_NOTE = re.compile(r"\s*\[([^\]]+)\]")
_HYPHEN = re.compile(r"(\d{4})-(\d{2})")

# Reasons a Year cannot be read, as counted in the conversion notes.
NO_YEAR = "the Year cell is empty"
TEXT = "the Year cell holds text, not a period"
LETTER = "a letter after the year (1974a, 1974b) marks several values in one year"
NOT_A_PERIOD = "not a period perfpages can show"


@dataclass(frozen=True)
class Mapped:
    """A Year cell read as a period (with a note for the data point), or why it cannot be."""

    period: Period | None
    note: str | None = None
    reason: str | None = None
    span: bool = False  # a span of several years or days, shown at its end


def hyphen_reading(texts: Iterable[str]) -> str:
    """'span' or 'month': how this indicator's ``YYYY-NN`` values are read (see above)."""
    pairs = [(int(m[1]), int(m[2])) for t in texts if (m := _HYPHEN.fullmatch(_clean(t)))]
    if not pairs:
        return "span"
    can_month = all(1 <= b <= 12 for _a, b in pairs)
    can_span = all(b > a % 100 for a, b in pairs)
    if can_span and (not can_month or len({b - a % 100 for a, b in pairs}) == 1):
        return "span"
    return "month" if can_month else "span"


def _clean(text: str) -> str:
    return " ".join(_NOTE.sub(" ", text).split())


def _fy(first: int, fy_start: int) -> Period:
    return Period(PeriodKind.FINANCIAL_YEAR, first, fy_start_month=fy_start)


def _years(first: int, last: int, fy_start: int, shown: str) -> Mapped:
    """A span of calendar years: one financial year when consecutive, else its last year."""
    if last == first + 1:
        return Mapped(_fy(first, fy_start))
    if last <= first:
        return Mapped(None, reason=NOT_A_PERIOD)
    return Mapped(Period(PeriodKind.YEAR, last), f"Covers {shown}", span=True)


def map_year(raw: str, fy_start: int = FINANCIAL_YEAR_START_MONTH, hyphen: str = "span") -> Mapped:
    """Read one Year cell; ``hyphen`` is this indicator's reading of ``YYYY-NN``."""
    notes = [f"[{n.strip()}]" for n in _NOTE.findall(raw)]
    text = _clean(raw)
    mapped = _map(text, fy_start, hyphen)
    if notes and mapped.period is not None:
        marked = f"Marked {' '.join(notes)} in the source data"
        note = f"{mapped.note}; {marked}" if mapped.note else marked
        return Mapped(mapped.period, note, span=mapped.span)
    return mapped


def _map(text: str, fy_start: int, hyphen: str) -> Mapped:
    """One Year cell read as a period, with its note; or no period, with the reason counted in
    the conversion notes.

    The forms are tried from the most common: a year, a quarter, a month, two years (a financial
    year, or a span shown at its last year), ``hyphen`` deciding whether 2019-05 is a month or
    2019/20, spans of financial years and of dates, then any SPEC form."""
    if not text:
        return Mapped(None, reason=NO_YEAR)
    if m := re.fullmatch(r"(\d{4})(?:\.0+)?", text):
        return Mapped(Period(PeriodKind.YEAR, int(m[1])))
    if m := re.fullmatch(r"(\d{4}) ?Q([1-4])", text):
        return Mapped(Period(PeriodKind.QUARTER, int(m[1]), int(m[2])))
    if m := re.fullmatch(r"(\d{4}) (0[1-9]|1[0-2])", text):
        return Mapped(Period(PeriodKind.MONTH, int(m[1]), int(m[2])))
    if m := re.fullmatch(r"(\d{4}) ?(?:/|-|to) ?(\d{4})", text):
        return _years(int(m[1]), int(m[2]), fy_start, f"{m[1]} to {m[2]}")
    if m := re.fullmatch(r"(\d{4})/(\d{2})", text):
        first = int(m[1])
        last = first - first % 100 + int(m[2])
        if last < first:
            last += 100
        return _years(first, last, fy_start, f"{m[1]} to {last}")
    if m := _HYPHEN.fullmatch(text):
        first, second = int(m[1]), int(m[2])
        if hyphen == "month" and 1 <= second <= 12:
            return Mapped(Period(PeriodKind.MONTH, first, second))
        last = first - first % 100 + second
        if last < first:
            last += 100
        return _years(first, last, fy_start, f"{m[1]} to {last}")
    if m := re.fullmatch(r"(\d{4})/(\d{2}) ?(?:to|-) ?(\d{4})/(\d{2})", text):
        first, last = int(m[1]), int(m[3])
        if last <= first:
            return Mapped(None, reason=NOT_A_PERIOD)
        covers = f"Covers {m[1]}/{m[2]} to {m[3]}/{m[4]}"
        return Mapped(_fy(last, fy_start), covers, span=True)
    if m := re.fullmatch(
        r"(\d{1,2}) ([A-Za-z]+)(?: (\d{4}))? to (\d{1,2}) ([A-Za-z]+) (\d{4})", text
    ):
        month = _MONTHS.get(m[5].lower())
        if month:
            try:
                end = dt.date(int(m[6]), month, int(m[4]))
            except ValueError:
                return Mapped(None, reason=NOT_A_PERIOD)
            period = Period(PeriodKind.DATE, end.year, end.month, end.day)
            return Mapped(period, f"Covers {text}", span=True)
    if re.fullmatch(r"\d{4}[a-z]", text):
        return Mapped(None, reason=LETTER)
    try:
        return Mapped(parse_period(text, fy_start))
    except PeriodError:
        pass
    if len(re.findall(r"[A-Za-z]{3,}", text)) >= 2:
        return Mapped(None, reason=TEXT)
    return Mapped(None, reason=NOT_A_PERIOD)
