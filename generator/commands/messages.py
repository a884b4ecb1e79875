"""What the commands print: the problems found, in the chosen format, and how much else.

Every command takes ``-q``/``--quiet`` (only problems: the files' problems and why a command
stopped) and ``-v``/``--verbose`` (more detail: what was read and written, how long each stage
took). What a command is asked for on standard output (a diff, a report in a CI format) is
printed either way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator.site.problems import Problems, code_quality, plural

QUIET, NORMAL, VERBOSE = -1, 0, 1
_verbosity = NORMAL

F = TypeVar("F", bound=Callable[..., Any])


def verbosity() -> int:
    return _verbosity


def set_verbosity(level: int) -> None:
    global _verbosity
    _verbosity = level


def say(text: str, *, err: bool = True) -> None:
    """What a command did, for people (not a problem): left out with --quiet."""
    if _verbosity >= NORMAL:
        click.echo(text, err=err)


def detail(text: str) -> None:
    """More than most people want to read: only with --verbose."""
    if _verbosity >= VERBOSE:
        click.echo(text, err=True)


def _chosen(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """Each command's -q and -v, once both are read (click reads every option, given or not,
    so each run starts again from what it was given)."""
    chosen = ctx.meta.setdefault("perfpages.verbosity", {})
    chosen[param.name] = value
    if len(chosen) < 2:
        return
    if chosen["quiet"] and chosen["verbose"]:
        raise click.UsageError("give -q (--quiet) or -v (--verbose), not both", ctx)
    set_verbosity(QUIET if chosen["quiet"] else VERBOSE if chosen["verbose"] else NORMAL)


def verbosity_options(command: F) -> F:
    """-q/--quiet and -v/--verbose, for every command."""
    command = click.option(
        "-v",
        "--verbose",
        "verbose",
        is_flag=True,
        expose_value=False,
        callback=_chosen,
        help="Say more: what was read and written, and how long each stage took.",
    )(command)
    return click.option(
        "-q",
        "--quiet",
        "quiet",
        is_flag=True,
        expose_value=False,
        callback=_chosen,
        help="Print only problems (and what the command was asked to print).",
    )(command)


def print_problems(
    problems: Problems,
    fmt: str = "text",
    *,
    ok_message: str | None = None,
    directory: Path | None = None,
) -> None:
    """Print problems in the chosen format: text for people, github, gitlab or json for CI
    systems.

    json prints only the list of problems (paths from the site folder). github prints one
    workflow command per problem, with paths from the current folder (the repository's root
    in a workflow), and the count for people reading the log. gitlab prints a GitLab Code
    Quality report (paths from the current folder too) on standard output, for the merge
    request, and the problems as text on standard error, for the job's log.
    """
    if fmt == "json":
        click.echo(problems.to_json())
        return
    if fmt == "gitlab":
        prefix = _prefix(directory) if directory is not None else ""
        click.echo(code_quality(problems, prefix))
        for p in problems:
            click.echo(p.format(), err=True)
    elif fmt == "github":
        prefix = _prefix(directory) if directory is not None else ""
        for p in problems:
            click.echo(p.github(prefix))
    else:
        for p in problems:
            click.echo(p.format(), err=True)
    if count := count_line(problems):
        click.echo(count, err=True)
    elif ok_message:
        say(ok_message)


def count_line(problems: Problems) -> str:
    """The count, as in "2 errors and 1 warning in 2 files"; "" when there is no problem."""
    errors, warnings = len(problems.errors), len(problems.warnings)
    if not (errors or warnings):
        return ""
    parts = []
    if errors:
        parts.append(plural(errors, "error"))
    if warnings:
        parts.append(plural(warnings, "warning"))
    return f"{' and '.join(parts)} in {plural(len({p.file for p in problems}), 'file')}"


def _prefix(directory: Path) -> str:
    """The site folder's path from the current folder, for annotations ("" for the same)."""
    rel = os.path.relpath(directory.resolve(), Path.cwd().resolve())
    return "" if rel == "." else Path(rel).as_posix() + "/"


def os_error(error: OSError) -> str:
    """ "No space left on device (/path)": the system's words and the path. For a copy or a
    rename, the path it was writing to (the system names the source first)."""
    path = error.filename2 or error.filename
    where = f" ({path})" if path else ""
    return f"{error.strerror or error}{where}"
