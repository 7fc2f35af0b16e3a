"""The data-quality report summarised per submission, as a pack shows it.

One row per loaded submission (the Dataset's `records_quality` table): `organisation, file,
submitted, quarter_end` (from the file name, else the end of the reporting period the file
states), `rows, used` (the latest submission for its quarter sent on or before the project's
`as_of`: the one the measures take that quarter from), the rows each fault touches
(`no_person_id`, `duplicate`, `after_death`, `end_before_start`, `open_service`,
`invalid_code`) and the least complete required field with its completeness in percent (the
end date aside: blank, it is an open service).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from boardpack.dataset.schema import RECORDS_QUALITY

from .cld import fields
from .quality import report

FAULTS = (
    "no_person_id",
    "duplicate",
    "after_death",
    "end_before_start",
    "open_service",
    "invalid_code",
)


def summarise(con: duckdb.DuckDBPyConnection, as_of: dt.date | None) -> pl.DataFrame:
    """The summary of the loaded records, from the database's `submissions` and `quality`."""
    files = con.sql(
        "SELECT submission_id, file, organisation, submitted, "
        "COALESCE(quarter_end, stated_end) AS quarter_end, rows FROM submissions"
    ).pl()
    long = report(con)
    faults = (
        long.filter(pl.col("check").is_in(FAULTS))
        .group_by("file", "check")
        .agg(pl.col("rows").sum())
        .pivot("check", index="file", values="rows")
    )
    faults = faults.with_columns(
        pl.lit(0, pl.Int64).alias(f) for f in FAULTS if f not in faults.columns
    )
    # a blank end date is an open service (counted as open_service), not a gap
    required = [f.name for f in fields() if f.required and f.name != "Event_End_Date"]
    least = (
        long.filter((pl.col("check") == "completeness") & pl.col("field").is_in(required))
        .sort("percent", "field")
        .group_by("file", maintain_order=True)
        .first()
        .select("file", least_complete_field="field", least_complete_pct="percent")
    )
    summary = files.join(faults, on="file", how="left").join(least, on="file", how="left")
    return (
        summary.with_columns(pl.col(FAULTS).fill_null(0), used=_used(summary, as_of))
        .sort("organisation", "quarter_end", "submitted", "submission_id")
        .pipe(RECORDS_QUALITY.conform)
    )


def _used(summary: pl.DataFrame, as_of: dt.date | None) -> pl.Expr:
    """The latest submission of each council's quarter sent by `as_of`."""
    sent = pl.lit(True) if as_of is None else pl.col("submitted") <= as_of
    latest = pl.col("submitted").filter(sent).max().over("organisation", "quarter_end") == pl.col(
        "submitted"
    )
    last_id = pl.col("submission_id").filter(sent & latest).max().over(
        "organisation", "quarter_end"
    ) == pl.col("submission_id")
    return (sent & latest & last_id).fill_null(False)
