"""Find a table on a sheet: its header row, area columns and the period/field of every data column."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from boardpack.errors import Problem
from boardpack.periods import PeriodError, parse_period
from boardpack.sources.figures.records import column_letter
from boardpack.sources.readers import Cell

from .config import PublicationConfig


def clean(cell: Cell) -> str:
    """A header cell as text with runs of whitespace collapsed."""
    return " ".join(str(cell).split()) if cell is not None else ""


@dataclass(frozen=True)
class Table:
    """Where a sheet's table is: 0-based header row, body rows, area column indexes, data columns."""

    header_row: int
    body: list[list[Cell]]
    area_columns: dict[str, int]
    columns: pl.DataFrame  # index, letter, header, period, breakdown, field


@dataclass(frozen=True)
class Where:
    file: str
    sheet: str

    def problem(self, row, column, value, reason) -> Problem:
        return Problem(
            file=self.file, sheet=self.sheet, row=row, column=column, value=value, what=reason
        )


def locate(
    rows: list[list[Cell]], config: PublicationConfig, where: Where, problems
) -> Table | None:
    """The table on one sheet, or None with the reasons appended to `problems`."""
    header_row = _header_row(rows, config)
    if header_row is None:
        wanted = ", ".join(f'"{text}"' for text in config.header.contains)
        problems.append(
            where.problem(
                None,
                None,
                None,
                f"no header row holding {wanted} in the first {config.header.within_rows} rows; "
                "check the sheet or the config's header.contains",
            )
        )
        return None
    header = [clean(cell) for cell in rows[header_row]]
    area_columns = {}
    for role in ("area_code", "area_name", "ons_code"):
        text = getattr(config.columns, role)
        if text is not None:
            area_columns[role] = header.index(text) if text in header else None
    missing = [role for role, index in area_columns.items() if index is None]
    for role in missing:
        problems.append(
            where.problem(
                header_row + 1,
                None,
                None,
                f'no column headed "{getattr(config.columns, role)}" ({role}); '
                f"fix the header or columns.{role} in the config",
            )
        )
    columns = _data_columns(header, set(area_columns.values()), header_row, config, where, problems)
    if missing or columns is None:
        return None
    return Table(header_row, _body(rows, header_row), area_columns, columns)


def _header_row(rows, config) -> int | None:
    wanted = set(config.header.contains)
    for number, row in enumerate(rows[: config.header.within_rows]):
        if wanted <= {clean(cell) for cell in row}:
            return number
    return None


def _body(rows, header_row) -> list[list[Cell]]:
    """Rows under the header down to the first blank row."""
    body = []
    for row in rows[header_row + 1 :]:
        if all(clean(cell) == "" for cell in row):
            break
        body.append(row)
    return body


def _data_columns(header, area_indexes, header_row, config, where, problems):
    fields = _field_pattern(config)
    period_header = re.compile(config.period_header)
    period_pattern = re.compile(config.period.pattern)
    found, before = [], len(problems)
    for index, text in enumerate(header):
        if index in area_indexes or text == "":
            continue
        letter = column_letter(index)
        parts = period_header.fullmatch(text)
        if parts is None:
            problems.append(
                where.problem(
                    header_row + 1,
                    letter,
                    text,
                    "header is not PERIOD - FIELD; fix the header or the config's period_header",
                )
            )
            continue
        label = _period_label(parts["period"], period_pattern, config)
        if label is None:
            problems.append(
                where.problem(
                    header_row + 1,
                    letter,
                    text,
                    f'period "{parts["period"]}" is not a financial year this config can read '
                    "(period.pattern and period.label)",
                )
            )
            continue
        field = fields.fullmatch(clean(parts["field"]).lower())
        if field is None:
            known = ", ".join(f'"{name}"' for name in config.fields)
            problems.append(
                where.problem(
                    header_row + 1,
                    letter,
                    text,
                    f'unknown field "{parts["field"]}"; known fields are {known} '
                    "(add it to the config's fields)",
                )
            )
            continue
        breakdown = field["breakdown"]
        if breakdown is not None and breakdown in config.headline_breakdowns:
            breakdown = None
        target = config.fields[_field_key(config, field["field"])]
        found.append((index, letter, text, label, breakdown, target))
    _check_duplicates(found, header_row, where, problems)
    if len(problems) > before:
        return None
    return pl.DataFrame(
        found,
        schema=["index", "letter", "header", "period", "breakdown", "field"],
        orient="row",
    )


def _field_pattern(config) -> re.Pattern:
    names = sorted((name.lower() for name in config.fields), key=len, reverse=True)
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?:(?P<breakdown>.+?)\s+)?(?P<field>{alternatives})")


def _field_key(config, matched: str) -> str:
    return next(name for name in config.fields if name.lower() == matched)


def _period_label(text: str, pattern: re.Pattern, config) -> str | None:
    found = pattern.fullmatch(text.strip())
    if found is None:
        return None
    groups = found.groupdict()
    if "end" in groups:
        groups["end2"] = groups["end"][-2:]
    try:
        label = config.period.label.format(**groups)
        parsed = parse_period(label)
    except (KeyError, IndexError, PeriodError):
        return None
    if (
        "start" in groups
        and "end" in groups
        and (int(groups["start"]) + 1) % 100 != int(groups["end"]) % 100
    ):
        return None
    return str(parsed)


def _check_duplicates(found, header_row, where, problems) -> None:
    seen = {}
    for _index, letter, text, label, breakdown, target in found:
        key = (label, breakdown, target)
        if key in seen:
            problems.append(
                where.problem(
                    header_row + 1,
                    letter,
                    text,
                    f"repeats column {seen[key]} (same period and field); remove one",
                )
            )
        else:
            seen[key] = letter
