"""Trend charts: a Vega-Lite spec (built with altair) rendered to inline, accessible SVG.

Result is a solid line with points, target a dotted line, floor a dashed line, so the series
differ by shape as well as colour. The SVG carries role="img", a <title> and a <desc>.
"""

from __future__ import annotations

import re
import textwrap

import altair as alt
import polars as pl
import vl_convert
from markupsafe import Markup, escape

from boardpack.catalogue.models import Indicator

from .trend import column_label
from .words import UNIT_WORDS

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'
SERIES = {  # column -> (name, colour, dash)
    "value": ("Result", "#1d70b8", [1, 0]),
    "target": ("Target", "#0b0c0c", [2, 3]),
    "floor": ("Floor", "#d4351c", [8, 4]),
}
WIDTH, HEIGHT = 480, 220


def chart_points(window: pl.DataFrame, frequency: str | None) -> tuple[list[str], list[dict]]:
    """The x-axis labels in order, and one point per period and series that has a figure."""
    labels, points = [], []
    for row in window.to_dicts():
        label = column_label(row, frequency)
        labels.append(label)
        for column, (name, _, _) in SERIES.items():
            if row.get(column) is not None:
                points.append({"period": label, "series": name, "value": row[column]})
    return labels, points


def chart_spec(
    labels: list[str],
    points: list[dict],
    title: str,
    description: str,
    unit: str,
    y_from_zero: bool = True,
) -> dict:
    """The Vega-Lite spec of a trend chart, as a plain dict."""
    names = [name for name, _, _ in SERIES.values() if any(p["series"] == name for p in points)]
    styles = {name: (colour, dash) for name, colour, dash in SERIES.values()}
    legend = alt.Legend(
        title=None, orient="bottom", symbolType="stroke", symbolStrokeWidth=2, symbolSize=400
    )
    angle = 0 if len(labels) <= 12 else -45  # monthly series: slanted labels that do not overlap
    x = alt.X(
        "period:O",
        sort=labels,
        scale=alt.Scale(domain=labels),
        title=None,
        axis=alt.Axis(labelAngle=angle, labelOverlap="greedy"),
    )
    y = alt.Y("value:Q", scale=alt.Scale(zero=y_from_zero), title=UNIT_WORDS.get(unit, unit))
    data = alt.Data(values=points)
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "series:N",
                legend=legend,
                scale=alt.Scale(domain=names, range=[styles[n][0] for n in names]),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                legend=legend,
                scale=alt.Scale(domain=names, range=[styles[n][1] for n in names]),
            ),
        )
    )
    dots = (
        alt.Chart(data)
        .transform_filter("datum.series == 'Result'")
        .mark_point(filled=True, size=60, opacity=1, color=SERIES["value"][1])
        .encode(x=x, y=y)
    )
    chart = alt.layer(lines, dots).properties(
        width=WIDTH,
        height=HEIGHT,
        description=description,
        title=alt.TitleParams(textwrap.wrap(title, 70), anchor="start"),
    )
    chart = chart.configure(font=FONT, aria=False).configure_view(stroke=None)
    return chart.to_dict(validate=False)


def describe(labels: list[str], window: pl.DataFrame, frequency: str | None = None) -> str:
    """One or two sentences saying what the chart shows and the latest figures."""
    if not labels:
        return "No figures to chart."
    text = f"Line chart of the result against target from {labels[0]} to {labels[-1]}."
    latest = window.filter(pl.col("value").is_not_null()).tail(1).to_dicts()
    if latest:
        row = latest[0]
        target = f" against a target of {row['target_text']}" if row.get("target_text") else ""
        shown = row.get("value_text") or row["value"]
        text += f" The latest result, for {column_label(row, frequency)}, is {shown}{target}."
    return text + " The figures are in the trend table."


def accessible_svg(svg: str, chart_id: str, title: str, description: str) -> str:
    """Mark the SVG as one image with a title and description a screen reader announces."""
    head = (
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'focusable="false" id="{chart_id}" '
    )
    svg = re.sub(r"^<svg ", head, svg.strip(), count=1)
    labels = (
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    return re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + labels, svg, count=1)


def indicator_chart_svg(
    history_rows: pl.DataFrame, indicator: Indicator, chart_id: str | None = None
) -> Markup:
    """The trend chart of one indicator as inline SVG, from its rows in period order."""
    labels, points = chart_points(history_rows, indicator.frequency)
    title = f"{indicator.title}: trend"
    description = describe(labels, history_rows, indicator.frequency)
    spec = chart_spec(
        labels, points, title, description, indicator.unit, indicator.chart.y_from_zero
    )
    svg = vl_convert.vegalite_to_svg(spec)
    chart_id = chart_id or "chart-" + re.sub(r"[^a-z0-9]+", "-", indicator.ref.lower()).strip("-")
    return Markup(accessible_svg(svg, chart_id, title, description))
