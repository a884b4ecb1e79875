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
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator.site.problems import Problem

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | None

MAX_TABLE_BYTES = 50_000_000
MAX_ROWS = 200_000
# An XLSX workbook is checked against these before openpyxl reads it: a small file can unpack
# to gigabytes, or declare a sheet of a million rows by 16,384 columns.
MAX_COLUMNS = 1_000
MAX_CELLS = 2_000_000
MAX_UNPACKED_BYTES = 200_000_000


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
    # The records are counted first and made into cells once all are within the limits: a
    # file over them is refused without making a cell.
    records: list[list[str]] = []
    cells = 0
    try:
        for number, record in enumerate(reader, 1):
            if number > MAX_ROWS:
                raise TableError(
                    Problem.in_sheet(source, 0, "", f"has more than {MAX_ROWS:,} rows; split it")
                )
            # As a workbook's sheet is: a row of a million cells would take minutes to match.
            cells += len(record)
            if len(record) > MAX_COLUMNS or cells > MAX_CELLS:
                raise _refuse(
                    source,
                    f"row {number} has {len(record):,} columns, over the limit of "
                    f"{MAX_COLUMNS:,}; check the separator, or copy the table you mean to import "
                    "into a new file"
                    if len(record) > MAX_COLUMNS
                    else f"holds more than {MAX_CELLS:,} cells; import one quarter's figures at "
                    "a time",
                )
            records.append(record)
    except csv.Error as e:
        raise TableError(
            Problem.in_sheet(source, reader.line_num, "", f"is not a readable CSV file: {e}")
        ) from None
    rows = [
        Row(number, [Cell(value) for value in record]) for number, record in enumerate(records, 1)
    ]
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
        _check_workbook(raw, source)
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it ignores (data validation, styles).
            warnings.simplefilter("ignore")
            # From bytes, so that a workbook saved under another name (export.txt) still opens.
            values = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
            formulas = openpyxl.load_workbook(io.BytesIO(raw), data_only=False)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        OSError,
        ValueError,
        NotImplementedError,  # a compression method zipfile does not know
        zlib.error,
    ) as e:
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
    # The used range, before any row is read: one cell at XFD1048576 makes every row 16,384 wide.
    _check_size(source, f'the sheet "{chosen}"', ws.max_row, ws.max_column)
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


def _refuse(source: str, message: str) -> TableError:
    return TableError(Problem.in_sheet(source, 0, "", message))


def _check_size(source: str, what: str, rows: int, columns: int) -> None:
    """Refuse a sheet over MAX_ROWS rows or MAX_COLUMNS columns."""
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise _refuse(
            source,
            f"{what} reaches row {rows:,} and column {columns:,}, over the limits of "
            f"{MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns; copy the table you mean to import "
            "into a new workbook (cells far away that look empty still count)",
        )


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"((?:[A-Z]+\d+:)?([A-Z]+)(\d+))\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")


def _check_workbook(raw: bytes, source: str) -> None:
    """Refuse, before openpyxl reads it, a workbook whose parts unpack to more than
    MAX_UNPACKED_BYTES, that has a DTD (entities can expand without end), or whose sheets
    declare or hold more rows, columns or cells than can be imported. Each part is read as a
    stream, never more than it says it holds."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        return  # openpyxl's own error names the problem
    with archive:
        parts = archive.infolist()
        unpacked = sum(p.file_size for p in parts)
        if unpacked > MAX_UNPACKED_BYTES:
            raise _refuse(
                source,
                f"unpacks to {unpacked / 1_000_000:,.0f} MB, over the limit of "
                f"{MAX_UNPACKED_BYTES // 1_000_000} MB for a workbook; copy the table you mean "
                "to import into a new workbook",
            )
        for part in parts:
            if part.filename.endswith((".xml", ".rels")):
                _check_part(archive, part, source)


def _check_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, source: str) -> None:
    """One XML part of a workbook: no DTD, and for a sheet, a size that can be imported."""
    sheet = part.filename.startswith("xl/worksheets/")
    rows = cells = 0
    tail = b""
    with archive.open(part) as stream:
        read = 0
        while chunk := stream.read(1 << 20):
            read += len(chunk)
            if read > part.file_size:
                raise _refuse(source, "is damaged (a part is larger than it says)")
            data = tail + chunk
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                raise _refuse(
                    source,
                    f"has a document type declaration (DTD) in {part.filename}, which Excel "
                    "never writes and which can make reading it endless; open it in Excel and "
                    "save it again as .xlsx, or export it as CSV UTF-8",
                )
            if not sheet:
                tail = data[-16:]
                continue
            if rows == 0 and (m := _DIMENSION.search(data)):
                what = f"{part.filename} (its range is {m[1].decode()})"
                _check_size(source, what, int(m[3]), _column_number(m[2].decode()))
            rows += len(_ROW_TAG.findall(data)) - len(_ROW_TAG.findall(tail))
            cells += len(_CELL_TAG.findall(data)) - len(_CELL_TAG.findall(tail))
            if rows > MAX_ROWS or cells > MAX_CELLS:
                raise _refuse(
                    source,
                    f"{part.filename} holds more than {MAX_ROWS:,} rows or {MAX_CELLS:,} "
                    "cells; import one quarter's figures at a time",
                )
            tail = data[-16:]


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _plain(value: object) -> CellValue:
    """openpyxl's cell value as one of the plain types the importer reads."""
    if value is None or isinstance(value, (str, bool, int, float, dt.datetime, dt.date, dt.time)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)  # rich text, durations, array formulas: read as their text


class _NoResult(str):
    """A formula cell whose result was never saved: its value cannot be known without Excel."""
