"""Releases: the version from the git tag, one repository address, the changelog, the release
workflow, and ``python -m perfpages``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import yaml

import generator
from tests.conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
RELEASE = REPO / ".github" / "workflows" / "release.yml"


def test_the_version_is_the_git_tags_with_one_fallback():
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"]["source"] == "vcs"
    assert "hatch-vcs" in " ".join(PYPROJECT["build-system"]["requires"])
    fallback = PYPROJECT["tool"]["hatch"]["version"]["fallback-version"]
    assert ".dev" in fallback  # never taken for a release (generator/commands/scaffold.py)
    # The same fallback when the package was never installed (no generator/_version.py).
    init = (REPO / "generator" / "__init__.py").read_text(encoding="utf-8")
    assert f'    __version__ = "{fallback}"\n' in init
    version_file = PYPROJECT["tool"]["hatch"]["build"]["hooks"]["vcs"]["version-file"]
    assert version_file == "generator/_version.py"
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert f"/{version_file}" in ignored
    # A tag's archive (GitHub's source download) carries its version.
    assert ".git_archival.txt export-subst" in (REPO / ".gitattributes").read_text()
    assert "$Format:%(describe:" in (REPO / ".git_archival.txt").read_text()


def test_one_repository_address_everywhere():
    urls = PYPROJECT["project"]["urls"]
    assert urls["Repository"] == urls["Homepage"] == generator.REPOSITORY
    for name, url in urls.items():
        assert url.startswith(generator.REPOSITORY), name
    assert {"Documentation", "Issues", "Changelog"} <= urls.keys()
    # Whatever names a github.com repository of perfpages names this one.
    named = re.compile(r"https://github\.com/[\w.-]+/perfpages\b")
    for path in (
        "README.md",
        "CONTRIBUTING.md",
        "CHANGELOG.md",
        "pyproject.toml",
        "guide/docs/getting-started.md",
        "guide/docs/publishing.md",
    ):
        for found in named.findall((REPO / path).read_text(encoding="utf-8")):
            assert found == generator.REPOSITORY, (path, found)


def test_python_m_perfpages_is_the_command_and_says_the_version():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for module in ("perfpages", "generator"):
        result = subprocess.run(
            [sys.executable, "-m", module, "--version"],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"perfpages, version {generator.__version__}\n"
    import perfpages

    assert perfpages.__version__ == generator.__version__
    assert perfpages.main is generator.commands.cli.main
    wheel = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["generator", "perfpages"]


def test_the_changelog_keeps_a_changelog():
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    assert "[Keep a Changelog](https://keepachangelog.com/en/1.1.0/)" in text
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings[0] == "[Unreleased]"
    for heading in headings[1:]:
        assert re.fullmatch(r"\[\d+\.\d+\.\d+((a|b|rc)\d+)?\] - \d{4}-\d{2}-\d{2}", heading)
    kinds = set(re.findall(r"^### (.+)$", text, re.M))
    assert kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    assert "### Added" in text
    assert re.search(r"^\[Unreleased\]: https://", text, re.M)


def release_steps() -> tuple[dict, list[str]]:
    workflow = yaml.safe_load(RELEASE.read_text(encoding="utf-8"))
    scripts = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    return workflow, scripts


def test_the_release_workflow_builds_checks_and_attaches_on_a_tag():
    workflow, scripts = release_steps()
    triggers = workflow.get("on", workflow.get(True))
    assert triggers == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"] == {"contents": "read"}
    build, release, pypi = (workflow["jobs"][name] for name in ("build", "github-release", "pypi"))
    text = "\n".join(scripts)
    assert "python -m build" in text
    assert "twine check --strict dist/*" in text
    assert 'python -m venv "$RUNNER_TEMP/wheel"' in text
    assert '"$RUNNER_TEMP/wheel/bin/perfpages" init' in text
    assert '"$RUNNER_TEMP/wheel/bin/perfpages" build --strict' in text
    assert '-r "$RUNNER_TEMP/new-site/requirements.txt"' in text
    assert "perfpages, version ${TAG#v}" in text
    assert build["steps"][0]["with"]["fetch-depth"] == 0  # the tag, in the history
    # Only the job that makes the release may write; it runs after every check passed.
    assert "permissions" not in build
    assert release["needs"] == "build" and release["permissions"] == {"contents": "write"}
    assert "gh release create" in release["steps"][-1]["run"]
    # PyPI: trusted publishing, off until the maintainers turn it on.
    assert pypi["needs"] == "build"
    assert pypi["permissions"] == {"id-token": "write"}
    assert pypi["environment"]["name"] == "pypi"
    assert pypi["if"] == "vars.PUBLISH_TO_PYPI == 'true'"
    assert pypi["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert "password" not in pypi["steps"][-1].get("with", {})


def test_the_release_notes_are_the_changelogs_section(tmp_path):
    """The workflow's awk, run on a changelog with two releases."""
    _, scripts = release_steps()
    (script,) = [s for s in scripts if "awk" in s]
    changelog = (
        "# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2027-01-15\n\n### Added\n\n- Two.\n\n"
        "## [0.1.0] - 2026-12-01\n\n### Added\n\n- One.\n"
    )
    (tmp_path / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    for tag, status, notes in (
        ("v0.2.0", 0, "\n### Added\n\n- Two.\n\n"),
        ("v0.1.0", 0, "\n### Added\n\n- One.\n"),
        ("v0.3.0", 1, ""),
        ("version-3", 1, None),
    ):
        result = subprocess.run(
            ["bash", "-e", "-c", script],
            cwd=tmp_path,
            env={**os.environ, "TAG": tag},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == status, (tag, result.stdout, result.stderr)
        if notes is not None:
            assert (tmp_path / "release-notes.md").read_text() == notes, tag
        (tmp_path / "release-notes.md").unlink(missing_ok=True)
