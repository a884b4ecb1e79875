"""The CI files shipped: valid YAML, actions pinned, and every perfpages command they run real.

Commands are checked against click's own command objects: each `perfpages ...` line in a
workflow must parse as the real command would parse it, options and all.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from generator import REPOSITORY
from generator.commands.cli import main
from generator.commands.scaffold import CI_EXTRA_FILES, SCAFFOLD, ci_file, fill
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


RELEASE = REPO / ".github" / "workflows" / "release.yml"

# The major version of each action the workflows use: the current ones (when Dependabot
# proposes a newer major, the pins change everywhere and this table with them).
CURRENT_MAJORS = {
    "actions/checkout": 7,
    "actions/setup-python": 7,
    "actions/upload-artifact": 7,
    "actions/download-artifact": 8,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "pypa/gh-action-pypi-publish": 1,
}


def all_workflows() -> dict[str, str]:
    """Every GitHub workflow shipped: the repository's and the one init writes."""
    return {**github_files(), "repository .github/workflows/release.yml": RELEASE.read_text()}


def jobs_of(text: str) -> dict[str, dict[str, Any]]:
    jobs: dict[str, dict[str, Any]] = yaml.safe_load(text)["jobs"]
    return jobs


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
        # perfpages, or a virtual environment's ("$RUNNER_TEMP/wheel/bin/perfpages")
        if not words or not (words[0] == "perfpages" or words[0].endswith("/bin/perfpages")):
            continue
        if words[1:2] == ["--version"]:
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
        # main's own settings (-h): click keeps a command's help option once made.
        parent = click.Context(main, **main.context_settings)
        command.make_context(name, list(rest), parent=parent)
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
    for text in all_workflows().values():
        for action, sha, version in re.findall(
            r"uses: ([\w./-]+)@([0-9a-f]{40}) # (v[\d.]+)", text
        ):
            pins.setdefault(action, set()).add(f"{sha} {version}")
    assert all(len(shas) == 1 for shas in pins.values()), pins
    assert set(pins) == set(CURRENT_MAJORS)


@pytest.mark.parametrize("name", list(all_workflows()))
def test_actions_are_their_current_majors(name):
    lines = [line.strip() for line in all_workflows()[name].splitlines()]
    uses = [line.split("uses:", 1)[1].strip() for line in lines if "uses:" in line]
    assert uses
    for ref in uses:
        assert PINNED.match(ref), f"not pinned to a full SHA with a version comment: {ref}"
        action, major = re.match(r"([\w./-]+)@[0-9a-f]{40} # v(\d+)\.", ref).groups()
        assert int(major) == CURRENT_MAJORS[action], ref


@pytest.mark.parametrize("name", list(all_workflows()))
def test_every_job_has_a_timeout_and_no_checkout_keeps_the_token(name):
    for job_name, job in jobs_of(all_workflows()[name]).items():
        assert 0 < job["timeout-minutes"] <= 30, job_name
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, job_name


def check_jsonschema(schema: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with a schema it ships (no download: the tests may not reach it), its
    command line run in this process as ``python -m check_jsonschema`` would run it."""
    from check_jsonschema import main as check

    args = ["--builtin-schema", schema, *map(str, paths)]
    result = CliRunner().invoke(check, args, prog_name="check-jsonschema")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash is not a file found invalid
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def test_every_ci_file_is_valid_by_its_vendors_schema(tmp_path):
    written = {}
    for host in ("github", "gitlab"):
        written[host] = tmp_path / f"{host}-ci.yml"
        written[host].write_text(ci_file(host), encoding="utf-8")
    dependabot = [SCAFFOLD / "ci" / t for t, _ in CI_EXTRA_FILES["github"]]
    workflows = sorted((REPO / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 2
    for schema, paths in (
        ("vendor.github-workflows", [written["github"], *workflows]),
        ("vendor.gitlab-ci", [written["gitlab"]]),
        ("vendor.dependabot", [*dependabot, REPO / ".github" / "dependabot.yml"]),
    ):
        result = check_jsonschema(schema, *paths)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "ok -- validation done" in result.stdout


def test_the_schema_check_catches_a_broken_file(tmp_path):
    """The same check fails on files each vendor would refuse."""
    broken = {
        "vendor.github-workflows": ci_file("github").replace(
            "timeout-minutes: 30", "timeout-minutes: soon", 1
        ),
        "vendor.gitlab-ci": ci_file("gitlab").replace("when: always", "when: sometimes", 1),
        "vendor.dependabot": (SCAFFOLD / "ci" / "dependabot.yml")
        .read_text()
        .replace("interval: monthly", "interval: fortnightly", 1),
    }
    for schema, text in broken.items():
        path = tmp_path / "broken.yml"
        path.write_text(text, encoding="utf-8")
        assert check_jsonschema(schema, path).returncode == 1, schema


def test_dependabot_watches_the_actions_and_the_requirements():
    for path in (SCAFFOLD / "ci" / "dependabot.yml", REPO / ".github" / "dependabot.yml"):
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
        assert set(ecosystems) == {"github-actions", "pip"}, path
        assert all(u["directory"] == "/" for u in config["updates"])


def test_perfpages_commands_in_ci_files_exist_with_those_options(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the site folder of a workflow: "." must exist
    scripts = [s for text in all_workflows().values() for s in run_scripts(yaml.safe_load(text))]
    gitlab = yaml.safe_load(ci_file("gitlab"))
    scripts += [
        "\n".join(job["script"])
        for job in gitlab.values()
        if isinstance(job, dict) and "script" in job
    ]
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    scripts += [hook["entry"] for hook in hooks]
    commands = [c for script in scripts for c in perfpages_commands(script)]
    assert {c[0] for c in commands} == {"validate", "diff", "build", "init"}
    assert len(commands) >= 15
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
    merge_request = [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert gitlab["check"]["rules"] == gitlab["diff"]["rules"] == merge_request
    assert gitlab["default"]["timeout"] == "30 minutes"  # every job


def test_gitlab_merge_requests_get_a_code_quality_report():
    check = yaml.safe_load(ci_file("gitlab"))["check"]
    report = check["artifacts"]["reports"]["codequality"]
    assert check["script"][0] == f"perfpages validate --strict --format gitlab > {report}"
    assert check["artifacts"]["when"] == "always"  # the report matters most when it fails


def gitlab_comment_script() -> str:
    (script,) = [
        s for s in yaml.safe_load(ci_file("gitlab"))["diff"]["script"] if "PERFPAGES_GITLAB" in s
    ]
    return script


def run_comment_step(tmp_path: Path, notes: list[dict[str, Any]], token: str = "secret"):
    """The diff job's comment step in bash, with a curl that logs its arguments and answers
    the list of notes; what it sent."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    curl = bin_dir / "curl"
    curl.write_text(
        "#!/usr/bin/env bash\n"
        'printf "%s\\n" "$@" > "$CALLS/$(ls "$CALLS" | wc -l)"\n'
        'case " $* " in *" --request "*) ;; *) cat "$NOTES" ;; esac\n'
    )
    curl.chmod(curl.stat().st_mode | stat.S_IEXEC)
    calls = tmp_path / "calls"
    calls.mkdir(exist_ok=True)
    for old in calls.iterdir():
        old.unlink()
    (tmp_path / "notes.json").write_text(json.dumps(notes))
    (tmp_path / "perfpages-diff.md").write_text("## What changes\n\nA value: 91% → 93%\n")
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "CALLS": str(calls),
        "NOTES": str(tmp_path / "notes.json"),
        "PERFPAGES_GITLAB_TOKEN": token,
        "CI_API_V4_URL": "https://gitlab.example/api/v4",
        "CI_PROJECT_ID": "7",
        "CI_MERGE_REQUEST_IID": "12",
    }
    result = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", gitlab_comment_script()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    sent = [(calls / str(i)).read_text().splitlines() for i in range(len(list(calls.iterdir())))]
    return result, sent


def test_gitlab_merge_requests_get_one_diff_comment_updated_on_each_push(tmp_path):
    notes = "https://gitlab.example/api/v4/projects/7/merge_requests/12/notes"
    result, sent = run_comment_step(tmp_path, [])
    listed, posted = sent
    assert "PRIVATE-TOKEN: secret" in listed and listed[-1].startswith(notes + "?")
    assert posted[posted.index("--request") + 1] == "POST" and posted[-1] == notes
    body = json.loads((tmp_path / "payload.json").read_text())["body"]
    assert body == "<!-- perfpages-diff -->\n## What changes\n\nA value: 91% → 93%\n"
    # The next push finds its comment among the others and edits it.
    others = [{"id": 3, "body": "Looks good"}, {"id": 9, "body": body}, {"id": 11, "body": "x"}]
    _, sent = run_comment_step(tmp_path, others)
    _, edited = sent
    assert edited[edited.index("--request") + 1] == "PUT" and edited[-1] == notes + "/9"
    # Without a token: no call, and the diff stays in the job's artifacts.
    result, sent = run_comment_step(tmp_path, [], token="")
    assert sent == [] and "PERFPAGES_GITLAB_TOKEN is not set" in result.stdout


def test_pre_commit_hooks_run_validation_on_the_site_files():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "perfpages-validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    for path in ("site_config.yml", "indicators/a/b.yml", "content/about.md"):
        assert pattern.search(path), path
    assert not pattern.search("README.md")
    # A new site runs this hook, from the tag of the release that made it.
    config = fill(
        (SCAFFOLD / "site" / "dot-pre-commit-config.yaml").read_text(),
        {"repository": REPOSITORY, "rev": "v0.3.0"},
    )
    (repo,) = yaml.safe_load(config)["repos"]
    assert repo == {"repo": REPOSITORY, "rev": "v0.3.0", "hooks": [{"id": hook["id"]}]}


def test_the_repository_workflow_is_the_init_template_plus_the_guide():
    expected = guide_script("generate").expected
    workflow = REPO / ".github" / "workflows" / "perfpages.yml"
    assert workflow.read_text(encoding="utf-8") == expected()[workflow], (
        "run: python guide/generate.py"
    )
