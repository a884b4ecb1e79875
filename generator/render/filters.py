"""The choices offered by the all-indicators page's filters, and the keys its columns sort by.

The page is a plain table that works without JavaScript; ``theme/assets/javascripts/filter.js``
reads these choices (rendered as native ``<select>``s) and the rows' ``data-*`` attributes.
Only values that occur in the table are offered, so no choice leads to an empty list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.assess.assessment import Direction, Rating
from generator.site.i18n import t

NO_DIRECTION = "none"
RATING_ORDER = {r.value: i for i, r in enumerate(Rating)}
DIRECTION_ORDER = {d.value: i for i, d in enumerate(Direction)}


@dataclass(frozen=True)
class Filter:
    name: str  # the row's data-<name> attribute, and the URL parameter
    label: str
    options: list[tuple[str, str]]  # (value, label)


def direction_key(row: dict[str, Any]) -> str:
    position = row["position"]
    if position is None or position.direction is None:
        return NO_DIRECTION
    return str(position.direction.value)


def filter_options(rows: Sequence[dict[str, Any]]) -> list[Filter]:
    """The filters of the all-indicators page, each offering only the choices its rows have:
    priorities in the rows' order (by their short titles, where they have one), services and
    tags alphabetically, ratings and directions in the order of their enums (the order the table
    sorts them in), with no direction last. With no tag on any row there is no tag filter."""
    priorities: dict[str, str] = {}
    services: set[str] = set()
    tags: set[str] = set()
    ratings: set[str] = set()
    directions: set[str] = set()
    for row in rows:
        model = row["model"]
        priorities.setdefault(row["priority"].id, row["priority"].label)
        if model.service:
            services.add(model.service)
        tags.update(model.tags)
        if row["position"] is not None:
            ratings.add(row["position"].rating.value)
        directions.add(direction_key(row))
    by_text = str.casefold
    tag_filter = [Filter("tag", t("all.filter_tag"), [(s, s) for s in sorted(tags, key=by_text)])]
    return [
        Filter("priority", t("all.filter_priority"), list(priorities.items())),
        Filter("service", t("all.filter_service"), [(s, s) for s in sorted(services, key=by_text)]),
        *(tag_filter if tags else []),
        Filter(
            "rating",
            t("all.filter_rating"),
            [(r, t(f"rating.{r}")) for r in sorted(ratings, key=RATING_ORDER.__getitem__)],
        ),
        Filter(
            "direction",
            t("all.filter_direction"),
            [
                (d, t(f"direction.{d}"))
                for d in sorted(directions, key=lambda d: DIRECTION_ORDER.get(d, len(Direction)))
            ],
        ),
    ]


def sort_keys(row: dict[str, Any], priority_index: int) -> dict[str, str]:
    """What each column sorts by (the visible text would sort "Q4 2018/19" after "Q1 2019/20")."""
    position = row["position"]
    value = row.get("value_number")
    return {
        "priority": f"{priority_index:04d}",
        "period": position.period.end.isoformat() if position else "",
        "value": "" if value is None else repr(float(value)),
        "rating": str(RATING_ORDER[position.rating.value]) if position else "",
        "direction": str(DIRECTION_ORDER.get(direction_key(row), len(Direction)))
        if direction_key(row) != NO_DIRECTION
        else "",
    }
