"""The pipeline: load -> validate -> assess -> render -> write -> MkDocs -> publish.

``build_site`` reads like the pipeline; each stage lives in the module named after it. Any
problem in the user's files stops the run before anything is written, and the published site is
only replaced once MkDocs has built the new one completely.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import json
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.assess.assessment import AssessCache, Assessed, assess_site
from generator.mkdocs import run as mkdocs_run
from generator.mkdocs.config import alternates as mkdocs_alternates
from generator.mkdocs.config import mkdocs_config, mkdocs_yaml
from generator.output import parallel
from generator.output.files import (
    STAGING,
    WriteStats,
    clean_staging,
    clean_stale,
    folder_lock,
    publish,
    read_files,
    read_tree,
    remove_others,
    staging_dir,
    sync_tree,
    write_files,
)
from generator.output.place import check_output, check_work, write_marker
from generator.render import opendata, reports
from generator.render.output import Output
from generator.render.pages import OutputCache, Renderer, WrittenData, content_outputs
from generator.site import i18n, languages
from generator.site.layout import (
    PREVIEW_DIR,
    SITE_DIR,
    THEME_DIR,
    FileCache,
    Site,
    indicator_files,
    theme_files,
)
from generator.site.loader import load_site
from generator.site.problems import Problems, UserError
from generator.site.validate import check_site_address
from generator.site.yaml_reader import Document


class NullProgress:
    """Where a build reports its stages: shows nothing (tests, pipes, CI logs). The command
    line passes ``generator.commands.progress.Progress``, a progress bar on a terminal."""

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Callable[[], None]]:
        """A stage of the build; the function yielded marks one of ``total`` steps done."""
        yield lambda: None


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
    # On a site of several languages: whether any other language's docs or mkdocs file changed
    # (``stats`` is of the default language's docs folder alone).
    other_languages_changed: bool = False
    # With ``defer_reports``: writes the reports of each period, newest first, and stops early
    # (the rest left as they were) when its argument says a newer edit is waiting.
    write_reports: Callable[..., WriteStats] | None = None
    # How many indicators, once ``assessed`` is let go of (``for_mkdocs``).
    indicators: int | None = None

    @property
    def indicator_count(self) -> int:
        return len(self.assessed) if self.indicators is None else self.indicators

    @property
    def mkdocs_file(self) -> Path:
        return self.work / "mkdocs.yml"

    def mkdocs_files(self) -> list[tuple[str, Path, Path]]:
        """Each language's (folder in the site, mkdocs file, docs folder), the default
        language's first (its folder ""); one on a site of one language."""
        codes = self.site.config.site.all_languages
        found = [("", self.mkdocs_file, self.work / "docs")]
        for code in codes[1:]:
            found.append((code, self.work / f"mkdocs-{code}.yml", self.work / f"docs-{code}"))
        return found


@dataclass
class BuildCache:
    """What ``perfpages serve`` keeps from one regeneration to the next, so that an indicator
    file that did not change is neither read nor rendered again."""

    files: FileCache = field(default_factory=dict)
    assessed: AssessCache = field(default_factory=dict)
    outputs: OutputCache = field(default_factory=OutputCache)


@contextlib.contextmanager
def cycles_paused() -> Iterator[None]:
    """Python's collector of reference cycles paused while the block runs (the generator's
    stages; not MkDocs', which measured slower without it).

    Each of its full passes visits every object alive, and loading a site keeps millions alive
    (every value of every indicator, as read and assessed), so its passes grew with the site:
    at 5,000 indicators they were 40% of the checks (14.7 s, 10.4 s without). The stages make
    almost no cycles (26 objects at 5,000 indicators; the peak memory was the same), so nothing
    piles up meanwhile; the collector resumes after."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def check(
    root: Path, strict: bool = False, cache: BuildCache | None = None
) -> tuple[Site, list[Assessed], Problems]:
    """Load, validate and assess; raise UserError when the build must not go on."""
    problems = Problems()
    site = load_site(root, problems, cache.files if cache else None)
    if site is None:
        raise UserError(problems)
    i18n.set_language(site.config.site.language)
    languages.missing_translations(site, problems)
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
    preview: bool = False,
    defer_site_pages: bool = False,
    keep_indicators: bool = True,
) -> Generated:
    """The generator stage: the docs folder, theme and mkdocs.yml in ``root/build``.

    With ``defer_reports`` (perfpages serve), the reports of each period, which list every
    indicator and are most of the work on a large site, are left as they were; the caller
    writes them afterwards with ``Generated.write_reports``, once the edited pages are shown.
    With ``defer_site_pages`` too, so are the other pages made from every indicator at once
    (the home page, the priorities, the list of indicators, the feed).
    With ``preview``, mkdocs.yml makes the copy a reviewer opens from the disk.
    Without ``keep_indicators`` (a build, which goes on to MkDocs), what is given back is
    ``for_mkdocs``'s, and on a large site the whole stage runs in a child process: the site as
    read and assessed is then never in this process, so the processes that render its pages
    do not each hold a copy of it beside this one's."""
    progress = progress or NullProgress()
    root = root.resolve()
    work = check_work(root)
    stage = functools.partial(_generate, root, work, strict, cache=cache, preview=preview)
    if keep_indicators or cache is not None or defer_reports or not _large(root):
        lean = not keep_indicators and cache is None
        generated = stage(
            progress, defer_reports, defer_site_pages, separate=cache is None, lean=lean
        )
        return generated if keep_indicators else for_mkdocs(generated)
    return _in_child_with_stages(progress, lambda relayed: for_mkdocs(stage(relayed, lean=True)))


def let_go_of_yaml(site: Site) -> None:
    """Each indicator file's YAML as read (its plain data and the line of every field), which
    only the checks' messages need: a build lets go of it once they are made, for a large
    site's memory (a third of what its indicators take). Not under serve, whose cache keeps
    the files as read from one edit to the next."""
    for indicator in site.indicators:
        doc = indicator.doc
        indicator.doc = Document(doc.path, doc.rel, None, {(): doc.line(())})


def _large(root: Path) -> bool:
    """Whether the site has enough indicators for its pages to be shared out between
    processes (counted from the files: nothing is read)."""
    return parallel.workers_for(len(indicator_files(root)), PARALLEL_THRESHOLD) > 1


def _generate(
    root: Path,
    work: Path,
    strict: bool,
    progress: NullProgress,
    defer_reports: bool = False,
    defer_site_pages: bool = False,
    cache: BuildCache | None = None,
    preview: bool = False,
    separate: bool = False,
    lean: bool = False,
) -> Generated:
    """``generate``'s stages; with ``separate``, a large site's pages are written in a child
    process, whose memory is given back before MkDocs starts. With ``lean``, the indicator
    files' YAML as read is let go of once checked (see ``let_go_of_yaml``)."""
    with cycles_paused(), progress.stage("Checking files"):
        site, assessed, problems = check(root, strict, cache)
        if lean:
            let_go_of_yaml(site)
    with cycles_paused(), progress.stage(f"Writing pages for {len(assessed)} indicators"):
        write = functools.partial(
            _write_stage,
            site,
            assessed,
            root,
            work,
            preview,
            cache,
            defer_reports,
            defer_reports and defer_site_pages,
        )
        large = parallel.workers_for(len(assessed), PARALLEL_THRESHOLD) > 1
        if separate and not defer_reports and large:
            # In a child process of its own: what rendering takes (every page, every data
            # file) is given back to the system when it ends, before MkDocs starts.
            written = parallel.in_child(lambda: dataclasses.replace(write(), renderer=None))
        else:
            written = write()
    generated = Generated(
        site, assessed, work, problems, written.stats, written.changed, written.others_changed
    )
    if defer_reports:
        assert written.renderer is not None
        generated.write_reports = functools.partial(
            write_reports, written.renderer, work / "docs", site_pages=defer_site_pages
        )
    return generated


class _RelayedStages(NullProgress):
    """A child process's stages, sent to its parent's progress display (``_in_child_with_stages``)
    as lines on a pipe: ``["enter", name, total]``, ``["advance"]`` and ``["exit"]``."""

    def __init__(self, pipe: int) -> None:
        self._pipe = pipe

    def _send(self, *event: object) -> None:
        os.write(self._pipe, json.dumps(event).encode("utf-8") + b"\n")

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Callable[[], None]]:
        self._send("enter", name, total)
        try:
            yield lambda: self._send("advance")
        finally:
            self._send("exit")


def _in_child_with_stages(
    progress: NullProgress, work: Callable[[NullProgress], Generated]
) -> Generated:
    """``work`` in a child process (``parallel.in_child``), the stages it goes through shown
    by ``progress`` here as they happen."""
    read_end, write_end = os.pipe()

    def replay() -> None:
        opened: list[
            tuple[contextlib.AbstractContextManager[Callable[[], None]], Callable[[], None]]
        ] = []
        with os.fdopen(read_end, "rb") as events:
            for line in events:  # read to the end whatever happens, or the child could wait
                kind, *args = json.loads(line)
                with contextlib.suppress(Exception):  # the display's trouble, not the build's
                    if kind == "enter":
                        entered = progress.stage(*args)
                        opened.append((entered, entered.__enter__()))
                    elif kind == "advance" and opened:
                        opened[-1][1]()
                    elif kind == "exit" and opened:
                        opened.pop()[0].__exit__(None, None, None)
        while opened:  # the child was stopped inside a stage
            with contextlib.suppress(Exception):
                opened.pop()[0].__exit__(None, None, None)

    thread = threading.Thread(target=replay, name="perfpages-stages", daemon=True)
    thread.start()
    try:
        return parallel.in_child(lambda: work(_RelayedStages(write_end)))
    finally:
        os.close(write_end)  # the child has ended: the replay reads to the end and stops
        thread.join()


@dataclass
class _Written:
    """What the writing stage did; with the renderer, unless it ran in another process."""

    stats: WriteStats
    changed: bool  # mkdocs.yml or the theme
    others_changed: bool
    renderer: Renderer | None = None


def _write_stage(
    site: Site,
    assessed: list[Assessed],
    root: Path,
    work: Path,
    preview: bool,
    cache: BuildCache | None,
    defer_reports: bool,
    defer_site_pages: bool,
) -> _Written:
    """The docs folder of each language, the theme and the mkdocs files, in ``work``."""
    codes = site.config.site.all_languages
    if len(codes) > 1:
        # The default language's view of the site: texts not given in it are marked.
        shown = languages.in_language(site, codes[0])
        renderer = Renderer(shown, assess_site(shown, Problems()))
    else:
        renderer = Renderer(site, assessed, cache.outputs if cache else None)
    # perfpages serve (which keeps a cache) runs threads: no forking there.
    stats = write_docs(
        renderer,
        renderer.site,
        work / "docs",
        1 if cache else None,
        with_reports=not defer_reports,
        with_site_pages=not defer_site_pages,
    )
    theme = read_tree(builtin_theme_dir())
    site_theme = root / THEME_DIR
    if site_theme.is_dir() and site_theme.resolve() != builtin_theme_dir().resolve():
        # only what the loader let through: no link out of the project, no special file
        overrides = dict(read_files(site_theme, theme_files(root)))
        theme = [(p, overrides.pop(p, data)) for p, data in theme] + sorted(overrides.items())
    theme_stats = sync_tree(work / "theme", theme)
    # The real staging folder, unique to each build, is given to MkDocs by build_site.
    alternates = mkdocs_alternates(codes, codes[0], site.config.site.url) if codes[1:] else None
    config = mkdocs_config(
        renderer.site, work / "theme", work / STAGING, preview, languages=alternates
    )
    config_changed = sync_tree_file(work / "mkdocs.yml", mkdocs_yaml(config))
    others_changed = False
    try:
        for code in codes[1:]:
            others_changed |= _other_language(
                renderer, site, code, work, preview, 1 if cache else None
            )
    finally:
        i18n.set_language(codes[0])
    changed = config_changed or bool(theme_stats.changed or theme_stats.deleted)
    return _Written(stats, changed, others_changed, renderer)


def _other_language(
    renderer: Renderer,
    site: Site,
    code: str,
    work: Path,
    preview: bool,
    processes: int | None,
) -> bool:
    """The docs folder (``docs-<code>``) and mkdocs file (``mkdocs-<code>.yml``) of the pages
    in the site's language ``code``, built into the folder ``<code>/`` of the site; they
    link the open data ``renderer`` (the default language's) made. Whether either changed."""
    i18n.set_language(code)
    shown = languages.in_language(site, code)
    assessed = assess_site(shown, Problems())
    other = Renderer(shown, assessed, data_from=renderer)
    stats = write_docs(other, shown, work / f"docs-{code}", processes)
    codes = site.config.site.all_languages
    config = mkdocs_config(
        shown,
        work / "theme",
        work / STAGING / code,
        preview,
        docs_dir=f"docs-{code}",
        languages=mkdocs_alternates(codes, code, site.config.site.url),
    )
    changed = sync_tree_file(work / f"mkdocs-{code}.yml", mkdocs_yaml(config))
    return changed or bool(stats.changed or stats.created or stats.deleted)


# From this many indicators, each process gets enough pages to repay what a fork costs; below it
# the build stays in one process (the figures are in benchmarks/README.md).
PARALLEL_THRESHOLD = 100


def write_docs(
    renderer: Renderer,
    site: Site,
    docs: Path,
    processes: int | None = None,
    with_reports: bool = True,
    with_site_pages: bool = True,
) -> WriteStats:
    """Render and write the docs folder. Each indicator's page and data files depend on that
    indicator alone, each period's report on the history alone, and each site-wide page on the
    assessed site alone, so on large sites they are dealt out between processes, each writing
    the files it makes (``parallel.deal``). Without ``with_reports`` the reports of each
    period, and without ``with_site_pages`` the pages made from every indicator at once, are
    left as they were (serve writes them with ``write_reports`` once the edited pages are
    shown)."""
    if processes is None:
        processes = parallel.workers_for(len(renderer.assessed), PARALLEL_THRESHOLD)
    renderer.load_templates()
    stats = WriteStats()
    wanted: set[str] = set()
    # the data package and every page need every data file's size
    made = _indicator_data(renderer, processes, docs, stats, wanted)
    renderer.prepare_data(made)
    if made is not None:
        # On a large site the site-wide tables are hundreds of megabytes: written now, they
        # are not in the memory of the processes that render the pages.
        site_data = [(p, renderer.data.pop(p)) for p in opendata.SITE_DATA_FILES]
        wanted |= write_files(docs, site_data, stats)
        del site_data
    # Every page and file left, in parts as uneven as a printable report of every indicator
    # and a page of three: dealt out to the processes as each is free, the heaviest first.
    parts: list[Callable[[], Iterable[Output]]] = []
    if with_reports:
        parts += [
            functools.partial(renderer.report_outputs, i)
            for i in range(len(renderer.report_periods))
        ]
    if with_site_pages:
        parts += [functools.partial(_one, make) for _, make in renderer.site_pages()]
    parts.append(functools.partial(_site_files, renderer, site))
    chunk = max(1, len(renderer.assessed) // 256)
    parts += [
        functools.partial(_indicator_files, renderer, renderer.assessed[i : i + chunk])
        for i in range(0, len(renderer.assessed), chunk)
    ]

    def write_part(part: Callable[[], Iterable[Output]]) -> tuple[set[str], WriteStats]:
        part_stats = WriteStats()
        return write_files(docs, ((o.path, o.data) for o in part()), part_stats), part_stats

    for taken in parallel.deal(write_part, parts, processes):
        for _, (paths, part_stats) in taken:
            wanted |= paths
            stats.add(part_stats)
    # left as they are, for write_reports
    if not with_reports:
        kept = reports.report_paths(renderer, renderer.report_periods)
        wanted.update(kept)
        # a printable report made in parts: its parts as they are (which there are depends on
        # the history, which is not worked out until the reports are written)
        for path in kept:
            if path.endswith("/print.md"):
                folder = docs / path.removesuffix(".md")
                wanted.update(p.relative_to(docs).as_posix() for p in folder.glob("*/index.md"))
    if not with_site_pages:
        wanted.update(path for path, _ in renderer.site_pages())
    remove_others(docs, wanted, stats)
    return stats


def _indicator_data(
    renderer: Renderer, processes: int, docs: Path, stats: WriteStats, wanted: set[str]
) -> list[WrittenData] | None:
    """Every indicator's data files, made and written in ``docs`` by ``processes`` processes
    (each depends on its indicator alone), with what the writing did added to ``stats`` and
    ``wanted``; given back as the files' facts and each indicator's rows of the site-wide
    tables, in order. None, for the renderer to make them itself, in one process or under
    serve (whose cache is this process's), or to take them from the language whose they are
    (``data_from``: one set of open data for every language)."""
    if processes <= 1 or renderer.cache is not None or renderer.data_from is not None:
        return None
    shares = parallel.shares(range(len(renderer.assessed)), processes)

    def make_and_write(share: list[int]) -> tuple[list[WrittenData], set[str], WriteStats]:
        written: list[WrittenData] = []

        def made() -> Iterator[tuple[str, bytes]]:
            for i in share:
                [(files, parts)] = renderer.indicator_data([i])
                written.append(([(p, opendata.FileFacts.of(data)) for p, data in files], parts))
                yield from files

        share_stats = WriteStats()
        paths = write_files(docs, made(), share_stats)
        return written, paths, share_stats

    made: dict[int, WrittenData] = {}
    results = parallel.fork_map(make_and_write, shares)
    for share, (result, paths, share_stats) in zip(shares, results, strict=True):
        made.update(zip(share, result, strict=True))
        wanted |= paths
        stats.add(share_stats)
    return [made[i] for i in range(len(renderer.assessed))]


def write_reports(
    renderer: Renderer,
    docs: Path,
    newer: Callable[[], bool],
    each: Callable[[WriteStats], None] | None = None,
    site_pages: bool = False,
) -> WriteStats:
    """With ``site_pages``, the pages made from every indicator at once (left by
    ``write_docs(with_site_pages=False)``); then the reports of each period, newest first (left
    by ``write_docs(with_reports=False)``), with ``each`` called on what each step's writing
    did; stops when ``newer()`` says another edit is waiting (its regeneration writes them all
    again)."""
    steps: list[Callable[[], Iterable[Output]]] = []
    if site_pages:  # a step each: a newer edit waits for one page at most
        steps += [functools.partial(_one, make) for _, make in renderer.site_pages()]
    steps += [
        functools.partial(renderer.report_outputs, i) for i in range(len(renderer.report_periods))
    ]
    stats = WriteStats()
    for step in steps:
        if newer():
            break
        written = WriteStats()
        write_files(docs, ((o.path, o.data) for o in step()), written)
        if each:
            each(written)
        stats.add(written)
    return stats


def _one(make: Callable[[], Output]) -> list[Output]:
    return [make()]


def _site_files(renderer: Renderer, site: Site) -> list[Output]:
    """The files made from every indicator at once that are not pages (robots.txt, and the
    site-wide open data unless already written), and the content pages."""
    return [*renderer.site_outputs(with_reports=False, with_pages=False), *content_outputs(site)]


def _indicator_files(renderer: Renderer, assessed: Sequence[Assessed]) -> list[Output]:
    return [o for a in assessed for o in renderer.indicator_outputs(a)]


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
    preview: bool = False,
) -> Generated:
    """Build the site in ``root`` into ``output`` (default ``root/site``; for a ``preview``,
    the copy a reviewer opens from the disk, ``root/site-preview``).

    The output and the build folder are checked first (``output.place``: ``WrongUsage`` for a
    place a build must not replace); the project is locked, then, once the files are checked
    and generated, the output's parent folder too. MkDocs builds into a staging folder of this
    build's own, which is swapped in for the output in one rename; whatever stops the build
    (a mistake, a full disk, Ctrl-C) removes the staging folder and leaves the output as it was.
    """
    progress = progress or NullProgress()
    root = root.resolve()
    output = check_output(root, output or root / (PREVIEW_DIR if preview else SITE_DIR), preview)
    check_work(root)
    with folder_lock(root, _say_waiting):
        generated = generate(root, output, False, progress, preview=preview, keep_indicators=False)
        check_site_address(generated.site.config, generated.site.config_doc, generated.problems)
        output.parent.mkdir(parents=True, exist_ok=True)
        same = os.path.realpath(output.parent) == os.path.realpath(root)
        with (
            contextlib.nullcontext()
            if same
            else folder_lock(output.parent, functools.partial(_say_waiting_for, output))
        ):
            clean_stale(generated.work, output)
            staging = staging_dir(generated.work, output)
            try:
                _make_and_publish(generated, staging, output, strict, progress, preview)
            except BaseException:
                with contextlib.suppress(OSError):
                    clean_staging(staging)
                raise
    return generated


def _make_and_publish(
    generated: Generated,
    staging: Path,
    output: Path,
    strict: bool,
    progress: NullProgress,
    preview: bool = False,
) -> None:
    builds = generated.mkdocs_files()
    pages = sum(1 for _, _, docs in builds for _ in docs.rglob("*.md"))
    with progress.stage("Building the site with MkDocs", total=pages) as advance:
        default = generated.site.config.site.all_languages[0]
        try:
            for folder, mkdocs_file, _ in builds:
                i18n.set_language(folder or default)
                run_mkdocs(generated, False, advance, staging / folder, mkdocs_file)
        finally:
            i18n.set_language(default)
    if strict and generated.problems.warnings:
        # Under --strict every warning fails the build, but only after MkDocs has run, so
        # the broken links it finds are reported in the same run as the generator's warnings.
        raise UserError(generated.problems)
    write_marker(staging, preview)
    with progress.stage("Publishing"):
        publish(staging, output)


def _say_waiting_for(output: Path) -> None:
    print(f"Waiting for another build into {output} to finish...", file=sys.stderr, flush=True)


def _say_waiting() -> None:
    print("Waiting for another build of this folder to finish...", file=sys.stderr, flush=True)


def for_mkdocs(generated: Generated) -> Generated:
    """What the MkDocs stage and the summary after it need of the generated site: its settings,
    pages, narratives, problems and counts, without the indicators as read and assessed (every
    message about them is made by now). On a large site they are most of this process's memory,
    which MkDocs' pages can then use, in this process and any it forks."""
    site = dataclasses.replace(generated.site, indicators=[])
    return dataclasses.replace(
        generated, site=site, assessed=[], indicators=generated.indicator_count
    )


def run_mkdocs(
    generated: Generated,
    strict: bool,
    advance: Callable[[], None] | None = None,
    site_dir: Path | None = None,
    mkdocs_file: Path | None = None,
) -> None:
    """A real MkDocs build of the generated folder (``generator.mkdocs.run``) into ``site_dir``
    (default: mkdocs.yml's), its warnings added to the generated site's problems; of
    ``mkdocs_file`` (default: the default language's)."""
    mkdocs_run.run(
        mkdocs_file or generated.mkdocs_file,
        generated.site,
        generated.problems,
        generated.indicator_count,
        strict=strict,
        advance=advance,
        site_dir=site_dir,
    )
