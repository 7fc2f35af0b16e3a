"""The evaluated shape every output starts from."""

from dataclasses import dataclass

import polars as pl

from .summary import call_in, summarise

# The open-data contract of `boardpack evaluate`: later versions add columns, never rename these.
CONTRACT_COLUMNS = [
    "indicator", "organisation", "period", "period_start", "period_end", "value", "numerator",
    "denominator", "target", "floor", "variance", "variance_pct", "rag", "rag_reason", "rag_manual",
    "previous_value", "previous_rag", "direction", "direction_vs_last_year",
]
EXTRA_COLUMNS = [
    "title", "unit", "polarity", "status", "missing_reason", "previous_period", "last_year_value",
    "rag_calculated", "amber_run",
]


def due_month(report_month: int, step: pl.Expr, lag: pl.Expr) -> pl.Expr:
    """The `end_month` of the period an indicator is due to report for a pack ending in
    `report_month`: its frequency's latest period end on or before the report's end, moved back
    by its lag. Quarters end in Jun/Sep/Dec/Mar and years in March (month index % 12 == 2)."""
    latest = pl.lit(report_month) - lag * step
    aligned = pl.when(step == 1).then(latest).otherwise(latest - ((latest - 2) % step))
    return aligned.cast(pl.Int32)


@dataclass
class Evaluated:
    """`results`: one row per indicator, organisation and period, sorted by series and period.
    `indicators`: the catalogue frame, whose labels `labelled()` adds to a selection of rows."""

    results: pl.DataFrame
    indicators: pl.DataFrame
    settings: object

    def labelled(self, rows: pl.DataFrame) -> pl.DataFrame:
        """Rows with their indicator's labels (title, tier, directorate, perspective, tags...)."""
        labels = self.indicators.select("indicator", *(c for c in self.indicators.columns if c not in rows.columns))
        keyed = rows.with_columns(pl.col("indicator").cast(pl.String))
        return keyed.join(labels, on="indicator", how="left", maintain_order="left")

    def contract(self) -> pl.DataFrame:
        """The published open-data table, in catalogue order: contract columns then extras."""
        ordered = self.results.sort("series", "end_month")
        return self.labelled(ordered).select(CONTRACT_COLUMNS + EXTRA_COLUMNS)

    def report(self, report_month: int, organisation: str | None = None) -> pl.DataFrame:
        """One row per indicator (and organisation): its latest figure at or before the period it
        is due for, with `due_month`, `due` (it was expected to report by this pack) and
        `reported` (its figure is for the period due). Results are sorted by series, so the
        last row of each series is where the next row's series differs."""
        rows = self.results
        if organisation is not None:
            rows = rows.filter(pl.col("organisation") == organisation)
        due = due_month(report_month, pl.col("step_months"), pl.col("lag_periods"))
        candidates = rows.with_columns(due.alias("due_month")).filter(pl.col("end_month") <= pl.col("due_month"))
        last = pl.col("series") != pl.col("series").shift(-1).fill_null(-1)
        latest = candidates.filter(pl.col("value").is_not_null()).filter(last)
        never = candidates.filter(last).join(latest.select("series"), on="series", how="anti")
        chosen = self.labelled(pl.concat([latest, never]).sort("series"))
        return chosen.with_columns(
            pl.lit(True).alias("due"),
            (pl.col("end_month") == pl.col("due_month")).alias("reported"),
        )

    def summary(self, rows: pl.DataFrame, by: str | None = None) -> pl.DataFrame:
        return summarise(rows, by)

    def call_in(self, rows: pl.DataFrame) -> pl.DataFrame:
        return call_in(rows, self.settings.call_in_amber_periods)
