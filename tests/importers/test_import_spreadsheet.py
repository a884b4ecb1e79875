"""``perfpages import FILE``: values into the YAML in place, every problem reported, all or
nothing written."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from generator.importers.apply import ChangedOnDisk, write_files
from generator.site.problems import Problems
from generator.site.yaml_reader import parse_yaml
from tests.conftest import SiteDir, run_cli, write

QUARTERLY = """\
# A comment at the top.
title: Test measure
priority: health
unit: percent
polarity: higher_is_better
target: 90  # from the business plan
values:
  - period: 2019/20 Q1
    value: 85
    # About the Q1 rating:
    rating: amber
    rating_reason: As published
  # This comment is about Q2.
  - period: 2019/20 Q2
    value: null   # awaited
    missing: tbc  # the provider is late
    # Comment after Q2's last field.
# A comment about the commentary.
commentary: |
  Some text.
"""


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def sheet(root: Path, text: str, name: str = "q.csv") -> Path:
    return write(root.parent / name, textwrap.dedent(text))


@pytest.fixture
def site(make_site: Callable[..., SiteDir]) -> SiteDir:
    return make_site(indicators={"test-measure.yml": QUARTERLY})


def read_values(path: Path) -> list[dict[str, object]]:
    doc = parse_yaml(path.read_bytes(), path, path.name, Problems())
    assert doc is not None
    return list(doc.data["values"])


def test_values_added_and_changed_in_place_keeping_every_comment(site: SiteDir) -> None:
    csv = sheet(
        site.root,
        """\
        Indicator,Period,Value,Note
        test-measure,2019/20 Q2,88.5,Provider data arrived late.
        test-measure,2019/20 Q3,91,
        test-measure,2019/20 Q1,85,
        test-measure,2018/19 Q4,80,
        """,
    )
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "indicators/test-measure.yml: 2 added, 1 changed, 1 unchanged",
        "    added    2018/19 Q4  80",
        "    changed  2019/20 Q2  no value (tbc) → 88.5; note: (none) → Provider data arrived "
        "late.",
        "    added    2019/20 Q3  91",
        "1 file changed: 2 values added, 1 changed, 1 unchanged",
    ]
    assert (
        (site.root / "indicators/test-measure.yml").read_text()
        == """\
# A comment at the top.
title: Test measure
priority: health
unit: percent
polarity: higher_is_better
target: 90  # from the business plan
values:
  - period: 2018/19 Q4
    value: 80
  - period: 2019/20 Q1
    value: 85
    # About the Q1 rating:
    rating: amber
    rating_reason: As published
  # This comment is about Q2.
  - period: 2019/20 Q2
    value: 88.5   # awaited
    note: Provider data arrived late.
    # the provider is late
    # Comment after Q2's last field.
  - period: 2019/20 Q3
    value: 91
# A comment about the commentary.
commentary: |
  Some text.
"""
    )


def test_new_period_between_items_goes_before_the_comment_about_the_next(site: SiteDir) -> None:
    path = site.indicator(
        "test-measure.yml",
        """\
        title: Test measure
        priority: health
        polarity: higher_is_better
        values:
          - period: 2019-01
            value: 1
          # March was late.
          - period: 2019-03
            value: 3
        """,
    )
    csv = sheet(site.root, "id,month,value\ntest-measure,2019-02,2\n")
    assert run_cli("import", csv, site.root).exit_code == 0
    assert path.read_text().splitlines()[3:] == [
        "values:",
        "  - period: 2019-01",
        "    value: 1",
        "  - period: 2019-02",
        "    value: 2",
        "  # March was late.",
        "  - period: 2019-03",
        "    value: 3",
    ]


def test_value_becomes_missing_and_newest_first_lists_stay_newest_first(site: SiteDir) -> None:
    path = site.indicator(
        "test-measure.yml",
        """\
        title: Test measure
        priority: health
        polarity: higher_is_better
        values:
        - period: "2019"
          value: 5
        - period: "2018"
          value: 4
        """,
    )
    csv = sheet(site.root, "KPI,Year,Result\ntest-measure,2020,6\ntest-measure,2019,n/a\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 0, result.stderr
    assert (
        "q.csv:row 3: warning: test-measure 2019: the value 5 is replaced by no value "
        "(not_available); check this is meant" in result.stderr
    )
    assert path.read_text().splitlines()[3:] == [
        "values:",
        '- period: "2020"',
        "  value: 6",
        '- period: "2019"',
        "  value: null",
        "  missing: not_available",
        '- period: "2018"',
        "  value: 4",
    ]


def test_empty_flow_list_becomes_a_block_list_and_dates_stay_plain(site: SiteDir) -> None:
    path = site.indicator(
        "test-measure.yml",
        "title: Test measure\npriority: health\npolarity: neutral\nvalues: []\n",
    )
    csv = sheet(site.root, "indicator,period,value\ntest-measure,2019-09-30,12\n")
    assert run_cli("import", csv, site.root).exit_code == 0
    assert path.read_text().endswith("values:\n  - period: 2019-09-30\n    value: 12\n")
    assert read_values(path) == [{"period": "2019-09-30", "value": 12}]


def test_crlf_and_byte_order_mark_are_kept(site: SiteDir) -> None:
    path = site.indicator(
        "test-measure.yml",
        b"\xef\xbb\xbftitle: T\r\npriority: health\r\npolarity: neutral\r\nvalues:\r\n"
        b"  - period: 2019/20 Q1\r\n    value: 1\r\n",
    )
    csv = sheet(site.root, "indicator,period,value\ntest-measure,2019/20 Q2,2\n")
    assert run_cli("import", csv, site.root).exit_code == 0
    assert path.read_bytes() == (
        b"\xef\xbb\xbftitle: T\r\npriority: health\r\npolarity: neutral\r\nvalues:\r\n"
        b"  - period: 2019/20 Q1\r\n    value: 1\r\n  - period: 2019/20 Q2\r\n    value: 2\r\n"
    )


def test_the_same_period_written_another_way_is_updated_not_added(site: SiteDir) -> None:
    csv = sheet(site.root, "indicator,period,value\ntest-measure,2019 Q2,86\n")
    result = run_cli("import", csv, site.root)  # 2019 Q2 is 2019/20 Q1 (April to June)
    assert result.exit_code == 0, result.stderr
    assert "changed  2019/20 Q1  85 → 86" in result.stdout
    assert "    value: 86\n" in (site.root / "indicators/test-measure.yml").read_text()


def test_target_change_becomes_steps(site: SiteDir) -> None:
    csv = sheet(site.root, "indicator,period,value,target\ntest-measure,2019/20 Q3,92,95\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 0, result.stderr
    assert "    changed  target from 2019/20 Q3: 90 → 95" in result.stdout
    text = (site.root / "indicators/test-measure.yml").read_text()
    assert text.splitlines()[5:10] == [
        "target:     # from the business plan",
        "  - from: 2019/20 Q1",
        "    value: 90",
        "  - from: 2019/20 Q3",
        "    value: 95",
    ]
    assert run_cli("validate", "--strict", site.root).exit_code == 0


def test_target_step_is_added_to_a_changing_target(make_site: Callable[..., SiteDir]) -> None:
    site = make_site(
        indicators={
            "m.yml": """\
            title: M
            priority: health
            polarity: higher_is_better
            target:
              - from: 2019/20 Q1
                value: 50   # first year
            values:
              - period: 2019/20 Q1
                value: 51
            """
        }
    )
    csv = sheet(site.root, "indicator,period,value,target\nm,2020/21 Q1,55,53\n")
    assert run_cli("import", csv, site.root).exit_code == 0
    assert (site.root / "indicators/m.yml").read_text().splitlines()[3:8] == [
        "target:",
        "  - from: 2019/20 Q1",
        "    value: 50   # first year",
        "  - from: 2020/21 Q1",
        "    value: 53",
    ]


def test_target_that_would_change_other_periods_is_refused(site: SiteDir) -> None:
    before = files_of(site.root)
    csv = sheet(site.root, "indicator,period,value,target\ntest-measure,2018/19 Q4,80,85\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 1
    assert (
        "q.csv:row 2: this target would also change the target of test-measure for 2019/20 Q1, "
        "which is not in the spreadsheet" in result.stderr
    )
    assert files_of(site.root) == before


def test_every_problem_with_row_and_column_and_nothing_written(
    make_site: Callable[..., SiteDir],
) -> None:
    site = make_site(
        indicators={
            "test-measure.yml": QUARTERLY,
            "count.yml": "title: C\npriority: health\npolarity: neutral\nvalues: []\n",
            "proj.yml": "title: P\npriority: health\nkind: project\nupdates:\n"
            "  - {period: 2019/20 Q1, rating: green, progress: progressing}\n",
        }
    )
    before = files_of(site.root)
    csv = sheet(
        site.root,
        """\
        Indicator,Period,Value,RAG,Missing reason
        test-measur,2019/20 Q3,1,,
        test-measure,Q3 19/20,1,,
        test-measure,2019/20 Q3,abc,,
        count,2019,85%,,
        test-measure,2019/20 Q4,1,purple,
        test-measure,2020/21 Q1,1,,late
        test-measure,2020/21 Q2,1,,tbc
        proj,2019/20 Q2,1,,
        ,2019/20 Q2,1,,
        count,2019,1,,
        count,2019,2,,
        Outcome 2 heading,,,,
        """,
    )
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        'q.csv:row 2, column "Indicator": "test-measur" is not an indicator of this site '
        "(by id, ref or title); did you mean test-measure?",
        'q.csv:row 3, column "Period": "Q3 19/20" is not a period; write 2019/20 Q3',
        'q.csv:row 4, column "Value": "abc" is not a number; write a plain number such as 85.1, '
        "or TBC / n/a when there is no value",
        'q.csv:row 5, column "Value": "85%" is a percentage but the indicator\'s unit is not '
        "percent; write the value in the indicator's unit, without %",
        'q.csv:row 6, column "RAG": "purple" is not a rating; write green, amber, red or blue '
        "(or G, A, R, B)",
        'q.csv:row 7, column "Missing reason": "late" is not a reason for a missing value; '
        "write one of tbc, not_available, not_due, suppressed",
        'q.csv:row 8, column "Missing reason": the row has a value (1) and a reason for a '
        "missing value (tbc); clear one of them",
        'q.csv:row 9, column "Indicator": proj is a project; projects take updates, which are '
        "edited in its file",
        'q.csv:row 10, column "Indicator": the row has a value but no indicator; write the '
        "indicator's id",
        "q.csv:row 12: count 2019 is given twice (rows 11 and 12); keep one of them",
        "10 problems in q.csv; nothing was written.",
    ]
    assert files_of(site.root) == before


def test_indicators_found_by_ref_or_title_but_never_guessed(
    make_site: Callable[..., SiteDir],
) -> None:
    measure = "priority: health\npolarity: neutral\nvalues: []\n"
    site = make_site(
        indicators={
            "a.yml": f"title: Same title\nref: PH-01\n{measure}",
            "b.yml": f"title: Same title\n{measure}",
        }
    )
    csv = sheet(site.root, "KPI,Period,Value\nph 01,2019,1\nsame title,2019,2\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        'q.csv:row 3, column "KPI": "same title" is the ref or title of several indicators '
        "(a, b); write the id instead"
    )
    csv = sheet(site.root, "KPI,Period,Value\nph 01,2019,1\nb,2019,2\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 0, result.stderr
    assert "indicators/a.yml: 1 added" in result.stdout


def test_dry_run_writes_nothing(site: SiteDir) -> None:
    before = files_of(site.root)
    csv = sheet(site.root, "indicator,period,value\ntest-measure,2019/20 Q3,91\n")
    result = run_cli("import", "--dry-run", csv, site.root)
    assert result.exit_code == 0
    assert "| Q3 2019/20 | — | 91% | added |" in result.stdout
    assert "Dry run: nothing was written." in result.stderr
    assert files_of(site.root) == before


def test_mapping_file_and_period_for_every_row(site: SiteDir) -> None:
    write(
        site.root / "import.yml",
        "columns:\n  indicator: Code\n  value: Q3 figure\nperiod: 2019/20 Q3\n",
    )
    csv = sheet(site.root, "Code,Q3 figure,Q2 figure\ntest-measure,91,88\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 0, result.stderr
    assert "added    2019/20 Q3  91" in result.stdout
    assert 'Columns not imported: "Q2 figure"' in result.stdout


def test_mapping_file_mistakes_are_reported_with_lines(site: SiteDir) -> None:
    mapping = write(site.root.parent / "m.yml", "columns:\n  indicator: Code\n  valeu: X\n")
    csv = sheet(site.root, "Code,X\ntest-measure,1\n")
    result = run_cli("import", "--mapping", mapping, csv, site.root)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'm.yml:1: columns: "valeu" is not a field to import; use: indicator, period, value'
    )


def test_no_period_anywhere(site: SiteDir) -> None:
    csv = sheet(site.root, "indicator,value\ntest-measure,91\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 1
    assert "no period column was found; add a column headed Period, or give the period of " in (
        result.stderr
    )
    result = run_cli("import", "--period", "2019/20 Q3", csv, site.root)
    assert result.exit_code == 0, result.stderr


def test_rows_without_a_value_are_left_alone(site: SiteDir) -> None:
    csv = sheet(site.root, "indicator,period,value\ntest-measure,2019/20 Q3,\n,,\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 0
    assert "Left alone: 1 row with no value (row 2)" in result.stdout
    assert "0 files changed" in result.stdout


def test_a_site_with_errors_is_not_imported_into(site: SiteDir) -> None:
    site.indicator("broken.yml", "title: B\npriority: nowhere\npolarity: neutral\nvalues: []\n")
    csv = sheet(site.root, "indicator,period,value\ntest-measure,2019/20 Q3,91\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 1
    assert 'indicators/broken.yml:2: priority: "nowhere" is not a priority' in result.stderr
    assert "Correct the site's files before importing; nothing was written." in result.stderr


def test_new_warnings_are_shown(site: SiteDir) -> None:
    csv = sheet(site.root, "indicator,period,value,rating\ntest-measure,2019/20 Q3,70,green\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 0
    assert "warning: 2019/20 Q3 is stated as green but the data gives red" in result.stderr


def test_rating_reason_needs_a_rating(site: SiteDir) -> None:
    csv = sheet(
        site.root, "indicator,period,value,rating reason\ntest-measure,2019/20 Q3,70,Agreed\n"
    )
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 1
    assert "q.csv:row 2: a rating reason is given without a rating" in result.stderr


def test_a_file_the_edit_cannot_keep_intact_is_refused(make_site: Callable[..., SiteDir]) -> None:
    # Two list styles in one file: ruamel.yaml would re-indent the benchmarks, which the import
    # does not touch; the check refuses rather than rewrite them.
    site = make_site(
        indicators={
            "m.yml": """\
            title: M
            priority: health
            polarity: higher_is_better
            benchmarks:
            - label: England
              value: 3
            values:
              - period: 2019/20 Q1
                value: 1
            """
        }
    )
    before = files_of(site.root)
    csv = sheet(site.root, "indicator,period,value\nm,2019/20 Q2,2\n")
    result = run_cli("import", csv, site.root)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "indicators/m.yml: cannot be updated safely: line 5 would change ('- label: England'), "
        "although the import does not change it; nothing was written"
    )
    assert files_of(site.root) == before


def test_write_files_refuses_a_file_changed_meanwhile(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("old")
    (tmp_path / "b.yml").write_text("edited by someone else")
    with pytest.raises(ChangedOnDisk):
        write_files(
            tmp_path,
            {"a.yml": b"new", "b.yml": b"new"},
            {"a.yml": b"old", "b.yml": b"what the import read"},
        )
    assert (tmp_path / "a.yml").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yml", "b.yml"]


# ---- XLSX ----------------------------------------------------------------------------------------


def workbook(path: Path, rows: list[list[object]], formats: dict[str, str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Data"
    for row in rows:
        ws.append(row)
    for cell, fmt in (formats or {}).items():
        ws[cell].number_format = fmt
    wb.save(path)
    return path


def test_xlsx_percent_cells_and_month_dates(make_site: Callable[..., SiteDir]) -> None:
    site = make_site(
        indicators={
            "m.yml": "title: M\npriority: health\nunit: percent\npolarity: neutral\n"
            "frequency: monthly\nvalues: []\n"
        }
    )
    path = workbook(
        site.root.parent / "m.xlsx",
        [["ID", "Month", "Actual"], ["m", dt.datetime(2019, 7, 1), 0.853]],
        {"B2": "mmm-yy", "C2": "0.0%"},
    )
    result = run_cli("import", path, site.root)
    assert result.exit_code == 0, result.stderr
    assert read_values(site.root / "indicators/m.yml") == [{"period": "2019-07", "value": 85.3}]


def test_xlsx_problems_name_the_column_letter(site: SiteDir) -> None:
    path = workbook(
        site.root.parent / "m.xlsx",
        [["ID", "Period", "Actual"], ["test-measure", "2019/20 Q3", "=1/0"]],
    )
    result = run_cli("import", path, site.root)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'm.xlsx:row 2, column "Actual" (C): the cell holds the formula =1/0 but no saved result;'
    )


def test_xlsx_sheet_choice(site: SiteDir) -> None:
    path = workbook(site.root.parent / "m.xlsx", [["ID", "Period", "Actual"]])
    result = run_cli("import", "--sheet", "Q3", path, site.root)
    assert result.exit_code == 1
    assert 'm.xlsx: has no sheet "Q3"; its sheets are: "Data"' in result.stderr


def test_old_excel_files_are_refused_with_what_to_do(site: SiteDir) -> None:
    path = write(site.root.parent / "old.xls", b"\xd0\xcf\x11\xe0")
    result = run_cli("import", path, site.root)
    assert result.exit_code == 1
    assert "old.xls: is an old-style Excel file (.xls); in Excel choose Save As" in result.stderr


def test_from_names_the_format_whatever_the_file_is_called(site: SiteDir) -> None:
    export = write(site.root.parent / "export.txt", "id,period,value\ntest-measure,2019/20 Q3,9\n")
    result = run_cli("import", "--from", "csv", export, site.root)
    assert result.exit_code == 0, result.stderr
    assert "added    2019/20 Q3  9" in result.stdout
    result = run_cli("import", "--from", "xlsx", export, site.root)
    assert result.exit_code == 1
    assert "export.txt: is not a readable Excel workbook" in result.stderr


def test_open_sdg_folder_needs_from(tmp_path: Path) -> None:
    (tmp_path / "repo" / "data").mkdir(parents=True)
    (tmp_path / "repo" / "meta").mkdir()
    result = run_cli("import", tmp_path / "repo", tmp_path)
    assert result.exit_code == 2
    assert "looks like an Open SDG data repository; add --from open-sdg" in result.stderr
