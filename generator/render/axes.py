"""The value axis of a measure's chart: one rule for the interactive chart and the printed one,
so that both draw a measure on the same scale, and neither makes a small change look large.

The rule (SPEC.md, "The value axis of a chart"; said for residents on /how-to-read/):

1. The axis covers every number the chart draws: the values, the targets in force for the
   periods shown and the benchmarks.
2. Counts, money, days, rates and any unit written as a word ("placements") include zero.
3. Percentages: when every number is between 0 and 10, the axis starts at zero; otherwise it
   spans at least 10 percentage points, widened evenly about the middle of the numbers.
   Scores and ratios span at least a tenth of the largest size of their numbers.
4. The axis stays at or above zero when no number is below zero (at or below zero when every
   number is at most zero and one is below), and a percentage axis stays within 0 to 100 when
   every number does: a widened axis is moved back inside.
5. Every number zero: the axis runs from 0 to 1.
6. At least 5% of that span lies between the numbers and each end (not past the limits of 4);
   then the ends are rounded outwards to a tick step of 1, 2, 2.5 or 5 times a power of ten:
   the smallest step that gives at most six steps and is no finer than the decimal places
   shown for the measure.

Worked in exact decimals, so the largest and the smallest numbers a file may hold neither
overflow nor lose their differences; bounds beyond the largest float are held at it.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext

from generator.assess.assessment import Point
from generator.render import formatting
from generator.site.models import Measure

# The rule's constants, as SPEC.md states them.
PERCENT_MIN_SPAN = Decimal(10)  # percentage points
SMALL_PERCENT = Decimal(10)  # every number at most this: the axis starts at zero instead
RELATIVE_MIN_SPAN = Decimal("0.1")  # scores and ratios: of the largest size of their numbers
PADDING = Decimal("0.05")  # of the span, at each end
MAX_STEPS = 6
STEP_MANTISSAS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
# Units with no zero of their own: a score or an index, a ratio about 1.
LEVEL_UNITS = ("score", "ratio")

_LARGEST = sys.float_info.max


@dataclass(frozen=True)
class Axis:
    """The value axis: from ``low`` to ``high``, ticks every ``step`` from ``low``, labelled
    with ``decimals`` places (the step's: 90%, not 90.0%; never more than the measure shows)."""

    low: float
    high: float
    step: float
    decimals: int

    def contains(self, number: float) -> bool:
        return self.low <= number <= self.high


def rule_words() -> dict[str, str]:
    """The rule's numbers as /how-to-read/ states them, taken from the constants above."""
    return {
        "percent_span": f"{PERCENT_MIN_SPAN:f}",
        "small_percent": f"{SMALL_PERCENT:f}",
        "relative_span": f"{RELATIVE_MIN_SPAN * 100:f}".rstrip("0").rstrip("."),
        "margin": f"{PADDING * 100:f}".rstrip("0").rstrip("."),
    }


def unit_kind(unit: str) -> str:
    """'percent', 'level' (scores and ratios) or 'amount' (counts, money, days, rates, words)."""
    if unit == "percent":
        return "percent"
    return "level" if unit in LEVEL_UNITS else "amount"


def measure_axis(measure: Measure, points: Sequence[Point]) -> Axis | None:
    """The axis of a chart of ``points`` of ``measure``: what both charts call."""
    return value_axis(
        measure,
        [p.value for p in points],
        [p.target for p in points],
        [b.value for b in measure.benchmarks],
    )


def value_axis(
    measure: Measure,
    values: Iterable[float | None],
    targets: Iterable[float | None],
    benchmarks: Iterable[float],
) -> Axis | None:
    """The value axis for these numbers of ``measure``, by the rule in the module's docstring;
    None when there is no number to draw."""
    numbers = [
        Decimal(n) for n in [*values, *targets, *benchmarks] if n is not None and math.isfinite(n)
    ]
    if not numbers:
        return None
    with localcontext() as context:
        # Enough digits that every sum here is exact, from the smallest float to the largest.
        context.prec = 2000
        low, high = _extent(unit_kind(measure.unit), min(numbers), max(numbers))
        step = _step(low, high, formatting.decimals_of(measure))
        low = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
        high = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
        places = step.normalize().as_tuple().exponent
        decimals = -places if isinstance(places, int) and places < 0 else 0
        return Axis(_float(low), _float(high), _float(step), decimals)


def _extent(kind: str, smallest: Decimal, largest: Decimal) -> tuple[Decimal, Decimal]:
    """Steps 2 to 6 of the rule but the rounding: what the axis must cover, with its margins."""
    floor = Decimal(0) if smallest >= 0 else None
    ceiling = Decimal(0) if largest <= 0 < -smallest else None
    if kind == "percent" and smallest >= 0 and largest <= 100:
        ceiling = Decimal(100)
    low, high = smallest, largest
    if kind == "amount" or (kind == "percent" and smallest >= 0 and largest <= SMALL_PERCENT):
        low, high = min(low, Decimal(0)), max(high, Decimal(0))
    else:
        least = PERCENT_MIN_SPAN if kind == "percent" else RELATIVE_MIN_SPAN * max(-low, high)
        if high - low < least:
            middle = (low + high) / 2
            low, high = middle - least / 2, middle + least / 2
            if floor is not None and low < floor:
                low, high = floor, high + (floor - low)
            if ceiling is not None and high > ceiling:
                low, high = low - (high - ceiling), ceiling
    if high == low:  # every number zero
        high = low + 1
    margin = (high - low) * PADDING
    low, high = min(low, smallest - margin), max(high, largest + margin)
    if floor is not None:
        low = max(low, floor)
    if ceiling is not None:
        high = min(high, ceiling)
    return low, high


def _step(low: Decimal, high: Decimal, decimals: int) -> Decimal:
    """The smallest of 1, 2, 2.5 and 5 times a power of ten, and at least one unit of the last
    decimal place shown, that covers low to high, rounded outwards, in at most MAX_STEPS."""
    finest = Decimal(1).scaleb(-decimals)
    exponent = ((high - low) / MAX_STEPS).adjusted()
    while True:
        for mantissa in STEP_MANTISSAS:
            step = mantissa.scaleb(exponent)
            if step % finest:
                continue  # finer than the values are shown: ticks would repeat a label
            first = (low / step).to_integral_value(rounding=ROUND_FLOOR)
            last = (high / step).to_integral_value(rounding=ROUND_CEILING)
            if last - first <= MAX_STEPS:
                return step
        exponent += 1


def _float(number: Decimal) -> float:
    """The nearest float, held within the largest finite float, never -0.0."""
    return min(_LARGEST, max(-_LARGEST, float(number))) + 0.0
