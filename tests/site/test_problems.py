"""One problem type for YAML files and spreadsheets: how each is written, ordered and annotated."""

from __future__ import annotations

import json

from generator.site.problems import Problem, Problems


def test_yaml_and_spreadsheet_problems_in_one_list() -> None:
    problems = Problems()
    problems.extend(
        [
            Problem.in_sheet("q3.xlsx", 14, "Actual", "is not a number", letter="D", position=3),
            Problem.in_sheet(
                "q3.xlsx", 14, "Zeta", "looks like a fraction", position=1, severity="warning"
            ),
            Problem.in_sheet("q3.xlsx", 9, "", "is given twice (rows 4 and 9)"),
            Problem.in_sheet("q3.xlsx", 14, "", "a rating reason is given without a rating"),
            Problem.in_sheet("q3.xlsx", 0, "", "has more than 200,000 rows"),
        ]
    )
    problems.add("indicators/a.yml", 12, "values[1].period", "is not a period")
    problems.warn("indicators/a.yml", 0, "", "has no description", code="missing")
    problems.add("indicators/a.yml", 3, "", "is not closed")
    assert [p.format() for p in problems] == [
        "indicators/a.yml: warning: has no description",
        "indicators/a.yml:3: is not closed",
        "indicators/a.yml:12: values[1].period: is not a period",
        "q3.xlsx: has more than 200,000 rows",
        "q3.xlsx:row 9: is given twice (rows 4 and 9)",
        # A row's own problem first, then its cells from left to right (B before D).
        "q3.xlsx:row 14: a rating reason is given without a rating",
        'q3.xlsx:row 14, column "Zeta": warning: looks like a fraction',
        'q3.xlsx:row 14, column "Actual" (D): is not a number',
    ]
    assert len(problems.errors) == 6 and len(problems.warnings) == 2


def test_a_spreadsheet_annotation_names_the_file_and_its_row_and_column() -> None:
    cell = Problem.in_sheet("q3,final.xlsx", 14, "Actual", "is 50%", letter="D", position=3)
    assert cell.github("site/") == (
        '::error file=site/q3%2Cfinal.xlsx::row 14, column "Actual" (D): is 50%25'
    )
    yaml = Problem("indicators/a.yml", 12, "values[1].period", "is not a period")
    assert yaml.github() == (
        "::error file=indicators/a.yml,line=12::values[1].period: is not a period"
    )


def test_json_keeps_a_yaml_problem_to_its_fields_and_gives_a_spreadsheet_problem_its_place():
    problems = Problems()
    problems.add("indicators/a.yml", 12, "title", "is empty")
    problems.extend([Problem.in_sheet("q3.csv", 4, "Value", "is not a number", position=2)])
    yaml, sheet = json.loads(problems.to_json())
    assert yaml == {
        "file": "indicators/a.yml",
        "line": 12,
        "field": "title",
        "message": "is empty",
        "severity": "error",
        "code": "invalid",
    }
    assert sheet["place"] == {"row": 4, "column": "Value", "letter": "", "position": 2}


def test_what_a_child_process_sends_back_keeps_how_numbers_were_written_and_every_problem(
    tmp_path,
) -> None:
    """A large build checks its site in a child process (pipeline.generate) and is sent back
    the settings, and any UserError, by pickle."""
    import pickle

    from generator.site.problems import UserError
    from generator.site.yaml_reader import YamlFloat, YamlInt, parse_yaml

    problems = Problems()
    doc = parse_yaml(b"ref: 0123\nvalue: 2.50\n", tmp_path / "a.yml", "a.yml", problems)
    assert doc is not None and not problems.errors
    ref, value = doc.data["ref"], doc.data["value"]
    assert (type(ref), type(value)) == (YamlInt, YamlFloat)
    back = pickle.loads(pickle.dumps([ref, value], protocol=pickle.HIGHEST_PROTOCOL))
    assert [(type(n), n, n.raw) for n in back] == [(YamlInt, 123, "0123"), (YamlFloat, 2.5, "2.50")]

    problems.add("indicators/a.yml", 12, "values[1].period", "is not a period")
    error = pickle.loads(pickle.dumps(UserError(problems)))
    assert isinstance(error, UserError)
    assert [p.format() for p in error.problems] == [p.format() for p in problems]
