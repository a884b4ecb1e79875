"""The README's first commands work on a fresh Debian 12 or Ubuntu 24.04, where pip will not
install outside a virtual environment ("externally-managed-environment"): they make one and
use it. CI (.ci/run) runs the first exactly as this test reads it."""

from __future__ import annotations

import re
import shlex

from generator.commands.scaffold import SCAFFOLD
from tests.conftest import REPO


def first_sh_lines(text: str) -> list[list[str]]:
    """The words of each line of the first ```sh block, comments dropped."""
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [shlex.split(line, comments=True) for line in block.splitlines()]


def commands(words: list[str]) -> list[list[str]]:
    """The commands of one line joined by && (and nothing else: no ; or |)."""
    assert not {";", "|", "||"} & set(words), words
    found: list[list[str]] = [[]]
    for word in words:
        if word == "&&":
            found.append([])
        else:
            found[-1].append(word)
    return found


def check_uses_a_venv(words: list[str]) -> None:
    """Makes .venv with python3 -m venv, then runs every program from it (pip never from
    outside it)."""
    first, *rest = commands(words)
    assert first == ["python3", "-m", "venv", ".venv"], words
    assert rest, words
    for command in rest:
        assert command[0].startswith(".venv/bin/"), (words, command)


def test_the_readmes_first_command_makes_and_uses_a_virtual_environment():
    first, second = first_sh_lines((REPO / "README.md").read_text(encoding="utf-8"))
    check_uses_a_venv(first)
    install, build = commands(first)[1:]
    assert install == [".venv/bin/pip", "install", "-e", "."]
    assert build == [".venv/bin/perfpages", "build", "--strict"]
    assert second == ["scripts/test"]


def test_ci_runs_the_readmes_first_command_as_written():
    run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "first=\"$(awk '/^```sh$/ { getline; print; exit }' README.md)\"" in run
    assert 'bash -c "$first"' in run
    assert run.rstrip().endswith("exec scripts/test")
    # The awk's line: the block's first, as written.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    line = readme.split("```sh\n", 1)[1].splitlines()[0]
    assert shlex.split(line, comments=True) == first_sh_lines(readme)[0]


def test_scripts_test_uses_a_virtual_environment_unless_one_is_active():
    script = (REPO / "scripts" / "test").read_text(encoding="utf-8")
    assert "python3 -m venv .venv" in script
    assert "sys.prefix == sys.base_prefix" in script  # an active one is used as it is
    assert "python3-venv" in script  # Debian's ensurepip, when missing
    # Every pip and pytest runs with the chosen Python, never the system's python3.
    runs = [line for line in script.splitlines() if re.search(r"-m (pip install|pytest)\b", line)]
    assert len(runs) == 5
    for line in runs:
        assert '"$python" -m' in line, line


def test_the_new_sites_readme_installs_into_a_virtual_environment_too():
    first, second = first_sh_lines((SCAFFOLD / "site" / "README.md").read_text(encoding="utf-8"))
    check_uses_a_venv(first)
    assert commands(first)[1] == [".venv/bin/pip", "install", "-r", "requirements.txt"]
    assert second[:2] == [".venv/bin/perfpages", "serve"]


def test_the_virtual_environment_is_ignored_by_git():
    assert "/.venv/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    site = (SCAFFOLD / "site" / "dot-gitignore").read_text(encoding="utf-8").splitlines()
    assert "/.venv/" in site
