"""The tidy format: one row per indicator, organisation and period."""

from __future__ import annotations

from collections.abc import Mapping

from ...errors import Problem
from ..readers import Table, cell_text
from .records import FIELDS, Field, Record, column_name, normalise

REQUIRED = ("indicator", "period", "value")


def tidy_records(
    table: Table, columns: Mapping[str, str] | None, problems: list[Problem]
) -> list[Record]:
    """One record per data row. `columns` maps the file's own headers to our names."""
    positions = _positions(table, columns or {}, problems)
    if positions is None:
        return []
    problems.extend(_cells_without_header(table))
    named = [(name, index, column_name(table, index)) for name, index in positions.items()]
    return [
        Record(
            table.name,
            table.sheet,
            row.number,
            {name: Field(row.cells[index], row.number, column) for name, index, column in named},
        )
        for row in table.rows
    ]


def _positions(
    table: Table, columns: Mapping[str, str], problems: list[Problem]
) -> dict[str, int] | None:
    """Our field name -> column index, or None (with a problem) when a required column is missing."""
    mapping = {normalise(source): ours for source, ours in columns.items()}
    positions: dict[str, int] = {}
    for index, header in enumerate(table.header):
        name = mapping.get(normalise(header), normalise(header))
        if name not in FIELDS:
            continue
        if name in positions:
            problems.append(
                _problem(
                    table,
                    f'columns "{column_name(table, positions[name])}" and '
                    f'"{header.strip()}" both give {name}; keep one',
                )
            )
            return None
        positions[name] = index
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        problems.append(_problem(table, _missing_reason(table, missing)))
        return None
    return positions


def _cells_without_header(table: Table) -> list[Problem]:
    """Figures in columns with no header: usually a number like 1,631 split at its comma."""
    blank = [index for index, header in enumerate(table.header) if not header.strip()]
    return [
        Problem(
            file=table.name,
            sheet=table.sheet,
            row=row.number,
            column=column_name(table, index),
            value=cell_text(row.cells[index]),
            what="is in a column with no header; if a number like 1,631 was split at its comma, "
            "put it in quotes or remove the comma",
        )
        for row in table.rows
        for index in blank
        if row.cells[index] is not None
    ]


def _missing_reason(table: Table, missing: list[str]) -> str:
    wanted = ", ".join(f'"{name}"' for name in missing)
    found = ", ".join(f'"{header.strip()}"' for header in table.header if header.strip()) or "none"
    plural = "columns" if len(missing) > 1 else "column"
    return (
        f"missing {plural} {wanted}; the columns found are {found}. Rename them, or map the "
        "file's own headers under `columns:` for this file in boardpack.yaml"
    )


def _problem(table: Table, reason: str) -> Problem:
    return Problem(file=table.name, sheet=table.sheet, what=reason)
