"""The project's records database: `PROJECT/.boardpack/records.duckdb`, embedded, no server.

`load_records(project)` reads every submission the project names into a new database file and
puts it in place only when everything has been read and checked: a load either succeeds whole
or leaves the previous database as it was.

Tables: `cld_records` (one typed row per submitted row), `submissions` (one row per file),
`quality` (the data-quality report), `ignored_columns`, `value_map`, `la_codes`, and
`hospital_discharges` when the project names a discharges file (ASCOF 2D).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from boardpack.catalogue.models import Project, Records
from boardpack.errors import BoardpackError, Problem
from boardpack.records.cld import (
    Submission,
    find_submissions,
    quarter_end_in_name,
    read_submissions,
)
from boardpack.records.cld_checks import type_records
from boardpack.records.cld_discharges import read_discharges

from . import reference
from .engines import DUCKDB_MEMORY, duckdb_settings
from .quality import create_quality

DATABASE = Path(".boardpack") / "records.duckdb"
#: Submissions accepted in the web app; every load reads them beside those boardpack.yaml names.
UPLOADED = Path(".boardpack") / "submissions"


@dataclass(frozen=True)
class Loaded:
    """What a load read: files, rows and councils."""

    files: int
    rows: int
    organisations: tuple[str, ...]

    def __str__(self) -> str:
        councils = ", ".join(self.organisations)
        return f"loaded {self.rows:,} rows from {self.files} submission files ({councils})"


def settings(project: Project) -> Records:
    if project.records is None:
        raise BoardpackError(
            Problem(
                file="boardpack.yaml",
                field="records",
                what="the project names no Client Level Data submissions",
                fix="add a records: section with files: [the submission CSV or XLSX files]",
            )
        )
    return project.records


def database_path(project: Project) -> Path:
    return project.folder / DATABASE


def mappings_folder(project: Project) -> Path | None:
    folder = settings(project).mappings
    return project.resolve(folder) if folder else None


def uploaded_submissions(project: Project) -> list[tuple[str, None]]:
    """The submissions accepted in the web app (`UPLOADED`), as records files."""
    folder = project.folder / UPLOADED
    found = sorted(p for p in folder.glob("*") if p.suffix.lower() in (".csv", ".xlsx"))
    return [(str(p.relative_to(project.folder)), None) for p in found]


def load_records(
    project: Project,
    extra: Sequence[Submission] = (),
    target: Path | None = None,
    memory_limit: str = DUCKDB_MEMORY,
) -> Loaded:
    """Read, check and store every submission the project names, those accepted in the web
    app and `extra` (all or nothing), into `target` (default the project's database), DuckDB
    spilling to disk beyond `memory_limit`."""
    records = settings(project)
    files = [(f.file, f.submitted) for f in records.files] + uploaded_submissions(project)
    found = find_submissions(project.folder, files) + list(extra)
    submissions = sorted(found, key=lambda s: (s.submitted, s.shown))
    target = target or database_path(project)
    target.parent.mkdir(parents=True, exist_ok=True)
    loading = target.with_name(target.name + ".loading")
    _remove(loading)
    con = duckdb.connect(str(loading))
    duckdb_settings(con, memory_limit)
    try:
        loaded = _load(con, submissions, mappings_folder(project))
        if records.discharges:
            read_discharges(con, project.resolve(records.discharges), records.discharges)
        con.close()
    except BaseException:
        con.close()
        _remove(loading)
        raise
    os.replace(loading, target)
    return loaded


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def _load(con, submissions: list[Submission], mappings: Path | None) -> Loaded:
    for name in ("value_map", "la_codes"):
        frame = reference.tables(mappings=mappings)[name]
        con.register(f"{name}_frame", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_frame")
    read_submissions(con, submissions)
    type_records(con, submissions)
    _create_submissions(con, submissions)
    create_quality(con)
    rows, councils = con.execute(
        "SELECT count(*), list(DISTINCT organisation ORDER BY organisation) FROM cld_records"
    ).fetchone()
    return Loaded(len(submissions), rows, tuple(councils or ()))


def _create_submissions(con, submissions: list[Submission]) -> None:
    con.execute(
        "CREATE TEMP TABLE files (submission_id INTEGER, file VARCHAR, submitted DATE, "
        "quarter_end DATE)"
    )
    con.executemany(
        "INSERT INTO files VALUES (?, ?, ?, ?)",
        [
            (n, s.shown, s.submitted, quarter_end_in_name(s.path.name))
            for n, s in enumerate(submissions, start=1)
        ],
    )
    con.execute(
        """CREATE TABLE submissions AS
        SELECT f.submission_id, f.file, f.submitted, f.quarter_end,
               CAST(date_trunc('month', f.submitted) AS DATE) AS submitted_month_start,
               r.organisation, r.la_code, r.rows, r.stated_start, r.stated_end
        FROM files f JOIN (
            SELECT submission_id, min(organisation) AS organisation, min(la_code) AS la_code,
                   count(*) AS rows, min(reporting_period_start_date) AS stated_start,
                   max(reporting_period_end_date) AS stated_end
            FROM cld_records GROUP BY submission_id) r USING (submission_id)
        ORDER BY f.submission_id"""
    )


def connect(project: Project, database: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The loaded database (or `database`), read only; a problem if records were never
    loaded."""
    path = database or database_path(project)
    if not path.exists():
        raise BoardpackError(
            Problem(
                file=str(DATABASE),
                what="no records are loaded in this project",
                fix="run boardpack records load PROJECT first",
            )
        )
    return duckdb.connect(str(path), read_only=True)
