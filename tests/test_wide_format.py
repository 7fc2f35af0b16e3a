"""A council's tracker as kept: one row per indicator, months across the top, a title above
the table, a Notes sheet first, percentages formatted as such, words where figures are late."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
import yaml

from boardpack import api
from boardpack.errors import BoardpackError
from boardpack.init_project import init_project
from boardpack.sources.percent_cells import is_percent_format
from boardpack.sources.readers import read_rows, read_workbook

MONTHS = ["Apr-25", "May-25", "Jun-25", "Jul-25"]


def tracker(path: Path, months: list[str] = MONTHS) -> Path:
    """The workbook: a Notes sheet, then the tracker under a title and a source line."""
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Notes").write("A1", "Adult Social Care tracker - OFFICIAL")
    sheet = book.add_worksheet("ASC Tracker")
    percent = book.add_format({"num_format": "0.0%"})
    sheet.merge_range("A1:H1", "Adult Social Care - monthly KPI tracker")
    sheet.write("A2", "Source: Mosaic; data as at the 5th of the month")
    sheet.write_row(3, 0, ["Ref", "Indicator", "Polarity", "Target 25/26", *months, "Comments"])
    sheet.write_row(4, 0, ["ASC 1", "Reablement: no further request", "High"])
    for column, fraction in enumerate([0.78, 0.81, 0.79, 0.775], start=3):
        sheet.write(4, column, fraction, percent)
    sheet.write(4, 7, "TBC")
    sheet.write_row(5, 0, ["ASC 2", "Average days from request to assessment", "Low", 28])
    sheet.write_row(5, 4, ["31 days", 29, "n/a", 26, "Jul data late"])
    sheet.write(7, 0, "Key: Green = on target, Amber = within 5%")
    book.close()
    return path


def project(folder: Path, source: dict) -> Path:
    folder.mkdir()
    tracker(folder / "tracker.xlsx")
    catalogue = {
        "organisation": {"code": "E06000099", "name": "Northvale"},
        "indicators": [
            {
                "ref": "ASC1",
                "title": "Reablement",
                "polarity": "higher_better",
                "unit": "percent",
                "frequency": "monthly",
            },
            {
                "ref": "ASC2",
                "title": "Days to assessment",
                "polarity": "lower_better",
                "unit": "days",
                "frequency": "monthly",
            },
        ],
        "data": [{"file": "tracker.xlsx", "sheet": "ASC Tracker", "format": "wide", **source}],
    }
    (folder / "boardpack.yaml").write_text(yaml.safe_dump(catalogue, sort_keys=False))
    return folder


WIDE = {
    "columns": {"Ref": "indicator", "Target 25/26": "target"},
    "ignore": ["Indicator", "Polarity", "Comments"],
    "missing": ["TBC"],
}


def test_a_wide_tracker_is_read_as_kept(tmp_path):
    observations = api.dataset_of(project(tmp_path / "p", WIDE)).observations
    figures = {
        (row["indicator"], row["period"]): (row["value"], row["target"])
        for row in observations.iter_rows(named=True)
    }
    assert figures[("ASC1", "Apr 2025")] == (81.0, 78.0)  # 0.81 formatted as 81.0%
    assert figures[("ASC1", "Jun 2025")] == (77.5, 78.0)
    assert figures[("ASC2", "Apr 2025")] == (31.0, 28.0)  # "31 days"
    assert figures[("ASC2", "Jul 2025")] == (26.0, 28.0)
    missing = observations.filter(observations["value"].is_null())
    assert sorted(missing["period"]) == ["Jul 2025", "Jun 2025"]  # TBC, n/a


def test_a_column_neither_a_period_nor_placed_is_named_with_the_fix(tmp_path):
    folder = project(tmp_path / "p", {**WIDE, "ignore": ["Indicator", "Polarity"]})
    with pytest.raises(BoardpackError) as error:
        api.dataset_of(folder)
    assert 'column "Comments" is not headed by a period' in str(error.value)
    assert "list it under `ignore:`" in str(error.value)


def test_a_mistyped_month_is_not_dropped_silently(tmp_path):
    folder = tmp_path / "p"
    project(folder, WIDE)
    tracker(folder / "tracker.xlsx", ["Apr-25", "Mayy-25", "Jun-25", "Jul-25"])
    with pytest.raises(BoardpackError, match='column "Mayy-25" is not headed by a period'):
        api.dataset_of(folder)


def test_a_column_of_figures_cannot_be_the_rows_value(tmp_path):
    source = {**WIDE, "columns": {"Ref": "indicator", "Target 25/26": "value"}}
    with pytest.raises(BoardpackError, match="in a wide file is each period's figure"):
        api.dataset_of(project(tmp_path / "p", source))


def test_the_header_is_the_first_row_with_two_cells_filled(tmp_path):
    table = read_rows(tracker(tmp_path / "t.xlsx"), "ASC Tracker")
    assert table.header_row == 4
    assert table.header[:2] == ["Ref", "Indicator"]


@pytest.mark.parametrize(
    ("code", "percent"),
    [("0%", True), ("0.0%", True), ('0.0"%"', False), ("0.0\\%", False), ("#,##0", False)],
)
def test_a_format_shows_a_percentage_when_its_percent_sign_is_not_literal(code, percent):
    assert is_percent_format(code) is percent


def test_built_in_and_custom_percentage_formats_read_as_shown(tmp_path):
    path = tmp_path / "p.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Data")
    sheet.write(0, 0, 0.5, book.add_format({"num_format": 9}))
    sheet.write(0, 1, 0.125, book.add_format({"num_format": "0.00%"}))
    sheet.write(0, 2, 0.5, book.add_format({"num_format": '0"%"'}))
    sheet.write(0, 3, 0.5)
    sheet.write(0, 4, 0.12345678, book.add_format({"num_format": "0%"}))
    book.close()
    assert read_workbook(path, None, "p.xlsx")[1] == [["50%", "12.5%", 0.5, 0.5, "12.345678%"]]


def test_an_ods_percentage_reads_as_shown(tmp_path):
    odf = pytest.importorskip("odf.opendocument")
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = odf.OpenDocumentSpreadsheet()
    table = Table(name="Data")
    for kind, value in (("float", 3), ("percentage", 0.42)):
        row = TableRow()
        cell = TableCell(valuetype=kind, value=value)
        cell.addElement(P(text=str(value)))
        row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(tmp_path / "p.ods"))
    assert read_workbook(tmp_path / "p.ods", None, "p.ods")[1] == [[3.0], ["42%"]]


def test_init_starts_a_project_from_the_tracker_as_kept(tmp_path):
    made = init_project(tmp_path / "council", tracker(tmp_path / "tracker.xlsx"))
    catalogue = yaml.safe_load(made.path.read_text())
    (data,) = catalogue["data"]
    assert data["format"] == "wide" and data["sheet"] == "ASC Tracker"  # Notes passed over
    assert data["columns"] == {"Ref": "indicator", "Target 25/26": "target"}
    assert data["missing"] == ["TBC"]
    refs = {ind["ref"]: ind for ind in catalogue["indicators"]}
    assert refs["ASC1"]["polarity"] == "higher_better" and refs["ASC1"]["unit"] == "percent"
    assert refs["ASC2"]["polarity"] == "lower_better"  # "Low", though the title says nothing
    assert '# the file says "Low"' in made.path.read_text()
    observations = api.dataset_of(tmp_path / "council").observations
    assert observations.height == 8
