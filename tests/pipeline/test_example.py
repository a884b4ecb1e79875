"""The example site: Somerset County Council's Q2 2019/20 report, built strictly with MkDocs."""

from __future__ import annotations

import re

from generator.pipeline import check
from tests.conftest import REPO


def test_example_builds_strictly_with_every_indicator(example_built):
    ids = sorted(p.stem for p in (REPO / "indicators").rglob("*.yml"))
    assert len(ids) == 38  # the report's 38 performance indicators
    for indicator_id in ids:
        page = example_built / "indicators" / indicator_id / "index.html"
        assert page.is_file(), indicator_id
        assert (example_built / "data" / f"{indicator_id}.csv").is_file()
    for priority in (
        "infrastructure",
        "communities",
        "fairer-life-chances",
        "health-and-wellbeing",
        "council-challenges",
    ):
        assert (example_built / "priorities" / priority / "index.html").is_file()


def test_example_reproduces_the_published_rag_summary(example_copy):
    """The report's high-level summary: G 21, A 15, R 1 by outcome (measures and projects)."""
    from generator.assess.assessment import summarise

    site, assessed, problems = check(example_copy, strict=True)
    assert not problems.warnings
    summary = summarise(assessed, site.priority_ids, site.config.reporting_period)
    published = {
        "infrastructure": (8, 5, 1),
        "communities": (7, 2, 0),
        "fairer-life-chances": (0, 6, 0),
        "health-and-wellbeing": (5, 2, 0),
        "council-challenges": (1, 0, 0),
    }
    # The report counts measures and projects together; perfpages counts them apart (a
    # project's rating is where it stands, not a value against a target), and their sum is
    # the report's.
    for priority, (green, amber, red) in published.items():
        c = summary.by_priority[priority]
        together = (c.green + c.on_track, c.amber + c.at_risk, c.red + c.off_track)
        assert together == (green, amber, red), priority
    o = summary.overall
    assert (o.green + o.on_track, o.rated + o.on_track + o.at_risk + o.off_track) == (21, 37)
    assert (o.rated, o.projects) == (13, 24)


def test_example_home_page_words(example_built):
    html = (example_built / "index.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "8 of 13 rated measures are Green (62%)" in text
    # The narrative was written at the end of July, and its front matter says so.
    assert "What the council says about Jul 2019" in text
    assert "This commentary was written about Jul 2019 and published with the report for Q2" in text
    assert "Areas of concern" in text
