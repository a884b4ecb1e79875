"""perfpages validate --format github|json: what CI systems read, and the exit codes."""

from __future__ import annotations

import json

from generator.site.problems import Problem
from tests.conftest import MINIMAL_MEASURE, run_cli

MISMATCH = MINIMAL_MEASURE.replace("value: 91\n", "value: 91\n    rating: red\n")
BROKEN = MINIMAL_MEASURE.replace("polarity: higher_is_better", "polarity: up")


def test_github_annotations_for_errors_with_file_and_line(make_site, monkeypatch):
    site = make_site(indicators={"a.yml": BROKEN, "b.yml": MISMATCH})
    monkeypatch.chdir(site.root)
    result = run_cli("validate", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        '::error file=indicators/a.yml,line=4::polarity: "up" is not allowed here: write one '
        "of higher_is_better, lower_is_better, neutral",
    ]
    assert result.stderr.strip() == "1 error in 1 file"


def test_github_warnings_are_annotations_failing_only_when_strict(make_site, monkeypatch):
    site = make_site(indicators={"b.yml": MISMATCH})
    monkeypatch.chdir(site.root)
    lenient = run_cli("validate", "--format", "github")
    assert lenient.exit_code == 0
    (line,) = lenient.stdout.splitlines()
    assert line.startswith("::warning file=indicators/b.yml,line=11::values[1].rating: ")
    assert "stated as red but the data gives green" in line
    strict = run_cli("validate", "--strict", "--format", "github")
    assert strict.exit_code == 1
    assert strict.stdout == lenient.stdout


def test_github_paths_are_from_the_current_folder(make_site, monkeypatch):
    site = make_site(indicators={"a.yml": BROKEN}, folder="repo/performance")
    monkeypatch.chdir(site.root.parent)
    result = run_cli("validate", "performance", "--format", "github")
    assert result.stdout.startswith("::error file=performance/indicators/a.yml,line=4::")


def test_github_clean_site_prints_no_annotation(make_site):
    result = run_cli("validate", make_site().root, "--format", "github")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "1 indicator checked: no problems" in result.stderr


def test_annotation_escaping():
    problem = Problem("indicators/odd,name:x%.yml", 3, "title", "50% done\nsecond line\r")
    assert problem.github() == (
        "::error file=indicators/odd%2Cname%3Ax%25.yml,line=3::title: 50%25 done%0Asecond line%0D"
    )
    whole_file = Problem("site_config.yml", 0, "", "not found", "warning")
    assert whole_file.github("site/") == "::warning file=site/site_config.yml::not found"


def test_json_lists_every_problem_with_location_and_severity(make_site):
    site = make_site(indicators={"a.yml": BROKEN, "b.yml": MISMATCH})
    result = run_cli("validate", site.root, "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert [(p["file"], p["line"], p["field"], p["severity"], p["code"]) for p in problems] == [
        ("indicators/a.yml", 4, "polarity", "error", "field.choice")
    ]
    # Errors stop before assessment; once fixed, the warning shows, and fails only when strict.
    site.indicator("a.yml", MINIMAL_MEASURE)
    lenient = run_cli("validate", site.root, "--format", "json")
    assert lenient.exit_code == 0
    (warning,) = json.loads(lenient.stdout)
    assert (warning["file"], warning["severity"], warning["code"]) == (
        "indicators/b.yml",
        "warning",
        "rating.mismatch",
    )
    assert run_cli("validate", site.root, "--format", "json", "--strict").exit_code == 1
    clean = run_cli("validate", make_site(folder="clean").root, "--format", "json")
    assert (clean.exit_code, json.loads(clean.stdout)) == (0, [])


def test_unknown_format_is_a_usage_error(make_site):
    assert run_cli("validate", make_site().root, "--format", "xml").exit_code == 2
