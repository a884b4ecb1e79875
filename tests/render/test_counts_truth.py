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
    if draw(st.integers(0, 3)) == 0:
        values[-1]["rating"] = draw(st.sampled_from(["green", "amber", "red"]))
        values[-1]["rating_reason"] = "As published."
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


def expected_rating(m: dict[str, Any]) -> str:
    """SPEC's rating table, by hand: a stated rating wins; else the value against the target,
    amber within 5% of the target (the default tolerance)."""
    latest = m["values"][-1]
    if "rating" in latest:
        return str(latest["rating"])
    if "target" not in m or m["polarity"] == "neutral":
        return "not_rated"
    v, target = latest["value"], m["target"]
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


def home_page(folder: Path, indicators: list[dict[str, Any]]) -> str:
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
    return next(o.data.decode() for o in outputs if o.path == "index.md")


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
