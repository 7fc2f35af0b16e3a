"""The trend and SPC charts' specs are built as plain dicts; they are the specs altair built
(so every chart's key and SVG stay what they were). Altair builds the reference here."""

from __future__ import annotations

import itertools

import altair as alt
import pytest

from boardpack.pack.charts import (
    BAND,
    FONT,
    HEIGHT,
    INTERVAL,
    RANGES,
    SERIES,
    STYLES,
    VEGA_LITE_SCHEMA,
    WIDTH,
    axis_labels,
    style_scale,
    trend_skeleton,
    y_scale,
)
from boardpack.pack.spc_chart import LINE_STYLES, POINT_STYLES, VALUE_LINE, spc_skeleton
from boardpack.pack.words import UNIT_WORDS


def altair_trend(labels, names, unit, y_from_zero, domain):
    legend = alt.Legend(
        title=None, orient="bottom", symbolType="stroke", symbolStrokeWidth=2, symbolSize=400
    )
    angle = 0 if len(labels) <= 12 else -45
    x = alt.X(
        "period:O",
        scale=alt.Scale(domain=labels),
        title=None,
        axis=alt.Axis(labelAngle=angle, labelOverlap="greedy", **drawn_labels(axis_labels(labels))),
    )
    title = UNIT_WORDS.get(unit, unit)
    y = alt.Y("value:Q", scale=y_scale(y_from_zero, domain), title=title)
    data = alt.Data(name="points")
    ranges = " && ".join(f"datum.series != '{name}'" for name in sorted(RANGES))
    lines = (
        alt.Chart(data)
        .transform_filter(ranges)
        .mark_line(strokeWidth=2)
        .encode(
            y=y,
            color=alt.Color("series:N", legend=legend, scale=style_scale(names, STYLES, 0)),
            strokeDash=alt.StrokeDash(
                "series:N", legend=legend, scale=style_scale(names, STYLES, 1)
            ),
        )
    )
    dots = (
        alt.Chart(data)
        .transform_filter("datum.series == 'Result'")
        .mark_point(filled=True, size=60, opacity=1, color=SERIES["value"][1])
        .encode(y=y)
    )
    layers = [lines, dots]
    if INTERVAL[0] in names:
        layers.insert(
            0,
            alt.Chart(data)
            .transform_filter(f"datum.series == '{INTERVAL[0]}'")
            .mark_errorbar(ticks=alt.TickConfig(width=8), thickness=1.5)
            .encode(
                y=alt.Y("lower:Q", title=title), y2=alt.Y2("upper:Q"), color=alt.Color("series:N")
            ),
        )
    if BAND[0] in names:
        layers.insert(
            0,
            alt.Chart(data)
            .transform_filter(f"datum.series == '{BAND[0]}'")
            .mark_area(color=BAND[1], opacity=0.15)
            .encode(y=alt.Y("lower:Q", title=title), y2=alt.Y2("upper:Q")),
        )
    chart = alt.layer(*layers).encode(x=x).properties(width=WIDTH, height=HEIGHT)
    return (
        chart.configure(font=FONT, aria=False)
        .configure_view(stroke=None)
        .configure_legend(labelLimit=0)
        .to_dict(validate=False)
    )


def drawn_labels(shown):
    """The axis's `values` where only some labels are drawn."""
    return {} if shown is None else {"values": list(shown)}


def altair_spc(kinds, drawn, slanted, unit, domain, shown=None):
    x = alt.X(
        "period:O",
        sort=None,
        title=None,
        axis=alt.Axis(
            labelAngle=-45 if slanted else 0, labelOverlap="greedy", **drawn_labels(shown)
        ),
    )
    title = UNIT_WORDS.get(unit, unit)
    y = alt.Y("y:Q", scale=y_scale(False, domain), title=title)
    line_legend = alt.Legend(
        title="Lines", orient="bottom", symbolType="stroke", symbolStrokeWidth=2, symbolSize=400
    )
    point_legend = alt.Legend(title="Points", orient="bottom", symbolSize=80)
    limits = (
        alt.Chart(alt.Data(name="lines"))
        .mark_line(interpolate="step-after")
        .encode(
            y=y,
            detail="part:N",
            stroke=alt.Stroke(
                "line:N", legend=line_legend, scale=style_scale(drawn, LINE_STYLES, 0)
            ),
            strokeDash=alt.StrokeDash(
                "line:N", legend=line_legend, scale=style_scale(drawn, LINE_STYLES, 1)
            ),
            strokeWidth=alt.StrokeWidth(
                "line:N", legend=None, scale=style_scale(drawn, LINE_STYLES, 2)
            ),
        )
    )
    values_y = alt.Y("value:Q", title=title)
    values = (
        alt.Chart(alt.Data(name="points"))
        .mark_line(color=VALUE_LINE, strokeWidth=1.5)
        .encode(y=values_y)
    )
    names, colours, shapes = ([k[i] for k in kinds] for i in range(3))
    marks = (
        alt.Chart(alt.Data(name="points"))
        .mark_point(filled=True, size=60, opacity=1)
        .encode(
            y=values_y,
            fill=alt.Fill(
                "type:N", legend=point_legend, scale=alt.Scale(domain=names, range=colours)
            ),
            shape=alt.Shape(
                "type:N", legend=point_legend, scale=alt.Scale(domain=names, range=shapes)
            ),
        )
    )
    chart = (
        alt.layer(limits, values, marks)
        .encode(x=x)
        .properties(width=WIDTH, height=HEIGHT)
        .configure(font=FONT, aria=False)
        .configure_view(stroke=None)
        .configure_legend(direction="vertical", labelLimit=0)
    )
    return chart.to_dict(validate=False)


def test_the_schema_is_altairs():
    assert VEGA_LITE_SCHEMA == alt.SCHEMA_URL


SERIES_SETS = [
    ("Result",),
    ("Result", "Target"),
    ("Result", "Target", "Floor"),
    ("Result", "Target", "Upper threshold", INTERVAL[0]),
    ("Result", "Target", BAND[0]),
    tuple(STYLES),
]


@pytest.mark.parametrize(
    ("names", "months", "unit", "from_zero", "domain"),
    [
        (names, months, unit, from_zero, domain)
        for names, (months, unit, from_zero, domain) in itertools.product(
            SERIES_SETS,
            [
                (4, "percent", True, None),
                (13, "count", False, (10.0, 25.0)),
                (60, "pounds", False, None),
                (8, "a unit of its own", False, (-2.5, 7.5)),
            ],
        )
    ],
)
def test_trend_skeleton_is_altairs(names, months, unit, from_zero, domain):
    labels = tuple(f"Period {n}" for n in range(months))
    assert trend_skeleton(labels, names, unit, from_zero, domain) == altair_trend(
        labels, names, unit, from_zero, domain
    )


KINDS = list(POINT_STYLES.values())


@pytest.mark.parametrize(
    ("kinds", "drawn", "slanted", "unit", "domain", "shown"),
    [
        (tuple(KINDS[:1]), ("Mean",), False, "percent", None, None),
        (tuple(KINDS[:3]), tuple(LINE_STYLES), True, "count", (80.0, 95.0), None),
        (tuple(KINDS), tuple(LINE_STYLES), True, "pounds", (-10.0, 10.0), ("Mar 25", "Mar 26")),
        (tuple(KINDS[3:]), ("Mean", "Process limits"), False, "rate per 1,000", None, None),
    ],
)
def test_spc_skeleton_is_altairs(kinds, drawn, slanted, unit, domain, shown):
    assert spc_skeleton(kinds, drawn, slanted, unit, domain, shown) == altair_spc(
        kinds, drawn, slanted, unit, domain, shown
    )
