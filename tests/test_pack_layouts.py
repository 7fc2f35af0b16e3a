"""The layout registry: built-in layouts, their arrangement of indicators, adding a layout, and
the SPC icons in both layouts' summary tables."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from boardpack.pack import LAYOUTS, Group, Layout, build_site, register_layout
from boardpack.pack.layouts import OTHER_PERSPECTIVE, by_perspective, get_layout, in_catalogue_order
from boardpack.pack.words import ASSURANCE_WORDS, VARIATION_WORDS, spc_icon_key
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
    for name in LAYOUTS:
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


SPC_ROWS = {  # ref -> (variation, assurance, forecast rating)
    "ASC/PB": ("improvement_high", "consistent_pass", "green"),
    "ASC/EN": (None, None, None),
    "HR/SICK": ("improvement_low", "hit_and_miss", "red"),
}


def pack_with_statistics():
    pack = fake_pack()
    refs = pack.rows["indicator"].to_list()
    pack.rows = pack.rows.with_columns(
        pl.Series("spc_variation", [SPC_ROWS[r][0] for r in refs], dtype=pl.String),
        pl.Series("spc_assurance", [SPC_ROWS[r][1] for r in refs], dtype=pl.String),
        pl.Series("forecast_rag", [SPC_ROWS[r][2] for r in refs], dtype=pl.String),
    )
    return pack


class Icons(HTMLParser):
    """Each SPC icon (an element with role="img" in a table cell) with its text alternative,
    the letter drawn inside it, and the header of the column it sits in."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.icons: list[dict] = []
        self.tables: list[list[str]] = []  # the column headers of each table
        self._cell = -1
        self._in: str | None = None
        self.feed(text)

    @property
    def headers(self) -> list[str]:
        return [header for table in self.tables for header in table]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._cell = -1
        elif tag in ("th", "td"):
            self._cell += 1
            self._in = None
            if tag == "th" and attrs.get("scope") == "col":
                self.tables[-1].append("")
                self._in = "header"
        elif attrs.get("role") == "img" and "spc-icon" in (attrs.get("class") or ""):
            column = self.tables[-1][self._cell] if self.tables else None
            self.icons.append({"label": attrs.get("aria-label"), "column": column, "letter": ""})
        elif tag == "svg" and self.icons and attrs.get("aria-hidden") != "true":
            self.icons[-1]["bare"] = True
        elif tag == "text":
            self._in = "text"

    def handle_endtag(self, tag):
        if tag in ("th", "td", "text"):
            self._in = None

    def handle_data(self, data):
        if self._in == "text" and self.icons:
            self.icons[-1]["letter"] += data.strip()
        elif self._in == "header":
            self.tables[-1][-1] += data.strip()


def after_keys(text: str) -> str:
    """The page after its keys section (whose key table shows every icon)."""
    return text[text.index('id="keys"') :].split("</section>", 1)[1]


@pytest.mark.parametrize(
    ("layout", "page"), [("quarterly-report", "index.html"), ("scorecard", "index.html")]
)
def test_summary_tables_show_variation_and_assurance_icons_with_words(tmp_path, layout, page):
    build_site(pack_with_statistics(), layout, tmp_path)
    text = (tmp_path / page).read_text(encoding="utf-8")
    summary = after_keys(text)
    parsed = Icons(summary)
    labels = [icon["label"] for icon in parsed.icons]
    assert VARIATION_WORDS["improvement_high"] in labels  # ASC/PB: higher is better
    assert VARIATION_WORDS["improvement_low"] in labels  # HR/SICK: lower is better
    assert ASSURANCE_WORDS["consistent_pass"] in labels
    assert ASSURANCE_WORDS["hit_and_miss"] in labels
    letters = {icon["label"]: icon["letter"] for icon in parsed.icons}
    assert letters[VARIATION_WORDS["improvement_high"]] == "H"
    assert letters[VARIATION_WORDS["improvement_low"]] == "L"
    assert letters[ASSURANCE_WORDS["consistent_pass"]] == "P"
    assert not any(icon.get("bare") for icon in parsed.icons)  # the picture itself is hidden
    if layout == "quarterly-report":  # one table: ASC/EN's row says what it lacks
        assert "Too few figures" in summary and "Not assessed" in summary
    for header in ("Variation (SPC)", "Assurance (SPC)", "Year-end projection (statistical)"):
        assert header in parsed.headers


def test_icons_sit_under_their_column_headers(tmp_path):
    build_site(pack_with_statistics(), "scorecard", tmp_path)
    text = (tmp_path / "indicators" / "asc-pb.html").read_text(encoding="utf-8")
    parsed = Icons(text)
    columns = {icon["label"]: icon["column"] for icon in parsed.icons}
    assert columns[VARIATION_WORDS["improvement_high"]] == "Variation (SPC)"
    assert columns[ASSURANCE_WORDS["consistent_pass"]] == "Assurance (SPC)"
    headers = parsed.tables[0]
    assert (
        headers.index("Year-end projection (statistical)") == headers.index("Assurance (SPC)") + 1
    )
    assert "Green" in text.split("Latest performance", 1)[1].split("</table>", 1)[0]


@pytest.mark.parametrize("layout", ["quarterly-report", "scorecard"])
def test_the_keys_explain_every_icon(tmp_path, layout):
    index = build_site(pack_with_statistics(), layout, tmp_path)
    text = index.read_text(encoding="utf-8")
    assert "Key to statistical process control (SPC) icons" in text
    start = text.rindex("<table", 0, text.index("Key to statistical process control"))
    key = Icons(text[start:].split("</table>")[0])
    assert len(key.icons) == len(spc_icon_key()) == 10
    assert {icon["label"] for icon in key.icons} >= set(ASSURANCE_WORDS.values())


@pytest.mark.parametrize(
    ("layout", "page"),
    [("quarterly-report", "index.html"), ("scorecard", "indicators/asc-en.html")],
)
def test_a_table_leaves_out_statistic_columns_no_row_has(tmp_path, layout, page):
    build_site(fake_pack(), layout, tmp_path)  # no SPC icons or forecasts at all
    text = (tmp_path / page).read_text(encoding="utf-8")
    table = after_keys(text) if page == "index.html" else text
    for header in ("Variation (SPC)", "Assurance (SPC)", "Year-end projection (statistical)"):
        assert header not in Icons(table).headers
    assert "Too few figures" not in table and "Not assessed" not in table


def test_a_table_keeps_a_column_when_one_row_has_it(tmp_path):
    pack = pack_with_statistics()
    refs = pack.rows["indicator"].to_list()
    only_one = [SPC_ROWS[r][2] if r == "HR/SICK" else None for r in refs]
    pack.rows = pack.rows.with_columns(
        pl.lit(None, dtype=pl.String).alias("spc_assurance"),
        pl.Series("forecast_rag", only_one, dtype=pl.String),
    )
    build_site(pack, "quarterly-report", tmp_path)
    headers = Icons(after_keys((tmp_path / "index.html").read_text(encoding="utf-8"))).headers
    assert "Variation (SPC)" in headers and "Year-end projection (statistical)" in headers
    assert "Assurance (SPC)" not in headers


def test_statistic_columns_are_one_macro_each():
    macros = (
        Path(__file__).parents[1] / "src" / "boardpack" / "pack" / "templates" / "macros.html"
    ).read_text(encoding="utf-8")
    listed = macros.split("{% set statistic_columns = [", 1)[1].split("]", 1)[0]
    assert [name.strip() for name in listed.split(",")] == [
        "variation_column",
        "assurance_column",
        "forecast_column",
    ]
