"""Text a spreadsheet would run as a formula is written as plain text in every CSV and XLSX."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest
from click.testing import CliRunner

from boardpack.cli import main
from boardpack.formulas import csv_text, neutralise

RISKY = ['=HYPERLINK("http://example.invalid","Click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", RISKY)
def test_risky_text_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["-5", "+2.5", "-0.25", 42, -3.0, None, "Admissions", ""])
def test_numbers_and_plain_text_are_left_alone(value):
    assert neutralise(value) == value


def test_a_frames_text_columns_are_neutralised_and_its_numbers_not():
    frame = pl.DataFrame({"title": ["=1+2", "Plain", "-7"], "value": [-1.0, 2.0, 3.0]})
    rows = list(csv.DictReader(io.StringIO(csv_text(frame))))
    assert [r["title"] for r in rows] == ["'=1+2", "Plain", "-7"]
    assert [r["value"] for r in rows] == ["-1.0", "2.0", "3.0"]


def test_the_periods_command_writes_neutralised_csv():
    result = CliRunner().invoke(main, ["periods", "Q2 2024/25"])
    assert result.exit_code == 0, result.output
    assert "Q2 2024/25" in result.output


PROJECT = """\
organisation: {code: E10000099, name: Smallshire County Council}
indicators:
  - ref: ADM1
    title: "=HYPERLINK(1)"
    polarity: lower_better
    unit: number
    frequency: quarterly
data:
  - file: figures.csv
"""


def test_evaluate_csv_neutralises_a_title_that_is_a_formula(tmp_path):
    (tmp_path / "boardpack.yaml").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "figures.csv").write_text(
        "indicator,period,value\nADM1,Q1 2024/25,-5\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.output))
    assert (row["title"], row["value"]) == ("'=HYPERLINK(1)", "-5.0")
