import datetime as dt

import polars as pl
import pytest
import xlsxwriter

from boardpack.catalogue import load_project_text
from boardpack.dataset.schema import OBSERVATIONS
from boardpack.errors import BoardpackError
from boardpack.sources.figures import load_observations

ORG = "E10000016"
CATALOGUE = """
organisation: {code: E10000016, name: Kent County Council}
indicators:
  - {ref: AC/S3, title: Personal budgets, polarity: higher_better, unit: percent, frequency: quarterly}
  - {ref: AC/S4, title: Telecare clients, polarity: higher_better, unit: number, frequency: quarterly}
  - {ref: AC/M1, title: Admissions, polarity: lower_better, unit: number, frequency: monthly}
"""


def project(data: str = "  - {file: data/figures.csv}\n"):
    return load_project_text(CATALOGUE + "data:\n" + data)


def write(tmp_path, text: str, name: str = "data/figures.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def load(tmp_path, data: str | None = None) -> pl.DataFrame:
    return load_observations(project(data) if data else project(), tmp_path, ORG)


def problems_of(tmp_path, data: str | None = None) -> BoardpackError:
    with pytest.raises(BoardpackError) as caught:
        load(tmp_path, data)
    return caught.value


def only_line(failed: BoardpackError) -> str:
    lines = str(failed).splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_tidy_file_becomes_observations_with_the_contract_columns(tmp_path):
    write(
        tmp_path,
        (
            "indicator,period,value,numerator,denominator,target,floor,status,note\r\n"
            'AC/S3,Q2 2011/12,37.0%,"8,892","24,032",37%,30%,Final,Ahead of plan\r\n'
            "AC/S3,Q3 2011/12,,,,43%,,,\r\n"
            "AC/S4,Sep 11,[c],,,970,,provisional,\r\n"
        ),
        encoding="cp1252",
    )
    frame = load(tmp_path)
    assert frame.schema == pl.Schema(OBSERVATIONS.columns)
    first, future, suppressed = frame.to_dicts()
    assert first == {
        "indicator": "AC/S3",
        "organisation": ORG,
        "period": "Q2 2011/12",
        "period_start": dt.date(2011, 7, 1),
        "period_end": dt.date(2011, 9, 30),
        "end_month": 2011 * 12 + 8,
        "value": 37.0,
        "numerator": 8892.0,
        "denominator": 24032.0,
        "target": 37.0,
        "floor": 30.0,
        "status": "final",
        "note": "Ahead of plan",
        "missing_reason": None,
        "published_rag": None,
        "published_direction": None,
        "baseline": None,
        "source": "data/figures.csv:2",
    }
    assert (future["value"], future["target"], future["missing_reason"]) == (
        None,
        43.0,
        "not yet reported",
    )
    assert suppressed["period"] == "Q2 2011/12"
    assert (suppressed["value"], suppressed["missing_reason"]) == (None, "suppressed")


def test_headers_matched_loosely_and_mapped_by_columns(tmp_path):
    write(tmp_path, " Ref ,QUARTER,Result,Organisation\nAC/S4,Q1 2011/12,966,E06000001\n")
    frame = load(
        tmp_path,
        "  - {file: data/figures.csv, columns: {ref: indicator, Quarter: period, result: value}}\n",
    )
    row = frame.row(0, named=True)
    assert (row["indicator"], row["period"], row["value"], row["organisation"]) == (
        "AC/S4",
        "Q1 2011/12",
        966.0,
        "E06000001",
    )


def test_date_labels_use_the_indicator_frequency(tmp_path):
    write(tmp_path, "indicator,period,value\nAC/S4,30/09/2011,973\nAC/M1,30/09/2011,12\n")
    frame = load(tmp_path)
    assert frame["period"].to_list() == ["Q2 2011/12", "Sep 2011"]


def test_identical_duplicates_collapse(tmp_path):
    write(tmp_path, "indicator,period,value\nAC/S4,Q1 2011/12,966\nAC/S4,Jun-11,966\n")
    frame = load(tmp_path)
    assert frame.height == 1
    assert frame["source"].to_list() == ["data/figures.csv:2"]


def test_xlsx_tidy_sheet_with_formula(tmp_path):
    path = tmp_path / "data" / "figures.xlsx"
    path.parent.mkdir()
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Figures")
    sheet.write_row("A1", ["indicator", "period", "numerator", "denominator", "value"])
    sheet.write_row("A2", ["AC/S3", "Q2 2011/12", 8892, 24032])
    sheet.write_formula("E2", "=C2/D2*100", None, 37.0)
    book.close()
    frame = load(tmp_path, "  - {file: data/figures.xlsx, sheet: Figures}\n")
    assert frame["value"].to_list() == [37.0]
    assert frame["source"].to_list() == ["data/figures.xlsx:2"]


def write_workbook(tmp_path, rows: list[list], name: str = "figures.xlsx"):
    path = tmp_path / "data" / name
    path.parent.mkdir(exist_ok=True)
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Figures")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    for number, row in enumerate(rows):
        for column, cell in enumerate(row):
            if isinstance(cell, dt.date):
                sheet.write_datetime(number, column, dt.datetime.combine(cell, dt.time()), dates)
            elif cell is not None:
                sheet.write(number, column, cell)
    book.close()


def read_both_ways(tmp_path, monkeypatch, data: str):
    """The observations (or the problems' text) of a project read through the frame path and
    through the row-by-row reader alone."""
    from boardpack.sources.figures import observations

    def outcome():
        try:
            return load(tmp_path, data)
        except BoardpackError as failed:
            return str(failed)

    columnar = outcome()
    with monkeypatch.context() as patched:
        patched.setattr(observations, "read_sheet_frame", lambda *args: None)
        by_row = outcome()
    return columnar, by_row


WORKBOOK_ROWS = [
    [None],
    ["Indicator ", "Period", "Value", "Numerator", "Denominator", "Status", "Note"],
    ["AC/S3", "Q2 2011/12", "37.0%", 8892, 24032, "Final", "  Ahead of plan "],
    ["ac/s4", "Sep 11", "[c]", None, None, "provisional", None],
    [None, None, None],
    ["AC/S4", "Q3 2011/12", "£1,311,192", None, None, None, None],
    ["AC/M1", dt.date(2011, 10, 31), "(1,234)", None, None, None, None],
    ["AC/M1", "Nov 2011", 2015.0, None, None, None, None],
    ["AC/M1", "Dec 2011", 12.25, None, None, None, None],
    ["AC/M1", "Dec 2011", 12.25, None, None, None, None],
]


def test_a_workbook_sheet_is_read_as_a_frame_as_the_row_by_row_reader_reads_it(
    tmp_path, monkeypatch
):
    write_workbook(tmp_path, WORKBOOK_ROWS)
    data = "  - {file: data/figures.xlsx, sheet: Figures}\n"
    columnar, by_row = read_both_ways(tmp_path, monkeypatch, data)
    assert isinstance(columnar, pl.DataFrame), columnar
    assert columnar.equals(by_row)
    assert columnar["value"].to_list() == [37.0, None, 1311192.0, -1234.0, 2015.0, 12.25]
    assert columnar["period"][3] == "Oct 2011"
    assert columnar["source"][0] == "data/figures.xlsx:3"


def test_a_workbook_sheets_problems_are_the_row_by_row_readers(tmp_path, monkeypatch):
    rows = [
        *WORKBOOK_ROWS,
        ["AC/S33", "Q1 2011/12", "34%", None, None, None, None],
        ["AC/S3", "Qtr 9 2011", 12.5, None, None, None, None],
        ["AC/S4", "Q1 2011/12", "12..5", None, None, "draft", None],
        ["AC/S4", "Q2 2011/12", "37%", None, None, None, None],
        ["AC/M1", "Jan 2012", True, None, None, None, None, "1,631"],
    ]
    write_workbook(tmp_path, rows)
    columnar, by_row = read_both_ways(tmp_path, monkeypatch, "  - {file: data/figures.xlsx}\n")
    assert isinstance(columnar, str)
    assert columnar == by_row
    lines = columnar.splitlines()
    assert lines[0].startswith('data/figures.xlsx, sheet "Figures", row 11, column "Indicator"')
    assert len(lines) == 6, lines
    assert any('sheet "Figures", row 15, column "H": "1,631"' in line for line in lines)


# -- one test per kind of bad input ---------------------------------------------------------


def test_unknown_indicator_names_the_closest(tmp_path):
    write(tmp_path, "indicator,period,value\nAC/S3,Q1 2011/12,34%\nAC/S33,Q2 2011/12,37%\n")
    line = only_line(problems_of(tmp_path))
    assert line.startswith('data/figures.csv, row 3, column "indicator": "AC/S33"')
    assert "did you mean AC/S3?" in line


def test_unparseable_period(tmp_path):
    write(tmp_path, "indicator,period,value\nAC/S3,Qtr 9 2011,37%\n")
    line = only_line(problems_of(tmp_path))
    assert line.startswith('data/figures.csv, row 2, column "period": "Qtr 9 2011" is not a period')
    assert "Q2 2019/20" in line


def test_an_unread_period_says_the_indicators_frequency_and_how_to_write_it(tmp_path):
    write(
        tmp_path,
        "indicator,period,value\nAC/S3,Qtr 9 2011,37%\nAC/M1,Sept 2011x,12\n"
        "AC/S4,Aug 2011,5\nAC/S99,Qtr 9 2011,1\n",
    )
    lines = str(problems_of(tmp_path)).splitlines()
    assert lines[0] == (
        'data/figures.csv, row 2, column "period": "Qtr 9 2011" is not a period; the indicator '
        "is quarterly: write a quarter like Q2 2019/20, Jul-Sep 2019, or the month or day it "
        "ends, Sep 2019 or 30/09/2019"
    )
    assert lines[1].endswith(
        '"Sept 2011x" is not a period; the indicator is monthly: write a month like Sep 2019, '
        "2019-09 or the day it ends, 30/09/2019"
    )
    assert lines[2].endswith(
        '"Aug 2011" is not a period (a quarter of the financial year ends in June, September, '
        "December or March); the indicator is quarterly: write a quarter like Q2 2019/20, "
        "Jul-Sep 2019, or the month or day it ends, Sep 2019 or 30/09/2019"
    )
    unknown = [line for line in lines if "row 5" in line and '"period"' in line]
    assert unknown and "write it like Q2 2019/20, Sep 2019, 2019/20 or 30/09/2019" in unknown[0]


def test_unparseable_value(tmp_path):
    write(
        tmp_path,
        "indicator,period,value\n" + "AC/S3,Q1 2011/12,34%\n" * 12 + "AC/S4,Q2 2011/12,12..5\n",
    )
    line = only_line(problems_of(tmp_path))
    assert line == (
        'data/figures.csv, row 14, column "value": "12..5" is not a number; '
        "write it like 37.5, 37.5% or 1,631"
    )


def test_bad_status(tmp_path):
    write(tmp_path, "indicator,period,value,status\nAC/S3,Q1 2011/12,34%,draft\n")
    line = only_line(problems_of(tmp_path))
    assert line.startswith('data/figures.csv, row 2, column "status": "draft" is not a status')
    assert "provisional or final" in line


def test_zero_denominator_with_a_numerator(tmp_path):
    write(
        tmp_path,
        "indicator,period,value,numerator,denominator\n"
        "AC/S3,Q1 2011/12,34%,12,10\nAC/S3,Q2 2011/12,,12,0\n",
    )
    line = only_line(problems_of(tmp_path))
    assert line.startswith('data/figures.csv, row 3, column "denominator": "0" is zero')


def test_duplicates_with_different_values_name_both_rows(tmp_path):
    write(
        tmp_path,
        "indicator,period,value\nAC/S4,Q1 2011/12,966\nAC/S4,Q2 2011/12,973\nAC/S4,Jun 11,960\n",
    )
    line = only_line(problems_of(tmp_path))
    assert line.startswith("data/figures.csv, row 4: AC/S4")
    assert "also given at data/figures.csv, row 2" in line
    assert "value 960 here, 966 there" in line


def test_missing_required_column_names_the_columns_found(tmp_path):
    write(tmp_path, "Ref,Quarter,value\nAC/S3,Q1 2011/12,34%\nAC/S3,Q2 2011/12,3..4%\n")
    line = only_line(problems_of(tmp_path))
    assert line.startswith('data/figures.csv: missing columns "indicator", "period"')
    assert 'the columns found are "Ref", "Quarter", "value"' in line


def test_percent_given_for_an_indicator_counted_in_numbers(tmp_path):
    write(tmp_path, "indicator,period,value\nAC/S4,Q1 2011/12,96%\n")
    line = only_line(problems_of(tmp_path))
    assert line.startswith('data/figures.csv, row 2, column "value": "96%" is a percentage')


def test_number_split_at_its_comma(tmp_path):
    write(tmp_path, "indicator,period,value\nAC/S4,Q1 2011/12,1,631\n")
    failed = problems_of(tmp_path)
    assert str(failed.problems[0]).startswith(
        'data/figures.csv, row 2, column "D": "631" is in a column with no header'
    )


def test_missing_file_is_reported(tmp_path):
    line = only_line(problems_of(tmp_path))
    assert line.startswith("data/figures.csv: file not found")


def test_every_problem_is_reported_and_nothing_loaded(tmp_path):
    write(
        tmp_path,
        "indicator,period,value\nAC/S3,Q1 2011/12,34%\nAC/S33,Q2 2011/12,37%\n"
        "AC/S3,Q3 2011/12,abc\nAC/S4,Q5 2011/12,12\n",
    )
    failed = problems_of(tmp_path)
    assert [(p.row, p.column, p.value) for p in failed.problems] == [
        (3, "indicator", "AC/S33"),
        (4, "value", "abc"),
        (5, "period", "Q5 2011/12"),
    ]
    lines = str(failed).splitlines()
    assert len(lines) == 3
    assert all(line.startswith("data/figures.csv, row ") for line in lines)


def test_problems_from_every_file_are_collected(tmp_path):
    write(tmp_path, "indicator,period,value\nAC/S3,Q1 2011/12,3..4%\n")
    write(
        tmp_path,
        "indicator,period,value,status\nAC/S4,Q1 2011/12,966,maybe\n",
        name="data/more.csv",
    )
    failed = problems_of(tmp_path, "  - {file: data/figures.csv}\n  - {file: data/more.csv}\n")
    assert [p.file for p in failed.problems] == ["data/figures.csv", "data/more.csv"]
