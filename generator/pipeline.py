"""The pipeline: load -> validate -> assess -> render -> write -> MkDocs -> publish.

``build_site`` reads like the pipeline; each stage lives in the module named after it. Any
problem in the user's files stops the run before anything is written, and the published site is
only replaced once MkDocs has built the new one completely.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.assess.assessment import AssessCache, Assessed, assess_site
from generator.mkdocs import run as mkdocs_run
from generator.mkdocs.config import mkdocs_config, mkdocs_yaml
from generator.output import parallel
from generator.output.files import (
    WriteStats,
    clean_staging,
    folder_lock,
    publish,
    read_tree,
    remove_others,
    staging_dir,
    sync_tree,
    write_files,
)
from generator.render import reports
from generator.render.output import Output
from generator.render.pages import OutputCache, Renderer, content_outputs
from generator.site import i18n
from generator.site.layout import FileCache, Site
from generator.site.loader import load_site
from generator.site.problems import Problems, UserError


class NullProgress:
    """Where a build reports its stages: shows nothing (tests, pipes, CI logs). The command
    line passes ``generator.commands.progress.Progress``, a progress bar on a terminal."""

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Callable[[], None]]:
        """A stage of the build; the function yielded marks one of ``total`` steps done."""
        yield lambda: None


WORK_DIR = "build"
SITE_DIR = "site"


def builtin_theme_dir() -> Path:
    """The theme shipped with perfpages: in the package when installed, else the repository's."""
    packaged = Path(__file__).parent / "theme"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "theme"


@dataclass
class Generated:
    """What the generator stage produced in the work folder."""

    site: Site
    assessed: list[Assessed]
    work: Path
    problems: Problems
    stats: WriteStats = field(default_factory=WriteStats)  # of the docs folder
    settings_changed: bool = False  # mkdocs.yml or the theme: every page must be rebuilt
    # With ``defer_reports``: writes the reports of each period, newest first, and stops early
    # (the rest left as they were) when its argument says a newer edit is waiting.
    write_reports: Callable[..., WriteStats] | None = None

    @property
    def mkdocs_file(self) -> Path:
        return self.work / "mkdocs.yml"


@dataclass
class BuildCache:
    """What ``perfpages serve`` keeps from one regeneration to the next, so that an indicator
    file that did not change is neither read nor rendered again."""

    files: FileCache = field(default_factory=dict)
    assessed: AssessCache = field(default_factory=dict)
    outputs: OutputCache = field(default_factory=OutputCache)


def check(
    root: Path, strict: bool = False, cache: BuildCache | None = None
) -> tuple[Site, list[Assessed], Problems]:
    """Load, validate and assess; raise UserError when the build must not go on."""
    problems = Problems()
    site = load_site(root, problems, cache.files if cache else None)
    if site is None:
        raise UserError(problems)
    i18n.set_language(site.config.site.language)
    assessed = assess_site(site, problems, cache.assessed if cache else None)
    if problems.failed(strict):
        raise UserError(problems)
    return site, assessed, problems


def generate(
    root: Path,
    output: Path,
    strict: bool = False,
    progress: NullProgress | None = None,
    cache: BuildCache | None = None,
    defer_reports: bool = False,
) -> Generated:
    """The generator stage: the docs folder, theme and mkdocs.yml in ``root/build``.

    With ``defer_reports`` (perfpages serve), the reports of each period, which list every
    indicator and are most of the work on a large site, are left as they were; the caller
    writes them afterwards with ``Generated.write_reports``, once the edited pages are shown."""
    progress = progress or NullProgress()
    root = root.resolve()
    with progress.stage("Checking files"):
        site, assessed, problems = check(root, strict, cache)
    work = root / WORK_DIR
    with progress.stage(f"Writing pages for {len(assessed)} indicators"):
        renderer = Renderer(site, assessed, cache.outputs if cache else None)
        # perfpages serve (which keeps a cache) runs threads: no forking there.
        stats = write_docs(
            renderer, site, work / "docs", 1 if cache else None, with_reports=not defer_reports
        )
        theme = read_tree(builtin_theme_dir())
        site_theme = root / "theme"
        if site_theme.is_dir() and site_theme.resolve() != builtin_theme_dir().resolve():
            overrides = dict(read_tree(site_theme))
            theme = [(p, overrides.pop(p, data)) for p, data in theme] + sorted(overrides.items())
        theme_stats = sync_tree(work / "theme", theme)
        config = mkdocs_config(site, work / "theme", staging_dir(work, output))
        config_changed = sync_tree_file(work / "mkdocs.yml", mkdocs_yaml(config))
    changed = config_changed or bool(theme_stats.changed or theme_stats.deleted)
    generated = Generated(site, assessed, work, problems, stats, changed)
    if defer_reports:
        generated.write_reports = functools.partial(write_reports, renderer, work / "docs")
    return generated


# From this many indicators, each process gets enough pages to repay what a fork costs; below it
# the build stays in one process (the figures are in benchmarks/README.md).
PARALLEL_THRESHOLD = 100


def write_docs(
    renderer: Renderer,
    site: Site,
    docs: Path,
    processes: int | None = None,
    with_reports: bool = True,
) -> WriteStats:
    """Render and write the docs folder. Each indicator's page and data files depend on that
    indicator alone, and each period's report on the history alone, so on large sites they are
    shared out between processes, each writing its own files; this process also makes the other
    site-wide pages."""
    if processes is None:
        processes = parallel.workers_for(len(renderer.assessed), PARALLEL_THRESHOLD)
    renderer.load_templates()
    renderer.prepare_data()  # the data package and every page need every data file's size
    shares = parallel.shares(renderer.assessed, processes, own_share=0.8)
    # A period's report and printable report list every indicator: on a large site they are
    # most of the work, so they are dealt out one period at a time.
    periods = parallel.shares(
        range(len(renderer.history.states)) if with_reports else [], processes
    )

    def write_share(index: int) -> tuple[set[str], WriteStats]:
        stats = WriteStats()
        files: Iterable[Output] = itertools.chain(
            (o for i in periods[index] for o in renderer.report_outputs(i)),
            (o for a in shares[index] for o in renderer.indicator_outputs(a)),
        )
        if index == 0:
            site_wide = renderer.site_outputs(with_reports=False)
            files = itertools.chain(site_wide, content_outputs(site), files)
        return write_files(docs, ((o.path, o.data) for o in files), stats), stats

    stats = WriteStats()
    wanted: set[str] = set()
    for paths, share_stats in parallel.fork_map(write_share, range(processes)):
        wanted |= paths
        stats.add(share_stats)
    if not with_reports:
        # left as they are, for write_reports
        wanted.update(reports.report_paths(renderer, renderer.history))
    remove_others(docs, wanted, stats)
    return stats


def write_reports(
    renderer: Renderer,
    docs: Path,
    newer: Callable[[], bool],
    each: Callable[[WriteStats], None] | None = None,
) -> WriteStats:
    """The reports of each period, newest first (left by ``write_docs(with_reports=False)``), with
    ``each`` called on what each period's writing did; stops when ``newer()`` says another edit
    is waiting (its regeneration writes them all again)."""
    stats = WriteStats()
    for i in range(len(renderer.history.states)):
        if newer():
            break
        period = WriteStats()
        write_files(docs, ((o.path, o.data) for o in renderer.report_outputs(i)), period)
        if each:
            each(period)
        stats.add(period)
    return stats


def sync_tree_file(path: Path, data: bytes) -> bool:
    """Write ``path`` if its bytes changed; whether they did."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def build_site(
    root: Path,
    output: Path | None = None,
    strict: bool = False,
    progress: NullProgress | None = None,
) -> Generated:
    """Build the site in ``root`` into ``output`` (default ``root/site``)."""
    progress = progress or NullProgress()
    root = root.resolve()
    output = (output or root / SITE_DIR).absolute()
    with folder_lock(root, _say_waiting):
        generated = generate(root, output, False, progress)
        release_sources(generated.site)
        staging = staging_dir(generated.work, output)
        clean_staging(staging)
        pages = sum(1 for _ in (generated.work / "docs").rglob("*.md"))
        with progress.stage("Building the site with MkDocs", total=pages) as advance:
            run_mkdocs(generated, False, advance)
        if strict and generated.problems.warnings:
            # Under --strict every warning fails the build, but only after MkDocs has run, so
            # the broken links it finds are reported in the same run as the generator's warnings.
            clean_staging(staging)
            raise UserError(generated.problems)
        with progress.stage("Publishing"):
            publish(staging, output)
    return generated


def _say_waiting() -> None:
    print("Waiting for another build of this folder to finish...", file=sys.stderr, flush=True)


def release_sources(site: Site) -> None:
    """Let go of the indicator files' YAML as read (kept for line numbers in messages, which
    are all made by now): the MkDocs stage needs none of it, and on a large site it is memory
    that MkDocs' own pages could use, in this process and any it forks."""
    for indicator in site.indicators:
        indicator.doc.data = None
        indicator.doc.lines = {}


def run_mkdocs(
    generated: Generated, strict: bool, advance: Callable[[], None] | None = None
) -> None:
    """A real MkDocs build of the generated folder (``generator.mkdocs.run``), its warnings
    added to the generated site's problems."""
    mkdocs_run.run(
        generated.mkdocs_file,
        generated.site,
        generated.problems,
        len(generated.assessed),
        strict=strict,
        advance=advance,
    )
