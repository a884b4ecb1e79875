"""``perfpages import``: a spreadsheet's values into the YAML, or Open SDG data into a new site.

Exit status as for every command: 0 done; 1 problems in the user's files (every problem is
reported and nothing is written); 2 wrong usage, which includes a SOURCE or --mapping file that
perfpages must not read (``generator.site.inputs.named_file``: a folder, a named pipe, a device,
a link to nothing, or from inside the site to a file outside it), refused before it is opened.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.commands.messages import detail, print_problems, say, verbosity_options
from generator.site.inputs import input_file, named_file
from generator.site.problems import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from generator.site.problems import Problem, Problems

MAPPING_FILE = "import.yml"


@click.command("import")
# Not click's exists=True, which calls a link that leads round in a loop missing: named_file
# says what each path is.
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option(
    "--from",
    "kind",
    type=click.Choice(["csv", "xlsx", "open-sdg"]),
    help="What SOURCE is (default: from its name; open-sdg for an Open SDG data repository).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--mapping",
    type=click.Path(path_type=Path),
    help=f"Which columns hold what (default: DIRECTORY/{MAPPING_FILE} when it exists).",
)
@click.option("--sheet", help="The XLSX sheet to read (default: the first).")
@click.option(
    "--period", help="The period of every row, when the spreadsheet has no period column."
)
@click.option("--title", help="open-sdg: the new site's title.")
@click.option("--organisation", help="open-sdg: the organisation publishing the new site.")
@verbosity_options
def import_command(
    source: Path,
    directory: Path,
    kind: str | None,
    dry_run: bool,
    mapping: Path | None,
    sheet: str | None,
    period: str | None,
    title: str | None,
    organisation: str | None,
) -> None:
    """Import SOURCE into the site in DIRECTORY (default: the current folder).

    SOURCE is a CSV or XLSX file of values (a row per indicator and period: indicator id,
    period, value, and optionally note, missing reason, rating, rating reason and target),
    written into the indicator files in place; or, with --from open-sdg, an Open SDG data
    repository, converted into a new site in DIRECTORY.

    SOURCE must lead to a plain file: a folder, a named pipe, a device or a broken link is
    refused (exit status 2), and so is a link from inside DIRECTORY to a file outside it.
    """
    if not os.path.lexists(source):
        raise click.BadParameter(f"Path '{source}' does not exist.", param_hint="'SOURCE'")
    kind = kind or _guess_kind(source)
    if kind == "open-sdg":
        if mapping or sheet or period:
            raise click.UsageError("--mapping, --sheet and --period are for spreadsheets")
        from generator.commands.import_open_sdg import run_open_sdg

        sys.exit(run_open_sdg(source, directory, dry_run, title, organisation))
    if title or organisation:
        raise click.UsageError("--title and --organisation are for --from open-sdg")
    if not directory.is_dir():
        raise click.UsageError(f"{directory} is not a folder")
    for path, what in ((source, "CSV or XLSX file"), (mapping, "mapping file")):
        if path is not None and (refused := named_file(path, directory, what)):
            raise click.UsageError(refused)
    sys.exit(_run_spreadsheet(source, directory, kind, dry_run, mapping, sheet, period))


def _guess_kind(source: Path) -> str:
    if source.is_dir():
        if (source / "data").is_dir() and (source / "meta").is_dir():
            raise click.UsageError(
                f"{source} looks like an Open SDG data repository; add --from open-sdg"
            )
        raise click.UsageError(f"{source} is a folder; give a CSV or XLSX file")
    suffix = source.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return "xlsx"
    return "csv"


def _run_spreadsheet(
    source: Path,
    directory: Path,
    kind: str,
    dry_run: bool,
    mapping_path: Path | None,
    sheet: str | None,
    period: str | None,
) -> int:
    """Import a CSV or XLSX file's values into the site's indicator files; the exit status.

    The site must validate first, then every row is read and planned (each cell that cannot be
    read is reported, with its row and column), the edited files are validated as a site in a
    copy, and only then written, unless a file changed on disk meanwhile. Any problem on the way
    writes nothing; with ``dry_run``, the change is shown as ``perfpages diff`` shows it."""
    from generator.importers.apply import ChangedOnDisk, check_site, overlay, write_files
    from generator.importers.changes import describe, preview
    from generator.importers.columns import MappingFile, read_mapping
    from generator.importers.rewrite import new_texts
    from generator.importers.spreadsheet import plan_import
    from generator.importers.tables import TableError, read_table
    from generator.site.problems import Problems, plural

    problems = Problems()
    site = check_site(directory, problems)
    if site is None:
        print_problems(problems)
        click.echo("Correct the site's files before importing; nothing was written.", err=True)
        return EXIT_PROBLEMS
    mapping = MappingFile()
    mapping_problems = Problems()
    if mapping_path is None:  # the site's own, under the rule of the site's files
        mapping_path = input_file(directory, MAPPING_FILE, mapping_problems)
        if mapping_problems:
            print_problems(mapping_problems)
            return EXIT_PROBLEMS
    if mapping_path is not None:
        found = read_mapping(mapping_path, mapping_problems)
        if found is None:
            print_problems(mapping_problems)
            return EXIT_PROBLEMS
        mapping = found
    name = source.name
    try:
        table = read_table(source, name, sheet or mapping.sheet, kind)
    except TableError as error:
        click.echo(error.problem.format(), err=True)
        click.echo("Nothing was written.", err=True)
        return EXIT_PROBLEMS
    sheet_read = f", sheet {table.sheet}" if table.sheet else ""
    detail(f"Read {plural(len(table.rows), 'row')} from {name}{sheet_read}")
    if mapping_path is not None:
        detail(f"Columns as {mapping_path} maps them")
    plan = plan_import(site, table, mapping, period)
    if plan.errors:
        _print_in_order(plan.problems)
        click.echo(
            f"{plural(len(plan.errors), 'problem')} in {name}; nothing was written.", err=True
        )
        return EXIT_PROBLEMS
    texts, originals, edit_problems = new_texts(plan)
    if edit_problems:
        _print_in_order(edit_problems)
        return EXIT_PROBLEMS
    _print_in_order(plan.warnings)
    after = Problems()
    with overlay(directory, texts) as new_root:
        if check_site(new_root, after) is None:
            print_problems(after)
            click.echo(
                "The import would leave the site with these errors; nothing was written.",
                err=True,
            )
            return EXIT_PROBLEMS
        new_warnings = _new_warnings(problems, after)
        if dry_run:
            click.echo(preview(plan, directory, new_root))
            _print_site_warnings(new_warnings)
            say("Dry run: nothing was written.")
            return EXIT_OK
    try:
        write_files(directory, texts, originals)
    except ChangedOnDisk as changed:
        click.echo(
            f"{changed}: changed on disk while the import ran; nothing was written. "
            "Save your edits and import again.",
            err=True,
        )
        return EXIT_PROBLEMS
    say(describe(plan), err=False)
    _print_site_warnings(new_warnings)
    say(f"Updated {plural(len(texts), 'file')}.")
    return EXIT_OK


def _print_in_order(problems: list[Problem]) -> None:
    # A list, not Problems: every problem found is printed, as often as it was found.
    for problem in sorted(problems, key=lambda p: p.sort_key):
        click.echo(problem.format(), err=True)


def _new_warnings(before: Problems, after: Problems) -> list[Problem]:
    """Warnings the import brings (a stated rating that the new value contradicts, ...)."""
    old = {(p.file, p.field, p.message) for p in before.warnings}
    return [p for p in after.warnings if (p.file, p.field, p.message) not in old]


def _print_site_warnings(warnings: list[Problem]) -> None:
    for problem in warnings:
        click.echo(problem.format(), err=True)
