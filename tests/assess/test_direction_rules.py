"""Directions of travel follow the council's rules, checked against the published output.

Hypothesis writes measures of quarterly whole-number values over three financial years, some
missing, compared with the previous quarter or the same quarter a year earlier (or cumulative,
which compares a year earlier), with breaks in the series and directions stated by the council.
The real loader, assessment and renderer make the site; the test reads each value's direction
from the open data CSV and the runs of the chart's value line, and checks them against its own
reading of SPEC.md's rules. Nothing here reuses the generator's arithmetic.
"""

from __future__ import annotations

import csv
import io
import os
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
from tests.markup_check import chart_specs

EXAMPLES = int(os.environ.get("PERFPAGES_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=max(10, EXAMPLES // 3),
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
QUARTERS = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2017, 2018, 2019) for q in (1, 2, 3, 4)]
REPORTING = "2019/20 Q4"


@st.composite
def measure(draw: st.DrawFn) -> dict[str, Any]:
    polarity = draw(st.sampled_from(["higher_is_better", "lower_is_better", "neutral"]))
    chosen = sorted(draw(st.sets(st.integers(0, len(QUARTERS) - 1), min_size=1)))
    values = []
    for i in chosen:
        entry: dict[str, Any] = {"period": QUARTERS[i]}
        if draw(st.integers(0, 5)) == 0:
            entry.update(value=None, missing="tbc")
        else:
            entry["value"] = draw(st.integers(0, 6))
            if draw(st.integers(0, 5)) == 0:
                words = (
                    ["up", "steady", "down"]
                    if polarity == "neutral"
                    else ["improving", "steady", "declining"]
                )
                entry["direction"] = draw(st.sampled_from(words))
                entry["direction_reason"] = "As published."
        if draw(st.integers(0, 6)) == 0:
            entry["series_break"] = "Counted a new way."
        values.append(entry)
    m: dict[str, Any] = {
        "title": "A measure",
        "priority": "health",
        "polarity": polarity,
        "decimals": 0,
        "values": values,
    }
    rule = draw(st.sampled_from(["default", "previous", "year_ago", "cumulative"]))
    if rule == "cumulative":
        m["cumulative"] = "financial_year"
    elif rule != "default":
        m["compare_with"] = rule
    return m


def year_ago(period: str) -> str:
    first, quarter = period.split(" ")
    year = int(first[:4]) - 1
    return f"{year}/{(year + 1) % 100:02d} {quarter}"


def expected_direction(m: dict[str, Any], i: int) -> str | None:
    """SPEC.md's direction of travel, by hand, for the i-th value (in time order)."""
    values = m["values"]
    entry = values[i]
    if "direction" in entry:
        return str(entry["direction"])
    if entry["value"] is None:
        return None
    by_year = m.get("compare_with") == "year_ago" or "cumulative" in m
    if by_year:
        wanted = year_ago(entry["period"])
        found = [j for j, v in enumerate(values) if v["period"] == wanted]
        if not found:
            return None
        j = found[0]
    else:
        if i == 0:
            return None
        j = i - 1
    if any("series_break" in v for v in values[j + 1 : i + 1]):
        return None
    before, now = values[j]["value"], entry["value"]
    if before is None:
        return None
    if before == now:
        return "steady"
    if m["polarity"] == "neutral":
        return "up" if now > before else "down"
    better = now > before if m["polarity"] == "higher_is_better" else now < before
    return "improving" if better else "declining"


def expected_runs(m: dict[str, Any]) -> int:
    """The value line's pieces: one, and one more at each break and, for a cumulative measure,
    at each new financial year."""
    runs = 1
    for before, entry in zip(m["values"], m["values"][1:], strict=False):
        if "series_break" in entry or (
            "cumulative" in m and before["period"][:7] != entry["period"][:7]
        ):
            runs += 1
    return runs


def build(folder: Path, m: dict[str, Any]) -> dict[str, str]:
    (folder / "indicators").mkdir(parents=True, exist_ok=True)
    config = {**MINIMAL_CONFIG, "reporting_period": REPORTING}
    (folder / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (folder / "indicators" / "m.yml").write_text(yaml.safe_dump(m), encoding="utf-8")
    problems = Problems()
    site = load_site(folder, problems)
    assert site is not None and not problems.errors, [p.format() for p in problems.errors]
    outputs = all_outputs(site, assess_site(site, problems))
    return {o.path: o.data.decode("utf-8-sig") for o in outputs if o.path.endswith((".md", ".csv"))}


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def test_directions_follow_the_comparison_the_breaks_and_the_stated_ones(folder):
    @SETTINGS
    @given(m=measure())
    def check(m: dict[str, Any]) -> None:
        pages = build(folder, m)
        rows = list(csv.DictReader(io.StringIO(pages["data/m.csv"])))
        assert [r["period"] for r in rows] == [v["period"] for v in m["values"]]
        found = [r["direction"] or None for r in rows]
        assert found == [expected_direction(m, i) for i in range(len(m["values"]))]
        assert [r["series_break"] or None for r in rows] == [
            v.get("series_break") for v in m["values"]
        ]
        specs = chart_specs(pages["indicators/m.md"])
        if any(v["value"] is not None for v in m["values"]):
            (spec,) = specs
            value_runs = [
                trace for trace in spec["data"] if trace.get("legendgroup") == "value"
            ] or spec["data"][:1]
            assert len(value_runs) == expected_runs(m)

    check()


def test_the_hand_rules_read_a_known_case():
    """The independent rules are only as good as this worked case: cumulative Q1 2019/20 (5)
    against Q1 2018/19 (3), higher better: improving; Q2 2019/20 follows a break: none."""
    m = {
        "polarity": "higher_is_better",
        "cumulative": "financial_year",
        "values": [
            {"period": "2018/19 Q1", "value": 3},
            {"period": "2018/19 Q2", "value": 6},
            {"period": "2019/20 Q1", "value": 5},
            {"period": "2019/20 Q2", "value": 7, "series_break": "New method."},
        ],
    }
    assert [expected_direction(m, i) for i in range(4)] == [None, None, "improving", None]
    assert expected_runs(m) == 3


def test_a_stated_direction_the_values_do_not_give_is_warned_about_unless_reasoned(folder):
    m = {
        "title": "A measure",
        "priority": "health",
        "polarity": "higher_is_better",
        "values": [
            {"period": "2019/20 Q1", "value": 3},
            {"period": "2019/20 Q2", "value": 5, "direction": "declining"},
        ],
    }
    (folder / "indicators").mkdir(parents=True, exist_ok=True)
    config = {**MINIMAL_CONFIG, "reporting_period": REPORTING}
    (folder / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")

    def warnings(measure: dict[str, Any]) -> list[str]:
        (folder / "indicators" / "m.yml").write_text(yaml.safe_dump(measure), encoding="utf-8")
        problems = Problems()
        site = load_site(folder, problems)
        assert site is not None
        assess_site(site, problems)
        return [p.format() for p in problems.warnings]

    line = yaml.safe_dump(m).splitlines().index("- direction: declining") + 1
    assert warnings(m) == [
        f"indicators/m.yml:{line}: values[1].direction: warning: 2019/20 Q2 is stated as "
        "declining but the data gives improving; add direction_reason: saying why, or remove "
        "the direction"
    ]
    m["values"][1]["direction_reason"] = "As published: against the three-year average."
    assert warnings(m) == []
