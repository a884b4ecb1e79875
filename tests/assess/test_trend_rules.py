"""The trend over the last N periods follows SPEC.md's rule, checked against the open data.

Hypothesis writes quarterly measures over four financial years with gaps (quarters not
written), missing values, breaks in the series, both polarities and neutral, values written
with more decimal places than the measure shows, and directions stated by the council. Each is
compared by trend (the headline) with the previous quarter and the same quarter a year earlier
shown beside it, or the other way round. The real loader, assessment and renderer make the
site; the test reads every direction column of the CSV and checks it against its own reading
of the rule: the line fitted in plain fractions by the normal equations, consecutive quarters
found by their place in a list of quarters (not by dates), and the change rounded by hand.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.assess.assessment import assess_site, trend_direction
from generator.render.pages import all_outputs
from generator.site.loader import load_site
from generator.site.problems import Problems
from tests.assess.test_direction_rules import expected_direction
from tests.conftest import MINIMAL_CONFIG

EXAMPLES = int(os.environ.get("PERFPAGES_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=max(10, EXAMPLES // 3),
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
QUARTERS = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2016, 2017, 2018, 2019) for q in (1, 2, 3, 4)]
REPORTING = "2019/20 Q4"
WORDS = {"neutral": ["up", "steady", "down"], "other": ["improving", "steady", "declining"]}


@st.composite
def measure(draw: st.DrawFn) -> dict[str, Any]:
    polarity = draw(st.sampled_from(["higher_is_better", "lower_is_better", "neutral"]))
    written_places = draw(st.integers(0, 1))
    shown_places = draw(st.integers(0, 1))
    # Mostly runs of quarters, with some left out: gaps are what the rule must notice.
    chosen = [i for i in range(len(QUARTERS)) if draw(st.integers(0, 7)) != 0]
    if not chosen:
        chosen = [len(QUARTERS) - 1]
    values = []
    for i in chosen:
        entry: dict[str, Any] = {"period": QUARTERS[i]}
        if draw(st.integers(0, 9)) == 0:
            entry.update(value=None, missing="tbc")
        else:
            # Halves shown to no places: a change of exactly a half (not steady) comes up.
            number = draw(st.integers(0, 12)) / 2**written_places
            entry["value"] = int(number) if written_places == 0 else number
            if draw(st.integers(0, 7)) == 0:
                words = WORDS["neutral" if polarity == "neutral" else "other"]
                entry["direction"] = draw(st.sampled_from(words))
                entry["direction_reason"] = "As published."
        if draw(st.integers(0, 9)) == 0:
            entry["series_break"] = "Counted a new way."
        values.append(entry)
    headline, also = draw(
        st.sampled_from(
            [
                ("trend", ["previous", "year_ago"]),
                ("previous", ["trend"]),
                ("year_ago", ["trend", "previous"]),
            ]
        )
    )
    m: dict[str, Any] = {
        "title": "A measure",
        "priority": "health",
        "polarity": polarity,
        "decimals": shown_places,
        "compare_with": headline,
        "also_compare_with": also,
        "values": values,
    }
    periods = draw(st.integers(3, 6))
    if periods != 4 or draw(st.booleans()):
        m["trend_periods"] = periods  # else the site's default, 4
    return m


def least_squares_change(values: list[Fraction]) -> Fraction:
    """slope × (n − 1), the slope from the normal equations: (nΣxy − ΣxΣy) / (nΣx² − (Σx)²)."""
    n = len(values)
    xs = range(n)
    sum_x = Fraction(sum(xs))
    sum_y = sum(values, Fraction(0))
    sum_xy = sum((x * y for x, y in zip(xs, values, strict=True)), Fraction(0))
    sum_xx = Fraction(sum(x * x for x in xs))
    slope = (n * sum_xy - sum_x * sum_y) / (n * sum_xx - sum_x * sum_x)
    return slope * (n - 1)


def rounds_to_zero(change: Fraction, places: int) -> bool:
    """Half up (away from zero) at ``places`` decimal places, done by hand: the change scaled
    to units of the last place shown, plus a half, floored, is zero."""
    scaled = abs(change) * 10**places
    return int(scaled + Fraction(1, 2)) == 0


def expected_trend(m: dict[str, Any], i: int) -> str | None:
    """SPEC.md's trend, by hand, for the i-th value (in time order), as the values give it."""
    n = m.get("trend_periods", 4)
    values = m["values"]
    if values[i]["value"] is None or i < n - 1:
        return None
    window = values[i - n + 1 : i + 1]
    if any("series_break" in v for v in window[1:]):
        return None
    places = [QUARTERS.index(v["period"]) for v in window]
    if places != list(range(places[0], places[0] + n)):
        return None
    if any(v["value"] is None for v in window):
        return None
    change = least_squares_change([Fraction(str(v["value"])) for v in window])
    if rounds_to_zero(change, m["decimals"]):
        return "steady"
    if m["polarity"] == "neutral":
        return "up" if change > 0 else "down"
    better = change > 0 if m["polarity"] == "higher_is_better" else change < 0
    return "improving" if better else "declining"


def shown(number: Any, places: int) -> Fraction:
    """The number as the measure shows it: half up (away from zero) at ``places``."""
    scaled = abs(Fraction(str(number))) * 10**places
    rounded = Fraction(int(scaled + Fraction(1, 2)), 10**places)
    return rounded if Fraction(str(number)) >= 0 else -rounded


def expected_against(m: dict[str, Any], i: int, rule: str) -> str | None:
    """The direction against the previous value or a year earlier, as the values give it:
    the value compared with is the one test_direction_rules finds (its rules, without the
    stated directions, on values made unequal exactly when they differ as shown)."""
    if rule == "trend":
        return expected_trend(m, i)
    places = m["decimals"]
    unstated = [
        {
            **{k: v for k, v in entry.items() if k not in ("direction", "direction_reason")},
            "value": None if entry["value"] is None else shown(entry["value"], places),
        }
        for entry in m["values"]
    ]
    return expected_direction({**m, "compare_with": rule, "values": unstated}, i)


def build(folder: Path, m: dict[str, Any]) -> tuple[list[dict[str, str]], list[str]]:
    (folder / "indicators").mkdir(parents=True, exist_ok=True)
    config = {**MINIMAL_CONFIG, "reporting_period": REPORTING}
    (folder / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (folder / "indicators" / "m.yml").write_text(yaml.safe_dump(m), encoding="utf-8")
    problems = Problems()
    site = load_site(folder, problems)
    assert site is not None and not problems.errors, [p.format() for p in problems.errors]
    assessed = assess_site(site, problems)
    outputs = {o.path: o.data for o in all_outputs(site, assessed)}
    rows = list(csv.DictReader(io.StringIO(outputs["data/m.csv"].decode("utf-8-sig"))))
    return rows, [p.format() for p in problems.warnings]


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def test_every_direction_column_follows_the_rules(folder):
    @SETTINGS
    @given(m=measure())
    def check(m: dict[str, Any]) -> None:
        rows, warnings = build(folder, m)
        values = m["values"]
        assert [r["period"] for r in rows] == [v["period"] for v in values]
        shown = [m["compare_with"], *m["also_compare_with"]]
        for rule in ("previous", "year_ago", "trend"):
            found = [r[f"direction_{rule}"] or None for r in rows]
            expected = [
                expected_against(m, i, rule) if rule in shown else None for i in range(len(values))
            ]
            assert found == expected, rule
        headline = [expected_against(m, i, m["compare_with"]) for i in range(len(values))]
        stated = [v.get("direction") for v in values]
        assert [r["direction"] or None for r in rows] == [
            s or h for s, h in zip(stated, headline, strict=True)
        ]
        # A stated direction overrides the headline one only: it has a reason, so no warning.
        assert not [w for w in warnings if "direction" in w]

    check()


@pytest.mark.parametrize(
    ("values", "polarity", "places"),
    [
        ([1.0, 9.0, 1.5], "higher_is_better", 0),  # exactly a half: not steady
        ([1.0, 9.0, 1.4], "higher_is_better", 0),
        ([2.0, 0.0, 1.5], "lower_is_better", 0),  # a fall of exactly a half
        ([66, 60, 58, 62], "neutral", 0),
        ([3.3, 3.34, 3.36, 3.349], "higher_is_better", 1),
        ([3.3, 3.34, 3.36, 3.35], "higher_is_better", 2),
    ],
)
def test_the_generators_trend_matches_the_hand_rule(values, polarity, places):
    m = {
        "polarity": polarity,
        "decimals": places,
        "trend_periods": len(values),
        "values": [{"period": QUARTERS[i], "value": v} for i, v in enumerate(values)],
    }
    assert trend_direction(values, polarity, places).value == expected_trend(m, len(values) - 1)


def test_the_hand_rule_reads_known_cases():
    """The independent rule is only as good as these worked cases."""
    # 66, 60, 58, 62: Σ(x − 1.5)y = −7, slope −7/5, change over 3 steps −4.2.
    assert least_squares_change([Fraction(v) for v in (66, 60, 58, 62)]) == Fraction(-21, 5)
    # Three values: the change is the last less the first, whatever the middle one.
    assert least_squares_change([Fraction(1), Fraction(9), Fraction(3, 2)]) == Fraction(1, 2)
    assert shown(0.5, 0) == 1 and shown(0.45, 1) == Fraction(1, 2) and shown(0.4, 0) == 0
    # A half rounds away from zero, so it is not steady; less than a half is.
    assert not rounds_to_zero(Fraction(1, 2), 0) and not rounds_to_zero(Fraction(-1, 2), 0)
    assert rounds_to_zero(Fraction(49, 100), 0) and rounds_to_zero(Fraction(-4, 100), 1)
    assert not rounds_to_zero(Fraction(5, 100), 1)
    m = {
        "polarity": "lower_is_better",
        "decimals": 0,
        "trend_periods": 3,
        "values": [
            {"period": "2018/19 Q1", "value": 1.0},
            {"period": "2018/19 Q2", "value": 9.0},
            {"period": "2018/19 Q3", "value": 1.5},  # change +0.5: worse when lower is better
            {"period": "2018/19 Q4", "value": 1.9},  # 9.0 to 1.9: improving
            {"period": "2019/20 Q2", "value": 2.0},  # Q1 is not written: a gap
            {"period": "2019/20 Q3", "value": 2.0},
            {"period": "2019/20 Q4", "value": 2.4, "series_break": "New."},
        ],
    }
    found = [expected_trend(m, i) for i in range(len(m["values"]))]
    assert found == [None, None, "declining", "improving", None, None, None]
