"""The home page's ratings at a glance: a stacked bar per priority, drawn as inline SVG.

The bars need no JavaScript and print as they show. Each kind of segment has its own pattern
as well as its colour (solid, stripes, cross-hatch, dots, lines), and the words and counts are
written beside every bar, in the same order as its segments, so the chart is read without
colour; the bars themselves are hidden from screen readers, which hear those words. The summary
table on the same page gives the same figures.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from fractions import Fraction

from markupsafe import Markup

# The patterns, once per page (the bars and the swatches beside their counts refer to them by
# id). Colours come from the stylesheet (.pp-pattern--*), the white marks are drawn here.
_MARKS = {
    "exceeding": '<path d="M1 5.5 4 2.5 7 5.5" fill="none" stroke="#fff" stroke-width="1.5"/>',
    "green": "",
    "amber": '<path d="M-2 2 2-2M0 8 8 0M6 10 10 6" stroke="#fff" stroke-width="2"/>',
    "red": (
        '<path d="M0 0 8 8M8 0 0 8M-2 6 2 10M6-2 10 2M-2 2 2-2M6 10 10 6" stroke="#fff" '
        'stroke-width="1.5"/>'
    ),
    "blue": '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
    "not_rated": '<path d="M0 4h8" stroke="#fff" stroke-width="2"/>',
}
KINDS = tuple(_MARKS)


@functools.cache
def patterns(exceeding: bool = False) -> Markup:
    """The patterns, once per page (the bars and the swatches beside their counts refer to them
    by id); Exceeding's only on a site where a measure can be rated so."""
    kinds = [k for k in KINDS if exceeding or k != "exceeding"]
    return Markup(
        '<svg class="pp-glance__defs" width="0" height="0" aria-hidden="true" focusable="false">'
        "<defs>"
        + "".join(
            f'<pattern id="pp-pattern-{kind}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect class="pp-pattern--{kind}" width="8" height="8"/>{_MARKS[kind]}</pattern>'
            for kind in kinds
        )
        + "</defs></svg>"
    )


def _percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a percentage with three decimals, from exact fractions."""
    tenths = (Fraction(100_000 * part, whole) + Fraction(1, 2)) // 1
    return f"{tenths // 1000}.{tenths % 1000:03d}%"


def bar(segments: Sequence[tuple[str, int]]) -> Markup | None:
    """One stacked bar, each (kind, count) a segment as wide as its share of the total, in the
    order given; None when every count is zero."""
    total = sum(count for _, count in segments)
    if not total:
        return None
    parts: list[str] = []
    done = 0
    for kind, count in segments:
        if not count:
            continue
        x, width = _percent(done, total), _percent(count, total)
        parts.append(
            f'<rect class="pp-bar__seg" x="{x}" width="{width}" height="100%" '
            f'fill="url(#pp-pattern-{kind})"/>'
        )
        done += count
    return Markup(
        '<svg class="pp-glance__bar" width="100%" height="24" aria-hidden="true" '
        f'focusable="false">{"".join(parts)}</svg>'
    )


def swatch(kind: str) -> Markup:
    """The pattern of one kind of segment, shown beside its count."""
    return Markup(
        '<svg class="pp-swatch" width="18" height="18" aria-hidden="true" focusable="false">'
        f'<rect width="18" height="18" fill="url(#pp-pattern-{kind})"/></svg>'
    )
