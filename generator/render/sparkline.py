"""A small static line chart as inline SVG, for the printable report and the priority pages.

The interactive charts need JavaScript, which a printed page does not run; this one is drawn
in Python so the printed report still shows the shape of each trend. The data table and the
written summary beside it carry the same information in words and numbers. A priority page
draws it smaller (``compact``) on each measure's card, beside the latest value, the target and
the direction in words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from generator.assess.assessment import Point
from generator.render import formatting
from generator.render.charts import TARGET_COLOUR, TEXT, VALUE_COLOUR
from generator.site.i18n import t
from generator.site.models import Measure

WIDTH = 480
HEIGHT = 150
LEFT = 8
RIGHT = 8
TOP = 22
BOTTOM = 24
GRID = "#b1b4b6"
# The compact drawing: as wide as a card's column, its words at the same size on screen, and
# only the first and last periods written on it.
COMPACT_WIDTH = 240
COMPACT_HEIGHT = 84


def _f(number: float) -> str:
    return f"{number:.1f}"


def _vertical_scale(low: float, high: float) -> Callable[[float], float]:
    """Where a value sits between the top (0) and the bottom (1) of the drawing, with a margin
    of 8% of the range above and below. Worked in halves, so the largest numbers a file may hold
    (near 1e308) neither overflow nor lose the difference between them; a flat line sits
    mid-height however large its value."""
    centre = low / 2 + high / 2
    half = high / 2 - low / 2
    if not half > abs(centre) * 1e-12:  # all equal, or equal to float precision
        half = max(1.0, abs(centre) * 1e-9)

    def to_height(v: float) -> float:
        return 0.5 - (v / 2 - centre / 2) / half / 1.16

    return to_height


def sparkline(
    model: Measure, points: Sequence[Point], label: str, compact: bool = False
) -> Markup | None:
    """The values of ``points`` (solid) and the target in force (dashed), or None when there
    is no value to draw; smaller if ``compact``."""
    values = [p.value for p in points if p.value is not None]
    if not values:
        return None
    width, height = (COMPACT_WIDTH, COMPACT_HEIGHT) if compact else (WIDTH, HEIGHT)
    targets = [p.target for p in points if p.target is not None]
    to_height = _vertical_scale(min(values + targets), max(values + targets))
    inner_w = width - LEFT - RIGHT
    inner_h = height - TOP - BOTTOM
    step = inner_w / max(1, len(points) - 1) if len(points) > 1 else 0.0

    def x(i: int) -> float:
        return LEFT + (i * step if len(points) > 1 else inner_w / 2)

    def y(v: float) -> float:
        return TOP + to_height(v) * inner_h

    parts: list[str] = [
        f'<line x1="{LEFT}" y1="{_f(TOP + inner_h)}" x2="{width - RIGHT}" '
        f'y2="{_f(TOP + inner_h)}" stroke="{GRID}" stroke-width="1"/>'
    ]
    parts += _target_path(points, x, y, step, width)
    parts += _value_path(points, x, y)
    text = f'fill="{TEXT}" font-size="12" font-family="sans-serif"'
    highest = formatting.value(model, max(values))
    lowest = formatting.value(model, min(values))
    scale = highest if highest == lowest else t("print.chart_range", low=lowest, high=highest)
    if not compact:  # a card states its values in words: no room for a long range
        parts.append(f'<text x="{LEFT}" y="14" {text}>{escape(scale)}</text>')
    parts.append(
        f'<text x="{LEFT}" y="{height - 6}" {text}>{escape(points[0].period.label)}</text>'
    )
    if len(points) > 1:
        parts.append(
            f'<text x="{width - RIGHT}" y="{height - 6}" text-anchor="end" {text}>'
            f"{escape(points[-1].period.label)}</text>"
        )
    body = "".join(parts)
    classes = "pp-spark pp-spark--compact" if compact else "pp-spark"
    return Markup(
        f'<svg class="{classes}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )


Scale = Callable[[int], float]
ValueScale = Callable[[float], float]


def _value_path(points: Sequence[Point], x: Scale, y: ValueScale) -> list[str]:
    parts: list[str] = []
    run: list[str] = []
    for i, p in enumerate(points):
        if p.value is None:
            parts += _polyline(run)
            run = []
            continue
        run.append(f"{_f(x(i))},{_f(y(p.value))}")
        parts.append(
            f'<circle cx="{_f(x(i))}" cy="{_f(y(p.value))}" r="3.5" fill="{VALUE_COLOUR}"/>'
        )
    parts += _polyline(run)
    return parts


def _polyline(run: list[str]) -> list[str]:
    if len(run) < 2:
        return []
    return [
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{VALUE_COLOUR}" '
        'stroke-width="2.5" stroke-linejoin="round"/>'
    ]


def _target_path(
    points: Sequence[Point], x: Scale, y: ValueScale, step: float, width: int = WIDTH
) -> list[str]:
    """A stepped line: each period's target across its slot, so a change shows as a step."""
    parts: list[str] = []
    half = step / 2 if step else 12.0
    for i, p in enumerate(points):
        if p.target is None:
            continue
        left = max(LEFT, x(i) - half)
        right = min(width - RIGHT, x(i) + half)
        parts.append(
            f'<line x1="{_f(left)}" y1="{_f(y(p.target))}" x2="{_f(right)}" '
            f'y2="{_f(y(p.target))}" stroke="{TARGET_COLOUR}" stroke-width="2" '
            'stroke-dasharray="6 4"/>'
        )
    return parts
