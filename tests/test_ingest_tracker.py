"""The tracker format, with the trend tables of Kent's 2011/12 Q2 quarterly performance report."""

import datetime as dt

import pytest
import xlsxwriter

from boardpack.catalogue import load_project_text
from boardpack.errors import BoardpackError
from boardpack.sources.figures import load_observations

CATALOGUE = """
organisation: {code: E10000016, name: Kent County Council}
indicators:
  - {ref: AC/S3, title: Personal budgets, polarity: higher_better, unit: percent, frequency: quarterly}
  - {ref: AC/S4, title: Telecare clients, polarity: higher_better, unit: number, frequency: quarterly}
"""
ROWS = "{KCC Result: value, Target: target, Client numbers: numerator, Rag Rating: published_rag}"
PERIODS = ["Sept 10", "Dec 10", "Mar 11", "Jun 11", "Sep 11", "Dec 11", "Mar 12"]
# the two trend tables on pages 3 and 4 of the report, one block per indicator
KENT = [
    ["AC/S3", "KCC Result", "20.8%", "25.8%", "32.0%", "34.0%", "37.0%", None, None],
    [None, "Target", None, None, "30%", "33%", "37%", "43%", "50%"],
    [None, "Client numbers", "4,220", "6,430", "7,740", "8,085", "8,892", None, None],
    [None, "Rag Rating", None, None, "Green", "Green", "Green", None, None],
    ["AC/S4", "KCC Result", None, None, 985, 966, 973, None, None],
    [None, "Target", None, None, 980, 960, 970, 985, 1000],
    [None, "Rag Rating", None, None, "Green", "Green", "Green", None, None],
]


def write_xlsx(tmp_path, rows, header=("Indicator", None, *PERIODS)):
    path = tmp_path / "data" / "tracker.xlsx"
    path.parent.mkdir(exist_ok=True)
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Trend")
    for number, cells in enumerate([list(header), *rows]):
        for column, cell in enumerate(cells):
            if cell is not None:
                sheet.write(number, column, cell)
    book.close()


def load(tmp_path, source: str):
    project = load_project_text(CATALOGUE + "data:\n  - " + source + "\n")
    return load_observations(project, tmp_path, "E10000016")


def load_kent(tmp_path, rows=KENT, rows_map=ROWS):
    write_xlsx(tmp_path, rows)
    return load(
        tmp_path,
        "{file: data/tracker.xlsx, format: tracker, sheet: Trend, "
        f"indicator_column: Indicator, rows: {rows_map}}}",
    )


def problems(tmp_path, **kwargs) -> list[str]:
    with pytest.raises(BoardpackError) as caught:
        load_kent(tmp_path, **kwargs)
    return str(caught.value).splitlines()


def test_kent_trend_tables(tmp_path):
    frame = load_kent(tmp_path)
    by_key = {(row["indicator"], row["period"]): row for row in frame.to_dicts()}
    current = by_key[("AC/S3", "Q2 2011/12")]
    assert (current["value"], current["target"], current["numerator"]) == (37.0, 37.0, 8892.0)
    assert current["published_rag"] == "green"  # "Green" as written, in Boardpack's words
    assert current["period_end"] == dt.date(2011, 9, 30)
    assert current["source"] == "data/tracker.xlsx:2"
    first = by_key[("AC/S3", "Q2 2010/11")]
    assert (first["value"], first["target"], first["numerator"]) == (20.8, None, 4220.0)
    assert by_key[("AC/S4", "Q1 2011/12")]["value"] == 966.0


def test_future_targets_are_kept_without_values(tmp_path):
    frame = load_kent(tmp_path)
    future = frame.filter(frame["period"] == "Q4 2011/12").sort("indicator")
    assert future["target"].to_list() == [50.0, 1000.0]
    assert future["value"].to_list() == [None, None]
    assert future["missing_reason"].to_list() == ["not yet reported"] * 2


def test_empty_cells_are_no_observation(tmp_path):
    frame = load_kent(tmp_path)
    telecare = frame.filter(frame["indicator"] == "AC/S4")
    assert telecare["period"].to_list() == [
        "Q4 2010/11",
        "Q1 2011/12",
        "Q2 2011/12",
        "Q3 2011/12",
        "Q4 2011/12",
    ]


def test_blocks_started_by_a_row_naming_the_indicator(tmp_path):
    path = tmp_path / "data" / "tracker.csv"
    path.parent.mkdir()
    path.write_text(
        "Trend data,Sept 10,Dec 10,Mar 11\n"
        "AC/S3,,,\n"
        "KCC Result,20.8%,25.8%,32.0%\n"
        "Target,,,30%\n"
        "AC/S4,,,\n"
        "KCC Result,,,985\n",
        encoding="cp1252",
    )
    frame = load(
        tmp_path,
        "{file: data/tracker.csv, format: tracker, rows: {KCC Result: value, Target: target}}",
    )
    assert frame.select("indicator", "period", "value", "target").rows() == [
        ("AC/S3", "Q2 2010/11", 20.8, None),
        ("AC/S3", "Q3 2010/11", 25.8, None),
        ("AC/S3", "Q4 2010/11", 32.0, 30.0),
        ("AC/S4", "Q4 2010/11", 985.0, None),
    ]
    assert frame["source"].to_list() == ["data/tracker.csv:3"] * 3 + ["data/tracker.csv:6"]


def test_bad_figure_names_row_and_period_column(tmp_path):
    rows = [list(row) for row in KENT]
    rows[0][5] = "34.0%%"
    (line,) = problems(tmp_path, rows=rows)
    assert line.startswith(
        'data/tracker.xlsx, sheet "Trend", row 2, column "Jun 11": "34.0%%" is not a number'
    )


def test_unknown_indicator_in_a_block(tmp_path):
    rows = [list(row) for row in KENT]
    rows[4][0] = "AC/S5"
    (line,) = problems(tmp_path, rows=rows)
    assert line.startswith(
        'data/tracker.xlsx, sheet "Trend", row 6, column "Indicator": "AC/S5" is not an indicator'
    )
    assert "did you mean AC/S" in line


def test_row_label_not_under_rows(tmp_path):
    rows = [list(row) for row in KENT]
    rows[2][1] = "Client nos"
    (line,) = problems(tmp_path, rows=rows)
    assert line.startswith(
        'data/tracker.xlsx, sheet "Trend", row 4, column "B": "Client nos" is not a row label'
    )
    assert '"Client numbers"' in line


def test_rows_mapped_to_an_unknown_field(tmp_path):
    (line,) = problems(tmp_path, rows_map="{KCC Result: valeu, Target: target}")
    assert line.startswith(
        'boardpack.yaml, line 7 (data[0].rows): "KCC Result" is mapped to "valeu", which is '
        'not a field (did you mean "value"?); the fields are indicator, period, value'
    )


def test_missing_indicator_column(tmp_path):
    write_xlsx(tmp_path, KENT, header=("Ref", None, *PERIODS))
    with pytest.raises(BoardpackError) as caught:
        load(
            tmp_path,
            f"{{file: data/tracker.xlsx, format: tracker, indicator_column: Indicator, rows: {ROWS}}}",
        )
    assert 'no column named "Indicator"' in str(caught.value)
    assert '"Ref", "Sept 10"' in str(caught.value)


def test_unreadable_period_heading_is_reported_once(tmp_path):
    write_xlsx(tmp_path, KENT, header=("Indicator", None, "Sept 10", "Decc 10", *PERIODS[2:]))
    with pytest.raises(BoardpackError) as caught:
        load(
            tmp_path,
            f"{{file: data/tracker.xlsx, format: tracker, indicator_column: Indicator, rows: {ROWS}}}",
        )
    lines = str(caught.value).splitlines()
    assert lines == [
        'data/tracker.xlsx, sheet "Trend", row 1, column "Decc 10": "Decc 10" is not a period; '
        "the indicator is quarterly: write a quarter like Q2 2019/20, Jul-Sep 2019, or the month "
        "or day it ends, Sep 2019 or 30/09/2019"
    ]


def test_two_columns_for_the_same_period_name_both(tmp_path):
    write_xlsx(
        tmp_path,
        [row + [21.0 if row[1] == "KCC Result" else None] for row in KENT],
        header=("Indicator", None, *PERIODS, "Sep 10"),
    )
    with pytest.raises(BoardpackError) as caught:
        load(
            tmp_path,
            f"{{file: data/tracker.xlsx, format: tracker, indicator_column: Indicator, rows: {ROWS}}}",
        )
    lines = str(caught.value).splitlines()
    assert lines[0].startswith('data/tracker.xlsx, sheet "Trend", row 2, column "Sep 10": AC/S3')
    assert 'also given at data/tracker.xlsx, sheet "Trend", row 2, column "Sept 10"' in lines[0]
    assert "value 21 here, 20.8 there" in lines[0]
