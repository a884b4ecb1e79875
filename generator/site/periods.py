"""Reporting periods: the written forms of the SPEC, their spans, order, labels and slugs.

A period is a span of days. Two written forms that cover the same days (``2019 Q3`` and
``2019/20 Q2`` when the financial year starts in April) are the same period.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from generator.site.i18n import month_abbr, month_name, t


class PeriodKind(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    DATE = "date"
    FINANCIAL_YEAR = "financial_year"
    FINANCIAL_QUARTER = "financial_quarter"

    @property
    def frequency(self) -> str:
        return _FREQUENCY[self]


_FREQUENCY = {
    PeriodKind.YEAR: "annual",
    PeriodKind.FINANCIAL_YEAR: "annual",
    PeriodKind.QUARTER: "quarterly",
    PeriodKind.FINANCIAL_QUARTER: "quarterly",
    PeriodKind.MONTH: "monthly",
    PeriodKind.DATE: "other",
}

FORMS_HELP = (
    "2019 (calendar year), 2019 Q3 (calendar quarter), 2019-07 (month), "
    "2019-09-30 (date), 2019/20 (financial year), 2019/20 Q2 (financial quarter)"
)

OTHER_FORMS_HELP = (
    "Q1 2019/20, 2019-20 Q1, Quarter 1 2019/20 (financial quarter), 2019-20 or 2019/2020 "
    "(financial year), Q3 2019 (calendar quarter), Apr 2019, April 2019, Sept 2019, Jun-19 "
    "(month), 30 Sep 2019 (date)"
)

# The JSON Schema pattern of a written period (ECMA 262, no flags, so case is spelt out): every
# form parse_period accepts matches; what it cannot check (that 20 follows 2019) it reports.
_P_QUARTER = r"(?:[Qq](?:[Tt][Rr])? ?|[Qq][Uu][Aa][Rr][Tt][Ee][Rr] )[1-4]"
_P_FY = r"\d{4} ?[/\-\u2013] ?(?:\d{4}|\d{2})"
_P_MONTH = r"[A-Za-z]{3,9}\.?"
SCHEMA_PATTERN = (
    "^(?:"
    + "|".join(
        [
            r"\d{4}(?:-\d{2}(?:-\d{2})?)?",
            rf"{_P_FY}(?:,? ?{_P_QUARTER})?",
            rf"{_P_QUARTER},? ?{_P_FY}",
            rf"\d{{4}},? ?{_P_QUARTER}",
            rf"{_P_QUARTER},? ?\d{{4}}",
            rf"{_P_MONTH}(?: ?- ?| )\d{{4}}",
            rf"{_P_MONTH} ?- ?\d{{2}}",
            rf"\d{{1,2}} {_P_MONTH} \d{{4}}",
        ]
    )
    + ")$"
)

# The month a financial year starts in unless site_config.yml says otherwise (April, as in the
# UK). Named here rather than in models.py, which reads periods with it and imports this module.
FINANCIAL_YEAR_START_MONTH = 4


class PeriodError(ValueError):
    """A period string that is no accepted form, or is ambiguous; the message says what to write."""


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int  # calendar year, or the first year of a financial year
    number: int = 0  # quarter 1-4 or month 1-12; 0 for years and dates
    day: int = 0  # day of month for dates
    fy_start_month: int = field(default=FINANCIAL_YEAR_START_MONTH, compare=False)
    start: dt.date = field(init=False, compare=True)
    end: dt.date = field(init=False, compare=True)

    def __post_init__(self) -> None:
        start, end = _span(self)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    # Equality and hashing are by span: the same days are the same period.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.start, self.end) == (other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.start, self.end))

    @property
    def sort_key(self) -> tuple[dt.date, dt.date]:
        """Ordered by end; a longer period sorts before a shorter one that ends with it."""
        return (self.end, self.start)

    def __lt__(self, other: Period) -> bool:
        return self.sort_key < other.sort_key

    @property
    def text(self) -> str:
        """The canonical written form, as in the YAML files."""
        k = self.kind
        if k is PeriodKind.YEAR:
            return f"{self.year}"
        if k is PeriodKind.QUARTER:
            return f"{self.year} Q{self.number}"
        if k is PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if k is PeriodKind.DATE:
            return f"{self.year}-{self.number:02d}-{self.day:02d}"
        fy = f"{self.year}/{(self.year + 1) % 100:02d}"
        if k is PeriodKind.FINANCIAL_YEAR:
            return fy
        return f"{fy} Q{self.number}"

    @property
    def label(self) -> str:
        """The form shown to readers (SPEC table, column 'shown as')."""
        k = self.kind
        if k is PeriodKind.YEAR:
            return f"{self.year}"
        if k is PeriodKind.QUARTER:
            return t("period.quarter", number=self.number, year=self.year)
        if k is PeriodKind.MONTH:
            return f"{month_abbr(self.number)} {self.year}"
        if k is PeriodKind.DATE:
            return f"{self.day} {month_abbr(self.number)} {self.year}"
        fy = f"{self.year}/{(self.year + 1) % 100:02d}"
        if k is PeriodKind.FINANCIAL_YEAR:
            return fy
        return t("period.quarter", number=self.number, year=fy)

    @property
    def slug(self) -> str:
        """URL-safe form: 2019-20-q2, 2019-q3, 2019-07, 2019-09-30, 2019-20, 2019."""
        return self.text.replace("/", "-").replace(" ", "-").lower()

    @property
    def frequency(self) -> str:
        return self.kind.frequency

    def previous(self) -> Period:
        """The previous period of the same form (the quarter before, the month before, ...)."""
        k = self.kind
        if k in (PeriodKind.YEAR, PeriodKind.FINANCIAL_YEAR):
            return Period(k, self.year - 1, fy_start_month=self.fy_start_month)
        if k in (PeriodKind.QUARTER, PeriodKind.FINANCIAL_QUARTER):
            if self.number == 1:
                return Period(k, self.year - 1, 4, fy_start_month=self.fy_start_month)
            return Period(k, self.year, self.number - 1, fy_start_month=self.fy_start_month)
        if k is PeriodKind.MONTH:
            if self.number == 1:
                return Period(k, self.year - 1, 12)
            return Period(k, self.year, self.number - 1)
        # A date: the same day a year earlier (28 February for 29 February).
        day = min(self.day, calendar.monthrange(self.year - 1, self.number)[1])
        return Period(k, self.year - 1, self.number, day)

    def year_before(self) -> Period:
        """The same period a year earlier (Q2 2018/19 for Q2 2019/20; Jul 2018 for Jul 2019)."""
        k = self.kind
        if k in (PeriodKind.QUARTER, PeriodKind.FINANCIAL_QUARTER, PeriodKind.MONTH):
            return Period(k, self.year - 1, self.number, fy_start_month=self.fy_start_month)
        return self.previous()  # a year, or a date: previous() is a year back already

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Period({self.text!r})"


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _span(p: Period) -> tuple[dt.date, dt.date]:
    k = p.kind
    if k is PeriodKind.YEAR:
        return dt.date(p.year, 1, 1), dt.date(p.year, 12, 31)
    if k is PeriodKind.QUARTER:
        first = 3 * (p.number - 1) + 1
        return dt.date(p.year, first, 1), _month_end(p.year, first + 2)
    if k is PeriodKind.MONTH:
        return dt.date(p.year, p.number, 1), _month_end(p.year, p.number)
    if k is PeriodKind.DATE:
        day = dt.date(p.year, p.number, p.day)
        return day, day
    months_in = 12 if k is PeriodKind.FINANCIAL_YEAR else 3
    offset = 0 if k is PeriodKind.FINANCIAL_YEAR else 3 * (p.number - 1)
    sy, sm = _add_months(p.year, p.fy_start_month, offset)
    ey, em = _add_months(sy, sm, months_in - 1)
    return dt.date(sy, sm, 1), _month_end(ey, em)


FIRST_YEAR, LAST_YEAR = 1000, 9998
_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4}) Q(\d)")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FY = re.compile(r"(\d{4})/(\d{2})")
_FYQ = re.compile(r"(\d{4})/(\d{2}) Q(\d)")

# Other forms councils write (SPEC, "Periods"), matched after spaces are folded and case ignored.
# A financial year: 2019/20, 2019-20, 2019/2020 or 2019-2020 (the second year must follow).
_FY_ANY = r"(\d{4})\s?[/-]\s?(\d{4}|\d{2})"
_QUARTER_WORD = r"(?:q|qtr|quarter\s)\s?(\d)"
_FYQ_FIRST = re.compile(rf"{_QUARTER_WORD}\s?,?\s?{_FY_ANY}")  # Q1 2019/20, Quarter 1 2019-20
_FYQ_LAST = re.compile(rf"{_FY_ANY},?\s?{_QUARTER_WORD}")  # 2019-20 Q1, 2019/20 Quarter 1
_FY_OTHER = re.compile(_FY_ANY)  # 2019-20, 2019/2020
_Q_FIRST = re.compile(rf"{_QUARTER_WORD}\s?,?\s?(\d{{4}})")  # Q3 2019, Quarter 3 2019
_Q_LAST = re.compile(rf"(\d{{4}}),?\s?{_QUARTER_WORD}")  # 2019Q3, 2019 Quarter 3
_MONTH_WORD = re.compile(r"([a-z]+)\.?(\s|-|\s?-\s?)?(\d{4}|\d{2})")  # Apr 2019, Jun-19
_DAY_MONTH = re.compile(r"(\d{1,2})\s([a-z]+)\.?\s(\d{4})")  # 30 Sep 2019

# English month names and their usual abbreviations (Sept as well as Sep).
_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def parse_period(text: object, fy_start_month: int = FINANCIAL_YEAR_START_MONTH) -> Period:
    """Parse a written period, or raise PeriodError saying what to write instead.

    The six canonical forms (``Period.text``) come first, exactly as before; then the other
    forms the SPEC accepts (``_other_form``: ``Q1 2019/20``, ``2019-20``, ``Apr 2019``, ...).
    """
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise PeriodError(f"a period must be written as text, such as {FORMS_HELP}")
    s = str(text).strip()
    if any(not FIRST_YEAR <= int(y) <= LAST_YEAR for y in re.findall(r"(?<!\d)\d{4}", s)):
        # Outside these, a period or the one before it has no calendar date (year 0, 10000).
        raise PeriodError(
            f'"{s}" is not a period perfpages can show: the year must be between {FIRST_YEAR} '
            f"and {LAST_YEAR}"
        )
    if m := _YEAR.fullmatch(s):
        return Period(PeriodKind.YEAR, int(m[1]))
    if m := _QUARTER.fullmatch(s):
        _check_quarter(s, int(m[2]))
        return Period(PeriodKind.QUARTER, int(m[1]), int(m[2]))
    if m := _MONTH.fullmatch(s):
        month = int(m[2])
        if 1 <= month <= 12:
            return Period(PeriodKind.MONTH, int(m[1]), month)
        if month == (int(m[1]) + 1) % 100:
            # 2019-20: not a month, so the financial year 2019/20.
            return Period(PeriodKind.FINANCIAL_YEAR, int(m[1]), fy_start_month=fy_start_month)
        raise PeriodError(f'"{s}" is not a period: months run from 01 to 12')
    if m := _DATE.fullmatch(s):
        return _date(s, int(m[1]), int(m[2]), int(m[3]))
    if m := _FY.fullmatch(s):
        _check_fy(s, int(m[1]), int(m[2]))
        return Period(PeriodKind.FINANCIAL_YEAR, int(m[1]), fy_start_month=fy_start_month)
    if m := _FYQ.fullmatch(s):
        _check_fy(s, int(m[1]), int(m[2]))
        _check_quarter(s, int(m[3]))
        return Period(
            PeriodKind.FINANCIAL_QUARTER, int(m[1]), int(m[3]), fy_start_month=fy_start_month
        )
    found = _other_form(s, fy_start_month)
    if found is not None:
        return found
    hint = suggest(s)
    if hint:
        raise PeriodError(f'"{s}" is not a period; write {hint}')
    raise PeriodError(f'"{s}" is not a period; write one of: {FORMS_HELP}')


def _date(s: str, year: int, month: int, day: int) -> Period:
    try:
        dt.date(year, month, day)
    except ValueError:
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            why = f"{month_name(month)} {year} has {last} days"
        else:
            why = "months run from 01 to 12"
        raise PeriodError(
            f'"{s}" is not a date that exists ({why}); write it as YYYY-MM-DD'
        ) from None
    return Period(PeriodKind.DATE, year, month, day)


def _other_form(s: str, fy_start_month: int) -> Period | None:
    """A period written in one of the SPEC's other accepted forms; None when it is none of them.

    Case and spacing do not matter (``q1 2019/20``, ``APR 2019``); an en dash counts as a hyphen.
    A form that names an impossible period (``Q5 2019/20``, ``2019/21 Q1``) or could mean two
    periods (``Jun 19``: June 2019, or 19 June?) raises PeriodError saying what to write.
    """
    t = " ".join(s.replace("\u2013", "-").replace("\u2014", "-").split()).lower()
    if m := _FYQ_FIRST.fullmatch(t):
        return _fy_quarter(s, m[2], m[3], m[1], fy_start_month)
    if m := _FYQ_LAST.fullmatch(t):
        return _fy_quarter(s, m[1], m[2], m[3], fy_start_month)
    if m := _FY_OTHER.fullmatch(t):
        first = _fy_first(s, m[1], m[2])
        return Period(PeriodKind.FINANCIAL_YEAR, first, fy_start_month=fy_start_month)
    if m := _Q_FIRST.fullmatch(t):
        _check_quarter(s, int(m[1]))
        return Period(PeriodKind.QUARTER, int(m[2]), int(m[1]))
    if m := _Q_LAST.fullmatch(t):
        _check_quarter(s, int(m[2]))
        return Period(PeriodKind.QUARTER, int(m[1]), int(m[2]))
    if m := _DAY_MONTH.fullmatch(t):
        month = _MONTH_NAMES.get(m[2])
        if month is not None:
            return _date(s, int(m[3]), month, int(m[1]))
        return None
    if m := _MONTH_WORD.fullmatch(t):
        month = _MONTH_NAMES.get(m[1])
        if month is None:
            return None
        if len(m[3]) == 4:
            return Period(PeriodKind.MONTH, int(m[3]), month)
        if m[2] and "-" in m[2]:
            # Jun-19: how spreadsheets show a month (mmm-yy); the year is 2019.
            return Period(PeriodKind.MONTH, 2000 + int(m[3]), month)
        name = month_name(month)
        raise PeriodError(
            f'"{s}" could mean {name} 20{m[3]} or {int(m[3])} {name}; write '
            f"{month_abbr(month)}-{m[3]} or 20{m[3]}-{month:02d} for the month, or the day as "
            "YYYY-MM-DD"
        )
    return None


def _fy_first(s: str, first_text: str, second_text: str) -> int:
    """The first year of a financial year written ``2019/20``, ``2019-20`` or ``2019/2020``."""
    first, second = int(first_text), int(second_text)
    follows = second == first + 1 if len(second_text) == 4 else second == (first + 1) % 100
    if not follows:
        expected = f"{first}/{(first + 1) % 100:02d}"
        raise PeriodError(
            f'"{s}" is not a financial year: the second year must follow the first; '
            f"write {expected}"
        )
    return first


def _fy_quarter(s: str, first: str, second: str, quarter: str, fy_start_month: int) -> Period:
    year = _fy_first(s, first, second)
    _check_quarter(s, int(quarter))
    return Period(PeriodKind.FINANCIAL_QUARTER, year, int(quarter), fy_start_month=fy_start_month)


def _check_quarter(s: str, q: int) -> None:
    if not 1 <= q <= 4:
        raise PeriodError(f'"{s}" is not a period: quarters are Q1 to Q4')


def _check_fy(s: str, first: int, second: int) -> None:
    if second != (first + 1) % 100:
        expected = f"{first}/{(first + 1) % 100:02d}"
        raise PeriodError(
            f'"{s}" is not a financial year: the second year must follow the first; '
            f"write {expected}"
        )


def suggest(s: str) -> str | None:
    """The SPEC form a spelling perfpages does not accept means ("19/20" -> "2019/20"), when
    that is clear: a two-digit first year, a day/month/year date, a one-digit month."""
    t = " ".join(s.replace("\u2013", "-").split())
    # Q4 17/18, 17/18 Q4
    if m := re.fullmatch(r"[Qq]([1-4]) (\d{2})/\d{2}", t):
        first = 2000 + int(m[2])
        return f"{first}/{(first + 1) % 100:02d} Q{m[1]}"
    if m := re.fullmatch(r"(\d{2})/\d{2} ?[Qq]([1-4])", t):
        first = 2000 + int(m[1])
        return f"{first}/{(first + 1) % 100:02d} Q{m[2]}"
    if m := re.fullmatch(r"(\d{2})/(\d{2})", t):
        first = 2000 + int(m[1])
        return f"{first}/{(first + 1) % 100:02d}"
    # 30/09/2019 (UK day/month/year)
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t):
        return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    # 2019-7
    if m := re.fullmatch(r"(\d{4})-(\d)", t):
        return f"{m[1]}-0{m[2]}"
    return None


def financial_year_of(day: dt.date, fy_start_month: int) -> int:
    """The first calendar year of the financial year containing ``day``."""
    return day.year if day.month >= fy_start_month else day.year - 1
