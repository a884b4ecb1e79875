"""``perfpages serve``: regenerate on every edit and let MkDocs' own server reload the browser.

The generator rewrites only files whose bytes changed, so MkDocs rebuilds and the browser
reloads only when a page really changed. A mistake in a file is reported in the terminal and
the last good pages stay up until it is fixed.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import click

from generator.build import SITE_DIR, generate
from generator.problems import UserError

WATCHED = ("indicators", "content", "theme", "disaggregations", "site_config.yml")
QUIET_SECONDS = 0.15


class Regenerator:
    """Collects file events and regenerates once they stop arriving for a moment."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.output = (root / SITE_DIR).absolute()
        self._changed = threading.Event()
        self._last = 0.0
        self._stop = threading.Event()

    def touch(self) -> None:
        self._last = time.monotonic()
        self._changed.set()

    def run_once(self) -> bool:
        """Regenerate now; False (with the problems printed) when the files have mistakes."""
        from generator.cli import report

        try:
            generated = generate(self.root, self.output)
        except UserError as error:
            report(error.problems)
            click.echo("Fix the problems above; the preview keeps the last good version.", err=True)
            return False
        report(generated.problems)
        return True

    def loop(self) -> None:
        while not self._stop.is_set():
            if not self._changed.wait(0.5):
                continue
            while time.monotonic() - self._last < QUIET_SECONDS:
                time.sleep(QUIET_SECONDS / 3)
            self._changed.clear()
            started = time.monotonic()
            if self.run_once():
                click.echo(f"Regenerated in {time.monotonic() - started:.2f} s", err=True)

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


def serve(root: Path, host: str, port: int) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve

    regenerator = Regenerator(root)
    if not regenerator.run_once():
        click.echo("perfpages serve needs one good build to start.", err=True)
        return 1
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    if not logging.getLogger("mkdocs").handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s - %(message)s"))
        logging.getLogger("mkdocs").addHandler(handler)
    observer = _watch(root, regenerator)
    worker = threading.Thread(target=regenerator.loop, daemon=True)
    worker.start()
    try:
        mkdocs_serve(
            config_file=str(root / "build" / "mkdocs.yml"),
            livereload=True,
            watch_theme=True,
            dev_addr=f"{host}:{port}",
        )
    finally:
        regenerator.stop()
        observer.stop()  # type: ignore[attr-defined]
    return 0
