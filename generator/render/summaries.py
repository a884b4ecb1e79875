"""Plain-language descriptions written from the data: the chart's text alternative."""

from __future__ import annotations

from generator.assess.assessment import RATED, Assessed, Direction, Point, Rating
from generator.render import formatting
from generator.site.i18n import t, tn
from generator.site.models import Measure
from generator.site.periods import Period


def rating_word(rating: Rating) -> str:
    return t(f"rating.{rating.value}")


def direction_word(direction: Direction | None) -> str:
    return t(f"direction.{direction.value}") if direction else t("direction.none")


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
            sentence += ", " + t(
                "summary.against_target",
                target=formatting.reference(measure, latest.target),
                rating=rating_word(latest.rating),
            )
        previous = _previous_with_value(points, latest)
        if latest.direction is not None and previous is not None:
            assert previous.value is not None
            sentence += "; " + t(
                "summary.change",
                direction=direction_word(latest.direction).lower(),
                value=formatting.value(measure, previous.value),
                period=previous.period.label,
            )
        sentences.append(sentence + ".")
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
        rated = [p for p in with_values if p.rating in RATED]
        if rated:
            met = sum(1 for p in rated if p.rating is Rating.GREEN)
            sentences.append(t("summary.met", met=met, rated=len(rated)))
    elif len(with_values) == 1:
        sentences.append(t("summary.single"))
    gaps = len(points) - len(with_values)
    if gaps:
        sentences.append(tn("summary.missing", gaps))
    return " ".join(sentences)


def _latest_with_value(points: list[Point]) -> Point | None:
    for p in reversed(points):
        if p.value is not None:
            return p
    return None


def _previous_with_value(points: list[Point], latest: Point) -> Point | None:
    index = points.index(latest)
    if index > 0 and points[index - 1].value is not None:
        return points[index - 1]
    return None
