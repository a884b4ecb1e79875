"""perfpages init and perfpages new: a site that builds at once; files that validate."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml

from generator import REPOSITORY, __version__
from generator.commands import scaffold
from generator.commands.scaffold import init_site, install_source, last_quarter, title_from_id
from generator.commands.schema import schema_files
from tests.conftest import run_cli

SCHEMA_LINE = "# yaml-language-server: $schema="


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 23), "2026/27 Q2"),
        (dt.date(2026, 10, 1), "2026/27 Q2"),
        (dt.date(2026, 9, 30), "2026/27 Q1"),
        (dt.date(2026, 4, 1), "2025/26 Q4"),
        (dt.date(2026, 3, 31), "2025/26 Q3"),
        (dt.date(2026, 1, 5), "2025/26 Q3"),
    ],
)
def test_last_quarter_is_the_latest_to_have_ended(today, expected):
    assert last_quarter(today).text == expected


@pytest.mark.slow
def test_init_makes_a_site_that_builds_strictly(tmp_path):
    root = tmp_path / "new-site"
    result = run_cli("init", root)
    assert result.exit_code == 0, result.stderr
    for rel in (
        "site_config.yml",
        "indicators/example-measure.yml",
        "indicators/example-project.yml",
        "content/about.md",
        "README.md",
        ".gitignore",
        ".github/workflows/perfpages.yml",
        ".github/dependabot.yml",
        ".pre-commit-config.yaml",
        ".vscode/settings.json",
        "requirements.txt",
        "schemas/indicator.schema.json",
        "schemas/site_config.schema.json",
    ):
        assert (root / rel).is_file(), rel
    assert not (root / ".gitlab-ci.yml").exists()
    ignored = (root / ".gitignore").read_text().splitlines()
    assert {"/build/", "/site/", "/site-preview/", "/.venv/"} <= set(ignored)
    # Until the site's address is set, it builds, and --strict fails on that warning alone.
    built = run_cli("build", root)
    assert built.exit_code == 0, built.stderr
    assert "site: url is not set" in built.stderr
    unset = run_cli("build", "--strict", root)
    assert unset.exit_code == 1
    assert "\n1 warning in 1 file\n" in unset.stderr
    assert "site_config.yml:6: site.url: warning: site: url is not set" in unset.stderr
    config = root / "site_config.yml"
    config.write_text(
        config.read_text().replace("# url: https://", "url: https://"), encoding="utf-8"
    )
    built = run_cli("build", "--strict", root)
    assert built.exit_code == 0, built.stderr
    assert "Built 2 indicators" in built.stderr
    for page in ("index.html", "about/index.html", "accessibility/index.html"):
        assert (root / "site" / page).is_file(), page
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "Example Council performance" in home


def test_init_files_point_editors_at_the_site_schemas(tmp_path):
    root = tmp_path / "s"
    init_site(root, today=dt.date(2026, 11, 23))
    config = (root / "site_config.yml").read_text()
    assert config.startswith(SCHEMA_LINE + "schemas/site_config.schema.json\n")
    for name in ("example-measure", "example-project"):
        text = (root / "indicators" / f"{name}.yml").read_text()
        assert text.startswith(SCHEMA_LINE + "../schemas/indicator.schema.json\n")
    for name, data in schema_files().items():
        assert (root / "schemas" / name).read_bytes() == data
    settings = json.loads((root / ".vscode" / "settings.json").read_text())
    assert settings["yaml.schemas"] == {
        "./schemas/indicator.schema.json": "indicators/**/*.yml",
        "./schemas/site_config.schema.json": "site_config.yml",
    }
    assert "reporting_period: 2026/27 Q2" in config
    assert (root / "content" / "reports" / "2026-27-q2.md").is_file()


def test_init_gitlab_writes_gitlab_ci_instead(tmp_path):
    root = tmp_path / "s"
    assert run_cli("init", root, "--ci", "gitlab").exit_code == 0
    assert (root / ".gitlab-ci.yml").is_file()
    assert not (root / ".github").exists()


def installed_from(root) -> tuple[list[str], str, str]:
    """The requirements.txt lines that are not comments, its comments, and pre-commit's rev."""
    lines = (root / "requirements.txt").read_text(encoding="utf-8").splitlines()
    requirements = [line for line in lines if line and not line.startswith("#")]
    comments = " ".join(line[2:] for line in lines if line.startswith("# "))
    config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == REPOSITORY
    assert [hook["id"] for hook in repo["hooks"]] == ["perfpages-validate"]
    return requirements, comments, repo["rev"]


def test_a_release_makes_sites_that_install_it_from_its_tag(tmp_path, monkeypatch):
    monkeypatch.setattr(scaffold, "__version__", "0.3.0")
    root = tmp_path / "s"
    init_site(root, today=dt.date(2026, 11, 23))
    requirements, comments, rev = installed_from(root)
    assert requirements == [f"perfpages @ git+{REPOSITORY}@v0.3.0"]
    assert rev == "v0.3.0"
    assert "development version" not in comments
    assert f"{REPOSITORY}/releases" in comments
    # Never a version number that no package index has.
    for path in root.rglob("*"):
        if path.is_file() and path.suffix in ("", ".txt", ".yml", ".yaml", ".md"):
            assert "perfpages==" not in path.read_text(encoding="utf-8"), path


def test_the_new_site_names_the_version_perfpages_version_says(tmp_path):
    """Whatever this perfpages is (a release from a tag, or a development version between
    tags), the new site's files agree with `perfpages --version`."""
    said = run_cli("--version")
    assert said.exit_code == 0
    version = said.stdout.removeprefix("perfpages, version ").strip()
    assert version == __version__
    root = tmp_path / "s"
    made = run_cli("init", root)
    assert made.exit_code == 0, made.stderr
    requirements, comments, rev = installed_from(root)
    source = install_source(version)
    assert requirements == [source.requirement]
    assert rev == source.rev
    if source.release:
        assert rev == f"v{version}"
        assert "development version" not in made.stderr
    else:
        assert rev == "main"
        assert f"perfpages {version} is a development version" in comments
        assert f"perfpages {version} is a development version" in made.stderr


@pytest.mark.parametrize(
    ("version", "rev"),
    [
        ("0.3.0", "v0.3.0"),
        ("1.0", "v1.0"),
        ("1.0.0rc1", "v1.0.0rc1"),
        ("1.0.0.post1", "v1.0.0.post1"),
        ("0.3.1.dev4+g1a2b3c4", "main"),
        ("0.3.1.dev4+g1a2b3c4.d20261203", "main"),
        ("0.0.0.dev0", "main"),
        ("0.3.0+local", "main"),
    ],
)
def test_only_a_release_has_a_tag(version, rev):
    source = install_source(version)
    assert source.rev == rev
    assert source.release == (rev != "main")
    assert source.requirement == f"perfpages @ git+{REPOSITORY}@{rev}"


def test_init_quiet_says_nothing_but_a_development_warning(tmp_path):
    result = run_cli("init", tmp_path / "s", "-q")
    assert result.exit_code == 0
    expected = "" if install_source().release else install_source().warning + "\n"
    assert result.stderr == expected


def test_init_refuses_a_folder_in_use_and_writes_nothing(tmp_path):
    root = tmp_path / "mine"
    root.mkdir()
    (root / "notes.txt").write_text("keep me")
    result = run_cli("init", root)
    assert result.exit_code == 1
    assert "is not empty; perfpages init only writes into a new or empty folder" in result.stderr
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"]
    assert (root / "notes.txt").read_text() == "keep me"


def test_init_accepts_a_fresh_clone_holding_only_git(tmp_path):
    root = tmp_path / "clone"
    (root / ".git").mkdir(parents=True)
    assert run_cli("init", root).exit_code == 0
    assert (root / "site_config.yml").is_file()


def test_init_refuses_a_file(tmp_path):
    path = tmp_path / "file"
    path.write_text("x")
    result = run_cli("init", path)
    assert result.exit_code == 1
    assert "is a file" in result.stderr


def test_new_measure_validates_and_is_commented(make_site):
    site = make_site()
    result = run_cli("new", "waiting-times", site.root)
    assert result.exit_code == 0, result.stderr
    path = site.root / "indicators" / "waiting-times.yml"
    text = path.read_text()
    assert text.startswith(SCHEMA_LINE + "../schemas/indicator.schema.json\n")
    assert "title: Waiting times\n" in text
    assert "priority: health\n" in text
    assert "values: []" in text  # ready to import into (issue 14): no placeholder value
    assert "#   - period: 2019/20 Q2 " in text
    assert text.count("# CHECK") == 3
    assert (site.root / "schemas" / "indicator.schema.json").is_file()
    checked = run_cli("validate", "--strict", site.root)
    assert checked.exit_code == 0, checked.stderr
    assert "2 indicators checked: no problems" in checked.stderr


def test_new_project_in_a_chosen_priority_validates(make_site):
    site = make_site()
    result = run_cli("new", "big-build", site.root, "--kind", "project", "--priority", "economy")
    assert result.exit_code == 0, result.stderr
    text = (site.root / "indicators" / "big-build.yml").read_text()
    assert "kind: project\n" in text and "priority: economy\n" in text
    assert run_cli("validate", "--strict", site.root).exit_code == 0


def test_new_refuses_an_invalid_id_with_the_fix(make_site):
    site = make_site()
    result = run_cli("new", "Waiting Times!", site.root)
    assert result.exit_code == 2
    assert '"Waiting Times!" is not a valid id' in result.stderr
    assert "write waiting-times" in result.stderr
    assert not (site.root / "indicators" / "Waiting Times!.yml").exists()


def test_new_refuses_an_id_used_in_any_folder(make_site):
    site = make_site(indicators={"health/test-measure.yml": "title: x\n"})
    before = (site.root / "indicators" / "health" / "test-measure.yml").read_text()
    result = run_cli("new", "test-measure", site.root)
    assert result.exit_code == 1
    assert "indicators/health/test-measure.yml already has the id test-measure" in result.stderr
    assert not (site.root / "indicators" / "test-measure.yml").exists()
    assert (site.root / "indicators" / "health" / "test-measure.yml").read_text() == before


def test_new_refuses_an_unknown_priority_with_a_suggestion(make_site):
    result = run_cli("new", "x", make_site().root, "--priority", "helth")
    assert result.exit_code == 2
    assert "did you mean health?" in result.stderr


def test_new_needs_a_site(tmp_path):
    result = run_cli("new", "x", tmp_path)
    assert result.exit_code == 1
    assert "site_config.yml is missing" in result.stderr


def test_title_from_id():
    assert title_from_id("dtoc-whole-system") == "Dtoc whole system"
