"""Periods: the six written forms, spans, order, labels, slugs and the helpful errors."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.site.periods import Period, PeriodError, PeriodKind, parse_period

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
        ("Apr-19", '"Apr-19" is not a period; write 2019-04'),
        ("April 2019", '"April 2019" is not a period; write 2019-04'),
        ("Q4 17/18", '"Q4 17/18" is not a period; write 2017/18 Q4'),
        ("Q2 2019/20", '"Q2 2019/20" is not a period; write 2019/20 Q2'),
        ("2019/20 q2", '"2019/20 q2" is not a period; write 2019/20 Q2'),
        ("2019-20", '"2019-20" is not a period; write 2019/20'),
        ("2019/2020", '"2019/2020" is not a period; write 2019/20'),
        ("Q3 2019", '"Q3 2019" is not a period; write 2019 Q3'),
        ("30/09/2019", '"30/09/2019" is not a period; write 2019-09-30'),
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
