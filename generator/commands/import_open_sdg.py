"""``perfpages import --from open-sdg REPO [DIR]``: a new site from an Open SDG data repository."""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.messages import print_problems, say
from generator.site.problems import EXIT_OK, EXIT_PROBLEMS, Problems


def run_open_sdg(
    source: Path, directory: Path, dry_run: bool, title: str | None, organisation: str | None
) -> int:
    """Convert the Open SDG repository ``source`` into a new site in ``directory``; the exit status.

    Refuses a source that is not a repository, and a directory that already holds a site. The
    converted files are checked as a site before anything is written, so a conversion that would
    not validate (a bug) writes nothing; with ``dry_run``, only the summary is printed."""
    from generator.importers.apply import check_site, overlay, write_files
    from generator.importers.opensdg.repo import DATA_DIR, META_DIR
    from generator.importers.opensdg.site import NOTES_FILE, convert_repository, summary_lines

    if not source.is_dir() or not ((source / DATA_DIR).is_dir() or (source / META_DIR).is_dir()):
        click.echo(
            f"{source}: not an Open SDG data repository (it has no {DATA_DIR}/ or {META_DIR}/ "
            "folder); give the folder that holds them",
            err=True,
        )
        return EXIT_PROBLEMS
    existing = [
        name
        for name in ("site_config.yml", "indicators", "disaggregations")
        if (directory / name).exists()
    ]
    if existing:
        click.echo(
            f"{directory}: already holds {', '.join(existing)}; the conversion writes a new "
            "site, so give an empty or new folder (nothing was written)",
            err=True,
        )
        return EXIT_PROBLEMS
    conversion = convert_repository(source, title, organisation)
    if conversion.repo.problems.errors:
        print_problems(conversion.repo.problems)
        click.echo(f"{source}: the files above cannot be read; nothing was written.", err=True)
        return EXIT_PROBLEMS
    problems = Problems()
    with overlay(directory, conversion.files, parts=()) as new_root:
        site = check_site(new_root, problems)
    if site is None:
        print_problems(problems)
        click.echo(
            "The converted site would not be valid (a perfpages bug: please report it); "
            "nothing was written.",
            err=True,
        )
        return EXIT_PROBLEMS
    for line in summary_lines(conversion):
        say(line, err=False)
    if dry_run:
        say("Dry run: nothing was written.")
        return EXIT_OK
    directory.mkdir(parents=True, exist_ok=True)
    write_files(directory, conversion.files, dict.fromkeys(conversion.files))
    say(
        f"Wrote a site of {len(conversion.converted)} indicators into {directory}; "
        f"details in {directory / NOTES_FILE}. Build it with: perfpages build {directory}"
    )
    return EXIT_OK
