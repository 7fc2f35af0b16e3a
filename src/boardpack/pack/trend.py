"""The trend window of an indicator: its periods in the previous and current financial year.

The same window feeds the trend table (rows Result, Target, Floor, numerator, denominator,
RAG) and the chart, so the table is the chart's data in figures.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import polars as pl
from markupsafe import Markup

from .words import rag_badge


@dataclass(frozen=True)
class TrendColumn:
    label: str  # "Sep 11", or "2011/12" for annual figures
    year: str  # the financial year the period ends in, "2011/12"


@dataclass
class TrendRow:
    label: str
    cells: list[str | Markup]
    numeric: bool = True


@dataclass
class TrendTable:
    columns: list[TrendColumn]
    rows: list[TrendRow] = field(default_factory=list)
    frame: pl.DataFrame | None = None  # the window's rows, in period order
    current_year: str = ""

    def year_groups(self) -> list[tuple[str, int]]:
        """Financial years over the columns with how many columns each spans."""
        groups: list[tuple[str, int]] = []
        for column in self.columns:
            if groups and groups[-1][0] == column.year:
                groups[-1] = (column.year, groups[-1][1] + 1)
            else:
                groups.append((column.year, 1))
        return groups


def financial_year_start(day: dt.date) -> dt.date:
    """1 April of the financial year that holds `day`."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def financial_year_label(day: dt.date) -> str:
    start = financial_year_start(day).year
    return f"{start}/{(start + 1) % 100:02d}"


def as_date(value: object) -> dt.date | None:
    """A date from a polars date, a datetime or an ISO string."""
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def end_dates(column: pl.Series) -> pl.Series:
    """Period ends as dates, whether stored as dates, datetimes or ISO strings."""
    if column.dtype == pl.Date:
        return column
    if isinstance(column.dtype, pl.Datetime):
        return column.dt.date()
    return column.cast(pl.String).str.slice(0, 10).str.to_date()


def trend_window(history: pl.DataFrame, row: dict) -> pl.DataFrame:
    """The indicator's rows from the start of the previous financial year to the end of the current."""
    end = as_date(row.get("period_end"))
    frame = history.filter(pl.col("indicator") == row["indicator"])
    if "organisation" in frame.columns and row.get("organisation") is not None:
        frame = frame.filter(pl.col("organisation") == row["organisation"])
    if frame.is_empty():
        frame = pl.DataFrame([row])
    if end is not None:
        start = financial_year_start(end).replace(year=financial_year_start(end).year - 1)
        last = financial_year_start(end).replace(year=financial_year_start(end).year + 1)
        ends = end_dates(frame["period_end"])
        frame = frame.filter((ends >= start) & (ends < last))
    return frame.sort("period_end").unique("period", keep="first", maintain_order=True)


def column_label(row: dict, frequency: str | None) -> str:
    """ "Sep 11" for months and quarters (as council tables head them), the period for a year."""
    return period_label(
        row.get("period"), row.get("period_start"), row.get("period_end"), frequency
    )


@functools.lru_cache(maxsize=8192)
def period_label(period: object, start: object, end: object, frequency: str | None) -> str:
    """`column_label` of a period by its label, start and end (the same few periods head every
    indicator's table and chart, so each is worded once)."""
    end, start = as_date(end), as_date(start)
    annual = frequency == "annual" or (start and end and (end - start).days > 300)
    if end is None or annual:
        if period is None:
            raise KeyError("period")
        return str(period)
    return end.strftime("%b %y")


def count_text(value: float | None) -> str:
    """A count with thousands separators; decimals only when the figure has them."""
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _text_row(label: str, records: list[dict], column: str) -> TrendRow:
    return TrendRow(label, [r.get(column) or "" for r in records])


def _count_row(label: str, records: list[dict], column: str) -> TrendRow:
    return TrendRow(label, [count_text(r.get(column)) for r in records])


def _has(records: list[dict], column: str) -> bool:
    return any(r.get(column) is not None for r in records)


def trend_table(
    history: pl.DataFrame,
    row: dict,
    frequency: str | None = None,
    numerator_label: str | None = None,
    denominator_label: str | None = None,
    floor_label: str = "Floor",
) -> TrendTable:
    """The trend table of one indicator; Floor (`floor_label`: "Upper threshold" where lower is
    better), numerator and denominator rows only when present."""
    frame = trend_window(history, row)
    records = frame.to_dicts()
    columns = [
        TrendColumn(column_label(r, frequency), financial_year_label(as_date(r["period_end"])))
        for r in records
    ]
    rows = [_text_row("Result", records, "value_text"), _text_row("Target", records, "target_text")]
    if _has(records, "floor"):
        rows.append(_text_row(floor_label, records, "floor_text"))
    if _has(records, "numerator"):
        rows.append(_count_row(numerator_label or "Numerator", records, "numerator"))
    if _has(records, "denominator"):
        rows.append(_count_row(denominator_label or "Denominator", records, "denominator"))
    rag_cells = [
        rag_badge(r.get("rag")) if r.get("reported") or r.get("value") is not None else ""
        for r in records
    ]
    rows.append(TrendRow("RAG rating", rag_cells, numeric=False))
    end = as_date(row.get("period_end"))
    return TrendTable(columns, rows, frame, financial_year_label(end) if end else "")
