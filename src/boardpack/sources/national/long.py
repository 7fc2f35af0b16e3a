"""A national publication as analysts keep it: one row per measure, area and year (`format:
long`), in CSV, XLSX or ODS, its columns named by the project's `columns:` mapping.

```
Measure,Council code,Year,Value
2A1,E10000016,2023/24,41.2
```

Areas are ONS codes: E92 England, E12 a region, any other a council. Every bad cell is a
problem naming the file, row, column and value."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from boardpack.errors import BoardpackError, Problem
from boardpack.periods import PeriodError, period_for

from ..figures.records import column_name, normalise
from ..readers import ReadError, Row, Table, cell_text, read_rows
from ..values import ValueParseError, parse_value
from .publication import KEYS, MARKED, NationalData

#: The fields a long file's columns give: required, then optional.
REQUIRED = ("measure", "organisation", "period", "value")
OPTIONAL = ("numerator", "denominator", "area_name")
LONG_FIELDS = (*REQUIRED, *OPTIONAL)
NUMBERS = ("value", "numerator", "denominator")
ONS_CODE = re.compile(r"^[EWSN]\d{8}$")
#: An ONS code's prefix -> the kind of area (any other code is a council).
AREA_KINDS = {"E92": "england", "E12": "region"}


def read_long_publication(path: Path, columns: Mapping[str, str], name: str) -> NationalData:
    """The file's figures as the national `values` frame, or every problem found.

    `columns` maps the file's headers to `LONG_FIELDS`; a header named as a field is read as
    that field without a mapping. `name` is how problems name the file."""
    try:
        table = read_rows(path, name=name)
    except ReadError as error:
        raise BoardpackError(error.problems) from None
    problems: list[Problem] = []
    positions = _positions(table, columns, problems)
    if positions is None:
        raise BoardpackError(problems)
    rows = [_row(table, row, positions, problems) for row in table.rows]
    problems.extend(_repeated(table, [row for row in rows if row is not None]))
    if problems:
        raise BoardpackError(problems)
    values = pl.DataFrame([row for row in rows if row is not None], schema=VALUE_SCHEMA)
    return NationalData(
        source=name,
        config=None,
        values=values.drop("row"),
        measures=pl.DataFrame(),
        breakdowns=pl.DataFrame(),
    )


VALUE_SCHEMA = {
    **dict.fromkeys(KEYS, pl.String),
    **dict.fromkeys(("value", "numerator", "denominator"), pl.Float64),
    "margin_of_error": pl.Float64,
    "respondents": pl.Float64,
    **{f"{name}_marker": pl.String for name in MARKED},
    "row": pl.Int64,
}


def _positions(
    table: Table, columns: Mapping[str, str], problems: list[Problem]
) -> dict[str, int] | None:
    mapping = {normalise(mine): ours for mine, ours in columns.items()}
    positions: dict[str, int] = {}
    for index, header in enumerate(table.header):
        field = mapping.get(normalise(header)) or (
            normalise(header) if normalise(header) in LONG_FIELDS else None
        )
        if field is None:
            continue
        if field in positions:
            problems.append(
                _problem(
                    table,
                    f'columns "{column_name(table, positions[field])}" and '
                    f'"{header.strip()}" both give {field}; keep one',
                )
            )
        positions[field] = index
    missing = [field for field in REQUIRED if field not in positions]
    if missing:
        found = ", ".join(f'"{h.strip()}"' for h in table.header if h.strip()) or "none"
        problems.append(
            _problem(
                table,
                f"no column gives {', '.join(missing)}; the columns found are {found}. Map the "
                "file's headers under `columns:` in the benchmarking section, e.g. "
                "{Measure: measure, Council code: organisation, Year: period, Value: value}",
            )
        )
    return None if problems else positions


def _row(table: Table, row: Row, positions: dict[str, int], problems: list[Problem]):
    before = len(problems)

    def cell(field: str) -> str:
        index = positions.get(field)
        return "" if index is None else cell_text(row.cells[index])

    def problem(field: str, what: str) -> None:
        index = positions[field]
        problems.append(
            Problem(
                file=table.name,
                row=row.number,
                column=column_name(table, index),
                value=cell(field) or None,
                what=what,
            )
        )

    measure, code = cell("measure"), cell("organisation")
    if not measure:
        problem("measure", "the measure is blank; give the measure's code")
    if not ONS_CODE.fullmatch(code):
        problem("organisation", "is not an ONS area code (E10000016, E12000008, E92000001)")
    period = _period(cell("period"))
    if period is None:
        problem("period", "is not a year; write it like 2023/24")
    figures: dict[str, Any] = {}
    for field in NUMBERS:
        if field not in positions:
            figures |= {field: None, f"{field}_marker": None}
            continue
        try:
            parsed = parse_value(row.cells[positions[field]])
        except ValueParseError as error:
            problem(field, error.reason)
            continue
        marker = None if parsed.value is not None or parsed.missing == "blank" else cell(field)
        figures |= {field: parsed.value, f"{field}_marker": marker}
    if len(problems) != before:
        return None
    return {
        "measure": measure,
        "area_code": code,
        "area_name": cell("area_name") or None,
        "area_kind": AREA_KINDS.get(code[:3], "council"),
        "organisation": code,
        "period": period,
        **figures,
        "margin_of_error": None,
        "respondents": None,
        "row": row.number,
    }


def _period(text: str) -> str | None:
    try:
        return period_for(text.replace("-", "/"), "annual").label
    except PeriodError:
        return None


def _repeated(table: Table, rows: list[dict]) -> list[Problem]:
    seen: dict[tuple, int] = {}
    problems = []
    for row in rows:
        key = (row["measure"], row["organisation"], row["period"])
        first = seen.setdefault(key, row["row"])
        if first != row["row"]:
            problems.append(
                Problem(
                    file=table.name,
                    row=row["row"],
                    what=f"{key[0]} for {key[1]} in {key[2]} is also given in row {first}; "
                    "keep one row",
                )
            )
    return problems


def _problem(table: Table, what: str) -> Problem:
    return Problem(file=table.name, sheet=table.sheet, what=what)
