"""A small static line chart as inline SVG, for the printable report.

The interactive charts need JavaScript, which a printed page does not run; this one is drawn
in Python so the printed report still shows the shape of each trend. The data table and the
written summary beside it carry the same information in words and numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from generator.assess.assessment import Point
from generator.render import formatting
from generator.render.axes import Axis, measure_axis
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
# Room for the axis labels at the left: about this many pixels a character at 12px, and at
# most a third of the width (a label longer than that is cut at the left edge).
CHAR_WIDTH = 7
# The compact drawing: as wide as a card's column, its words at the same size on screen, and
# only the first and last periods written on it.
COMPACT_WIDTH = 240
COMPACT_HEIGHT = 84


def _f(number: float) -> str:
    return f"{number:.1f}"


def _vertical_scale(axis: Axis) -> Callable[[float], float]:
    """Where a value sits between the top (0) and the bottom (1) of the axis. Worked in halves,
    so the largest axis a file may need (near ±1e308) neither overflows nor loses the
    difference between its ends; an axis with no height (numbers beyond float precision)
    draws everything mid-height."""
    half = axis.high / 2 - axis.low / 2
    if not half > 0:
        return lambda v: 0.5

    def to_height(v: float) -> float:
        return (axis.high / 2 - v / 2) / half

    return to_height


def sparkline(
    model: Measure, points: Sequence[Point], label: str, compact: bool = False
) -> Markup | None:
    """The values of ``points`` (solid) and the target in force (dashed) on the value axis that
    the interactive chart uses too (axes.py), its ends labelled, or None when there is no value
    to draw; smaller, without the range of values written on it, if ``compact`` (a card states
    its values in words)."""
    values = [p.value for p in points if p.value is not None]
    axis = measure_axis(model, points)
    if not values or axis is None:
        return None
    width, height = (COMPACT_WIDTH, COMPACT_HEIGHT) if compact else (WIDTH, HEIGHT)
    top_label = formatting.value(model, axis.high, with_label=False, decimals=axis.decimals)
    bottom_label = formatting.value(model, axis.low, with_label=False, decimals=axis.decimals)
    left = LEFT + min(width // 3, CHAR_WIDTH * max(len(top_label), len(bottom_label)) + 6)
    to_height = _vertical_scale(axis)
    inner_w = width - left - RIGHT
    inner_h = height - TOP - BOTTOM
    step = inner_w / max(1, len(points) - 1) if len(points) > 1 else 0.0

    def x(i: int) -> float:
        return left + (i * step if len(points) > 1 else inner_w / 2)

    def y(v: float) -> float:
        return TOP + to_height(v) * inner_h

    # Each kind of mark shares its colours and sizes through one group, so a chart does not
    # repeat them on every line, dot and word (SVG's attributes are inherited from a group).
    grid = [_gridline(left, y(level), width) for level in (axis.high, axis.low)]
    if axis.low < 0 < axis.high:
        grid.append(_gridline(left, y(0), width))
    words: list[str] = [
        f'<text x="{left - 6}" y="{_f(y(level) + 4)}" text-anchor="end">{escape(end)}</text>'
        for level, end in ((axis.high, top_label), (axis.low, bottom_label))
    ]
    highest = formatting.value(model, max(values))
    lowest = formatting.value(model, min(values))
    scale = highest if highest == lowest else t("print.chart_range", low=lowest, high=highest)
    if not compact:
        words.append(f'<text x="{LEFT}" y="14">{escape(scale)}</text>')
    words.append(f'<text x="{left}" y="{height - 6}">{escape(points[0].period.label)}</text>')
    if len(points) > 1:
        words.append(
            f'<text x="{width - RIGHT}" y="{height - 6}" text-anchor="end">'
            f"{escape(points[-1].period.label)}</text>"
        )
    lines, dots = _value_path(points, x, y)
    parts = [
        _group(f'stroke="{GRID}" stroke-width="1"', grid),
        _group(
            f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="6 4"',
            _target_path(points, x, y, step, left, width),
        ),
        _group(
            f'fill="none" stroke="{VALUE_COLOUR}" stroke-width="2.5" stroke-linejoin="round"',
            lines,
        ),
        _group(f'fill="{VALUE_COLOUR}"', dots),
        _group(f'fill="{TEXT}" font-size="12" font-family="sans-serif"', words),
    ]
    body = "".join(parts)
    classes = "pp-spark pp-spark--compact" if compact else "pp-spark"
    return Markup(
        f'<svg class="{classes}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" data-axis-low="{axis.low!r}" '
        f'data-axis-high="{axis.high!r}" xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )


def _group(attributes: str, marks: list[str]) -> str:
    """``marks`` in a group that gives them ``attributes``; nothing for no marks."""
    return f"<g {attributes}>{''.join(marks)}</g>" if marks else ""


def _gridline(left: float, height: float, width: int = WIDTH) -> str:
    return f'<line x1="{left}" y1="{_f(height)}" x2="{width - RIGHT}" y2="{_f(height)}"/>'


Scale = Callable[[int], float]
ValueScale = Callable[[float], float]


def _value_path(points: Sequence[Point], x: Scale, y: ValueScale) -> tuple[list[str], list[str]]:
    """The lines joining the values of each run (a series break or a gap starts a new one), and
    a dot for every value."""
    lines: list[str] = []
    dots: list[str] = []
    run: list[str] = []
    for i, p in enumerate(points):
        if p.value is None or p.starts_run:
            lines += _polyline(run)
            run = []
        if p.value is None:
            continue
        run.append(f"{_f(x(i))},{_f(y(p.value))}")
        dots.append(f'<circle cx="{_f(x(i))}" cy="{_f(y(p.value))}" r="3.5"/>')
    lines += _polyline(run)
    return lines, dots


def _polyline(run: list[str]) -> list[str]:
    if len(run) < 2:
        return []
    return [f'<polyline points="{" ".join(run)}"/>']


def _target_path(
    points: Sequence[Point],
    x: Scale,
    y: ValueScale,
    step: float,
    left: float,
    width: int = WIDTH,
) -> list[str]:
    """A stepped line: each period's target across its slot, so a change shows as a step."""
    parts: list[str] = []
    half = step / 2 if step else 12.0
    for i, p in enumerate(points):
        if p.target is None:
            continue
        start = max(left, x(i) - half)
        end = min(width - RIGHT, x(i) + half)
        parts.append(
            f'<line x1="{_f(start)}" y1="{_f(y(p.target))}" x2="{_f(end)}" y2="{_f(y(p.target))}"/>'
        )
    return parts
