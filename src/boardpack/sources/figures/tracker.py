"""The tracker format: trend tables with one block of rows per indicator and periods across the top.

```
Indicator  |             | Sept 10 | Dec 10 | Mar 11 | Jun 11
AC/S3      | KCC Result  | 20.8%   | 25.8%  | 32.0%  | 34.0%
           | Target      |         |        | 30%    | 33%
```

With no `indicator_column`, a block starts with a row holding only the indicator reference in the
first column, and the row labels follow in that same column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ...errors import Problem
from ..readers import Row, Table, cell_text
from .records import FIELDS, Field, Record, column_name, normalise

ROW_FIELDS = tuple(name for name in FIELDS if name not in ("indicator", "period"))

Labels = dict[str, tuple[str, str]]


@dataclass(frozen=True)
class Layout:
    """Which column names the indicator, which holds row labels, and which are periods."""

    indicator: int | None
    label: int
    periods: list[int]


@dataclass
class Block:
    """The rows belonging to one indicator: field name -> row."""

    ref: Field
    rows: dict[str, Row] = field(default_factory=dict)


def tracker_records(
    table: Table, rows: Mapping[str, str], indicator_column: str | None, problems: list[Problem]
) -> list[Record]:
    """One record per indicator and period column that has at least one figure."""
    labels = _labels(table, rows, problems)
    layout = _layout(table, indicator_column, problems)
    if labels is None or layout is None:
        return []
    blocks = _blocks(table, layout, labels, problems)
    return [record for block in blocks for record in _block_records(table, layout, block)]


def _labels(table: Table, rows: Mapping[str, str], problems: list[Problem]) -> Labels | None:
    """Row label (normalised) -> (label as written, our field name); every name must be a field."""
    wrong = {label: name for label, name in rows.items() if name not in ROW_FIELDS}
    for label, name in wrong.items():
        problems.append(
            _problem(
                table,
                f'`rows:` maps "{label}" to "{name}", which is not a field; '
                f"use one of {', '.join(ROW_FIELDS)}",
            )
        )
    if not rows:
        problems.append(
            _problem(
                table,
                "a tracker needs `rows:` naming which row labels hold the value, target and so on",
            )
        )
    if wrong or not rows:
        return None
    return {normalise(label): (label, name) for label, name in rows.items()}


def _layout(table: Table, indicator_column: str | None, problems: list[Problem]) -> Layout | None:
    indicator = _find_column(table, indicator_column) if indicator_column else None
    if indicator_column and indicator is None:
        found = ", ".join(f'"{h.strip()}"' for h in table.header if h.strip()) or "none"
        problems.append(
            _problem(
                table,
                f'no column named "{indicator_column}" (from '
                f"`indicator_column:`); the columns found are {found}",
            )
        )
        return None
    label = 1 if indicator == 0 else 0
    periods = [
        index
        for index, header in enumerate(table.header)
        if header.strip() and index not in (indicator, label)
    ]
    return Layout(indicator, label, periods)


def _find_column(table: Table, name: str) -> int | None:
    wanted = normalise(name)
    return next((i for i, header in enumerate(table.header) if normalise(header) == wanted), None)


def _blocks(table: Table, layout: Layout, labels: Labels, problems: list[Problem]) -> list[Block]:
    blocks: list[Block] = []
    for row in table.rows:
        ref = _block_start(table, layout, labels, row)
        if ref is not None:
            blocks.append(Block(ref))
            if layout.indicator is None or _only_names_indicator(layout, row):
                continue
        problem = _add_row(table, layout, labels, blocks[-1] if blocks else None, row)
        if problem:
            problems.append(problem)
    return blocks


def _only_names_indicator(layout: Layout, row: Row) -> bool:
    return row.cells[layout.label] is None and not _has_figures(layout, row)


def _has_figures(layout: Layout, row: Row) -> bool:
    return any(row.cells[i] is not None for i in layout.periods)


def _block_start(table: Table, layout: Layout, labels: Labels, row: Row) -> Field | None:
    """The indicator reference when this row starts a new block."""
    if layout.indicator is not None:
        cell = row.cells[layout.indicator]
        index = layout.indicator
    else:
        cell = row.cells[layout.label]
        index = layout.label
        if cell is None or normalise(cell_text(cell)) in labels or _has_figures(layout, row):
            return None
    return None if cell is None else Field(cell, row.number, column_name(table, index))


def _add_row(
    table: Table, layout: Layout, labels: Labels, block: Block | None, row: Row
) -> Problem | None:
    label = cell_text(row.cells[layout.label])
    where = {
        "file": table.name,
        "sheet": table.sheet,
        "row": row.number,
        "column": column_name(table, layout.label),
    }
    known = ", ".join(f'"{written}"' for written, _ in labels.values())
    if not label:
        return Problem(
            **where, what=f"has figures but no row label; label the row as one of {known}"
        )
    if normalise(label) not in labels:
        start = (
            ""
            if layout.indicator is not None
            else (", or if it is an indicator reference, leave the rest of its row empty")
        )
        return Problem(
            **where,
            value=label,
            what=f"is not a row label under `rows:` for this file ({known}); add it there{start}",
        )
    if block is None:
        return Problem(
            **where, value=label, what="comes before any indicator; name the indicator above it"
        )
    name = labels[normalise(label)][1]
    if name in block.rows:
        return Problem(
            **where,
            value=label,
            what=f"is a second {name} row for {cell_text(block.ref.raw)} "
            f"(the first is row {block.rows[name].number}); keep one",
        )
    block.rows[name] = row
    return None


def _block_records(table: Table, layout: Layout, block: Block) -> list[Record]:
    records = []
    main = block.rows.get("value") or next(iter(block.rows.values()), None)
    for index in layout.periods:
        column = column_name(table, index)
        fields = {
            name: Field(row.cells[index], row.number, column)
            for name, row in block.rows.items()
            if row.cells[index] is not None
        }
        if not fields:
            continue
        fields["indicator"] = block.ref
        fields["period"] = Field(table.header[index].strip(), table.header_row, column)
        records.append(Record(table.name, table.sheet, main.number, fields, column))
    return records


def _problem(table: Table, reason: str) -> Problem:
    return Problem(file=table.name, sheet=table.sheet, what=reason)
