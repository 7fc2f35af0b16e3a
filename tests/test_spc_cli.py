"""`boardpack spc FILE.csv`: SPC for analysts' own series, through the command line."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from boardpack.cli import main

POINT_COLUMNS = [
    "series",
    "period",
    "value",
    "mean",
    "lower_limit",
    "upper_limit",
    "lower_near",
    "upper_near",
    "special_cause",
    "rule",
    "point_type",
]
SERIES_COLUMNS = ["variation_icon", "assurance_icon"]


def write_series(path, rows: list[tuple[str, str, float]], target: float | None = None):
    lines = ["series,period,value" + (",target" if target is not None else "")]
    lines += [f"{s},{p},{v}" + (f",{target}" if target is not None else "") for s, p, v in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def months(values: list[float], series: str = "A") -> list[tuple[str, str, float]]:
    names = "Apr May Jun Jul Aug Sep Oct Nov Dec Jan Feb Mar".split()
    return [(series, f"{names[i % 12]} {2020 + (i + 3) // 12}", v) for i, v in enumerate(values)]


def run(*args):
    return CliRunner().invoke(main, ["spc", *map(str, args)])


# Fourteen points around 10, then six in a row above the mean: a shift under the
# six-point convention of the Excel tool, but not under the default seven.
STEADY = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10, 9, 11, 10, 10]
SHIFTED = STEADY + [11, 11.5, 11, 11.5, 11, 11.5]


def test_writes_every_documented_column_per_point(tmp_path):
    result = run(write_series(tmp_path / "s.csv", months(SHIFTED), target=9))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == len(SHIFTED)
    assert set(POINT_COLUMNS + SERIES_COLUMNS) <= set(rows[0])
    assert rows[0]["period_label"] == "Apr 2020"


def test_run_length_is_an_option(tmp_path):
    path = write_series(tmp_path / "s.csv", months(SHIFTED))
    default = list(csv.DictReader(io.StringIO(run(path).output)))
    six = list(csv.DictReader(io.StringIO(run(path, "--run", 6).output)))
    assert not any(r["rule"] == "run" for r in default)
    assert [r["rule"] for r in six][-6:] == ["run"] * 6


def test_json_gives_points_and_series_with_icons(tmp_path):
    # Lower is better and the target of 30 is above the upper limit: every point passes.
    result = run(
        write_series(tmp_path / "s.csv", months(SHIFTED), target=30),
        "--format",
        "json",
        "--improvement",
        "decrease",
    )
    data = json.loads(result.output)
    assert len(data["points"]) == len(SHIFTED)
    (series,) = data["series"]
    assert series["series"] == "A" and series["assurance_icon"] == "consistent_pass"


def test_a_bad_value_is_reported_with_file_row_and_column(tmp_path):
    path = write_series(tmp_path / "bad.csv", months([1, 2, 3]))
    path.write_text(path.read_text().replace(",2\n", ",two\n"), encoding="utf-8")
    result = run(path)
    assert result.exit_code == 1
    assert "bad.csv, row 3, column value" in result.output


def test_a_recalculation_period_that_cannot_be_read_is_an_error(tmp_path):
    result = run(
        write_series(tmp_path / "s.csv", months(SHIFTED)), "--recalculate-at", "Smarch 2021"
    )
    assert result.exit_code == 1
    assert 'Cannot read the period "Smarch 2021"' in result.output
