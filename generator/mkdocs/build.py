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
tests/mkdocs/test_parallel.py). This module calls MkDocs' own per-page steps
(``_populate_page``, ``_build_page``, ``_build_theme_template``): MkDocs is pinned to 1.6.1 in
pyproject.toml; anything unexpected about the configuration falls back to MkDocs' own build.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.output import parallel

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.commands.build")

# From this many pages outside the navigation (MkDocs spends about 12 ms on each), a second
# process saves far more than the fork and the results sent back cost.
PARALLEL_THRESHOLD = 100

# Plugins known to keep no state between pages other than what is handed back below.
SHAREABLE_PLUGINS = {"material/search", "search"}


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


def _search_index(config: MkDocsConfig) -> Any | None:
    for name, plugin in config.plugins.items():
        if name in SHAREABLE_PLUGINS:
            index = getattr(plugin, "search_index", None)
            if index is not None and isinstance(getattr(index, "entries", None), list):
                return index
    return None


def can_share(config: MkDocsConfig) -> bool:
    """Only configurations whose plugins are known to be safe in a shared-out build (the
    search plugin, which perfpages' generated mkdocs.yml always has, and nothing else)."""
    names = set(config.plugins)
    return bool(names) and names <= SHAREABLE_PLUGINS and not config.extra_templates


def processes_for(leaf_pages: int) -> int:
    return parallel.workers_for(leaf_pages, PARALLEL_THRESHOLD)


def build(config: MkDocsConfig, processes: int = 1) -> None:
    """Build the site exactly as ``mkdocs build`` does, in ``processes`` processes."""
    from mkdocs.commands import build as mkdocs_build

    if processes <= 1 or not can_share(config) or not parallel.can_fork():
        mkdocs_build.build(config)
        return
    _build(config, processes)


def _build(config: MkDocsConfig, processes: int) -> None:
    """``mkdocs.commands.build.build`` with the pages outside the navigation shared out."""
    from mkdocs import utils
    from mkdocs.exceptions import Abort, BuildError

    logger = logging.getLogger("mkdocs")
    warning_counter = utils.CountHandler()
    warning_counter.setLevel(logging.WARNING)
    if config.strict:
        logger.addHandler(warning_counter)
    try:
        start = time.monotonic()
        _SharedBuild(config).run(processes)
        if counts := warning_counter.get_counts():
            msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {msg} in strict mode!")
        log.info(f"Documentation built in {time.monotonic() - start:.2f} seconds")
    except Exception as e:
        config.plugins.on_build_error(error=e)
        if isinstance(e, BuildError):
            log.error(str(e))
            raise Abort("Aborted with a BuildError!") from None
        raise
    finally:
        logger.removeHandler(warning_counter)


class _SharedBuild:
    """One build: the steps of MkDocs' ``build()``, in the order the comments give."""

    def __init__(self, config: MkDocsConfig) -> None:
        from mkdocs import utils
        from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation

        # As MkDocs: plugins' start, a clean output folder, every file, the theme, the
        # navigation (which gives every file its page).
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        log.info("Cleaning site directory")
        utils.clean_directory(config.site_dir)
        log.info(f"Building documentation to directory: {config.site_dir}")
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        self.nav = config.plugins.on_nav(nav, config=config, files=files)
        self.config, self.files, self.env = config, files, env
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        index = _search_index(config)
        assert index is not None, "can_share() admits only configurations with search"
        self.index = index

    def run(self, processes: int) -> None:
        in_nav = {id(page) for page in self.nav.pages}
        shared = [f for f in self.doc_files if id(f.page) in in_nav]
        leaves = [f for f in self.doc_files if id(f.page) not in in_nav]
        # Pages in the navigation are converted before the children start: every page shows
        # their titles.
        log.debug("Reading markdown pages.")
        self.read(shared)
        shares = parallel.shares(leaves, processes, OWN_SHARE)
        results = parallel.fork_map(
            lambda job: self.own_share(shared, job[1]) if job[0] == 0 else self.child(job[1]),
            list(enumerate(shares)),
        )
        self.merge(results, [f for share in shares[1:] for f in share])
        log_level = self.config.validation.links.anchors
        for file in self.doc_files:
            assert file.page is not None
            file.page.validate_anchor_links(files=self.files, log_level=log_level)
        self.config.plugins.on_post_build(config=self.config)

    def read(self, chunk: list[File]) -> None:
        """Read and convert pages."""
        from mkdocs.commands.build import _populate_page

        for file in chunk:
            log.debug(f"Reading: {file.src_uri}")
            assert file.page is not None
            _populate_page(file.page, self.config, self.files)

    def theme_env(self) -> Any:
        """The theme's environment as plugins leave it (the search plugin does not touch it, so
        it does not matter that pages outside the navigation are not read yet)."""
        return self.config.plugins.on_env(self.env, config=self.config, files=self.files)

    def build_pages(self, chunk: list[File], env: Any, read: bool = False) -> list[_PageResult]:
        """Render and write pages (reading and converting each first if ``read``: pages outside
        the navigation are needed by no other page, so each is read, built and let go in turn,
        and memory holds one page, not the whole site); what each gave the search index and
        anchor validation."""
        from mkdocs.commands.build import _build_page

        out = []
        for file in chunk:
            page = file.page
            assert page is not None
            if read:
                self.read([file])
            before = len(self.index.entries)
            _build_page(page, self.config, self.doc_files, self.nav, env)
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

    def own_share(self, shared: list[File], chunk: list[File]) -> _ShareResult:
        """This process: its share of pages, the navigation pages, and the files written once
        per site."""
        from mkdocs.commands.build import _build_theme_template
        from mkdocs.structure.files import InclusionLevel

        env = self.theme_env()
        self.files.copy_static_files(inclusion=InclusionLevel.is_included)
        for template in self.config.theme.static_templates:
            _build_theme_template(template, env, self.files, self.config, self.nav)
        log.debug("Building markdown pages.")
        pages = self.build_pages(shared, env)
        return _ShareResult(pages + self.build_pages(chunk, env, read=True))

    def child(self, chunk: list[File]) -> _ShareResult:
        """A forked child: its share of pages, its log kept to be replayed by the parent."""
        logger = logging.getLogger("mkdocs")
        collector = _Collect()
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.addHandler(collector)
        result = _ShareResult(records=collector.records)
        try:
            result.pages = self.build_pages(chunk, self.theme_env(), read=True)
        except Exception as error:
            result.error = error
        return result

    def merge(self, results: list[_ShareResult], built_in_children: list[File]) -> None:
        """Replay the children's logs, give this process's pages what validation reads, and
        put the search entries in the order a one-process build writes them."""
        by_uri: dict[str, _PageResult] = {}
        for result in results:
            for record in result.records:
                logging.getLogger(record.name).handle(record)
            if result.error is not None:
                raise result.error
            for page_result in result.pages:
                by_uri[page_result.src_uri] = page_result
        for file in built_in_children:
            _restore_links(file, by_uri[file.src_uri], self.files)
        self.index.entries[:] = [
            e for f in self.doc_files for e in by_uri[f.src_uri].search_entries
        ]


# This process also builds the pages in the navigation (the all-indicators page is the largest
# of the site) and writes the static files, sitemap and search index. Measured at 1,000
# indicators with equal shares: 7.3 s of CPU time here, 5.4 s in the child; so this process
# takes a smaller share of the indicator pages.
OWN_SHARE = 0.8


def _restore_links(file: File, result: _PageResult, files: Any) -> None:
    """Give this process's copy of a page built in a child what anchor validation reads."""
    page = file.page
    assert page is not None
    page.present_anchor_ids = result.present_anchor_ids
    if result.links_to_anchors is not None:
        page.links_to_anchors = {
            files.get_file_from_path(uri): links for uri, links in result.links_to_anchors.items()
        }


class Preview:
    """MkDocs builds for ``perfpages serve``: the first build is complete; later ones rebuild
    only the pages whose Markdown the generator rewrote, with everything a build writes for the
    whole site (sitemap, 404 page, search index, changed data files), so an edit shows in the
    browser in a moment however many indicators the site has.

    ``mkdocs serve`` rebuilds every page on every change, and its ``--dirty`` mode leaves the
    search index holding only the rebuilt pages and navigation titles empty; here each page's
    search entries are kept between builds and the pages in the navigation are always read.
    """

    def __init__(self, config_file: str, site_dir: str, serve_url: str) -> None:
        self.config_file = config_file
        self.site_dir = site_dir
        self.serve_url = serve_url
        self._lock = threading.Lock()
        self._pages: set[str] = set()
        self._full = True
        # Built by ``build_later``, a page at a time, in the order asked for.
        self._later: dict[str, None] = {}
        self._entries: dict[str, list[dict[str, Any]]] = {}
        self._building = threading.Lock()  # one build at a time, in whichever thread
        self._built = threading.Condition()
        self._requested = 0  # tickets: requests for ``build``, and those it has answered
        self._done = 0

    def request(self, pages: Iterable[str], full: bool = False, later: bool = False) -> int:
        """Ask for ``pages`` (paths in the docs folder) to be rebuilt by the next ``build``, or
        every page; ``later`` pages (the reports of each period, long on a large site) are
        left to ``build_later``. Returns a ticket for ``wait``."""
        with self._lock:
            if later and not full:
                self._later.update(dict.fromkeys(pages))
                return self._done
            self._pages.update(pages)
            self._full = self._full or full
            self._requested += 1
            return self._requested

    def wait(self, ticket: int, timeout: float) -> bool:
        """Wait until the build that answers request ``ticket`` is over."""
        with self._built:
            return self._built.wait_for(lambda: self._done >= ticket, timeout)

    def _waiting(self) -> bool:
        with self._lock:
            return bool(self._pages or self._full)

    def _config(self) -> MkDocsConfig:
        from mkdocs.config import load_config

        config = load_config(config_file=self.config_file, site_dir=self.site_dir)
        config.site_url = self.serve_url
        return config

    def build(self) -> None:
        """Build what was requested (called by the preview server's build loop, after which
        the browsers reload; with nothing requested, only that)."""
        with self._building:  # a ``build_later`` gives way after the page it is on
            with self._lock:
                pages, full, ticket = self._pages, self._full, self._requested
                self._pages, self._full = set(), False
                if full:
                    self._later.clear()  # a complete build has them
            try:
                if pages or full:
                    self._build(self._config(), None if full else pages)
            except BaseException:
                self.request(pages, full)  # try again, in full, next time
                raise
            finally:
                with self._built:
                    self._done = max(self._done, ticket)
                    self._built.notify_all()

    def build_later(self, stop: Callable[[], bool]) -> bool:
        """Build the ``later`` pages in the calling thread while the server goes on serving
        the pages it has, a page at a time; a ``build`` asked for meanwhile goes first, and
        ``stop()`` stops it. Whether every page is built (a ``build`` with nothing requested
        then reloads the browsers)."""

        def give_way() -> bool:
            return stop() or self._waiting()

        while not stop():
            if self._waiting():
                time.sleep(0.05)  # the server's build takes its turn
                continue
            with self._building:
                with self._lock:
                    pages, self._later = list(self._later), {}
                if not pages:
                    return True
                try:
                    left = self._build(self._config(), pages, give_way)
                except BaseException:
                    self.request(pages, later=True)
                    raise
                with self._lock:
                    self._later.update(dict.fromkeys(left))  # after any newer edit's
        return False

    def _build(
        self,
        config: MkDocsConfig,
        pages: Collection[str] | None,
        stop: Callable[[], bool] | None = None,
    ) -> list[str]:
        """Build ``pages`` (all when None); with ``stop``, a page at a time in the order given
        until it says stop (asked before converting and before rendering each page). Returns
        the pages left unbuilt."""
        from mkdocs import utils
        from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
        from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation

        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        if pages is None:
            utils.clean_directory(config.site_dir)
            self._entries.clear()
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        index = _search_index(config)

        in_nav = {id(page) for page in nav.pages}
        if pages is None:
            rebuild = list(doc_files)
        else:
            order = {uri: n for n, uri in enumerate(pages)}
            rebuild = sorted(
                (f for f in doc_files if f.src_uri in order), key=lambda f: order[f.src_uri]
            )
        again = {id(f) for f in rebuild} if stop is None else set()
        for file in doc_files:
            assert file.page is not None
            if id(file) in again:
                _populate_page(file.page, config, files)
            elif id(file.page) in in_nav:
                file.page.read_source(config)  # its title is shown in every page's navigation
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(dirty=pages is not None, inclusion=InclusionLevel.is_in_serve)
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        left: list[str] = []
        for n, file in enumerate(rebuild):
            assert file.page is not None
            if stop is not None:
                if not stop():
                    _populate_page(file.page, config, files)  # converting the Markdown
                if stop():  # asked again before rendering: a printed report takes both long
                    left = [f.src_uri for f in rebuild[n:]]
                    rebuild = rebuild[:n]
                    break
            before = len(index.entries) if index is not None else 0
            _build_page(file.page, config, doc_files, nav, env)
            if index is not None:
                self._entries[file.src_uri] = index.entries[before:]
        for file in rebuild:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        if index is not None:
            index.entries[:] = [e for f in doc_files for e in self._entries.get(f.src_uri, [])]
        config.plugins.on_post_build(config=config)
        return left
