import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter

from boardpack.sources.columnar import ROW, read_csv_frame
from boardpack.sources.readers import ReadError, cell_text, read_rows, sheet_names

ASCOF = (
    Path(__file__).resolve().parents[1]
    / "examples/ascof-england/data/ascof_timeseries_2015-16_to_2024-25.ods"
)
CSV_TEXT = 'indicator,period,value\r\nAC/S3,Q2 2011/12,"£1,311"\r\n\r\nAC/S4,Q2 2011/12,37.0%\r\n'


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8"])
def test_csv_in_the_encodings_excel_writes(tmp_path, encoding):
    path = tmp_path / "figures.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    table = read_rows(path, name="data/figures.csv")
    assert table.name == "data/figures.csv"
    assert table.header == ["indicator", "period", "value"]
    assert table.rows[0].cells == ["AC/S3", "Q2 2011/12", "£1,311"]
    # the blank line is dropped but row numbers stay as the spreadsheet shows them
    assert [row.number for row in table.rows] == [2, 4]


def test_cp1252_pound_sign_is_read_as_a_pound(tmp_path):
    path = tmp_path / "money.csv"
    path.write_bytes(b"indicator,value\nFIN1,\xa31,062\n")
    assert read_rows(path).rows[0].cells[1] == "£1"


def _workbook(path: Path) -> None:
    book = xlsxwriter.Workbook(path)
    notes = book.add_worksheet("Notes")
    notes.write("A1", "About this workbook")
    sheet = book.add_worksheet("Trend")
    sheet.write_row("A1", ["indicator", "period", "value", "numerator"])
    sheet.write_row("A2", ["AC/S3", "Q2 2011/12", 37.0, 8892])
    sheet.write("A3", "AC/S4")
    sheet.write_datetime(
        "B3", dt.datetime(2011, 9, 30), book.add_format({"num_format": "dd/mm/yyyy"})
    )
    sheet.write_formula("C3", "=D3/100", None, 80.92)
    sheet.write("D3", 8092)
    book.close()


def test_xlsx_reads_cached_formula_values_and_dates(tmp_path):
    path = tmp_path / "tracker.xlsx"
    _workbook(path)
    table = read_rows(path, sheet="Trend")
    assert table.sheet == "Trend"
    assert table.header == ["indicator", "period", "value", "numerator"]
    assert table.rows[0].cells == ["AC/S3", "Q2 2011/12", 37.0, 8892.0]
    assert table.rows[1].number == 3
    assert table.rows[1].cells[1] == "30/09/2011"
    assert table.rows[1].cells[2] == pytest.approx(80.92)


def test_xlsx_first_sheet_by_default(tmp_path):
    path = tmp_path / "tracker.xlsx"
    _workbook(path)
    table = read_rows(path)
    assert table.sheet == "Notes"
    assert table.header == ["About this workbook"]


def test_header_row_keeps_spreadsheet_row_numbers(tmp_path):
    path = tmp_path / "titled.csv"
    path.write_text("Adult social care figures\n\nindicator,period,value\nAC/S3,Q2 2011/12,37\n")
    table = read_rows(path, header_row=3)
    assert table.header == ["indicator", "period", "value"]
    assert table.rows[0].number == 4


def test_ods_real_national_data():
    assert "Table_1a" in sheet_names(ASCOF)
    table = read_rows(ASCOF, sheet="Table_1a", header_row=6)
    assert table.header[:3] == ["Local authority code", "Local authority", "ONS area code"]
    england = table.rows[0]
    assert england.number == 7
    assert england.cells[:3] == ["England", "England", "E92000001"]
    assert isinstance(england.cells[4], float)
    assert any("[z]" in row.cells for row in table.rows)


def test_ods_written_by_odfpy(tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    sheet = Table(name="Figures")
    for values in (["indicator", "period", "value"], ["AC/S3", "Q2 2011/12", 37.5]):
        row = TableRow()
        for value in values:
            if isinstance(value, float):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        sheet.addElement(row)
    doc.spreadsheet.addElement(sheet)
    path = tmp_path / "figures.ods"
    doc.save(str(path))
    table = read_rows(path)
    assert table.sheet == "Figures"
    assert table.rows[0].cells == ["AC/S3", "Q2 2011/12", 37.5]


def test_missing_file(tmp_path):
    with pytest.raises(ReadError) as caught:
        read_rows(tmp_path / "nope.csv", name="data/nope.csv")
    assert "data/nope.csv" in str(caught.value)
    assert "not found" in str(caught.value)


def test_unknown_sheet_lists_the_sheets(tmp_path):
    path = tmp_path / "tracker.xlsx"
    _workbook(path)
    with pytest.raises(ReadError) as caught:
        read_rows(path, sheet="Trends")
    message = str(caught.value)
    assert 'no sheet named "Trends"' in message
    assert '"Notes", "Trend"' in message


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(ReadError, match="empty.csv: is empty"):
        read_rows(path)


def test_unknown_file_type(tmp_path):
    path = tmp_path / "figures.txt"
    path.write_text("indicator,period,value\n")
    with pytest.raises(ReadError, match=r"cannot read \.txt; save it as one of .*\.csv"):
        read_rows(path)


COLUMNAR_CSVS = {
    "plain": b"indicator,period,value\nA1,Q1 2024/25,37.5\nA1,Q2 2024/25,[c]\n",
    "spaces, blanks and quotes": (
        b"\n\nindicator , period,value\r\n A1 ,Q1 2024/25,  \r\n,,\r\n"
        b'"A2","Q2\n2024/25"," 1,631 "\r\n   ,  , \r\nA3,Q3 2024/25\r\n'
    ),
    "byte-order mark": b"\xef\xbb\xbfindicator,period,value\nA1,Q1 2024/25,\xc2\xa312\n",
    "Windows-1252": b"indicator,period,value\nA1,Q1 2024/25,\xa312\n",
}


@pytest.mark.parametrize("content", COLUMNAR_CSVS.values(), ids=COLUMNAR_CSVS.keys())
def test_a_csv_read_as_a_frame_has_the_rows_and_cells_read_rows_gives(tmp_path, content):
    path = tmp_path / "figures.csv"
    path.write_bytes(content)
    table = read_rows(path)
    frame = read_csv_frame(path, str(path), None)
    assert frame.header == table.header
    assert frame.header_row == table.header_row
    cells = [frame.column(index) for index in range(len(frame.header))]
    rows = [(number, list(values)) for number, *values in frame.frame.select(ROW, *cells).rows()]
    assert rows == [
        (row.number, [None if c is None else cell_text(c) for c in row.cells]) for row in table.rows
    ]
