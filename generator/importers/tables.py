"""Read a CSV or XLSX file into numbered rows of cells, as the user sees them in Excel.

Row numbers are the spreadsheet's own (the header is usually row 1), so that a message such as
``q3.csv:row 14, column "value": ...`` points at the row the user sees. XLSX cells keep their
type (number, text, date) and number format, because "85%" in Excel is the number 0.85 shown
with a percent format, and "Jul-19" is a date shown without its day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator.site.problems import Problem

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | None

MAX_TABLE_BYTES = 50_000_000
MAX_ROWS = 200_000


class TableError(Exception):
    """The file cannot be read as a table at all."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class Cell:
    value: CellValue
    number_format: str = "General"  # XLSX only; CSV cells are always text

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())

    @property
    def is_percent_format(self) -> bool:
        return "%" in _unquoted(self.number_format)

    @property
    def shows_day(self) -> bool:
        """Whether a date cell's format shows the day ("dd/mm/yyyy"), not only the month."""
        return "d" in _unquoted(self.number_format).lower()


def _unquoted(number_format: str) -> str:
    """A number format without its literal text ("0.0 \"days\"") and escaped characters."""
    return re.sub(r'"[^"]*"|\\.', "", number_format)


@dataclass
class Row:
    number: int  # as numbered in the spreadsheet (1 = first row)
    cells: list[Cell]

    def cell(self, index: int) -> Cell:
        return self.cells[index] if index < len(self.cells) else Cell(None)

    @property
    def blank(self) -> bool:
        return all(c.blank for c in self.cells)


@dataclass
class Table:
    source: str  # the name used in messages
    rows: list[Row]
    sheet: str | None = None  # the XLSX sheet read
    sheets: list[str] = field(default_factory=list)  # every sheet in the workbook
    notes: list[str] = field(default_factory=list)  # how the file was read, for the summary
    xlsx: bool = False


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(path: Path, source: str, sheet: str | None = None, kind: str | None = None) -> Table:
    """Read ``path`` as ``kind`` (csv or xlsx; by default by its suffix); raise TableError when
    it cannot be read."""
    suffix = path.suffix.lower()
    if kind == "csv":
        suffix = ".csv"
    elif kind == "xlsx" and suffix not in (".xlsx", ".xlsm", ".xls"):
        suffix = ".xlsx"
    try:
        size = path.stat().st_size
    except OSError as e:
        raise TableError(Problem.in_sheet(source, 0, "", f"cannot be read: {e.strerror}")) from None
    if size > MAX_TABLE_BYTES:
        raise TableError(
            Problem.in_sheet(
                source,
                0,
                "",
                f"is {size / 1_000_000:.0f} MB, over the {MAX_TABLE_BYTES // 1_000_000} MB "
                "limit; import one quarter's figures at a time",
            )
        )
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, source, sheet)
    if suffix == ".xls":
        raise TableError(
            Problem.in_sheet(
                source,
                0,
                "",
                "is an old-style Excel file (.xls); in Excel choose Save As, "
                "Excel Workbook (.xlsx), and import that",
            )
        )
    if sheet is not None:
        raise TableError(
            Problem.in_sheet(source, 0, "", "is a CSV file, which has no sheets; remove --sheet")
        )
    return _read_csv(path.read_bytes(), source)


# ---- CSV -----------------------------------------------------------------------------------------


def _read_csv(raw: bytes, source: str) -> Table:
    """A CSV file's rows, every cell as text; TableError when it cannot be read as a table.

    UTF-8 (with or without Excel's byte order mark) is expected; a file that is not is read as
    Windows-1252, which Excel's plain CSV writes; a semicolon or tab separator is found from the
    first line that is not blank. Both are noted, for the summary."""
    notes: list[str] = []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(
            Problem.in_sheet(
                source, 0, "", "is saved as UTF-16; in Excel choose Save As, CSV UTF-8"
            )
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV (Comma delimited)" is saved in the Windows code page.
        text = raw.decode("cp1252", errors="replace")
        notes.append(
            "the file is not UTF-8; it was read as Windows-1252 (Excel's plain CSV); "
            "save as CSV UTF-8 to avoid this"
        )
    delimiter = _delimiter(text)
    if delimiter != ",":
        notes.append(f"columns are separated by {'tabs' if delimiter == chr(9) else delimiter!r}")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    try:
        for number, record in enumerate(reader, 1):
            if number > MAX_ROWS:
                raise TableError(
                    Problem.in_sheet(source, 0, "", f"has more than {MAX_ROWS:,} rows; split it")
                )
            rows.append(Row(number, [Cell(value) for value in record]))
    except csv.Error as e:
        raise TableError(
            Problem.in_sheet(source, reader.line_num, "", f"is not a readable CSV file: {e}")
        ) from None
    return Table(source, rows, notes=notes)


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab that European Excel and some systems write instead."""
    for line in text.splitlines():
        if line.strip():
            counts = {d: line.count(d) for d in (",", ";", "\t")}
            best = max(counts, key=lambda d: (counts[d], d == ","))
            return best if counts[best] else ","
    return ","


# ---- XLSX ----------------------------------------------------------------------------------------


def _read_xlsx(path: Path, source: str, sheet: str | None) -> Table:
    """The rows of one sheet of an XLSX workbook (the first visible one unless ``sheet`` names
    another), each cell with its type and number format; TableError when it cannot be read.

    The workbook is opened twice, for the values Excel saved and for the formulas, so that a
    formula whose result was never saved is told apart from an empty cell."""
    import warnings
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        raw = path.read_bytes()
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it ignores (data validation, styles).
            warnings.simplefilter("ignore")
            # From bytes, so that a workbook saved under another name (export.txt) still opens.
            values = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
            formulas = openpyxl.load_workbook(io.BytesIO(raw), data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as e:
        raise TableError(
            Problem.in_sheet(
                source,
                0,
                "",
                f"is not a readable Excel workbook ({e.__class__.__name__}); open it in Excel "
                "and save it again as .xlsx, or export it as CSV UTF-8",
            )
        ) from None
    names = list(values.sheetnames)
    visible = [ws.title for ws in values.worksheets if ws.sheet_state == "visible"]
    notes: list[str] = []
    if sheet is None:
        chosen = visible[0] if visible else names[0]
        if len(visible) > 1:
            others = ", ".join(f'"{n}"' for n in visible if n != chosen)
            notes.append(
                f'read the first sheet, "{chosen}" (others: {others}; choose with --sheet)'
            )
    elif sheet in names:
        chosen = sheet
    else:
        raise TableError(
            Problem.in_sheet(
                source,
                0,
                "",
                f'has no sheet "{sheet}"; its sheets are: ' + ", ".join(f'"{n}"' for n in names),
            )
        )
    ws = values[chosen]
    ws_formulas = formulas[chosen]
    rows: list[Row] = []
    for number, (row, formula_row) in enumerate(
        zip(ws.iter_rows(), ws_formulas.iter_rows(), strict=False), 1
    ):
        if number > MAX_ROWS:
            raise TableError(Problem.in_sheet(source, 0, "", f"has more than {MAX_ROWS:,} rows"))
        cells: list[Cell] = []
        for cell, formula_cell in zip(row, formula_row, strict=False):
            value = cell.value
            if (
                value is None
                and isinstance(formula_cell.value, str)
                and (formula_cell.value.startswith("="))
            ):
                # The workbook was written by a program that does not store formula results.
                value = _NoResult(formula_cell.value)
            cells.append(Cell(_plain(value), cell.number_format or "General"))
        rows.append(Row(number, cells))
    return Table(source, rows, sheet=chosen, sheets=names, notes=notes, xlsx=True)


def _plain(value: object) -> CellValue:
    """openpyxl's cell value as one of the plain types the importer reads."""
    if value is None or isinstance(value, (str, bool, int, float, dt.datetime, dt.date, dt.time)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)  # rich text, durations, array formulas: read as their text


class _NoResult(str):
    """A formula cell whose result was never saved: its value cannot be known without Excel."""
