"""What a build keeps in memory: on a large site the generator stage runs in a child process
(the site as read and assessed is never in the build's own process, and the stages it goes
through are shown there), each indicator's data files are written where they are made, the
YAML as read is let go of once checked, and MkDocs runs without the indicators as read and
assessed (``pipeline.for_mkdocs``); the figures are in benchmarks/README.md."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.mkdocs import run as mkdocs_run
from generator.output import parallel
from tests.conftest import BILINGUAL, MINIMAL_MEASURE, run_cli, tree

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import synthetic


def test_mkdocs_runs_without_the_indicators_and_the_summary_still_counts_them(
    make_site: Any, monkeypatch: Any
) -> None:
    site = make_site(
        indicators={f"measure-{n}.yml": MINIMAL_MEASURE for n in range(3)},
        content={"about.md": "# About\n\nRead [the plan](plan.md).\n"},
    )
    seen: list[tuple[int, int]] = []
    real = mkdocs_run.run

    def run(config_file, site_, problems, indicators, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((len(site_.indicators), indicators))
        return real(config_file, site_, problems, indicators, **kwargs)

    monkeypatch.setattr(mkdocs_run, "run", run)
    result = run_cli("build", site.root)
    assert result.exit_code == 0, result.stderr
    assert seen == [(0, 3)]
    # MkDocs' warning still names the user's file and line, and the summary counts all three.
    assert "content/about.md:3: warning: the link 'plan.md'" in result.stderr
    assert "Built 3 indicators into " in result.stderr
    generated = pipeline.build_site(site.root)
    assert (generated.assessed, generated.site.indicators, generated.indicator_count) == ([], [], 3)


def test_the_generator_stages_run_without_the_cycle_collector_which_resumes_after(
    make_site: Any, monkeypatch: Any
) -> None:
    import gc

    seen: list[bool] = []
    check, write = pipeline.check, pipeline._write_stage
    monkeypatch.setattr(pipeline, "check", lambda *a: seen.append(gc.isenabled()) or check(*a))
    monkeypatch.setattr(
        pipeline, "_write_stage", lambda *a: seen.append(gc.isenabled()) or write(*a)
    )
    assert gc.isenabled()
    site = make_site()
    pipeline.generate(site.root, site.root / "site")
    assert seen == [False, False]
    assert gc.isenabled()
    gc.disable()
    try:
        with pipeline.cycles_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


# ---- a large build's generator stage in a child process -------------------------------------


class Recorded(pipeline.NullProgress):
    """The stages a build shows, as the command line's display would be told them."""

    def __init__(self) -> None:
        self.events: list[tuple[str, ...]] = []

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Callable[[], None]]:
        self.events.append(("enter", name))
        try:
            yield lambda: None
        finally:
            self.events.append(("exit", name))


@pytest.mark.skipif(not parallel.can_fork(), reason="no fork on this system")
def test_a_large_build_reads_its_site_only_in_a_child_and_shows_its_stages_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = synthetic.write_site(12, tmp_path / "site", synthetic.SMALL)
    monkeypatch.setattr(parallel, "workers_for", lambda items, threshold: 1)
    pipeline.generate(root, root / "site")  # in this process, every indicator kept
    one = tree(root / "build" / "docs")

    monkeypatch.setattr(parallel, "workers_for", lambda items, threshold: 2)
    pids = tmp_path / "checked-in"
    check = pipeline.check

    def noted(*args: Any) -> Any:
        with pids.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return check(*args)

    monkeypatch.setattr(pipeline, "check", noted)
    shown = Recorded()
    generated = pipeline.generate(root, root / "site", progress=shown, keep_indicators=False)
    # Read and checked once, in another process; this one has the settings and the count.
    assert [int(p) for p in pids.read_text().split()] != [os.getpid()]
    assert len(pids.read_text().split()) == 1
    assert (generated.site.indicators, generated.assessed, generated.indicator_count) == (
        [],
        [],
        12,
    )
    assert generated.site.config.site.title
    # The child's stages were shown here, in order, each closed.
    assert shown.events == [
        ("enter", "Checking files"),
        ("exit", "Checking files"),
        ("enter", "Writing pages for 12 indicators"),
        ("exit", "Writing pages for 12 indicators"),
    ]
    # The same docs as in one process, with each indicator's data files written where made.
    assert tree(root / "build" / "docs") == one
    assert len([p for p in one if p.startswith("data/measure-")]) >= 2 * 10


@pytest.mark.skipif(not parallel.can_fork(), reason="no fork on this system")
def test_a_mistake_in_a_large_site_is_reported_from_the_child_with_its_file_and_line(
    make_site: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = MINIMAL_MEASURE.replace("polarity: higher_is_better", "polarity: upwards")
    assert wrong != MINIMAL_MEASURE
    site = make_site(
        indicators={
            **{f"measure-{n}.yml": MINIMAL_MEASURE for n in range(3)},
            "measure-wrong.yml": wrong,
        }
    )
    monkeypatch.setattr(parallel, "workers_for", lambda items, threshold: 2)
    outer = parallel.in_child
    calls: list[int] = []
    monkeypatch.setattr(parallel, "in_child", lambda work: calls.append(1) or outer(work))
    result = run_cli("build", site.root)
    assert calls == [1]
    assert result.exit_code == 1
    line = wrong.splitlines().index("polarity: upwards") + 1
    assert f"indicators/measure-wrong.yml:{line}: polarity" in result.stderr
    assert not (site.root / "site").exists()


@pytest.mark.skipif(not parallel.can_fork(), reason="no fork on this system")
def test_a_large_site_in_two_languages_builds_the_same_site_from_the_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other language's pages take the open data the first language's made (one set)."""
    root = tmp_path / "site"
    shutil.copytree(BILINGUAL, root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1569801600")
    built = {}
    for processes in (1, 2):
        monkeypatch.setattr(parallel, "workers_for", lambda items, threshold, n=processes: n)
        pipeline.build_site(root, output=tmp_path / f"out-{processes}")
        built[processes] = tree(tmp_path / f"out-{processes}")
    assert built[1] == built[2]
    assert "cy/index.html" in built[2] and "data/indicators.csv" in built[2]
    assert not any(p.startswith("cy/data/") for p in built[2])


def test_a_build_lets_go_of_the_yaml_once_checked_and_writes_the_same_pages(
    make_site: Any,
) -> None:
    site = make_site(indicators={f"measure-{n}.yml": MINIMAL_MEASURE for n in range(3)})
    pipeline.generate(site.root, site.root / "site")
    kept = tree(site.root / "build" / "docs")
    loaded, _, _ = pipeline.check(site.root)
    lines = [i.line() for i in loaded.indicators]
    pipeline.let_go_of_yaml(loaded)
    assert [i.doc.data for i in loaded.indicators] == [None] * 3
    assert [i.line("values", 0, "value") for i in loaded.indicators] == lines  # the file's start
    pipeline.generate(site.root, site.root / "site", keep_indicators=False)
    assert tree(site.root / "build" / "docs") == kept
