"""One SQL, three engines: every measure on every scenario gives the same figures on
PostgreSQL and Spark as on DuckDB, and on synthetic records without faults the figures
expected.csv holds (DuckDB's are checked in test_synth_pipeline.py).

PostgreSQL: the database at RECORDS_TEST_DATABASE_URL, default boardpack_records_test on the
local server (made when missing). Spark: one local session for the whole test run. Where
either is missing the tests are skipped, unless CI is set: then they fail.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import differences_from_expected

from boardpack.records import measures_for_project

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "boardpack_records_test"


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"CI is set, so engine checks may not be skipped: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url():
    url = os.environ.get("RECORDS_TEST_DATABASE_URL")
    if url:
        return url
    try:
        import psycopg

        with psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
            known = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
            if known.fetchone() is None:
                conn.execute(f"CREATE DATABASE {DATABASE}")
    except Exception as error:  # noqa: BLE001 - any failure to reach the server
        _unavailable(f"no PostgreSQL server at {SERVER}: {error}")
    return f"{SERVER}/{DATABASE}"


@pytest.fixture(scope="session")
def spark():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        _unavailable("pyspark is not installed (pip install '.[records-spark]')")
    if shutil.which("java") is None:
        _unavailable("Java is not installed (openjdk-17-jre-headless)")
    from boardpack.records.engines import spark_session

    session = spark_session("local[2,2]")  # two threads; a task may be tried twice
    for key, value in {
        "spark.sql.codegen.wholeStage": "false",
        "spark.sql.adaptive.enabled": "false",
        "spark.sql.shuffle.partitions": "2",
    }.items():
        session.conf.set(key, value)
    yield session
    session.stop()


def test_postgres_gives_the_same_figures_as_duckdb(all_scenarios, duckdb_measures, postgres_url):
    frame, _ = measures_for_project(
        all_scenarios, engine="postgres", suppress=False, url=postgres_url
    )
    assert frame.equals(duckdb_measures)


def test_spark_gives_the_same_figures_as_duckdb(all_scenarios, duckdb_measures, spark):
    frame, _ = measures_for_project(all_scenarios, engine="spark", suppress=False, session=spark)
    assert frame.equals(duckdb_measures)


def test_postgres_gives_the_simulated_truth(synth_clean, postgres_url):
    frame, _ = measures_for_project(
        synth_clean, engine="postgres", suppress=False, url=postgres_url
    )
    assert differences_from_expected(synth_clean, frame).is_empty()


def test_spark_gives_the_simulated_truth(synth_clean, spark):
    frame, _ = measures_for_project(synth_clean, engine="spark", suppress=False, session=spark)
    assert differences_from_expected(synth_clean, frame).is_empty()


def test_each_duckdb_connection_spills_to_a_folder_of_its_own():
    import duckdb

    from boardpack.records.engines import duckdb_settings

    folders = []
    for _ in range(2):
        with duckdb.connect() as con:
            duckdb_settings(con)
            folders.append(con.execute("SELECT current_setting('temp_directory')").fetchone()[0])
    assert folders[0] != folders[1]
    assert {Path(folder).parent for folder in folders} == {Path(folders[0]).parent}
