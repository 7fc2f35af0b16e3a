"""`boardpack records`: load Client Level Data submissions, report their quality, compute the
measures, make synthetic submissions. A thin shell over `boardpack.records`; problems are
printed by the command line's one handler (`cli.Commands`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import polars as pl

from boardpack.catalogue import load_project_file
from boardpack.formulas import csv_text
from boardpack.records import load_records, measures_for_project, quality_report
from boardpack.records.engines import ENGINES
from boardpack.records.synth.generate import synthesise

FORMATS = click.Choice(["csv", "json"])


@click.group("records")
def records() -> None:
    """Client Level Data: the national CLD return, to ASCOF and the council's own measures."""


def _project(folder: str):
    return load_project_file(Path(folder))


@records.command("load")
@click.argument("project", type=click.Path(exists=True, file_okay=False))
def load(project: str) -> None:
    """Read the submission files named in boardpack.yaml (records:) into the project's records
    database, all or nothing; structural faults are listed with file, row and column."""
    click.echo(load_records(_project(project)))


@records.command("quality")
@click.argument("project", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=FORMATS, default="csv", show_default=True)
def quality(project: str, fmt: str) -> None:
    """Print the data-quality report of the loaded submissions: completeness and invalid codes
    by field, open services, end before start, duplicates, events after death."""
    _write(quality_report(_project(project)), fmt, None)


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
    frame, notes = measures_for_project(_project(project), engine=engine, **options)
    for note in notes:
        click.echo(note, err=True)
    _write(frame, fmt, out)


def _write(frame: pl.DataFrame, fmt: str, out: str | None) -> None:
    text = csv_text(frame) if fmt == "csv" else frame.write_json()
    if out:
        Path(out).write_text(text if fmt == "csv" else text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text if fmt == "csv" else text + "\n")


@records.command("synth")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--councils",
    type=int,
    default=2,
    show_default=True,
    help="How many real councils (chosen by --seed from the 153 of 2024-25) to simulate.",
)
@click.option(
    "--people",
    type=int,
    default=None,
    help="People with long-term support in 2024-25 per council, on average over the chosen "
    "councils; each council keeps its published share. Omit for the published volumes.",
)
@click.option(
    "--quarters",
    type=int,
    default=5,
    show_default=True,
    help="Quarterly submissions per council, the last for the quarter ending 31 March 2025; each "
    "covers the rolling 12 months to its quarter end.",
)
@click.option(
    "--seed", type=int, default=1, show_default=True, help="The same seed gives the same files."
)
@click.option(
    "--faults",
    is_flag=True,
    help="Inject the faults the method must survive; OUT/faults.csv lists them and expected.csv "
    "holds the measures after the method's treatment of each.",
)
def synth(
    out: Path, councils: int, people: int | None, quarters: int, seed: int, faults: bool
) -> None:
    """Simulate people's care journeys in real councils and write their quarterly Client Level
    Data submissions to OUT, with OUT/expected.csv: the measures worked out from the simulated
    truth (organisation, measure, period, numerator, denominator, value)."""
    result = synthesise(
        out, councils=councils, people=people, quarters=quarters, seed=seed, faults=faults
    )
    rate = result.rows / result.seconds if result.seconds else 0
    click.echo(
        f"Wrote {result.files:,} submissions ({result.rows:,} rows) for {result.councils} "
        f"council{'s' if result.councils != 1 else ''} "
        f"to {out} in {result.seconds:.1f} s ({rate:,.0f} rows a second)."
    )
    click.echo(f"Expected measures: {out / 'expected.csv'} ({result.expected.height:,} rows).")
    if faults:
        click.echo(f"Faults injected: {out / 'faults.csv'}.")
