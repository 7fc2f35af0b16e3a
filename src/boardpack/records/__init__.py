"""Client-level records: the national Client Level Data return, its method stage by stage as
SQL, the measures (ASCOF and local), the engines that run them and synthetic records with known
answers.

Public API:
- `load_records(project)`: read the project's submission files into its records database.
- `quality_report(project)`: the data-quality report of the loaded submissions.
- `measures_for_project(project, engine="duckdb")`: the measures frame `organisation, measure,
  period, numerator, denominator, value, suppressed`, and notes on what could not be computed.
- `measure_units(project)`: every measure the project can compute, with its unit.
- `quality_summary(project)`: the data-quality report summarised per submission.
"""

from __future__ import annotations

from pathlib import Path

from boardpack.catalogue.models import Project

from . import definitions, reference
from .engines import ENGINES, Source
from .measures import OUTPUT, compute, finalise
from .quality import report
from .store import connect, database_path, load_records, mappings_folder, settings
from .summary import summarise

__all__ = [
    "OUTPUT",
    "load_records",
    "measure_units",
    "measures_for_project",
    "quality_report",
    "quality_summary",
]

UNAVAILABLE_2D = (
    "ASCOF 2D(1) and 2D(2) are unavailable: they need hospital discharges linked to the "
    "records (records: discharges: in boardpack.yaml)"
)


def quality_report(project: Project, database: Path | None = None):
    """The data-quality report stored by the last load (into `database`, if given)."""
    with connect(project, database) as con:
        return report(con)


def quality_summary(project: Project, database: Path | None = None):
    """The data-quality report summarised per submission (the Dataset's `records_quality` table),
    from the project's records database or `database` (one staged to replace it)."""
    with connect(project, database) as con:
        return summarise(con, settings(project).as_of)


def _measure_files(project: Project) -> list[definitions.Definition]:
    files = [
        *definitions.builtin_measures(),
        *definitions.project_measures(project.resolve("measures")),
    ]
    if settings(project).discharges:
        files += definitions.discharge_measures()
    return files


def measure_units(project: Project) -> dict[str, str]:
    """Every measure the project can compute (built-in, ASCOF 2D with discharges, its own
    `measures/*.sql`), by id, with its unit (`definitions.UNITS`)."""
    return {m.id: m.unit for f in _measure_files(project) for m in f.measures}


def measures_for_project(
    project: Project,
    engine: str = "duckdb",
    suppress: bool | None = None,
    database: Path | None = None,
    **options,
):
    """(measures frame, notes): every built-in measure and the project's own
    (`measures/*.sql`), computed from the loaded records (in `database`, if given) on
    `engine`."""
    records = settings(project)
    connect(project, database).close()  # a clear problem when nothing is loaded
    database = database or database_path(project)
    files = _measure_files(project)
    base = list(definitions.BASE_TABLES)
    if records.discharges:
        base.append("hospital_discharges")
    tables = {name: Source(database=database) for name in base}
    tables |= {
        name: Source(frame=frame)
        for name, frame in reference.tables(records.as_of, mappings_folder(project)).items()
    }
    runner = ENGINES[engine](**options)
    try:
        raw = compute(runner, tables, definitions.stages(), files, narrow=True)
    finally:
        runner.close()
    measures = [m for f in files for m in f.measures]
    hidden = records.suppress if suppress is None else suppress
    notes = [] if records.discharges else [UNAVAILABLE_2D]
    return finalise(raw, measures, hidden), notes
