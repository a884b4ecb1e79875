"""A progress display for builds that take more than a moment (only on a terminal)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

from generator.pipeline import NullProgress

DELAY_SECONDS = 0.7


class Progress(NullProgress):
    """A Rich progress bar that appears only once the build has run for ``DELAY_SECONDS``."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as RichProgress

        self._rich = RichProgress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._started = time.monotonic()
        self._shown = False
        self._timer = threading.Timer(DELAY_SECONDS, self._show)
        self._timer.daemon = True
        self._timer.start()

    def _show(self) -> None:
        self._shown = True
        self._rich.start()

    def close(self) -> None:
        self._timer.cancel()
        if self._shown:
            self._rich.stop()

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Callable[[], None]]:
        task = self._rich.add_task(name, total=total)
        try:
            yield lambda: self._rich.advance(task)
        finally:
            self._rich.update(task, completed=total or 1, total=total or 1)


class Timed(NullProgress):
    """Another progress display, and how long each stage took (``perfpages build -v``): one
    line per stage, said once the display has gone, so the two never overlap."""

    def __init__(self, shown: NullProgress) -> None:
        self._shown = shown
        self._times: list[tuple[str, float]] = []

    def close(self) -> None:
        close: Callable[[], None] | None = getattr(self._shown, "close", None)
        if close:
            close()

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Callable[[], None]]:
        started = time.monotonic()
        try:
            with self._shown.stage(name, total) as advance:
                yield advance
        finally:
            self._times.append((name, time.monotonic() - started))

    def lines(self) -> list[str]:
        return [f"{name}: {seconds:.2f} s" for name, seconds in self._times]
