"""The CI files shipped: valid YAML, actions pinned, and every perfpages command they run real.

Commands are checked against click's own command objects: each `perfpages ...` line in a
workflow must parse as the real command would parse it, options and all.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from generator.commands.cli import main
from generator.commands.scaffold import SCAFFOLD, ci_file
from tests.conftest import REPO
from tests.guide_scripts import guide_script

PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
SHELL_STOPS = {">", ">>", "|", "&&", "||", ";", "2>", "<"}


def github_files() -> dict[str, str]:
    return {
        "repository .github/workflows/perfpages.yml": (
            REPO / ".github" / "workflows" / "perfpages.yml"
        ).read_text(encoding="utf-8"),
        "init template": ci_file("github"),
    }


def run_scripts(workflow: dict[str, Any]) -> list[str]:
    return [
        step["run"]
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if "run" in step
    ]


def perfpages_commands(script: str) -> list[list[str]]:
    """Each perfpages command line in a shell script, cut at redirections and pipes."""
    commands = []
    for line in script.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] != ["perfpages"]:
            continue
        args: list[str] = []
        for word in words[1:]:
            if word in SHELL_STOPS:
                break
            args.append(word)
        commands.append(args)
    return commands


def check_command(args: list[str], cwd: Path) -> None:
    """Parse the arguments exactly as the real command would (types, choices, options)."""
    name, rest = args[0], args[1:]
    command = main.commands.get(name)
    if command is None:
        pytest.fail(f"perfpages {name} is not a command")
    try:
        command.make_context(name, list(rest), parent=click.Context(main))
    except click.ClickException as error:
        pytest.fail(f"perfpages {' '.join(args)}: {error.format_message()}")


@pytest.mark.parametrize("name", list(github_files()))
def test_github_workflow_structure(name):
    text = github_files()[name]
    workflow = yaml.safe_load(text)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as true
    assert set(triggers) == {"pull_request", "push", "workflow_dispatch"}
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    check, publish = workflow["jobs"]["check"], workflow["jobs"]["publish"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert check["permissions"]["pull-requests"] == "write"
    assert publish["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert publish["environment"]["name"] == "github-pages"
    uses = [
        s["uses"].split("@")[0] for job in (check, publish) for s in job["steps"] if "uses" in s
    ]
    assert "actions/upload-artifact" in uses
    assert uses[-2:] == ["actions/upload-pages-artifact", "actions/deploy-pages"]
    scripts = "\n".join(run_scripts(workflow))
    assert "perfpages validate --strict --format github" in scripts
    assert "<!-- perfpages-diff -->" in scripts
    assert "--method PATCH" in scripts and "--method POST" in scripts


@pytest.mark.parametrize("name", list(github_files()))
def test_every_action_is_pinned_to_a_commit_with_its_version(name):
    lines = [line.strip() for line in github_files()[name].splitlines()]
    uses = [line.split("uses:", 1)[1].strip() for line in lines if "uses:" in line]
    assert len(uses) == 7
    for ref in uses:
        assert PINNED.match(ref), f"not pinned to a full SHA with a version comment: {ref}"


def test_the_same_action_is_pinned_to_the_same_commit_everywhere():
    pins: dict[str, set[str]] = {}
    for text in github_files().values():
        for action, sha in re.findall(r"uses: ([\w./-]+)@([0-9a-f]{40})", text):
            pins.setdefault(action, set()).add(sha)
    assert all(len(shas) == 1 for shas in pins.values()), pins


def test_perfpages_commands_in_ci_files_exist_with_those_options(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the site folder of a workflow: "." must exist
    scripts = [s for text in github_files().values() for s in run_scripts(yaml.safe_load(text))]
    gitlab = yaml.safe_load(ci_file("gitlab"))
    scripts += [
        "\n".join(job["script"])
        for job in gitlab.values()
        if isinstance(job, dict) and "script" in job
    ]
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    local = yaml.safe_load((SCAFFOLD / "site" / "dot-pre-commit-config.yaml").read_text())
    scripts += [hook["entry"] for hook in hooks]
    scripts += [hook["entry"] for repo in local["repos"] for hook in repo["hooks"]]
    commands = [c for script in scripts for c in perfpages_commands(script)]
    assert {c[0] for c in commands} == {"validate", "diff", "build"}
    assert len(commands) >= 12
    for args in commands:
        check_command(args, tmp_path)


def test_the_checker_catches_a_wrong_command_or_option(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for bad in (["validat"], ["validate", "--strikt"], ["diff", "a", "b", "--format", "html"]):
        with pytest.raises(pytest.fail.Exception):
            check_command(bad, tmp_path)


def test_gitlab_ci_publishes_public_from_the_default_branch():
    gitlab = yaml.safe_load(ci_file("gitlab"))
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]
    assert gitlab["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert "perfpages build --strict --output public" in gitlab["pages"]["script"]
    assert gitlab["check"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]


def test_pre_commit_hooks_run_validation_on_the_site_files():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "perfpages-validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    for path in ("site_config.yml", "indicators/a/b.yml", "content/about.md"):
        assert pattern.search(path), path
    assert not pattern.search("README.md")
    local = yaml.safe_load((SCAFFOLD / "site" / "dot-pre-commit-config.yaml").read_text())
    (local_hook,) = local["repos"][0]["hooks"]
    assert local_hook["entry"] == hook["entry"] and local_hook["files"] == hook["files"]


def test_the_repository_workflow_is_the_init_template_plus_the_guide():
    expected = guide_script("generate").expected
    workflow = REPO / ".github" / "workflows" / "perfpages.yml"
    assert workflow.read_text(encoding="utf-8") == expected()[workflow], (
        "run: python guide/generate.py"
    )
