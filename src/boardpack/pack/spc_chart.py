"""The SPC (XmR) chart of an indicator, and what it shows in words.

Values are a grey line; each point is marked by its type in both shape and colour (common
cause a grey circle, improvement a blue diamond, concern an orange square, unusually high or
low a purple triangle), after NHS England's Making Data Count. The mean is a solid line, the
process limits dashed, the near limits light and dotted. The engine's figures are charted as
they are (`engine.statistics.with_spc`); the near limits sit two thirds of the way from the
mean to the process limits, as the engine defines them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from itertools import groupby

import polars as pl

from boardpack.catalogue.models import Indicator
from boardpack.engine.formatting import format_value
from boardpack.engine.spc_options import LIMIT, NEAR, SpcOptions

from .charts import (
    HEIGHT,
    LINE_LEGEND,
    VEGA_LITE_SCHEMA,
    WIDTH,
    Chart,
    axis_labels,
    base_config,
    finish_spec,
    nominal,
    plotted_values,
    quantitative,
    scale_of,
    value_axis,
    value_scale,
)
from .trend import column_label
from .words import ASSURANCE_WORDS, FREQUENCY_WORDS, UNIT_WORDS, VARIATION_WORDS

#: The fewest figures that get a chart: the engine's minimum for limits that are not trial.
MINIMUM_POINTS = SpcOptions().minimum_points
NEAR_SHARE = NEAR / LIMIT  # the near limits' distance from the mean, as a share of the limits'

POINT_STYLES = {  # point_type -> (legend name, colour, shape)
    "common_cause": ("Common cause", "#6f777b", "circle"),
    "improvement": ("Special cause: improvement", "#1d70b8", "diamond"),
    "concern": ("Special cause: concern", "#c14f00", "square"),
    "neutral_high": ("Special cause: unusually high", "#4c2c92", "triangle-up"),
    "neutral_low": ("Special cause: unusually low", "#4c2c92", "triangle-down"),
}
LINE_STYLES = {  # line -> (colour, dash, width)
    "Mean": ("#0b0c0c", [1, 0], 1.5),
    "Process limits": ("#505a5f", [6, 3], 1.5),
    "Near limits": ("#b1b4b6", [2, 3], 1),
}
VALUE_LINE = "#8a9196"
TYPE_WORDS = {
    "improvement": "improvement",
    "concern": "concern",
    "neutral_high": "unusually high",
    "neutral_low": "unusually low",
}
HEADLINE_ORDER = ("run", "trend", "two_in_three", "beyond_limit")
SHOWN_SIGNALS = 4  # the most recent signals told in words; earlier ones are counted


@dataclass
class Signal:
    """Neighbouring special-cause points of one type (improvement, concern...): one episode,
    which may combine rules (a shift with points beyond a limit)."""

    point_type: str
    points: list[dict]
    first: int  # positions of the first and last point among the charted figures
    last: int

    @property
    def rule(self) -> str:
        """The rule the episode is told by: a shift, else a trend, else two of three, else a
        point beyond a limit."""
        rules = {p["spc_rule"] for p in self.points}
        return next(rule for rule in HEADLINE_ORDER if rule in rules)

    def flagged(self, rule: str) -> list[dict]:
        return [p for p in self.points if p["spc_rule"] == rule]

    def side(self, rule: str) -> str:
        points = self.flagged(rule)
        if rule == "trend":
            return "rising" if points[-1]["value"] > points[0]["value"] else "falling"
        return "above" if points[0]["value"] > points[0]["spc_mean"] else "below"


@dataclass
class SpcChart:
    """An indicator's SPC chart and the sentences printed below it."""

    chart: Chart
    sentences: list[str] = field(default_factory=list)


def spc_points(history: pl.DataFrame, row: dict) -> pl.DataFrame:
    """The indicator's charted figures up to the period reported, in period order."""
    needed = ("value", "spc_mean", "spc_point_type", "end_month")
    if not all(column in history.columns for column in needed):
        return history.clear()
    frame = history.filter(
        (pl.col("indicator") == row["indicator"])
        & pl.col("value").is_not_null()
        & pl.col("spc_mean").is_not_null()
    )
    if "organisation" in frame.columns and row.get("organisation") is not None:
        frame = frame.filter(pl.col("organisation") == row["organisation"])
    if row.get("end_month") is not None:
        frame = frame.filter(pl.col("end_month") <= row["end_month"])
    frame = frame.sort("end_month").unique("end_month", keep="first", maintain_order=True)
    return frame.with_columns(pl.col(pl.Categorical, pl.Enum).cast(pl.String))


def has_spc_chart(points: pl.DataFrame) -> bool:
    """Enough figures for limits that are not trial ones."""
    return points.height >= MINIMUM_POINTS


def near_limits(record: dict) -> tuple[float | None, float | None]:
    mean, lower, upper = record["spc_mean"], record.get("spc_lower"), record.get("spc_upper")
    if lower is None or upper is None:
        return None, None
    return mean - (mean - lower) * NEAR_SHARE, mean + (upper - mean) * NEAR_SHARE


def chart_data(records: list[dict], labels: list[str]) -> tuple[list[dict], list[dict]]:
    """One point per figure with its type, and the mean and limit lines as long rows."""
    points, lines = [], []
    for record, label in zip(records, labels, strict=True):
        kind = record.get("spc_point_type") or "common_cause"
        points.append({"period": label, "value": record["value"], "type": POINT_STYLES[kind][0]})
        low_near, high_near = near_limits(record)
        parts = {
            ("Mean", "mean"): record["spc_mean"],
            ("Process limits", "upper"): record.get("spc_upper"),
            ("Process limits", "lower"): record.get("spc_lower"),
            ("Near limits", "upper near"): high_near,
            ("Near limits", "lower near"): low_near,
        }
        for (line, part), y in parts.items():
            if y is not None:
                lines.append({"period": label, "line": line, "part": part, "y": y})
    return points, lines


def spc_spec(
    labels: list[str],
    records: list[dict],
    title: str,
    description: str,
    unit: str,
    data: tuple[list[dict], list[dict]] | None = None,
    axis: tuple | None = None,
) -> dict:
    """The Vega-Lite spec of an XmR chart, as a plain dict; `data`: `chart_data(records,
    labels)` and `axis`: `spc_axis(*data)`, where the caller has them already."""
    points, lines = chart_data(records, labels) if data is None else data
    kinds = tuple(
        style for style in POINT_STYLES.values() if any(p["type"] == style[0] for p in points)
    )
    drawn = tuple(name for name in LINE_STYLES if any(row["line"] == name for row in lines))
    domain, note = spc_axis(points, lines) if axis is None else axis
    shown = axis_labels(tuple(labels))
    skeleton = spc_skeleton(
        kinds, drawn, len(labels) > 12, unit, domain, None if shown is None else tuple(shown)
    )
    return finish_spec(skeleton, title, description, {"points": points, "lines": lines}, note)


def spc_axis(points: list[dict], lines: list[dict]):
    """The value axis of an XmR chart (never forced to 0) and its note when it misses 0."""
    return value_axis(plotted_values(points, "value") + plotted_values(lines, "y"), False)


@functools.lru_cache(maxsize=64)
def spc_skeleton(
    kinds: tuple,
    drawn: tuple[str, ...],
    slanted: bool,
    unit: str,
    domain: tuple[float, float] | None = None,
    shown: tuple[str, ...] | None = None,
) -> dict:
    """An XmR chart's spec without its title, description and figures, as plain dicts (the
    spec altair once built, without altair's cost): made once for each combination of point
    types, lines, axes and unit; `shown`: the x-axis labels drawn, where not every period's
    (`charts.axis_labels`). Callers copy it before changing it."""
    title = UNIT_WORDS.get(unit, unit)
    line_legend = {**LINE_LEGEND, "title": "Lines"}
    point_legend = {"orient": "bottom", "symbolSize": 80, "title": "Points"}
    limits = {
        "data": {"name": "lines"},
        "mark": {"type": "line", "interpolate": "step-after"},
        "encoding": {
            "detail": {"field": "part", "type": "nominal"},
            "stroke": nominal("line", line_legend, scale_of(drawn, LINE_STYLES, 0)),
            "strokeDash": nominal("line", line_legend, scale_of(drawn, LINE_STYLES, 1)),
            "strokeWidth": nominal("line", None, scale_of(drawn, LINE_STYLES, 2)),
            "y": quantitative("y", title, value_scale(False, domain)),
        },
    }
    values = {
        "data": {"name": "points"},
        "mark": {"type": "line", "color": VALUE_LINE, "strokeWidth": 1.5},
        "encoding": {"y": quantitative("value", title)},
    }
    names = [k[0] for k in kinds]
    marks = {
        "data": {"name": "points"},
        "mark": {"type": "point", "filled": True, "opacity": 1, "size": 60},
        "encoding": {
            "fill": nominal(
                "type", point_legend, {"domain": names, "range": [k[1] for k in kinds]}
            ),
            "shape": nominal(
                "type", point_legend, {"domain": names, "range": [k[2] for k in kinds]}
            ),
            "y": quantitative("value", title),
        },
    }
    axis: dict = {"labelAngle": -45 if slanted else 0, "labelOverlap": "greedy"}
    if shown is not None:
        axis["values"] = list(shown)
    x = {
        "axis": axis,
        "field": "period",
        "sort": None,  # the order of the figures, which are in period order
        "title": None,
        "type": "ordinal",
    }
    return {
        "config": {**base_config(), "legend": {"direction": "vertical", "labelLimit": 0}},
        "layer": [limits, values, marks],
        "encoding": {"x": x},
        "height": HEIGHT,
        "width": WIDTH,
        "$schema": VEGA_LITE_SCHEMA,
    }


PHRASES = {  # rule -> side -> what the points do
    "beyond_limit": {
        "above": "above the upper process limit",
        "below": "below the lower process limit",
    },
    "run": {"above": "above the mean: a shift", "below": "below the mean: a shift"},
    "trend": {
        "rising": "each higher than the one before: a trend",
        "falling": "each lower than the one before: a trend",
    },
    "two_in_three": {
        "above": "near the upper process limit: two of three beyond the near limit",
        "below": "near the lower process limit: two of three beyond the near limit",
    },
}


def signals(records: list[dict]) -> list[Signal]:
    """Neighbouring special-cause points grouped by type, oldest first."""
    found = []
    for kind, run in groupby(enumerate(records), key=lambda item: item[1].get("spc_point_type")):
        run = list(run)
        if kind in TYPE_WORDS and all(r.get("spc_rule") for _, r in run):
            found.append(Signal(kind, [r for _, r in run], run[0][0], run[-1][0]))
    return found


def signal_sentence(signal: Signal, labels: list[str]) -> str:
    """ "The last 7 points are above the mean: a shift, improvement." and the like."""
    count, rule = len(signal.points), signal.rule
    what = PHRASES[rule][signal.side(rule)]
    if signal.last == len(labels) - 1:
        subject = "The latest point is" if count == 1 else f"The last {count} points are"
    elif count == 1:
        subject = f"The point for {labels[signal.first]} was"
    else:
        subject = f"{count} points from {labels[signal.first]} to {labels[signal.last]} were"
    text = f"{subject} {what}, {TYPE_WORDS[signal.point_type]}"
    beyond = signal.flagged("beyond_limit")
    if beyond and rule != "beyond_limit":
        where = PHRASES["beyond_limit"][signal.side("beyond_limit")]
        text += f"; {len(beyond)} of them {where}"
    return text + "."


def figure(value: float | None, record: dict, indicator: Indicator) -> str:
    decimals = record.get("decimals")
    decimals = indicator.decimals if decimals is None else decimals
    return format_value(value, 1 if decimals is None else int(decimals), indicator.unit)


def overview(records: list[dict], labels: list[str], indicator: Indicator) -> str:
    """How many figures, the mean and the latest limits."""
    latest = records[-1]
    noun = FREQUENCY_WORDS.get(indicator.frequency, "").lower()
    text = (
        f"An XmR chart of {len(records)} {noun} figures from {labels[0]} to {labels[-1]}, "
        f"with mean {figure(latest['spc_mean'], latest, indicator)}"
    ).replace("  ", " ")
    if latest.get("spc_lower") is not None and latest.get("spc_upper") is not None:
        low, high = (figure(latest[k], latest, indicator) for k in ("spc_lower", "spc_upper"))
        text += f" and process limits {low} to {high}"
    return text + "."


def counts(found: list[Signal]) -> str:
    """ "12 special-cause points: 9 improvement, 3 concern." or that there are none."""
    if not found:
        return (
            "Every point is common cause variation: none lies beyond a process limit, and there "
            "is no shift, trend or two of three points beyond a near limit."
        )
    tally: dict[str, int] = {}
    for signal in found:
        tally[signal.point_type] = tally.get(signal.point_type, 0) + len(signal.points)
    total = sum(tally.values())
    parts = ", ".join(f"{n} {TYPE_WORDS[kind]}" for kind, n in tally.items())
    return f"{total} special-cause point{'s' if total > 1 else ''}: {parts}."


def story(records: list[dict], labels: list[str], indicator: Indicator, row: dict) -> list[str]:
    """The chart in words: what it covers, its signals (latest first), and the icons' meaning."""
    found = signals(records)
    told = [signal_sentence(s, labels) for s in reversed(found[-SHOWN_SIGNALS:])]
    if len(found) > SHOWN_SIGNALS:
        earlier = len(found) - SHOWN_SIGNALS
        told.append(
            f"There {'is' if earlier == 1 else 'are'} {earlier} earlier signal"
            f"{'' if earlier == 1 else 's'} on the chart."
        )
    sentences = [overview(records, labels, indicator), counts(found), *told]
    if row.get("spc_variation") in VARIATION_WORDS:
        head, _, tail = VARIATION_WORDS[row["spc_variation"]].partition(": ")
        sentences.append(f"Variation icon: {head.lower()} ({tail}).")
    if row.get("spc_assurance") in ASSURANCE_WORDS:
        sentences.append(f"Assurance icon: {ASSURANCE_WORDS[row['spc_assurance']].lower()}.")
    return sentences


def spc_chart(
    history: pl.DataFrame, row: dict, indicator: Indicator, chart_id: str
) -> SpcChart | None:
    """The indicator's SPC chart, not yet rendered, or None with too few figures."""
    frame = spc_points(history, row)
    if not has_spc_chart(frame):
        return None
    records = frame.to_dicts()
    labels = [column_label(r, indicator.frequency) for r in records]
    if len(set(labels)) < len(labels):  # labels must be unique on the axis
        labels = [str(r["period"]) for r in records]
    sentences = story(records, labels, indicator, row)
    title = f"{indicator.title}: statistical process control"
    description = " ".join(dict.fromkeys(sentences[:2] + sentences[-2:]))
    data = chart_data(records, labels)
    axis = spc_axis(*data)
    note = axis[1]
    description += f" {note}" if note else ""
    spec = spc_spec(labels, records, title, description, indicator.unit, data, axis)
    return SpcChart(Chart(chart_id, title, description, spec), sentences)
