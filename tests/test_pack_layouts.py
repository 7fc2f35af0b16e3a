"""The layout registry: built-in layouts, their arrangement of indicators, and adding a layout."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from boardpack.pack import LAYOUTS, Group, Layout, build_site, register_layout
from boardpack.pack.layouts import OTHER_PERSPECTIVE, by_perspective, get_layout, in_catalogue_order
from test_pack_site import INDICATORS, fake_pack


def test_built_in_layouts_are_registered_with_their_templates():
    assert {"quarterly-report", "scorecard"} <= set(LAYOUTS)
    for layout in LAYOUTS.values():
        assert (
            layout.title
            and layout.description
            and layout.index_template
            and layout.indicator_template
        )


def test_layouts_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        LAYOUTS["scorecard"].title = "Something else"


def test_quarterly_report_keeps_catalogue_order_even_when_rows_come_shuffled():
    pack = fake_pack()
    pack.rows = pack.rows.reverse()
    assert in_catalogue_order(pack) == [Group(None, tuple(ind["ref"] for ind in INDICATORS))]


def test_scorecard_groups_by_perspective_and_gathers_the_unassigned_last():
    pack = fake_pack()
    pack.project.indicators[0].perspective = None
    pack.rows = pack.rows.with_columns(perspective=None)
    groups = by_perspective(pack)
    assert [g.heading for g in groups] == ["Health & Wellbeing", "Our People", OTHER_PERSPECTIVE]
    assert groups[2].refs == ("ASC/PB",)


def test_unknown_layout_error_lists_the_known_ones():
    with pytest.raises(KeyError, match="scorecard"):
        get_layout("dashboard")


def test_a_registered_layout_is_used_by_build_site(tmp_path):
    quarterly = LAYOUTS["quarterly-report"]
    reds_first = Layout(
        name="reds-first",
        title="Exceptions report",
        description="Red indicators first.",
        index_template=quarterly.index_template,
        indicator_template=quarterly.indicator_template,
        arrange=lambda pack: [
            Group(None, tuple(pack.rows.sort("rag", descending=True)["indicator"]))
        ],
    )
    register_layout(reds_first)
    try:
        index = build_site(fake_pack(), "reds-first", tmp_path)
        text = index.read_text()
        assert "<h1>Exceptions report: Q2 2011/12</h1>" in text
        assert text.index("Sickness absence") < text.index("Clients with a personal budget")
    finally:
        LAYOUTS.pop("reds-first")


def test_every_built_in_layout_is_documented():
    docs = (Path(__file__).parents[1] / "docs" / "layouts.md").read_text(encoding="utf-8")
    for name in ("quarterly-report", "scorecard"):
        assert f"### `{name}`" in docs


def test_the_documented_example_layout_builds(tmp_path):
    docs = (Path(__file__).parents[1] / "docs" / "layouts.md").read_text(encoding="utf-8")
    example = docs.split("## Adding a layout", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    exec(compile(example, "docs/layouts.md", "exec"), {})
    try:
        index = build_site(fake_pack(), "exceptions", tmp_path)
        text = index.read_text()
        assert text.index("Sickness absence") < text.index("Clients provided with an enablement")
    finally:
        LAYOUTS.pop("exceptions", None)
