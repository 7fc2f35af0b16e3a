"""A chart's shape compiled to Vega once, filled in for each chart: the same SVG as drawing
its Vega-Lite spec."""

from __future__ import annotations

import pytest
import vl_convert

from boardpack.pack import compiled
from boardpack.pack.charts import indicator_chart
from boardpack.pack.compiled import vega_spec
from test_pack_charts import indicator, rows, rows_with_interval
from test_pack_lean import label_spec, spc_spec, trend_spec


@pytest.mark.parametrize(
    "make",
    [trend_spec, lambda: trend_spec(rows_with_interval()), spc_spec, lambda: label_spec("Q1")],
)
def test_a_compiled_shape_draws_the_same_svg(make):
    spec = make()
    assert vl_convert.vega_to_svg(vega_spec(spec)) == vl_convert.vegalite_to_svg(spec)


def test_charts_of_one_shape_are_compiled_once():
    compiled.compiled_shape.cache_clear()
    first = indicator_chart(rows(), indicator()).spec
    other = indicator().model_copy(update={"title": "Another indicator, a longer title"})
    second = indicator_chart(rows(values=(60.5, 61.0, 62.5, 64.0)), other).spec
    drawn = [vl_convert.vega_to_svg(vega_spec(spec)) for spec in (first, second)]
    assert compiled.compiled_shape.cache_info().misses == 1
    assert drawn == [vl_convert.vegalite_to_svg(spec) for spec in (first, second)]
    assert "Another indicator" in drawn[1] and drawn[0] != drawn[1]


def test_a_spec_with_its_own_data_is_compiled_whole():
    compiled.compiled_shape.cache_clear()
    vega_spec(label_spec("Q1"))
    assert compiled.compiled_shape.cache_info().currsize == 0
