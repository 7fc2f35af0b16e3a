"""Indicators whose figures are computed from the project's client-level records.

An indicator with `source: {records: ascof_2c}` takes its figures, numerators and denominators
per period from that measure, computed on DuckDB from the records as they were loaded
(`boardpack records load`); the Dataset's `records_quality` table summarises the submissions
they came from. Both are read only from a loaded records database: a project whose records
were never loaded gets a problem saying to load them.

Computing the measures takes a while, so their figures are kept (`PROJECT/.boardpack/
measures-cache/`) under a key of everything they follow from: the records database's content,
the records settings, the project's own measures and mappings, the indicators computed and
Boardpack's records package (SQL, reference data, code). Loading the project again with none
of these changed reads them back instead of computing them again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import polars as pl

import boardpack.records
from boardpack.catalogue import Indicator, Project, closest
from boardpack.dataset.schema import OBSERVATIONS, RECORDS_QUALITY
from boardpack.errors import BoardpackError, Problem
from boardpack.periods import PeriodError, period_for
from boardpack.records import measure_units, measures_for_project, quality_summary
from boardpack.records.store import connect, database_path

#: A measure's unit (`records.definitions.UNITS`) -> the indicator unit its figures are in.
UNITS = {
    "percent": "percent",
    "rate_per_100k": "rate_per_100k",
    "count": "number",
    "median_days": "days",
    "money": "currency",
}
#: An indicator's frequency -> the kind of period its figures must cover.
KINDS = {"monthly": "month", "quarterly": "quarter", "annual": "year"}
KIND_WORDS = {"month": "months", "quarter": "quarters", "year": "financial years"}
FREQUENCY_OF = {kind: frequency for frequency, kind in KINDS.items()}


def _computed(project: Project) -> list[Indicator]:
    return [ind for ind in project.indicators if ind.source is not None]


def records_observations(project: Project, database: Path | None = None, **options) -> pl.DataFrame:
    """The observations of every indicator computed from records (empty when none is), from
    the project's records database or `database` (one staged to replace it); `options` go to
    the DuckDB engine (`memory_limit`)."""
    wanted = _computed(project)
    if not wanted:
        return OBSERVATIONS.empty()
    units = measure_units(project)
    problems = [p for ind in wanted for p in _measure_problems(ind, units)]
    if problems:
        raise BoardpackError(problems)
    kept = _cache_file(project, wanted) if database is None else None
    if kept is not None and kept.exists():
        return OBSERVATIONS.conform(pl.read_parquet(kept))
    measures, _notes = measures_for_project(project, database=database, **options)
    rows = [row for ind in wanted for row in _rows(ind, measures, problems)]
    if problems:
        raise BoardpackError(problems)
    found = OBSERVATIONS.frame(rows)
    if kept is not None:
        _keep(found, kept)
    return found


CACHE = Path(".boardpack") / "measures-cache"


def _cache_file(project: Project, wanted: list[Indicator]) -> Path | None:
    """Where the figures of `wanted` computed from the records as they are would be kept."""
    database = database_path(project)
    if not database.exists():
        return None
    key = hashlib.sha256(_package_fingerprint().encode())
    with database.open("rb") as content:
        for chunk in iter(lambda: content.read(1 << 20), b""):
            key.update(chunk)
    key.update(project.records.model_dump_json().encode())
    key.update(json.dumps([i.model_dump(mode="json") for i in wanted], sort_keys=True).encode())
    folders = [project.resolve("measures")]
    if project.records.mappings:
        folders.append(project.resolve(project.records.mappings))
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                key.update(path.name.encode() + path.read_bytes())
    return project.folder / CACHE / f"{key.hexdigest()[:32]}.parquet"


@functools.cache
def _package_fingerprint() -> str:
    """Every file of Boardpack's records package (its SQL, reference data and code)."""
    root = Path(boardpack.records.__file__).parent
    key = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            key.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return key.hexdigest()


def _keep(found: pl.DataFrame, kept: Path) -> None:
    """Keep `found` at `kept`, replacing the figures kept before (the records have moved on)."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    written = kept.with_suffix(".part")
    found.write_parquet(written)
    for older in kept.parent.glob("*.parquet"):
        older.unlink(missing_ok=True)
    written.replace(kept)


def records_checked(project: Project) -> pl.DataFrame:
    """What `records_observations` checks without computing a measure (no figures: an empty
    frame): each indicator names a measure the project has (built-in or its own
    `measures/*.sql`, parsed and linted) in the indicator's unit, and the records are loaded.
    Whether a measure gives periods of the indicator's frequency is known only once computed."""
    wanted = _computed(project)
    if not wanted:
        return OBSERVATIONS.empty()
    units = measure_units(project)
    problems = [p for ind in wanted for p in _measure_problems(ind, units)]
    try:
        connect(project).close()
    except BoardpackError as failed:
        problems += failed.problems
    if problems:
        raise BoardpackError(problems)
    return OBSERVATIONS.empty()


def read_records_quality(project: Project, database: Path | None = None) -> pl.DataFrame:
    """The loaded submissions' data-quality summary (empty when the project has no records or
    has not loaded them: an indicator that needs them says so), from the project's records
    database or `database`."""
    if project.records is None or not (database or database_path(project)).exists():
        return RECORDS_QUALITY.empty()
    return quality_summary(project, database)


def _where(ind: Indicator) -> dict:
    return {"file": "boardpack.yaml", "field": f"indicators[{ind.ref}].source.records"}


def _measure_problems(ind: Indicator, units: dict[str, str]) -> list[Problem]:
    measure = ind.source.records
    if measure not in units:
        match = closest(measure, list(units))
        hint = f"did you mean {match}? " if match else ""
        return [
            Problem(
                **_where(ind),
                value=measure,
                what=f"is no measure of the records ({ind.ref})",
                fix=f"{hint}name a measure from docs/records.md or one of the project's "
                "measures/*.sql",
            )
        ]
    unit = UNITS[units[measure]]
    if ind.unit != unit:
        return [
            Problem(
                **_where(ind),
                value=measure,
                what=f"gives figures in {unit} ({units[measure]}) but {ind.ref} is measured "
                f"in {ind.unit}",
                fix=f"give {ind.ref} unit: {unit}",
            )
        ]
    return []


def _rows(ind: Indicator, measures: pl.DataFrame, problems: list[Problem]) -> list[dict]:
    measure = ind.source.records
    figures = measures.filter(pl.col("measure") == measure)
    rows, kinds = [], set()
    for figure in figures.iter_rows(named=True):
        try:
            period = period_for(figure["period"], ind.frequency)
        except PeriodError:
            continue
        if period.kind != KINDS[ind.frequency]:
            kinds.add(period.kind)
            continue
        rows.append(_row(ind, figure, period))
    if kinds and not rows:
        kind = sorted(kinds)[0]
        problems.append(
            Problem(
                **_where(ind),
                value=measure,
                what=f"is computed for {KIND_WORDS[kind]} but {ind.ref} is {ind.frequency}",
                fix=f"give {ind.ref} frequency: {FREQUENCY_OF[kind]}",
            )
        )
    return rows


def _row(ind: Indicator, figure: dict, period) -> dict:
    value = figure["value"]
    missing = None
    if value is None:
        missing = "suppressed" if figure["suppressed"] else "not available"
    return {
        "indicator": ind.ref,
        "organisation": figure["organisation"],
        "period": period.label,
        "period_start": period.start,
        "period_end": period.end,
        "end_month": period.end_month,
        "value": value,
        "numerator": _number(figure["numerator"]),
        "denominator": _number(figure["denominator"]),
        "target": None,
        "floor": None,
        "status": None,
        "note": "small numbers suppressed" if figure["suppressed"] else None,
        "missing_reason": missing,
        "published_rag": None,
        "source": f"records: {ind.source.records}",
    }


def _number(value: int | None) -> float | None:
    return None if value is None else float(value)


def given_twice(files: pl.DataFrame, computed: pl.DataFrame) -> list[Problem]:
    """An indicator computed from records may not also have figures in a data file."""
    both = files.join(computed.select("indicator").unique(), on="indicator", how="semi")
    return [
        Problem(
            file=first["source"],
            what=f"gives figures for {ref}, which takes its figures from the records "
            f"({first['indicator']} has source: in boardpack.yaml)",
            fix=f"remove {ref}'s rows from the file, or its source: from boardpack.yaml",
        )
        for (ref,), group in both.group_by("indicator", maintain_order=True)
        for first in [group.row(0, named=True)]
    ]
