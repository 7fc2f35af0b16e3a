"""Small tables a project names (risks, budget lines, commitments): columns matched by name,
cells read one by one, and every problem kept with its file, sheet, row, column and value.

Rows whose first cell starts with `#` are notes, above or below the header, and are skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from ..catalogue.errors import did_you_mean
from ..catalogue.models import Project
from ..errors import Problem
from ..periods import PeriodError, parse_period
from .figures.records import column_name
from .readers import Cell, ReadError, Row, Table, cell_text, read_rows
from .values import ValueParseError, parse_value


def header_key(text: str) -> str:
    """`Target Impact` and `target_impact` name the same column."""
    return "_".join(text.replace("-", " ").replace("/", " ").lower().split())


@dataclass(frozen=True)
class Sheet:
    """A table with its columns resolved: our field name -> column index and header."""

    table: Table
    index: dict[str, int]

    def text(self, row: Row, field: str) -> str:
        """The cell as a person reads it ("" when blank or the column is absent)."""
        return cell_text(self.raw(row, field))

    def raw(self, row: Row, field: str) -> Cell:
        position = self.index.get(field)
        return None if position is None else row.cells[position]

    def problem(self, row: Row | None, field: str | None, reason: str, value: str = "") -> Problem:
        """A problem at a row and column; the value shown is the cell's unless given."""
        column = None
        if field is not None and field in self.index:
            column = column_name(self.table, self.index[field])
        shown = value or (self.text(row, field) if row is not None and field else "")
        return Problem(
            file=self.table.name,
            sheet=self.table.sheet,
            row=None if row is None else row.number,
            column=column,
            value=shown or None,
            what=reason,
        )


class TableSource(Protocol):
    """A project section naming a table: its file, and optionally sheet and header row."""

    file: str
    sheet: str | None
    header_row: int | None


def open_sheet(
    project: Project,
    source: TableSource,
    fields: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    problems: list[Problem],
) -> Sheet | None:
    """Read the table a project section names (`file`, `sheet`, `header_row`) and match its
    headers to `fields` (name -> other accepted headers).

    Returns None, with the problems added, when the file cannot be read, a header is unknown
    or repeated, or a required column is missing."""
    try:
        path, name = project.resolve(source.file), source.file
        table = _without_notes(read_rows(path, source.sheet, source.header_row, name))
    except ReadError as error:
        problems.append(error.problem)
        return None
    aliases = {header_key(alt): field for field, alts in fields.items() for alt in (field, *alts)}
    index: dict[str, int] = {}
    before = len(problems)
    for position, header in enumerate(table.header):
        if not header.strip():
            continue
        field = aliases.get(header_key(header))
        if field is None:
            reason = f"is not a column Boardpack reads{did_you_mean(header, fields)}; use " + (
                ", ".join(fields)
            )
            problems.append(_header_problem(table, header, reason))
        elif field in index:
            reason = f"gives {field} a second time; keep one such column"
            problems.append(_header_problem(table, header, reason))
        else:
            index[field] = position
    missing = [field for field in required if field not in index]
    if missing:
        reason = "has no column " + ", ".join(missing) + "; add it to the header row"
        problems.append(_header_problem(table, None, reason))
    return Sheet(table, index) if len(problems) == before else None


def _header_problem(table: Table, column: str | None, reason: str) -> Problem:
    return Problem(
        file=table.name, sheet=table.sheet, row=table.header_row, column=column, what=reason
    )


def _without_notes(table: Table) -> Table:
    """Skip rows whose first cell begins with `#`; the first other row is the header."""
    if not _is_note(table.header[0] if table.header else ""):
        rows = [row for row in table.rows if not _is_note(cell_text(row.cells[0]))]
        return Table(table.name, table.sheet, table.header, rows, table.header_row)
    data = [row for row in table.rows if not _is_note(cell_text(row.cells[0]))]
    if not data:
        return Table(table.name, table.sheet, [], [], table.header_row)
    head, *rows = data
    header = [cell_text(cell) for cell in head.cells]
    return Table(table.name, table.sheet, header, rows, head.number)


def _is_note(text: str) -> bool:
    return text.lstrip().startswith("#")


def read_number(sheet: Sheet, row: Row, field: str, problems: list[Problem]) -> float | None:
    """A number as finance and risk tables write it (`(1,062)`, `£1,234`, `12%`); None when
    blank or a no-figure marker such as `-`, with a problem when it is not a number."""
    text = sheet.text(row, field)
    if not text:
        return None
    try:
        return parse_value(sheet.raw(row, field)).value
    except ValueParseError as error:
        problems.append(sheet.problem(row, field, error.reason))
        return None


def read_period(sheet: Sheet, row: Row, problems: list[Problem]):
    """The row's period (a `Period`), or None with a problem."""
    text = sheet.text(row, "period")
    if not text:
        problems.append(sheet.problem(row, "period", "is blank; give the period, e.g. Q1 2015/16"))
        return None
    try:
        return parse_period(text)
    except PeriodError as error:
        problems.append(sheet.problem(row, "period", f"is not a period Boardpack reads ({error})"))
        return None


def read_date(sheet: Sheet, row: Row, field: str, problems: list[Problem]) -> dt.date | None:
    """A date (31/03/2016 or 2016-03-31), or the end of a period label (Q4 2015/16)."""
    text = sheet.text(row, field)
    if not text:
        return None
    for shape in ("%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, shape).date()
        except ValueError:
            continue
    try:
        return parse_period(text).end
    except PeriodError:
        problems.append(
            sheet.problem(row, field, "is not a date; write it like 31/03/2016 or Q4 2015/16")
        )
        return None


def source(sheet: Sheet, row: Row) -> str:
    """`risks.csv:4`, as observation sources are written."""
    return f"{sheet.table.name}:{row.number}"
