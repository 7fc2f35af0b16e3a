"""The KPI appendix: each KPI with its chart, technical notes, tags and commentary.

Indicators that share a `kpi` tag are one KPI, charted together, a line each (activity
measures such as new assessments and assessments waiting, with no target); others are a KPI
of their own, charted with their target (dotted) and floor (dashed).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .charts import (
    FONT,
    HEIGHT,
    WIDTH,
    Chart,
    altair,
    finish_spec,
    plotted_values,
    style_scale,
    value_axis,
    y_scale,
)
from .inputs import PackInput
from .layouts import Group, catalogue_order
from .trend import column_label
from .views import IndicatorView
from .words import NUMBER_WORDS, UNIT_WORDS

KPI_TAG = "kpi"
SERIES_STYLES = (  # colour, dash, point shape: each line differs by more than colour
    ("#1d70b8", [1, 0], "circle"),
    ("#a35200", [6, 3], "square"),
    ("#4c2c92", [2, 2], "triangle-up"),
    ("#00703c", [8, 3, 2, 3], "diamond"),
)
PERIOD_WORDS = {"monthly": "month", "quarterly": "quarter", "annual": "year"}
MEASUREMENT_NOTES = {
    "rolling_12_months": "Figures are a rolling 12 months to the end of each period.",
    "year_to_date": "Figures are for the financial year to date.",
}


@dataclass
class Kpi:
    """One KPI of the appendix: its reference, its indicators' views and its chart."""

    ref: str
    views: list[IndicatorView]
    chart: Chart

    @property
    def title(self) -> str:
        return " and ".join(dict.fromkeys(view.title for view in self.views))

    @property
    def activity(self) -> bool:
        """An activity measure: no better direction, so no target or rating to read."""
        return all(view.indicator.polarity == "none" for view in self.views)

    @property
    def several(self) -> bool:
        return len(self.views) > 1

    @property
    def slug(self) -> str:
        return "kpi-" + self.views[0].slug

    @property
    def notes(self) -> list[str]:
        return technical_notes(self.views)

    @property
    def tags(self) -> list[str]:
        return kpi_tags(self.views)


def kpi_of(pack: PackInput, ref: str) -> str:
    """The KPI an indicator belongs to: its `kpi` tag, or its own reference."""
    return str(pack.project.indicator(ref).tags.get(KPI_TAG) or ref)


def by_kpi(pack: PackInput) -> list[Group]:
    """One group per KPI, in catalogue order of its first indicator."""
    groups: dict[str, list[str]] = {}
    for ref in catalogue_order(pack):
        groups.setdefault(kpi_of(pack, ref), []).append(ref)
    return [Group(kpi, tuple(refs)) for kpi, refs in groups.items()]


def arrears(lag: int, frequency: str) -> str | None:
    """ "This measure runs a quarter in arrears." from the lag in periods."""
    if not lag:
        return None
    period = PERIOD_WORDS.get(frequency, "period")
    count = "a" if lag == 1 else (NUMBER_WORDS[lag] if lag < len(NUMBER_WORDS) else str(lag))
    return f"This measure runs {count} {period}{'' if lag == 1 else 's'} in arrears."


def target_notes(view: IndicatorView) -> list[str]:
    """Target (dotted line) and floor, or that an activity measure has no target."""
    row, ind = view.row, view.indicator
    if not row.get("target_text"):
        return (
            ["Activity measure, no specified target."]
            if ind.polarity == "none"
            else ["No target is set."]
        )
    notes = [f"Target set at {row['target_text']} (dotted line)."]
    if row.get("floor_text"):
        side = "upper" if ind.polarity == "lower_better" else "floor"
        notes.append(f"The {side} threshold is {row['floor_text']} (dashed line).")
    return notes


def technical_notes(views: list[IndicatorView]) -> list[str]:
    """What a reader needs to read the chart, as Kent's appendix words it."""
    first = views[0].indicator
    notes = [] if len(views) > 1 else target_notes(views[0])
    if len(views) > 1:
        notes.append(
            "Activity measure, no specified target."
            if all(v.indicator.polarity == "none" for v in views)
            else "Each line is a measure of its own."
        )
    unit = UNIT_WORDS.get(first.unit, first.unit)
    if first.unit not in ("percent", "number"):
        notes.append(f"{unit}.")
    notes += [
        n
        for n in (
            arrears(first.lag_periods, first.frequency),
            MEASUREMENT_NOTES.get(first.measurement),
        )
        if n
    ]
    if any(not v.indicator.chart.y_from_zero for v in views):
        notes.append("Please note the axis does not start at 0.")
    noise = views[0].row.get("change_within_noise")
    if len(views) == 1 and noise is not None:
        notes.append(f"The direction of travel is {'not ' if noise else ''}significant.")
    return notes


def kpi_tags(views: list[IndicatorView]) -> list[str]:
    """Better Care Fund measure, corporate risk reference: what the KPI is tied to."""
    tags: list[str] = []
    for view in views:
        found = view.indicator.tags
        if found.get("better_care_fund") in (True, "true", "yes", "Yes"):
            tags.append("Better Care Fund measure")
        if found.get("corporate_risk"):
            tags.append(f"Corporate Risk Register: {found['corporate_risk']}")
    return list(dict.fromkeys(tags))


def series_chart(kpi: str, views: list[IndicatorView], history: pl.DataFrame) -> Chart:
    """One line per indicator of a KPI, each with its own colour, dash and point shape."""
    points, labels = [], []
    for view in views:
        rows = history.filter((pl.col("indicator") == view.ref) & pl.col("value").is_not_null())
        for row in rows.sort("period_end").to_dicts():
            label = column_label(row, view.indicator.frequency)
            labels.append((row["period_end"], label))
            points.append({"period": label, "series": view.title, "value": row["value"]})
    order = [label for _, label in sorted(dict.fromkeys(labels))]
    names = [view.title for view in views]
    title = f"{kpi}: {' and '.join(names)}"
    description = series_description(names, order, views)
    zero = all(view.indicator.chart.y_from_zero for view in views)
    domain, note = value_axis(plotted_values(points, "value"), zero)
    description += f" {note}" if note else ""
    spec = finish_spec(
        series_skeleton(order, names, views[0].indicator.unit, zero, domain),
        title,
        description,
        {"points": points},
        note,
    )
    return Chart(f"chart-kpi-{views[0].slug}", title, description, spec)


def series_description(names: list[str], order: list[str], views: list[IndicatorView]) -> str:
    if not order:
        return "No figures to chart."
    latest = "; ".join(f"{v.title}: {v.row.get('value_text') or 'not available'}" for v in views)
    return (
        f"Line chart of {len(names)} measures from {order[0]} to {order[-1]}, a line each, "
        f"with no target. The latest figures are {latest}. The table that follows gives them."
    )


def series_skeleton(
    order: list[str],
    names: list[str],
    unit: str,
    y_from_zero: bool,
    domain: tuple[float, float] | None = None,
) -> dict:
    """Several measures' lines on one chart. One legend, a row per measure under the chart
    (a stroke in the line's colour and dash, then the measure's whole name), so long names
    never run into each other; the points' shapes repeat the lines' difference unlabelled."""
    alt = altair()

    styles = [SERIES_STYLES[i % len(SERIES_STYLES)] for i in range(len(names))]
    legend = alt.Legend(
        title=None,
        orient="bottom",
        direction="vertical",
        columns=1,
        symbolType="stroke",
        symbolStrokeWidth=2,
        symbolSize=400,
        labelLimit=WIDTH,
    )
    data = alt.Data(name="points")
    x = alt.X(
        "period:O",
        scale=alt.Scale(domain=order),
        title=None,
        axis=alt.Axis(labelAngle=0 if len(order) <= 12 else -45),
    )
    y = alt.Y("value:Q", scale=y_scale(y_from_zero, domain), title=UNIT_WORDS.get(unit, unit))
    by_name = dict(zip(names, styles, strict=True))
    colour = alt.Color("series:N", legend=legend, scale=style_scale(names, by_name, 0))
    dash = alt.StrokeDash("series:N", legend=legend, scale=style_scale(names, by_name, 1))
    # The points' fill and shape read their own copy of the series names ("point: ..."), so the
    # legend of the lines' colour and dash does not draw the points' shapes over its strokes.
    markers = {f"point: {name}": style for name, style in by_name.items()}
    shape = alt.Shape("marker:N", legend=None, scale=style_scale(list(markers), markers, 2))
    fill = alt.Fill("marker:N", legend=None, scale=style_scale(list(markers), markers, 0))
    lines = alt.Chart(data).mark_line(strokeWidth=2).encode(y=y, color=colour, strokeDash=dash)
    dots = (
        alt.Chart(data)
        .transform_calculate(marker="'point: ' + datum.series")
        .mark_point(filled=True, size=50, opacity=1)
        .encode(y=y, fill=fill, shape=shape)
    )
    chart = alt.layer(lines, dots).encode(x=x).properties(width=WIDTH, height=HEIGHT)
    return (
        chart.configure(font=FONT, aria=False).configure_view(stroke=None).to_dict(validate=False)
    )


def kpi_context(pack: PackInput, views: dict[str, IndicatorView]) -> dict:
    """The appendix's KPIs, and the charts of those with several series (to be rendered)."""
    kpis = []
    for group in by_kpi(pack):
        members = [views[ref] for ref in group.refs]
        chart = (
            series_chart(group.heading, members, pack.history)
            if len(members) > 1
            else members[0].chart
        )
        kpis.append(Kpi(group.heading, members, chart))
    extra = [kpi.chart for kpi in kpis if kpi.several]
    return {"kpis": kpis, "charts": extra}
