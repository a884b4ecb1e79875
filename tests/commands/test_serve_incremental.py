"""perfpages serve redoes only the work an edit calls for, and ends with the same site as a
complete build."""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

import pytest

from generator.commands.serve import changed_pages
from generator.mkdocs import internals
from generator.mkdocs.preview import Preview
from generator.pipeline import SITE_DIR, BuildCache, generate
from generator.site import loader
from tests.conftest import copy_example, tree

MEASURE = "indicators/health-and-wellbeing/dtoc-adult-social-care.yml"
URL = "http://127.0.0.1:8000/"


def small_example(target: Path) -> Path:
    """The example site with only the measures of its health priority and no narrative: the
    same kinds of pages and reports, built in a fraction of the time (these tests build with
    MkDocs several times over)."""
    root = copy_example(target)
    for path in (root / "indicators").rglob("*.yml"):
        if path.parent.name != "health-and-wellbeing":
            path.unlink()
    shutil.rmtree(root / "content" / "reports", ignore_errors=True)
    return root


def edit(root: Path, old: str, new: str) -> None:
    path = root / MEASURE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_reads_and_renders_one_file_again(tmp_path, monkeypatch):
    """A second generation reads no indicator file; after an edit, only the edited one, and the
    pages to rebuild are that indicator's and the summaries that count it."""
    root = copy_example(tmp_path / "site")
    cache = BuildCache()
    reads: list[str] = []
    original = loader.read_yaml

    def counting(path: Path, rel: str, problems: object) -> object:
        reads.append(rel)
        return original(path, rel, problems)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "read_yaml", counting)
    generate(root, root / SITE_DIR, cache=cache)
    assert len(reads) > 30
    reads.clear()

    generated = generate(root, root / SITE_DIR, cache=cache)
    assert [r for r in reads if r.startswith("indicators/")] == []
    assert generated.stats.changed == []

    edit(root, "value: 19.9", "value: 29.9")
    generated = generate(root, root / SITE_DIR, cache=cache)
    assert [r for r in reads if r.startswith("indicators/")] == [MEASURE]
    pages, full = changed_pages(generated)
    assert not full
    assert "indicators/dtoc-adult-social-care.md" in pages
    assert "data/dtoc-adult-social-care.csv" in generated.stats.changed
    # The summaries that count it change too (and the printable report of the period, which
    # holds every indicator); the other indicators' pages do not.
    assert set(pages) <= {
        "indicators/dtoc-adult-social-care.md",
        "indicators/index.md",
        "priorities/health-and-wellbeing.md",
        "priorities/index.md",
        "index.md",
        "reports/index.md",
        "reports/2019-20-q2/index.md",
        "reports/2019-20-q2/print.md",
    }


def test_a_cached_file_keeps_its_warnings(tmp_path):
    root = copy_example(tmp_path / "site")
    edit(root, "    rating_reason: As published in the Q2 2019/20 report\n", "")
    cache = BuildCache()
    first = generate(root, root / SITE_DIR, cache=cache)
    again = generate(root, root / SITE_DIR, cache=cache)
    assert [p.format() for p in first.problems] == [p.format() for p in again.problems]
    assert any(p.code == "rating.mismatch" for p in again.problems)


@pytest.mark.slow
def test_preview_rebuild_of_changed_pages_equals_a_complete_build(tmp_path):
    root = small_example(tmp_path / "site")
    cache = BuildCache()
    generated = generate(root, root / SITE_DIR, cache=cache)
    config = str(generated.mkdocs_file)
    preview = Preview(config, str(tmp_path / "preview"), URL)
    preview.build()
    before = tree(tmp_path / "preview")

    edit(root, "value: 19.9", "value: 29.9")
    pages, full = changed_pages(generate(root, root / SITE_DIR, cache=cache))
    preview.request(pages, full)
    preview.build()
    after = tree(tmp_path / "preview")
    assert after != before
    assert b"29.9" in after["indicators/dtoc-adult-social-care/index.html"]

    Preview(config, str(tmp_path / "complete"), URL).build()
    complete = tree(tmp_path / "complete")
    assert after.keys() == complete.keys()
    different = [name for name in complete if after[name] != complete[name]]
    assert different == []


def test_a_new_indicator_rebuilds_every_page(tmp_path):
    """A new page changes the sitemap and the lists of pages: a complete MkDocs build."""
    root = copy_example(tmp_path / "site")
    cache = BuildCache()
    generate(root, root / SITE_DIR, cache=cache)
    source = root / MEASURE
    (source.parent / "copy-of-dtoc.yml").write_text(source.read_text(encoding="utf-8"))
    generated = generate(root, root / SITE_DIR, cache=cache)
    pages, full = changed_pages(generated)
    assert full
    assert "indicators/copy-of-dtoc.md" in pages
    assert "indicators/copy-of-dtoc.md" in generated.stats.created


def test_serve_shows_an_edit_before_rewriting_the_reports(tmp_path):
    """The reports of each period list every indicator (most of the work on a large site), so
    serve writes them after the edited pages: first left as they were, then written newest
    first, ending with the docs a complete generation writes; a newer edit stops them."""
    root = small_example(tmp_path / "site")
    cache = BuildCache()
    docs = root / "build" / "docs"
    first = generate(root, root / SITE_DIR, cache=cache, defer_reports=True)
    assert first.write_reports is not None
    assert not (docs / "reports" / "2019-20-q2" / "print.md").exists()
    first.write_reports(lambda: False)
    written = tree(docs)
    assert "reports/2019-20-q2/print.md" in written

    edit(root, "value: 19.9", "value: 29.9")
    generated = generate(root, root / SITE_DIR, cache=cache, defer_reports=True)
    pages, full = changed_pages(generated)
    assert "indicators/dtoc-adult-social-care.md" in pages and not full
    assert not any(page.startswith("reports/2019-20-q2/") for page in pages)
    assert tree(docs)["reports/2019-20-q2/print.md"] == written["reports/2019-20-q2/print.md"]

    assert generated.write_reports is not None
    stopped = generated.write_reports(lambda: True)  # a newer edit is waiting
    assert stopped.changed == [] and stopped.written == 0
    reports = generated.write_reports(lambda: False)
    assert "reports/2019-20-q2/print.md" in reports.changed
    assert all(page.startswith("reports/") for page in reports.changed)

    deferred = tree(docs)
    generate(root, tmp_path / "complete-site")  # a complete generation, into the same docs
    assert tree(docs) == deferred


def test_after_the_first_serve_shows_an_edit_before_the_pages_of_every_indicator(tmp_path):
    """After the first generation, the pages made from every indicator at once (the home page,
    the priorities, the list of indicators, the feed) follow the edited pages too: left as they
    were, then written first of what follows (before the reports), each step told apart; at the
    end the docs a complete generation writes."""
    root = small_example(tmp_path / "site")
    cache = BuildCache()
    docs = root / "build" / "docs"
    first = generate(root, root / SITE_DIR, cache=cache, defer_reports=True)
    assert first.write_reports is not None
    first.write_reports(lambda: False)
    before = tree(docs)

    edit(root, "value: 19.9", "value: 29.9")
    generated = generate(
        root, root / SITE_DIR, cache=cache, defer_reports=True, defer_site_pages=True
    )
    pages, full = changed_pages(generated)
    assert "indicators/dtoc-adult-social-care.md" in pages and not full
    site_pages = {
        "index.md",
        "priorities/index.md",
        "priorities/health-and-wellbeing.md",
        "indicators/index.md",
        "reports/index.md",
        "feed.xml",
    }
    now = tree(docs)
    assert now.keys() == before.keys()  # nothing left behind is taken away
    for page in [*site_pages, "reports/2019-20-q2/index.md"]:
        assert now[page] == before[page], page
        assert page not in pages

    assert generated.write_reports is not None
    steps: list[list[str]] = []
    generated.write_reports(lambda: False, lambda stats: steps.append(stats.changed))
    deferred = tree(docs)
    changed = {page for page in deferred if deferred[page] != now[page]}
    assert changed & site_pages, "the edit changes no page made from every indicator"
    # Each site page a step, then the reports, newest first.
    first = next(i for i, step in enumerate(steps) if any(p.startswith("reports/20") for p in step))
    assert {page for step in steps[:first] for page in step} == changed & site_pages
    assert any(page.startswith("reports/2019-20-q2/") for page in steps[first])
    assert not {page for step in steps[first:] for page in step} & site_pages

    generate(root, tmp_path / "complete-site")  # a complete generation, into the same docs
    assert tree(docs) == deferred


@pytest.mark.slow
def test_preview_builds_the_reports_after_the_edited_pages(tmp_path):
    """Serve's MkDocs builds: the edited pages first; the reports after, a page at a time,
    stopped by a newer edit; at the end the same site as a complete build."""
    root = small_example(tmp_path / "site")
    cache = BuildCache()
    generated = generate(root, root / SITE_DIR, cache=cache, defer_reports=True)
    assert generated.write_reports is not None
    generated.write_reports(lambda: False)
    config = str(generated.mkdocs_file)
    preview = Preview(config, str(tmp_path / "preview"), URL)
    preview.build()
    print_page = "reports/2019-20-q2/print/index.html"
    before = tree(tmp_path / "preview")

    edit(root, "value: 19.9", "value: 29.9")
    generated = generate(root, root / SITE_DIR, cache=cache, defer_reports=True)
    ticket = preview.request(*changed_pages(generated))
    assert generated.write_reports is not None
    reports = dataclasses.replace(generated, stats=generated.write_reports(lambda: False))
    pages, full = changed_pages(reports)
    assert "reports/2019-20-q2/print.md" in pages and not full
    preview.request(pages, full, later=True)
    assert not preview.wait(ticket, timeout=0)

    preview.build()  # the edited pages only
    assert preview.wait(ticket, timeout=0)
    shown = tree(tmp_path / "preview")
    assert b"29.9" in shown["indicators/dtoc-adult-social-care/index.html"]
    assert shown[print_page] == before[print_page]

    assert not preview.build_later(lambda: True)  # a newer edit came
    assert tree(tmp_path / "preview")[print_page] == before[print_page]

    assert preview.build_later(lambda: False)
    after = tree(tmp_path / "preview")
    assert b"29.9" in after[print_page]
    assert preview.build_later(lambda: False)  # nothing left

    Preview(config, str(tmp_path / "complete"), URL).build()
    complete = tree(tmp_path / "complete")
    assert after.keys() == complete.keys()
    assert [name for name in complete if after[name] != complete[name]] == []


def test_a_build_asked_for_goes_before_the_reports(tmp_path, monkeypatch):
    """A request to show an edit stops the reports' build as soon as the step in hand (the
    conversion or the rendering of one page) is done, and the pages left wait."""
    root = small_example(tmp_path / "site")
    generated = generate(root, root / SITE_DIR)
    preview = Preview(str(generated.mkdocs_file), str(tmp_path / "preview"), URL)
    preview.build()
    built: list[str] = []
    populate = internals.Build.populate

    def populating(self, file):  # type: ignore[no-untyped-def]
        if not built:
            preview.request(["index.md"])  # an edit arrives while the first page converts
        built.append(file.src_uri)
        return populate(self, file)

    reports = ["reports/2019-20-q2/index.md", "reports/2019-20-q2/print.md"]
    html = tmp_path / "preview" / "reports" / "2019-20-q2" / "index.html"
    html.unlink()  # to see whether it is written again
    preview.request(reports, later=True)
    monkeypatch.setattr(internals.Build, "populate", populating)
    # stop() says stop only once the pages left are queued again (or after a minute, should
    # they never be): only the request can make it give way
    deadline = time.monotonic() + 60
    assert not preview.build_later(
        lambda: bool(built and preview._later) or time.monotonic() > deadline
    )
    monkeypatch.undo()
    assert built == reports[:1]  # converted, then gave way before rendering it
    assert preview._waiting()
    assert preview._later == dict.fromkeys(reports)
    assert not html.exists()
