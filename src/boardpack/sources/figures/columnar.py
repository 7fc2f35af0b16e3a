"""A tidy CSV or workbook sheet read at columnar speed: every cell checked by polars
expressions over whole columns, and only the rows those filters find wrong (or unusual) read
record by record, so their problems are the ones the row-by-row reader gives, with the same
rows and columns.

Rows that pass every filter become observations directly; a row is left to the row-by-row
reader when its indicator, period, organisation, numbers, status or words are not plainly
right, when it prints a previous period's figure, or when its indicator, organisation and
period appear in another row too (`combine` merges or reports those).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from boardpack.catalogue import DataSource
from boardpack.catalogue.models import ref_key
from boardpack.dataset.schema import OBSERVATIONS
from boardpack.periods import PeriodError, period_for

from ...errors import Problem
from ..columnar import ROW, FrameTable
from ..values import MISSING_MARKERS, parse_column
from .records import (
    NOT_YET_REPORTED,
    NUMBERS,
    PERCENT_FIELDS,
    STATUSES,
    TOTAL_WORDS,
    Record,
    column_name,
)
from .tidy import tidy_positions, tidy_rows
from .words import MEANINGS

#: The numbers read here (a previous period's figure sends its row to the row-by-row reader).
NUMBER_FIELDS = tuple(name for name in NUMBERS if name != "previous_value")
#: The frame's column saying a row is read record by record.
SLOW = "__slow"


@dataclass
class FrameRead:
    """A tidy CSV read as a frame: `observations` (those that passed every filter, with their
    `ROW`) and `records` (the rows left to the row-by-row reader, in row order)."""

    observations: pl.DataFrame
    records: list[Record]
    table: FrameTable | None = None
    positions: dict[str, int] | None = None

    def records_at(self, source: DataSource, numbers: pl.Series) -> list[Record]:
        """The records of the rows numbered `numbers` (for the row-by-row reader)."""
        if self.table is None or self.positions is None:
            return []
        return _records(
            self.table,
            source,
            self.positions,
            self.table.frame.filter(pl.col(ROW).is_in(numbers.implode())),
        )


def _records(table: FrameTable, source: DataSource, positions, frame: pl.DataFrame):
    rows = [
        (number, list(cells))
        for number, *cells in frame.select(ROW, *_cell_columns(table)).iter_rows()
    ]
    return tidy_rows(table, source, positions, rows)  # type: ignore[arg-type]


def read_tidy_frame(table: FrameTable, reading: Any, problems: list[Problem]) -> FrameRead:
    """The observations of a tidy CSV read as a frame; `reading` is the file's `FileReading`."""
    source: DataSource = reading.source
    positions = tidy_positions(table, source, problems)  # type: ignore[arg-type]
    if positions is None:
        empty = OBSERVATIONS.empty().select(pl.lit(0, pl.UInt32).alias(ROW), pl.all())
        return FrameRead(empty, [])
    problems.extend(_cells_without_header(table))
    table = replace(table, frame=table.frame.filter(~_total(table, positions)))
    frame = _checked(table, positions, reading)
    records = _records(table, source, positions, frame.filter(pl.col(SLOW)))
    kept = frame.filter(~pl.col(SLOW)).select(ROW, *OBSERVATIONS.columns)
    return FrameRead(kept, records, table, positions)


def _total(table: FrameTable, positions: dict[str, int]) -> pl.Expr:
    """Total rows, as `records.is_total` finds them (case and runs of spaces ignored)."""
    text = pl.col(table.column(positions["indicator"])).str.to_lowercase()
    return text.str.replace_all(r"\s+", " ").is_in(TOTAL_WORDS).fill_null(False)


def _cell_columns(table: FrameTable) -> list[str]:
    return [table.column(index) for index in range(len(table.header))]


def _cells_without_header(table: FrameTable) -> list[Problem]:
    """Figures in columns with no header, as `tidy.cells_without_header` lists them."""
    blank = [index for index, header in enumerate(table.header) if not header.strip()]
    problems = []
    for index in blank:
        column = table.column(index)
        found = table.frame.filter(pl.col(column).is_not_null()).select(ROW, column)
        problems.extend(
            Problem(
                file=table.name,
                sheet=table.sheet,
                row=number,
                column=column_name(table, index),  # type: ignore[arg-type]
                value=value.strip(),
                what="is in a column with no header; if a number like 1,631 was split at its "
                "comma, put it in quotes or remove the comma",
            )
            for number, value in found.iter_rows()
        )
    return sorted(problems, key=lambda problem: problem.row or 0)


def _checked(table: FrameTable, positions: dict[str, int], reading: Any) -> pl.DataFrame:
    """The file's rows with every observation column and `SLOW` (true where a filter found
    something the row-by-row reader must look at)."""
    frame = table.frame.select(
        ROW,
        *_cell_columns(table),
        *(pl.col(table.column(index)).alias(f"text_{name}") for name, index in positions.items()),
    )
    text = {name: f"text_{name}" for name in positions}
    checks: list[pl.Expr] = []
    frame, ok = _indicators(frame, text, reading)
    checks.append(ok)
    frame, ok = _periods(frame, text, reading)
    checks.append(ok)
    frame, oks = _numbers(frame, text, reading)
    checks.extend(oks)
    frame, ok = _organisations(frame, text, reading)
    checks.append(ok)
    frame, oks = _words(frame, text, reading)
    checks.extend(oks)
    frame = frame.with_columns(
        pl.lit(None, pl.String).alias("note")
        if "note" not in text
        else pl.when(pl.col(text["note"]) != "").then(pl.col(text["note"])).alias("note"),
        (pl.lit(f"{table.name}:") + pl.col(ROW).cast(pl.String)).alias("source"),
    )
    previous = (
        pl.col(text["previous_value"]).is_null() if "previous_value" in text else pl.lit(True)
    )
    checks.append(previous)
    checks.append(~((pl.col("denominator") == 0) & pl.col("numerator").is_not_null()))
    frame = frame.with_columns((~pl.all_horizontal(checks)).fill_null(True).alias(SLOW))
    return frame


def _lookup(frame: pl.DataFrame, column: str | None, found: dict, names: list[str], dtypes):
    """Join the frame to a small table of what each distinct text of `column` means."""
    keys = [key for key in found]
    looked = pl.DataFrame(
        {"__key": keys, **{name: [found[key][i] for key in keys] for i, name in enumerate(names)}},
        schema={"__key": pl.String, **dict(zip(names, dtypes, strict=True))},
    )
    return frame.join(looked, left_on=column, right_on="__key", how="left", maintain_order="left")


def _indicators(frame, text, reading):
    """The indicator by its reference (ignoring case and spaces), with its frequency and unit: each
    distinct reference looked up once."""
    given = frame[text["indicator"]].drop_nulls().unique().to_list()
    found = {
        ref: indicator
        for ref in given
        if (indicator := reading.indicators.get(ref_key(ref))) is not None
    }
    column = pl.col(text["indicator"])
    frame = frame.with_columns(
        column.replace_strict(
            {ref: getattr(indicator, part) for ref, indicator in found.items()},
            default=None,
            return_dtype=pl.String,
        ).alias(name)
        for part, name in (("ref", "indicator"), ("frequency", "__frequency"), ("unit", "__unit"))
    )
    return frame, pl.col("indicator").is_not_null()


def _periods(frame, text, reading):
    """Each distinct period label and frequency read once."""
    label = (
        pl.lit(reading.source.period.strip()).alias("__label")
        if reading.source.period
        else pl.col(text["period"]).fill_null("").alias("__label")
    )
    frame = frame.with_columns(label)
    found = []
    for label_text, frequency in frame.select("__label", "__frequency").unique().iter_rows():
        try:
            period = period_for(label_text, frequency)
        except PeriodError:
            continue
        found.append(
            (label_text, frequency, period.label, period.start, period.end, period.end_month)
        )
    names = ["__label", "__frequency", "period", "period_start", "period_end", "end_month"]
    dtypes = [pl.String, pl.String, pl.String, pl.Date, pl.Date, pl.Int32]
    periods = pl.DataFrame(found, schema=dict(zip(names, dtypes, strict=True)), orient="row")
    frame = frame.join(periods, on=["__label", "__frequency"], how="left", maintain_order="left")
    return frame, pl.col("period").is_not_null()


def _numbers(frame, text, reading):
    """The figures parsed by `parse_column`; the file's own `missing:` markers first."""
    markers = [marker.strip().lower() for marker in reading.source.missing]
    checks = []
    for name in NUMBER_FIELDS:
        if name not in text:
            frame = frame.with_columns(
                pl.lit(None, pl.Float64).alias(name),
                pl.lit(MISSING_MARKERS[""]).alias(f"__m_{name}"),
            )
            continue
        cells = frame[text[name]]
        parsed = parse_column(cells)
        own = cells.str.to_lowercase().is_in(markers) if markers else None
        value, missing = parsed["value"], parsed["missing"]
        if own is not None:
            value = pl.select(pl.when(own).then(None).otherwise(value)).to_series()
            missing = pl.select(
                pl.when(own).then(pl.lit(MISSING_MARKERS["n/a"])).otherwise(missing)
            ).to_series()
            ok = parsed["ok"] | own
            percent = parsed["is_percent"] & ~own
        else:
            ok, percent = parsed["ok"], parsed["is_percent"]
        frame = frame.with_columns(
            value.alias(name),
            missing.alias(f"__m_{name}"),
            ok.alias(f"__ok_{name}"),
            percent.alias(f"__pc_{name}"),
        )
        checks.append(pl.col(f"__ok_{name}"))
        if name in PERCENT_FIELDS:
            checks.append(~(pl.col(f"__pc_{name}") & (pl.col("__unit") != "percent")))
    missing = pl.col("__m_value")
    frame = frame.with_columns(
        pl.when(missing == MISSING_MARKERS[""])
        .then(pl.lit(NOT_YET_REPORTED))
        .otherwise(missing)
        .alias("missing_reason")
    )
    return frame, checks


def _organisations(frame, text, reading):
    """The organisation given, or the file's default; blank ones are left to the row-by-row
    reader (which notes them for the file's one problem) unless the file says whose they are."""
    if "organisation" not in text:
        default = reading.blank_default or reading.organisation_default
        return frame.with_columns(pl.lit(default).alias("organisation")), pl.lit(True)
    given = pl.col(text["organisation"]).fill_null("")
    blank = given.str.to_lowercase().is_in(list(MISSING_MARKERS))
    if reading.blank_default:
        organisation = pl.when(blank).then(pl.lit(reading.blank_default)).otherwise(given)
        return frame.with_columns(organisation.alias("organisation")), pl.lit(True)
    organisation = pl.when(blank).then(None).otherwise(given)
    return frame.with_columns(organisation.alias("organisation")), ~blank


def _words(frame, text, reading):
    """Status, published rating and direction, each distinct word read once."""
    checks = []
    if "status" in text:
        status = pl.col(text["status"]).str.to_lowercase()
        frame = frame.with_columns(
            pl.when(pl.col(text["status"]) != "").then(status).alias("status")
        )
        checks.append(pl.col("status").is_null() | pl.col("status").is_in(STATUSES))
    else:
        frame = frame.with_columns(pl.lit(None, pl.String).alias("status"))
    markers = {marker.strip().lower() for marker in reading.source.missing}
    for name in MEANINGS:
        if name not in text:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(name))
            continue
        words = frame[text[name]].drop_nulls().unique().to_list()
        found = {}
        for word in words:
            if word == "" or word.lower() in markers:
                found[word] = (None, True)
                continue
            meaning, reason = reading.words.read(name, word)
            found[word] = (meaning, reason is None)
        frame = _lookup(frame, text[name], found, [name, f"__ok_{name}"], [pl.String, pl.Boolean])
        checks.append(pl.col(text[name]).is_null() | pl.col(f"__ok_{name}"))
    return frame, checks
