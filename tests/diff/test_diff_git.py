"""perfpages diff on real git histories: revisions, branches, sites in a subfolder.

The "done when" of the contributor workflow: a new site made with init is committed, an edit is
made on a branch, and diff between the two revisions reports exactly that edit.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.commands.scaffold import init_site
from tests.conftest import MINIMAL_MEASURE, REPO, run_cli, run_forked

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def commit_all(cwd: Path, message: str) -> str:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", message)
    return git(cwd, "rev-parse", "HEAD")


def perfpages(cwd: Path, *args: str, fresh: bool = False) -> subprocess.CompletedProcess[str]:
    """The real command in a process of its own, run from ``cwd`` as a user would: a forked
    copy of the test's process, or with ``fresh`` a new Python (the first test's)."""
    env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(REPO)}
    if not fresh:
        return run_forked(*args, cwd=cwd, env=env, timeout=120)
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_init_commit_branch_edit_then_diff_reports_exactly_the_edit(tmp_path):
    site = tmp_path / "council"
    init_site(site, today=dt.date(2026, 11, 23))  # reporting period 2026/27 Q2
    git(site, "init", "-q", "-b", "main")
    base = commit_all(site, "New site")
    git(site, "switch", "-q", "-c", "q2-figures")
    measure = site / "indicators" / "example-measure.yml"
    text = measure.read_text(encoding="utf-8")
    assert "    value: 83.0\n" in text
    measure.write_text(text.replace("    value: 83.0\n", "    value: 79.5\n"), encoding="utf-8")
    head = commit_all(site, "Correct the Q2 figure")

    result = perfpages(site, "diff", "main", "q2-figures", "--format", "json", fresh=True)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["old"]["revision"], report["new"]["revision"]) == (base, head)
    assert report["settings"] == []
    assert report["pages"] == []
    assert report["new_warnings"] == [] and report["resolved_warnings"] == []
    assert report["unchanged"] == 1  # the example project
    (change,) = report["indicators"]
    assert change["id"] == "example-measure"
    assert change["change"] == "changed"
    assert change["periods"] == [
        {
            "period": "Q2 2026/27",
            "change": "changed",
            "old": "83.0%",
            "new": "79.5%",
            "old_value": 83.0,
            "new_value": 79.5,
            "details": [],
        }
    ]
    assert change["target"] is None
    assert change["texts"] == [] and change["fields"] == []
    # 79.5 is within 5% below the target of 80: green becomes amber, and the value fell.
    assert change["position"] == {
        "old_period": "Q2 2026/27",
        "new_period": "Q2 2026/27",
        "old_rating": "Green",
        "new_rating": "Amber",
        "old_direction": "Improving",
        "new_direction": "Declining",
    }
    overall = report["summary"][0]
    assert overall["scope"] == "overall"
    # the measure alone: the starter site's project is counted apart, and did not change
    assert overall["counts"] == [
        {"name": "green", "old": 1, "new": 0},
        {"name": "amber", "old": 0, "new": 1},
        {"name": "improving", "old": 1, "new": 0},
        {"name": "declining", "old": 0, "new": 1},
    ]

    markdown = perfpages(site, "diff", "main", "q2-figures", fresh=True)
    assert markdown.returncode == 0, markdown.stderr
    assert f"Comparing `main` ({base[:7]}) → `q2-figures` ({head[:7]})" in markdown.stdout
    assert "| Q2 2026/27 | 83.0% | 79.5% | changed |" in markdown.stdout
    assert "**Indicators:** 1 changed, 1 unchanged" in markdown.stdout


def test_revision_against_the_working_tree_and_relative_revisions(tmp_path):
    site = tmp_path / "council"
    init_site(site, today=dt.date(2026, 11, 23))
    git(site, "init", "-q", "-b", "main")
    commit_all(site, "New site")
    (site / "indicators" / "extra.yml").write_text(
        MINIMAL_MEASURE.replace("health", "thriving-places"), encoding="utf-8"
    )
    uncommitted = json.loads(perfpages(site, "diff", "HEAD", ".", "--format", "json").stdout)
    assert [(c["change"], c["id"]) for c in uncommitted["indicators"]] == [("added", "extra")]
    assert uncommitted["new"]["revision"] is None
    commit_all(site, "Add extra")
    previous = json.loads(perfpages(site, "diff", "HEAD~1", "HEAD", "--format", "json").stdout)
    assert [(c["change"], c["id"]) for c in previous["indicators"]] == [("added", "extra")]


def test_site_in_a_subfolder_of_the_repository(tmp_path):
    repo = tmp_path / "repo"
    site = repo / "performance"
    init_site(site, today=dt.date(2026, 11, 23))
    (repo / "other.txt").write_text("not part of the site\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "Site in a subfolder")
    about = site / "content" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    (repo / "other.txt").write_text("changed, and not the site's business\n", encoding="utf-8")
    commit_all(repo, "Edit the about page")
    result = perfpages(site, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["pages"] == [{"field": "content/about.md", "old": "present", "new": "present"}]
    assert report["indicators"] == []


def test_a_revision_before_the_site_existed(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("Empty start\n", encoding="utf-8")
    commit_all(repo, "Start")
    init_site(repo / "site-files", today=dt.date(2026, 11, 23))
    commit_all(repo, "Add the site")
    result = perfpages(repo / "site-files", "diff", "HEAD~1", "HEAD", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["old"]["errors"][0]["code"] == "config.missing"
    assert sorted(c["id"] for c in report["indicators"] if c["change"] == "added") == [
        "example-measure",
        "example-project",
    ]
    markdown = perfpages(repo / "site-files", "diff", "HEAD~1", "HEAD").stdout
    assert "1 error in the old version:" in markdown
    assert "`site_config.yml` not found in" in markdown


def test_neither_folder_nor_revision_is_a_usage_error(tmp_path):
    site = tmp_path / "council"
    init_site(site, today=dt.date(2026, 11, 23))
    git(site, "init", "-q", "-b", "main")
    commit_all(site, "New site")
    result = perfpages(site, "diff", "no-such-branch", "HEAD")
    assert result.returncode == 2
    assert '"no-such-branch" is neither a folder nor a git revision of the repository' in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    option_like = perfpages(site, "diff", "--", "--output=x", "HEAD")
    assert option_like.returncode == 2
    assert '"--output=x" is neither a folder nor a git revision' in option_like.stderr


@pytest.mark.slow
def test_diff_of_the_example_site_between_two_commits(tmp_path, monkeypatch):
    """The Somerset example as a repository: one value edited on a branch."""
    from tests.conftest import copy_example

    site = copy_example(tmp_path / "somerset")
    git(site, "init", "-q", "-b", "main")
    commit_all(site, "Example")
    git(site, "switch", "-q", "-c", "edit")
    path = site / "indicators" / "health-and-wellbeing" / "dtoc-whole-system.yml"
    text = path.read_text(encoding="utf-8")
    assert "    value: 2.46\n" in text
    path.write_text(text.replace("    value: 2.46\n", "    value: 2.71\n"), encoding="utf-8")
    commit_all(site, "Edit September")
    monkeypatch.chdir(site)
    result = run_cli("diff", "main", "edit", "--format", "json")
    report = json.loads(result.stdout)
    (change,) = report["indicators"]
    assert change["id"] == "dtoc-whole-system"
    assert [(p["period"], p["old"], p["new"]) for p in change["periods"]] == [
        ("Sep 2019", "2.46%", "2.71%")
    ]
    assert (change["position"]["old_rating"], change["position"]["new_rating"]) == (
        "Green",
        "Red",
    )
    assert report["unchanged"] == 37
