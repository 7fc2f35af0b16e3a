"""`read_spc_csv()`: the frame `spc()` reads, from a CSV with columns `series`, `period`,
`value` and optionally `target`."""

import datetime as dt
import io
import re
from pathlib import Path

import polars as pl

from ..errors import BoardpackError
from ..periods import PeriodError, parse_period
from .values import ValueParseError, parse_value

COLUMNS = ("series", "period", "value")
INTEGER = r"^-?\d+$"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def read_spc_csv(path: Path | str) -> pl.DataFrame:
    """Columns `series` (text), `period`, `value` and `target` (numbers, null when missing).

    Periods that are all whole numbers stay numbers and ISO dates (2024-03-31) stay dates;
    labels such as `Q2 2019/20` become the period's last day, the label kept in `period_label`.
    Raises `BoardpackError` naming the file, row (as a spreadsheet numbers it) and value."""
    path = Path(path)
    raw = _read(path)
    lacking = [c for c in COLUMNS if c not in raw.columns]
    if lacking:
        raise BoardpackError(
            f"{path.name} lacks column(s) {', '.join(lacking)}; an SPC file has columns "
            "series, period, value and optionally target"
        )
    raw = raw.with_columns(pl.col(c).str.strip_chars() for c in raw.columns)
    _check_filled(path, raw, "series")
    _check_filled(path, raw, "period")
    numbers = [c for c in ("value", "target") if c in raw.columns]
    frame = raw.select("series", *(_numbers(path, raw, c).alias(c) for c in numbers))
    return _with_periods(path, raw["period"], frame)


def _read(path: Path) -> pl.DataFrame:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    if not text.strip():
        raise BoardpackError(f"{path.name} is empty; it needs a header row: series,period,value")
    return pl.read_csv(io.BytesIO(text.encode()), infer_schema=False)


def _where(path: Path, index: int, column: str) -> str:
    return f"{path.name}, row {index + 2}, column {column}"


def _check_filled(path: Path, raw: pl.DataFrame, column: str) -> None:
    blank = raw[column].is_null() | (raw[column] == "")
    if blank.any():
        index = blank.arg_true()[0]
        raise BoardpackError(f"{_where(path, index, column)} is blank; every row needs a {column}")


def _numbers(path: Path, raw: pl.DataFrame, column: str) -> pl.Series:
    """Plain numbers by a fast cast; anything else (37%, 1,631, [c]) cell by cell."""
    cells = raw[column]
    fast = cells.cast(pl.Float64, strict=False)
    slow = (fast.is_null() & cells.is_not_null()).arg_true().to_list()
    if not slow:
        return fast
    values = fast.to_list()
    for index in slow:
        try:
            values[index] = parse_value(cells[index]).value
        except ValueParseError as error:
            raise BoardpackError(f"{_where(path, index, column)}: {error}") from None
    return pl.Series(column, values, dtype=pl.Float64)


def _with_periods(path: Path, labels: pl.Series, frame: pl.DataFrame) -> pl.DataFrame:
    """Whole numbers and ISO dates as they are; labels read as periods, ending on their last day."""
    if labels.str.contains(INTEGER).all():
        return frame.insert_column(1, labels.cast(pl.Int64))
    if labels.str.contains(ISO_DATE).all():
        dates = labels.str.to_date("%Y-%m-%d", strict=False)
        if not dates.has_nulls():
            return frame.insert_column(1, dates)
    ends = {}
    for label in labels.unique(maintain_order=True).to_list():
        try:
            ends[label] = parse_period(label).end
        except PeriodError as error:
            index = (labels == label).arg_true()[0]
            raise BoardpackError(f"{_where(path, index, 'period')}: {error}") from None
    periods = labels.replace_strict(ends, return_dtype=pl.Date)
    return frame.insert_column(1, periods).insert_column(2, labels.alias("period_label"))


def read_period(label: str, like: pl.DataType) -> object:
    """A period named elsewhere (e.g. `--recalculate-at`), read the way `read_spc_csv` read the
    file's periods of type `like`: a whole number, an ISO date, or a label's last day."""
    text = label.strip()
    if like.is_integer():
        if not re.match(INTEGER, text):
            raise BoardpackError(f'"{label}" is not a whole number, as the file\'s periods are')
        return int(text)
    if re.match(ISO_DATE, text):
        return dt.date.fromisoformat(text)
    return parse_period(text).end
