"""Chart specifications as plain JSON data for Plotly.js (no plotly.py figure objects: those cost
milliseconds each and nothing here needs them).

Colours: the value line is near-black navy; the target and comparison lines each have at least
3:1 contrast with the white background and with the value line, and they differ from each other
by dash pattern as well as by colour (see tests/render/test_theme.py).
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from generator.assess.assessment import Assessed, Point
from generator.render import formatting
from generator.render.axes import Axis, measure_axis
from generator.render.text import chart_text
from generator.site.i18n import t
from generator.site.models import Measure
from generator.site.periods import Period

BACKGROUND = "#ffffff"
TEXT = "#1b1b1b"
GRID = "#d9dcde"
VALUE_COLOUR = "#12263f"
TARGET_COLOUR = "#c25e00"
BENCHMARK_COLOUR = "#6f777b"
TARGET_DASH = "dash"
BENCHMARK_DASHES = ("dot", "dashdot", "longdashdot")
# Plotly never wraps a legend entry, and one wider than a phone is cut off: wrap long names.
LEGEND_LINE = 28


def chart_spec(assessed: Assessed, reporting: Period) -> dict[str, Any] | None:
    """The chart of a measure's values up to the reporting period, or None with nothing to draw."""
    measure = assessed.model
    if not isinstance(measure, Measure):
        return None
    points = [p for p in assessed.points if p.period.end <= reporting.end]
    axis = measure_axis(measure, points)
    if axis is None or not any(p.value is not None for p in points):
        return None
    d = formatting.decimals_of(measure)
    x = [p.period.label for p in points]
    y = [None if p.value is None else float(formatting.plain_number(p.value, d)) for p in points]
    text = [
        chart_text(
            formatting.value(measure, p.value, with_label=False)
            if p.value is not None
            else t(f"missing.{p.missing}")
        )
        for p in points
    ]
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": chart_text(t("indicator.value_series")),
            "x": x,
            "y": y,
            "text": text,
            "hovertemplate": "%{x}: %{text}<extra></extra>",
            "line": {"color": VALUE_COLOUR, "width": 3},
            "marker": {"color": VALUE_COLOUR, "size": 8, "symbol": "circle"},
            "connectgaps": False,
            # A value at the end of the axis (0%, or 100%) is drawn whole, not cut in half.
            "cliponaxis": False,
        }
    ]
    traces = _runs(traces[0], points)
    targets = [p.target for p in points]
    if any(v is not None for v in targets):
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": chart_text(t("indicator.target_series")),
                "x": x,
                "y": targets,
                "text": [
                    chart_text(formatting.reference(measure, v, with_label=False))
                    if v is not None
                    else ""
                    for v in targets
                ],
                "hovertemplate": "%{x}: %{text}<extra>"
                + chart_text(t("indicator.target_series"))
                + "</extra>",
                "line": {"color": TARGET_COLOUR, "width": 2, "dash": TARGET_DASH, "shape": "hv"},
                "connectgaps": False,
            }
        )
    # A benchmark is one value across the chart: a line from the first period to the last (the
    # value line, drawn first, puts every period on the axis in order).
    ends = [x[0], x[-1]] if len(x) > 1 else x
    for index, benchmark in enumerate(measure.benchmarks):
        label = formatting.benchmark_label(benchmark)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": _legend_name(label),
                "x": ends,
                "y": [benchmark.value] * len(ends),
                "hoverinfo": "skip",
                "line": {
                    "color": BENCHMARK_COLOUR,
                    "width": 2,
                    "dash": BENCHMARK_DASHES[index % len(BENCHMARK_DASHES)],
                },
            }
        )
    layout = _layout(measure, axis)
    breaks = [p for p in points if p.series_break]
    if breaks:
        layout["annotations"] = [
            {
                "x": p.period.label,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "text": chart_text(t("indicator.break_mark")),
                "showarrow": False,
                "font": {"color": TEXT},
            }
            for p in breaks
        ]
        layout["shapes"] = [
            {
                "type": "line",
                "x0": p.period.label,
                "x1": p.period.label,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": TEXT, "width": 1, "dash": "dot"},
            }
            for p in breaks
        ]
    return {"data": traces, "layout": layout}


def _runs(trace: dict[str, Any], points: list[Point]) -> list[dict[str, Any]]:
    """The value line cut where it must not be joined: at a break in the series, and at the
    start of each year of a cumulative measure. One trace per run, one legend entry."""
    starts = [0] + [i for i, p in enumerate(points) if i and p.starts_run]
    if len(starts) == 1:
        return [trace]
    ends = [*starts[1:], len(points)]
    runs = []
    for n, (a, b) in enumerate(zip(starts, ends, strict=True)):
        run = {**trace, "x": trace["x"][a:b], "y": trace["y"][a:b], "text": trace["text"][a:b]}
        run["legendgroup"] = "value"
        if n:
            run["showlegend"] = False
        runs.append(run)
    return runs


def _legend_name(text: str) -> str:
    """Plain legend text broken into lines of at most LEGEND_LINE characters where it can be."""
    lines: list[str] = []
    for word in chart_text(text).split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= LEGEND_LINE:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _layout(measure: Measure, axis: Axis) -> dict[str, Any]:
    """Plotly's layout for a measure's chart: the value axis in the measure's unit (its %, or
    currency sign and scale, on the ticks) over the range the axis rule gives (axes.py, the same
    as the printed chart's), periods as categories, the key above the plot, and no zooming or
    panning, so that a swipe over the chart scrolls the page on a phone."""
    yaxis: dict[str, Any] = {
        "title": {"text": chart_text(_first_upper(formatting.unit_words(measure)))},
        "automargin": True,
        "fixedrange": True,
        "autorange": False,
        "range": [axis.low, axis.high],
        "tickmode": "linear",
        "tick0": axis.low,
        "dtick": axis.step,
        "gridcolor": GRID,
        "zerolinecolor": GRID,
        "tickformat": f",.{axis.decimals}f",
    }
    if measure.unit == "percent":
        yaxis["ticksuffix"] = "%"
    elif measure.unit == "currency":
        yaxis["tickprefix"] = formatting.CURRENCY_SYMBOLS.get(measure.currency, "")
        yaxis["ticksuffix"] = formatting.SCALE_SUFFIX.get(measure.scale or "", "")
    return {
        "height": 360,
        "margin": {"l": 16, "r": 16, "t": 16, "b": 16},
        "paper_bgcolor": BACKGROUND,
        "plot_bgcolor": BACKGROUND,
        "font": {
            "family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
            "size": 14,
            "color": TEXT,
        },
        "xaxis": {
            "type": "category",
            "automargin": True,
            "fixedrange": True,
            # At most this many labels, turned only as far as they need to be to fit: a fixed
            # angle overlaps them on a phone.
            "nticks": 8,
            "gridcolor": GRID,
        },
        "yaxis": yaxis,
        # The key sits above the plot, where it is read first and cannot collide with the
        # period labels, however far they have to turn.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        # No zooming or panning: a drag or swipe over the chart scrolls the page, as on a phone
        # a reader expects, instead of being captured by the chart.
        "dragmode": False,
        "hovermode": "closest",
        "showlegend": True,
        "transition": {"duration": 0},
    }


def chart_json(spec: dict[str, Any]) -> Markup:
    """JSON safe to place inside a <script type="application/json"> element.

    A script element's text is not HTML-decoded, so it must not be HTML-escaped either; instead
    every character that could end the element or start markup is written as a JSON escape.
    """
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _first_upper(text: str) -> str:
    """'£ million' stays, 'percent' -> 'Percent', 'GBP million' stays (not 'Gbp million')."""
    return text[:1].upper() + text[1:]
