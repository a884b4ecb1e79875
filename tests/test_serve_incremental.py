"""perfpages serve redoes only the work an edit calls for, and ends with the same site as a
complete build."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import validate
from generator.build import SITE_DIR, BuildCache, generate
from generator.mkdocs_build import Preview
from generator.serve import changed_pages
from tests.conftest import copy_example

MEASURE = "indicators/health-and-wellbeing/dtoc-adult-social-care.yml"
URL = "http://127.0.0.1:8000/"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def edit(root: Path, old: str, new: str) -> None:
    path = root / MEASURE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_reads_and_renders_one_file_again(tmp_path, monkeypatch):
    root = copy_example(tmp_path / "site")
    cache = BuildCache()
    reads: list[str] = []
    original = validate.read_yaml

    def counting(path: Path, rel: str, problems: object) -> object:
        reads.append(rel)
        return original(path, rel, problems)  # type: ignore[arg-type]

    monkeypatch.setattr(validate, "read_yaml", counting)
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
    root = copy_example(tmp_path / "site")
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
