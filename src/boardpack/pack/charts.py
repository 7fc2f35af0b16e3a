"""Trend charts: a Vega-Lite spec (built with altair) rendered to inline, accessible SVG.

Result is a solid line with points, target a dotted line, floor a dashed line (named "Upper
threshold" where lower is better, as it lies above the target), so the series differ by shape
as well as colour; a 95% confidence interval, where the indicator has a numerator and
denominator, is a vertical bar through each result; an in-band indicator's band around its
target is shaded. A chart whose value axis does not start at 0 says so under its title. The
SVG carries role="img", a <title> and a <desc>.

Building a chart gives a `Chart` (its spec and words); `render_charts` renders many at once
(`render.py`) and fills in their SVG.
"""

from __future__ import annotations

import copy
import functools
import math
import re
import textwrap
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl
from markupsafe import Markup, escape

from boardpack.catalogue.models import Indicator

from .chart_store import spec_key
from .render import Batch, SvgRenderer, render_svg
from .trend import column_label
from .unmeasured import TITLE_PIXELS_PER_CHARACTER
from .words import UNIT_WORDS

if TYPE_CHECKING:
    import altair as alt

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'
SERIES = {  # column -> (name, colour, dash)
    "value": ("Result", "#1d70b8", [1, 0]),
    "target": ("Target", "#0b0c0c", [2, 3]),
    "floor": ("Floor", "#d4351c", [8, 4]),
}
# The floor's name by polarity: where lower is better it lies above the target.
FLOOR_NAMES = {"lower_better": "Upper threshold"}
UPPER_THRESHOLD = (FLOOR_NAMES["lower_better"], SERIES["floor"][1], SERIES["floor"][2])
INTERVAL = ("95% confidence interval", "#5f6f7a", [1, 0])
BAND = ("Band rated Green", "#00703c", [1, 0])  # an in-band indicator's Green band, shaded
STYLES = {
    name: (colour, dash)
    for name, colour, dash in [*SERIES.values(), UPPER_THRESHOLD, INTERVAL, BAND]
}
RANGES = {INTERVAL[0], BAND[0]}  # series drawn from `lower` to `upper`, not as lines
WIDTH, HEIGHT = 640, 240
TITLE_CHARACTERS = int(WIDTH / TITLE_PIXELS_PER_CHARACTER)
AXIS_NOTE = "The value axis does not start at 0."
DATA = "points"  # the name of the spec's data set: values sit once in `datasets`, not per layer
INNER_ARIA = r'\s(?:role|aria-roledescription|aria-label)="[^"]*"'
#: The room (px along the x axis) a period's label needs: 18 slanted month labels fit the
#: chart's width (35.6 px each), 24 do not.
LABEL_ROOM = 35
#: How many periods apart the labels of a long x axis are: a step a reader can count in
#: (months: every 2nd, a quarter, half a year, a year, two years...).
LABEL_STEPS = (1, 2, 3, 6, 12, 24, 36, 60, 120)
#: The Vega-Lite schema the specs name (as altair's `SCHEMA_URL` names it; part of every key).
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
#: A legend of line styles (colour and dash).
LINE_LEGEND = {
    "orient": "bottom",
    "symbolSize": 400,
    "symbolStrokeWidth": 2,
    "symbolType": "stroke",
}


@dataclass
class Chart:
    """A chart to render: its spec, and the id, title and description its SVG carries."""

    chart_id: str
    title: str
    description: str
    spec: dict
    svg: Markup | None = None
    #: The key of its spec in the chart store (`spec_key`), once worked out.
    key: str | None = None

    def fill(self, svg: str) -> None:
        """Take the rendered SVG, marked up as one accessible image."""
        self.svg = Markup(accessible_svg(svg, self.chart_id, self.title, self.description))

    def __html__(self) -> str:
        if self.svg is None:
            raise RuntimeError(f"the chart {self.chart_id} was shown before it was rendered")
        return str(self.svg)


@functools.cache
def altair():
    """The altair module, imported when a chart is first built with it (the trend and SPC
    charts are plain dicts; altair takes about a second to import). Its specs are turned into
    dicts unvalidated (`to_dict(validate=False)`), so its debug mode, which would still
    validate every object as it is made (a fifth of building them), is turned off."""
    import altair as alt

    alt.utils.schemapi.disable_debug_mode()
    return alt


def scale_of(names: list[str] | tuple[str, ...], styles: dict, index: int) -> dict:
    """A scale giving each series its own style: `styles[name][index]` (a colour, dash or
    shape), so series differ by more than colour."""
    return {"domain": list(names), "range": [styles[name][index] for name in names]}


def style_scale(names: list[str], styles: dict, index: int) -> alt.Scale:
    """`scale_of` as an altair scale."""
    alt = altair()

    return alt.Scale(**scale_of(names, styles, index))


def render_charts(charts: list[Chart], renderer: SvgRenderer | None = None) -> list[Chart]:
    """Render every chart in one batch (worker processes when there are many) and fill it in;
    the renderer knows each chart's SVG by the chart's id (for its PNG, if it makes them)."""
    with nullcontext(renderer) if renderer else SvgRenderer(0) as drawing:
        return start_charts(charts, drawing).fill()


@dataclass
class DrawingCharts:
    """Charts being drawn (`start_charts`); `fill` waits for them and fills them in."""

    charts: list[Chart]
    batch: Batch

    def fill(self) -> list[Chart]:
        for chart, svg in zip(self.charts, self.batch.svgs(), strict=True):
            if chart.svg is None:
                chart.fill(svg)
        return self.charts


def start_charts(charts: list[Chart], renderer: SvgRenderer) -> DrawingCharts:
    """Start drawing the charts in `renderer`'s workers and return at once (the caller builds
    more charts, or writes pages, meanwhile); each chart's store key is noted on it."""
    for chart in charts:
        if chart.key is None:
            chart.key = spec_key(chart.spec)
    specs = [chart.spec for chart in charts]
    keys = [chart.chart_id for chart in charts]
    ids = [chart.key for chart in charts]
    return DrawingCharts(list(charts), renderer.start(specs, keys, ids))


def finish_spec(
    skeleton: dict, title: str, description: str, datasets: dict, note: str | None = None
) -> dict:
    """A chart's spec from its shape (`skeleton`), with its title (wrapped to the chart's
    width), a `note` under it where there is one, its description and figures; the figures sit
    once under `datasets`, named by the layers."""
    spec = plain_copy(skeleton)
    spec["title"] = {"text": title_lines(title), "anchor": "start"}
    if note:
        spec["title"] |= {"subtitle": note, "subtitleFontStyle": "italic"}
    spec["description"] = description
    spec["datasets"] = datasets
    return spec


def plain_copy(node: object) -> object:
    """A deep copy of JSON-like data (dicts, lists and plain values), several times quicker than
    `copy.deepcopy`, which is general; anything else is copied with `copy.deepcopy`."""
    if isinstance(node, dict):
        return {key: plain_copy(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain_copy(item) for item in node]
    if node is None or isinstance(node, str | int | float):
        return node
    return copy.deepcopy(node)


def title_lines(title: str) -> list[str]:
    """The title in lines that fit the chart's width."""
    return textwrap.wrap(title, TITLE_CHARACTERS) or [""]


def value_axis(
    values: list[float], from_zero: bool
) -> tuple[tuple[float, float] | None, str | None]:
    """The value axis's domain and the note a chart carries about it: from 0 (Vega's own
    domain, no note) when `from_zero`, else from the figures rounded out to a whole step, with
    `AXIS_NOTE` when that does not reach 0."""
    figures = [v for v in values if v is not None and math.isfinite(v)]
    if from_zero or not figures:
        return None, None
    low, high = min(figures), max(figures)
    step = nice_step((high - low) or abs(high) or 1.0)
    domain = (math.floor(low / step) * step, math.ceil(high / step) * step)
    if domain[0] == domain[1]:
        domain = (domain[0] - step, domain[1] + step)
    return domain, AXIS_NOTE if domain[0] > 0 or domain[1] < 0 else None


def nice_step(span: float) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about five ticks over `span`."""
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def value_scale(from_zero: bool, domain: tuple[float, float] | None) -> dict:
    """The value scale: from 0, or over `domain` exactly (already rounded out)."""
    if domain is None:
        return {"zero": from_zero}
    return {"domain": list(domain), "nice": False, "zero": False}


def y_scale(from_zero: bool, domain: tuple[float, float] | None) -> alt.Scale:
    """`value_scale` as an altair scale."""
    alt = altair()

    return alt.Scale(**value_scale(from_zero, domain))


def plotted_values(points: list[dict], *fields: str) -> list[float]:
    """Every figure the points put on the value axis."""
    return [p[f] for p in points for f in fields if p.get(f) is not None]


def has_interval(window: pl.DataFrame) -> bool:
    """Whether the rows carry a confidence interval: a numerator, a denominator and limits."""
    needed = ("numerator", "denominator", "ci_lower", "ci_upper")
    if not all(column in window.columns for column in needed):
        return False
    shown = window.get_column(needed[0]).is_not_null()  # eager Series: no query to plan
    for column in needed[1:]:
        shown &= window.get_column(column).is_not_null()
    return bool(shown.any())


def chart_points(
    window: pl.DataFrame,
    frequency: str | None,
    polarity: str | None = None,
    band: float | None = None,
) -> tuple[list[str], list[dict]]:
    """The x-axis labels in order, and one point per period and series that has a figure; with
    a numerator and denominator, an interval point (`lower`, `upper`) per result too; for an
    in-band indicator (`band`: the scheme's half-width), its band around each target."""
    labels, points = [], []
    interval = has_interval(window)
    names = {**{c: s[0] for c, s in SERIES.items()}, "floor": floor_name(polarity)}
    for row in window.to_dicts():
        label = column_label(row, frequency)
        labels.append(label)
        for column, name in names.items():
            if row.get(column) is not None:
                points.append({"period": label, "series": name, "value": row[column]})
        width = row.get("band") if row.get("band") is not None else band
        if polarity == "in_band" and width is not None and row.get("target") is not None:
            points.append(
                {
                    "period": label,
                    "series": BAND[0],
                    "lower": row["target"] - width,
                    "upper": row["target"] + width,
                }
            )
        if interval and row.get("ci_lower") is not None and row.get("value") is not None:
            points.append(
                {
                    "period": label,
                    "series": INTERVAL[0],
                    "lower": row["ci_lower"],
                    "upper": row["ci_upper"],
                }
            )
    return labels, points


def floor_name(polarity: str | None) -> str:
    """What the chart and trend table call the floor: "Upper threshold" where lower is better."""
    return FLOOR_NAMES.get(polarity, SERIES["floor"][0])


def chart_spec(
    labels: list[str],
    points: list[dict],
    title: str,
    description: str,
    unit: str,
    y_from_zero: bool = True,
) -> dict:
    """The Vega-Lite spec of a trend chart, as a plain dict."""
    names = tuple(name for name in STYLES if any(p["series"] == name for p in points))
    domain, note = value_axis(plotted_values(points, "value", "lower", "upper"), y_from_zero)
    skeleton = trend_skeleton(tuple(labels), names, unit, y_from_zero, domain)
    return finish_spec(skeleton, title, description, {DATA: points}, note)


@functools.lru_cache(maxsize=64)
def trend_skeleton(
    labels: tuple[str, ...],
    names: tuple[str, ...],
    unit: str,
    y_from_zero: bool,
    domain: tuple[float, float] | None = None,
) -> dict:
    """A trend chart's spec without its title, description and figures, as plain dicts (the
    spec altair once built, without altair's cost): made once for each set of periods, series
    and value axis, as a pack's charts share a few shapes. Callers copy it before changing it."""
    legend = {**LINE_LEGEND, "title": None}
    angle = 0 if len(labels) <= 12 else -45  # monthly series: slanted labels that do not overlap
    axis_title = UNIT_WORDS.get(unit, unit)
    y = quantitative("value", axis_title, value_scale(y_from_zero, domain))
    ranges = " && ".join(f"datum.series != '{name}'" for name in sorted(RANGES))
    lines = {
        "mark": {"type": "line", "strokeWidth": 2},
        "encoding": {
            "color": nominal("series", legend, scale_of(names, STYLES, 0)),
            "strokeDash": nominal("series", legend, scale_of(names, STYLES, 1)),
            "y": y,
        },
        "transform": [{"filter": ranges}],
    }
    dots = {
        "mark": {
            "type": "point",
            "color": SERIES["value"][1],
            "filled": True,
            "opacity": 1,
            "size": 60,
        },
        "encoding": {"y": y},
        "transform": [{"filter": "datum.series == 'Result'"}],
    }
    layers = [lines, dots]
    if INTERVAL[0] in names:
        layers.insert(0, interval_layer(axis_title))
    if BAND[0] in names:
        layers.insert(0, band_layer(axis_title))
    x = {
        "axis": x_axis(labels, angle),
        "field": "period",
        "scale": {"domain": list(labels)},
        "title": None,
        "type": "ordinal",
    }
    return {
        "config": base_config(),
        "layer": layers,
        "data": {"name": DATA},
        "encoding": {"x": x},
        "height": HEIGHT,
        "width": WIDTH,
        "$schema": VEGA_LITE_SCHEMA,
    }


def axis_labels(labels: tuple[str, ...]) -> list[str] | None:
    """The x-axis labels drawn on an axis of `labels` (periods in order) that has not room for
    them all: every `step`th counted back from the latest period (always labelled), the step
    the first of `LABEL_STEPS` that gives each label `LABEL_ROOM`; None when all of them fit.
    The renderer lays out (measures) every label it is given, also those it would hide as
    overlapping (Vega's `labelOverlap`): on a ten-year monthly axis, 120 labels of which 20
    were shown, unevenly; now one a year. The ticks are those of the labels drawn."""
    count = len(labels)
    if count * LABEL_ROOM <= WIDTH:
        return None
    step = next(
        (s for s in LABEL_STEPS if WIDTH * s >= count * LABEL_ROOM),
        -(-count * LABEL_ROOM // WIDTH),
    )
    return list(labels[::-1][::step][::-1])


def x_axis(labels: tuple[str, ...], angle: int) -> dict:
    """The x axis of a chart of `labels`: slanted by `angle`, overlapping labels hidden, and
    on a long axis only some labels drawn (`axis_labels`)."""
    axis: dict = {"labelAngle": angle, "labelOverlap": "greedy"}
    shown = axis_labels(labels)
    if shown is not None:
        axis["values"] = shown
    return axis


def base_config() -> dict:
    """The configuration every pack chart carries: legend labels (Boardpack's own names of
    series, lines and points) are never cut short, so vl-convert does not measure them again
    against Vega's default limit (a sixth of an SPC chart's drawing time)."""
    return {
        "view": {"continuousWidth": 300, "continuousHeight": 300, "stroke": None},
        "aria": False,
        "font": FONT,
        "legend": {"labelLimit": 0},
    }


def quantitative(field: str, title: str, scale: dict | None = None) -> dict:
    """A quantitative position channel on `field`."""
    channel = {"field": field, "title": title, "type": "quantitative"}
    return channel if scale is None else {**channel, "scale": scale}


def nominal(field: str, legend: dict | None, scale: dict) -> dict:
    """A nominal channel on `field` with its legend (None: no legend) and scale."""
    return {"field": field, "legend": legend, "scale": scale, "type": "nominal"}


def interval_layer(title: str) -> dict:
    """A vertical bar with end ticks from each result's lower to its upper 95% limit."""
    return {
        "mark": {"type": "errorbar", "thickness": 1.5, "ticks": {"width": 8}},
        "encoding": {
            "color": {"field": "series", "type": "nominal"},
            "y": quantitative("lower", title),
            "y2": {"field": "upper"},
        },
        "transform": [{"filter": f"datum.series == '{INTERVAL[0]}'"}],
    }


def band_layer(title: str) -> dict:
    """An in-band indicator's Green band around its target, lightly shaded (the legend's entry
    comes from the lines' scale)."""
    return {
        "mark": {"type": "area", "color": BAND[1], "opacity": 0.15},
        "encoding": {"y": quantitative("lower", title), "y2": {"field": "upper"}},
        "transform": [{"filter": f"datum.series == '{BAND[0]}'"}],
    }


def describe(labels: list[str], window: pl.DataFrame, frequency: str | None = None) -> str:
    """One or two sentences saying what the chart shows and the latest figures."""
    if not labels:
        return "No figures to chart."
    interval = " with its 95% confidence interval" if has_interval(window) else ""
    text = f"Line chart of the result{interval} against target from {labels[0]} to {labels[-1]}."
    latest = window.filter(pl.col("value").is_not_null()).tail(1).to_dicts()
    if latest:
        row = latest[0]
        target = f" against a target of {row['target_text']}" if row.get("target_text") else ""
        shown = row.get("value_text") or row["value"]
        text += f" The latest result, for {column_label(row, frequency)}, is {shown}{target}"
        if interval and row.get("ci_lower_text") and row.get("ci_upper_text"):
            text += f" (95% confidence interval {row['ci_lower_text']} to {row['ci_upper_text']})"
        text += "."
    return text + " The figures are in the trend table."


def accessible_svg(svg: str, chart_id: str, title: str, description: str) -> str:
    """Mark the SVG as one image with a title and description a screen reader announces."""
    head = (
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'focusable="false" id="{chart_id}" '
    )
    svg = re.sub(INNER_ARIA, "", svg.strip())  # Vega's mark roles would be images with no name
    svg = re.sub(r"^<svg ", head, svg, count=1)
    labels = (
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    return re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + labels, svg, count=1)


def chart_id_for(ref: str) -> str:
    return "chart-" + re.sub(r"[^a-z0-9]+", "-", ref.lower()).strip("-")


def indicator_chart(
    history_rows: pl.DataFrame,
    indicator: Indicator,
    chart_id: str | None = None,
    band: float | None = None,
) -> Chart:
    """The trend chart of one indicator, not yet rendered, from its rows in period order;
    `band`: an in-band indicator's Green half-width where its targets do not give their own."""
    labels, points = chart_points(history_rows, indicator.frequency, indicator.polarity, band)
    title = f"{indicator.title}: trend"
    description = describe(labels, history_rows, indicator.frequency)
    if any(p["series"] == BAND[0] for p in points):
        description += " The shaded area is the band around the target rated Green."
    _, note = value_axis(
        plotted_values(points, "value", "lower", "upper"), indicator.chart.y_from_zero
    )
    description += f" {note}" if note else ""
    spec = chart_spec(
        labels, points, title, description, indicator.unit, indicator.chart.y_from_zero
    )
    return Chart(chart_id or chart_id_for(indicator.ref), title, description, spec)


def indicator_chart_svg(
    history_rows: pl.DataFrame, indicator: Indicator, chart_id: str | None = None
) -> Markup:
    """The trend chart of one indicator as inline SVG, rendered here."""
    chart = indicator_chart(history_rows, indicator, chart_id)
    chart.fill(render_svg(chart.spec))
    return chart.svg
