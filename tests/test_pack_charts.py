"""Trend charts: accessible inline SVG, line styles that differ by shape, confidence intervals
where there is a numerator and denominator, quick to render."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import polars as pl
import pytest

from boardpack.catalogue.models import Indicator
from boardpack.pack import indicator_chart_svg
from boardpack.pack.charts import (
    FONT,
    axis_labels,
    chart_points,
    chart_spec,
    describe,
    indicator_chart,
    render_charts,
)

QUARTER_ENDS = [
    dt.date(2011, 6, 30),
    dt.date(2011, 9, 30),
    dt.date(2011, 12, 31),
    dt.date(2012, 3, 31),
]


def indicator(**extra) -> Indicator:
    return Indicator(
        ref="ASC/3",
        title="Assessments completed within six weeks <fast>",
        polarity="higher_better",
        unit="percent",
        frequency="quarterly",
        **extra,
    )


def rows(
    values=(79.8, 78.0, None, None), targets=(75, 75, 75, 75), floors=(70, 70, 70, 70)
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator": ["ASC/3"] * 4,
            "period": ["Q1 2011/12", "Q2 2011/12", "Q3 2011/12", "Q4 2011/12"],
            "period_start": [dt.date(e.year, e.month - 2, 1) for e in QUARTER_ENDS],
            "period_end": QUARTER_ENDS,
            "value": list(values),
            "target": list(targets),
            "floor": list(floors),
            "value_text": [None if v is None else f"{v:.1f}%" for v in values],
            "target_text": [f"{t:.1f}%" for t in targets],
        }
    )


class SvgParts(HTMLParser):
    def __init__(self, svg: str) -> None:
        super().__init__()
        self.root: dict = {}
        self.ids: dict[str, str] = {}
        self._tag = None
        self.feed(svg)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg" and not self.root:
            self.root = attrs
        self._tag = (tag, attrs.get("id"))

    def handle_data(self, data):
        if self._tag and self._tag[1]:
            self.ids[self._tag[1]] = self.ids.get(self._tag[1], "") + data


def test_chart_is_one_image_named_by_its_title_and_description():
    parts = SvgParts(indicator_chart_svg(rows(), indicator()))
    assert parts.root["role"] == "img"
    title_id, desc_id = parts.root["aria-labelledby"].split()
    assert parts.ids[title_id] == "Assessments completed within six weeks <fast>: trend"
    assert "Sep 11" in parts.ids[desc_id] and "78.0%" in parts.ids[desc_id]


def test_title_text_is_escaped_inside_the_svg():
    svg = indicator_chart_svg(rows(), indicator())
    assert "<fast>" not in svg and "&lt;fast&gt;" in svg


def test_result_solid_target_dotted_floor_dashed():
    spec = chart_spec(*chart_points(rows(), "quarterly"), "t", "d", "percent")
    dash = spec["layer"][0]["encoding"]["strokeDash"]["scale"]
    styles = dict(zip(dash["domain"], dash["range"], strict=True))
    assert styles["Result"] == [1, 0]
    assert styles["Target"] != styles["Floor"] and styles["Target"][0] < styles["Floor"][0]
    svg = indicator_chart_svg(rows(), indicator())
    assert len(set(re.findall(r'stroke-dasharray="([^"]+)"', svg))) >= 2


def test_series_without_figures_are_left_out_of_the_legend():
    spec = chart_spec(*chart_points(rows(floors=(None,) * 4), "quarterly"), "t", "d", "percent")
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["Result", "Target"]


def test_every_period_appears_on_the_axis_even_without_a_result():
    labels, points = chart_points(rows(), "quarterly")
    assert labels == ["Jun 11", "Sep 11", "Dec 11", "Mar 12"]
    assert {p["period"] for p in points if p["series"] == "Result"} == {"Jun 11", "Sep 11"}


@pytest.mark.parametrize("from_zero", [True, False])
def test_value_axis_starts_at_zero_unless_the_catalogue_says_not(from_zero):
    spec = chart_spec(
        *chart_points(rows(), "quarterly"), "t", "d", "percent", y_from_zero=from_zero
    )
    assert spec["layer"][0]["encoding"]["y"]["scale"]["zero"] is from_zero
    svg = indicator_chart_svg(rows(), indicator(chart={"y_from_zero": from_zero}))
    axis_labels = re.findall(r">(\d+)</text>", svg)
    assert ("0" in axis_labels) is from_zero


def test_chart_text_uses_a_system_font():
    svg = indicator_chart_svg(rows(), indicator())
    families = set(
        re.findall(r'font-family="([^"]+)"', svg.replace("&quot;", '"').replace("&#34;", '"'))
    )
    assert families and all("system-ui" in f for f in families)
    assert "system-ui" in FONT


def rows_with_interval(numerators=(399, 390, None, None)) -> pl.DataFrame:
    """Results with numerator, denominator and the engine's 95% interval around each."""
    frame = rows()
    return frame.with_columns(
        numerator=pl.Series([float(n) if n else None for n in numerators]),
        denominator=pl.Series([500.0, 500.0, None, None]),
        ci_lower=pl.Series([76.1, 74.2, None, None]),
        ci_upper=pl.Series([83.0, 81.4, None, None]),
        ci_lower_text=pl.Series(["76.1%", "74.2%", None, None]),
        ci_upper_text=pl.Series(["83.0%", "81.4%", None, None]),
    )


def interval_layers(spec: dict) -> list[dict]:
    return [layer for layer in spec["layer"] if "y2" in layer.get("encoding", {})]


def test_confidence_intervals_are_drawn_from_lower_to_upper_limit():
    window = rows_with_interval()
    spec = chart_spec(*chart_points(window, "quarterly"), "t", "d", "percent")
    (layer,) = interval_layers(spec)
    assert (
        layer["encoding"]["y"]["field"] == "lower" and layer["encoding"]["y2"]["field"] == "upper"
    )
    bars = [p for p in spec["datasets"]["points"] if p["series"] == "95% confidence interval"]
    assert [(p["period"], p["lower"], p["upper"]) for p in bars] == [
        ("Jun 11", 76.1, 83.0),
        ("Sep 11", 74.2, 81.4),
    ]
    legend = spec["layer"][1]["encoding"]["color"]["scale"]["domain"]
    assert legend[-1] == "95% confidence interval"


def test_the_chart_says_it_shows_confidence_intervals():
    parts = SvgParts(indicator_chart_svg(rows_with_interval(), indicator()))
    description = parts.ids[parts.root["aria-labelledby"].split()[1]]
    assert "result with its 95% confidence interval" in description
    assert "(95% confidence interval 74.2% to 81.4%)" in description


@pytest.mark.parametrize("drop", ["numerator", "denominator"])
def test_no_interval_without_both_numerator_and_denominator(drop):
    window = rows_with_interval().with_columns(pl.lit(None, dtype=pl.Float64).alias(drop))
    spec = chart_spec(*chart_points(window, "quarterly"), "t", "d", "percent")
    assert interval_layers(spec) == []
    assert "95% confidence interval" not in spec["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert "confidence interval" not in describe(["Jun 11"], window)


def test_charts_render_together_in_order():
    windows = [rows(values=(70.0, float(v), None, None)) for v in range(60, 75)]
    charts = [indicator_chart(w, indicator(), chart_id=f"c{i}") for i, w in enumerate(windows)]
    render_charts(charts)
    for i, chart in enumerate(charts):
        assert chart.__html__().startswith(
            f'<svg role="img" aria-labelledby="c{i}-title c{i}-desc"'
        )
        assert f"for Sep 11, is {60 + i:.1f}%" in chart.__html__()  # its own description


@pytest.mark.parametrize(
    ("count", "step"), [(6, 1), (12, 1), (18, 1), (19, 2), (24, 2), (54, 3), (60, 6), (120, 12)]
)
def test_a_long_axis_labels_every_steps_period_ending_with_the_latest(count, step):
    labels = tuple(f"P{n}" for n in range(count))
    shown = axis_labels(labels)
    if step == 1:
        assert shown is None  # every label fits: the axis is as it was
    else:
        assert shown == list(labels[count - 1 :: -step][::-1])
        assert shown[-1] == labels[-1]
