"""No step of the generator may do more than linear work in the number of indicators.

The generator stage (load, validate, assess, render, write) runs on synthetic sites of 1,000 and
4,000 indicators under cProfile, which counts every call of every Python function and builtin:
counts, not seconds, so the check does not depend on the machine. A step that is quadratic shows
as a function called about 16 times as often for 4 times the indicators (a property read in a
loop over every indicator, inside a loop over every indicator, is counted on every read).
"""

from __future__ import annotations

import cProfile
import pstats
import sys
from pathlib import Path

import pytest

from generator import pipeline as build
from generator.output import parallel

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import synthetic

pytestmark = pytest.mark.complexity

SMALL, LARGE = 1_000, 4_000
RATIO = LARGE / SMALL
# Linear work grows by RATIO; per-indicator sizes are random, and the number of priorities
# grows from 12 to 18 with the size, so allow a little more. Quadratic work grows by RATIO**2.
SLACK = 1.3
MIN_CALLS = 2_000  # functions called fewer times than this (at the larger size) are set-up

Counts = dict[str, int]


def call_counts(root: Path, monkeypatch: pytest.MonkeyPatch) -> Counts:
    """Calls of each function during the generator stage, in one process (a forked worker's
    calls would not be counted)."""
    monkeypatch.setattr(parallel, "workers_for", lambda items, threshold: 1)
    profile = cProfile.Profile()
    profile.enable()
    build.generate(root, (root / build.SITE_DIR).absolute())
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    counts: Counts = {}
    for (file, line, name), (_, total_calls, *_rest) in stats.items():
        key = f"{Path(file).name}:{line}:{name}"
        counts[key] = counts.get(key, 0) + total_calls
    return counts


def superlinear(small: Counts, large: Counts) -> list[str]:
    """Functions whose calls grow more than linearly from the small to the large site."""
    limit = RATIO * SLACK
    out = []
    for key, calls in sorted(large.items()):
        if calls < MIN_CALLS or key.startswith("<string>:"):
            # Code made at run time (namedtuple and dataclass methods) all shares one name, and
            # cProfile records its calls from C inconsistently (Decimal.as_tuple's namedtuple:
            # 1 call counted for 1,000 indicators, 288,963 for 4,000, where as_tuple itself
            # went 74,146 to 288,963). The functions that call it are counted.
            continue
        before = small.get(key, 0)
        if before == 0 or calls / before > limit:
            out.append(f"{key}: {before:,} calls for {SMALL:,}, {calls:,} for {LARGE:,}")
    total_small, total_large = sum(small.values()), sum(large.values())
    if total_large / total_small > limit:
        out.append(f"all calls: {total_small:,} for {SMALL:,}, {total_large:,} for {LARGE:,}")
    return out


def test_the_check_catches_quadratic_work():
    """superlinear() itself: linear growth passes, quadratic growth and new hot spots fail."""
    small = {"a.py:1:linear": 5_000, "a.py:2:quadratic": 10_000, "a.py:3:setup": 10}
    large = {
        "a.py:1:linear": 20_500,
        "a.py:2:quadratic": 160_000,
        "a.py:3:setup": 100,
        "a.py:4:new": 3_000,
    }
    found = superlinear(small, large)
    assert len(found) == 3
    assert found[0].startswith("a.py:2:quadratic: 10,000 calls for 1,000, 160,000 for 4,000")
    assert found[1].startswith("a.py:4:new: 0 calls")
    assert found[2].startswith("all calls: 15,010")
    assert superlinear({"a.py:1:f": 5_000}, {"a.py:1:f": 20_000}) == []


@pytest.mark.slow
def test_generator_work_grows_linearly(tmp_path, monkeypatch):
    counts = {}
    for size in (SMALL, LARGE):
        root = synthetic.write_site(size, tmp_path / f"site-{size}", synthetic.SMALL)
        counts[size] = call_counts(root, monkeypatch)
    pages = sorted((tmp_path / f"site-{LARGE}" / "build" / "docs" / "indicators").glob("*.md"))
    assert len(pages) == LARGE + 1  # every indicator, and the all-indicators page
    assert superlinear(counts[SMALL], counts[LARGE]) == []


def html_blocks(page: Path) -> int:
    """How many top-level HTML blocks Python-Markdown finds in a generated page."""
    import markdown

    md = markdown.Markdown(extensions=["attr_list", "tables", "admonition", "toc"])
    md.convert(page.read_text(encoding="utf-8").split("---\n", 2)[2])
    return int(md.htmlStash.html_counter)


def test_pages_listing_every_indicator_are_a_fixed_number_of_html_blocks(tmp_path, monkeypatch):
    """At the end of each top-level HTML block Python-Markdown (3.x) copies the rest of the page,
    so a page with a block per indicator costs indicators x page size: 194 s for the printed
    report of 10,000 indicators, against 16 s with a block per priority. The pages that list
    every indicator keep the same number of blocks however many indicators there are."""
    monkeypatch.setattr(parallel, "workers_for", lambda items, threshold: 1)
    blocks = {}
    for size in (30, 120):
        root = synthetic.write_site(size, tmp_path / f"site-{size}", synthetic.SMALL)
        build.generate(root, (root / build.SITE_DIR).absolute())
        docs = root / "build" / "docs"
        pages = [
            docs / "reports" / "2019-20-q2" / "print.md",
            docs / "reports" / "2019-20-q2" / "index.md",
            docs / "indicators" / "index.md",
            docs / "priorities" / "priority-01.md",
        ]
        blocks[size] = {page.relative_to(docs).as_posix(): html_blocks(page) for page in pages}
    # A few blocks per priority (a table of measures, one of projects, ...), none per indicator:
    # a block per indicator would be 120 or more.
    limit = 10 + 3 * len(synthetic.site_config(120)["priorities"])
    assert limit < 120
    for size, counts in blocks.items():
        assert all(n <= limit for n in counts.values()), (size, counts)
    # The same blocks at both sizes, but for the few sentences a site's data calls for or not
    # (the note on ratings kept as published, the change since the last period, the note on
    # indicators that began reporting later): never one per indicator.
    printed = [blocks[n]["reports/2019-20-q2/print.md"] for n in (30, 120)]
    assert abs(printed[0] - printed[1]) <= 3, printed
