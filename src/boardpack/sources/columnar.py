"""Read a CSV file or a workbook's sheet into one polars frame of text columns at once,
numbered as a person sees its rows in a spreadsheet: the columnar counterpart of
`readers.read_rows` for big files.

`read_csv_frame` and `read_sheet_frame` give the same header, cells and row numbers as
`read_rows` (blank cells are null, blank rows dropped, a spreadsheet's numbers and dates as
`readers.cell_text` writes them), or None when the file needs the row-by-row reader to say
what is wrong with it (missing, refused by `safety`, rows wider than polars will read, a sheet
holding an error value): the caller then reads it with `read_rows`, which raises the usual
problem. The safety checks run first: a workbook's sheet is read by calamine in one call only
after its size, dimension and cells have been checked.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import polars as pl

from . import readers, safety

#: The frame's column holding each row's spreadsheet row number.
ROW = "__row"


@dataclass(frozen=True)
class FrameTable:
    """A CSV's header and its data rows as a frame: text columns `c0`, `c1`... (each cell
    without the spaces around it, blank cells null) and `ROW`."""

    name: str
    header: list[str]
    frame: pl.DataFrame
    header_row: int = 1
    sheet: str | None = None

    def column(self, index: int) -> str:
        return f"c{index}"


def read_csv_frame(path: Path, name: str, header_row: int | None) -> FrameTable | None:
    """The CSV at `path` as a `FrameTable`, or None when `read_rows` should read it instead."""
    if path.suffix.lower() != ".csv" or not path.is_file():
        return None
    try:
        data = safety.read_csv_utf8(path, name)
    except safety.TooCostly:
        return None
    if data.count(b"\r") != data.count(b"\r\n"):
        return None  # a lone carriage return ends a row for Python's CSV reader, not polars'
    body = data.lstrip(b"\r\n")  # blank lines above the header would make polars read one column
    skipped = data[: len(data) - len(body)].count(b"\n")
    try:
        raw = pl.read_csv(
            io.BytesIO(body),
            has_header=False,
            infer_schema=False,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError:
        return None
    return _table(name, raw, header_row, _spaced(body), skipped)


def read_sheet_frame(
    path: Path, name: str, sheet: str | None, header_row: int | None
) -> FrameTable | None:
    """A workbook's sheet (the first when `sheet` is None) as a `FrameTable`, or None when
    `read_rows` should read it instead."""
    if readers.READERS.get(path.suffix.lower()) is not readers.read_workbook:
        return None
    if not path.is_file():
        return None
    try:
        safety.check_file(path, name, sheet)
        chosen, raw = readers.read_workbook(path, sheet, name)
        safety.check_rows(raw, name, chosen)
    except (safety.TooCostly, readers.ReadError):
        return None
    columns = _text_columns(raw)
    if columns is None:
        return None
    frame = pl.DataFrame(
        {f"column_{index}": cells for index, cells in enumerate(columns)},
        schema={f"column_{index}": pl.String for index in range(len(columns))},
    )
    table = _table(name, frame, header_row)
    return None if table is None else replace(table, sheet=chosen)


def _text_columns(raw: list[list]) -> list[list[str | None]] | None:
    """The sheet's cells column by column, as text the way `readers.cell_text` writes them
    (2015.0 is "2015", a date is dd/mm/yyyy); None when a cell holds an error value (NaN or
    infinity), which the row-by-row reader reports in its own words."""
    width = max((len(row) for row in raw), default=0)
    columns: list[list[str | None]] = []
    for index in range(width):
        cells = [row[index] if index < len(row) else None for row in raw]
        texts = []
        for cell in cells:
            if cell is None or type(cell) is str:
                texts.append(cell)
                continue
            if isinstance(cell, float) and not math.isfinite(cell):
                return None
            texts.append(readers.cell_text(readers.normalised_cell(cell)))
        columns.append(texts)
    return columns


def _table(
    name: str, raw: pl.DataFrame, header_row: int | None, spaced: bool = True, skipped: int = 0
) -> FrameTable | None:
    """`spaced`: whether any cell may have spaces around it (else none are stripped);
    `skipped`: the blank lines left out above the first row."""
    if raw.width == 0:
        return None
    stripped = raw.select(pl.all().str.strip_chars()) if spaced else raw
    cells = stripped.select(
        pl.when(pl.col(column).str.len_bytes() > 0).then(pl.col(column)).alias(f"c{index}")
        for index, column in enumerate(raw.columns)
    ).with_row_index(ROW, offset=1 + skipped)
    filled = cells.filter(pl.any_horizontal(pl.exclude(ROW).is_not_null()))
    if filled.is_empty():
        return None
    numbers = filled[ROW]
    header_row = header_row or _header_row(filled)
    if not (numbers == header_row).any():
        return None
    header = [
        "" if cell is None else cell.strip()
        for cell in cells.row(header_row - 1 - skipped)[1:]  # the row number comes first
    ]
    rows = filled.filter(pl.col(ROW) > header_row)
    return FrameTable(name, header, rows, header_row)


def _header_row(filled: pl.DataFrame) -> int:
    """The first row with two or more cells filled, else the first (`readers.read_rows`'s
    rule: a title above the table is skipped)."""
    head = filled.head(readers.HEADER_SEARCH)
    counts = pl.sum_horizontal(pl.exclude(ROW).is_not_null().cast(pl.UInt32))
    wide = head.filter(counts >= 2)[ROW]
    return int(wide[0] if len(wide) else filled[ROW][0])


#: Bytes around a cell (comma, line ends, quote) and the spaces beside them that would be
#: stripped from it (space, tab, vertical tab, form feed).
_EDGES = np.array([ord(","), ord("\n"), ord("\r"), ord('"')], dtype=np.uint8)
_SPACES = np.array([ord(" "), ord("\t"), 0x0B, 0x0C], dtype=np.uint8)


def _spaced(data: bytes) -> bool:
    """Whether any cell may start or end with a space: a space next to a comma, line end or
    quote, or at either end of the file (found over the bytes at once, not cell by cell)."""
    if not data.isascii():
        return True  # Unicode's other spaces are stripped too
    octets = np.frombuffer(data, dtype=np.uint8)
    spaces = np.flatnonzero(np.isin(octets, _SPACES))
    if spaces.size == 0:
        return False
    if spaces[0] == 0 or spaces[-1] == octets.size - 1:
        return True
    beside = np.concatenate((octets[spaces - 1], octets[spaces + 1]))
    return bool(np.isin(beside, _EDGES).any())
