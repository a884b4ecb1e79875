"""perfpages validate --format github|json: what CI systems read, and the exit codes."""

from __future__ import annotations

import json
import re

from generator.site.problems import Problem, Problems, code_quality
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


# ---- --format gitlab: a GitLab Code Quality report ------------------------------------------

HEX64 = re.compile(r"[0-9a-f]{64}")


def gitlab_report(*args) -> tuple[list[dict], str, int]:
    result = run_cli("validate", "--format", "gitlab", *args)
    return json.loads(result.stdout), result.stderr, result.exit_code


def test_gitlab_code_quality_report_of_errors(make_site, monkeypatch):
    site = make_site(indicators={"a.yml": BROKEN, "b.yml": MISMATCH}, folder="repo/performance")
    monkeypatch.chdir(site.root.parent)
    report, messages, status = gitlab_report("performance")
    assert status == 1
    (issue,) = report
    assert issue == {
        "description": 'polarity: "up" is not allowed here: write one of higher_is_better, '
        "lower_is_better, neutral",
        "check_name": "field.choice",
        "fingerprint": issue["fingerprint"],
        "severity": "critical",
        "location": {"path": "performance/indicators/a.yml", "lines": {"begin": 4}},
    }
    assert HEX64.fullmatch(issue["fingerprint"])
    # The job's log still reads as text.
    assert messages.splitlines() == [
        'indicators/a.yml:4: polarity: "up" is not allowed here: write one of '
        "higher_is_better, lower_is_better, neutral",
        "1 error in 1 file",
    ]


def test_gitlab_warnings_are_minor_and_fail_only_when_strict(make_site, monkeypatch):
    site = make_site(indicators={"b.yml": MISMATCH})
    monkeypatch.chdir(site.root)
    lenient, _, status = gitlab_report()
    assert status == 0
    (issue,) = lenient
    assert issue["severity"] == "minor" and issue["check_name"] == "rating.mismatch"
    assert issue["location"] == {"path": "indicators/b.yml", "lines": {"begin": 11}}
    strict, _, status = gitlab_report("--strict")
    assert status == 1 and strict == lenient


def test_gitlab_fingerprints_are_stable_when_lines_move(make_site, monkeypatch):
    """GitLab tells new problems from old ones by fingerprint: the same problem keeps its
    fingerprint when an edit above it moves it, and the same input gives the same report."""
    site = make_site(indicators={"b.yml": MISMATCH})
    monkeypatch.chdir(site.root)
    first, _, _ = gitlab_report()
    assert gitlab_report()[0] == first
    site.indicator("b.yml", "# a comment added at the top\n" + MISMATCH)
    (moved,) = gitlab_report()[0]
    assert moved["location"]["lines"]["begin"] == first[0]["location"]["lines"]["begin"] + 1
    assert moved["fingerprint"] == first[0]["fingerprint"]


def test_gitlab_tells_the_same_problem_twice_apart():
    problems = Problems()
    for line in (3, 9):
        problems.add("indicators/a.yml", line, "title", "too long")
    problems.add("indicators/b.yml", 0, "", "not found", severity="warning", code="file.missing")
    report = json.loads(code_quality(problems, "site/"))
    assert [i["location"] for i in report] == [
        {"path": "site/indicators/a.yml", "lines": {"begin": 3}},
        {"path": "site/indicators/a.yml", "lines": {"begin": 9}},
        {"path": "site/indicators/b.yml", "lines": {"begin": 1}},  # the whole file: line 1
    ]
    assert len({i["fingerprint"] for i in report}) == 3


def test_gitlab_clean_site_is_an_empty_report(make_site):
    report, messages, status = gitlab_report(make_site().root)
    assert (report, status) == ([], 0)
    assert "1 indicator checked: no problems" in messages
