"""The safety checks of a CSV with quotes (as Excel writes a value holding a comma): found over
the whole file at once, with the row, column and limit Python's CSV reader finds row by row."""

from __future__ import annotations

import io
import random

import pytest

from boardpack.sources import safety
from boardpack.sources.columnar import read_csv_frame
from boardpack.sources.readers import ReadError, read_rows

HEADER = "indicator,title,period,value,note\n"


def quoted_rows(count: int) -> list[str]:
    """Rows as Excel writes them: titles and values holding commas quoted, a note over two
    lines in the third row (so from there rows and lines are numbered differently)."""
    rows = []
    for number in range(2, count + 2):
        note = '"Revised, see the\nApril return"' if number == 3 else '"Said ""final"", twice"'
        rows.append(f'A{number},"Spend, net",Q1 2024/25,"£1,311,{number:03d}",{note}\n')
    return rows


def write(tmp_path, rows: list[str]):
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_a_quoted_csv_within_the_limits_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv("BOARDPACK_MAX_CELL_CHARS", "40")
    path = write(tmp_path, quoted_rows(50))
    table = read_rows(path)
    assert len(table.rows) == 50
    assert table.rows[1].cells[4] == "Revised, see the\nApril return"
    assert read_csv_frame(path, "figures.csv", None).frame.height == 50


def test_a_quoted_csv_with_too_long_a_cell_in_row_n_reports_row_n(tmp_path, monkeypatch):
    monkeypatch.setenv("BOARDPACK_MAX_CELL_CHARS", "40")
    rows = quoted_rows(60)
    rows[38] = rows[38].replace("Spend, net", "Spend, net, on " + "x" * 30)  # row 40: 45 characters
    with pytest.raises(ReadError) as refused:
        read_rows(write(tmp_path, rows), name="figures.csv")
    assert str(refused.value) == (
        'figures.csv, row 40, column "B": a cell holds 45 characters; the most allowed is 40 '
        "(BOARDPACK_MAX_CELL_CHARS); shorten the cell, or ask the administrator to raise "
        "BOARDPACK_MAX_CELL_CHARS"
    )


def test_a_quoted_csv_with_too_many_cells_in_row_n_reports_row_n(tmp_path, monkeypatch):
    monkeypatch.setenv("BOARDPACK_MAX_COLUMNS", "6")
    rows = quoted_rows(60)
    rows[10] = rows[10].replace("Spend, net", "Spend, net, gross, after grants, in £")  # row 12
    rows[50] = rows[50].rstrip("\n") + ",,\n"  # row 52: 7 cells
    with pytest.raises(ReadError) as refused:
        read_rows(write(tmp_path, rows), name="figures.csv")
    assert str(refused.value).startswith(
        "figures.csv, row 52: has 7 columns; the most allowed is 6 (BOARDPACK_MAX_COLUMNS)"
    )


def test_a_quoted_csv_with_too_many_rows_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("BOARDPACK_MAX_ROWS", "40")
    with pytest.raises(ReadError, match="has more than 40 rows; the most allowed is 40"):
        read_rows(write(tmp_path, quoted_rows(40)))  # the header makes 41
    monkeypatch.setenv("BOARDPACK_MAX_ROWS", "41")
    assert len(read_rows(write(tmp_path, quoted_rows(40))).rows) == 40


def test_a_quote_never_closed_is_refused_where_it_swallows_the_rest(tmp_path):
    rows = quoted_rows(20_000)
    rows = [row.replace('"', "") for row in rows]  # no other quote to close it
    rows[9] = rows[9].replace("Spend", '"Spend')  # row 11
    with pytest.raises(ReadError) as refused:
        read_rows(write(tmp_path, rows), name="figures.csv")
    message = str(refused.value)
    assert message.startswith("figures.csv, row ")
    assert "holds more than 131,072 characters; the most allowed is 32,767" in message


#: Pieces of CSV text, well and badly quoted, with every kind of line end.
PIECES = ["a", "é", "£1,311", ",", ",", '"', '""', '"x,y"', "\n", "\n", "\r\n", "\r", " ", "bbbbbb"]


def random_csv(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 80)))
    rows = []
    for _ in range(rng.randint(0, 30)):
        cells = []
        for _ in range(rng.randint(1, 6)):
            cell = "".join(rng.choice(["a", "é", ",", "\n", '""', " "]) for _ in range(6))
            if any(c in cell for c in ',\n"') or rng.random() < 0.3:
                cell = f'"{cell}"' if rng.random() < 0.95 else f'"{cell}'
            cells.append(cell)
        rows.append(",".join(cells))
    return rng.choice(["\n", "\r\n", "\r"]).join(rows) + rng.choice(["", "\n", "\r\n"])


def refusal(check, *given) -> str | None:
    try:
        check(*given)
    except safety.TooCostly as refused:
        return str(refused)
    return None


def test_the_checks_at_once_refuse_what_reading_row_by_row_refuses():
    rng = random.Random(17)
    refused = 0
    for _ in range(3_000):
        text = random_csv(rng)
        limits = safety.Limits(
            rows=rng.randint(1, 30), columns=rng.randint(1, 6), cell_chars=rng.randint(4, 20)
        )
        data = text.encode() if rng.random() < 0.5 else None
        at_once = refusal(safety.check_csv_text, text, "f.csv", limits, data)
        lines = io.StringIO(text, newline="")
        row_by_row = refusal(safety._stream_csv, lines, "f.csv", limits, 0, 0)
        assert at_once == row_by_row, repr(text)
        refused += at_once is not None
    assert 300 < refused < 2_700  # both outcomes well tried
