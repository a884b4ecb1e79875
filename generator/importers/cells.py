"""Understanding one spreadsheet cell: a number, a missing-value word, a rating, a period.

Every reader returns what it understood or raises ``CellError`` with the message the user sees
(what the cell holds and what to write instead). Numbers are kept as ``Decimal`` so that what is
written to the YAML is the figure as typed ("85.10" stays 85.10, and Excel's 0.851 shown as
85.1% becomes 85.1, not 85.10000000000001).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from generator.importers.tables import Cell, _NoResult
from generator.site.models import MISSING_REASONS, missing_reason
from generator.site.periods import FORMS_HELP, Period, PeriodError, PeriodKind, parse_period


class CellError(ValueError):
    """A cell that cannot be read; the message says what to write instead."""


RATING_WORDS = {
    "g": "green",
    "green": "green",
    "a": "amber",
    "amber": "amber",
    "r": "red",
    "red": "red",
    "b": "blue",
    "blue": "blue",
}

_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+")


@dataclass(frozen=True)
class Number:
    """A figure as it will be written in the YAML."""

    amount: Decimal

    @property
    def text(self) -> str:
        text = format(self.amount, "f")
        return "0" if text in ("-0", "+0") else text


@dataclass(frozen=True)
class Missing:
    reason: str


def _missing_word(text: str) -> str | None:
    return missing_reason(text)


def _from_float(value: float) -> Decimal:
    """Excel's binary double as the decimal it displays (15 significant digits)."""
    return Decimal(format(value, ".15g"))


def read_number(cell: Cell, percent_unit: bool, *, allow_missing: bool = True) -> Number | Missing:
    """A value cell: a number, or a word meaning "no value" (TBC, n/a, -)."""
    value = cell.value
    if isinstance(value, _NoResult):
        raise CellError(
            f"the cell holds the formula {value} but no saved result; open the file in Excel, "
            "save it, and import again"
        )
    if isinstance(value, bool):
        raise CellError(f"{'TRUE' if value else 'FALSE'} is not a number")
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        raise CellError(
            f"the cell holds a date or time ({value}), not a number; format the column as Number"
        )
    if isinstance(value, (int, float)):
        if (isinstance(value, float) and value != value) or value in (float("inf"), -float("inf")):
            raise CellError("the cell does not hold a finite number")
        amount = Decimal(value) if isinstance(value, int) else _from_float(value)
        if cell.is_percent_format:
            if not percent_unit:
                raise CellError(
                    f"the cell shows {Number((amount * 100).normalize()).text}% but the "
                    "indicator's unit is not percent; "
                    "format the cell as Number and write the value in the indicator's unit"
                )
            amount = (amount * 100).normalize()
        return Number(amount)
    text = str(value).strip()
    if text.startswith("#") and text.endswith(("!", "?", "A")):
        raise CellError(
            f"the cell shows the Excel error {text}; correct the formula, or write TBC if the "
            "value is not yet known"
        )
    word = _missing_word(text)
    if word is not None:
        if not allow_missing:
            raise CellError(f'"{text}" is not a number; leave the cell empty instead')
        return Missing(word)
    return Number(_parse_text_number(text, percent_unit))


def _parse_text_number(text: str, percent_unit: bool) -> Decimal:
    """A number typed as text ("1,234.5", "−3", "85%" for a percentage), as the decimal written;
    CellError saying what to write for anything else: a currency sign, commas that do not group
    thousands, a comparison (">72"), a word."""
    core = text.replace("\u2212", "-").replace("\u00a0", " ").strip()
    percent = core.endswith("%")
    if percent:
        core = core[:-1].strip()
        if not percent_unit:
            raise CellError(
                f'"{text}" is a percentage but the indicator\'s unit is not percent; write the '
                "value in the indicator's unit, without %"
            )
    if core.startswith(("£", "$", "€")) or core.startswith(("-£", "-$", "-€")):
        raise CellError(
            f'"{text}" has a currency sign; write the plain number (the sign comes from the '
            "indicator's unit and currency)"
        )
    if _NUMBER.fullmatch(core):
        try:
            return Decimal(core.replace(",", "").lstrip("+"))
        except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
            pass
    if re.fullmatch(r"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?", core):
        try:
            return Decimal(core.replace(",", "").lstrip("+"))
        except InvalidOperation:
            pass
    if re.fullmatch(r"\d+(?:,\d+)+(?:\.\d+)?", core):
        raise CellError(
            f'"{text}" is not a number: its commas do not group thousands; write it without '
            "commas (the decimal point is a full stop)"
        )
    if re.fullmatch(r"[<>≤≥=~]+\s*[\d.,]+%?", core):
        raise CellError(
            f'"{text}" is not a single number; write the value itself (the direction that is '
            "better is set by the indicator's polarity)"
        )
    raise CellError(
        f'"{text}" is not a number; write a plain number such as 85.1, or TBC / n/a when '
        "there is no value"
    )


def read_reason(cell: Cell) -> str | None:
    """A missing-reason cell: tbc, not_available, not_due or suppressed (leniently spelled)."""
    if cell.blank:
        return None
    text = str(cell.value).strip()
    folded = "_".join(text.lower().replace("-", " ").split())
    if folded in MISSING_REASONS:
        return folded
    word = _missing_word(text)
    if word is not None:
        return word
    raise CellError(
        f'"{text}" is not a reason for a missing value; write one of {", ".join(MISSING_REASONS)}'
    )


def read_rating(cell: Cell) -> str | None:
    if cell.blank:
        return None
    text = str(cell.value).strip()
    rating = RATING_WORDS.get(text.lower())
    if rating is None:
        raise CellError(
            f'"{text}" is not a rating; write green, amber, red or blue (or G, A, R, B)'
        )
    return rating


def read_text(cell: Cell) -> str | None:
    if cell.blank:
        return None
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        raise CellError("the cell holds a date, where text was expected; format it as Text")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return "\n".join(line.rstrip() for line in text.split("\n"))


def read_id(cell: Cell) -> str | None:
    if cell.blank:
        return None
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# ---- Periods -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodContext:
    """What a date cell means depends on the indicator it is for."""

    fy_start_month: int
    frequency: str | None  # monthly | quarterly | annual | other | None (no values yet)
    financial: bool  # whether the indicator's periods are written in financial years


def read_period(cell: Cell, context: PeriodContext) -> Period:
    value = cell.value
    if isinstance(value, _NoResult):
        raise CellError(f"the cell holds the formula {value} but no saved result")
    if isinstance(value, bool):
        raise CellError(f"{value} is not a period; write one of: {FORMS_HELP}")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"{value:g} is not a period; write one of: {FORMS_HELP}")
        value = int(value)
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError(f"{value} is a date and time, not a period; write e.g. 2019-07")
        value = value.date()
    if isinstance(value, dt.date):
        return date_period(value, cell.shows_day, context)
    try:
        return parse_period(str(value).strip(), context.fy_start_month)
    except PeriodError as e:
        raise CellError(str(e)) from None


def _quarter_form(day: dt.date, context: PeriodContext, edge: str) -> Period | None:
    """The quarter that starts (edge='start') or ends on ``day``, in the indicator's form."""
    kinds = (
        [PeriodKind.FINANCIAL_QUARTER, PeriodKind.QUARTER]
        if context.financial
        else [PeriodKind.QUARTER, PeriodKind.FINANCIAL_QUARTER]
    )
    for kind in kinds:
        for year in (day.year - 1, day.year):
            for number in range(1, 5):
                p = Period(kind, year, number, fy_start_month=context.fy_start_month)
                if (p.start if edge == "start" else p.end) == day:
                    return p
    return None


def _year_form(day: dt.date, context: PeriodContext, edge: str) -> Period | None:
    kinds = (
        [PeriodKind.FINANCIAL_YEAR, PeriodKind.YEAR]
        if context.financial
        else [PeriodKind.YEAR, PeriodKind.FINANCIAL_YEAR]
    )
    for kind in kinds:
        for year in (day.year - 1, day.year):
            p = Period(kind, year, fy_start_month=context.fy_start_month)
            if (p.start if edge == "start" else p.end) == day:
                return p
    return None


def date_period(day: dt.date, shows_day: bool, context: PeriodContext) -> Period:
    """A date cell in the period column, read as the period the indicator is reported for.

    Excel stores "Jul-19" as 1 July 2019. A cell formatted without its day is a month; with
    its day, it is read as the month, quarter or year that starts or ends on it when that
    matches the indicator's frequency; an indicator of irregular frequency takes the date
    itself. Anything else is ambiguous and refused with the choices.
    """
    month = Period(PeriodKind.MONTH, day.year, day.month)
    as_date = Period(PeriodKind.DATE, day.year, day.month, day.day)
    last_day = calendar.monthrange(day.year, day.month)[1]
    frequency = context.frequency
    if not shows_day:
        if frequency in ("monthly", None, "other"):
            return month
        raise CellError(
            f"the cell shows the month {month.label}, but the indicator is {frequency}; "
            f"write its period as text, e.g. {_example(day, context)}"
        )
    if frequency == "monthly" and day.day in (1, last_day):
        return month
    if frequency == "quarterly":
        found = _quarter_form(day, context, "start" if day.day == 1 else "end")
        if found:
            return found
    if frequency == "annual":
        found = _year_form(day, context, "start" if day.day == 1 else "end")
        if found:
            return found
    if frequency in ("other", None):
        return as_date
    raise CellError(
        f"the date {as_date.label} is ambiguous for a {frequency} indicator; write the period as "
        f"text, e.g. {_example(day, context)} (or {as_date.text} for that day)"
    )


def _example(day: dt.date, context: PeriodContext) -> str:
    if context.frequency == "quarterly":
        found = _quarter_form(day.replace(day=1), context, "start")
        if found is None:
            kind = PeriodKind.FINANCIAL_QUARTER if context.financial else PeriodKind.QUARTER
            found = next(
                p
                for year in (day.year - 1, day.year)
                for n in range(1, 5)
                if (p := Period(kind, year, n, fy_start_month=context.fy_start_month)).start
                <= day
                <= p.end
            )
        return found.text
    if context.frequency == "annual":
        kind = PeriodKind.FINANCIAL_YEAR if context.financial else PeriodKind.YEAR
        year = (
            day.year
            if kind is PeriodKind.YEAR or day.month >= context.fy_start_month
            else (day.year - 1)
        )
        return Period(kind, year, fy_start_month=context.fy_start_month).text
    return Period(PeriodKind.MONTH, day.year, day.month).text
