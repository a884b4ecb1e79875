"""A workbook is checked before openpyxl reads it (issue 15): a few kilobytes can declare a sheet
of a million rows by 16,384 columns, unpack to hundreds of megabytes, or carry a DTD. Each is
refused at once with a message, never after minutes or with a traceback.

The limit checks are told apart from openpyxl's own failures by their messages; the timeout
of ``_refused`` only guards against a hang, it measures nothing."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.importers.tables import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    TableError,
    read_table,
)
from tests.conftest import run_cli

SHEET = "xl/worksheets/sheet1.xml"


def _workbook(path: Path, far_cell: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["indicator", "period", "value"])
    ws.append(["test-measure", "2019/20 Q2", 91])
    if far_cell:
        ws[far_cell] = 1
    wb.save(path)
    return path


def _rewrite(path: Path, name: str, change: object) -> None:
    """Replace the part ``name`` of the workbook at ``path`` by ``change(old bytes)``."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            target.writestr(info.filename, change(data) if info.filename == name else data)  # type: ignore[operator]


def _refused(path: Path) -> str:
    started = time.monotonic()
    with pytest.raises(TableError) as e:
        read_table(path, "q3.xlsx")
    assert time.monotonic() - started < 60  # a guard against a hang, not a measurement
    return e.value.problem.message


def test_a_far_cell_is_refused_by_the_declared_range(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "q3.xlsx", "XFD1048576")
    assert path.stat().st_size < 10_000
    message = _refused(path)
    assert message.startswith(f"{SHEET} (its range is A1:XFD1048576) reaches row 1,048,576")
    assert "column 16,384" in message


def test_a_far_cell_is_refused_without_a_declared_range(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "q3.xlsx", "XFD1048576")
    _rewrite(path, SHEET, lambda data: re.sub(rb"<dimension [^>]*/>", b"", data))
    message = _refused(path)
    assert message.startswith('the sheet "Sheet" reaches row 1,048,576 and column 16,384')


def test_a_huge_shared_string_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "q3.xlsx")
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/padding.xml", "w") as part,
    ):
        chunk = b"a" * (1 << 20)
        for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
            part.write(chunk)
    assert path.stat().st_size < 1_000_000
    assert "over the limit of 200 MB for a workbook" in _refused(path)


def test_a_million_rows_are_refused_while_counted(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "q3.xlsx")
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 1_000_001)
    )

    def many_rows(data: bytes) -> bytes:
        data = re.sub(rb"<dimension [^>]*/>", b"", data)
        return re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData>" + rows + b"</sheetData>", data)

    _rewrite(path, SHEET, many_rows)
    assert path.stat().st_size < 10_000_000
    assert f"holds more than {MAX_ROWS:,} rows or {MAX_CELLS:,} cells" in _refused(path)


def test_a_dtd_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "q3.xlsx")
    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    _rewrite(path, SHEET, lambda data: re.sub(rb"<(?=worksheet)", dtd + b"<", data, count=1))
    assert _refused(path).startswith(f"has a document type declaration (DTD) in {SHEET}")


def test_the_command_reports_a_limit_without_a_traceback(tmp_path: Path, make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    path = _workbook(tmp_path / "q3.xlsx", "XFD1048576")
    result = run_cli("import", path, site.root)
    assert result.exit_code == 1
    assert "reaches row 1,048,576" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_csv_row_of_millions_of_columns_is_refused(tmp_path: Path) -> None:
    """Issue 15, point 4: a 9.5 MB CSV of one row of 4.7 million cells ran for more than five
    minutes (every header was matched); it is refused as a workbook's sheet would be."""
    path = tmp_path / "q3.csv"
    path.write_text(",".join(["c"] * 4_750_000) + "\n")
    with pytest.raises(TableError) as e:
        read_table(path, "q3.csv")
    assert e.value.problem.message.startswith(
        f"row 1 has 4,750,000 columns, over the limit of {MAX_COLUMNS:,}; check the separator"
    )


def test_a_csv_of_too_many_cells_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q3.csv"
    row = ",".join(["1"] * 999) + "\n"
    path.write_text(row * (MAX_CELLS // 999 + 1))
    with pytest.raises(TableError) as e:
        read_table(path, "q3.csv")
    assert e.value.problem.message == (
        f"holds more than {MAX_CELLS:,} cells; import one quarter's figures at a time"
    )
