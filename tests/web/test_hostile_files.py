"""Hostile spreadsheets are refused before they are read, each with a message naming the file,
what is wrong and how to fix it; a reader that fails anyway fails in a child process."""

from __future__ import annotations

import html

import pytest
import xlsxwriter

from boardpack.errors import BoardpackError
from boardpack.sources.isolated import ReaderFailed, isolated
from boardpack.sources.readers import ReadError, read_rows
from boardpack.sources.safety import Limits

from . import test_upload
from .hostile import HOSTILE, ROWS, abort, add, allocate, ods, refuse, sheet, sleep, workbook
from .test_upload import problem_rows, upload

officer, period = test_upload.officer, test_upload.period  # the fixtures


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_file_is_refused_with_its_name_and_reason(tmp_path, name):
    make, words = HOSTILE[name]
    path = make(tmp_path)
    with pytest.raises(ReadError) as refused:
        read_rows(path, name=f"uploads/{name}")
    message = str(refused.value)
    assert message.startswith(f"uploads/{name}")
    assert words in message


def test_the_refusals_name_the_limit_and_how_to_raise_it(tmp_path, monkeypatch):
    path = tmp_path / "figures.csv"
    path.write_text("indicator,period,value\n" + "ADM1,Q1 2024/25,1\n" * 20, encoding="utf-8")
    monkeypatch.setenv("BOARDPACK_MAX_ROWS", "10")
    with pytest.raises(ReadError, match="ask the administrator to raise BOARDPACK_MAX_ROWS"):
        read_rows(path)
    monkeypatch.setenv("BOARDPACK_MAX_ROWS", "100")
    assert len(read_rows(path).rows) == 20


def test_a_sheet_within_the_limits_and_its_formula_results_are_read(tmp_path):
    path = tmp_path / "figures.xlsx"
    book = xlsxwriter.Workbook(path)
    figures = book.add_worksheet("Figures")
    figures.write_row("A1", ["indicator", "period", "value"])
    figures.write_row("A2", ["ADM1", "Q1 2024/25"])
    figures.write_formula("C2", "=2500+1", None, 2501)  # saved with its result
    book.close()
    assert read_rows(path).rows[0].cells == ["ADM1", "Q1 2024/25", 2501.0]


def test_the_dimension_and_cells_of_the_sheet_read_decide_the_formulas_reported(tmp_path):
    far = workbook(tmp_path / "wide.xlsx", sheet(ROWS, dimension="A1:ALM2"))
    with pytest.raises(ReadError, match=r'sheet "Figures": the sheet reaches ALM2 .*columns'):
        read_rows(far)


def test_an_ods_with_its_empty_rest_repeated_a_million_times_is_read(tmp_path):
    """LibreOffice writes the empty rest of a sheet as one row repeated: not a refusal."""
    path = ods(tmp_path / "figures.ods", repeated_empty_rows=1_048_000)
    assert [r.cells for r in read_rows(path).rows] == [["ADM1", "Q1 2024/25", 2501.0]]
    bomb = ods(tmp_path / "bomb.ods", repeated_value_rows=1_048_000)
    with pytest.raises(ReadError, match="1,048,002 rows"):
        read_rows(bomb)


# --- the child process ---------------------------------------------------------------------


SMALL = Limits(seconds=3, memory_mb=1024)


def test_the_child_gives_its_result():
    assert isolated(add, (2, 3), name="figures.xlsx", limits=SMALL) == 5


@pytest.mark.parametrize(
    "function, words",
    [
        (allocate, "needed more than 1,024 MB (BOARDPACK_READ_MEMORY_MB)"),
        (abort, "stopped the reader (exit code -6)"),
        (sleep, "took longer than 3 seconds (BOARDPACK_READ_SECONDS)"),
    ],
)
def test_a_child_out_of_memory_crashed_or_slow_is_a_clear_error(function, words):
    with pytest.raises(ReaderFailed) as failed:
        isolated(function, name="figures.xlsx", limits=SMALL)
    assert str(failed.value).startswith("figures.xlsx: could not be read: reading it ")
    assert words in str(failed.value)


def test_a_refusal_in_the_child_is_raised_again_here():
    with pytest.raises(BoardpackError, match="nothing here"):
        isolated(refuse, name="figures.xlsx", limits=SMALL)


# --- through the upload page ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_upload_gets_a_page_naming_the_file(client, period, officer, tmp_path, name):
    make, words = HOSTILE[name]
    response = upload(client, period, name, make(tmp_path).read_bytes())
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f"{name} has 1 problem; nothing was saved" in page
    assert words in page


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_no_reader_process_is_started_for_a_hostile_upload(
    client, period, officer, tmp_path, monkeypatch, name
):
    """The checks refuse each hostile file in the server process, so the answer does not wait
    for a reader process to start (seconds on a busy machine)."""

    def no_reader(*args, **kwargs):
        raise AssertionError("a reader process was started for a hostile file")

    monkeypatch.setattr("boardpack.web.pages.upload.isolated", no_reader)
    make, words = HOSTILE[name]
    response = upload(client, period, name, make(tmp_path).read_bytes())
    assert response.status_code == 400
    assert words in html.unescape(response.content.decode())


@pytest.mark.django_db
def test_a_file_with_a_million_problems_lists_the_first_fifty(client, period, officer, monkeypatch):
    monkeypatch.setenv("BOARDPACK_MAX_ROWS", "2000")
    content = "indicator,period,value\n" + "ADM9,Q1 2024/25,1\n" * 1500
    response = upload(client, period, "figures.csv", content)
    page = response.content.decode()
    assert "figures.csv has 1,500 problems; nothing was saved" in page
    assert "Problems in figures.csv: the first 50 of 1,500" in page
    assert len(problem_rows(response)) == 50


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    client, period, officer, monkeypatch
):
    monkeypatch.setenv("BOARDPACK_MAX_UPLOAD_MB", "1")
    response = upload(client, period, "figures.csv", "x" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert "the largest accepted is 1 MB (BOARDPACK_MAX_UPLOAD_MB)" in response.content.decode()
