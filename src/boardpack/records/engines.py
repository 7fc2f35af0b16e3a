"""The engines that run the definitions: DuckDB (default), PostgreSQL and Spark.

Every engine takes the same restricted DuckDB SQL; PostgreSQL and Spark get it transpiled by
SQLGlot (`transpile`). An engine is given the base tables (from the project's records
database) and the reference tables, materialises each stage as a table and returns each
measure query's rows as a polars frame. Registry: `ENGINES`.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

import duckdb
import polars as pl
import sqlglot

from boardpack.errors import BoardpackError, Problem

DIALECTS = {"duckdb": "duckdb", "postgres": "postgres", "spark": "spark"}
DUCKDB_MEMORY = "3GB"  # DuckDB spills to disk beyond this (default: 80% of the machine)
#: Stages no built-in stage or measure reads more than once whole: DuckDB keeps them as views,
#: so their wide rows are never written out (the other engines materialise every stage).
#: `derived_events` is read whole only by `unique_events`, which keeps the rows chosen in the
#: narrow `event_keys`, so only those are mapped; a measure reading it filters it first.
DUCKDB_VIEWS = frozenset({"events_in_period", "derived_events"})
#: Spark on this machine: the driver (which runs every task in local mode) given 3 GB as DuckDB
#: is, and shuffles cut into 16 partitions (a window over 10M rows: about 600,000 a task);
#: adaptive execution merges small partitions back, so small data is not split 16 ways.
SPARK_SETTINGS = {
    "spark.driver.memory": "3g",
    "spark.sql.shuffle.partitions": "16",
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.adaptive.coalescePartitions.enabled": "true",
}


def spill_folder() -> str:
    """A folder of its own for each DuckDB connection's spilled data (DuckDB databases sharing
    one temporary folder overwrite each other's files), inside one folder per process removed
    when the process ends."""
    return tempfile.mkdtemp(dir=_process_spill_folder(os.getpid()))


@functools.cache
def _process_spill_folder(pid: int) -> str:
    """The process's folder (by its id, so a forked child makes its own)."""
    folder = tempfile.mkdtemp(prefix=f"boardpack-duckdb-{pid}-")
    atexit.register(_remove_if_own, folder, pid)
    return folder


def _remove_if_own(folder: str, pid: int) -> None:
    if os.getpid() == pid:
        shutil.rmtree(folder, ignore_errors=True)


def duckdb_settings(
    con: duckdb.DuckDBPyConnection,
    memory_limit: str | None = DUCKDB_MEMORY,
    keep_order: bool = True,
) -> None:
    """Memory capped (`memory_limit`, None for DuckDB's default of 80% of the machine),
    spilling to a temporary folder; insertion order kept only where it matters
    (`keep_order`: the loader numbers rows by it)."""
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{spill_folder()}'")
    if not keep_order:
        con.execute("SET preserve_insertion_order = false")


def transpile(sql: str, dialect: str) -> str:
    """The definition in `dialect`, refusing anything SQLGlot cannot carry over."""
    if dialect == "duckdb":
        return sql
    return sqlglot.transpile(
        sql,
        read="duckdb",
        write=dialect,
        pretty=True,
        unsupported_level=sqlglot.ErrorLevel.RAISE,
    )[0]


class Engine(Protocol):
    dialect: str

    def load(self, name: str, frame_source: Source) -> None: ...

    def materialise(self, name: str, sql: str) -> None: ...

    def query(self, sql: str) -> pl.DataFrame: ...

    def close(self) -> None: ...


class Source:
    """A table to give an engine: a polars frame, or a table of the records database."""

    def __init__(self, frame: pl.DataFrame | None = None, database: Path | None = None):
        self.frame, self.database = frame, database


class DuckDBEngine:
    """In memory, the records database attached read only; capped at `memory_limit` (the
    stage tables spill to a temporary folder beyond it)."""

    dialect = "duckdb"

    def __init__(self, memory_limit: str | None = DUCKDB_MEMORY):
        self.con = duckdb.connect()
        duckdb_settings(self.con, memory_limit, keep_order=False)
        self.attached: set[Path] = set()

    def load(self, name: str, source: Source) -> None:
        if source.frame is not None:
            self.con.register(f"{name}_frame", source.frame)
            self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_frame")
            self.con.unregister(f"{name}_frame")
            return
        if source.database not in self.attached:
            path = str(source.database).replace("'", "''")
            self.con.execute(f"ATTACH '{path}' AS records (READ_ONLY)")
            self.attached.add(source.database)
        self.con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM records.{name}")

    def materialise(self, name: str, sql: str) -> None:
        kind = "VIEW" if name in DUCKDB_VIEWS else "TABLE"
        self.con.execute(f"CREATE OR REPLACE {kind} {name} AS {sql}")

    def query(self, sql: str) -> pl.DataFrame:
        return self.con.sql(sql).pl()

    def close(self) -> None:
        self.con.close()


class PostgresEngine:
    """A schema of its own in the database at DATABASE_URL, dropped when done."""

    dialect = "postgres"

    def __init__(self, url: str | None = None):
        import psycopg

        url = url or os.environ.get("DATABASE_URL")
        if not url:
            raise BoardpackError(
                Problem(
                    what="--engine postgres needs a database",
                    fix="set DATABASE_URL, e.g. postgres://user@host:5432/dbname",
                )
            )
        self.conn = psycopg.connect(url, autocommit=True)
        self.schema = f"boardpack_records_{os.getpid()}"
        self.conn.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
        self.conn.execute(f"CREATE SCHEMA {self.schema}")
        self.conn.execute(f"SET search_path TO {self.schema}")

    def load(self, name: str, source: Source) -> None:
        """Streamed as CSV from DuckDB into COPY, so no table is held in Python."""
        with tempfile.TemporaryDirectory(prefix="boardpack-pg-") as folder:
            path = Path(folder) / f"{name}.csv"
            columns = _export_csv(name, source, path)
            types = ", ".join(f"{c} {_PG_TYPES.get(t, 'TEXT')}" for c, t in columns)
            self.conn.execute(f"CREATE TABLE {name} ({types})")
            with self.conn.cursor().copy(f"COPY {name} FROM STDIN (FORMAT csv)") as copy:
                with path.open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        copy.write(chunk)
        self.conn.execute(f"ANALYZE {name}")

    def materialise(self, name: str, sql: str) -> None:
        self.conn.execute(f"CREATE TABLE {name} AS {sql}")
        self.conn.execute(f"ANALYZE {name}")

    def query(self, sql: str) -> pl.DataFrame:
        cursor = self.conn.execute(sql)
        names = [c.name for c in cursor.description]
        return pl.DataFrame(cursor.fetchall(), schema=names, orient="row", infer_schema_length=None)

    def close(self) -> None:
        self.conn.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
        self.conn.close()


_PG_TYPES = {
    "DATE": "DATE",
    "BIGINT": "BIGINT",
    "INTEGER": "BIGINT",
    "HUGEINT": "NUMERIC",
    "DOUBLE": "DOUBLE PRECISION",
    "BOOLEAN": "BOOLEAN",
}


def _export_csv(name: str, source: Source, path: Path) -> list[tuple[str, str]]:
    """Write the table as CSV (no header, NULL as an empty field); its columns and types."""
    with duckdb.connect() as con:
        if source.frame is not None:
            con.register("source_frame", source.frame)
            table = "source_frame"
        else:
            database = str(source.database).replace("'", "''")
            con.execute(f"ATTACH '{database}' AS records (READ_ONLY)")
            table = f"records.{name}"
        columns = [
            (row[0], row[1]) for row in con.execute(f"DESCRIBE SELECT * FROM {table}").fetchall()
        ]
        target = str(path).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM {table}) TO '{target}' (FORMAT csv, HEADER false)")
    return columns


class SparkEngine:
    """A Spark session (local[*] by default); tables are cached temporary views."""

    dialect = "spark"

    def __init__(self, master: str | None = None, session=None):
        self.spark = session or spark_session(master or "local[*]")
        self.folder = Path(tempfile.mkdtemp(prefix="boardpack-spark-"))
        self.views: list = []

    def load(self, name: str, source: Source) -> None:
        path = self.folder / f"{name}.parquet"
        if source.frame is not None:
            source.frame.write_parquet(path)
        else:
            with duckdb.connect(str(source.database), read_only=True) as con:
                duckdb_settings(con, keep_order=False)
                con.execute(f"COPY (SELECT * FROM {name}) TO '{path}' (FORMAT parquet)")
        frame = self.spark.read.parquet(str(path))
        frame.createOrReplaceTempView(name)

    def materialise(self, name: str, sql: str) -> None:
        # A local checkpoint keeps the rows and cuts the plan, so later stages are analysed
        # against a table rather than the whole chain of stages before them.
        from pyspark import StorageLevel

        frame = self.spark.sql(sql).localCheckpoint(True, StorageLevel.DISK_ONLY)
        frame.createOrReplaceTempView(name)
        self.views.append(frame)

    def query(self, sql: str) -> pl.DataFrame:
        frame = self.spark.sql(sql)
        rows = [row.asDict() for row in frame.collect()]
        return pl.DataFrame(rows, schema=frame.columns, orient="row", infer_schema_length=None)

    def close(self) -> None:
        for frame in self.views:
            frame.unpersist()
        for path in self.folder.glob("*"):
            _remove_tree(path)
        self.folder.rmdir()


def _remove_tree(path: Path) -> None:
    if path.is_dir():
        for child in path.iterdir():
            _remove_tree(child)
        path.rmdir()
    else:
        path.unlink()


def spark_session(master: str):
    """A Spark session for the definitions: UTC, `SPARK_SETTINGS`, no UI."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise BoardpackError(
            Problem(
                what="--engine spark needs PySpark",
                fix="pip install 'boardpack[records-spark]' (and Java 17)",
            )
        ) from error
    builder = (
        SparkSession.builder.master(master)
        .appName("boardpack-records")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.local.dir", tempfile.gettempdir())
    )
    for key, value in SPARK_SETTINGS.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


ENGINES: Mapping[str, Callable[..., Engine]] = {
    "duckdb": DuckDBEngine,
    "postgres": PostgresEngine,
    "spark": SparkEngine,
}
