"""The command line as a user meets it: exit codes, messages, output folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, run_cli


def test_build_writes_site_and_exits_zero(make_site):
    site = make_site()
    result = run_cli("build", "--strict", site.root)
    assert result.exit_code == 0, result.stderr
    assert (site.root / "site" / "index.html").is_file()
    assert (site.root / "site" / "indicators" / "test-measure" / "index.html").is_file()
    assert "Built 1 indicator into" in result.stderr


def test_build_to_output_path(make_site, tmp_path):
    site = make_site()
    out = tmp_path / "elsewhere" / "public"
    result = run_cli("build", site.root, "--output", out)
    assert result.exit_code == 0, result.stderr
    assert (out / "indicators" / "test-measure" / "index.html").is_file()
    assert not (site.root / "site").exists()


def test_validate_reports_every_problem_with_exit_one(make_site):
    site = make_site(
        indicators={
            "a.yml": "title: A\npriority: helth\npolarity: higher_is_better\nvalues: []\n",
            "b.yml": "title: B\npriority: health\npolarity: up\nvalues: []\n",
        }
    )
    result = run_cli("validate", site.root)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        'indicators/a.yml:2: priority: "helth" is not a priority in site_config.yml; '
        "did you mean health? (priorities: health, economy)" in lines
    )
    assert any(
        line.startswith('indicators/b.yml:3: polarity: "up" is not allowed here') for line in lines
    )
    assert lines[-1] == "2 errors in 2 files"


def test_validate_ok(make_site):
    result = run_cli("validate", make_site().root)
    assert result.exit_code == 0
    assert "1 indicator checked: no problems" in result.stderr


def test_wrong_usage_exits_two(tmp_path):
    assert run_cli("build", tmp_path / "does-not-exist").exit_code == 2
    assert run_cli("frobnicate").exit_code == 2


def test_the_exit_codes_are_the_documented_ones():
    """site/problems.py names them; wrong usage is click's own exit code."""
    import click

    from generator.site.problems import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

    assert (EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE) == (0, 1, 2)
    assert click.UsageError("").exit_code == EXIT_USAGE


def test_missing_config_is_a_user_problem(tmp_path):
    result = run_cli("validate", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("site_config.yml: not found in")


def test_python_dash_m_is_the_same_command():
    out = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, cwd=REPO
    )
    assert out.returncode == 0
    assert "Usage: perfpages" in out.stdout
    for command in ("build", "validate", "serve"):
        assert command in out.stdout


def test_failed_build_keeps_previous_site(make_site):
    site = make_site()
    assert run_cli("build", site.root).exit_code == 0
    before = (site.root / "site" / "index.html").read_bytes()
    (site.root / "indicators" / "test-measure.yml").write_text("title: [unclosed\n")
    result = run_cli("build", site.root)
    assert result.exit_code == 1
    assert "the previously built site was not changed" in result.stderr
    assert (site.root / "site" / "index.html").read_bytes() == before


def test_output_is_not_created_on_error(make_site):
    site = make_site(indicators={"x.yml": "title: x\n"})
    assert run_cli("build", site.root).exit_code == 1
    assert not (site.root / "site").exists()
    assert not Path(site.root / "build").exists()
