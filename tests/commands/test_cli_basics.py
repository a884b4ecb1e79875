"""The command line as a user meets it: exit codes, messages, output folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import MINIMAL_MEASURE, REPO, run_cli


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


# ---- -q and -v on every command ---------------------------------------------------------------


def test_every_command_takes_quiet_and_verbose():
    from generator.commands.cli import main

    assert set(main.commands) == {
        "build", "validate", "serve", "diff", "init", "new", "schema", "import"
    }  # fmt: skip
    for name, command in main.commands.items():
        options = {opt for param in command.params for opt in param.opts}
        assert {"-q", "--quiet", "-v", "--verbose"} <= options, name


def test_quiet_build_says_only_problems(make_site):
    site = make_site()
    quiet = run_cli("build", "-q", site.root)
    assert quiet.exit_code == 0
    assert quiet.stderr == ""
    assert (site.root / "site" / "index.html").is_file()
    # A warning is a problem: it is still said.
    site.indicator(
        "test-measure.yml", MINIMAL_MEASURE.replace("value: 91\n", "value: 91\n    rating: red\n")
    )
    warned = run_cli("build", "--quiet", site.root)
    assert warned.exit_code == 0
    assert "stated as red but the data gives green" in warned.stderr
    assert "Built" not in warned.stderr


def test_verbose_build_says_each_stage_and_what_was_written(make_site):
    site = make_site()
    result = run_cli("build", "-v", site.root)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    stages = [line.split(":")[0] for line in lines if line.endswith(" s")]
    assert stages == [
        "Checking files",
        "Writing pages for 1 indicators",
        "Building the site with MkDocs",
        "Publishing",
    ]
    assert any(line.startswith("Pages and data in ") and " written, " in line for line in lines)
    assert lines[-1].startswith("Built 1 indicator into")


def test_quiet_and_verbose_validate(make_site):
    site = make_site()
    assert run_cli("validate", "-q", site.root).stderr == ""
    verbose = run_cli("validate", "-v", site.root).stderr.splitlines()
    assert verbose == [
        "Read 1 indicator file and 0 content pages; reporting period 2019/20 Q2",
        "1 indicator checked: no problems",
    ]
    broken = make_site(indicators={"a.yml": "title: A\n"}, folder="broken")
    result = run_cli("validate", "-q", broken.root)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].endswith(" in 1 file")
    assert all(line.startswith("indicators/a.yml:") for line in result.stderr.splitlines()[:-1])


def test_quiet_and_verbose_together_is_wrong_usage(make_site):
    result = run_cli("build", "-q", "-v", make_site().root)
    assert result.exit_code == 2
    assert "give -q (--quiet) or -v (--verbose), not both" in result.stderr


def test_quiet_schema_and_new(make_site, tmp_path):
    assert run_cli("schema", "-q", "--output", tmp_path / "s").stderr == ""
    assert (tmp_path / "s" / "indicator.schema.json").is_file()
    site = make_site()
    assert run_cli("new", "-q", "waiting", site.root).stderr == ""
    assert (site.root / "indicators" / "waiting.yml").is_file()
    # Each run starts from what it is given: the next is not quiet.
    assert "Wrote" in run_cli("new", "other", site.root).stderr
