"""MkDocs builds for ``perfpages serve``: after the first, only the pages an edit changed.

``mkdocs serve`` rebuilds every page on every change, so on a large site an edit takes as long
to show as a whole build. MkDocs has no public way to build some pages only, so ``Preview`` runs
the steps of MkDocs' build itself (internals.py) on the pages the generator rewrote. It also lets
the reports of each period, long on a large site, be built a page at a time while the server
serves, giving way to the next edit.
"""

from __future__ import annotations

import contextlib
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.mkdocs import internals
from generator.output.files import STAGING, clean_staging, write_whole
from generator.output.files import publish as swap_in

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


class Preview:
    """MkDocs builds for ``perfpages serve``: the first build is complete; later ones rebuild
    only the pages whose Markdown the generator rewrote, with everything a build writes for the
    whole site (sitemap, 404 page, search index, changed data files), so an edit shows in the
    browser in a moment however many indicators the site has.

    ``mkdocs serve`` rebuilds every page on every change, and its ``--dirty`` mode leaves the
    search index holding only the rebuilt pages and navigation titles empty; here each page's
    search entries are kept between builds and the pages in the navigation are always read.

    ``scripts`` (name: content) are the preview's own, never a built site's: written into the
    site folder beside the pages and added to every page (as ``extra_javascript``).
    """

    def __init__(
        self,
        config_file: str,
        site_dir: str,
        serve_url: str,
        scripts: Mapping[str, bytes] | None = None,
    ) -> None:
        self.config_file = config_file
        self.site_dir = site_dir
        self.serve_url = serve_url
        self._scripts = list(scripts or {})
        # The preview's own files, written again after a complete build (which empties the
        # folder first); ``_own_lock`` keeps each write of one whole and the newest last.
        self._own: dict[str, bytes] = dict(scripts or {})
        self._own_lock = threading.Lock()
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

    def _config(self, site_dir: str | None = None) -> MkDocsConfig:
        from mkdocs.config import load_config

        config = load_config(config_file=self.config_file, site_dir=site_dir or self.site_dir)
        config.site_url = self.serve_url
        config.extra_javascript.extend(self._scripts)
        return config

    def publish(self, name: str, content: bytes) -> None:
        """Write ``name``, a file of the preview's own (never a built site's), into the site
        folder now, and again after every complete build."""
        with self._own_lock:
            self._own[name] = content
            self._write_own(name)

    def _write_own(self, name: str, folder: str | None = None) -> None:
        """Write one of the preview's own files whole (a page asking for it meanwhile reads the
        old one), into the site folder or ``folder``."""
        write_whole(Path(folder or self.site_dir) / name, self._own[name])

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
                if full:
                    self._build_whole()
                elif pages:
                    with internals.atomic_writes():
                        self._build(self._config(), pages)
            except BaseException:
                self.request(pages, full)  # try again, in full, next time
                raise
            finally:
                with self._built:
                    self._done = max(self._done, ticket)
                    self._built.notify_all()

    def _build_whole(self) -> None:
        """Build every page into a staging folder beside the site folder, with the preview's
        own files, and swap it in for the site folder in one rename. A build that fails (a full
        disk) or is interrupted removes the staging folder: the server goes on serving the last
        good site, whole."""
        folder = Path(self.site_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.{STAGING}-", dir=folder.parent))
        try:
            self._build(self._config(str(staging)), None)
            with self._own_lock:
                for name in self._own:
                    self._write_own(name, str(staging))
                swap_in(staging, folder)  # with the newest of each own file
        except BaseException:
            with contextlib.suppress(OSError):
                clean_staging(staging)
            raise

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
                    with internals.atomic_writes():
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
        the pages left unbuilt.

        The steps of MkDocs' build (internals.py), with only ``pages`` converted and rendered;
        the pages in the navigation are read for their titles, and the search index is made
        from the entries kept for every page."""
        from mkdocs.structure.files import InclusionLevel

        internals.require("perfpages serve")
        build = internals.start_build(config, clean=pages is None, serve=True)
        config, files, nav, doc_files = build.config, build.files, build.nav, build.doc_files
        if pages is None:
            self._entries.clear()
        index = internals.search_index(config)

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
                build.populate(file)
            elif id(file.page) in in_nav:
                file.page.read_source(config)  # its title is shown in every page's navigation
        env = config.plugins.on_env(build.env, config=config, files=files)
        files.copy_static_files(dirty=pages is not None, inclusion=InclusionLevel.is_in_serve)
        build.write_theme_templates(env)
        left: list[str] = []
        for n, file in enumerate(rebuild):
            if stop is not None:
                if not stop():
                    build.populate(file)  # converting the Markdown
                if stop():  # asked again before rendering: a printed report takes both long
                    left = [f.src_uri for f in rebuild[n:]]
                    rebuild = rebuild[:n]
                    break
            before = len(index.entries) if index is not None else 0
            build.write_page(file, env)
            if index is not None:
                self._entries[file.src_uri] = index.entries[before:]
        for file in rebuild:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        if index is not None:
            index.entries[:] = [e for f in doc_files for e in self._entries.get(f.src_uri, [])]
        config.plugins.on_post_build(config=config)
        return left
