"""Formula injection: text written to a CSV or XLSX file that a spreadsheet would run as a
formula is made plain text.

A cell whose text begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel
and LibreOffice as a formula (`=HYPERLINK(...)` in a name typed into the app would become a
live link in an officer's export). As OWASP advises, such text gets a leading apostrophe,
which spreadsheets show as text. Numbers, and text that reads as a number ("-5", "+2.5"),
are left alone. Every CSV and XLSX file Boardpack writes passes its text through `neutralise`
(or, for a polars frame, `neutralise_frame` and `csv_text`).
"""

from __future__ import annotations

import polars as pl

#: What a cell's text may begin with for a spreadsheet to run it as a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PATTERN = r"^[=+\-@\t\r]"


def neutralise(value):
    """`value` made safe for a spreadsheet cell: risky text prefixed with an apostrophe;
    anything else (numbers, dates, None, safe text) unchanged."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _number(value):
        return "'" + value
    return value


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column of `frame` neutralised, as `neutralise` does for one value."""
    risky = [name for name, kind in frame.schema.items() if kind == pl.String]
    return frame.with_columns(
        pl.when(
            pl.col(name).str.contains(PATTERN)
            & pl.col(name).str.strip_chars().cast(pl.Float64, strict=False).is_null()
        )
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in risky
    )


def csv_text(frame: pl.DataFrame) -> str:
    """`frame` as CSV text, neutralised."""
    return neutralise_frame(frame).write_csv()
