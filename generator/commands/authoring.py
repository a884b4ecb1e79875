"""The contributor's commands: ``diff``, ``schema``, ``init`` and ``new``.

Each imports what it needs when it runs, so that ``perfpages --help`` stays quick.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from generator.commands.messages import detail, say, verbosity_options
from generator.site.problems import EXIT_PROBLEMS


@click.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="markdown for a pull-request comment; json for tools.",
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=2000),
    default=None,
    help="Keep the Markdown under this many characters (a GitHub comment holds 65,536): "
    "long texts are shortened first, then the report is cut.",
)
@verbosity_options
def diff(old: str, new: str, fmt: str, max_chars: int | None) -> None:
    """Show what changed between two versions of a site.

    OLD and NEW are each a site folder or a git revision. Revisions (main, HEAD~1, a tag
    or a commit) are read from the git repository of the current folder, with the site at
    the current folder's place in it. Errors in either version are part of the report; the
    exit status is 0 whenever a report is written.
    """
    from generator.diff.compare import compare, read_version, to_json
    from generator.diff.markdown import markdown
    from generator.diff.revisions import RevisionError, resolve

    with tempfile.TemporaryDirectory(prefix="perfpages-diff-") as tmp:
        try:
            before = resolve(old, Path(tmp) / "old", Path.cwd())
            after = resolve(new, Path(tmp) / "new", Path.cwd())
        except RevisionError as error:
            raise click.UsageError(str(error)) from None
        for name, version in (("OLD", before), ("NEW", after)):
            source = f"git revision {version.revision}" if version.revision else "folder"
            detail(f"{name}: {version.label} ({source}), read from {version.root}")
        site_diff = compare(
            read_version(before.root, before.label, before.revision),
            read_version(after.root, after.label, after.revision),
        )
    if fmt == "json":
        click.echo(to_json(site_diff), nl=False)
    else:
        click.echo(markdown(site_diff, max_chars=max_chars), nl=False)


@click.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="The folder to write indicator.schema.json and site_config.schema.json into.",
)
@verbosity_options
def schema(output: Path) -> None:
    """Write the JSON Schema of the site's files, for editors.

    The schemas describe indicator files and site_config.yml. Run it in a site folder
    after upgrading perfpages to refresh the site's schemas/.
    """
    from generator.commands.schema import write_schemas

    for path in write_schemas(output):
        say(f"Wrote {path}")


@click.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--ci",
    type=click.Choice(["github", "gitlab", "none"]),
    default="github",
    show_default=True,
    help="Which CI configuration to write: GitHub Actions with GitHub Pages, GitLab CI with "
    "GitLab Pages, or none.",
)
@verbosity_options
def init(directory: Path, ci: str) -> None:
    """Make a new site in DIRECTORY, ready to fill in.

    DIRECTORY must be new or empty. The site builds at once, with example indicators, pages,
    CI configuration, editor schemas and a README saying what to do next.
    """
    from generator.commands.scaffold import ScaffoldError, init_site, install_source

    try:
        made = init_site(directory, ci)
    except ScaffoldError as error:
        click.echo(f"perfpages init: {error}", err=True)
        sys.exit(EXIT_PROBLEMS)
    for path in made.files:
        say(f"  {path.relative_to(directory).as_posix()}")
    source = install_source()
    detail(f"requirements.txt installs {source.requirement}")
    if not source.release:
        click.echo(source.warning, err=True)
    say(
        f"Made a new site in {directory} (reporting period {made.period.text}). Next:\n"
        f"  cd {directory}\n"
        "  perfpages serve        # preview it at http://127.0.0.1:8000/\n"
        "Then replace the examples in site_config.yml, indicators/ and content/ with your own."
    )


@click.command()
@click.argument("indicator_id", metavar="ID")
@click.argument(
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=".",
)
@click.option(
    "--kind",
    type=click.Choice(["measure", "project"]),
    default="measure",
    show_default=True,
    help="A measure (values against a target) or a project (rated updates, milestones).",
)
@click.option(
    "--priority",
    default=None,
    help="The priority id from site_config.yml (default: the first one).",
)
@verbosity_options
def new(indicator_id: str, directory: Path, kind: str, priority: str | None) -> None:
    """Add a new indicator file, commented, that validates.

    Writes DIRECTORY/indicators/ID.yml (DIRECTORY defaults to the current folder).
    """
    import difflib

    from pydantic_core import PydanticCustomError

    from generator.commands.scaffold import ScaffoldError, new_indicator
    from generator.commands.schema import INDICATOR_SCHEMA, SCHEMA_DIR, write_schemas
    from generator.site.layout import CONFIG_FILE
    from generator.site.loader import read_config
    from generator.site.models import ID_RE, check_id
    from generator.site.problems import Problems

    if not ID_RE.fullmatch(indicator_id):
        try:
            check_id(indicator_id)
        except PydanticCustomError as error:
            raise click.BadParameter(error.message(), param_hint="ID") from None
    problems = Problems()
    config, doc = read_config(directory, problems)
    if config is None:
        where = directory / CONFIG_FILE
        reason = "is missing" if doc is None and not problems else "has problems"
        click.echo(
            f"perfpages new: {where} {reason}; a new indicator needs the site's priorities "
            f"and reporting period from it (run 'perfpages validate {directory}' to see the "
            f"problems, or 'perfpages init' to start a site)",
            err=True,
        )
        sys.exit(EXIT_PROBLEMS)
    ids = [p.id for p in config.priorities]
    if priority is None:
        priority = ids[0]
    elif priority not in ids:
        near = difflib.get_close_matches(priority, ids, n=1, cutoff=0.5)
        hint = f"did you mean {near[0]}? " if near else ""
        raise click.BadParameter(
            f'"{priority}" is not a priority in {CONFIG_FILE}; {hint}'
            f"(priorities: {', '.join(ids)})",
            param_hint="--priority",
        )
    try:
        path = new_indicator(directory, indicator_id, kind, priority, ids, config.reporting_period)
    except ScaffoldError as error:
        click.echo(f"perfpages new: {error}", err=True)
        sys.exit(EXIT_PROBLEMS)
    if not (directory / SCHEMA_DIR / INDICATOR_SCHEMA).is_file():
        write_schemas(directory / SCHEMA_DIR)
        say(f"Wrote the editor schemas into {directory / SCHEMA_DIR}")
    say(f"Wrote {path}: fill in the lines marked CHECK, then run perfpages validate")
