"""What the commands print about the user's files: the problems found, in the chosen format."""

from __future__ import annotations

import os
from pathlib import Path

import click

from generator.site.problems import Problems, plural


def print_problems(
    problems: Problems,
    fmt: str = "text",
    *,
    ok_message: str | None = None,
    directory: Path | None = None,
) -> None:
    """Print problems in the chosen format: text for people, github or json for CI systems.

    json prints only the list of problems (paths from the site folder). github prints one
    workflow command per problem, with paths from the current folder (the repository's root
    in a workflow), and the count for people reading the log.
    """
    if fmt == "json":
        click.echo(problems.to_json())
        return
    if fmt == "github":
        prefix = _prefix(directory) if directory is not None else ""
        for p in problems:
            click.echo(p.github(prefix))
    else:
        for p in problems:
            click.echo(p.format(), err=True)
    if count := count_line(problems):
        click.echo(count, err=True)
    elif ok_message:
        click.echo(ok_message, err=True)


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
