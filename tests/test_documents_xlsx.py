"""The demo pack as an Excel workbook, read back with python-calamine and from its XML."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zipfile

import polars as pl
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from boardpack import evaluate, load_project
from boardpack.assemble import latest_period, pack_input
from boardpack.catalogue.models import LayoutOptions, Paper
from boardpack.cli import main
from boardpack.documents import write_xlsx
from boardpack.engine import RAG_LABELS
from documents_demo import DEMO, demo_pack

HYPERLINK = '=HYPERLINK("http://example.invalid/x","Click")'
INJECTED_TITLE = "-5 days"
OTHER_PREFIXES = ("+44 1234 567890", "@SUM(A1:A2)")


def injected_pack():
    """The demo pack with a title and commentary that a spreadsheet would take for formulas."""
    pack = demo_pack()
    first = pack.rows["indicator"][0]
    rows = pack.rows.with_columns(
        title=pl.when(pl.col("indicator") == first)
        .then(pl.lit(INJECTED_TITLE))
        .otherwise(pl.col("title"))
    )
    extra = pl.DataFrame(
        {
            "indicator": [first] * 3,
            "period": [pack.period_label] * 3,
            "section": ["panel"] * 3,
            "markdown": [HYPERLINK, *OTHER_PREFIXES],
        }
    )
    commentary = pl.concat([pack.commentary, extra], how="vertical_relaxed")
    return dataclasses.replace(pack, rows=rows, commentary=commentary), first


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    pack, first = injected_pack()
    path = write_xlsx(pack, "quarterly-report", tmp_path_factory.mktemp("xlsx") / "pack.xlsx")
    return path, pack, first


def sheet(path, name) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def sheet_xml(path, name) -> str:
    """A worksheet's XML, found by its name through the workbook's relationships."""
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode()
        rel = re.search(rf'<sheet name="{name}" sheetId="\d+" r:id="(rId\d+)"', book).group(1)
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        target = re.search(rf'Id="{rel}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'Target="([^"]+)"[^>]*Id="{rel}"', rels
        )
        return archive.read("xl/" + target.group(1).lstrip("/").removeprefix("xl/")).decode()


def as_dicts(rows: list[list]) -> list[dict]:
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_a_sheet_per_section(workbook):
    path, _, _ = workbook
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert names == ["Cover", "Summary", "Indicators", "Trend", "Commentary"]


@pytest.mark.parametrize("name", ["Cover", "Summary", "Indicators", "Trend", "Commentary"])
def test_every_sheet_has_a_frozen_filtered_header_row(workbook, name):
    xml = sheet_xml(workbook[0], name)
    pane = re.search(r"<pane [^>]*/>", xml).group(0)
    assert 'ySplit="1"' in pane and 'state="frozen"' in pane
    assert re.search(r'<autoFilter ref="A1:[A-Z]+\d+"', xml)


def test_one_indicator_row_per_reported_indicator_with_numbers_as_numbers(workbook):
    path, pack, _ = workbook
    rows = as_dicts(sheet(path, "Indicators"))
    expected = pack.rows.unique("indicator", keep="first", maintain_order=True).to_dicts()
    assert [r["Reference"] for r in rows] == [e["indicator"] for e in expected]
    for row, source in zip(rows, expected, strict=True):
        if source["value"] is not None:
            assert isinstance(row["Value"], float)
            assert row["Value"] == pytest.approx(source["value"])
        if source["numerator"] is not None:
            assert row["Numerator"] == pytest.approx(source["numerator"])
        assert row["RAG"] == RAG_LABELS[source["rag"]]
        assert isinstance(row["Period end"], dt.date)
        assert row["Period end"] == source["period_end"]
    for column in ("Tier", "Direction of travel", "SPC variation", "Forecast year end"):
        assert column in rows[0]
    forecast = [r for r in rows if r["Forecast year end"] not in (None, "")]
    method = "Forecast method (statistical projection)"
    assert forecast and all("prediction interval" in r[method] for r in forecast)


def test_percentages_are_shown_with_a_percent_sign_and_shares_as_true_percentages(workbook):
    path, pack, _ = workbook
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert 'formatCode="#,##0.0&quot;%&quot;"' in styles
    assert 'formatCode="0.0%"' in styles
    rows = as_dicts(sheet(path, "Indicators"))
    percent = next(r for r in rows if r["Unit"] == "percent" and r["Variance of target"])
    source = pack.rows.filter(pl.col("indicator") == percent["Reference"]).row(0, named=True)
    assert percent["Variance of target"] == pytest.approx(source["variance_pct"])


def test_rag_cells_carry_a_fill(workbook):
    with zipfile.ZipFile(workbook[0]) as archive:
        styles = archive.read("xl/styles.xml").decode()
    for fill in ("FFE6F3EC", "FFFFF4DE", "FFFCE8E6"):  # green, amber, red
        assert f'rgb="{fill}"' in styles


def test_the_trend_sheet_has_a_row_per_indicator_and_period(workbook):
    path, pack, _ = workbook
    rows = as_dicts(sheet(path, "Trend"))
    reported = set(pack.rows["indicator"].to_list())
    expected = pack.history.filter(pl.col("indicator").is_in(reported))
    assert len(rows) == expected.height
    assert {r["Reference"] for r in rows} == reported
    assert all(isinstance(r["Period start"], dt.date) for r in rows)


def test_text_that_looks_like_a_formula_is_stored_as_text(workbook):
    """Stored as text, and neutralised with a leading apostrophe (`boardpack.formulas`), so
    that the workbook saved again as CSV cannot run it either."""
    path, _, first = workbook
    for name in ("Summary", "Indicators", "Trend", "Commentary"):
        assert "<f>" not in sheet_xml(path, name), f"{name} holds a formula"
    texts = [r["Text (Markdown)"] for r in as_dicts(sheet(path, "Commentary"))]
    assert "'" + HYPERLINK in texts
    for text in OTHER_PREFIXES:
        assert "'" + text in texts
    titles = {r["Reference"]: r["Title"] for r in as_dicts(sheet(path, "Indicators"))}
    assert titles[first] == "'" + INJECTED_TITLE


def test_build_writes_the_workbook_alone_when_asked(tmp_path):
    result = CliRunner().invoke(
        main, ["build", str(DEMO), "--out", str(tmp_path), "--format", "xlsx"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pack.xlsx").is_file()
    assert not (tmp_path / "index.html").exists()


def test_build_refuses_an_unknown_format(tmp_path):
    result = CliRunner().invoke(
        main, ["build", str(DEMO), "--out", str(tmp_path), "--format", "html,rtf"]
    )
    assert result.exit_code == 2
    assert "rtf is not a format" in result.output


SEEDS = DEMO.parent / "seeds"


def seed_workbook(name, tmp_path):
    dataset = load_project(SEEDS / name)
    pack = pack_input(dataset, evaluate(dataset), latest_period(dataset))
    return write_xlsx(pack, "scorecard", tmp_path / "pack.xlsx"), pack


def cover(path) -> dict:
    return {row["Item"]: row["Detail"] for row in as_dicts(sheet(path, "Cover"))}


def test_the_cover_sheet_is_the_layout_s_paper(workbook):
    path, pack, _ = workbook
    given = cover(path)
    paper = pack.project.paper_for("quarterly-report")
    assert given["Committee"] == paper.committee == "Cabinet"  # the layout's, not the project's
    assert pack.project.paper.committee != "Cabinet"
    assert given["Title"] == "Quarterly Performance Report"
    assert given["Date"] == "20 November 2025"  # as the cover block writes it
    assert given["Report author"] == paper.author.name
    assert given["Period"] == pack.period_label
    assert given["Organisation"] == pack.project.organisation.name


def test_each_layout_s_excel_cover_has_its_own_paper_title(tmp_path):
    """`write_documents` tells every format the layout, so the Excel cover sheet carries the
    layout's paper: a title given under layouts: is on it, and the layout's default
    recommendation where the project gives none."""
    from boardpack.documents import write_documents

    pack = demo_pack()
    project = pack.project.model_copy(deep=True)
    project.layouts["member-summary"] = LayoutOptions(
        paper=Paper(title="Members' Performance Digest", version="7")
    )
    pack = dataclasses.replace(pack, project=project)
    for layout, title, version in (
        ("member-summary", "Members' Performance Digest", "7"),
        ("committee-dashboard", "Adult Social Care and Health Performance Dashboard", "1.0"),
    ):
        (path,) = write_documents(pack, layout, ["xlsx"], tmp_path / layout)
        given = cover(path)
        assert (given["Title"], given["Version"]) == (title, version), layout
        properties = zipfile.ZipFile(path).read("docProps/core.xml").decode()
        assert f"<dc:title>{title}, {pack.period_label}" in properties
    assert (
        "is asked to CONSIDER and COMMENT on the Adult Social Care"
        in given["Recommendations (Markdown)"]
    )


def test_the_barnet_workbook_has_finance_risk_and_commitment_sheets(tmp_path):
    path, pack = seed_workbook("barnet-2015-16-q1", tmp_path)
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert names[-4:] == ["Revenue", "Capital", "Risks", "Commitments"]
    for name, frame in (
        ("Revenue", pack.report.revenue),
        ("Capital", pack.report.capital),
        ("Risks", pack.report.risks),
        ("Commitments", pack.report.commitments),
    ):
        rows = as_dicts(sheet(path, name))
        assert len(rows) == frame.height > 0
    revenue = as_dicts(sheet(path, "Revenue"))
    assert [row["Forecast"] for row in revenue] == pack.report.revenue["forecast"].to_list()
    risks = as_dicts(sheet(path, "Risks"))
    assert [row["Ref"] for row in risks] == pack.report.risks["ref"].to_list()


def test_the_summary_sheet_counts_what_the_pack_counts(tmp_path):
    path, pack = seed_workbook("worcestershire-2019-20-q2", tmp_path)
    rows = as_dicts(sheet(path, "Summary"))
    assert "Not set" not in [row["Group"] for row in rows]
    overall = next(row for row in rows if row["Group"] == "Overall")
    shown = pack.rows["rag"].value_counts()
    counted = dict(zip(shown["rag"].cast(pl.String), shown["count"], strict=True))
    assert {RAG_LABELS[rag]: n for rag, n in counted.items()} == {
        label: overall[label] for label in (RAG_LABELS[rag] for rag in counted)
    }
    assert (overall["Green"], overall["Amber"], overall["Red"]) == (10, 10, 4)
