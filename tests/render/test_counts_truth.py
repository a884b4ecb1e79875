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
from fractions import Fraction
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
from tests.render.tables import column_cells

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
    above = draw(ABOVE)
    if above is not None:
        m["above_target"] = above
    for value in values:
        if draw(st.integers(0, 3)) == 0:
            value["rating"] = draw(st.sampled_from(["green", "amber", "red", "exceeding"]))
            value["rating_reason"] = "As published."
    return m


# A band above target, or none (then no value is exceeding): a measure's own or the site's.
ABOVE = st.one_of(
    st.none(),
    st.sampled_from([{"absolute": 0}, {"absolute": 1}, {"absolute": 5}, {"percent": 5}]),
)


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


def expected_rating(
    m: dict[str, Any], entry: dict[str, Any] | None = None, site_above: dict | None = None
) -> str:
    """SPEC's rating table, by hand: a stated rating wins; else the value against the target,
    amber within 5% of the target (the default tolerance), exceeding when better than the
    target by more than the band above it (the measure's, else the site's). The latest
    value's by default."""
    entry = entry or m["values"][-1]
    if "rating" in entry:
        return str(entry["rating"])
    return computed_rating(m, entry, site_above)


def computed_rating(
    m: dict[str, Any], entry: dict[str, Any], site_above: dict | None = None
) -> str:
    """The rating the value and target alone give."""
    if "target" not in m or m["polarity"] == "neutral":
        return "not_rated"
    v, target = Fraction(entry["value"]), Fraction(m["target"])
    band = target * 5 / 100
    above = m.get("above_target", site_above)
    better = v - target if m["polarity"] == "higher_is_better" else target - v
    if above is not None:
        over = (
            Fraction(above["absolute"]) if "absolute" in above else target * above["percent"] / 100
        )
        if better > over:
            return "exceeding"
    return "green" if better >= 0 else "amber" if -better <= band else "red"


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
        found["on_target"], found["exceeding"] = found["green"], 0
    if m := re.search(
        r"(\d+) of (\d+) rated measures are on or better than target \((\d+)%\): (\d+) "
        r"Exceeding and (\d+) Green",
        home,
    ):
        keys = ("on_target", "rated", "percent", "exceeding", "green")
        found.update(zip(keys, map(int, m.groups()), strict=True))
    if m := re.search(r"(\d+) improving, (\d+) steady, (\d+) declining", home):
        found["improving"], found["steady"], found["declining"] = map(int, m.groups())
    if m := re.search(r"(\d+) projects?: ([^<]*)<", home):
        found["projects"] = int(m[1])
        found["standing"] = {
            word: int(n) for n, word in re.findall(r"(\d+) ([a-z ]+?)(?:,|$)", m[2])
        }
    return found


def site_pages(
    folder: Path, indicators: list[dict[str, Any]], site_above: dict | None = None
) -> dict[str, str]:
    (folder / "indicators").mkdir(parents=True, exist_ok=True)
    for old in (folder / "indicators").glob("*.yml"):
        old.unlink()
    config: dict[str, Any] = {**MINIMAL_CONFIG, "reporting_period": PERIODS[-1]}
    if site_above is not None:
        config["ratings"] = {"above_target": site_above}
    (folder / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    for i, indicator in enumerate(indicators):
        path = folder / "indicators" / f"i{i}.yml"
        path.write_text(yaml.safe_dump(indicator), encoding="utf-8")
    problems = Problems()
    site = load_site(folder, problems)
    assert site is not None and not problems.errors, [p.format() for p in problems.errors]
    outputs = all_outputs(site, assess_site(site, problems))
    return {o.path: o.data.decode() for o in outputs if o.path.endswith(".md")}


def home_page(
    folder: Path, indicators: list[dict[str, Any]], site_above: dict | None = None
) -> str:
    return site_pages(folder, indicators, site_above)["index.md"]


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def test_the_headline_counts_measures_and_projects_apart_and_truly(folder):
    @SETTINGS
    @given(
        measures=st.lists(measure(), min_size=1, max_size=6),
        projects=st.lists(project(), max_size=4),
        site_above=ABOVE,
    )
    def check(
        measures: list[dict[str, Any]], projects: list[dict[str, Any]], site_above: dict | None
    ) -> None:
        home = home_page(folder, measures + projects, site_above)
        found = read_headline(home)
        ratings = [expected_rating(m, site_above=site_above) for m in measures]
        rated = [r for r in ratings if r in ("exceeding", "green", "amber", "red")]
        if rated:
            green, exceeding = rated.count("green"), rated.count("exceeding")
            # Exceeding counts as on or better than target; half up, as residents round.
            percent = int((green + exceeding) * 100 / len(rated) + 0.5)
            assert (
                found["green"],
                found["exceeding"],
                found["on_target"],
                found["rated"],
                found["percent"],
            ) == (green, exceeding, green + exceeding, len(rated), percent)
        else:
            assert "green" not in found
        # The summary has an Exceeding column only where some measure can be rated so.
        possible = any(
            "above_target" in m or site_above is not None or "exceeding" in str(m["values"])
            for m in measures
        )
        assert bool(column_cells(home, "Exceeding")) == possible
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
        "exceeding": 0,
        "on_target": 3,
        "rated": 4,
        "percent": 75,
        "improving": 2,
        "steady": 1,
        "declining": 0,
        "projects": 5,
        "standing": {"on target": 3, "requiring attention": 2},
    }
    exceeding = (
        "<p>5 of 8 rated measures are on or better than target (63%): 2 Exceeding and 3 Green</p>"
    )
    assert read_headline(exceeding) == {
        "on_target": 5,
        "rated": 8,
        "percent": 63,
        "exceeding": 2,
        "green": 3,
    }


RANK = {"red": 0, "amber": 1, "green": 2, "exceeding": 3}


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
    if m is not None:
        keys = ("both", "better", "same", "worse", "green_before", "green_now")
        return dict(zip(keys, map(int, m.groups()), strict=True))
    m = re.search(
        r"(\d+) measures were rated at both .*?\. Since .*?, the rating of (\d+) is better, "
        r"of (\d+) the same and of (\d+) worse\. On or better than target \(Exceeding or "
        r"Green\): (\d+) of them at .*?, of which (\d+) Exceeding; (\d+) at .*?, of which (\d+) "
        r"Exceeding\.",
        home,
    )
    if m is None:
        return None
    keys = (
        "both",
        "better",
        "same",
        "worse",
        "on_target_before",
        "exceeding_before",
        "on_target_now",
        "exceeding_now",
    )
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
        site_above=ABOVE,
    )
    def check(
        measures: list[dict[str, Any]], projects: list[dict[str, Any]], site_above: dict | None
    ) -> None:
        pages = site_pages(folder, measures + projects, site_above)
        home = pages["index.md"]
        both = [
            (
                expected_rating(m, m["values"][0], site_above),
                expected_rating(m, m["values"][1], site_above),
            )
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
        if len(both) > 1 and any("exceeding" in pair for pair in both):
            on = ("green", "exceeding")
            assert found["on_target_before"] == sum(a in on for a, _ in both)
            assert found["on_target_now"] == sum(b in on for _, b in both)
            assert found["exceeding_before"] == sum(a == "exceeding" for a, _ in both)
            assert found["exceeding_now"] == sum(b == "exceeding" for _, b in both)
        elif len(both) > 1:
            assert found["green_before"] == sum(a == "green" for a, _ in both)
            assert found["green_now"] == sum(b == "green" for _, b in both)
        published = [
            m
            for m in measures
            if "rating" in m["values"][-1]
            and m["values"][-1]["rating"] != computed_rating(m, m["values"][-1], site_above)
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
    four = (
        "4 measures were rated at both Q1 2019/20 and Q2 2019/20. Since Q1 2019/20, the rating "
        "of 1 is better, of 2 the same and of 1 worse. On or better than target (Exceeding or "
        "Green): 2 of them at Q1 2019/20, of which 0 Exceeding; 3 at Q2 2019/20, of which 1 "
        "Exceeding."
    )
    assert read_comparison(four) == {
        "both": 4,
        "better": 1,
        "same": 2,
        "worse": 1,
        "on_target_before": 2,
        "exceeding_before": 0,
        "on_target_now": 3,
        "exceeding_now": 1,
    }
    one = "1 measure was rated at both Q1 and Q2: its rating is worse than at Q1."
    assert read_comparison(one) == {"both": 1, "better": 0, "same": 0, "worse": 1}
    assert read_comparison("nothing here") is None
    assert read_as_published("<p>2 of the ratings counted are as the council published") == 2


def test_the_exceeding_column_is_shown_only_where_a_measure_can_be_exceeding(folder):
    """No band above target and no value stated exceeding: no column always 0. A value stated
    exceeding, with no band anywhere, is still counted, in a column of its own."""
    plain = {
        "title": "A measure",
        "priority": "health",
        "polarity": "higher_is_better",
        "decimals": 0,
        "target": 50,
        "values": [{"period": p, "value": 60} for p in PERIODS],
    }
    home = home_page(folder, [plain])
    assert column_cells(home, "Exceeding") == []
    assert "1 of 1 rated measures are Green (100%)" in home
    stated = {
        **plain,
        "values": [
            *plain["values"][:1],
            {**plain["values"][1], "rating": "exceeding", "rating_reason": "As published."},
        ],
    }
    home = home_page(folder, [stated])
    assert "1" in column_cells(home, "Exceeding")
    assert (
        "1 of 1 rated measures are on or better than target (100%): 1 Exceeding and 0 Green" in home
    )
    banded = {**plain, "above_target": {"absolute": 20}}  # 60 is not above 50 + 20
    home = home_page(folder, [banded])
    assert "0" in column_cells(home, "Exceeding")
