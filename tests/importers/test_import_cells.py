"""Reading spreadsheet cells: numbers, missing-value words, ratings, periods and dates, headers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from generator.importers.cells import (
    CellError,
    Missing,
    Number,
    PeriodContext,
    read_number,
    read_period,
    read_rating,
    read_reason,
)
from generator.importers.columns import MappingFile, find_columns, fold
from generator.importers.tables import Cell, Row, Table, _read_csv, column_letter
from generator.site.problems import Problem


def number(value: object, fmt: str = "General", percent: bool = False) -> Number | Missing:
    return read_number(Cell(value, fmt), percent)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "percent", "expected"),
    [
        ("85.1", False, "85.1"),
        ("85.10", False, "85.10"),  # the places written are kept (they set the display)
        (" 1,234 ", False, "1234"),
        ("1,234,567.5", False, "1234567.5"),
        ("-3.5", False, "-3.5"),
        ("\u22123.5", False, "-3.5"),  # a true minus sign, as Word and Excel may write it
        ("85%", True, "85"),
        ("85.5 %", True, "85.5"),
        (85.1, False, "85.1"),
        (27, False, "27"),
        (0.1 + 0.2, False, "0.3"),  # Excel shows 15 significant digits
    ],
)
def test_numbers(cell: object, percent: bool, expected: str) -> None:
    found = number(cell, percent=percent)
    assert isinstance(found, Number)
    assert found.text == expected


def test_percent_formatted_cell_is_read_as_shown() -> None:
    found = number(0.851, "0.0%", percent=True)
    assert isinstance(found, Number) and found.text == "85.1"
    found = number(1, "0%", percent=True)
    assert isinstance(found, Number) and found.text == "100"


def test_percent_cell_for_an_indicator_that_is_not_a_percentage_is_refused() -> None:
    with pytest.raises(CellError, match=r"shows 85\.1% but the indicator's unit is not percent"):
        number(0.851, "0.0%", percent=False)
    with pytest.raises(CellError, match='"85%" is a percentage but the indicator'):
        number("85%", percent=False)


@pytest.mark.parametrize(
    ("word", "reason"),
    [
        ("TBC", "tbc"),
        ("tba", "tbc"),
        ("To be confirmed", "tbc"),
        ("n/a", "not_available"),
        ("N/A", "not_available"),
        ("-", "not_available"),
        ("..", "not_available"),
        ("[x]", "not_available"),
        ("[c]", "suppressed"),
        ("Not due", "not_due"),
    ],
)
def test_missing_words(word: str, reason: str) -> None:
    assert number(word) == Missing(reason)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("abc", '"abc" is not a number; write a plain number such as 85.1, or TBC'),
        ("1,2345", "its commas do not group thousands"),
        ("12,5", "its commas do not group thousands"),
        ("£1,200", "has a currency sign"),
        (">72", "is not a single number"),
        ("#DIV/0!", "the Excel error #DIV/0!"),
        (True, "TRUE is not a number"),
        (dt.datetime(2019, 7, 1), "holds a date or time"),
    ],
)
def test_unreadable_numbers(cell: object, message: str) -> None:
    with pytest.raises(CellError, match=message.replace("(", r"\(").replace(")", r"\)")):
        number(cell)


def test_missing_words_are_refused_where_a_number_is_required() -> None:
    with pytest.raises(CellError, match="leave the cell empty"):
        read_number(Cell("TBC"), False, allow_missing=False)


def test_reasons_and_ratings() -> None:
    assert read_reason(Cell("Not available")) == "not_available"
    assert read_reason(Cell("not-due")) == "not_due"
    assert read_reason(Cell("")) is None
    with pytest.raises(CellError, match="write one of tbc, not_available, not_due, suppressed"):
        read_reason(Cell("late"))
    assert read_rating(Cell("G")) == "green"
    assert read_rating(Cell("Amber")) == "amber"
    with pytest.raises(CellError, match='"purple" is not a rating'):
        read_rating(Cell("purple"))


MONTHLY = PeriodContext(4, "monthly", False)
QUARTERLY_FY = PeriodContext(4, "quarterly", True)
QUARTERLY_CAL = PeriodContext(4, "quarterly", False)
ANNUAL_FY = PeriodContext(4, "annual", True)
IRREGULAR = PeriodContext(4, "other", False)


@pytest.mark.parametrize(
    ("value", "fmt", "context", "expected"),
    [
        ("2019/20 Q3", "General", MONTHLY, "2019/20 Q3"),
        (2019, "General", ANNUAL_FY, "2019"),
        (2019.0, "General", ANNUAL_FY, "2019"),
        # "Oct-19" in Excel: the first of the month, shown without its day.
        (dt.datetime(2019, 10, 1), "mmm-yy", MONTHLY, "2019-10"),
        (dt.datetime(2019, 10, 1), "mmm-yy", IRREGULAR, "2019-10"),
        # A full date is the month, quarter or year it starts or ends, by frequency.
        (dt.datetime(2019, 10, 31), "dd/mm/yyyy", MONTHLY, "2019-10"),
        (dt.datetime(2019, 10, 1), "dd/mm/yyyy", QUARTERLY_FY, "2019/20 Q3"),
        (dt.datetime(2019, 12, 31), "dd/mm/yyyy", QUARTERLY_FY, "2019/20 Q3"),
        (dt.datetime(2019, 12, 31), "dd/mm/yyyy", QUARTERLY_CAL, "2019 Q4"),
        (dt.datetime(2020, 3, 31), "d mmm yyyy", ANNUAL_FY, "2019/20"),
        (dt.datetime(2019, 9, 30), "dd/mm/yyyy", IRREGULAR, "2019-09-30"),
        # Text as councils write it (issue 14): read as the period, written canonically.
        ("Q3 2019/20", "General", QUARTERLY_FY, "2019/20 Q3"),
        ("Quarter 3 2019-20", "General", QUARTERLY_FY, "2019/20 Q3"),
        ("2019-20 Q3", "General", QUARTERLY_FY, "2019/20 Q3"),
        ("Apr-19", "General", MONTHLY, "2019-04"),
        ("Sept 2019", "General", MONTHLY, "2019-09"),
        ("2019-20", "General", ANNUAL_FY, "2019/20"),
    ],
)
def test_periods(value: object, fmt: str, context: PeriodContext, expected: str) -> None:
    assert read_period(Cell(value, fmt), context).text == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "fmt", "context", "message"),
    [
        ("Q3 19/20", "General", QUARTERLY_FY, '"Q3 19/20" is not a period; write 2019/20 Q3'),
        ("Q5 2019/20", "General", QUARTERLY_FY, '"Q5 2019/20" is not a period: quarters are Q1'),
        ("Apr 19", "General", MONTHLY, '"Apr 19" could mean April 2019 or 19 April; write'),
        ("2019/21", "General", MONTHLY, "the second year must follow the first; write 2019/20"),
        (
            dt.datetime(2019, 10, 15),
            "dd/mm/yyyy",
            MONTHLY,
            "the date 15 Oct 2019 is ambiguous for a monthly indicator; write the period as "
            "text, e.g. 2019-10 (or 2019-10-15 for that day)",
        ),
        (
            dt.datetime(2019, 11, 1),
            "dd/mm/yyyy",
            QUARTERLY_FY,
            "ambiguous for a quarterly indicator; write the period as text, e.g. 2019/20 Q3",
        ),
        (
            dt.datetime(2019, 10, 1),
            "mmm-yy",
            QUARTERLY_FY,
            "the cell shows the month Oct 2019, but the indicator is quarterly",
        ),
        (2019.5, "General", MONTHLY, "2019.5 is not a period"),
    ],
)
def test_unreadable_periods(value: object, fmt: str, context: PeriodContext, message: str) -> None:
    with pytest.raises(CellError) as error:
        read_period(Cell(value, fmt), context)  # type: ignore[arg-type]
    assert message in str(error.value)


def test_number_keeps_decimal_precision() -> None:
    assert Number(Decimal("2.50")).text == "2.50"
    assert Number(Decimal("-0")).text == "0"


# ---- Columns -------------------------------------------------------------------------------------


def table(*rows: list[object]) -> Table:
    return Table(
        "q3.csv",
        [Row(i, [Cell(v) for v in r]) for i, r in enumerate(rows, 1)],  # type: ignore[arg-type]
    )


def test_fold_headers() -> None:
    assert fold("Indicator_ID") == "indicator id"
    assert fold("  KPI  Ref. ") == "kpi ref"
    assert fold("Value (%)") == "value"
    assert fold("Missing-Reason") == "missing reason"


def test_columns_found_under_a_title_row_by_synonyms() -> None:
    problems: list[Problem] = []
    found = find_columns(
        table(
            ["Quarterly return"],
            [],
            ["KPI", "Quarter", "Actual", "RAG", "Comments", "Directorate"],
            ["a", "2019/20 Q3", "1"],
        ),
        MappingFile(),
        problems,
    )
    assert problems == []
    assert found is not None
    assert found.header_row == 3
    assert found.index == {
        "indicator": 0,
        "period": 1,
        "value": 2,
        "rating": 3,
        "note": 4,
    }
    assert found.ignored == ["Directorate"]


def test_codes_win_over_names_and_the_choice_is_reported() -> None:
    found = find_columns(table(["Measure", "Ref", "Value"]), MappingFile(), [])
    assert found is not None and found.index["indicator"] == 1
    assert found.notes == ['used "Ref" as the indicator column, not "Measure"']


def test_two_equally_good_columns_are_a_clash() -> None:
    problems: list[Problem] = []
    assert find_columns(table(["ID", "Actual", "Actual"]), MappingFile(), problems) is None
    assert [p.message for p in problems] == [
        'both "Actual" (B) and "Actual" (C) could be the value column; name the right one in '
        "the mapping file (columns: {value: ...})"
    ]


def test_missing_value_column_is_reported_with_the_headers() -> None:
    problems: list[Problem] = []
    assert find_columns(table(["Indicator", "Quarter", "Amount"]), MappingFile(), problems) is None
    assert len(problems) == 1
    assert (
        problems[0]
        .format()
        .startswith(
            'q3.csv:row 1: no column for the value was found (headers: "Indicator", "Quarter", '
            '"Amount"); name it "value", "actual"'
        )
    )


def test_mapping_names_columns() -> None:
    mapping = MappingFile(columns={"indicator": "Code", "value": "Amount"})
    found = find_columns(table(["Code", "Period", "Amount"]), mapping, [])
    assert found is not None and found.index == {"indicator": 0, "value": 2, "period": 1}
    problems: list[Problem] = []
    assert find_columns(table(["Code", "Period"]), mapping, problems) is None
    assert 'the mapping names the column "Amount" for value' in problems[0].message


def test_csv_reading_semicolons_and_windows_encoding() -> None:
    found = _read_csv("Indicator;Period;Value\r\nà;2019;1,5\r\n".encode("cp1252"), "x.csv")
    assert [c.value for c in found.rows[1].cells] == ["à", "2019", "1,5"]
    assert any("Windows-1252" in n for n in found.notes)
    assert any("';'" in n for n in found.notes)


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
