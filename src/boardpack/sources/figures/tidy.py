"""The tidy format: one row per indicator, organisation and period."""

from __future__ import annotations

from boardpack.catalogue import DataSource
from boardpack.catalogue.errors import did_you_mean

from ...errors import Problem
from ..readers import Table, cell_text
from .records import FIELDS, Field, Record, column_name, is_total, normalise

REQUIRED = ("indicator", "period", "value")


def tidy_records(table: Table, source: DataSource, problems: list[Problem]) -> list[Record]:
    """One record per data row. `source.columns` maps the file's own headers to our names,
    `source.ignore` lists columns not to read, and `source.period` is every row's period when
    the file has no period column."""
    positions = tidy_positions(table, source, problems)
    if positions is None:
        return []
    problems.extend(cells_without_header(table))
    indicator = positions["indicator"]
    rows = [(row.number, row.cells) for row in table.rows if not is_total(row.cells[indicator])]
    return tidy_rows(table, source, positions, rows)


def tidy_rows(
    table: Table, source: DataSource, positions: dict[str, int], rows: list[tuple[int, list]]
) -> list[Record]:
    """The records of `rows` (row number, cells), their fields at `positions`."""
    named = [(name, index, column_name(table, index)) for name, index in positions.items()]
    return [
        Record(
            table.name,
            table.sheet,
            number,
            {
                **_given_period(source, number),
                **{name: Field(cells[index], number, column) for name, index, column in named},
            },
        )
        for number, cells in rows
    ]


def _given_period(source: DataSource, row: int) -> dict[str, Field]:
    """The `period:` of a table per period, as each row's period."""
    return {"period": Field(source.period, row, PERIOD_SETTING)} if source.period else {}


#: How a problem with a file's `period:` names where the period came from.
PERIOD_SETTING = "period: in boardpack.yaml"


def tidy_positions(
    table: Table, source: DataSource, problems: list[Problem]
) -> dict[str, int] | None:
    """Our field name -> column index, or None (with a problem) when a required column is
    missing or two columns give one field.

    A column mapped under `columns:` gives its field; other columns give the field they are
    named after (ignoring case), unless a mapped column gives that field already (a council's
    "Indicator" title beside the "Ref" mapped to indicator). `status` is read only from a
    column headed exactly `status`, or mapped: a council's "Status" is usually its rating."""
    mapping = {normalise(mine): ours for mine, ours in source.columns.items()}
    ignored = {normalise(name) for name in source.ignore}
    before = len(problems)
    problems.extend(columns_not_found(table, source))
    mapped: dict[str, int] = {}
    named: dict[str, int] = {}
    for index, header in enumerate(table.header):
        key = normalise(header)
        if key in ignored:
            continue
        chosen = mapped if key in mapping else named
        name = mapping.get(key) or named_field(header)
        if name is None:
            continue
        if name in chosen:
            problems.append(
                file_problem(
                    table,
                    f'columns "{column_name(table, chosen[name])}" and '
                    f'"{header.strip()}" both give {name}; keep one, or list one under `ignore:`',
                )
            )
        chosen[name] = index
    positions = {**{k: v for k, v in named.items() if k not in mapped}, **mapped}
    if source.period and "period" in positions:
        problems.append(
            file_problem(
                table,
                f"`period: {source.period}` is set for this file but column "
                f'"{column_name(table, positions["period"])}" gives periods too; remove one',
            )
        )
    required = [name for name in REQUIRED if not (name == "period" and source.period)]
    missing = [name for name in required if name not in positions]
    if missing:
        problems.append(file_problem(table, _missing_reason(table, missing)))
    return positions if len(problems) == before else None


def named_field(header: str) -> str | None:
    """The field a header names by itself (ignoring case), if any."""
    name = normalise(header)
    if name not in FIELDS or (name in EXACT_ONLY and header.strip() != name):
        return None
    return name


#: Fields read from a column of that name only when the header is written exactly so.
EXACT_ONLY = ("status",)


def columns_not_found(table: Table, source: DataSource) -> list[Problem]:
    """Columns named under `columns:` or `ignore:` that the file does not have."""
    headers = {normalise(header) for header in table.header}
    found = ", ".join(f'"{h.strip()}"' for h in table.header if h.strip()) or "none"
    named = [("columns", mine) for mine in source.columns] + [
        ("ignore", name) for name in source.ignore
    ]
    return [
        file_problem(
            table,
            f'`{setting}:` names a column "{name}" that the file does not have'
            f"{did_you_mean(name, [h.strip() for h in table.header if h.strip()])}; "
            f"the columns found are {found}",
        )
        for setting, name in named
        if normalise(name) not in headers
    ]


def cells_without_header(table: Table) -> list[Problem]:
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


def file_problem(table: Table, reason: str) -> Problem:
    return Problem(file=table.name, sheet=table.sheet, what=reason)
