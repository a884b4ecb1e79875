"""Units read as residents write them: "1 placement", "2 placements", "£ million"."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render import formatting
from generator.site.models import Measure

BASE: dict[str, Any] = {
    "title": "t",
    "priority": "p",
    "polarity": "higher_is_better",
    "values": [{"period": "2019", "value": 1}],
}


def measure(**fields: Any) -> Measure:
    return Measure.model_validate({**BASE, **fields})


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("placements", "placement"),
        ("enquiries", "enquiry"),
        ("schools", "school"),
        ("days", "day"),
        ("houses", "house"),
        ("status", "status"),
        ("analysis", "analysis"),
        ("cross", "cross"),
        ("per", "per"),
        ("people", "people"),
    ],
)
def test_singular_of_a_written_plural(plural, singular):
    assert formatting.singular(plural) == singular


# PERFPAGES_FUZZ_EXAMPLES: fewer in the fast lane (scripts/test --fast), 200 otherwise.
@settings(
    max_examples=min(200, int(os.environ.get("PERFPAGES_FUZZ_EXAMPLES", "200"))),
    derandomize=True,
    database=None,
)
@given(
    count=st.integers(min_value=-3, max_value=3),
    decimals=st.integers(min_value=0, max_value=2),
    word=st.sampled_from(["placements", "schools", "enquiries"]),
    as_label=st.booleans(),
)
def test_a_count_of_one_is_singular_and_any_other_plural(count, decimals, word, as_label):
    fields = {"unit": "number", "unit_label": f"{word} in month"} if as_label else {"unit": word}
    fields["decimals"] = decimals
    text = formatting.value(measure(**fields), float(count))
    shown = formatting.number(float(count), decimals)
    expected_word = formatting.singular(word) if shown == "1" else word
    assert text.startswith(f"{shown} {expected_word}")
    assert (word in text) == (shown != "1")


def test_currency_unit_words_use_the_symbol_and_the_scale():
    assert formatting.unit_words(measure(unit="currency", currency="GBP", scale="million")) == (
        "£ million"
    )
    assert formatting.unit_words(measure(unit="currency", currency="GBP")) == "£"
    assert formatting.unit_words(measure(unit="currency", currency="CHF", scale="thousand")) == (
        "CHF thousand"
    )


@pytest.mark.parametrize(
    ("amount", "decimals", "shown"),
    [(0.0, 3, "£0m"), (-0.0004, 3, "£0m"), (0.0005, 3, "£0.001m"), (-5.909, 3, "−£5.909m")],
)
def test_money_reads_as_residents_write_it(amount, decimals, shown):
    m = measure(unit="currency", currency="GBP", scale="million", decimals=decimals)
    assert formatting.value(m, amount) == shown


@pytest.mark.parametrize(
    ("label", "period", "shown"),
    [
        ("Somerset outturn, March 2018", "2018-03", "Somerset outturn, March 2018"),
        ("Somerset outturn 2017/18", "2017/18", "Somerset outturn 2017/18"),
        ("National average", "2017/18", "National average (2017/18)"),
        ("England, Mar 2018", "2018-03", "England, Mar 2018"),
        ("South West", "2018-03", "South West (Mar 2018)"),
        ("Statistical neighbours", None, "Statistical neighbours"),
    ],
)
def test_a_benchmark_names_its_period_once(label, period, shown):
    benchmark = {"label": label, "value": 1} | ({"period": period} if period else {})
    m = measure(unit="number", benchmarks=[benchmark])
    assert formatting.benchmark_label(m.benchmarks[0]) == shown
