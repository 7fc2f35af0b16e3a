"""A spec made cheaper to draw draws the same SVG: label limits are turned off only where no
label can reach them."""

from __future__ import annotations

import copy

import pytest
import vl_convert

from boardpack.pack.charts import indicator_chart
from boardpack.pack.lean import lean_spec
from test_pack_charts import indicator, rows, rows_with_interval
from test_pack_spc_chart import chart_for


def trend_spec(history=None) -> dict:
    return indicator_chart(rows() if history is None else history, indicator()).spec


def spc_spec() -> dict:
    values = [50 + (i % 5) for i in range(30)] + [70, 71, 72, 73, 74, 75, 76, 77]
    return chart_for(values).chart.spec


def label_spec(label: str, legend: str = "Result") -> dict:
    return {
        "data": {"values": [{"x": label, "y": 1, "s": legend}]},
        "mark": "point",
        "encoding": {
            "x": {"field": "x", "type": "nominal"},
            "y": {"field": "y", "type": "quantitative"},
            "color": {"field": "s", "type": "nominal"},
        },
    }


@pytest.mark.parametrize(
    "make", [trend_spec, lambda: trend_spec(rows_with_interval()), spc_spec], ids=str
)
def test_a_packs_chart_draws_the_same_svg_lean(make):
    spec = make()
    before = copy.deepcopy(spec)
    lean = lean_spec(spec)
    assert lean["config"]["axis"] == {"labelLimit": 0}  # there is something to gain
    assert spec == before  # the spec itself is not changed
    assert vl_convert.vegalite_to_svg(lean) == vl_convert.vegalite_to_svg(spec)


def test_short_labels_lose_their_limits():
    lean = lean_spec(label_spec("Q2 2025/26"))
    assert lean["config"] == {"axis": {"labelLimit": 0}, "legend": {"labelLimit": 0}}


def test_a_label_that_could_be_cut_short_keeps_its_limit():
    long = "A period label far too long to fit on any axis at all"
    lean = lean_spec(label_spec(long, legend="95% confidence interval"))
    assert lean == label_spec(long, legend="95% confidence interval")
    drawn = vl_convert.vegalite_to_svg(lean)
    assert "…" in drawn  # Vega still cuts it short, as it would have


def test_a_larger_font_counts_against_the_limit():
    spec = label_spec("Q2 2025/26")
    spec["config"] = {"axis": {"labelFontSize": 20}}
    assert "legend" in lean_spec(spec)["config"]  # 10 characters at 20 px: still short
    spec["encoding"]["x"]["axis"] = {"labelFontSize": 40}
    assert lean_spec(spec)["config"] == {"axis": {"labelFontSize": 20}}


@pytest.mark.parametrize(
    ("change", "kept"),
    [
        (lambda s: s["encoding"]["x"].update(axis={"labelExpr": "'long ' + datum.label"}), "axis"),
        (lambda s: s["encoding"]["color"].update(legend={"format": ".2f"}), "legend"),
        (lambda s: s["encoding"]["x"].update(type="temporal"), "axis"),
        (lambda s: s["encoding"]["x"].update(field="made_by_a_transform"), "axis"),
        (lambda s: s.update(data={"url": "figures.csv"}), "legend"),
    ],
)
def test_labels_that_cannot_be_known_keep_their_limits(change, kept):
    spec = label_spec("Q2 2025/26")
    change(spec)
    assert kept not in lean_spec(spec).get("config", {})


def test_a_limit_the_spec_sets_is_kept():
    spec = label_spec("Q2 2025/26")
    spec["config"] = {"axis": {"labelLimit": 50}}
    assert lean_spec(spec)["config"]["axis"] == {"labelLimit": 50}
