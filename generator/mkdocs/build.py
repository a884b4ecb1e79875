"""MkDocs' build, with the pages outside the navigation shared out between processes.

MkDocs builds in one process: it reads and converts every page, then renders every page through
the theme, then writes the search index. Most of that work is per page and independent, but a
few steps need every page at once. What can be shared out, and what cannot:

- Converting a page's Markdown and rendering it through the theme depend only on that page,
  the configuration and the navigation. Pages in the navigation are needed by every other page
  (titles, previous/next links), so this process converts them first; the indicator pages,
  which are deliberately not in the navigation, are then split between this process and forked
  children, which start with the navigation already built.
- The search index is one file made from every page: children send back their entries and this
  process writes them in the order a one-process build would.
- Anchor validation reads every page's anchors and links: children send those back and this
  process checks every page, as MkDocs would.
- The sitemap, 404 page, static files and plugin events that run once per build stay here.

Warnings a child logs are replayed here, so ``--strict`` and the messages work as before. The
output is byte-identical to ``mkdocs.commands.build.build`` (checked by
tests/mkdocs/test_parallel.py). MkDocs' steps are run through internals.py, the one module that
calls MkDocs' private functions; anything unexpected, about the configuration or the installed
MkDocs, falls back to MkDocs' own build.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.mkdocs import indexing, internals, offline, raw_html
from generator.output import parallel

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File

log = logging.getLogger(internals.BUILD_LOGGER)

# From this many pages outside the navigation, a second process saves far more than the fork
# and the results sent back cost (figures: benchmarks/README.md, "Why the code is shaped").
PARALLEL_THRESHOLD = 100

# Plugins known to keep no state between pages other than what is handed back below.
SHAREABLE_PLUGINS = set(internals.SEARCH_PLUGINS)


@dataclass
class _PageResult:
    """What this process needs from a page built in a child."""

    src_uri: str
    search_entries: list[dict[str, Any]]
    present_anchor_ids: set[str] | None = None
    links_to_anchors: dict[str, dict[str, str]] | None = None


@dataclass
class _ShareResult:
    pages: list[_PageResult] = field(default_factory=list)
    records: list[logging.LogRecord] = field(default_factory=list)
    error: BaseException | None = None


class _Collect(logging.Handler):
    """In a child: keeps every record that reaches MkDocs' logger, to be replayed here."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = record.getMessage()  # the arguments may not survive pickling
        record.args = None
        record.exc_info = None
        self.records.append(record)


def can_share(config: MkDocsConfig) -> bool:
    """Only configurations whose plugins are known to be safe in a shared-out build (the
    search plugin and the raw HTML and indexing hooks, which perfpages' generated mkdocs.yml
    always has, the preview's hook, which keeps nothing between pages, and nothing else)."""
    names = set(config.plugins)
    known = SHAREABLE_PLUGINS | {raw_html.HOOK, indexing.HOOK, offline.HOOK}
    return bool(names & SHAREABLE_PLUGINS) and names <= known and not config.extra_templates


def processes_for(leaf_pages: int) -> int:
    return parallel.workers_for(leaf_pages, PARALLEL_THRESHOLD)


def build_pages(config: MkDocsConfig, processes: int = 1) -> None:
    """Build the site exactly as ``mkdocs build`` does, in ``processes`` processes."""
    from mkdocs.commands import build as mkdocs_build

    shared = processes > 1 and can_share(config) and parallel.can_fork() and internals.fits()
    if not shared:
        mkdocs_build.build(config)
        return
    with internals.around_build(config):
        _SharedBuild(config).run(processes)


class _SharedBuild:
    """One build: the steps of MkDocs' ``build()``, in the order the comments give."""

    def __init__(self, config: MkDocsConfig) -> None:
        # As MkDocs: plugins' start, a clean output folder, every file, the theme, the
        # navigation (which gives every file its page).
        self.mkdocs = internals.start_build(config)
        self.config, self.files = self.mkdocs.config, self.mkdocs.files
        self.nav, self.doc_files = self.mkdocs.nav, self.mkdocs.doc_files
        index = internals.search_index(self.config)
        assert index is not None, "can_share() admits only configurations with search"
        self.index = index
        self._parent = os.getpid()  # the process that merges what the others built
        self._failed = False  # in a child: an error is sent back, and it stops

    def run(self, processes: int) -> None:
        in_nav = {id(page) for page in self.nav.pages}
        shared = [f for f in self.doc_files if id(f.page) in in_nav]
        leaves = [f for f in self.doc_files if id(f.page) not in in_nav]
        # Pages in the navigation are converted before the children start: every page shows
        # their titles.
        log.debug("Reading markdown pages.")
        self.read(shared)
        # What is done once per site (the navigation pages, static files, sitemap) and the
        # other pages in small runs, the largest pages first (a printable report can be a
        # hundred times an indicator page), dealt to the processes as each is free.
        leaves.sort(key=_size, reverse=True)
        chunk = max(1, len(leaves) // 256)
        parts: list[list[File] | None] = [None]
        parts += [leaves[i : i + chunk] for i in range(0, len(leaves), chunk)]
        env = self.theme_env()
        taken = parallel.deal(
            lambda part: self.once(shared, env) if part is None else self.part(part, env),
            parts,
            processes,
        )
        self.merge(taken)
        log_level = self.config.validation.links.anchors
        for file in self.doc_files:
            assert file.page is not None
            file.page.validate_anchor_links(files=self.files, log_level=log_level)
        self.config.plugins.on_post_build(config=self.config)

    def read(self, chunk: list[File]) -> None:
        """Read and convert pages."""
        for file in chunk:
            self.mkdocs.read(file)

    def theme_env(self) -> Environment:
        """The theme's environment as plugins leave it (the search plugin does not touch it, so
        it does not matter that pages outside the navigation are not read yet)."""
        env: Environment = self.config.plugins.on_env(
            self.mkdocs.env, config=self.config, files=self.files
        )
        return env

    def write_pages(
        self, chunk: list[File], env: Environment, read: bool = False
    ) -> list[_PageResult]:
        """Render and write pages (reading and converting each first if ``read``: pages outside
        the navigation are needed by no other page, so each is read, built and let go in turn,
        and memory holds one page, not the whole site); what each gave the search index and
        anchor validation."""
        out = []
        for file in chunk:
            page = file.page
            assert page is not None
            if read:
                self.read([file])
            before = len(self.index.entries)
            self.mkdocs.write_page(file, env)
            links = page.links_to_anchors
            out.append(
                _PageResult(
                    file.src_uri,
                    self.index.entries[before:],
                    page.present_anchor_ids,
                    None if links is None else {f.src_uri: v for f, v in links.items()},
                )
            )
            page.content = page.markdown = None  # written; nothing later needs them
        return out

    def once(self, shared: list[File], env: Environment) -> _ShareResult:
        """What is done once per site: the navigation pages, the static files and the theme's
        own templates (the sitemap, the 404 page); by whichever process takes it."""
        from mkdocs.structure.files import InclusionLevel

        def site_files() -> None:
            self.files.copy_static_files(inclusion=InclusionLevel.is_included)
            self.mkdocs.write_theme_templates(env)

        return self.part(shared, env, read=False, before=site_files)

    def part(
        self,
        chunk: list[File],
        env: Environment,
        read: bool = True,
        before: Callable[[], None] | None = None,
    ) -> _ShareResult:
        """Pages built by this process (reading and converting each first if ``read``), after
        ``before``; in a forked child, its log is kept to be replayed by the parent, and after
        an error it does nothing more."""
        result = _ShareResult()
        child = os.getpid() != self._parent
        collector = self._collector() if child else None
        if self._failed:
            return result
        try:
            if before:
                before()
            result.pages = self.write_pages(chunk, env, read=read)
        except Exception as error:
            if not child:
                raise
            result.error = error
            self._failed = True
        if collector is not None:
            result.records = collector.records[:]
            collector.records.clear()
        return result

    def _collector(self) -> _Collect:
        """In a forked child: the handler that keeps MkDocs' log, put in place once."""
        logger = logging.getLogger("mkdocs")
        for handler in logger.handlers:
            if isinstance(handler, _Collect):
                return handler
        collector = _Collect()
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.addHandler(collector)
        return collector

    def merge(self, taken: list[list[tuple[int, _ShareResult]]]) -> None:
        """Replay the children's logs, give this process's copy of each page a child built what
        validation reads, and put the search entries in the order a one-process build writes
        them."""
        by_uri: dict[str, _PageResult] = {}
        in_children: set[str] = set()
        for process, results in enumerate(taken):
            for _, result in sorted(results, key=lambda r: r[0]):
                for record in result.records:
                    logging.getLogger(record.name).handle(record)
                if result.error is not None:
                    raise result.error
                for page_result in result.pages:
                    by_uri[page_result.src_uri] = page_result
                    if process > 0:
                        in_children.add(page_result.src_uri)
        for file in self.doc_files:
            if file.src_uri in in_children:
                _restore_links(file, by_uri[file.src_uri], self.files)
        self.index.entries[:] = [
            e for f in self.doc_files for e in by_uri[f.src_uri].search_entries
        ]


def _size(file: File) -> int:
    """A page's size in bytes, to deal the largest first (0 if it cannot be read: MkDocs
    says why when it reads it)."""
    try:
        return os.stat(file.abs_src_path or "").st_size
    except OSError:
        return 0


def _restore_links(file: File, result: _PageResult, files: Any) -> None:
    """Give this process's copy of a page built in a child what anchor validation reads."""
    page = file.page
    assert page is not None
    page.present_anchor_ids = result.present_anchor_ids
    if result.links_to_anchors is not None:
        page.links_to_anchors = {
            files.get_file_from_path(uri): links for uri, links in result.links_to_anchors.items()
        }
