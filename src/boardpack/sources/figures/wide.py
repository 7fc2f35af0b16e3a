"""The wide format: one row per indicator, the periods across the top.

```
Ref   | Indicator                  | Target 25/26 | Apr-25 | May-25 | Jun-25 | Comments
ASC1  | Reablement: no further ... | 78%          | 81%    | 79%    | 77.5%  | Jul delayed
```

Every column is a period (its header read as a period label), a column giving a field for every
figure in its row (the indicator, and where given the organisation, target, floor or status),
or a column listed under `ignore:`. Any other column is a problem, so no figure is dropped
because its period heading was mistyped.
"""

from __future__ import annotations

from boardpack.catalogue import DataSource
from boardpack.periods import read_period

from ...errors import Problem
from ..readers import Row, Table
from .records import Field, Record, column_name, is_total, normalise
from .tidy import cells_without_header, columns_not_found, file_problem, named_field

#: The fields a column gives for every figure in its row.
ROW_FIELDS = ("indicator", "organisation", "target", "floor", "status")


def wide_records(table: Table, source: DataSource, problems: list[Problem]) -> list[Record]:
    """One record per indicator row and period column with a figure."""
    before = len(problems)
    problems.extend(columns_not_found(table, source))
    fields, periods = _columns(table, source, problems)
    if "indicator" not in fields:
        problems.append(file_problem(table, _no_indicator(table)))
    if not periods:
        problems.append(
            file_problem(table, "has no column headed by a period (Apr 2025, Q1 2025/26, 2025/26)")
        )
    problems.extend(cells_without_header(table))
    if len(problems) > before:
        return []
    rows = [row for row in table.rows if not is_total(row.cells[fields["indicator"]])]
    return [record for row in rows for record in _row_records(table, row, fields, periods)]


def _columns(
    table: Table, source: DataSource, problems: list[Problem]
) -> tuple[dict[str, int], list[int]]:
    """Field -> column for the fields given once a row, and the period columns."""
    mapping = {normalise(mine): ours for mine, ours in source.columns.items()}
    ignored = {normalise(name) for name in source.ignore}
    fields: dict[str, int] = {}
    periods: list[int] = []
    for index, header in enumerate(table.header):
        key = normalise(header)
        if not key or key in ignored:
            continue
        name = mapping.get(key) or named_field(header)
        if name is None and read_period(header.strip()) is not None:
            periods.append(index)
        elif name in ROW_FIELDS and name not in fields:
            fields[name] = index
        else:
            problems.append(file_problem(table, _unplaced(header, name)))
    return fields, periods


def _unplaced(header: str, name: str | None) -> str:
    heading = f'column "{header.strip()}"'
    if name is None:
        return (
            f"{heading} is not headed by a period (write it like Apr 2025, Q1 2025/26 or "
            "2025/26); if it holds something else, list it under `ignore:` for this file, or "
            "map it under `columns:`"
        )
    if name in ROW_FIELDS:
        return f"{heading} gives {name} a second time; keep one, or list one under `ignore:`"
    return (
        f"{heading} gives {name}, which in a wide file is each period's figure, not the row's; "
        f"a column may give {', '.join(ROW_FIELDS)} for every figure in its row"
    )


def _no_indicator(table: Table) -> str:
    found = ", ".join(f'"{h.strip()}"' for h in table.header if h.strip()) or "none"
    return (
        f"has no column of indicator references; the columns found are {found}. Name it "
        "indicator, or map it under `columns:` (e.g. Ref: indicator)"
    )


def _row_records(
    table: Table, row: Row, fields: dict[str, int], periods: list[int]
) -> list[Record]:
    given = {
        name: Field(row.cells[index], row.number, column_name(table, index))
        for name, index in fields.items()
        if name == "indicator" or row.cells[index] is not None
    }
    records = []
    for index in periods:
        if row.cells[index] is None:
            continue
        column = column_name(table, index)
        period = Field(table.header[index].strip(), table.header_row, column)
        value = Field(row.cells[index], row.number, column)
        records.append(
            Record(
                table.name,
                table.sheet,
                row.number,
                {**given, "period": period, "value": value},
                column,
            )
        )
    return records
