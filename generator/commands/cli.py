"""The ``perfpages`` command line (also ``python -m perfpages`` and ``python -m generator``).

Exit status: 0 success; 1 problems in the user's files (every problem is reported), or a build
the system stopped (a full disk); 2 wrong usage; 130 interrupted (Ctrl-C), whatever the command.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from generator import __version__
from generator.commands.messages import (
    QUIET,
    detail,
    os_error,
    print_problems,
    say,
    verbosity,
    verbosity_options,
)
from generator.site.problems import (
    EXIT_INTERRUPTED,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    UserError,
    WrongUsage,
    plural,
)

SiteDir = click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path)


def _progress() -> Any:
    """A progress bar on a terminal (not with --quiet); with --verbose, each stage's time too."""
    from generator.commands.progress import Progress, Timed
    from generator.pipeline import NullProgress

    shown = Progress() if sys.stderr.isatty() and verbosity() > QUIET else NullProgress()
    return Timed(shown) if verbosity() > 0 else shown


class _Commands(click.Group):
    """perfpages' commands: Ctrl-C stops any of them with one line and exit status 130, as a
    shell reports a command it stopped (click's own handling says "Aborted!" and exits 1).
    Commands that have more to say (the site was left as it was) catch it first."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as stop:
            click.echo("\nInterrupted.", err=True)
            sys.exit(getattr(stop, "status", EXIT_INTERRUPTED))
        except Exception as error:
            if not interrupted(error):
                raise
            click.echo("\nInterrupted.", err=True)
            sys.exit(EXIT_INTERRUPTED)


def run() -> None:
    """The ``perfpages`` command (and ``python -m perfpages``, ``python -m generator``).

    A command stopped by Ctrl-C has cleaned up and said so by the time it exits 130; the
    process then ends at once. Left to finish normally, CPython sometimes reports the
    interrupt it already handled as unhandled and ends the process by SIGINT instead of with
    status 130 (about one run in ten, with a signal arriving mid-build)."""
    try:
        main(prog_name="perfpages")
    except SystemExit as done:
        if done.code != EXIT_INTERRUPTED:
            raise
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(EXIT_INTERRUPTED)


def interrupted(error: BaseException) -> bool:
    """Whether ``error`` is, or was caused by, Ctrl-C: Python turns a KeyboardInterrupt that
    lands while a class is being made (a module imported at that moment) into a RuntimeError
    caused by it."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfpages")
def main() -> None:
    """Publish performance indicators as an accessible static website."""


@main.command("build")
@click.argument("directory", type=SiteDir, default=".")
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: DIRECTORY/site): a new path, an empty folder, or "
    "one perfpages built (a preview never replaces a site built for publishing); never a "
    "symbolic link, a mount point, the project, a folder holding it, or one inside its input "
    "or build folders.",
)
@click.option("--strict", is_flag=True, help="Treat every warning as an error (use this in CI).")
@click.option(
    "--preview",
    is_flag=True,
    help="Build a copy for review, not for publishing: its links and search work when its "
    "index.html is opened from the disk; every page says noindex. Default output: "
    "DIRECTORY/site-preview.",
)
@verbosity_options
def build_command(directory: Path, output: Path | None, strict: bool, preview: bool) -> None:
    """Build DIRECTORY into a static site."""
    from generator.commands.progress import Timed
    from generator.pipeline import build_site
    from generator.site.layout import PREVIEW_DIR, SITE_DIR

    progress = _progress()
    kept = "the previously built site was not changed."
    try:
        with _closing(progress):
            generated = build_site(directory, output, strict, progress, preview)
    except UserError as error:
        print_problems(error.problems)
        click.echo(f"The build stopped; {kept}", err=True)
        sys.exit(EXIT_PROBLEMS)
    except WrongUsage as error:
        click.echo(f"Error: {error}. Nothing was written.", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo(f"\nInterrupted; {kept}", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as error:
        if interrupted(error):
            click.echo(f"\nInterrupted; {kept}", err=True)
            sys.exit(EXIT_INTERRUPTED)
        if not isinstance(error, OSError):
            raise
        click.echo(f"The build stopped: {os_error(error)}; {kept}", err=True)
        sys.exit(EXIT_PROBLEMS)
    print_problems(generated.problems)
    target = output or directory / (PREVIEW_DIR if preview else SITE_DIR)
    if isinstance(progress, Timed):
        for line in progress.lines():
            detail(line)
    stats = generated.stats
    detail(
        f"Pages and data in {generated.work}: {stats.written} written, "
        f"{stats.unchanged} unchanged, {stats.removed} removed"
    )
    built = plural(generated.indicator_count, "indicator")
    if preview:
        say(
            f"Built a preview of {built} into {target}: open {target / 'index.html'} in a "
            "browser (not for publishing)"
        )
    else:
        say(f"Built {built} into {target}")


def _close(progress: Any) -> None:
    close: Callable[[], None] | None = getattr(progress, "close", None)
    if close:
        close()


@contextlib.contextmanager
def _closing(progress: Any) -> Iterator[None]:
    """The progress display closed however the work inside ends (before anything is said)."""
    try:
        yield
    finally:
        _close(progress)


@main.command()
@click.argument("directory", type=SiteDir, default=".")
@click.option("--strict", is_flag=True, help="Treat every warning as an error.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "gitlab", "json"]),
    default="text",
    show_default=True,
    help="text for people; github for workflow annotations; gitlab for a GitLab Code Quality "
    "report (JSON); json for tools.",
)
@verbosity_options
def validate(directory: Path, strict: bool, fmt: str) -> None:
    """Check DIRECTORY's files and report every problem, without building."""
    from generator.pipeline import check

    try:
        site, assessed, problems = check(directory, strict)
    except UserError as error:
        print_problems(error.problems, fmt, directory=directory)
        sys.exit(EXIT_PROBLEMS)
    except KeyboardInterrupt:
        click.echo("\nInterrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    detail(
        f"Read {plural(len(site.indicators), 'indicator file')} and "
        f"{plural(len(site.pages), 'content page')}; reporting period "
        f"{site.config.reporting_period.text}"
    )
    print_problems(
        problems,
        fmt,
        ok_message=f"{plural(len(assessed), 'indicator')} checked: no problems",
        directory=directory,
    )


@main.command()
@click.argument("directory", type=SiteDir, default=".")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Port to listen on. Default: 8000, or the next free port after it when 8000 is in "
    "use; a port given here that is in use is an error.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a web browser.")
@verbosity_options
def serve(directory: Path, host: str, port: int | None, open_browser: bool) -> None:
    """Preview DIRECTORY in a browser; pages reload on every edit."""
    from generator.commands.serve import serve as run_serve

    try:
        sys.exit(run_serve(directory, host, port, open_browser=open_browser))
    except WrongUsage as error:
        click.echo(f"Error: {error}.", err=True)
        sys.exit(EXIT_USAGE)


from generator.commands.authoring import diff, init, new, schema  # noqa: E402 - after main
from generator.commands.importing import import_command  # noqa: E402 - after main

main.add_command(diff)
main.add_command(schema)
main.add_command(init)
main.add_command(new)
main.add_command(import_command)
