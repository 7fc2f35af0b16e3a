"""The SPC chart on an indicator page: drawn from the engine's figures when there are enough,
special-cause points marked by shape and colour, and what it shows told in words."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import polars as pl
import pytest

from boardpack.catalogue.models import Indicator
from boardpack.engine.spc_options import SpcOptions
from boardpack.engine.statistics import with_spc
from boardpack.pack.charts import render_charts
from boardpack.pack.spc_chart import MINIMUM_POINTS, POINT_STYLES, spc_chart

STEADY = [49.0, 51.0] * 7 + [49.0]  # alternate sides of the mean: no run, trend or limit
SHIFTED = STEADY + [53.0] * 7  # seven points up: a run above the mean, within the limits


def indicator(polarity: str = "higher_better") -> Indicator:
    return Indicator(
        ref="SPC/1",
        title="Reviews completed on time",
        polarity=polarity,
        unit="percent",
        frequency="monthly",
    )


def month_end(i: int) -> dt.date:
    year, month = 2023 + (3 + i) // 12, (3 + i) % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def history(values: list[float], polarity: str = "higher_better", target=None) -> pl.DataFrame:
    """Monthly rows with the engine's SPC columns, as `assemble` gives the pack."""
    ends = [month_end(i) for i in range(len(values))]
    frame = pl.DataFrame(
        {
            "indicator": "SPC/1",
            "organisation": "E1",
            "series": 0,
            "period": [e.strftime("%b %Y") for e in ends],
            "period_start": [e.replace(day=1) for e in ends],
            "period_end": ends,
            "end_month": [e.year * 12 + e.month - 1 for e in ends],
            "value": values,
            "target": [target] * len(values),
            "polarity": polarity,
            "decimals": 1,
            "unit": "percent",
        },
        schema_overrides={"target": pl.Float64},
    )
    return with_spc(frame)


def chart_for(values, polarity="higher_better", target=None):
    frame = history(values, polarity, target)
    return spc_chart(frame, frame.tail(1).to_dicts()[0], indicator(polarity), "spc-test")


def layer_with(spec: dict, channel: str) -> dict:
    return next(layer for layer in spec["layer"] if channel in layer.get("encoding", {}))


def test_minimum_is_the_engines_minimum_for_limits_that_are_not_trial():
    assert MINIMUM_POINTS == SpcOptions().minimum_points


def test_chart_appears_from_the_minimum_number_of_figures():
    assert chart_for(SHIFTED[:MINIMUM_POINTS]) is not None
    assert chart_for(SHIFTED[: MINIMUM_POINTS - 1]) is None


def test_missing_figures_do_not_count_towards_the_minimum():
    values = SHIFTED[:MINIMUM_POINTS]
    values[3] = None
    assert chart_for(values) is None


def test_history_without_spc_columns_gives_no_chart():
    frame = history(SHIFTED).drop("spc_mean")
    assert spc_chart(frame, frame.tail(1).to_dicts()[0], indicator(), "x") is None


def test_every_figure_is_charted_with_its_point_type_in_period_order():
    frame = history(SHIFTED)
    spec = chart_for(SHIFTED).chart.spec
    points = spec["datasets"]["points"]
    assert [p["value"] for p in points] == SHIFTED
    expected = [POINT_STYLES[t][0] for t in frame["spc_point_type"].cast(pl.String)]
    assert [p["type"] for p in points] == expected
    assert points[-1]["type"] == "Special cause: improvement"


def test_special_cause_points_differ_by_shape_and_colour():
    spec = chart_for(SHIFTED).chart.spec
    marks = layer_with(spec, "shape")["encoding"]
    assert marks["fill"]["field"] == marks["shape"]["field"] == "type"
    fills = dict(
        zip(marks["fill"]["scale"]["domain"], marks["fill"]["scale"]["range"], strict=True)
    )
    shapes = dict(
        zip(marks["shape"]["scale"]["domain"], marks["shape"]["scale"]["range"], strict=True)
    )
    common, improvement = "Common cause", "Special cause: improvement"
    assert fills[improvement] == POINT_STYLES["improvement"][1] != fills[common]
    assert shapes[improvement] == POINT_STYLES["improvement"][2] != shapes[common]
    assert len(set(shapes.values())) == len(shapes) and len(set(fills.values())) == len(fills)


def test_a_rise_is_a_concern_when_lower_is_better():
    points = chart_for(SHIFTED, polarity="lower_better").chart.spec["datasets"]["points"]
    assert points[-1]["type"] == "Special cause: concern"


def test_mean_limits_and_near_limits_are_drawn_from_the_engine():
    frame = history(SHIFTED)
    lines = chart_for(SHIFTED).chart.spec["datasets"]["lines"]
    last = frame.row(-1, named=True)
    final = {row["part"]: row["y"] for row in lines if row["period"] == "Jan 25"}
    assert final["mean"] == pytest.approx(last["spc_mean"])
    assert final["upper"] == pytest.approx(last["spc_upper"])
    assert final["lower"] == pytest.approx(last["spc_lower"])
    # near limits two thirds of the way from the mean to the process limits
    assert final["upper near"] - final["mean"] == pytest.approx(
        (final["upper"] - final["mean"]) * 2 / 3
    )
    assert final["lower near"] < final["mean"] < final["upper near"] < final["upper"]


def test_the_chart_is_explained_in_words():
    sentences = chart_for(SHIFTED, target=60.0).sentences
    assert sentences[0].startswith(f"An XmR chart of {len(SHIFTED)} monthly figures")
    assert "The last 7 points are above the mean: a shift, improvement." in sentences
    assert "7 special-cause points: 7 improvement." in sentences
    assert any(s.startswith("Variation icon: special cause variation") for s in sentences)
    assert any(s.startswith("Assurance icon: ") for s in sentences)


def test_a_steady_series_is_told_as_common_cause():
    sentences = chart_for(STEADY).sentences
    assert any(s.startswith("Every point is common cause variation") for s in sentences)
    assert not any("special-cause point" in s for s in sentences)


def test_an_earlier_point_beyond_a_limit_is_told_with_its_period():
    values = STEADY[:8] + [70.0] + STEADY[8:]
    sentences = chart_for(values).sentences
    assert "The point for Dec 23 was above the upper process limit, improvement." in sentences


def test_rendered_chart_is_one_image_with_title_and_summary():
    chart = chart_for(SHIFTED).chart
    render_charts([chart])
    svg = str(chart.svg)
    assert svg.startswith('<svg role="img" aria-labelledby="spc-test-title spc-test-desc"')
    title = re.search(r'<title id="spc-test-title">([^<]*)</title>', svg).group(1)
    desc = re.search(r'<desc id="spc-test-desc">([^<]*)</desc>', svg).group(1)
    assert title == "Reviews completed on time: statistical process control"
    assert "7 special-cause points" in desc
    assert ">Points</text>" in svg and ">Lines</text>" in svg  # the two legends


def x_axis_labels(svg: str) -> list[str]:
    """The x-axis labels a drawn chart shows (not those hidden as overlapping)."""
    groups = re.findall(r'<g class="mark-text role-axis-label"[^>]*>(.*?)</g>', svg)
    shown = [
        text
        for group in groups
        for attributes, text in re.findall(r"<text([^>]*)>([^<]*)</text>", group)
        if 'opacity="0"' not in attributes and not re.fullmatch(r"[\d.,\s-]+", text)
    ]
    return shown


def test_a_ten_year_monthly_chart_labels_one_month_a_year_ending_with_the_latest():
    chart = chart_for([50.0 + (i * 7) % 5 for i in range(120)]).chart
    render_charts([chart])
    labels = [month_end(i).strftime("%b %y") for i in range(120)]
    assert chart.spec["encoding"]["x"]["axis"]["values"] == labels[11::12]
    assert x_axis_labels(chart.svg) == labels[11::12]  # every label asked for has room


def test_a_chart_of_eighteen_months_labels_every_month():
    chart = chart_for(SHIFTED[:18]).chart
    render_charts([chart])
    assert "values" not in chart.spec["encoding"]["x"]["axis"]
    assert x_axis_labels(chart.svg) == [month_end(i).strftime("%b %y") for i in range(18)]
