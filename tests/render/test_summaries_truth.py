"""Every sentence under a chart is true of the data: a property test over random measures.

Hypothesis writes indicator files with random values (some missing), targets (none, one, or
changing over time, or a text label), polarities and stated ratings; the real loader, assessment
and renderer make the chart's text summary and name; the test parses the numbers back out of
the sentences and checks each against its own computation from the values as written, in exact
fractions. Stated ratings are never evidence that a target was met.
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
from generator.render import summaries
from generator.site.i18n import set_language
from generator.site.loader import load_site
from generator.site.problems import Problems
from tests.conftest import MINIMAL_CONFIG

EXAMPLES = int(os.environ.get("PERFPAGES_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
QUARTERS = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2017, 2018, 2019) for q in (1, 2, 3, 4)]
REPORTING = "2019/20 Q2"  # the eleventh quarter: the twelfth is after it and never shown
RATINGS = ("green", "amber", "red")

# Numbers with at most two decimal places, as performance figures are written.
number = st.integers(min_value=-5000, max_value=5000).map(lambda n: n / 100)


@st.composite
def measures(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(min_value=1, max_value=len(QUARTERS)))
    periods = QUARTERS[:count]
    values = []
    for period in periods:
        entry: dict[str, Any] = {"period": period}
        if draw(st.integers(0, 5)) == 0:
            entry["value"] = None
            entry["missing"] = draw(st.sampled_from(["tbc", "not_available", "not_due"]))
        else:
            entry["value"] = draw(number)
            if draw(st.integers(0, 3)) == 0:
                entry["rating"] = draw(st.sampled_from(RATINGS))
                entry["rating_reason"] = "As published."
        values.append(entry)
    target_form = draw(st.sampled_from(["none", "one", "steps", "label"]))
    measure: dict[str, Any] = {
        "title": "Random measure",
        "priority": "health",
        "unit": "number",
        "decimals": 2,
        "polarity": draw(st.sampled_from(["higher_is_better", "lower_is_better", "neutral"])),
        "values": values,
    }
    if target_form == "one":
        measure["target"] = draw(number)
    elif target_form == "steps":
        starts = sorted(draw(st.sets(st.sampled_from(QUARTERS), min_size=1, max_size=3)))
        starts = sorted(starts, key=QUARTERS.index)
        measure["target"] = [{"from": s, "value": draw(number)} for s in starts]
    elif target_form == "label":
        measure["target"] = {"label": "Monitor only"}
    return measure


def target_in_force(measure: dict[str, Any], period: str) -> Fraction | None:
    """The test's own reading of the SPEC: the last step starting on or before the period."""
    target = measure.get("target")
    if target is None or isinstance(target, dict):
        return None
    if not isinstance(target, list):
        return Fraction(str(target))
    started = [s for s in target if QUARTERS.index(s["from"]) <= QUARTERS.index(period)]
    return Fraction(str(started[-1]["value"])) if started else None


def expected_met(measure: dict[str, Any]) -> tuple[int, int]:
    """Values that meet the target in force, of the shown values with a target in force."""
    if measure["polarity"] == "neutral":
        return 0, 0
    met = compared = 0
    for entry in measure["values"]:
        if entry["period"] not in QUARTERS[: QUARTERS.index(REPORTING) + 1]:
            continue
        target = target_in_force(measure, entry["period"])
        if entry["value"] is None or target is None:
            continue
        compared += 1
        value = Fraction(str(entry["value"]))
        higher = measure["polarity"] == "higher_is_better"
        met += value >= target if higher else value <= target
    return met, compared


MET = re.compile(
    r"It met its target in (?:(?P<met>\d+) of the (?P<count>\d+)|all (?P<all>\d+)) periods with a target\."
)
MET_ONE = "It met its target in the one period with a target."
NOT_MET_ONE = "It did not meet its target in the one period with a target."


def said_met(sentence: str) -> tuple[int, int]:
    """The (met, compared) the summary states, (0, 0) when it says nothing of the target."""
    if MET_ONE in sentence:
        return 1, 1
    if NOT_MET_ONE in sentence:
        return 0, 1
    match = MET.search(sentence)
    if not match:
        return 0, 0
    if match["all"]:
        return int(match["all"]), int(match["all"])
    return int(match["met"]), int(match["count"])


def summary_of(folder: Path, measure: dict[str, Any]) -> tuple[str, str]:
    root = folder
    (root / "indicators").mkdir(parents=True, exist_ok=True)
    config = {**MINIMAL_CONFIG, "reporting_period": REPORTING}
    (root / "site_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (root / "indicators" / "random.yml").write_text(yaml.safe_dump(measure), encoding="utf-8")
    problems = Problems()
    site = load_site(root, problems)
    assert site is not None and not problems.errors, [p.format() for p in problems.errors]
    set_language(site.config.site.language)
    [assessed] = assess_site(site, problems)
    period = site.config.reporting_period
    shown = [p for p in assessed.points if p.period.end <= period.end]
    label = summaries.chart_label("Random measure", shown, benchmarks=False)
    return summaries.trend_summary(assessed, period), label


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def test_the_target_sentence_counts_values_that_meet_the_target_in_force(folder):
    @SETTINGS
    @given(measure=measures())
    def check(measure: dict[str, Any]) -> None:
        text, _ = summary_of(folder, measure)
        expected = expected_met(measure)
        shown = QUARTERS[: QUARTERS.index(REPORTING) + 1]
        values = [e for e in measure["values"] if e["period"] in shown and e["value"] is not None]
        if len(values) < 2:
            # One value: its rating is the sentence before ("... so it is rated Green").
            expected = (0, 0)
        assert said_met(text) == expected, text
        if expected[1] == 0:
            assert "with a target" not in text, text  # nothing to say: no sentence at all

    check()


def test_the_chart_is_named_with_the_target_only_when_one_is_drawn(folder):
    @SETTINGS
    @given(measure=measures())
    def check(measure: dict[str, Any]) -> None:
        _, label = summary_of(folder, measure)
        shown = QUARTERS[: QUARTERS.index(REPORTING) + 1]
        drawn = any(
            target_in_force(measure, e["period"]) is not None
            for e in measure["values"]
            if e["period"] in shown
        )
        assert ("with the target" in label) == drawn, (label, measure.get("target"))

    check()


def test_a_stated_rating_that_the_value_contradicts_is_said_to_be_as_published(folder):
    measure = {
        "title": "Stated",
        "priority": "health",
        "unit": "percent",
        "polarity": "higher_is_better",
        "target": 75,
        "values": [
            {"period": "2019/20 Q1", "value": 70},
            {"period": "2019/20 Q2", "value": 60.5, "rating": "green", "rating_reason": "Agreed."},
        ],
    }
    text, _ = summary_of(folder, measure)
    assert "it is rated Green as published, where the value alone gives Red" in text
    assert said_met(text) == (0, 2)


def test_the_parser_reads_every_form_of_the_sentence():
    """The checks above are only as good as this parser: each form it must read, read right."""
    assert said_met("x. It met its target in 3 of the 6 periods with a target.") == (3, 6)
    assert said_met("It met its target in all 4 periods with a target.") == (4, 4)
    assert said_met(MET_ONE) == (1, 1)
    assert said_met(NOT_MET_ONE) == (0, 1)
    assert said_met("There is one value so far.") == (0, 0)
