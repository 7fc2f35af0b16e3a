"""The static pack: both layouts built from a small fake pack input, checked as a reader would."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from boardpack.catalogue.models import Project
from boardpack.pack import LAYOUTS, RAG_LABELS, PackInput, build_site

PERIODS = [  # label, start, end
    ("Q2 2010/11", dt.date(2010, 7, 1), dt.date(2010, 9, 30)),
    ("Q3 2010/11", dt.date(2010, 10, 1), dt.date(2010, 12, 31)),
    ("Q4 2010/11", dt.date(2011, 1, 1), dt.date(2011, 3, 31)),
    ("Q1 2011/12", dt.date(2011, 4, 1), dt.date(2011, 6, 30)),
    ("Q2 2011/12", dt.date(2011, 7, 1), dt.date(2011, 9, 30)),
    ("Q3 2011/12", dt.date(2011, 10, 1), dt.date(2011, 12, 31)),
    ("Q4 2011/12", dt.date(2012, 1, 1), dt.date(2012, 3, 31)),
]
CURRENT = 4  # Q2 2011/12 is the period reported

INDICATORS = [
    {
        "ref": "ASC/PB",
        "title": "Clients with a personal budget",
        "polarity": "higher_better",
        "unit": "percent",
        "frequency": "quarterly",
        "perspective": "Health & Wellbeing",
        "directorate": "Adult Social Care",
        "data_source": "Swift client system",
        "numerator_label": "Client numbers",
        "measurement": "snapshot",
        "owners": {
            "cabinet_member": "Graham Gibbens",
            "director": "Anne Tidmarsh",
            "portfolio": "Adult Social Care and Public Health",
            "division": "Older People",
        },
        "tags": {
            "priority": "Empower social service users",
            "ambition": "Put the Citizen in Control",
        },
    },
    {
        "ref": "ASC/EN",
        "title": "Clients provided with an enablement service",
        "polarity": "higher_better",
        "unit": "number",
        "frequency": "quarterly",
        "perspective": "Health & Wellbeing",
        "directorate": "Adult Social Care",
        "lag_periods": 1,
    },
    {
        "ref": "HR/SICK",
        "title": "Sickness absence per employee",
        "polarity": "lower_better",
        "unit": "days",
        "frequency": "quarterly",
        "perspective": "Our People",
        "directorate": "Human Resources",
        "chart": {"y_from_zero": False},
        "notes": "Counts working days lost.",
    },
]
FIGURES = {  # ref -> (values, targets, floors, rags, text format)
    "ASC/PB": (
        [20.8, 25.8, 32.0, 34.0, 37.0, None, None],
        [None, None, 30, 33, 37, 43, 50],
        [None, None, 25, 28, 32, 38, 45],
        [None, None, "green", "green", "green", None, None],
        "{:.1f}%",
    ),
    "ASC/EN": (
        [None, None, 1500, 1527, 1631, None, None],
        [None, None, 1800] + [1800] * 4,
        [None] * 7,
        [None, None, "amber", "amber", "amber", None, None],
        "{:,.0f}",
    ),
    "HR/SICK": (
        [7.1, 7.0, 6.9, 6.8, 7.4, None, None],
        [7.0] * 7,
        [7.3] * 7,
        ["amber", "green", "green", "green", "red", None, None],
        "{:.2f} days",
    ),
}
DIRECTION = {"ASC/PB": "improving", "ASC/EN": "improving", "HR/SICK": "worsening"}


def fmt(template: str, value: float | None) -> str | None:
    return None if value is None else template.format(value)


def history_rows(ind: dict) -> list[dict]:
    values, targets, floors, rags, template = FIGURES[ind["ref"]]
    rows = []
    for i, (label, start, end) in enumerate(PERIODS):
        rows.append(
            {
                "indicator": ind["ref"],
                "organisation": "E10000016",
                "period": label,
                "period_start": start,
                "period_end": end,
                "value": values[i],
                "numerator": 4000.0 + 500 * i if ind["ref"] == "ASC/PB" and values[i] else None,
                "denominator": None,
                "target": targets[i],
                "floor": floors[i],
                "variance": None,
                "variance_pct": None,
                "rag": rags[i] or "no_status",
                "rag_reason": f"{RAG_LABELS[rags[i] or 'no_status']}: result against target",
                "rag_manual": False,
                "previous_period": PERIODS[i - 1][0] if i else None,
                "previous_value": values[i - 1] if i else None,
                "previous_rag": (rags[i - 1] or "no_status") if i else "no_status",
                "direction": DIRECTION[ind["ref"]],
                "direction_vs_last_year": "not_applicable",
                "status": None,
                "note": None,
                "missing_reason": None,
                "title": ind["title"],
                "tier": "KPI",
                "unit": ind["unit"],
                "decimals": 1,
                "polarity": ind["polarity"],
                "directorate": ind["directorate"],
                "perspective": ind["perspective"],
                "value_text": fmt(template, values[i]),
                "target_text": fmt(template, targets[i]),
                "floor_text": fmt(template, floors[i]),
                "variance_pct_text": None,
                "due": i <= CURRENT,
                "reported": values[i] is not None,
            }
        )
    return rows


COMMENTARY = [
    ("ASC/PB", "commentary", "Performance continues to **improve**.\n\n<script>alert(1)</script>"),
    (
        "ASC/PB",
        "actions",
        "1. Allocate a personal budget to every new client.\n"
        '2. <img src=x onerror="alert(2)"> [clean up](javascript:alert(3))',
    ),
    ("ASC/PB", "risks", "Reviews may slip."),
    (
        "HR/SICK",
        "panel",
        "The panel asked for a [return-to-work audit](https://example.org/audit).",
    ),
]


def fake_pack(project: Project | None = None) -> PackInput:
    project = project or Project.model_validate(
        {
            "organisation": {"code": "E10000016", "name": "Kent County Council"},
            "indicators": INDICATORS,
        }
    )
    history = pl.DataFrame([row for ind in INDICATORS for row in history_rows(ind)])
    rows = history.filter(pl.col("period") == PERIODS[CURRENT][0])
    summary = pl.DataFrame(
        {
            "group": ["Overall"],
            "green": [1],
            "green_amber": [0],
            "amber": [1],
            "red_amber": [0],
            "red": [1],
            "no_status": [0],
            "rated": [3],
            "improving_or_same": [2],
            "worsening": [1],
            "expected": [3],
            "reported": [3],
            "green_text": ["33% (1)"],
            "amber_text": ["33% (1)"],
            "red_text": ["33% (1)"],
            "green_amber_text": ["0% (0)"],
            "red_amber_text": ["0% (0)"],
        }
    )
    call_in = pl.DataFrame(
        {
            "indicator": ["ASC/EN", "HR/SICK"],
            "title": ["", ""],
            "rag": ["amber", "red"],
            "previous_rag": ["amber", "green"],
            "call_in_reason": ["Amber for 3 periods", "Red"],
        }
    )
    commentary = pl.DataFrame(
        [
            {"indicator": ref, "period": PERIODS[CURRENT][0], "section": section, "markdown": text}
            for ref, section, text in COMMENTARY
        ]
    )
    return PackInput(
        project=project,
        period_label=PERIODS[CURRENT][0],
        rows=rows,
        history=history,
        summary=summary,
        call_in=call_in,
        commentary=commentary,
        scheme_key=[
            ("Green", "Target has been achieved or exceeded"),
            ("Amber", "Behind target but within acceptable limits"),
            ("Red", "Significantly behind target"),
        ],
    )


class Page(HTMLParser):
    """The parts of a page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.tables: list[dict] = []
        self.headings: list[tuple[int, str]] = []
        self.text_in: dict[str, list[str]] = {}
        self._open: list[str] = []
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "table":
            self.tables.append({"caption": "", "th": [], "cells": [], "headers": []})
        elif tag in ("td", "th"):
            self._cell = []
            if tag == "th":
                self.tables[-1]["th"].append(attributes)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []
        if tag not in ("br", "img", "meta", "link", "col", "input", "hr", "path", "rect", "line"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables:
            text = " ".join("".join(self._cell).split())
            self.tables[-1]["cells" if tag == "td" else "headers"].append(text)
            self._cell = None
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            self.headings.append((int(tag[1]), " ".join("".join(self._heading).split())))
            self._heading = None
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._open and self._open[-1] == "caption" and self.tables:
            self.tables[-1]["caption"] += data
        for tag in self._open[-1:]:
            self.text_in.setdefault(tag, []).append(data)

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


PERIOD_LAYOUTS = sorted(name for name, layout in LAYOUTS.items() if layout.source == "period")


@pytest.fixture(params=PERIOD_LAYOUTS)
def site(request, tmp_path: Path) -> tuple[str, Path]:
    index = build_site(fake_pack(), request.param, tmp_path / "site")
    return request.param, index


def pages(index: Path) -> list[Path]:
    return [index, *sorted((index.parent / "indicators").glob("*.html"))]


def test_every_indicator_has_a_page_linked_from_the_index(site):
    _, index = site
    links = {a["href"] for a in Page(index.read_text()).all("a") if "href" in a}
    for ref in FIGURES:
        slug = ref.lower().replace("/", "-")
        assert (index.parent / "indicators" / f"{slug}.html").is_file()
        assert f"indicators/{slug}.html" in links


def test_every_table_has_a_caption_and_header_cells_with_scope(site):
    _, index = site
    for page in pages(index):
        parsed = Page(page.read_text())
        assert parsed.tables, f"{page.name} has no tables"
        for table in parsed.tables:
            assert table["caption"].strip(), f"a table in {page.name} has no caption"
            assert table["th"], f"table {table['caption']!r} in {page.name} has no header cells"
            assert all(
                th.get("scope") in ("col", "row", "colgroup", "rowgroup") for th in table["th"]
            )


def test_ratings_and_directions_are_words_with_a_hidden_shape(site):
    _, index = site
    words = set(RAG_LABELS.values())
    for page in pages(index):
        text = page.read_text()
        parsed = Page(text)
        badges = [a for a in parsed.all("span") if "badge" in a.get("class", "")]
        assert badges, f"{page.name} shows no ratings"
        icons = [a for a in parsed.all("span") if a.get("class") == "icon"]
        assert icons and all(a.get("aria-hidden") == "true" for a in icons)
        status_cells = [c for t in parsed.tables for c in t["cells"] if c and c[0] in "●◐▲◆■○"]
        assert all(any(w in cell for w in words) for cell in status_cells)


def test_the_current_rating_of_each_indicator_is_written_on_its_page(site):
    _, index = site
    expected = {"asc-pb": "Green", "asc-en": "Amber", "hr-sick": "Red"}
    for slug, word in expected.items():
        parsed = Page((index.parent / "indicators" / f"{slug}.html").read_text())
        cells = [c for t in parsed.tables for c in t["cells"]]
        assert any(c.endswith(word) for c in cells), f"{slug} does not show {word} in a table"


def test_pages_have_language_title_skip_link_landmarks_and_one_h1(site):
    _, index = site
    for page in pages(index):
        parsed = Page(page.read_text())
        assert parsed.all("html")[0].get("lang") == "en-GB"
        assert parsed.text_in.get("title"), f"{page.name} has no title"
        skip = parsed.all("a")[0]
        assert skip.get("href") == "#main"
        assert [m.get("id") for m in parsed.all("main")] == ["main"]
        assert parsed.all("header") and parsed.all("nav") and parsed.all("footer")
        levels = [level for level, _ in parsed.headings]
        assert levels.count(1) == 1 and levels[0] == 1
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (
            f"{page.name}: {levels}"
        )


def test_no_script_and_nothing_loaded_from_the_network(site):
    _, index = site
    for page in pages(index):
        text = page.read_text().lower()
        assert "<script" not in text
        assert "onerror" not in text and "javascript:" not in text
        parsed = Page(text)
        for link in parsed.all("link"):
            assert not link["href"].startswith(("http:", "https:", "//"))
            assert (page.parent / link["href"]).resolve().is_file()


def test_charts_are_svg_images_with_title_and_description(site):
    _, index = site
    for page in pages(index)[1:]:
        parsed = Page(page.read_text())
        charts = [a for a in parsed.all("svg") if a.get("role") == "img"]
        assert len(charts) == 1, page.name
        title_id, desc_id = charts[0]["aria-labelledby"].split()
        assert [t for t in parsed.all("title") if t.get("id") == title_id]
        assert [d for d in parsed.all("desc") if d.get("id") == desc_id]


def test_commentary_is_shown_and_sanitised(site):
    _, index = site
    text = (index.parent / "indicators" / "asc-pb.html").read_text()
    assert "<strong>improve</strong>" in text
    assert "alert(" not in text
    parsed = Page(text)
    assert "clean up" in "".join(parsed.text_in.get("a", []))
    hrefs = [a.get("href") for a in parsed.all("a")]
    assert not any(h and h.startswith("javascript") for h in hrefs)


def test_quarterly_report_has_its_sections_and_panel_wording(tmp_path):
    index = build_site(fake_pack(), "quarterly-report", tmp_path)
    headings = [text for _, text in Page(index.read_text()).headings]
    assert "Executive summary" in headings
    assert "Indicators called in for the performance assurance panel" in headings
    called_in = next(t for t in Page(index.read_text()).tables if "called in" in t["caption"])
    assert "Red" in " ".join(called_in["cells"]) and "Amber for 3 periods" in called_in["cells"]
    page = (tmp_path / "indicators" / "asc-en.html").read_text()
    assert "has not been subject to discussion by the panel" in page
    assert "has not been subject" not in (tmp_path / "indicators" / "hr-sick.html").read_text()


def test_quarterly_summary_row_gives_a_stale_figures_period(tmp_path):
    pack = fake_pack()
    pack.rows = pack.rows.with_columns(stale=pl.col("indicator") == "HR/SICK")
    index = build_site(pack, "quarterly-report", tmp_path)
    summary = next(t for t in Page(index.read_text()).tables if "Summary of" in t["caption"])
    period = pack.rows.filter(indicator="HR/SICK")["period"][0]
    assert f"Figure for {period}" in " ".join(summary["cells"])
    assert " ".join(summary["cells"]).count("Figure for") == 1


def test_quarterly_trend_table_spans_previous_and_current_year(tmp_path):
    build_site(fake_pack(), "quarterly-report", tmp_path)
    parsed = Page((tmp_path / "indicators" / "asc-pb.html").read_text())
    trend = next(t for t in parsed.tables if t["caption"].startswith("Trend data"))
    assert trend["headers"][:9] == [
        "2010/11 (previous year)",
        "2011/12 (current year)",
        "Measure",
        "Sep 10",
        "Dec 10",
        "Mar 11",
        "Jun 11",
        "Sep 11",
        "Dec 11",
    ]
    assert {"Result", "Target", "Floor", "Client numbers", "RAG rating"} <= set(trend["headers"])
    assert "37.0%" in trend["cells"] and "50.0%" in trend["cells"] and "6,000" in trend["cells"]


def test_quarterly_metadata_and_data_notes_come_from_the_catalogue(tmp_path):
    build_site(fake_pack(), "quarterly-report", tmp_path)
    text = " ".join(
        Page((tmp_path / "indicators" / "asc-pb.html").read_text()).text_in.get("dd", [])
    )
    for expected in (
        "Graham Gibbens",
        "Anne Tidmarsh",
        "Put the Citizen in Control",
        "Higher values are better",
        "Percentage",
        "Swift client system",
    ):
        assert expected in text
    lagged = " ".join(
        Page((tmp_path / "indicators" / "asc-en.html").read_text()).text_in.get("dd", [])
    )
    assert "Reported one period in arrears" in lagged


def test_scorecard_groups_measures_by_perspective_in_catalogue_order(tmp_path):
    index = build_site(fake_pack(), "scorecard", tmp_path)
    headings = Page(index.read_text()).headings
    h2 = [text for level, text in headings if level == 2]
    assert h2.index("Health & Wellbeing") < h2.index("Our People")
    h3 = [text for level, text in headings if level == 3]
    assert h3 == [ind["title"] for ind in INDICATORS]


def test_scorecard_table_shows_target_latest_rating_direction_and_data_period(tmp_path):
    index = build_site(fake_pack(), "scorecard", tmp_path)
    tables = [
        t for t in Page(index.read_text()).tables if t["caption"].startswith("Latest performance")
    ]
    assert tables[0]["headers"] == [
        "Target",
        "Latest Performance",
        "RAG",
        "Direction of Travel",
        "Data Period",
    ]  # no statistics in this pack, so no statistic columns (tests/test_pack_layouts.py)
    sickness = tables[2]["cells"]
    assert sickness[:2] == ["7.00 days", "7.40 days"]
    assert sickness[2].endswith("Red") and sickness[3].endswith("Worsening")
    assert sickness[4] == "30/09/2011"


def test_direction_shown_as_words_only_when_the_project_asks(tmp_path):
    project = Project.model_validate(
        {
            "organisation": {"code": "E10000016", "name": "Kent County Council"},
            "settings": {"direction_display": "words"},
            "indicators": INDICATORS,
        }
    )
    build_site(fake_pack(project), "scorecard", tmp_path)
    parsed = Page((tmp_path / "indicators" / "hr-sick.html").read_text())
    scorecard = next(t for t in parsed.tables if t["caption"].startswith("Latest performance"))
    assert scorecard["cells"][3] == "Worsening"


def test_stylesheet_is_copied_and_has_a_print_style(site):
    _, index = site
    css = (index.parent / "assets" / "boardpack.css").read_text()
    assert "@media print" in css and "break-before: page" in css
    assert ":focus-visible" in css


def test_unknown_layout_names_the_choices(tmp_path):
    with pytest.raises(KeyError, match="quarterly-report"):
        build_site(fake_pack(), "brochure", tmp_path)


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_rating_colours_meet_contrast_requirements(site):
    _, index = site
    css = (index.parent / "assets" / "boardpack.css").read_text()
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    for rag in RAG_LABELS:
        background = colours[f"rag-{rag}-bg"]
        assert contrast(colours["text"], background) >= 4.5, f"{rag} badge text"
        assert contrast(colours[f"rag-{rag}"], background) >= 3, f"{rag} badge shape"
    assert (
        contrast(colours["link"], "#ffffff") >= 4.5 and contrast(colours["muted"], "#ffffff") >= 4.5
    )


def test_build_site_refuses_a_layout_built_from_national_data(tmp_path: Path):
    with pytest.raises(ValueError, match="benchmarking layout is built from a national"):
        build_site(fake_pack(), "benchmarking", tmp_path)
