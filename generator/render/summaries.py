"""Plain-language descriptions written from the data: the chart's text alternative."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generator.assess.assessment import (
    PROJECT_COUNTS,
    Assessed,
    Bands,
    Change,
    Counts,
    Direction,
    Point,
    Rating,
    Travel,
    met_target,
    tolerance_amount,
)
from generator.render import formatting
from generator.site.i18n import t, tn
from generator.site.models import Measure
from generator.site.periods import Period


def rating_word(rating: Rating) -> str:
    return t(f"rating.{rating.value}")


def direction_word(direction: Direction | None) -> str:
    return t(f"direction.{direction.value}") if direction else t("direction.none")


def comparison_words(measure: Measure, rule: str, periods: int, key: str = "phrase") -> str:
    """A comparison named for the measure's frequency: "against the previous quarter",
    "against a year earlier", "over the last 4 quarters" (``key`` label: capitalised, alone)."""
    frequency = measure.frequency or "other"
    return t(
        f"compare.{key}.{rule}",
        unit=t(f"compare.unit.{frequency}.one"),
        units=t(f"compare.unit.{frequency}.other"),
        count=periods,
    )


def column_heading(measure: Measure, rule: str, periods: int) -> str:
    """The heading of a column of directions against ``rule``: "Direction against a year
    earlier"."""
    return t("compare.column", phrase=comparison_words(measure, rule, periods))


def trend_summary(assessed: Assessed, reporting: Period) -> str:
    """A few sentences a screen-reader user can read instead of the chart."""
    measure = assessed.model
    assert isinstance(measure, Measure)
    points = [p for p in assessed.points if p.period.end <= reporting.end]
    if not points:
        return t("summary.none")
    with_values = [p for p in points if p.value is not None]
    sentences: list[str] = []
    latest = _latest_with_value(points)
    if latest is not None:
        assert latest.value is not None
        sentence = t(
            "summary.latest",
            value=formatting.value(measure, latest.value),
            period=latest.period.label,
        )
        if latest.target is not None and latest.rating is not Rating.NOT_RATED:
            target = formatting.reference(measure, latest.target)
            if latest.stated is not None and latest.stated is not latest.computed:
                # The published rating is not what the value gives: say both, in words.
                sentence += ", " + t(
                    "summary.against_target_stated",
                    target=target,
                    rating=rating_word(latest.stated),
                    computed=rating_word(latest.computed),
                )
            else:
                sentence += ", " + t(
                    "summary.against_target", target=target, rating=rating_word(latest.rating)
                )
        sentence += _change_clause(measure, points, latest)
        sentences.append(sentence + ".")
        sentences += _comparison_sentences(measure, points, latest)
    if measure.cumulative is not None:
        sentences.append(t(f"summary.cumulative.{measure.cumulative}"))
    sentences += [
        t("summary.series_break", period=p.period.label, reason=p.series_break)
        for p in points
        if p.series_break
    ]
    if len(with_values) > 1:
        # The first period in time wins a tie, for both the lowest and the highest value.
        low = min(with_values, key=lambda p: p.value or 0.0)
        high = max(with_values, key=lambda p: p.value or 0.0)
        assert low.value is not None and high.value is not None
        sentences.append(
            t(
                "summary.range",
                count=len(points),
                first=points[0].period.label,
                last=points[-1].period.label,
                low=formatting.value(measure, low.value),
                low_period=low.period.label,
                high=formatting.value(measure, high.value),
                high_period=high.period.label,
            )
        )
        met, compared = met_target(points, measure.polarity)
        if compared:
            sentences.append(_met_sentence(met, compared))
    elif len(with_values) == 1:
        sentences.append(t("summary.single"))
    gaps = len(points) - len(with_values)
    if gaps:
        sentences.append(tn("summary.missing", gaps))
    return " ".join(sentences)


def _change_clause(measure: Measure, points: list[Point], latest: Point) -> str:
    """How the latest value moved: from the value it is compared with (the one before, or the
    same period a year earlier), or the direction as the council published it."""
    if latest.direction is None:
        return ""
    word = direction_word(latest.direction).lower()
    if latest.direction_as_published:
        return "; " + t("summary.change_stated", direction=word)
    headline = latest.headline
    if headline is not None and headline.rule == "trend" and headline.compared_period:
        return "; " + t("summary.change_trend", **_trend_words(measure, headline, word, latest))
    compared = next((p for p in points if p.period == latest.compared_period), None)
    if compared is None or compared.value is None:
        return ""
    key = (
        "summary.change_year_ago"
        if compared.period != _before(points, latest)
        else "summary.change"
    )
    return "; " + t(
        key,
        direction=word,
        value=formatting.value(measure, compared.value),
        period=compared.period.label,
    )


def _trend_words(measure: Measure, travel: Travel, word: str, latest: Point) -> dict[str, Any]:
    """What a sentence about a trend says: its direction, over how many of what periods, from
    the first of them to the latest."""
    assert travel.compared_period is not None
    return {
        "direction": word,
        "count": travel.periods,
        "units": comparison_units(measure),
        "first": travel.compared_period.label,
        "last": latest.period.label,
    }


def comparison_units(measure: Measure) -> str:
    return t(f"compare.unit.{measure.frequency or 'other'}.other")


def _comparison_sentences(measure: Measure, points: list[Point], latest: Point) -> list[str]:
    """The latest value against the comparisons shown beside the headline one, and why there
    is no direction against one (the headline's too when it is a trend)."""
    out: list[str] = []
    for i, travel in enumerate(latest.travels):
        if travel.direction is None:
            if i or travel.rule == "trend":
                out.append(_no_direction(measure, travel))
            continue
        if i == 0:
            continue
        word = direction_word(travel.direction).lower()
        compared = next((p for p in points if p.period == travel.compared_period), None)
        if travel.rule == "trend":
            out.append(t("summary.also.trend", **_trend_words(measure, travel, word, latest)))
        elif compared is not None and compared.value is not None:
            out.append(
                t(
                    f"summary.also.{travel.rule}",
                    direction=word,
                    value=formatting.value(measure, compared.value),
                    period=compared.period.label,
                )
            )
    return out


def _no_direction(measure: Measure, travel: Travel) -> str:
    reason = travel.reason or "missing"
    if travel.rule == "trend" and reason == "break":
        reason = "trend_break"
    return t(
        "summary.no_direction",
        label=comparison_words(measure, travel.rule, travel.periods, "label"),
        reason=t(
            f"summary.no_direction_reason.{reason}",
            count=travel.periods,
            units=comparison_units(measure),
        ),
    )


def _before(points: list[Point], latest: Point) -> Period | None:
    # By identity: comparing points field by field, as list.index does, costs a comparison of
    # every field of every earlier point.
    index = next(i for i, p in enumerate(points) if p is latest)
    return points[index - 1].period if index else None


def projects_text(counts: Counts) -> str:
    """Where the projects stand, counted apart from the measures: "11 projects: 5 on target,
    4 requiring attention, 2 closed" (a standing no project has is left out)."""
    parts = [
        t(f"home.project_standing.{name}", count=getattr(counts, name))
        for name in PROJECT_COUNTS
        if getattr(counts, name)
    ]
    key = "home.projects_headline_one" if counts.projects == 1 else "home.projects_headline"
    return t(key, count=counts.projects, parts=", ".join(parts))


def comparison_text(change: Change, previous: Period, period: Period) -> str:
    """The change in rating since the previous period, over the measures rated at both and
    saying so: "13 measures were rated at both Q1 and Q2. Since Q1, the rating of 4 is
    better, of 7 the same and of 2 worse. Green: 7 of them at Q1, 9 at Q2."
    """
    names = {"previous": previous.label, "period": period.label}
    if not change.both:
        return t("home.compared_none", **names)
    if change.both == 1:
        moved = "better" if change.better else "worse" if change.worse else "same"
        return t(f"home.compared_one_{moved}", **names)
    return " ".join(
        [
            t(
                "home.compared",
                both=change.both,
                better=change.better,
                same=change.same,
                worse=change.worse,
                **names,
            ),
            _compared_on_target(change, names),
        ]
    )


def _compared_on_target(change: Change, names: dict[str, str]) -> str:
    """How many of the measures compared were on target at each period: Green, or, where any
    was Exceeding at either, Green or Exceeding (each said)."""
    if not (change.exceeding_before or change.exceeding_now):
        return t("home.compared_green", before=change.green_before, now=change.green_now, **names)
    return t(
        "home.compared_on_target",
        before=change.on_target_before,
        now=change.on_target_now,
        exceeding_before=change.exceeding_before,
        exceeding_now=change.exceeding_now,
        **names,
    )


def on_target_text(counts: Counts) -> str:
    """The headline share of rated measures on or better than target, in one sentence: "7 of
    9 rated measures are Green (78%)", naming the Exceeding apart where there are any."""
    if not counts.rated:
        return t("home.rated_on_target_none")
    if not counts.exceeding:
        return t(
            "home.rated_on_target",
            green=counts.green,
            rated=counts.rated,
            percent=counts.on_target_percent,
        )
    return t(
        "home.rated_on_target_exceeding",
        on_target=counts.on_target,
        rated=counts.rated,
        percent=counts.on_target_percent,
        exceeding=counts.exceeding,
        green=counts.green,
    )


def chart_label(title: str, points: list[Point], benchmarks: bool) -> str:
    """The chart's name, naming only the lines it draws: the target when one is in force for
    a period shown, the comparisons when there are any."""
    target = any(p.target is not None for p in points)
    key = "target_benchmarks" if target and benchmarks else "target" if target else "benchmarks"
    extra = t(f"indicator.chart_label_{key}") if target or benchmarks else ""
    return t("indicator.chart_label", title=title, extra=extra)


def print_chart_label(title: str, points: list[Point]) -> str:
    """The printed chart's name: the target's dashed line only when it is drawn."""
    if any(p.target is not None for p in points):
        return t("print.chart_label", title=title)
    return t("print.chart_label_values", title=title)


def _met_sentence(met: int, compared: int) -> str:
    if compared == 1:
        return t("summary.met_single" if met else "summary.not_met_single")
    if met == compared:
        return t("summary.met_all", count=compared)
    return t("summary.met", met=met, count=compared)


def _latest_with_value(points: list[Point]) -> Point | None:
    for p in reversed(points):
        if p.value is not None:
            return p
    return None


def rating_bands(measure: Measure, bands: Bands, target: float) -> list[str]:
    """Where each rating begins and ends for ``target``, best first, in the measure's unit and
    at its display precision (more where an edge needs it to be exact): "Green at 90% or
    more", "Amber from 85.5% up to 90%", "Red below 85.5%". The edges are those ``rate`` uses.
    A band of zero width (no tolerance) is left out."""
    t_dec = Decimal(repr(float(target)))
    amber = tolerance_amount(t_dec, bands.tolerance)
    above = tolerance_amount(t_dec, bands.above_target) if bands.above_target is not None else None
    higher = measure.polarity == "higher_is_better"
    way = "higher" if higher else "lower"
    sign = 1 if higher else -1

    def shown(amount: Decimal) -> str:
        return formatting.reference(measure, float(amount))

    words = {
        "target": shown(t_dec),
        "edge": shown(t_dec - sign * amber),
        "above": shown(t_dec + sign * above) if above is not None else "",
    }
    out: list[str] = []
    if above is not None:
        out.append(t(f"indicator.band.{way}.exceeding", **words))
        out.append(
            t(f"indicator.band.{way}.green_capped", **words)
            if above
            else t("indicator.band.green_exact", **words)
        )
    else:
        out.append(t(f"indicator.band.{way}.green", **words))
    if amber:
        out.append(t(f"indicator.band.{way}.amber", **words))
    out.append(t(f"indicator.band.{way}.red", **words))
    return out
