"""Work shared out between processes gives exactly the bytes, warnings and errors of a build in
one process."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator import pipeline as build
from generator.mkdocs import build as mkdocs_build
from generator.output import parallel
from tests.conftest import tree

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import synthetic

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="no fork on this system")


# ---- fork_map --------------------------------------------------------------------------------


def test_fork_map_returns_results_in_order_from_other_processes():
    results = parallel.fork_map(lambda n: (n, os.getpid()), [0, 1, 2])
    assert [n for n, _ in results] == [0, 1, 2]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid()
    assert len(set(pids)) == 3  # items 1 and 2 ran in children


def test_fork_map_brings_back_results_larger_than_a_pipe_holds():
    results = parallel.fork_map(lambda n: bytes([n]) * 5_000_000, [1, 2])
    assert [len(r) for r in results] == [5_000_000, 5_000_000]
    assert results[1][:3] == b"\x02\x02\x02"


def test_fork_map_raises_a_childs_exception():
    def work(n: int) -> int:
        if n == 1:
            raise ValueError("child failed")
        return n

    with pytest.raises(ValueError, match="child failed"):
        parallel.fork_map(work, [0, 1])


def test_fork_map_reports_an_exception_that_cannot_be_pickled():
    class Local(Exception):  # a local class cannot be pickled
        pass

    def work(n: int) -> int:
        if n == 1:
            raise Local("not picklable")
        return n

    with pytest.raises(parallel.WorkerError, match="not picklable"):
        parallel.fork_map(work, [0, 1])


def test_deal_gives_each_item_once_and_a_free_process_takes_the_next():
    import time

    # Item 0 is slow: while one process works on it, the other takes every other item.
    def work(n: int) -> tuple[int, int]:
        time.sleep(1.0 if n == 0 else 0.01)
        return n * n, os.getpid()

    taken = parallel.deal(work, list(range(12)), 2)
    assert len(taken) == 2
    done = sorted((i, result) for share in taken for i, (result, _) in share)
    assert done == [(n, n * n) for n in range(12)]  # every item once, with its own result
    pids = [{pid for _, (_, pid) in share} for share in taken]
    assert pids[0] == {os.getpid()} and len(pids[1]) == 1 and pids[0] != pids[1]
    slow = next(share for share in taken if share[0][0] == 0)
    assert len(slow) <= 2  # the process that took item 0 took at most one more
    # Each process took its items in order.
    assert all([i for i, _ in share] == sorted(i for i, _ in share) for share in taken)


def test_deal_in_one_process_and_beyond_what_a_pipe_holds():
    assert parallel.deal(lambda n: -n, [1, 2, 3], 1) == [[(0, -1), (1, -2), (2, -3)]]
    # More items than the smallest pipe holds: shared out in advance, each still done once.
    many = list(range(parallel.DEALT_AT_MOST + 5))
    taken = parallel.deal(lambda n: (n * 2, os.getpid()), many, 2)
    assert sorted((i, r) for share in taken for i, (r, _) in share) == [(n, 2 * n) for n in many]
    assert len({pid for share in taken for _, (_, pid) in share}) == 2

    def work(n: int) -> int:
        if n == 5:
            raise ValueError("item 5 failed")
        return n

    with pytest.raises(ValueError, match="item 5 failed"):
        parallel.deal(work, list(range(10)), 2)


def test_in_child_gives_the_childs_result_and_raises_its_exception():
    assert parallel.in_child(os.getpid) != os.getpid()
    assert parallel.in_child(lambda: b"x" * 5_000_000) == b"x" * 5_000_000

    def failing() -> None:
        raise ValueError("child failed")

    with pytest.raises(ValueError, match="child failed"):
        parallel.in_child(failing)


def test_in_child_stops_the_child_when_this_process_is_stopped(tmp_path):
    """Ctrl-C while the child works: the child is stopped, not left writing on its own."""
    import signal
    import threading
    import time

    marker = tmp_path / "child.pid"

    def work() -> None:
        marker.write_text(str(os.getpid()))
        time.sleep(60)

    def interrupt() -> None:
        while not marker.exists() or not marker.read_text():
            time.sleep(0.01)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt, daemon=True).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        parallel.in_child(work)
    assert time.monotonic() - started < 30
    child = int(marker.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # gone, and reaped


def test_shares_are_interleaved_and_weighted():
    shares = parallel.shares(list(range(18)), 2, own_share=0.8)
    assert sorted(shares[0] + shares[1]) == list(range(18))
    assert (len(shares[0]), len(shares[1])) == (8, 10)
    assert shares[0][:3] == [1, 3, 5]  # pages of every kind and size in each share


def test_small_sites_stay_in_one_process():
    assert parallel.workers_for(build.PARALLEL_THRESHOLD - 1, build.PARALLEL_THRESHOLD) == 1


# ---- the generator and MkDocs ------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Twelve indicators, measures and projects: every kind of page, shared out in two or three.
    return synthetic.write_site(12, tmp_path_factory.mktemp("parallel") / "site", synthetic.SMALL)


def generate_with(root: Path, processes: int, monkeypatch: pytest.MonkeyPatch) -> build.Generated:
    monkeypatch.setattr(parallel, "workers_for", lambda items, threshold: processes)
    return build.generate(root, (root / build.SITE_DIR).absolute())


@pytest.mark.slow
def test_generator_shared_out_writes_the_same_files(synthetic_site, monkeypatch, tmp_path):
    generate_with(synthetic_site, 1, monkeypatch)
    one = tree(synthetic_site / "build")
    (synthetic_site / "build" / "docs" / "stale.md").write_text("left from before")
    in_child = parallel.in_child
    children: list[int] = []
    monkeypatch.setattr(parallel, "in_child", lambda work: children.append(1) or in_child(work))
    generated = generate_with(synthetic_site, 3, monkeypatch)
    assert children == [1]  # the pages were written in a child of their own
    assert tree(synthetic_site / "build") == one
    assert generated.stats.removed == 1
    assert generated.stats.unchanged == len([p for p in one if p.startswith("docs/")])
    assert len([p for p in one if p.startswith("docs/indicators/")]) == 13


@pytest.mark.slow
def test_mkdocs_shared_out_builds_the_same_site(synthetic_site, monkeypatch, tmp_path):
    generated = generate_with(synthetic_site, 1, monkeypatch)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1569801600")
    sites = {}
    for processes in (1, 2):
        out = tmp_path / f"site-{processes}"
        config = load_config(config_file=str(generated.mkdocs_file), site_dir=str(out))
        mkdocs_build.build_pages(config, processes)
        sites[processes] = tree(out)
    assert sites[1] == sites[2]
    assert sum(1 for p in sites[1] if p.startswith("indicators/")) == 13
    index = sites[1]["search/search_index.json"].decode()
    assert index.count('"location":"indicators/measure-') > 20


@pytest.mark.slow
def test_a_preview_shared_out_is_the_same_preview(synthetic_site, monkeypatch, tmp_path):
    """perfpages build --preview on a large site: its hook runs in the children too."""
    monkeypatch.setattr(parallel, "workers_for", lambda items, threshold: 1)
    generated = build.generate(synthetic_site, tmp_path / "unused", preview=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1569801600")
    sites = {}
    for processes in (1, 2):
        out = tmp_path / f"preview-{processes}"
        config = load_config(config_file=str(generated.mkdocs_file), site_dir=str(out))
        assert mkdocs_build.can_share(config)
        mkdocs_build.build_pages(config, processes)
        sites[processes] = tree(out)
    assert sites[1] == sites[2]
    page = sites[2]["indicators/measure-00012/index.html"].decode()
    assert 'href="../index.html"' in page and 'content="noindex"' in page
    assert "search/search_index.js" in sites[2]


# A small MkDocs site whose pages outside the navigation have problems MkDocs warns about. With
# two processes, page-01 and page-09 are built in the child (see test_shares...), so the
# warnings below need what the child sends back: its log, and the anchors and links of its pages.
DOCS = {
    "index.md": "# Home\n\nSee [a page](page-01.md).\n",
    "about.md": "# About\n\n[Missing anchor](page-01.md#nowhere)\n",
    **{f"page-{i:02d}.md": f"# Page {i}\n\n## Section {i}\n\nText {i}.\n" for i in range(1, 9)},
    "page-09.md": "# Page 9\n\n[Broken](missing.md) and [anchor](page-01.md#no-such-anchor)\n",
}


def small_mkdocs(root: Path, strict: bool, site: str) -> object:
    docs = root / "docs"
    for name, text in DOCS.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text)
    config = {
        "site_name": "Test",
        "theme": {"name": "material"},
        "nav": [{"Home": "index.md"}, {"About": "about.md"}],
        "plugins": ["search"],
        "validation": {"omitted_files": "info", "anchors": "warn"},
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return load_config(config_file=str(root / "mkdocs.yml"), site_dir=site, strict=strict)


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_logged(config: object, processes: int) -> tuple[list[str], BaseException | None]:
    handler = Records()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    error = None
    try:
        mkdocs_build.build_pages(config, processes)  # type: ignore[arg-type]
    except Abort as e:
        error = e
    finally:
        logger.removeHandler(handler)
    return sorted(handler.messages), error


def test_warnings_from_pages_built_in_children_are_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1569801600")
    results = {}
    for processes in (1, 2):
        config = small_mkdocs(tmp_path, strict=False, site=str(tmp_path / f"site-{processes}"))
        results[processes] = build_logged(config, processes)
    messages, error = results[2]
    assert error is None
    assert messages == results[1][0]
    assert any("page-09.md" in m and "missing.md" in m for m in messages)
    assert any("no-such-anchor" in m for m in messages)
    assert any("#nowhere" in m for m in messages)  # a nav page linking into a child's page
    assert tree(tmp_path / "site-1") == tree(tmp_path / "site-2")


def test_strict_build_fails_on_a_childs_warning(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1569801600")
    config = small_mkdocs(tmp_path, strict=True, site=str(tmp_path / "site"))
    messages, error = build_logged(config, 2)
    assert error is not None and "in strict mode" in str(error)
    assert any("missing.md" in m for m in messages)


def test_an_error_in_a_child_stops_the_build(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1569801600")
    outcomes = []
    for processes in (1, 2):
        config = small_mkdocs(tmp_path, strict=False, site=str(tmp_path / "site"))
        (tmp_path / "docs" / "page-09.md").write_text(
            "---\ntemplate: no-such-template.html\n---\n# Page 9\n"
        )
        with pytest.raises(Exception) as caught:
            mkdocs_build.build_pages(config, processes)  # type: ignore[arg-type]
        outcomes.append((type(caught.value), str(caught.value)))
    assert outcomes[0] == outcomes[1]
    assert "no-such-template.html" in outcomes[0][1]
