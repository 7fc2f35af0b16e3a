"""The SQL definitions: the method's stages in order, and the measures.

Each definition is one SELECT (CTEs allowed) in the restricted DuckDB dialect, in a `.sql`
file. Stages are materialised as tables named after their files, in `STAGES` order, so each
may read the base tables (`cld_records`, `submissions`), the reference tables and every
earlier stage. A measure file starts with one header line per measure it computes:

    -- measure: lts_people | count | People receiving long-term support at the quarter's end

(id | unit | title; units in `UNITS`) and returns `organisation, measure, period, numerator,
denominator, value`. A council's own measures are files like these in the project's
`measures/` folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from boardpack.errors import BoardpackError, Problem

SQL = Path(__file__).with_name("sql")
STAGES = (
    "submission_periods",
    "reference_periods",
    "events_in_period",
    "event_keys",
    "derived_events",
    "unique_events",
    "person_details",
    "measure_periods",
    "reablement_episodes",
    "care_home_admissions",
    "long_term_support",
)
BASE_TABLES = ("cld_records", "submissions")
REFERENCE_TABLES = (
    "value_map",
    "outcome_hierarchy",
    "la_codes",
    "population",
    "calendar",
    "run_parameters",
)
UNITS = ("percent", "rate_per_100k", "count", "median_days", "money")
HEADER = re.compile(r"^--\s*measure:\s*([a-z0-9_]+)\s*\|\s*([a-z0-9_]+)\s*\|\s*(.+?)\s*$")
MEASURE_COLUMNS = ("organisation", "measure", "period", "numerator", "denominator", "value")


@dataclass(frozen=True)
class Definition:
    """One SQL file: a stage, or the measures one file computes."""

    name: str
    path: Path
    sql: str
    measures: tuple[Measure, ...] = ()

    @property
    def shown(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Measure:
    id: str
    unit: str
    title: str
    file: str


def stages() -> list[Definition]:
    return [_read(SQL / "stages" / f"{name}.sql") for name in STAGES]


def builtin_measures() -> list[Definition]:
    return [_measure_file(path) for path in sorted((SQL / "measures").glob("*.sql"))]


def discharge_measures() -> list[Definition]:
    """ASCOF 2D, computed only when the project gives hospital discharges."""
    return [_measure_file(path) for path in sorted((SQL / "discharges").glob("*.sql"))]


def project_measures(folder: Path) -> list[Definition]:
    """A council's own measure files (`PROJECT/measures/*.sql`)."""
    if not folder.is_dir():
        return []
    return [_measure_file(path) for path in sorted(folder.glob("*.sql"))]


def _read(path: Path) -> Definition:
    return Definition(path.stem, path, path.read_text(encoding="utf-8"))


def _measure_file(path: Path) -> Definition:
    definition = _read(path)
    measures, problems = [], []
    for number, line in enumerate(definition.sql.splitlines(), start=1):
        if not line.lstrip().startswith("-- measure:"):
            continue
        match = HEADER.match(line.strip())
        if match is None or match.group(2) not in UNITS:
            problems.append(_bad_header(path, number, line))
        else:
            measures.append(Measure(*match.groups(), file=path.name))
    if not measures and not problems:
        problems.append(_bad_header(path, 1, "(no header)"))
    if problems:
        raise BoardpackError(problems)
    return Definition(definition.name, path, definition.sql, tuple(measures))


def _bad_header(path: Path, line: int, text: str) -> Problem:
    return Problem(
        file=str(path),
        line=line,
        value=text.strip(),
        what="is not a measure header",
        fix=f"write -- measure: id | unit | title, the unit one of {', '.join(UNITS)}",
    )
