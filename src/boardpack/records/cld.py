"""Client Level Data submission files (CSV or XLSX) read into DuckDB and checked.

A council's quarterly CLD return is one row per event, with the national field names
(`LA_Code`, `Event_Type`, ...; Release 1 or Release 2, spaces or underscores, any case).
`read_submissions` gives every file's rows, as text, as one view over the files (DuckDB's
`read_csv`, nothing sniffed); `cld_checks` types them into `cld_records` in one pass and
reports every structural fault as a `Problem` (file, row, field, value, how to fix): a missing
required column, a date or number that cannot be read, an event type that is none of Request,
Assessment, Service or Review, a council code that is not a council's. Faults the method
tolerates (blanks, invalid codes, open services...) are left for the quality report.
"""

from __future__ import annotations

import csv
import datetime as dt
import glob
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from boardpack.errors import BoardpackError, Problem

FIELDS_FILE = Path(__file__).with_name("cld_fields.csv")
DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
SHOWN_PER_CHECK = 20  # rows listed per kind of fault and file; the rest are counted
DATE_FIX = "write dates as YYYY-MM-DD (or DD/MM/YYYY)"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # text, code, date or number
    required: bool
    applies_to: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Submission:
    """One submission file, as the project names it, and the day it was sent."""

    path: Path
    shown: str
    submitted: dt.date


@cache
def fields() -> tuple[Field, ...]:
    """The CLD fields in specification order."""
    with FIELDS_FILE.open(newline="", encoding="utf-8") as fh:
        return tuple(
            Field(
                row["field"],
                row["type"],
                row["required"] == "yes",
                row["applies_to"],
                tuple(a for a in row["aliases"].split("|") if a),
            )
            for row in csv.DictReader(fh)
        )


def header_key(name: str) -> str:
    """`Event Type`, `event_type` and `EVENT-TYPE` are one header: `eventtype`."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@cache
def _header_names() -> dict[str, str]:
    names = {}
    for field in fields():
        for name in (field.name, *field.aliases):
            names[header_key(name)] = field.name
    return names


def find_submissions(folder: Path, files: Iterable[tuple[str, dt.date | None]]) -> list[Submission]:
    """Every file named (globs expanded, in name order) with its submitted date: the one given,
    else the last YYYY-MM-DD in the file name. Problems for names that match nothing and files
    whose date cannot be told."""
    found, problems = [], []
    for pattern, submitted in files:
        paths = sorted(Path(p) for p in glob.glob(str(folder / pattern)))
        if not paths:
            problems.append(_missing(pattern))
        for path in paths:
            shown = str(path.relative_to(folder)) if path.is_relative_to(folder) else str(path)
            day = submitted or _date_in_name(path.name)
            if day is None:
                problems.append(_undated(shown))
            else:
                found.append(Submission(path, shown, day))
    if problems:
        raise BoardpackError(problems)
    return sorted(found, key=lambda s: (s.submitted, s.shown))


def _missing(pattern: str) -> Problem:
    return Problem(
        file=pattern,
        field="records.files",
        what="no such submission file",
        fix="check the path in boardpack.yaml (relative to the project folder)",
    )


def _undated(shown: str) -> Problem:
    return Problem(
        file=shown,
        field="records.files",
        what="cannot tell when this submission was sent",
        fix="end the file name with the date submitted (..._2025-04-20.csv) or give submitted:",
    )


def submitted_in_name(name: str) -> dt.date | None:
    """The day a file name says it was sent: its last YYYY-MM-DD (None if it has none)."""
    return _date_in_name(name)


def _date_in_name(name: str) -> dt.date | None:
    for text in reversed(DATE_IN_NAME.findall(name)):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            continue
    return None


def quarter_end_in_name(name: str) -> dt.date | None:
    """The quarter end a file name gives before its submitted date (`E10000016_2025-03-31_...`)."""
    dates = DATE_IN_NAME.findall(name)
    try:
        return dt.date.fromisoformat(dates[-2]) if len(dates) >= 2 else None
    except ValueError:
        return None


# --- reading ---------------------------------------------------------------------------------


def read_submissions(con: duckdb.DuckDBPyConnection, submissions: Sequence[Submission]) -> None:
    """The view `cld_text`: every file's rows (every field as text, with `submission_id` and
    the `row_number` in its file), read from the files each time it is scanned; nothing is
    copied here. BoardpackError for files that are not CSV or XLSX, cannot be read or lack a
    required column (all files are looked at before raising). The header columns that are no
    CLD field go in `ignored_columns`."""
    con.execute('CREATE TABLE ignored_columns (submission_id INTEGER, "column" VARCHAR)')
    problems: list[Problem] = []
    parts = []
    for number, submission in enumerate(submissions, start=1):
        try:
            part, ignored = _rows(con, number, submission)
        except BoardpackError as error:
            problems.extend(error.problems)
            continue
        parts.append(part)
        if ignored:
            con.executemany(
                "INSERT INTO ignored_columns VALUES (?, ?)", [(number, c) for c in ignored]
            )
    if problems:
        raise BoardpackError(problems)
    con.execute(f"CREATE TEMP VIEW cld_text AS {' UNION ALL '.join(parts)}")


def keep_text(con: duckdb.DuckDBPyConnection) -> None:
    """`cld_raw`: the rows of `cld_text` kept as a table, for the checks that list each
    fault's rows (read once instead of once a check)."""
    con.execute("CREATE TEMP TABLE cld_raw AS SELECT * FROM cld_text")


def _rows(con: duckdb.DuckDBPyConnection, number: int, submission: Submission) -> tuple[str, list]:
    """One file's SELECT (every field by name, as text) and the header columns that are no
    CLD field (not read). The source's columns are named by position (`c0`, `c1`...), so
    headers written twice or with quotes in them need no care. A CSV's rows are numbered as
    read: `row_number() OVER ()` makes DuckDB read the file in one thread, in order (its
    streaming window), and a row's number + 1 is its line in the file (the header is line 1);
    a workbook's rows carry their line (`line`)."""
    suffix = submission.path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        header, source = _workbook_source(con, submission)
        line = "CAST(line AS BIGINT)"
    elif suffix in (".csv", ".txt"):
        header = _csv_header(submission)
        source = _csv_source(submission.path, len(header))
        line = "row_number() OVER () + 1"
    else:
        raise BoardpackError(
            Problem(file=submission.shown, what="is not a CSV or XLSX file", fix="save it as CSV")
        )
    chosen = _columns(header, submission.shown)
    select = ", ".join(
        f'c{chosen[f.name]} AS "{f.name}"'
        if f.name in chosen
        else f'CAST(NULL AS VARCHAR) AS "{f.name}"'
        for f in fields()
    )
    part = f"SELECT {number} AS submission_id, {line} AS row_number, {select} FROM {source}"
    ignored = [name for name in header if header_key(name) not in _header_names() and name.strip()]
    return part, ignored


def _csv_header(submission: Submission) -> list[str]:
    try:
        with submission.path.open(newline="", encoding="utf-8-sig") as fh:
            return next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError) as error:
        raise BoardpackError(
            Problem(
                file=submission.shown, what=f"cannot be read ({error})", fix="save as UTF-8 CSV"
            )
        ) from error


def _csv_source(path: Path, width: int) -> str:
    """DuckDB's reader with the columns given, every one text: nothing is sniffed or typed,
    and the rows stay inside DuckDB."""
    quoted = str(path).replace("'", "''")
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    return (
        f"read_csv('{quoted}', header = true, columns = {{{columns}}}, auto_detect = false, "
        "delim = ',', quote = '\"', escape = '\"', null_padding = true, encoding = 'utf-8')"
    )


def _workbook_source(con: duckdb.DuckDBPyConnection, submission: Submission) -> tuple[list, str]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(submission.path))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as error:  # noqa: BLE001 - calamine raises its own kinds
        raise BoardpackError(
            Problem(file=submission.shown, what=f"cannot be read ({error})", fix="save it again")
        ) from error
    header = [str(cell) for cell in rows[0]] if rows else []
    body = [[_cell_text(cell) for cell in row] for row in rows[1:]]
    # Every column text: a field blank in the first rows must not be typed from them.
    schema = {f"c{i}": pl.String for i in range(len(header))}
    frame = pl.DataFrame(body, schema=schema, orient="row").with_row_index("line", offset=2)
    name = f"workbook_{abs(hash(submission.shown))}"
    con.register(name, frame)
    return header, name


def _cell_text(cell: object) -> str | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _columns(header: list[str], shown: str) -> dict[str, int]:
    """Field name -> its column's position (the first header naming it); Problems for
    missing required fields."""
    names = _header_names()
    chosen: dict[str, int] = {}
    for position, written in enumerate(header):
        field = names.get(header_key(written))
        if field and field not in chosen:
            chosen[field] = position
    missing = [f.name for f in fields() if f.required and f.name not in chosen]
    if missing:
        raise BoardpackError(
            Problem(
                file=shown,
                row=1,
                column=name,
                what="required column is missing",
                fix="add it with the national field name",
            )
            for name in missing
        )
    return chosen
