"""The home page's headline counts are true of the data: a property test over random sites.

Hypothesis writes sites of measures (whole-number values, a target or none, any polarity, a
rating stated or not) and projects (updates rated and with progress); the real loader,
assessment and renderer make the home page; the test reads the headline figures back out of
it and checks each against its own count from the files: measures by rating and direction,
projects apart by where they stand. Nothing here reuses the generator's own arithmetic.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.assess.assessment import assess_site
from generator.render.pages import all_outputs
from generator.site.loader import load_site
from generator.site.problems import Problems
from tests.conftest import MINIMAL_CONFIG

EXAMPLES = int(os.environ.get("PERFPAGES_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=max(10, EXAMPLES // 3),
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PERIODS = ["2019/20 Q1", "2019/20 Q2"]  # the reporting period is the second


@st.composite
def measure(draw: st.DrawFn) -> dict[str, Any]:
    # Targets whose 5% band is a whole number, and values near them, so that the boundaries
    # (on target, on the edge of amber) are drawn often.
    target = draw(st.one_of(st.sampled_from([20, 40, 100, 200]), st.integers(1, 200)))
    band = target // 20 if target % 20 == 0 else 0
    edges = [target, target - band, target + band, target - band - 1, target + band + 1]
    near = st.one_of(st.sampled_from(edges), st.integers(-12, 12).map(lambda d: target + d))
    near = near.map(lambda v: max(0, v))
    values = [{"period": p, "value": draw(near)} for p in PERIODS]
    if draw(st.booleans()):
        values = values[1:]  # no earlier value: no direction
    m: dict[str, Any] = {
        "title": "A measure",
        "priority": draw(st.sampled_from(["health", "economy"])),
        "polarity": draw(st.sampled_from(["higher_is_better", "lower_is_better", "neutral"])),
        "decimals": 0,
        "values": values,
    }
    if draw(st.booleans()):
        m["target"] = target
    for value in values:
        if draw(st.integers(0, 3)) == 0:
            value["rating"] = draw(st.sampled_from(["green", "amber", "red"]))
            value["rating_reason"] = "As published."
    return m


@st.composite
def project(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "title": "A project",
        "kind": "project",
        "priority": draw(st.sampled_from(["health", "economy"])),
        "updates": [
            {
                "period": p,
                "rating": draw(st.sampled_from(["green", "amber", "red"])),
                "progress": draw(
                    st.sampled_from(["achieved_milestone", "progressing", "missed_milestone"])
                ),
            }
            for p in PERIODS
        ],
    }


def expected_rating(m: dict[str, Any], entry: dict[str, Any] | None = None) -> str:
    """SPEC's rating table, by hand: a stated rating wins; else the value against the target,
    amber within 5% of the target (the default tolerance). The latest value's by default."""
    entry = entry or m["values"][-1]
    if "rating" in entry:
        return str(entry["rating"])
    return computed_rating(m, entry)


def computed_rating(m: dict[str, Any], entry: dict[str, Any]) -> str:
    """The rating the value and target alone give."""
    if "target" not in m or m["polarity"] == "neutral":
        return "not_rated"
    v, target = entry["value"], m["target"]
    band = target * 5 / 100
    if m["polarity"] == "higher_is_better":
        return "green" if v >= target else "amber" if v >= target - band else "red"
    return "green" if v <= target else "amber" if v <= target + band else "red"


def expected_direction(m: dict[str, Any]) -> str | None:
    if len(m["values"]) < 2:
        return None
    before, now = m["values"][0]["value"], m["values"][1]["value"]
    if now == before:
        return "steady"  # neutral measures too: the value did not move
    if m["polarity"] == "neutral":
        return None  # up or down, neither better nor worse: not counted
    better = now > before if m["polarity"] == "higher_is_better" else now < before
    return "improving" if better else "declining"


STANDING = {"green": "on target", "amber": "requiring attention", "red": "off target"}


def read_headline(home: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if m := re.search(r"(\d+) of (\d+) rated measures are Green \((\d+)%\)", home):
        found["green"], found["rated"], found["percent"] = map(int, m.groups())
    if m := re.search(r"(\d+) improving, (\d+) steady, (\d+) declining", home):
        found["improving"], found["steady"], found["declining"] = map(int, m.groups())
    if m := re.search(r"(\d+) projects?: ([^<]*)<", home):
        found["projects"] = int(m[1])
        found["standing"] = {
            word: int(n) for n, word in re.findall(r"(\d+) ([a-z ]+?)(?:,|$)", m[2])
        }
    return found


def site_pages(folder: Path, indicators: list[dict[str, Any]]) -> dict[str, str]:
    (folder / "indicators").mkdir(parents=True, exist_ok=True)
    for old in (folder / "indicators").glob("*.yml"):
        old.unlink()
    config = {**MINIMAL_CONFIG, "reporting_period": PERIODS[-1]}
    (folder / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    for i, indicator in enumerate(indicators):
        path = folder / "indicators" / f"i{i}.yml"
        path.write_text(yaml.safe_dump(indicator), encoding="utf-8")
    problems = Problems()
    site = load_site(folder, problems)
    assert site is not None and not problems.errors, [p.format() for p in problems.errors]
    outputs = all_outputs(site, assess_site(site, problems))
    return {o.path: o.data.decode() for o in outputs if o.path.endswith(".md")}


def home_page(folder: Path, indicators: list[dict[str, Any]]) -> str:
    return site_pages(folder, indicators)["index.md"]


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def test_the_headline_counts_measures_and_projects_apart_and_truly(folder):
    @SETTINGS
    @given(
        measures=st.lists(measure(), min_size=1, max_size=6),
        projects=st.lists(project(), max_size=4),
    )
    def check(measures: list[dict[str, Any]], projects: list[dict[str, Any]]) -> None:
        found = read_headline(home_page(folder, measures + projects))
        ratings = [expected_rating(m) for m in measures]
        rated = [r for r in ratings if r in ("green", "amber", "red")]
        if rated:
            green = rated.count("green")
            percent = int(green * 100 / len(rated) + 0.5)  # half up, as residents round
            assert (found["green"], found["rated"], found["percent"]) == (
                green,
                len(rated),
                percent,
            )
        else:
            assert "green" not in found
        directions = [expected_direction(m) for m in measures]
        assert (found["improving"], found["steady"], found["declining"]) == (
            directions.count("improving"),
            directions.count("steady"),
            directions.count("declining"),
        )
        if projects:
            standings = [STANDING[p["updates"][-1]["rating"]] for p in projects]
            assert found["projects"] == len(projects)
            assert found["standing"] == {s: standings.count(s) for s in set(standings)}
        else:
            assert "projects" not in found

    check()


def test_the_reader_reads_each_figure():
    """The property is only as good as this reader."""
    home = (
        "<p>3 of 4 rated measures are Green (75%) x</p><p>2 improving, 1 steady, 0 declining"
        "</p><p>5 projects: 3 on target, 2 requiring attention</p>"
    )
    assert read_headline(home) == {
        "green": 3,
        "rated": 4,
        "percent": 75,
        "improving": 2,
        "steady": 1,
        "declining": 0,
        "projects": 5,
        "standing": {"on target": 3, "requiring attention": 2},
    }


RANK = {"red": 0, "amber": 1, "green": 2}


def read_comparison(home: str) -> dict[str, int] | None:
    """The change since Q1 as the home page states it; None when it states none."""
    if "No measure was rated at both" in home:
        return {"both": 0}
    if m := re.search(
        r"1 measure was rated at both .*?: its rating is (better|the same|worse)", home
    ):
        moved = {"better": "better", "the same": "same", "worse": "worse"}[m[1]]
        return {"both": 1, "better": 0, "same": 0, "worse": 0} | {moved: 1}
    m = re.search(
        r"(\d+) measures were rated at both .*?\. Since .*?, the rating of (\d+) is better, "
        r"of (\d+) the same and of (\d+) worse\. Green: (\d+) of them at .*?, (\d+) at ",
        home,
    )
    if m is None:
        return None
    keys = ("both", "better", "same", "worse", "green_before", "green_now")
    return dict(zip(keys, map(int, m.groups()), strict=True))


def read_as_published(home: str) -> int:
    m = re.search(r"(\d+) of the ratings counted (?:is|are) as the council published", home)
    return int(m[1]) if m else 0


def test_the_change_since_the_last_period_is_counted_over_measures_rated_at_both(folder):
    """The comparison with Q1 counts only measures rated (green, amber, red) at both Q1 and Q2;
    the ratings kept as published are counted and said; the list of reports says how many
    indicators had data at each period."""

    @SETTINGS
    @given(
        measures=st.lists(measure(), min_size=1, max_size=6),
        projects=st.lists(project(), max_size=2),
    )
    def check(measures: list[dict[str, Any]], projects: list[dict[str, Any]]) -> None:
        pages = site_pages(folder, measures + projects)
        home = pages["index.md"]
        both = [
            (expected_rating(m, m["values"][0]), expected_rating(m, m["values"][1]))
            for m in measures
            if len(m["values"]) == 2
        ]
        both = [(a, b) for a, b in both if a in RANK and b in RANK]
        found = read_comparison(home)
        if not projects and all(len(m["values"]) == 1 for m in measures):
            assert found is None, "no indicator had begun by Q1: nothing to compare with"
            return
        assert found is not None
        assert found["both"] == len(both)
        if both:
            moved = [RANK[b] - RANK[a] for a, b in both]
            assert found["better"] == sum(d > 0 for d in moved)
            assert found["same"] == sum(d == 0 for d in moved)
            assert found["worse"] == sum(d < 0 for d in moved)
        if len(both) > 1:
            assert found["green_before"] == sum(a == "green" for a, _ in both)
            assert found["green_now"] == sum(b == "green" for _, b in both)
        published = [
            m
            for m in measures
            if "rating" in m["values"][-1]
            and m["values"][-1]["rating"] != computed_rating(m, m["values"][-1])
        ]
        assert read_as_published(home) == len(published)
        # Each rating kept as published is marked so in words in the priority's table.
        marks = sum(
            page.count("(as published)")
            for path, page in pages.items()
            if path.startswith("priorities/")
        )
        assert marks == len(published)
        # The reports: how many indicators had data at each period, of all of them.
        index = pages["reports/index.md"]
        total = len(measures) + len(projects)
        q1 = len([m for m in measures if len(m["values"]) == 2]) + len(projects)
        rows = dict(re.findall(r"Report for (Q\d) 2019/20</a>.*?<td[^>]*>(\d+ of \d+)</td>", index))
        assert rows["Q2"] == f"{total} of {total}"
        if q1:
            assert rows["Q1"] == f"{q1} of {total}"

    check()


def test_the_comparison_reader_reads_each_form():
    three = (
        "3 measures were rated at both Q1 2019/20 and Q2 2019/20. Since Q1 2019/20, the rating "
        "of 1 is better, of 2 the same and of 0 worse. Green: 1 of them at Q1 2019/20, 2 at Q2"
    )
    assert read_comparison(three) == {
        "both": 3,
        "better": 1,
        "same": 2,
        "worse": 0,
        "green_before": 1,
        "green_now": 2,
    }
    one = "1 measure was rated at both Q1 and Q2: its rating is worse than at Q1."
    assert read_comparison(one) == {"both": 1, "better": 0, "same": 0, "worse": 1}
    assert read_comparison("nothing here") is None
    assert read_as_published("<p>2 of the ratings counted are as the council published") == 2
