"""One measured build, run by ``benchmarks/run.py`` in a process of its own.

    python benchmarks/child.py build SITE_DIR     perfpages build (generator, MkDocs, publish)
    python benchmarks/child.py generate SITE_DIR  the generator stage alone (build.generate)

Prints one JSON line: the time of each pipeline stage, the wall time inside the process and the
peak resident memory of this process and of the worker processes it started.
"""

from __future__ import annotations

import contextlib
import json
import resource
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.pipeline import NullProgress  # noqa: E402


class StageTimer(NullProgress):
    """The build's own progress hooks, used as a stopwatch for each stage."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self.peaks: dict[str, int] = {}  # this process's peak memory at the end of each stage

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Callable[[], None]]:
        started = time.perf_counter()
        try:
            yield lambda: None
        finally:
            key = name.split(" for ")[0]  # "Writing pages for 1000 indicators" -> "Writing pages"
            self.stages[key] = self.stages.get(key, 0.0) + time.perf_counter() - started
            self.peaks[key] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> None:
    mode, folder = sys.argv[1], Path(sys.argv[2]).resolve()
    started = time.perf_counter()
    from generator import pipeline

    timer = StageTimer()
    if mode == "build":
        pipeline.build_site(folder, progress=timer)
    elif mode == "generate":
        output = (folder / pipeline.SITE_DIR).absolute()
        pipeline.generate(folder, output, progress=timer, keep_indicators=False)  # as a build
    else:
        raise SystemExit(f"unknown mode {mode}")
    wall = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    report = {"stages": timer.stages, "peaks": timer.peaks, "wall": wall}
    print(json.dumps({**report, "rss": own, "workers_rss": workers}))


if __name__ == "__main__":
    main()
