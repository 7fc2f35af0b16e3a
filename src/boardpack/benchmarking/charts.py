"""Benchmark charts: a council against every council on every measure, and its rank over time.

The position chart is a spine chart, as public health profiles draw them: one bar per measure,
worst council on the left and best on the right, the middle half of councils shaded darker,
the median at the centre, the comparator value as a line and the council as a marker whose
shape and colour say its quartile. Each half of a bar is scaled on its own (worst to median,
median to best), so measures on any scale share one axis and a skewed spread shows as an
off-centre shaded band.
"""

from __future__ import annotations

import polars as pl

from boardpack.pack.charts import FONT, altair, style_scale

alt = altair()

QUARTILE_STYLE = {  # quartile -> (colour, shape)
    "Best quartile": ("#1d70b8", "circle"),
    "Second quartile": ("#5694ca", "square"),
    "Third quartile": ("#f47738", "diamond"),
    "Worst quartile": ("#d4351c", "triangle-down"),
}
SPINE_WIDTH, ROW_HEIGHT = 420, 22


def _oriented(column: str) -> pl.Expr:
    """The column with its sign flipped for lower-is-better measures, so larger is better."""
    sign = pl.when(pl.col("polarity") == "lower_better").then(-1.0).otherwise(1.0)
    return pl.col(column) * sign


def _position(column: str) -> pl.Expr:
    """Where a value sits on the spine: 0 worst council, 0.5 median, 1 best council."""
    value, median = _oriented(column), _oriented("median")
    best = pl.max_horizontal(_oriented("lowest"), _oriented("highest"))
    worst = pl.min_horizontal(_oriented("lowest"), _oriented("highest"))
    above = 0.5 + 0.5 * (value - median) / (best - median)
    below = 0.5 - 0.5 * (median - value) / (median - worst)
    placed = pl.when(value >= median).then(above).otherwise(below)
    return pl.when(value == median).then(0.5).otherwise(placed).fill_nan(0.5)


def spine_rows(position: pl.DataFrame) -> pl.DataFrame:
    """Spine positions for rows with `label, polarity, value, lowest, q1, median, q3, highest,
    group_value, quartile`; measures without a polarity are left out (no better end)."""
    rated = position.filter(pl.col("polarity") != "none", pl.col("median").is_not_null())
    return rated.with_columns(
        council=_position("value"),
        band_a=_position("q1"),
        band_b=_position("q3"),
        comparator=_position("group_value"),
    ).with_columns(
        band_from=pl.min_horizontal("band_a", "band_b"),
        band_to=pl.max_horizontal("band_a", "band_b"),
    )


def spine_spec(rows: pl.DataFrame, council: str, comparator: str, title: str) -> dict:
    """The Vega-Lite spec of a spine chart from `spine_rows` output."""
    data = alt.Data(
        values=rows.select(
            "label", "council", "band_from", "band_to", "comparator", "quartile", "value_text"
        ).to_dicts()
    )
    order = rows["label"].to_list()
    # Browsers draw the labels in their own font, a little wider than the one Vega measured
    # with: labels are kept short and the chart keeps a margin on the left for the difference.
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=240))
    x_axis = alt.Axis(values=[0, 0.5, 1], labelExpr=_axis_labels(), title=None)
    x = alt.X("from:Q", scale=alt.Scale(domain=[0, 1]), axis=x_axis)
    base = alt.Chart(data)
    spread = (
        base.transform_calculate(**{"from": "0", "to": "1"})
        .mark_bar(color="#dee0e2", height=12)
        .encode(x=x, x2="to:Q", y=y)
    )
    middle = base.mark_bar(color="#b1b4b6", height=12).encode(
        x=alt.X("band_from:Q", scale=alt.Scale(domain=[0, 1]), axis=x_axis), x2="band_to:Q", y=y
    )
    median = (
        base.transform_calculate(centre="0.5")
        .mark_tick(color="#505a5f", thickness=1, size=14)
        .encode(x="centre:Q", y=y)
    )
    group = base.mark_tick(color="#0b0c0c", thickness=2, size=16).encode(
        x="comparator:Q", y=y, tooltip=alt.value(comparator)
    )
    names = [q for q in QUARTILE_STYLE if q in set(rows["quartile"].drop_nulls().to_list())]
    legend = alt.Legend(title=f"{council}:", orient="bottom")
    marker = base.mark_point(filled=True, size=90, opacity=1).encode(
        x="council:Q",
        y=y,
        color=alt.Color(
            "quartile:N",
            legend=legend,
            scale=style_scale(names, QUARTILE_STYLE, 0),
        ),
        shape=alt.Shape(
            "quartile:N",
            legend=legend,
            scale=style_scale(names, QUARTILE_STYLE, 1),
        ),
    )
    chart = alt.layer(spread, middle, median, group, marker).properties(
        padding={"left": 60, "top": 5, "right": 5, "bottom": 5},
        width=SPINE_WIDTH,
        height=alt.Step(ROW_HEIGHT),
        title=alt.TitleParams(title, anchor="start"),
    )
    chart = chart.configure(font=FONT, aria=False).configure_view(stroke=None)
    return chart.to_dict(validate=False)


def _axis_labels() -> str:
    return "datum.value == 0 ? 'Worst' : datum.value == 1 ? 'Best' : 'Median'"


def rank_spec(ranks: pl.DataFrame, n_ranked: int, title: str) -> dict:
    """Small multiples of rank over time (1 at the top, every panel on the same 1 to
    `n_ranked` scale), one panel per measure in the order given, from rows with
    `label, period, rank`."""
    data = alt.Data(values=ranks.select("label", "period", "rank").to_dicts())
    periods = sorted(set(ranks["period"].to_list()))
    order = list(dict.fromkeys(ranks["label"].to_list()))
    line = (
        alt.Chart()
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=30), color="#1d70b8")
        .encode(
            x=alt.X("period:O", sort=periods, title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y(
                "rank:Q",
                scale=alt.Scale(domain=[1, n_ranked], reverse=True, nice=False),
                title="Rank",
            ),
        )
        .properties(width=150, height=90)
    )
    chart = alt.FacetChart(
        data=data,
        spec=line,
        facet=alt.Facet("label:N", sort=order, title=None, header=alt.Header(labelLimit=170)),
        columns=3,
        title=alt.TitleParams(title, anchor="start"),
    )
    chart = chart.configure(font=FONT, aria=False).configure_view(stroke=None)
    return chart.to_dict(validate=False)
