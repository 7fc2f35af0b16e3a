"""A chart's title drawn without vl-convert measuring it: the same SVG as the title itself."""

from __future__ import annotations

import pytest
import vl_convert

from boardpack.pack.render import render_svg
from boardpack.pack.unmeasured import marker, quiet_title, restore, text
from test_pack_lean import spc_spec, trend_spec


def drawn(title: dict, width: int = 300) -> tuple[str, str, bool]:
    """A plain Vega chart with `title`, drawn as it is and drawn quiet; whether it was quiet."""
    vega = {"width": width, "height": 50, "title": title, "marks": []}
    quiet, words = quiet_title(vega)
    return vl_convert.vega_to_svg(vega), restore(vl_convert.vega_to_svg(quiet), words), bool(words)


@pytest.mark.parametrize(
    "title",
    [
        {"text": "One line", "anchor": "start"},
        {"text": ["A & B <c> \"quoted\" 'too'", "", "third"], "subtitle": "x & y"},
        {"text": ["Two", "lines"], "subtitle": ["a note", "of two lines"], "anchor": "middle"},
        {"text": ["Alone"], "anchor": "end", "orient": "bottom"},
        {"text": "", "subtitle": "Only a note"},
        {"text": ["", "After an empty line"]},
    ],
)
def test_a_quiet_title_draws_the_same_svg(title):
    plain, quiet, was_quiet = drawn(title)
    assert was_quiet and quiet == plain


@pytest.mark.parametrize(
    "title",
    [
        {"text": "A title much wider than the plot it sits over " * 2},
        {"text": "A short title", "limit": 40},
        {"text": "A title on its side", "orient": "left"},
        {"text": {"signal": "'computed'"}},
        {"text": " padded "},
    ],
)
def test_a_title_whose_width_could_matter_is_measured(title):
    plain, quiet, was_quiet = drawn(title)
    assert not was_quiet and quiet == plain


@pytest.mark.parametrize("make", [trend_spec, spc_spec])
def test_a_packs_chart_draws_the_same_svg_with_its_title_quiet(make):
    spec = make()
    svg = render_svg(spec)
    assert svg == vl_convert.vegalite_to_svg(spec)
    assert text(spec["title"]["text"][0]) in svg


def test_an_empty_title_draws_as_it_does():
    plain, quiet, _ = drawn({"text": ""})
    assert quiet == plain


def test_markers_are_distinct_spaces():
    made = [marker(n) for n in range(500)]
    assert len(set(made)) == 500
    assert all(m and not m.strip() for m in made)
