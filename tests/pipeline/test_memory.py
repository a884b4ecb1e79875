"""What a build keeps in memory: a large site's pages are written in a child process
(tests/mkdocs/test_parallel.py), and MkDocs runs without the indicators as read and assessed,
which the messages no longer need by then (``pipeline.for_mkdocs``); the figures are in
benchmarks/README.md."""

from __future__ import annotations

from typing import Any

from generator import pipeline
from generator.mkdocs import run as mkdocs_run
from tests.conftest import MINIMAL_MEASURE, run_cli


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
