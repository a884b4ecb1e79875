"""The position at a glance: which indicators the home page names, and why.

Four lists, each with its rule (SPEC, "The position at a glance"):

- off target: measures whose position at the reporting period is rated Red or Amber (Red
  first), discontinued measures left out;
- improved most and worsened most: measures whose latest value is for a period ending within
  the reporting period and moved the better (or worse) way since the value before it, ranked by
  the size of the change as a share of that earlier value (largest first, at most
  ``MOST_CHANGED``). Neutral measures and earlier values of zero are left out;
- not updated: measures whose latest value, and projects whose latest update, is for a period
  ending before the reporting period begins (or that have none yet); discontinued measures and
  closed projects left out.

The lists keep the order of the indicators they are given (the report order: by priority,
then title) wherever the rule does not order them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from generator.assess.assessment import (
    Assessed,
    Direction,
    Point,
    Position,
    Rating,
    UpdatePoint,
    dec,
)
from generator.site.models import Measure, Project
from generator.site.periods import Period

# The improved-most and worsened-most lists name at most this many measures each.
MOST_CHANGED = 5
OFF_TARGET = (Rating.RED, Rating.AMBER)


@dataclass(frozen=True)
class Change:
    """A measure's latest value against the value before it."""

    assessed: Assessed
    before: Point
    now: Point
    share: Fraction  # |now - before| / |before|, exact from the numbers as written

    @property
    def percent_tenths(self) -> int:
        """The change as a percentage of the earlier value, in tenths, halves rounded up."""
        return int((self.share * 1000 + Fraction(1, 2)) // 1)


@dataclass(frozen=True)
class Stale:
    """An indicator not updated for the reporting period, with its latest value or update."""

    assessed: Assessed
    latest: Point | UpdatePoint | None


def _active(a: Assessed) -> bool:
    model = a.model
    if isinstance(model, Project):
        return model.status != "closed"
    return model.status != "discontinued"


def off_target(
    assessed: Sequence[Assessed], positions: dict[str, Position | None]
) -> list[Assessed]:
    """Measures rated Red or Amber at the reporting period: Red first, each in the given order."""
    found = [
        a
        for a in assessed
        if not a.is_project
        and _active(a)
        and (p := positions.get(a.id)) is not None
        and p.rating in OFF_TARGET
    ]
    return sorted(found, key=lambda a: OFF_TARGET.index(_rating(positions, a)))


def _rating(positions: dict[str, Position | None], a: Assessed) -> Rating:
    position = positions[a.id]
    assert position is not None
    return position.rating


def changes(
    assessed: Sequence[Assessed], reporting: Period, limit: int = MOST_CHANGED
) -> tuple[list[Change], list[Change]]:
    """The measures that improved most and worsened most: see the module's docstring."""
    improved: list[Change] = []
    worsened: list[Change] = []
    for a in assessed:
        change = latest_change(a, reporting)
        if change is None:
            continue
        if change.now.direction is Direction.IMPROVING:
            improved.append(change)
        else:
            worsened.append(change)
    return _largest(improved, limit), _largest(worsened, limit)


def _largest(changes: list[Change], limit: int) -> list[Change]:
    """The ``limit`` largest changes, largest first, equal ones in the given order: what
    sorted(...)[:limit] gives, in one pass of at most ``limit`` comparisons an indicator, so a
    site of thousands sorts nothing whole."""
    top: list[Change] = []
    for change in changes:
        if len(top) == limit and not change.share > top[-1].share:
            continue
        i = len(top)
        while i and top[i - 1].share < change.share:
            i -= 1
        top.insert(i, change)
        del top[limit:]
    return top


def latest_change(a: Assessed, reporting: Period) -> Change | None:
    """The change a measure's latest value made, if it counts for the lists: the value is for a
    period ending within the reporting period, it moved the better or worse way (at the display
    precision) from the value before it, and that value is not zero."""
    model = a.model
    if not isinstance(model, Measure) or not _active(a) or model.polarity == "neutral":
        return None
    points = a.points_until(reporting)
    if len(points) < 2:
        return None
    now, before = points[-1], points[-2]
    if now.direction not in (Direction.IMPROVING, Direction.DECLINING):
        return None
    if now.period.end < reporting.start or now.value is None or before.value is None:
        return None
    old = Fraction(dec(before.value))
    if old == 0:
        return None
    return Change(a, before, now, abs(Fraction(dec(now.value)) - old) / abs(old))


def not_updated(assessed: Sequence[Assessed], reporting: Period) -> list[Stale]:
    """Indicators whose latest value or update is for a period that ends before the reporting
    period begins, or that have none yet, in the given order."""
    found: list[Stale] = []
    for a in assessed:
        if not _active(a):
            continue
        latest: Point | UpdatePoint | None
        if a.is_project:
            latest = a.latest_update(reporting)
        else:
            latest = next(
                (p for p in reversed(a.points_until(reporting)) if p.value is not None), None
            )
        if latest is None or latest.period.end < reporting.start:
            found.append(Stale(a, latest))
    return found
