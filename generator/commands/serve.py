"""``perfpages serve``: regenerate on every edit and reload the browser.

Each edit re-reads and re-renders only the files that changed (``BuildCache``), the generator
rewrites only files whose bytes changed, and MkDocs rebuilds only those pages (``Preview`` in
generator/mkdocs/preview.py); then MkDocs' own live-reload server reloads the browser. So an
edited value shows within a few seconds on a site of a thousand indicators. A mistake in a file
is reported in the terminal and the last good pages stay up until it is fixed, with the problems
at the top of every page the browsers have open (``ProblemsShown``). So do they when the system
stops a rebuild (a full disk): one line says why, and the next edit tries again. Ctrl-C stops the
preview with exit status 130 (SIGTERM with 143), its temporary folders removed.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import json
import logging
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.commands.messages import (
    VERBOSE,
    count_line,
    detail,
    os_error,
    print_problems,
    say,
    verbosity,
)
from generator.mkdocs.internals import live_reload_server
from generator.output.files import WriteStats
from generator.pipeline import BuildCache, Generated, generate
from generator.site.i18n import t
from generator.site.layout import SITE_DIR
from generator.site.problems import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    Problems,
    Terminated,
    UserError,
    WrongUsage,
)

if TYPE_CHECKING:
    from generator.mkdocs.preview import Preview

WATCHED = ("indicators", "content", "theme", "disaggregations", "site_config.yml")
QUIET_SECONDS = 0.15
# On Ctrl-C, how long the preview waits for a regeneration under way to end before it removes
# its folder: one that was writing into it would make it again (it starts nothing new once
# stopped, and a page it builds is a moment's work).
STOP_SECONDS = 30
KEPT = "the preview keeps the last good version"

# The preview's own files (never a built site's): the script added to every page, and the
# problems it shows, both at the top of the preview's folder.
PROBLEMS_SCRIPT = "perfpages-serve-problems.js"
PROBLEMS_FILE = "perfpages-serve-problems.json"
PROBLEMS_SCRIPT_SOURCE = Path(__file__).with_name("serve_problems.js")


def _stopped_by_system(what: str, error: OSError) -> None:
    """One line for a regeneration or rebuild the system stopped (a full disk, a folder that
    cannot be written): what, the system's words and the path."""
    click.echo(f"{what}: {os_error(error)}; {KEPT}.", err=True)


class Regenerator:
    """Collects file events and regenerates once they stop arriving for a moment."""

    def __init__(
        self, root: Path, on_generated: Callable[[Generated, bool], None] | None = None
    ) -> None:
        self.root = root
        self.output = (root / SITE_DIR).absolute()
        self.cache = BuildCache()
        # Called with each generation, and whether its pages can wait (the reports of a
        # period, written after the rest; then ``on_reports`` when they are all written).
        self.on_generated = on_generated
        self.on_reports: Callable[[], None] | None = None
        # Called with the problems when the files have mistakes (the last good site stays).
        self.on_failed: Callable[[Problems], None] | None = None
        self._changed = threading.Event()
        self._last = 0.0
        self._stop = threading.Event()
        # A regeneration the system stopped (a full disk) may have written some of the docs
        # folder's files: the pages they make are rebuilt with the next one, as all pages are.
        self._unsure = False
        # The site's languages at the last good regeneration (site: languages).
        self.languages: tuple[str, ...] = ()

    def touch(self) -> None:
        self._last = time.monotonic()
        self._changed.set()

    def newer(self) -> bool:
        """Whether files changed since the regeneration under way started (or the preview is
        stopping)."""
        return self._changed.is_set()

    def stopped(self) -> bool:
        return self._stop.is_set()

    def run_once(self, first: bool = False) -> bool:
        """Regenerate now; False (with the problems printed) when the files have mistakes, or
        the system stopped it (a full disk). Wrong usage (``build/`` a link out of the project)
        is raised by the ``first`` regeneration, before the preview starts, and said by the
        others, which the preview outlives."""
        started = time.monotonic()
        try:
            # After the first, the pages an edit changed are shown before the pages made from
            # every indicator at once and the reports, which follow (write_reports).
            generated = generate(
                self.root,
                self.output,
                cache=self.cache,
                defer_reports=True,
                defer_site_pages=not first,
            )
        except UserError as error:
            print_problems(error.problems)
            click.echo(f"Fix the problems above; {KEPT}.", err=True)
            if self.on_failed and not self.stopped():
                self.on_failed(error.problems)
            return False
        except WrongUsage as error:
            if first:
                raise
            click.echo(f"Error: {error}; {KEPT}.", err=True)
            return False
        except OSError as error:
            self._unsure = True
            _stopped_by_system("The preview could not be regenerated", error)
            return False
        self.languages = generated.site.config.site.all_languages
        if self.stopped():
            return True
        if self._unsure:
            generated = dataclasses.replace(generated, settings_changed=True)
            self._unsure = False
        print_problems(generated.problems)
        if self.on_generated:
            self.on_generated(generated, False)  # returns once the pages are shown
            say(f"Regenerated in {time.monotonic() - started:.2f} s")
        # The pages made from every indicator at once and the reports of each period (which
        # list every indicator: on a large site they take longer than everything else) follow
        # once the edited pages are shown, and give way to the next edit.
        assert generated.write_reports is not None
        started = time.monotonic()
        on_generated = self.on_generated

        def written(stats: WriteStats) -> None:  # one period's
            if on_generated and (stats.changed or stats.created):
                on_generated(
                    dataclasses.replace(generated, stats=stats, settings_changed=False), True
                )

        try:
            stats = generated.write_reports(self.newer, written)
        except OSError as error:
            self._unsure = True
            _stopped_by_system("The reports could not be regenerated", error)
            return False
        if (stats.changed or stats.created) and not self.newer() and on_generated:
            if self.on_reports:
                self.on_reports()
            say(f"Reports updated in {time.monotonic() - started:.2f} s")
        return True

    def loop(self) -> None:
        while not self._stop.is_set():
            if not self._changed.wait(0.5):
                continue
            while time.monotonic() - self._last < QUIET_SECONDS:
                time.sleep(QUIET_SECONDS / 3)
            if self._stop.is_set():
                return
            self._changed.clear()
            self.run_once()

    def stop(self) -> None:
        self._stop.set()
        self._changed.set()


def _watch(root: Path, regenerator: Regenerator) -> object:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    work = (root / "build").resolve()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            path = Path(str(event.src_path)).resolve()
            if path.is_relative_to(work) or path.name.startswith("."):
                return
            regenerator.touch()

    observer = Observer()
    handler = Handler()
    for name in WATCHED:
        target = root / name
        if target.is_dir():
            observer.schedule(handler, str(target), recursive=True)
    observer.schedule(handler, str(root), recursive=False)  # site_config.yml, new folders
    observer.daemon = True
    observer.start()
    return observer


class ProblemsShown:
    """The problems the preview's pages show: ``PROBLEMS_FILE`` in the preview's folder, which
    the script the preview adds to every page reads as the page loads.

    It holds the number of the regeneration, the heading (in the site's language), and the
    problems as the terminal prints them (``Problem.format()``, then the count); no problems
    once a regeneration succeeds."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.generation = 0
        self.showing = False
        self.record(None)

    def record(self, problems: Problems | None) -> bool:
        """Write the outcome of a regeneration: the problems that stopped it, or None when it
        succeeded. Whether the pages must reload to show it (problems to show, or problems
        shown and gone)."""
        self.generation += 1
        lines = [p.format() for p in problems] if problems is not None else []
        status: dict[str, Any] = {"generation": self.generation, "problems": lines}
        if lines:
            assert problems is not None
            status.update(
                heading=t("serve.problems_heading"),
                count=count_line(problems),
                hint=t("serve.problems_hint"),
            )
        text = json.dumps(status, ensure_ascii=False, indent=1) + "\n"
        try:
            self.preview.publish(PROBLEMS_FILE, text.encode("utf-8"))
        except OSError as error:
            click.echo(f"The preview could not list the problems: {os_error(error)}.", err=True)
            return False
        reload = bool(lines) or self.showing
        self.showing = bool(lines)
        return reload


def changed_pages(generated: Generated) -> tuple[list[str], bool]:
    """The docs pages to rebuild, and whether every page must be (pages added or removed
    change the sitemap; mkdocs.yml or the theme change every page)."""
    stats = generated.stats
    pages = [p for p in stats.changed if p.endswith(".md")]
    full = generated.settings_changed or any(
        p.endswith(".md") for p in stats.created + stats.deleted
    )
    return pages, full


def serve(root: Path, host: str, port: int | None, *, open_browser: bool = False) -> int:
    """Preview the site in ``root`` at http://host:port/ until interrupted; the exit status.

    Without a port, the first free one from 8000 on. A first good build is needed to start.
    Then the generator watches the site's files and regenerates on each edit, MkDocs rebuilds
    only the pages that changed (the reports by period after the edited pages are shown), and
    the live-reload server reloads the browsers; with ``open_browser``, MkDocs' server opens
    the preview in the web browser once it listens. The built pages live in a temporary
    folder, removed on exit: on Ctrl-C (exit status 130) and SIGTERM (143) too."""
    port = choose_port(host, port)  # before the first build, which can take a while
    previous = _stop_on_sigterm()
    try:
        return _serve(root.resolve(), host, port, open_browser)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stop_on_sigterm() -> Any:
    """Stop on SIGTERM (``kill``, a service manager) as on Ctrl-C, so that the temporary
    folders go too; the handler it replaces (None outside the main thread)."""

    def stop(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: the clean-up is under way
        raise Terminated

    try:
        return signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread
        return None


def _serve(root: Path, host: str, port: int, open_browser: bool = False) -> int:
    """The first regeneration (without it, nothing to serve), then the preview in a temporary
    folder, which is removed however the preview ends: the regeneration under way, if any,
    is let finish first, since it could still write into it."""
    from generator.mkdocs.preview import Preview

    regenerator = Regenerator(root)
    if not regenerator.run_once(first=True):
        click.echo("perfpages serve needs one good build to start.", err=True)
        return EXIT_PROBLEMS
    # MkDocs says where it serves and what it rebuilds: not with --quiet.
    logging.getLogger("mkdocs").setLevel(logging.INFO if verbosity() >= 0 else logging.WARNING)
    # Indicator pages are deliberately not in the navigation; MkDocs would list every one of
    # them on every rebuild.
    logging.getLogger("mkdocs.structure.nav").setLevel(logging.WARNING)
    if not logging.getLogger("mkdocs").handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s - %(message)s"))
        logging.getLogger("mkdocs").addHandler(handler)

    config_file = root / "build" / "mkdocs.yml"
    address = f"[{host}]" if ":" in host else host
    script = PROBLEMS_SCRIPT_SOURCE.read_bytes()
    worker = threading.Thread(target=regenerator.loop, daemon=True)
    site_dir = tempfile.mkdtemp(prefix="perfpages-preview-")
    try:
        preview = Preview(
            str(config_file), site_dir, f"http://{address}:{port}/", {PROBLEMS_SCRIPT: script}
        )
        # The pages in the site's other languages (site: languages), each in its folder: built
        # whole after the default language's, with every regeneration.
        others = [
            Preview(
                str(root / "build" / f"mkdocs-{code}.yml"),
                os.path.join(site_dir, code),
                f"http://{address}:{port}/{code}/",
                {PROBLEMS_SCRIPT: script},
            )
            for code in regenerator.languages[1:]
        ]
        server = _preview_server(
            _rebuilding(functools.partial(_build_all, preview, others)), host, port, site_dir
        )
        shown = ProblemsShown(preview)
        return _run(
            root, host, port, regenerator, preview, server, shown, worker, open_browser, others
        )
    except KeyboardInterrupt as stop:
        say("Stopped.")
        return getattr(stop, "status", EXIT_INTERRUPTED)
    finally:
        regenerator.stop()
        try:
            if worker.is_alive():
                worker.join(STOP_SECONDS)
        finally:
            shutil.rmtree(site_dir, ignore_errors=True)


def _run(
    root: Path,
    host: str,
    port: int,
    regenerator: Regenerator,
    preview: Preview,
    server: Any,
    shown: ProblemsShown,
    worker: threading.Thread,
    open_browser: bool = False,
    others: list[Preview] | None = None,
) -> int:
    """Build the preview, serve it and regenerate on every edit, until interrupted."""
    config_file = root / "build" / "mkdocs.yml"

    def failed(problems: Problems) -> None:
        shown.record(problems)
        server.request_rebuild()  # reloads the browsers, which show the problems

    def rebuild(generated: Generated, later: bool) -> None:
        """Show a regeneration: the default language's changed pages at once (``later``: the
        reports, built here while the server serves the others), the other languages' pages
        whole after them when they changed; returns once the edited pages are shown."""
        if regenerator.stopped():
            return  # the preview's folder is being removed
        # The problems shown are gone before the browsers reload; when the pages are the same
        # as the last good ones (the mistake undone), that reload is the only one.
        fixed = shown.record(None) if not later else False
        pages, full = changed_pages(generated)
        if verbosity() >= VERBOSE and (pages or full):
            which = "every page" if full else ", ".join(pages[:10]) + " ..." * (len(pages) > 10)
            detail(f"Rebuilding {which}")
        # The other languages' pages are built whole, after the default language's: when they
        # changed, or when a complete build of the default language's replaces their folder.
        if full or (not later and generated.other_languages_changed):
            for other in others or []:
                other.request([], full=True)
        if not (pages or full):
            if fixed or (others and generated.other_languages_changed and not later):
                server.request_rebuild()
            return
        ticket = preview.request(pages, full, later)
        if later and not full:
            # Built here, while the server goes on serving the pages it has.
            try:
                preview.build_later(regenerator.newer)
            except OSError as error:
                _stopped_by_system("The reports could not be rebuilt", error)
            except Exception:
                logging.getLogger("mkdocs").exception("The reports could not be rebuilt")
            return
        server.request_rebuild()
        deadline = time.monotonic() + 600
        while not preview.wait(ticket, timeout=0.2):  # until the edited pages are shown
            if regenerator.stopped() or time.monotonic() > deadline:
                return

    try:
        _build_all(preview, others or [])
    except OSError as error:
        click.echo(f"The preview could not be built: {os_error(error)}.", err=True)
        click.echo("perfpages serve needs one good build to start.", err=True)
        return EXIT_PROBLEMS
    regenerator.on_generated = rebuild
    regenerator.on_failed = failed
    regenerator.on_reports = server.request_rebuild  # reloads the browsers
    # The server adds its reload script to pages only when it watches something; the
    # generator tells it about every other change directly (no polling of the docs).
    server.watch(str(config_file))
    observer = _watch(root, regenerator)
    worker.start()
    try:
        server.serve(open_in_browser=open_browser)
    except OSError as error:
        if error.errno not in LISTEN_ERRORS:
            raise
        # Taken between the check and now.
        raise WrongUsage(cannot_listen(host, port, error)) from None
    finally:
        regenerator.stop()
        observer.stop()  # type: ignore[attr-defined]
        server.shutdown()
    return EXIT_OK


def _build_all(preview: Preview, others: list[Preview]) -> None:
    """The preview's build: the default language's pages as requested, then each other
    language's (whole, when requested: a complete build of the default language's replaces the
    folder they are in)."""
    preview.build()
    for other in others:
        other.build()  # what was requested: the first time, and after a change, everything


def _rebuilding(build: Callable[[], None]) -> Callable[[], None]:
    """The preview's build, for the server's build loop: a build the system stops (a full
    disk) is one line, and the server goes on serving the last good pages (the preview builds
    them again with the next edit). MkDocs' loop would print a traceback and call the server
    stuck."""

    def rebuild() -> None:
        try:
            build()
        except OSError as error:
            _stopped_by_system("The preview could not be rebuilt", error)

    return rebuild


# Why a preview cannot listen on an address and port: in use, or not this machine's, or not
# allowed (ports below 1024); each the reader's to change, so wrong usage (exit status 2).
LISTEN_ERRORS = (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES, errno.EPERM)


def cannot_listen(host: str, port: int, error: OSError) -> str:
    """One line: what is wrong with the address and port, and the option that fixes it."""
    if error.errno == errno.EADDRINUSE:
        other = port + 1 if port < 65535 else 8001
        return (
            f"port {port} on {host} is already in use (another preview, or another program); "
            f"stop it, or choose another port with --port, e.g. --port {other}"
        )
    if error.errno == errno.EADDRNOTAVAIL or isinstance(error, socket.gaierror):
        return (
            f"cannot listen on {host}: it is not an address of this computer; "
            "choose one with --host (the default, 127.0.0.1, is this computer only)"
        )
    return (
        f"cannot listen on port {port} of {host} ({error.strerror or error}); "
        "choose another port with --port, e.g. --port 8000"
    )


DEFAULT_PORT = 8000
PORTS_TRIED = 20  # without --port: 8000 to 8019


def choose_port(host: str, port: int | None) -> int:
    """The port to listen on: the one given, which must be free; else the first free one from
    ``DEFAULT_PORT`` on (another preview may have 8000), said when it is not 8000."""
    if port is not None:
        check_port(host, port)
        return port
    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED):
        error = _listen_error(host, candidate)
        if error is None:
            if candidate != DEFAULT_PORT:
                say(f"Port {DEFAULT_PORT} on {host} is in use; the preview uses port {candidate}")
            return candidate
        if error.errno != errno.EADDRINUSE:
            raise WrongUsage(cannot_listen(host, candidate, error))
    last = DEFAULT_PORT + PORTS_TRIED - 1
    raise WrongUsage(
        f"ports {DEFAULT_PORT} to {last} on {host} are all in use (other previews, or other "
        "programs); stop one, or choose a port with --port"
    )


def check_port(host: str, port: int) -> None:
    """Refuse (``WrongUsage``, exit status 2) an address and port the preview cannot listen on:
    a port in use, a host that is not this computer's."""
    error = _listen_error(host, port)
    if error is not None:
        raise WrongUsage(cannot_listen(host, port, error))


def _listen_error(host: str, port: int) -> OSError | None:
    """Why the preview could not listen on ``host`` and ``port``, or None: bound as MkDocs'
    server binds (``SO_REUSEADDR``), then let go."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        if error.errno not in LISTEN_ERRORS and not isinstance(error, socket.gaierror):
            raise
        return error
    return None


def _preview_server(builder: Callable[[], None], host: str, port: int, site_dir: str) -> Any:
    """MkDocs' live-reload server, which the generator can ask to rebuild; MkDocs' error pages
    are the site's own."""
    server = live_reload_server(builder, host, port, site_dir)
    server.error_handler = lambda code: _error_page(site_dir, code)
    return server


def _error_page(site_dir: str, code: int) -> bytes | None:
    page = Path(site_dir) / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
