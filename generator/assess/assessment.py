"""Assessment: ratings, direction of travel, positions at a period, and summaries by priority.

All comparisons are made in Decimal from the numbers as written, so that boundary values
(exactly on target, exactly on the edge of the amber band) are rated as the SPEC says.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cached_property

from generator.site.layout import IndicatorFile, Site
from generator.site.models import (
    COMPARISONS as COMPARISONS,  # the comparisons a direction can be made against
)
from generator.site.models import (
    DEFAULT_COMPARE_WITH,
    DEFAULT_TOLERANCE,
    NO_COMPARISON,
    STALE_AFTER_MONTHS,
    TREND_PERIODS,
    AboveTarget,
    Band,
    DataPoint,
    Measure,
    Project,
    SiteConfig,
    TargetLabel,
    Tolerance,
)
from generator.site.periods import FINANCIAL_YEAR_START_MONTH, Period, financial_year_of
from generator.site.problems import Problem, Problems


class Rating(StrEnum):
    """A rating, in the order the summaries show them, best first. Exceeding (better than
    target by more than the band above it) is kept apart from Blue (discontinued or closed)."""

    EXCEEDING = "exceeding"
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    BLUE = "blue"
    NOT_RATED = "not_rated"


class Direction(StrEnum):
    IMPROVING = "improving"
    STEADY = "steady"
    DECLINING = "declining"
    UP = "up"  # neutral polarity
    DOWN = "down"

    @property
    def trend(self) -> str | None:
        """improving / steady / declining for the summary; None for neutral up or down."""
        if self in (Direction.IMPROVING, Direction.STEADY, Direction.DECLINING):
            return self.value
        return None


RATED = (Rating.EXCEEDING, Rating.GREEN, Rating.AMBER, Rating.RED)
# The ratings of a value on or better than its target.
ON_TARGET = (Rating.EXCEEDING, Rating.GREEN)

# Where a project stands, by its rating (SPEC: green on track, amber at risk, red off track;
# blue: closed, complete).
PROJECT_STANDING = {
    Rating.GREEN: "on_track",
    Rating.AMBER: "at_risk",
    Rating.RED: "off_track",
    Rating.BLUE: "complete",
}
# The counts of projects (``Counts``), in the order they are shown.
PROJECT_COUNTS = ("on_track", "at_risk", "off_track", "complete", "no_update")

PROGRESS_DIRECTION = {
    "achieved_milestone": Direction.IMPROVING,
    "progressing": Direction.STEADY,
    "missed_milestone": Direction.DECLINING,
}


def dec(number: float) -> Decimal:
    """The decimal a float was written as (85.1, not 85.0999999...)."""
    return Decimal(repr(float(number)))


def round_half_up(number: float, decimals: int) -> Decimal:
    """``number`` at ``decimals`` places, halves rounded up.

    The precision is set from the number itself: the default context keeps 28 digits and
    refuses to round 1e30 to one decimal place (InvalidOperation) instead of writing it out.
    """
    exact = dec(number)
    digits = max(exact.adjusted(), 0) + decimals + 2
    context = Context(prec=max(28, digits))
    return exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP, context=context)


def tolerance_amount(target: Decimal, tolerance: Band) -> Decimal:
    """A band's width at ``target``: its absolute amount, or its percentage of the target's
    size. The amber band and the band above target are both measured so."""
    if tolerance.absolute is not None:
        return dec(tolerance.absolute)
    assert tolerance.percent is not None
    return abs(target) * dec(tolerance.percent) / Decimal(100)


def rate(
    value: float,
    target: float,
    polarity: str,
    tolerance: Tolerance,
    above_target: AboveTarget | None = None,
) -> Rating:
    """The SPEC's rating table for one value against the target in force: with a band above
    target B, a value better than the target by more than B is exceeding."""
    if polarity == "neutral":
        return Rating.NOT_RATED
    v, t = dec(value), dec(target)
    band = tolerance_amount(t, tolerance)
    above = tolerance_amount(t, above_target) if above_target is not None else None
    if polarity == "higher_is_better":
        if above is not None and v > t + above:
            return Rating.EXCEEDING
        if v >= t:
            return Rating.GREEN
        return Rating.AMBER if v >= t - band else Rating.RED
    if above is not None and v < t - above:
        return Rating.EXCEEDING
    if v <= t:
        return Rating.GREEN
    return Rating.AMBER if v <= t + band else Rating.RED


# Where a measure's rating rule comes from, most particular first (SPEC: Ratings).
RULE_SOURCES = ("indicator", "service", "priority", "site")


@dataclass(frozen=True)
class Bands:
    """The rule a measure is rated by: its amber band and its band above target (None: no
    value is exceeding), each with where it was set (one of ``RULE_SOURCES``)."""

    tolerance: Tolerance
    above_target: AboveTarget | None
    tolerance_from: str = "site"
    above_from: str | None = None


def bands_for(measure: Measure, config: SiteConfig | None) -> Bands:
    """The measure's own tolerance and band above target, else its service's (ratings:
    services), else its priority's, else the site's; each of the two is looked up apart.
    Without settings, the measure's own or the defaults."""
    service = priority = None
    if config is not None:
        if measure.service is not None:
            service = config.ratings.services.get(measure.service)
        priority = next((p for p in config.priorities if p.id == measure.priority), None)
    tolerances: list[tuple[Tolerance | None, str]] = [
        (measure.tolerance, "indicator"),
        (service.tolerance if service else None, "service"),
        (priority.tolerance if priority else None, "priority"),
        (config.ratings.tolerance if config else DEFAULT_TOLERANCE, "site"),
    ]
    aboves: list[tuple[AboveTarget | None, str]] = [
        (measure.above_target, "indicator"),
        (service.above_target if service else None, "service"),
        (priority.above_target if priority else None, "priority"),
        (config.ratings.above_target if config else None, "site"),
    ]
    tolerance, tolerance_from = next((b, n) for b, n in tolerances if b is not None)
    above, above_from = next(((b, n) for b, n in aboves if b is not None), (None, None))
    return Bands(tolerance, above, tolerance_from, above_from)


def direction(previous: float, current: float, polarity: str, decimals: int) -> Direction:
    """Compared at the display precision: values that show the same are steady."""
    a = round_half_up(previous, decimals)
    b = round_half_up(current, decimals)
    if a == b:
        return Direction.STEADY
    return _moved(b > a, polarity)


def trend_change(values: Sequence[float]) -> Fraction:
    """The change over a window of values, exactly: the slope of the least-squares line of
    value against position 0 .. N-1, times N-1 (from the numbers as written)."""
    ys = [Fraction(dec(v)) for v in values]
    n = len(ys)
    mean_x = Fraction(n - 1, 2)
    mean_y = sum(ys, Fraction(0)) / n
    sxy = sum(((i - mean_x) * (y - mean_y) for i, y in enumerate(ys)), Fraction(0))
    sxx = sum(((i - mean_x) ** 2 for i in range(n)), Fraction(0))
    return sxy / sxx * (n - 1)


def trend_direction(values: Sequence[float], polarity: str, decimals: int) -> Direction:
    """The direction of the line fitted through ``values``: steady when the change over the
    window rounds to zero at the display precision (halves rounded away from zero, as values
    are), else the way it went."""
    change = trend_change(values)
    if abs(change) < Fraction(1, 2 * 10**decimals):
        return Direction.STEADY
    return _moved(change > 0, polarity)


def _moved(rising: bool, polarity: str) -> Direction:
    if polarity == "neutral":
        return Direction.UP if rising else Direction.DOWN
    better = rising if polarity == "higher_is_better" else not rising
    return Direction.IMPROVING if better else Direction.DECLINING


def target_for(measure: Measure, period: Period) -> float | None:
    """The numeric target in force for ``period`` (the last step starting on or before it)."""
    target = measure.target
    if target is None or isinstance(target, TargetLabel):
        return None
    if isinstance(target, list):
        # One pass, no sort (this runs for every value): of the steps starting on or before
        # the period, the latest start wins, and of equal starts the one written last.
        current: float | None = None
        latest: dt.date | None = None
        for step in target:
            start = step.from_.start
            if start <= period.start and (latest is None or start >= latest):
                current, latest = step.value, start
        return current
    return target


@dataclass(frozen=True)
class Travel:
    """One value's direction of travel against one comparison, as the values give it."""

    rule: str  # previous | year_ago | trend
    direction: Direction | None
    # previous, year_ago: the value compared with; trend: the first period of the window
    compared_period: Period | None = None
    # Why there is no direction, when this value has one but there is none: first (no value
    # before it), no_year_ago, missing (the value compared with), break, fewer (than the trend's
    # periods so far), gap (a period of the trend's window without a value)
    reason: str | None = None
    periods: int = 0  # trend: how many periods the window spans


@dataclass(frozen=True)
class Point:
    """One value of a measure, assessed."""

    index: int  # position in the YAML list, for line numbers
    period: Period
    value: float | None
    missing: str | None
    note: str | None
    target: float | None
    computed: Rating
    stated: Rating | None
    rating_reason: str | None
    direction: Direction | None  # as stated when stated, else as computed
    computed_direction: Direction | None = None
    direction_stated: bool = False
    direction_reason: str | None = None
    series_break: str | None = None
    starts_run: bool = False  # a line through the values starts afresh here (break, new year)
    compared_period: Period | None = None  # the value the computed direction compares with
    # Every comparison shown, the headline (compare_with) first, then also_compare_with
    travels: tuple[Travel, ...] = ()

    @property
    def headline(self) -> Travel | None:
        """The headline comparison, as the values give it (``computed_direction``)."""
        return self.travels[0] if self.travels else None

    def travel(self, rule: str) -> Travel | None:
        """The direction against ``rule`` when the measure shows that comparison."""
        return next((x for x in self.travels if x.rule == rule), None)

    @property
    def direction_as_published(self) -> bool:
        """The direction is one the council published that the values do not give."""
        return self.direction_stated and self.direction != self.computed_direction

    @property
    def rating(self) -> Rating:
        return self.stated if self.stated is not None else self.computed

    @property
    def as_published(self) -> bool:
        """The rating is one the council published that the value and target alone do not
        give: marked "as published" wherever the rating is shown."""
        return self.stated is not None and self.stated != self.computed


def met_target(points: Sequence[Point], polarity: str) -> tuple[int, int]:
    """How many values meet the target in force for their period, of those that have one.

    Judged from the value and the numeric target alone, with the polarity (a stated rating is
    what someone published, not evidence); a neutral measure has no target to meet."""
    if polarity == "neutral":
        return 0, 0
    compared = [p for p in points if p.value is not None and p.target is not None]
    return sum(1 for p in compared if p.computed in ON_TARGET), len(compared)


@dataclass(frozen=True)
class UpdatePoint:
    """One update of a project."""

    index: int
    period: Period
    rating: Rating
    progress: str
    commentary: str | None
    rating_reason: str | None

    @property
    def direction(self) -> Direction:
        return PROGRESS_DIRECTION[self.progress]


@dataclass(frozen=True)
class Position:
    """An indicator's position as at a reporting period."""

    period: Period  # the period of the value or update the position rests on
    rating: Rating
    direction: Direction | None
    stale: bool = False
    as_published: bool = False  # a stated rating the value alone does not give (Point)
    direction_as_published: bool = False  # likewise for the direction (Point)


@dataclass
class Assessed:
    """One indicator with its values or updates assessed, in time order."""

    file: IndicatorFile
    points: list[Point] = field(default_factory=list)
    updates: list[UpdatePoint] = field(default_factory=list)
    bands: Bands | None = None  # a measure's rating rule (None for a project)
    # A measure's comparisons: the headline one, then those shown beside it (each point's
    # ``travels`` in this order); the periods a trend is worked out over
    comparisons: tuple[str, ...] = ()
    trend_periods: int = TREND_PERIODS

    @property
    def id(self) -> str:
        return self.file.id

    @property
    def model(self) -> Measure | Project:
        return self.file.model

    @property
    def is_project(self) -> bool:
        return isinstance(self.file.model, Project)

    @property
    def priority(self) -> str:
        return self.file.model.priority

    # Points and updates are in time order (by end), so the latest one in or before a period
    # is found by bisection: positions are asked for at every reporting period, and each
    # question must not cost a scan of the whole series.
    @cached_property
    def _point_ends(self) -> list[dt.date]:
        return [p.period.end for p in self.points]

    @cached_property
    def _update_ends(self) -> list[dt.date]:
        return [u.period.end for u in self.updates]

    def latest_point(self, period: Period) -> Point | None:
        """The last point in a period ending on or before the end of ``period``."""
        count = bisect.bisect_right(self._point_ends, period.end)
        return self.points[count - 1] if count else None

    def latest_update(self, period: Period) -> UpdatePoint | None:
        count = bisect.bisect_right(self._update_ends, period.end)
        return self.updates[count - 1] if count else None

    def points_until(self, period: Period) -> list[Point]:
        """The points in periods ending on or before the end of ``period``, in time order."""
        return self.points[: bisect.bisect_right(self._point_ends, period.end)]

    def updates_until(self, period: Period) -> list[UpdatePoint]:
        return self.updates[: bisect.bisect_right(self._update_ends, period.end)]

    def position(
        self, period: Period, stale_after_months: int = STALE_AFTER_MONTHS
    ) -> Position | None:
        """The latest value or update in a period ending on or before the end of ``period``."""
        model = self.file.model
        if isinstance(model, Project):
            update = self.latest_update(period)
            if update is None:
                return None
            rating = Rating.BLUE if model.status == "closed" else update.rating
            return Position(update.period, rating, update.direction)
        point = self.latest_point(period)
        if point is None:
            return None
        gone = model.status == "discontinued"
        return Position(
            point.period,
            Rating.BLUE if gone else point.rating,
            point.direction,
            is_stale(point.period, period, stale_after_months),
            point.as_published and not gone,
            point.direction_as_published,
        )


def is_stale(value_period: Period, reporting: Period, months: int) -> bool:
    end = reporting.end
    year, month = divmod(end.year * 12 + end.month - 1 - months, 12)
    limit = dt.date(year, month + 1, 1)
    return value_period.end < limit


def assess_measure(
    ind: IndicatorFile,
    default_tolerance: Tolerance | Bands,
    default_compare: str = DEFAULT_COMPARE_WITH,
    fy_start: int = FINANCIAL_YEAR_START_MONTH,
    default_also: Sequence[str] = (),
    default_trend_periods: int = TREND_PERIODS,
) -> Assessed:
    """A measure's values as points in time order, each with its target, its rating by the
    target and its bands (``default_tolerance``: the measure's rule from ``bands_for``, or a
    tolerance its own wins over), the rating stated in the file, and its direction of travel
    against each comparison shown (``travels``): with the value before, with the value of the
    same period a year earlier, or the trend over the last periods (``compare_with``, then
    ``also_compare_with``), never across a break in the series. The headline one is the
    point's direction, unless a direction stated in the file wins.

    The points keep the value's place in the file (``index``), so that messages about a point
    can name its line."""
    measure = ind.model
    assert isinstance(measure, Measure)
    if isinstance(default_tolerance, Bands):
        bands = default_tolerance
    else:
        own = measure.tolerance
        bands = Bands(
            own or default_tolerance,
            measure.above_target,
            "indicator" if own else "site",
            "indicator" if measure.above_target else None,
        )
    decimals = measure.decimals if measure.decimals is not None else 0
    rules = comparisons(measure, default_compare, default_also)
    periods = measure.trend_periods or default_trend_periods
    ordered = sorted(enumerate(measure.values), key=lambda iv: iv[1].period.sort_key)
    by_period = {v.period: (position, v) for position, (_, v) in enumerate(ordered)}
    series = _Series(ordered, by_period, measure.polarity, decimals, periods)
    points: list[Point] = []
    for position, (index, v) in enumerate(ordered):
        target = target_for(measure, v.period)
        computed = (
            rate(v.value, target, measure.polarity, bands.tolerance, bands.above_target)
            if v.value is not None and target is not None
            else Rating.NOT_RATED
        )
        travels = tuple(series.travel(rule, position) for rule in rules)
        move = travels[0].direction if travels else None
        stated = Direction(v.direction) if v.direction else None
        points.append(
            Point(
                index=index,
                period=v.period,
                value=v.value,
                missing=v.missing,
                note=v.note,
                target=target,
                computed=computed,
                stated=Rating(v.rating) if v.rating else None,
                rating_reason=v.rating_reason,
                direction=stated if stated is not None else move,
                computed_direction=move,
                direction_stated=stated is not None,
                direction_reason=v.direction_reason,
                series_break=v.series_break,
                compared_period=travels[0].compared_period
                if travels and move is not None and rules[0] != "trend"
                else None,
                starts_run=position > 0
                and (
                    v.series_break is not None
                    or _year_of(measure, v.period, fy_start)
                    != _year_of(measure, ordered[position - 1][1].period, fy_start)
                ),
                travels=travels,
            )
        )
    return Assessed(ind, points=points, bands=bands, comparisons=rules, trend_periods=periods)


def _year_of(measure: Measure, period: Period, fy_start: int) -> int | None:
    """The year a cumulative measure's value adds up within (None for other measures)."""
    if measure.cumulative == "financial_year":
        return financial_year_of(period.end, fy_start)
    if measure.cumulative == "calendar_year":
        return period.end.year
    return None


def compare_with(measure: Measure, default: str = DEFAULT_COMPARE_WITH) -> str:
    """What the measure's directions compare each value with: its own setting; year_ago for a
    cumulative measure; else the site's."""
    if measure.compare_with is not None:
        return measure.compare_with
    return "year_ago" if measure.cumulative is not None else default


def comparisons(
    measure: Measure, default: str = DEFAULT_COMPARE_WITH, default_also: Sequence[str] = ()
) -> tuple[str, ...]:
    """The comparisons a measure shows: the headline one (``compare_with``), then the others
    (its own also_compare_with, else the site's less the headline, and less previous and trend
    on a cumulative measure, which compares with a year earlier only), each once."""
    headline = compare_with(measure, default)
    if headline == NO_COMPARISON:
        return ()
    if measure.also_compare_with is not None:
        also: Sequence[str] = measure.also_compare_with
    elif measure.cumulative is not None:
        also = [c for c in default_also if c == "year_ago"]
    else:
        also = default_also
    return tuple(dict.fromkeys([headline, *also]))


@dataclass
class _Series:
    """A measure's values in time order, to work out each one's direction of travel."""

    ordered: Sequence[tuple[int, DataPoint]]
    by_period: Mapping[Period, tuple[int, DataPoint]]
    polarity: str
    decimals: int
    periods: int  # of a trend

    def travel(self, rule: str, position: int) -> Travel:
        """The ``position``-th value against ``rule``; none when it has no value."""
        if self.ordered[position][1].value is None:
            return Travel(rule, None, periods=self.periods if rule == "trend" else 0)
        if rule == "trend":
            return self._trend(position)
        now = self.ordered[position][1]
        before, reason = _compared_with(self.ordered, self.by_period, position, rule)
        if before is None or before.value is None or now.value is None:
            return Travel(rule, None, reason=reason or "missing")
        move = direction(before.value, now.value, self.polarity, self.decimals)
        return Travel(rule, move, before.period)

    def _trend(self, position: int) -> Travel:
        """SPEC's trend: the line fitted through the last ``periods`` values up to this one,
        which must follow each other period by period, each with a value, with no break in the
        series after the first of them."""
        n = self.periods
        if position < n - 1:
            return Travel("trend", None, reason="fewer", periods=n)
        window = [v for _, v in self.ordered[position - n + 1 : position + 1]]
        if any(v.series_break for v in window[1:]):
            return Travel("trend", None, reason="break", periods=n)
        values = [v.value for v in window]
        if any(value is None for value in values) or not _consecutive([v.period for v in window]):
            return Travel("trend", None, reason="gap", periods=n)
        numbers = [value for value in values if value is not None]
        move = trend_direction(numbers, self.polarity, self.decimals)
        return Travel("trend", move, window[0].period, periods=n)


def _consecutive(periods: Sequence[Period]) -> bool:
    """Periods of one frequency, each starting the day after the one before it ends."""
    return all(
        b.frequency == a.frequency and b.start == a.end + dt.timedelta(days=1)
        for a, b in itertools.pairwise(periods)
    )


def _compared_with(
    ordered: Sequence[tuple[int, DataPoint]],
    by_period: Mapping[Period, tuple[int, DataPoint]],
    position: int,
    compare: str,
) -> tuple[DataPoint | None, str | None]:
    """The value the ``position``-th one is compared with, or None and why: none before it
    (first), none a year earlier (no_year_ago), or a break in the series after that one and
    up to this one (break)."""
    if compare == "year_ago":
        found = by_period.get(ordered[position][1].period.year_before())
        if found is None:
            return None, "no_year_ago"
        start = found[0]
    else:
        if position == 0:
            return None, "first"
        start = position - 1
    if any(v.series_break for _, v in ordered[start + 1 : position + 1]):
        return None, "break"
    return ordered[start][1], None


def assess_project(ind: IndicatorFile) -> Assessed:
    project = ind.model
    assert isinstance(project, Project)
    ordered = sorted(enumerate(project.updates), key=lambda iu: iu[1].period.sort_key)
    updates = [
        UpdatePoint(i, u.period, Rating(u.rating), u.progress, u.commentary, u.rating_reason)
        for i, u in ordered
    ]
    return Assessed(ind, updates=updates)


# perfpages serve keeps each indicator's assessment and warnings with what they were made from
# (the indicator's file as loaded, and the site configuration).
AssessCache = dict[str, tuple[IndicatorFile, str, "Assessed", list[Problem]]]


def assess_site(site: Site, problems: Problems, cache: AssessCache | None = None) -> list[Assessed]:
    """Assess every indicator and add the warnings the data calls for."""
    config = site.config
    if cache is None:
        return [assess_indicator(ind, config, problems) for ind in site.indicators]
    key = config.model_dump_json()
    out: list[Assessed] = []
    for ind in site.indicators:
        hit = cache.get(ind.id)
        if hit is not None and hit[0] is ind and hit[1] == key:
            problems.extend(hit[3])
            out.append(hit[2])
            continue
        found = Problems()
        assessed = assess_indicator(ind, config, found)
        problems.extend(found)
        cache[ind.id] = (ind, key, assessed, list(found))
        out.append(assessed)
    return out


def assess_indicator(ind: IndicatorFile, config: SiteConfig, problems: Problems) -> Assessed:
    if isinstance(ind.model, Project):
        return assess_project(ind)
    ratings = config.ratings
    assessed = assess_measure(
        ind,
        bands_for(ind.model, config),
        ratings.compare_with,
        config.financial_year_start_month,
        ratings.also_compare_with,
        ratings.trend_periods,
    )
    _warn_mismatches(assessed, problems)
    _warn_direction_mismatches(assessed, problems)
    _warn_stale(assessed, config, problems)
    return assessed


def _warn_mismatches(assessed: Assessed, problems: Problems) -> None:
    ind = assessed.file
    for p in assessed.points:
        if p.stated is None or p.stated == p.computed or p.rating_reason:
            continue
        if p.computed is Rating.NOT_RATED:
            basis = "not rated (no comparable target or neutral polarity)"
        else:
            basis = f"{p.computed.value} (value {p.value:g} against target {p.target:g})"
        problems.warn(
            ind.rel,
            ind.line("values", p.index, "rating"),
            f"values[{p.index}].rating",
            f"{p.period.text} is stated as {p.stated.value} but the data gives {basis}; "
            "add rating_reason: saying why, or remove the rating",
            code="rating.mismatch",
        )


def _warn_direction_mismatches(assessed: Assessed, problems: Problems) -> None:
    """A stated direction the values do not give, with no reason: said, as for ratings."""
    ind = assessed.file
    for p in assessed.points:
        if not p.direction_as_published or p.direction_reason:
            continue
        headline = p.headline
        if p.computed_direction is not None:
            basis = p.computed_direction.value
        elif headline is not None and headline.rule == "trend":
            basis = f"no direction (no trend over the last {headline.periods} periods)"
        else:
            basis = "no direction (no earlier value to compare with)"
        problems.warn(
            ind.rel,
            ind.line("values", p.index, "direction"),
            f"values[{p.index}].direction",
            f"{p.period.text} is stated as {p.direction.value if p.direction else ''} but the "
            f"data gives {basis}; add direction_reason: saying why, or remove the direction",
            code="direction.mismatch",
        )


def _warn_stale(assessed: Assessed, config: SiteConfig, problems: Problems) -> None:
    model = assessed.model
    if isinstance(model, Measure) and model.status == "discontinued":
        return
    months = config.ratings.stale_after_months
    point = assessed.latest_point(config.reporting_period)
    ind = assessed.file
    if point is None:
        if assessed.points:
            first = assessed.points[0]
            problems.warn(
                ind.rel,
                ind.line("values", first.index, "period"),
                "values",
                f"has no value in or before {config.reporting_period.label}, the reporting "
                "period; check the periods",
                code="data.future",
            )
        return
    if is_stale(point.period, config.reporting_period, months):
        problems.warn(
            ind.rel,
            ind.line("values", point.index, "period"),
            f"values[{point.index}].period",
            f"the latest value is for {point.period.label}, more than {months} months before "
            f"the end of {config.reporting_period.label}; add newer values, or set "
            "status: discontinued",
            code="data.stale",
        )


# ---- Summaries ---------------------------------------------------------------------------------


@dataclass
class Counts:
    """The positions of a group of indicators at one period: measures by rating and direction
    of travel; projects apart, by where they stand (a project's progress is no direction of
    travel, and its rating is not a value against a target)."""

    exceeding: int = 0
    green: int = 0
    amber: int = 0
    red: int = 0
    blue: int = 0
    not_rated: int = 0
    improving: int = 0
    steady: int = 0
    declining: int = 0
    no_position: int = 0
    as_published: int = 0  # of the measures counted by rating, those rated as published
    # projects
    on_track: int = 0
    at_risk: int = 0
    off_track: int = 0
    complete: int = 0
    no_update: int = 0

    def add(self, position: Position | None, project: bool = False) -> None:
        if project:
            self._add_project(position)
            return
        if position is None:
            self.no_position += 1
            return
        setattr(self, position.rating.value, getattr(self, position.rating.value) + 1)
        self.as_published += position.as_published
        if position.direction is not None and position.direction.trend:
            trend = position.direction.trend
            setattr(self, trend, getattr(self, trend) + 1)

    def _add_project(self, position: Position | None) -> None:
        name = PROJECT_STANDING.get(position.rating) if position is not None else None
        name = name or "no_update"
        setattr(self, name, getattr(self, name) + 1)

    @property
    def rated(self) -> int:
        return self.exceeding + self.green + self.amber + self.red

    @property
    def on_target(self) -> int:
        """The measures rated on or better than target: Green or Exceeding."""
        return self.exceeding + self.green

    @property
    def measures(self) -> int:
        return self.rated + self.blue + self.not_rated + self.no_position

    @property
    def projects(self) -> int:
        return sum(getattr(self, name) for name in PROJECT_COUNTS)

    @property
    def total(self) -> int:
        return self.measures + self.projects

    @property
    def with_data(self) -> int:
        """The indicators counted that have a value or an update by then."""
        return self.total - self.no_position - self.no_update

    @property
    def with_direction(self) -> int:
        return self.improving + self.steady + self.declining

    def percent(self, part: int, whole: int) -> int | None:
        if not whole:
            return None
        return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def on_target_percent(self) -> int | None:
        """The share of the rated measures on or better than target (Green or Exceeding)."""
        return self.percent(self.on_target, self.rated)

    @property
    def improving_percent(self) -> int | None:
        return self.percent(self.improving, self.with_direction)


@dataclass
class Summary:
    period: Period
    by_priority: dict[str, Counts]
    overall: Counts


def summarise(
    assessed: Sequence[Assessed],
    priority_ids: Iterable[str],
    period: Period,
    stale_months: int = STALE_AFTER_MONTHS,
) -> Summary:
    by_priority = {pid: Counts() for pid in priority_ids}
    overall = Counts()
    for a in assessed:
        position = a.position(period, stale_months)
        if position is None and not _started_by(a, period):
            continue  # an indicator that did not exist yet is not counted
        by_priority[a.priority].add(position, a.is_project)
        overall.add(position, a.is_project)
    return Summary(period, by_priority, overall)


# Ratings in order from worst to best, for a measure rated at two periods. Blue (no longer
# measured) and not rated have no place in it.
RATING_RANK = {Rating.RED: 0, Rating.AMBER: 1, Rating.GREEN: 2, Rating.EXCEEDING: 3}


@dataclass
class Change:
    """How the ratings moved between two periods, over the measures rated at both (a measure
    rated at only one of them says nothing about a change)."""

    both: int = 0
    better: int = 0
    same: int = 0
    worse: int = 0
    green_before: int = 0
    green_now: int = 0
    on_target_before: int = 0  # Green or Exceeding
    on_target_now: int = 0
    exceeding_before: int = 0
    exceeding_now: int = 0

    def add(self, before: Rating, now: Rating) -> None:
        self.both += 1
        step = RATING_RANK[now] - RATING_RANK[before]
        self.better += step > 0
        self.same += step == 0
        self.worse += step < 0
        self.green_before += before is Rating.GREEN
        self.green_now += now is Rating.GREEN
        self.on_target_before += before in ON_TARGET
        self.on_target_now += now in ON_TARGET
        self.exceeding_before += before is Rating.EXCEEDING
        self.exceeding_now += now is Rating.EXCEEDING


@dataclass
class Comparison:
    """The ratings at ``period`` against those at ``previous``, by priority and overall."""

    period: Period
    previous: Period
    by_priority: dict[str, Change]
    overall: Change


def compare(
    assessed: Sequence[Assessed],
    priority_ids: Iterable[str],
    now: Summary,
    before: Summary,
    positions_now: Mapping[str, Position | None],
    positions_before: Mapping[str, Position | None],
) -> Comparison:
    """The change in rating of every measure rated (Exceeding, Green, Amber or Red) at both
    periods."""
    by_priority = {pid: Change() for pid in priority_ids}
    overall = Change()
    for a in assessed:
        if a.is_project:
            continue
        p, q = positions_before.get(a.id), positions_now.get(a.id)
        if p is None or q is None or p.rating not in RATING_RANK or q.rating not in RATING_RANK:
            continue
        by_priority[a.priority].add(p.rating, q.rating)
        overall.add(p.rating, q.rating)
    return Comparison(now.period, before.period, by_priority, overall)


def _started_by(a: Assessed, period: Period) -> bool:
    """An indicator with no data at all counts as 'no data'; one starting later does not."""
    return not a.points and not a.updates
