"""`boardpack records load | quality | measures` as an officer runs them."""

from __future__ import annotations

import json

import polars as pl
from builder import service, write_project, write_submission
from click.testing import CliRunner

from boardpack.cli import main

COMMUNITY = "Long term support: Community"


def _run(*args):
    return CliRunner().invoke(main, ["records", *[str(a) for a in args]])


def _project(folder):
    rows = [service(str(n), COMMUNITY, "2024-05-01") for n in range(1, 8)]
    write_submission(folder / "records", "2024-04-01", "2025-03-31", "2025-04-20", rows)
    return write_project(folder)


def test_load_quality_and_measures_from_the_command_line(tmp_path):
    folder = _project(tmp_path)
    loaded = _run("load", folder)
    assert loaded.exit_code == 0, loaded.output
    assert "loaded 7 rows from 1 submission files (E06000001)" in loaded.output

    quality = _run("quality", folder)
    assert quality.output.splitlines()[0] == (
        "file,organisation,submitted,check,field,value,rows,of_rows,percent"
    )

    result = _run("measures", folder, "--out", tmp_path / "measures.csv")
    assert result.exit_code == 0, result.output
    frame = pl.read_csv(tmp_path / "measures.csv")
    assert frame.columns == [
        "organisation",
        "measure",
        "period",
        "numerator",
        "denominator",
        "value",
        "suppressed",
    ]
    people = frame.filter((pl.col("measure") == "lts_people") & (pl.col("period") == "Q4 2024/25"))
    assert people.select("numerator", "value", "suppressed").row(0) == (7, 7.0, False)
    assert "2D" in result.output  # the note saying ASCOF 2D is unavailable, on stderr


def test_measures_as_json(tmp_path):
    folder = _project(tmp_path)
    _run("load", folder)
    result = _run("measures", folder, "--format", "json")
    rows = json.loads(result.stdout)
    assert {"organisation", "measure", "period", "suppressed"} <= set(rows[0])


def test_a_council_adds_its_own_measure(tmp_path):
    folder = _project(tmp_path)
    (folder / "measures").mkdir()
    (folder / "measures" / "community.sql").write_text(
        "-- measure: community_services | count | Long-term community services started\n"
        "SELECT organisation, 'community_services' AS measure, quarter AS period,\n"
        "       COUNT(*) AS numerator, CAST(NULL AS BIGINT) AS denominator,\n"
        "       CAST(NULL AS DOUBLE) AS value\n"
        "FROM unique_events WHERE service_type_cleaned = 'Long term support: Community'\n"
        "GROUP BY organisation, quarter\n"
    )
    _run("load", folder)
    result = _run("measures", folder)
    frame = pl.read_csv(result.stdout.encode())
    mine = frame.filter(pl.col("measure") == "community_services")
    assert mine.select("period", "numerator").rows() == [("Q4 2024/25", 7)]


def test_a_local_measure_that_fails_the_lint_is_refused(tmp_path):
    folder = _project(tmp_path)
    (folder / "measures").mkdir()
    (folder / "measures" / "bad.sql").write_text(
        "-- measure: bad | count | Bad\nSELECT organisation, 'bad' AS measure, quarter AS period,"
        " COUNT(*) / 2 AS numerator, NULL AS denominator, NULL AS value FROM unique_events"
        " GROUP BY organisation, quarter\n"
    )
    _run("load", folder)
    result = _run("measures", folder)
    assert result.exit_code != 0
    assert "bad.sql" in result.output and "division" in result.output


def test_measures_before_loading_say_what_to_do(tmp_path):
    result = _run("measures", _project(tmp_path))
    assert result.exit_code != 0
    assert "boardpack records load" in result.output


def test_a_project_without_records_says_how_to_add_them(tmp_path):
    (tmp_path / "boardpack.yaml").write_text("organisation: {code: E06000001, name: Hartlepool}\n")
    result = _run("load", tmp_path)
    assert result.exit_code != 0 and "records:" in result.output


def test_a_spark_master_needs_the_spark_engine(tmp_path):
    result = _run("measures", _project(tmp_path), "--spark-master", "spark://host:7077")
    assert result.exit_code != 0 and "--engine spark" in result.output
