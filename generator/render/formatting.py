"""Numbers as readers see them: precision, thousands separators, units and currency."""

from __future__ import annotations

from generator.assess.assessment import dec, round_half_up
from generator.site.i18n import month_name, number_symbols, t
from generator.site.models import Benchmark, Measure
from generator.site.periods import Period, PeriodKind

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
SCALE_SUFFIX = {"thousand": "k", "million": "m", "billion": "bn"}
MINUS = "\u2212"


def number(value: float, decimals: int) -> str:
    """1234.5 -> '1,234.5' at the given precision, with a true minus sign."""
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never show "-0.0"
    text = f"{abs(rounded):,.{decimals}f}"
    group, decimal = number_symbols()
    if (group, decimal) != (",", "."):
        text = text.translate({ord(","): group, ord("."): decimal})
    return f"{MINUS}{text}" if rounded < 0 else text


def plain_number(value: float, decimals: int) -> str:
    """For data files and chart data: no separators, ASCII minus, at the display precision."""
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:.{decimals}f}"


def decimals_of(measure: Measure) -> int:
    return measure.decimals if measure.decimals is not None else 0


def written_places(amount: float) -> int:
    """Decimal places a number was written with (12.16 -> 2), at most 6."""
    exponent = dec(amount).normalize().as_tuple().exponent
    return min(6, -exponent) if isinstance(exponent, int) and exponent < 0 else 0


def reference(measure: Measure, amount: float | None, *, with_label: bool = True) -> str:
    """A target or comparator: never shown less precisely than it was written (12.16, not 12.2)."""
    if amount is None:
        return ""
    places = max(decimals_of(measure), written_places(amount))
    return value(measure, amount, with_label=with_label, decimals=places)


def value(
    measure: Measure, amount: float | None, *, with_label: bool = True, decimals: int | None = None
) -> str:
    """A value with its unit: '85.1%', '£2.18m', '12 days', '18.7 per 100,000 population'."""
    if amount is None:
        return ""
    d = decimals_of(measure) if decimals is None else decimals
    text = number(amount, d)
    one = text == "1"  # "1 placement", "1 day": the unit's words in the singular
    unit = measure.unit
    if unit == "percent":
        text = f"{text}%"
    elif unit == "currency":
        if round_half_up(amount, d) == 0:
            text = "0"  # "£0m", as residents write it, not "£0.000m"
        symbol = CURRENCY_SYMBOLS.get(measure.currency)
        suffix = SCALE_SUFFIX.get(measure.scale or "", "")
        sign = ""
        if text.startswith(MINUS):
            sign, text = MINUS, text[1:]
        text = (
            f"{sign}{symbol}{text}{suffix}"
            if symbol
            else f"{sign}{measure.currency} {text}{suffix}"
        )
    elif unit == "days":
        text = f"{text} {t('unit.day') if one else t('unit.days')}"
    elif unit not in ("number", "rate", "score", "ratio"):
        # a free word as unit: "27 placements", "1 placement"
        text = f"{text} {singular(unit) if one else unit}"
    if with_label and measure.unit_label:
        label = measure.unit_label
        if one and unit not in ("percent", "currency"):
            first, _, rest = label.partition(" ")
            label = f"{singular(first)} {rest}".rstrip()
        text = f"{text} {label}"
    return text


def singular(word: str) -> str:
    """The singular of a plural unit word written in a file: placements -> placement,
    enquiries -> enquiry; a word that is not a plain plural is kept as written."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def unit_words(measure: Measure) -> str:
    """The unit in words, for table headers and the data files."""
    if measure.unit == "percent":
        words = t("unit.percent")
    elif measure.unit == "currency":
        # as residents write it: "£ million", "£"; a currency without a symbol by its code
        symbol = CURRENCY_SYMBOLS.get(measure.currency, measure.currency)
        words = symbol + (f" {measure.scale}" if measure.scale else "")
    elif measure.unit in ("number", "rate", "score", "ratio", "days"):
        words = t(f"unit.{measure.unit}")
    else:
        words = measure.unit
    return f"{words}, {measure.unit_label}" if measure.unit_label else words


def benchmark_label(benchmark: Benchmark) -> str:
    """A comparison's name with its period in brackets, unless the name already says it
    ("Somerset outturn, March 2018" is not followed by "(Mar 2018)")."""
    if benchmark.period is None or _names_period(benchmark.label, benchmark.period):
        return benchmark.label
    return f"{benchmark.label} ({benchmark.period.label})"


def _names_period(label: str, period: Period) -> bool:
    forms = {period.label, period.text}
    if period.kind in (PeriodKind.MONTH, PeriodKind.DATE):
        forms.add(f"{month_name(period.number)} {period.year}")
    return any(form.lower() in label.lower() for form in forms)
