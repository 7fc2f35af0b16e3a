"""Read CSV, XLSX and ODS files into plain rows, numbered as a person sees them in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from ..errors import BoardpackError, Problem
from . import safety
from .percent_cells import as_percentages, percent_cells

Cell = str | float | None


class ReadError(BoardpackError):
    """A file could not be read at all (missing, empty, unknown sheet or format)."""

    @property
    def problem(self) -> Problem:
        return self.problems[0]


@dataclass(frozen=True)
class Row:
    """One data row; `number` is the spreadsheet row number (the header is row 1 by default)."""

    number: int
    cells: list[Cell]


@dataclass(frozen=True)
class Table:
    """A sheet's header and data rows. `name` is the file as the project names it."""

    name: str
    sheet: str | None
    header: list[str]
    rows: list[Row]
    header_row: int = 1


def read_rows(
    path: Path | str,
    sheet: str | None = None,
    header_row: int | None = None,
    name: str | None = None,
) -> Table:
    """Read a CSV, XLSX or ODS file; `name` is how errors name the file (default: the path).

    The header is `header_row` (1 = the first row), or when not given the first row with two or
    more cells filled (a title or a "Source: ..." line above the table is skipped; a table of one
    column has its first non-blank row); rows above it are skipped and blank rows dropped,
    keeping the spreadsheet's row numbers.
    """
    path = Path(path)
    name = name or str(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(sorted(READERS))
        raise _error(
            name,
            sheet,
            f"cannot read {path.suffix or 'files without an extension'}; "
            f"save it as one of {supported}",
        )
    if not path.is_file():
        raise _error(name, sheet, f"file not found (looked for {path})")
    try:
        safety.check_file(path, name, sheet)
        sheet_name, raw = reader(path, sheet, name)
        safety.check_rows(raw, name, sheet_name)
    except safety.TooCostly as refused:
        raise ReadError(refused.problems) from None
    return _table(
        name, sheet_name, [[normalised_cell(value) for value in row] for row in raw], header_row
    )


def _error(name: str, sheet: str | None, reason: str) -> ReadError:
    return ReadError(Problem(file=name, sheet=sheet, what=reason))


def _table(name: str, sheet: str | None, raw: list[list[Cell]], header_row: int | None) -> Table:
    filled = [number for number, row in enumerate(raw, start=1) if _filled(row)]
    if not filled:
        raise _error(name, sheet, "is empty; the first row should name the columns")
    header_row = header_row or _header_row(raw, filled)
    if header_row not in filled:
        raise _error(
            name,
            sheet,
            f"row {header_row} is blank; it should name the columns "
            "(check `header_row:` for this file)",
        )
    width = max(len(row) for row in raw)
    padded = [row + [None] * (width - len(row)) for row in raw]
    header = [cell_text(cell) for cell in padded[header_row - 1]]
    rows = [
        Row(number, cells)
        for number, cells in enumerate(padded[header_row:], start=header_row + 1)
        if _filled(cells)
    ]
    return Table(name, sheet, header, rows, header_row)


#: How many non-blank rows are looked through for the header.
HEADER_SEARCH = 1_000


def _header_row(raw: list[list[Cell]], filled: list[int]) -> int:
    """The first row with two or more cells filled, else the first non-blank row: the rows of
    one cell above a table are its title and notes (`Adult Social Care KPI tracker`)."""
    first = filled[:HEADER_SEARCH]
    wide = (n for n in first if sum(cell is not None for cell in raw[n - 1]) >= 2)
    return next(wide, filled[0])


def _filled(cells: list[Cell]) -> bool:
    return any(cell is not None for cell in cells)


def cell_text(cell: Cell) -> str:
    """A cell as a person reads it: 2015.0 is "2015", blank is ""."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def normalised_cell(value: object) -> Cell:
    """Normalise a raw cell: blank text is None, numbers are floats, dates are dd/mm/yyyy."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.date):  # datetime is a date too
        return value.strftime("%d/%m/%Y")
    return str(value)


def _read_csv(path: Path, sheet: str | None, name: str) -> tuple[None, list[list[Cell]]]:
    if sheet:
        raise _error(name, sheet, "a CSV file has no sheets; remove `sheet:` for this file")
    text = safety.decode_text(path.read_bytes(), name)
    return None, [list(row) for row in csv.reader(io.StringIO(text, newline=""))]


def read_workbook(path: Path, sheet: str | None, name: str) -> tuple[str, list[list[object]]]:
    """The sheet's name and its cells as calamine gives them, read in one call, with a number
    formatted as a percentage written as the percentage shown (0.81 as `81%`). Check the file
    with `safety.check_file` first."""
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        raise _error(name, sheet, f"cannot be opened as a spreadsheet ({error})") from error
    names = book.sheet_names
    if not names:
        raise _error(name, sheet, "is empty; the workbook has no sheets")
    chosen = sheet or names[0]
    if chosen not in names:
        listed = ", ".join(f'"{n}"' for n in names)
        raise _error(name, None, f'has no sheet named "{chosen}"; its sheets are {listed}')
    rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    as_percentages(rows, percent_cells(path, chosen))
    return chosen, rows


READERS: dict[str, Callable[[Path, str | None, str], tuple[str | None, list[list]]]] = {
    ".csv": _read_csv,
    ".xlsx": read_workbook,
    ".xlsm": read_workbook,
    ".xls": read_workbook,
    ".ods": read_workbook,
}


def sheet_names(path: Path | str) -> list[str]:
    """The sheets of a workbook, in order (a CSV file has none)."""
    path = Path(path)
    if READERS.get(path.suffix.lower()) is not read_workbook:
        return []
    return list(CalamineWorkbook.from_path(str(path)).sheet_names)
