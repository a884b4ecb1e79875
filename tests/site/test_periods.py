"""Periods: the written forms, spans, order, labels, slugs and the helpful errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.site.periods import SCHEMA_PATTERN, Period, PeriodError, PeriodKind, parse_period

D = dt.date


@pytest.mark.parametrize(
    ("written", "kind", "start", "end", "label", "slug"),
    [
        ("2019", PeriodKind.YEAR, D(2019, 1, 1), D(2019, 12, 31), "2019", "2019"),
        ("2019 Q3", PeriodKind.QUARTER, D(2019, 7, 1), D(2019, 9, 30), "Q3 2019", "2019-q3"),
        ("2019-07", PeriodKind.MONTH, D(2019, 7, 1), D(2019, 7, 31), "Jul 2019", "2019-07"),
        ("2020-02", PeriodKind.MONTH, D(2020, 2, 1), D(2020, 2, 29), "Feb 2020", "2020-02"),
        (
            "2019-09-30",
            PeriodKind.DATE,
            D(2019, 9, 30),
            D(2019, 9, 30),
            "30 Sep 2019",
            "2019-09-30",
        ),
        ("2019/20", PeriodKind.FINANCIAL_YEAR, D(2019, 4, 1), D(2020, 3, 31), "2019/20", "2019-20"),
        (
            "2019/20 Q2",
            PeriodKind.FINANCIAL_QUARTER,
            D(2019, 7, 1),
            D(2019, 9, 30),
            "Q2 2019/20",
            "2019-20-q2",
        ),
        (
            "2019/20 Q4",
            PeriodKind.FINANCIAL_QUARTER,
            D(2020, 1, 1),
            D(2020, 3, 31),
            "Q4 2019/20",
            "2019-20-q4",
        ),
        ("1999/00", PeriodKind.FINANCIAL_YEAR, D(1999, 4, 1), D(2000, 3, 31), "1999/00", "1999-00"),
    ],
)
def test_six_forms(written, kind, start, end, label, slug):
    p = parse_period(written)
    assert (p.kind, p.start, p.end, p.label, p.slug, p.text) == (
        kind,
        start,
        end,
        label,
        slug,
        written,
    )


def test_year_written_as_a_yaml_number():
    assert parse_period(2019) == parse_period("2019")


@pytest.mark.parametrize(
    ("month", "fy", "q1", "q4"),
    [
        (
            4,
            (D(2019, 4, 1), D(2020, 3, 31)),
            (D(2019, 4, 1), D(2019, 6, 30)),
            (D(2020, 1, 1), D(2020, 3, 31)),
        ),
        (
            7,
            (D(2019, 7, 1), D(2020, 6, 30)),
            (D(2019, 7, 1), D(2019, 9, 30)),
            (D(2020, 4, 1), D(2020, 6, 30)),
        ),
        (
            10,
            (D(2019, 10, 1), D(2020, 9, 30)),
            (D(2019, 10, 1), D(2019, 12, 31)),
            (D(2020, 7, 1), D(2020, 9, 30)),
        ),
        (
            1,
            (D(2019, 1, 1), D(2019, 12, 31)),
            (D(2019, 1, 1), D(2019, 3, 31)),
            (D(2019, 10, 1), D(2019, 12, 31)),
        ),
    ],
)
def test_financial_year_start_is_configurable(month, fy, q1, q4):
    year = parse_period("2019/20", month)
    assert (year.start, year.end) == fy
    first = parse_period("2019/20 Q1", month)
    last = parse_period("2019/20 Q4", month)
    assert (first.start, first.end) == q1
    assert (last.start, last.end) == q4


def test_same_days_are_the_same_period():
    assert parse_period("2019 Q3") == parse_period("2019/20 Q2")
    assert parse_period("2019 Q3") != parse_period("2019/20 Q2", 7)
    assert len({parse_period("2019 Q3"), parse_period("2019/20 Q2")}) == 1


def test_ordered_by_end_then_longer_first():
    written = ["2019-09", "2019/20 Q2", "2019/20", "2020-03", "2019/20 Q4", "2019-09-15", "2019"]
    ordered = sorted(parse_period(w) for w in written)
    assert [p.text for p in ordered] == [
        "2019-09-15",
        "2019/20 Q2",  # ends 30 Sep 2019, longer than the month ending the same day
        "2019-09",
        "2019",  # ends 31 Dec 2019
        "2019/20",  # ends 31 Mar 2020, before its own fourth quarter and last month
        "2019/20 Q4",
        "2020-03",
    ]


@pytest.mark.parametrize(
    ("written", "previous"),
    [
        ("2019/20 Q1", "2018/19 Q4"),
        ("2019/20 Q2", "2019/20 Q1"),
        ("2019 Q1", "2018 Q4"),
        ("2019-01", "2018-12"),
        ("2019-07", "2019-06"),
        ("2019/20", "2018/19"),
        ("2019", "2018"),
        ("2020-02-29", "2019-02-28"),
    ],
)
def test_previous_period_of_the_same_form(written, previous):
    assert parse_period(written).previous().text == previous


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("Q4 17/18", '"Q4 17/18" is not a period; write 2017/18 Q4'),
        ("17/18 Q4", '"17/18 Q4" is not a period; write 2017/18 Q4'),
        ("19/20", '"19/20" is not a period; write 2019/20'),
        ("30/09/2019", '"30/09/2019" is not a period; write 2019-09-30'),
        ("2019-7", '"2019-7" is not a period; write 2019-07'),
        (
            "Jun 19",
            '"Jun 19" could mean June 2019 or 19 June; write Jun-19 or 2019-06 for the month, '
            "or the day as YYYY-MM-DD",
        ),
        ("Q5 2019/20", '"Q5 2019/20" is not a period: quarters are Q1 to Q4'),
        ("Quarter 0 2019-20", '"Quarter 0 2019-20" is not a period: quarters are Q1 to Q4'),
        (
            "Q1 2019/21",
            '"Q1 2019/21" is not a financial year: the second year must follow the first; '
            "write 2019/20",
        ),
        (
            "2019/2021",
            '"2019/2021" is not a financial year: the second year must follow the first; '
            "write 2019/20",
        ),
        ("2019-21", '"2019-21" is not a period: months run from 01 to 12'),
        (
            "31 Sep 2019",
            '"31 Sep 2019" is not a date that exists (September 2019 has 30 days); '
            "write it as YYYY-MM-DD",
        ),
        (
            "Q1 0219/20",
            '"Q1 0219/20" is not a period perfpages can show: the year must be between 1000 '
            "and 9998",
        ),
        (
            "2019/21",
            '"2019/21" is not a financial year: the second year must follow the first; write 2019/20',
        ),
        ("2019 Q5", '"2019 Q5" is not a period: quarters are Q1 to Q4'),
        ("2019-13", '"2019-13" is not a period: months run from 01 to 12'),
        (
            "2019-02-30",
            '"2019-02-30" is not a date that exists (February 2019 has 28 days); '
            "write it as YYYY-MM-DD",
        ),
    ],
)
def test_errors_say_what_to_write(written, message):
    with pytest.raises(PeriodError) as error:
        parse_period(written)
    assert str(error.value) == message


def test_unrecognisable_text_lists_every_form():
    with pytest.raises(PeriodError) as error:
        parse_period("last quarter")
    message = str(error.value)
    for form in ("2019 Q3", "2019-07", "2019-09-30", "2019/20", "2019/20 Q2"):
        assert form in message


def test_not_text():
    with pytest.raises(PeriodError):
        parse_period(True)  # type: ignore[arg-type]
    with pytest.raises(PeriodError):
        parse_period(2019.5)  # type: ignore[arg-type]


def test_period_is_hashable_and_printable():
    p = parse_period("2019/20 Q2")
    assert str(p) == "2019/20 Q2"
    assert repr(p) == "Period('2019/20 Q2')"
    assert isinstance(p, Period)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Q1 2019/20", "2019/20 Q1"),
        ("2019/20 Q1", "2019/20 Q1"),
        ("Quarter 1 2019/20", "2019/20 Q1"),
        ("Q1 2019-20", "2019/20 Q1"),
        ("2019-20 Q1", "2019/20 Q1"),
        ("Quarter 1 2019-20", "2019/20 Q1"),
        ("q1 2019/2020", "2019/20 Q1"),
        ("2019/20 Quarter 1", "2019/20 Q1"),
        ("Qtr 1 2019/20", "2019/20 Q1"),
        ("2010-11 Q1", "2010/11 Q1"),  # with a quarter, 2010-11 can only be a financial year
        ("Apr 2019", "2019-04"),
        ("April 2019", "2019-04"),
        ("APRIL  2019", "2019-04"),
        ("Jun-19", "2019-06"),
        ("June-19", "2019-06"),
        ("Jun-2019", "2019-06"),
        ("Sept 2019", "2019-09"),
        ("Sep 2019", "2019-09"),
        ("2019-20", "2019/20"),
        ("2012-13", "2012/13"),  # 13 is no month: the financial year 2012/13
        ("2019/2020", "2019/20"),
        ("2019-2020", "2019/20"),
        ("1999-00", "1999/00"),
        ("2019-12", "2019-12"),  # 12 is not 20: December 2019
        ("2010-11", "2010-11"),  # a month first: November 2010 (write 2010/11 for the year)
        ("Q3 2019", "2019 Q3"),
        ("Quarter 3 2019", "2019 Q3"),
        ("2019Q3", "2019 Q3"),
        ("30 Sep 2019", "2019-09-30"),
        ("1 September 2019", "2019-09-01"),
        ("2019\u201320", "2019/20"),  # an en dash, as word processors write it
    ],
)
def test_other_written_forms_mean_the_canonical_period(written, canonical):
    assert parse_period(written).text == canonical


def written_forms(p: Period) -> list[str]:
    """Every form the SPEC accepts for ``p``, built here from its parts, not from the parser."""
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    long = ["January", "February", "March", "April", "May", "June", "July", "August"]
    long += ["September", "October", "November", "December"]
    y, n = p.year, p.number
    if p.kind is PeriodKind.YEAR:
        return [f"{y}"]
    if p.kind is PeriodKind.QUARTER:
        return [f"{y} Q{n}", f"Q{n} {y}", f"Quarter {n} {y}", f"q{n} {y}", f"{y}Q{n}"]
    if p.kind is PeriodKind.MONTH:
        forms = [f"{y}-{n:02d}", f"{months[n - 1]} {y}", f"{long[n - 1]} {y}"]
        forms += [f"{months[n - 1]}-{y}", f"{months[n - 1].upper()} {y}"]
        if 2000 <= y <= 2099:
            forms.append(f"{months[n - 1]}-{y % 100:02d}")
        if n == 9:
            forms.append(f"Sept {y}")
        return forms
    if p.kind is PeriodKind.DATE:
        return [f"{y}-{n:02d}-{p.day:02d}", f"{p.day} {months[n - 1]} {y}"]
    second = f"{(y + 1) % 100:02d}"
    years = [f"{y}/{second}", f"{y}/{y + 1}", f"{y}-{y + 1}"]
    if not 1 <= int(second) <= 12:  # 2010-11 is November 2010; see the SPEC
        years.append(f"{y}-{second}")
    if p.kind is PeriodKind.FINANCIAL_YEAR:
        return years
    forms = [f"{fy} Q{n}" for fy in years] + [f"Q{n} {fy}" for fy in years]
    forms += [f"Quarter {n} {fy}" for fy in years] + [f"{y}-{second} Q{n}"]
    return forms


@st.composite
def periods(draw: st.DrawFn) -> Period:
    kind = draw(st.sampled_from(list(PeriodKind)))
    year = draw(st.integers(1001, 9997))
    fy_start = draw(st.integers(1, 12))
    if kind in (PeriodKind.QUARTER, PeriodKind.FINANCIAL_QUARTER):
        return Period(kind, year, draw(st.integers(1, 4)), fy_start_month=fy_start)
    if kind is PeriodKind.MONTH:
        return Period(kind, year, draw(st.integers(1, 12)))
    if kind is PeriodKind.DATE:
        day = draw(st.dates(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        return Period(kind, year, day.month, day.day)
    return Period(kind, year, fy_start_month=fy_start)


@given(periods())
def test_every_written_form_and_the_label_parse_back(p: Period) -> None:
    for written in [*written_forms(p), p.text, p.label]:
        back = parse_period(written, p.fy_start_month)
        assert back == p, written
        assert back.kind is p.kind, written
        assert back.text == p.text, written  # the canonical text, as files and URLs use it
        assert re.fullmatch(SCHEMA_PATTERN, written), written  # editors accept it too


@pytest.mark.parametrize("written", ["Q5 2019/20", "Jun 19", "2019.2", "last quarter", "19/20"])
def test_the_schema_pattern_refuses_what_no_form_matches(written):
    assert not re.fullmatch(SCHEMA_PATTERN, written)
