"""What every chart says about itself, whichever layout shows it: an in-band indicator's band
shaded; a value axis that does not start at 0 said so under the title (trend, SPC and KPI
charts alike); the floor named by polarity; a legend whose entries never run into each other;
titles wrapped to the chart's width; charts as wide as the page; rating badges lined up under
the figures of the trend table."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import polars as pl
import pytest

from boardpack.catalogue.models import Indicator
from boardpack.pack.charts import (
    AXIS_NOTE,
    BAND,
    TITLE_CHARACTERS,
    TITLE_PIXELS_PER_CHARACTER,
    WIDTH,
    chart_points,
    chart_spec,
    finish_spec,
    indicator_chart,
    render_charts,
    value_axis,
)
from boardpack.pack.kpi import series_chart
from boardpack.pack.render import render_svg
from boardpack.pack.spc_chart import spc_spec
from test_layout_kpi_appendix import ACTIVITY, appendix_pack
from test_pack_charts import QUARTER_ENDS, rows

CSS = Path(__file__).parents[1] / "src" / "boardpack" / "pack" / "static" / "boardpack.css"


def indicator(polarity: str = "higher_better", **extra) -> Indicator:
    return Indicator(
        ref="ASC/3",
        title="Assessments completed within six weeks",
        polarity=polarity,
        unit="percent",
        frequency="quarterly",
        **extra,
    )


def layers(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]


# --- in-band charts shade the band ---------------------------------------------------------


def test_an_in_band_chart_shades_the_band_around_each_target():
    ind = indicator(polarity="in_band", chart={"y_from_zero": False})
    chart = indicator_chart(rows(), ind, band=5.0)
    band = [p for p in chart.spec["datasets"]["points"] if p["series"] == BAND[0]]
    assert [(p["lower"], p["upper"]) for p in band] == [(70.0, 80.0)] * 4
    (area,) = layers(chart.spec, "area")
    assert area["encoding"]["y"]["field"] == "lower" and area["encoding"]["y2"]["field"] == "upper"
    assert BAND[0] in chart.spec["layer"][-2]["encoding"]["color"]["scale"]["domain"]
    assert "shaded area is the band around the target rated Green" in chart.description


def test_a_targets_own_band_wins_and_other_charts_have_none():
    own = rows().with_columns(pl.Series("band", [2.0, 2.0, 3.0, 3.0]))
    _, points = chart_points(own, "quarterly", "in_band", band=5.0)
    assert [p["upper"] - p["lower"] for p in points if p["series"] == BAND[0]] == [4, 4, 6, 6]
    higher = indicator_chart(rows(), indicator(), band=5.0)
    assert not layers(higher.spec, "area")


# --- an axis that does not start at 0 says so -----------------------------------------------


def test_a_trend_axis_not_from_zero_says_so_in_the_chart():
    chart = indicator_chart(rows(), indicator(chart={"y_from_zero": False}))
    assert chart.spec["title"]["subtitle"] == AXIS_NOTE
    assert chart.description.endswith(AXIS_NOTE)
    low = chart.spec["layer"][-2]["encoding"]["y"]["scale"]["domain"][0]
    assert low > 0
    render_charts([chart])
    assert AXIS_NOTE in str(chart.svg)


def test_no_note_when_the_axis_starts_at_zero():
    assert "subtitle" not in indicator_chart(rows(), indicator()).spec["title"]
    near_zero = rows(values=(3.0, 40.0, None, None), targets=(5,) * 4, floors=(1,) * 4)
    chart = indicator_chart(near_zero, indicator(chart={"y_from_zero": False}))
    assert "subtitle" not in chart.spec["title"]  # the rounded axis reaches 0 itself


@pytest.mark.parametrize(
    ("figures", "domain"),
    [([70.2, 79.8], (70.0, 80.0)), ([0.5, 9.0], (0.0, 10.0)), ([-3.0, -1.0], (-3.0, -1.0))],
)
def test_the_axis_is_rounded_out_to_a_whole_step(figures, domain):
    found, note = value_axis(figures, False)
    assert found == pytest.approx(domain)
    assert (note is not None) == (domain[0] > 0 or domain[1] < 0)


def test_an_spc_chart_says_when_its_axis_does_not_start_at_zero():
    records = [
        {
            "value": 70.0 + i % 3,
            "spc_mean": 71.0,
            "spc_lower": 68.0,
            "spc_upper": 74.0,
            "spc_point_type": "common_cause",
        }
        for i in range(12)
    ]
    spec = spc_spec([f"P{i}" for i in range(12)], records, "t", "d", "percent")
    assert spec["title"]["subtitle"] == AXIS_NOTE


def kpi_chart():
    pack = appendix_pack()
    from boardpack.pack.views import indicator_views

    refs = [ref for ref, _, _ in ACTIVITY]
    views = indicator_views(pack, refs)
    return series_chart("ASCH8", [views[r] for r in refs], pack.history)


def test_a_kpi_chart_with_several_measures_says_so_too():
    chart = kpi_chart()  # the two activity measures ask for an axis not from 0
    assert chart.spec["title"]["subtitle"] == AXIS_NOTE


# --- the floor's name follows polarity --------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "name"), [("higher_better", "Floor"), ("lower_better", "Upper threshold")]
)
def test_the_floor_is_named_by_polarity(polarity, name):
    chart = indicator_chart(rows(), indicator(polarity=polarity))
    legend = chart.spec["layer"][-2]["encoding"]["color"]["scale"]["domain"]
    assert name in legend and {"Floor", "Upper threshold"} - {name} - set(legend)


# --- legends never overlap ------------------------------------------------------------------


def legend_entries(svg: str) -> list[tuple[float, float, float, float]]:
    """Each legend entry's box: x, y, width, height, from its group's position and background."""
    legend = svg.split('class="mark-group role-legend"', 1)[1]
    found = re.findall(
        r'<g transform="translate\(([-\d.]+),([-\d.]+)\)"><path class="background"[^>]*'
        r'd="M0,0h([\d.]+)v([\d.]+)h',
        legend,
    )
    return [tuple(float(n) for n in box) for box in found if float(box[2]) > 0]


def overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def two_long_measures():
    """Two activity measures with long names, as the KPI appendix charts them together."""
    long = " with a title long enough to need most of the chart's width"
    views, frames = [], []
    for n, (ref, title, values) in enumerate(ACTIVITY):
        ind = Indicator(
            ref=ref, title=title + long, polarity="none", unit="number", frequency="quarterly"
        )
        views.append(SimpleNamespace(ref=ref, title=ind.title, indicator=ind, row={}, slug=f"m{n}"))
        frames.append(
            pl.DataFrame(
                {
                    "indicator": [ref] * 3,
                    "period": ["Q1 2011/12", "Q2 2011/12", "Q3 2011/12"],
                    "period_end": QUARTER_ENDS[:3],
                    "value": [float(v) for v in values],
                }
            )
        )
    return series_chart("ASCH8", views, pl.concat(frames)), long


def test_the_two_series_kpi_legend_has_one_row_per_measure_that_never_overlaps():
    chart, long = two_long_measures()
    svg = render_svg(chart.spec)
    assert svg.count('class="mark-group role-legend"') == 1
    boxes = legend_entries(svg)
    entries = [box for box in boxes if box[3] < 30]
    assert len(entries) >= 2
    assert not any(overlap(a, b) for i, a in enumerate(entries) for b in entries[i + 1 :])
    labels = re.findall(r'role-legend-label"[^>]*><text[^>]*>([^<]+)</text>', svg)
    assert all(label.endswith(long) for label in labels)  # whole names, not cut short
    symbols = re.findall(r'role-legend-symbol"[^>]*>(.*?)</g>', svg)
    assert all(symbol.count("<path") == 1 for symbol in symbols)  # one symbol, no shape on top


# --- titles wrap ----------------------------------------------------------------------------


def test_titles_wrap_to_the_charts_width():
    title = "Percentage of adults with a learning disability in paid employment " * 3
    spec = finish_spec(
        chart_spec(*chart_points(rows(), "quarterly"), "", "d", "percent"), title, "d", {}
    )
    lines = spec["title"]["text"]
    assert len(lines) > 1 and " ".join(lines) == title.strip()
    assert all(len(line) * TITLE_PIXELS_PER_CHARACTER <= WIDTH for line in lines)
    assert max(len(line) for line in lines) <= TITLE_CHARACTERS


# --- charts use the page's width; badges line up --------------------------------------------


def css_rule(selector: str) -> str:
    found = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS.read_text(encoding="utf-8"))
    assert found, f"boardpack.css has no rule for {selector}"
    return found.group(1)


def test_charts_take_the_pages_width_and_scale_by_their_view_box():
    assert "width: 100%" in css_rule(".chart svg") and "height: auto" in css_rule(".chart svg")
    chart = indicator_chart(rows(), indicator())
    render_charts([chart])
    assert re.search(r'<svg[^>]* viewBox="0 0 [\d.]+ [\d.]+"', str(chart.svg))
    assert chart.spec["width"] == WIDTH >= 640  # drawn wide enough to fill a page column


def test_rating_badges_line_up_with_the_figures_in_trend_tables():
    assert "text-align: right" in css_rule(".trend td.status")
    assert "text-align: right" in css_rule(".num")
