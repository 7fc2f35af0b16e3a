"""The kpi-appendix layout, after Kent County Council's Adult Social Care and Health KPI appendix
(2023/24): each KPI's chart with its target as a dotted line and its floor threshold, a note
when the axis does not start at zero ("Please note axis does not start at 0."), technical notes
("runs a quarter in arrears"), tags ("Better Care Fund Measure", "Corporate Risk Register:
CRR0002"), and activity measures charted as several series with no target (ASCH8: new
assessments and assessments needing to be completed)."""

from __future__ import annotations

import lxml.html
import polars as pl
import pytest

from boardpack.catalogue.models import Project
from boardpack.pack import build_site
from boardpack.pack.charts import SERIES
from boardpack.pack.kpi import by_kpi
from test_pack_site import CURRENT, FIGURES, INDICATORS, fake_pack

ACTIVITY = [  # two activity measures charted together as KPI ASCH8
    ("CNA/NEW", "New Care Needs Assessments to be undertaken", [410, 455, 430]),
    ("CNA/OPEN", "Care Needs Assessments needing to be completed", [980, 1010, 1060]),
]


def appendix_pack():
    """The fake pack with tags, a rolling measure, and two activity measures sharing a KPI."""
    indicators = [dict(ind) for ind in INDICATORS]
    indicators[0]["tags"] = {
        **indicators[0]["tags"],
        "better_care_fund": True,
        "corporate_risk": "CRR0002",
    }
    indicators[2]["measurement"] = "rolling_12_months"
    for ref, title, _ in ACTIVITY:
        indicators.append(
            {
                "ref": ref,
                "title": title,
                "polarity": "none",
                "unit": "number",
                "frequency": "quarterly",
                "tags": {"kpi": "ASCH8"},
                "chart": {"y_from_zero": False},
            }
        )
    project = Project.model_validate(
        {
            "organisation": {"code": "E10000016", "name": "Kent County Council"},
            "indicators": indicators,
        }
    )
    pack = fake_pack(project)
    base = pack.history.filter(pl.col("indicator") == "ASC/EN")
    extra = []
    for ref, title, values in ACTIVITY:
        figures = [None] * (base.height - 5) + values + [None, None]
        extra.append(
            base.with_columns(
                indicator=pl.lit(ref),
                title=pl.lit(title),
                polarity=pl.lit("none"),
                value=pl.Series(figures, dtype=pl.Float64),
                value_text=pl.Series(
                    [None if v is None else f"{v:,}" for v in figures], dtype=pl.String
                ),
                target=None,
                floor=None,
                target_text=None,
                floor_text=None,
                rag=pl.lit("no_status"),
            )
        )
    pack.history = pl.concat([pack.history, *extra], how="vertical_relaxed")
    pack.rows = pl.concat(
        [pack.rows, *(e.filter(pl.col("period") == pack.period_label) for e in extra)],
        how="vertical_relaxed",
    )
    return pack


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    pack = appendix_pack()
    index = build_site(pack, "kpi-appendix", tmp_path_factory.mktemp("kpi") / "site")
    return pack, lxml.html.fromstring(index.read_bytes())


def section(page, ref: str):
    found = [s for s in page.find_class("kpi") if s.find("h3").text_content().startswith(ref + ":")]
    assert len(found) == 1, ref
    return found[0]


def notes(kpi) -> list[str]:
    return [" ".join(li.text_content().split()) for li in kpi.find_class("technical-notes")[0]]


def test_activity_measures_sharing_a_kpi_tag_are_one_kpi():
    groups = by_kpi(appendix_pack())
    assert [(g.heading, g.refs) for g in groups] == [
        ("ASC/PB", ("ASC/PB",)),
        ("ASC/EN", ("ASC/EN",)),
        ("HR/SICK", ("HR/SICK",)),
        ("ASCH8", ("CNA/NEW", "CNA/OPEN")),
    ]


def test_a_chart_per_kpi_each_an_accessible_svg(built):
    _, page = built
    for ref in ("ASC/PB", "ASC/EN", "HR/SICK", "ASCH8"):
        (svg,) = section(page, ref).xpath(".//svg[@role='img']")
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.xpath(f".//title[@id='{title_id}']") and svg.xpath(f".//desc[@id='{desc_id}']")


def test_target_is_a_dotted_layer_and_the_floor_is_drawn(built):
    pack, page = built
    kpi = section(page, "ASC/PB")
    dotted = " ".join(map(str, SERIES["target"][2]))
    dashed = " ".join(map(str, SERIES["floor"][2]))
    paths = kpi.xpath(".//svg//path/@stroke-dasharray")
    assert any(d.replace(",", " ") == dotted for d in paths), paths
    assert any(d.replace(",", " ") == dashed for d in paths), paths
    _, targets, floors, _, shown = FIGURES["ASC/PB"]
    assert f"Target set at {shown.format(targets[CURRENT])} (dotted line)." in notes(kpi)
    assert f"The floor threshold is {shown.format(floors[CURRENT])} (dashed line)." in notes(kpi)


def test_notes_for_axis_arrears_rolling_year_and_upper_threshold(built):
    _, page = built
    sick = notes(section(page, "HR/SICK"))
    assert "Please note the axis does not start at 0." in sick
    assert "Figures are a rolling 12 months to the end of each period." in sick
    _, _, floors, _, shown = FIGURES["HR/SICK"]
    assert f"The upper threshold is {shown.format(floors[CURRENT])} (dashed line)." in sick
    assert "This measure runs a quarter in arrears." in notes(section(page, "ASC/EN"))
    assert "Please note the axis does not start at 0." not in notes(section(page, "ASC/PB"))


def test_tags_and_commentary(built):
    _, page = built
    kpi = section(page, "ASC/PB")
    tags = [li.text_content() for li in kpi.find_class("tags")[0]]
    assert tags == ["Better Care Fund measure", "Corporate Risk Register: CRR0002"]
    assert "Performance continues to improve." in " ".join(kpi.text_content().split())
    assert not section(page, "ASC/EN").find_class("tags")


def test_activity_measures_have_several_series_and_no_target(built):
    _, page = built
    kpi = section(page, "ASCH8")
    assert kpi.getparent().get("id") == "activity"
    assert notes(kpi)[0] == "Activity measure, no specified target."
    legend = " ".join(kpi.xpath(".//svg//text/text()"))
    for _, title, _ in ACTIVITY:
        assert title in legend
    assert "Target" not in legend
    rows = kpi.xpath(".//table//tbody/tr")
    assert [r.find("th").text_content() for r in rows] == [title for _, title, _ in ACTIVITY]
    assert [r.findall("td")[1].text_content() for r in rows] == ["430", "1,060"]
