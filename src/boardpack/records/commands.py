"""`boardpack records`: load Client Level Data submissions, report their quality, compute the
measures."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import polars as pl

from boardpack.catalogue import CatalogueError, load_project_file
from boardpack.errors import BoardpackError

from . import measures_for_project, quality_report
from .engines import ENGINES
from .store import load_records

FORMATS = click.Choice(["csv", "json"])


@click.group("records")
def records() -> None:
    """Client Level Data: the national CLD return, to ASCOF and the council's own measures."""


def _project(folder: str):
    try:
        return load_project_file(Path(folder))
    except CatalogueError as error:
        raise click.ClickException(str(error)) from error


def _fail(error: BoardpackError) -> click.ClickException:
    return click.ClickException(f"{error.count_text()}:\n{error.report()}")


@records.command("load")
@click.argument("project", type=click.Path(exists=True, file_okay=False))
def load(project: str) -> None:
    """Read the submission files named in boardpack.yaml (records:) into the project's records
    database, all or nothing; structural faults are listed with file, row and column."""
    try:
        click.echo(load_records(_project(project)))
    except BoardpackError as error:
        raise _fail(error) from error


@records.command("quality")
@click.argument("project", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=FORMATS, default="csv", show_default=True)
def quality(project: str, fmt: str) -> None:
    """Print the data-quality report of the loaded submissions: completeness and invalid codes
    by field, open services, end before start, duplicates, events after death."""
    try:
        _write(quality_report(_project(project)), fmt, None)
    except BoardpackError as error:
        raise _fail(error) from error


@records.command("measures")
@click.argument("project", type=click.Path(exists=True, file_okay=False))
@click.option("--engine", type=click.Choice(sorted(ENGINES)), default="duckdb", show_default=True)
@click.option("--spark-master", default=None, help="Spark master URL; default local[*].")
@click.option("--format", "fmt", type=FORMATS, default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to FILE.")
def measures(
    project: str, engine: str, spark_master: str | None, fmt: str, out: str | None
) -> None:
    """Compute ASCOF and local measures from the loaded records: organisation, measure, period,
    numerator, denominator, value, suppressed. --engine postgres reads DATABASE_URL."""
    if spark_master and engine != "spark":
        raise click.UsageError("--spark-master is for --engine spark")
    options = {"master": spark_master} if spark_master else {}
    try:
        frame, notes = measures_for_project(_project(project), engine=engine, **options)
    except BoardpackError as error:
        raise _fail(error) from error
    for note in notes:
        click.echo(note, err=True)
    _write(frame, fmt, out)


def _write(frame: pl.DataFrame, fmt: str, out: str | None) -> None:
    text = frame.write_csv() if fmt == "csv" else frame.write_json()
    if out:
        Path(out).write_text(text if fmt == "csv" else text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text if fmt == "csv" else text + "\n")
