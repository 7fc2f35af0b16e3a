"""The evaluated shape every output starts from."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import polars as pl

from .formatting import format_column, variance_pct_text
from .statistics import STATISTICS_COLUMNS, with_statistics
from .summary import call_in, summarise
from .texts import with_text
from .vocab import DIRECTION_LABELS

# The open-data contract of `boardpack evaluate`: later versions add columns, never rename these.
CONTRACT_COLUMNS = [
    "indicator",
    "organisation",
    "period",
    "period_start",
    "period_end",
    "value",
    "numerator",
    "denominator",
    "target",
    "floor",
    "variance",
    "variance_pct",
    "rag",
    "rag_reason",
    "rag_manual",
    "previous_value",
    "previous_rag",
    "direction",
    "direction_vs_last_year",
]
EXTRA_COLUMNS = [
    "title",
    "unit",
    "polarity",
    "status",
    "missing_reason",
    "previous_period",
    "last_year_value",
    "rag_calculated",
    "amber_run",
    "direction_basis",
    "variance_points",
    "progress",
    "periods_since_figure",
]


BASIS_WORDS = {
    "previous_period": "the previous period",
    "same_period_last_year": "the same period last year",
}
LIKE_FOR_LIKE = "; a year-to-date figure is compared like with like"


def direction_reason(rows: pl.DataFrame) -> pl.Series:
    """What each shown row's direction of travel compared it with, in words: "Improving on
    the same period last year (2.40); a year-to-date figure is compared like with like"."""
    if "direction_basis" not in rows.columns:
        return pl.Series("direction_reason", [None] * rows.height, dtype=pl.String)
    last_year = pl.col("direction_basis") == "same_period_last_year"
    compared = rows.select(
        pl.when(last_year)
        .then(pl.col("last_year_value"))
        .otherwise(pl.col("previous_value"))
        .alias("compared"),
        "decimals",
        "unit",
    )
    text = pl.lit(format_column(compared, "compared"))
    basis = pl.col("direction_basis").cast(pl.String).replace_strict(BASIS_WORDS)
    label = pl.col("direction").cast(pl.String).replace_strict(DIRECTION_LABELS, default="")
    ytd = pl.when(last_year & (pl.col("measurement") == "year_to_date")).then(pl.lit(LIKE_FOR_LIKE))
    found = pl.concat_str(
        [label, pl.lit(" on "), basis, pl.lit(" ("), text, pl.lit(")"), ytd], ignore_nulls=True
    )
    missing = pl.concat_str([pl.lit("No figure for "), basis, pl.lit(" to compare with")])
    reason = (
        pl.when(pl.col("value").is_null() | (pl.col("polarity") == "none"))
        .then(None)
        .when(text.is_null())
        .then(missing)
        .when(pl.col("direction") != "not_applicable")
        .then(found)
    )
    return rows.select(reason.alias("direction_reason")).to_series()


def stale_columns() -> list[pl.Expr]:
    """`stale`: the latest figure is for a period before the one due; its `value_text` then
    says which period it is for ("12 (Q4 2022/23)"), so no one reads it as this period's."""
    stale = pl.col("value").is_not_null() & (pl.col("end_month") < pl.col("due_month"))
    dated = pl.concat_str(
        [pl.col("value_text"), pl.lit(" ("), pl.col("period").cast(pl.String), pl.lit(")")]
    )
    return [
        stale.alias("stale"),
        pl.when(stale).then(dated).otherwise(pl.col("value_text")).alias("value_text"),
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
    """`numbers`: one row per indicator, organisation and period, in rating order (scheme,
    series, period), with every rating, variance and direction but no words; `with_text()`
    adds the words to the rows shown, and `results` is every row with its words.
    `indicators`: the catalogue frame, whose labels `labelled()` adds to a selection of rows.
    `schemes` and `overrides`: what the rows were rated by, which their words repeat."""

    numbers: pl.DataFrame
    indicators: pl.DataFrame
    settings: object
    schemes: Mapping[str, object] = field(default_factory=dict)
    overrides: pl.DataFrame | None = None

    def with_text(self, rows: pl.DataFrame) -> pl.DataFrame:
        """Evaluated rows (any selection of `numbers`) with `value_text`, `target_text`,
        `floor_text` and `rag_reason`."""
        return with_text(rows, self.schemes, self.overrides)

    @cached_property
    def results(self) -> pl.DataFrame:
        """Every evaluated row with its words (all of them: a selection is cheaper to word
        through `with_text`)."""
        return self.with_text(self.numbers)

    def labelled(self, rows: pl.DataFrame) -> pl.DataFrame:
        """Rows with their indicator's labels (title, tier, directorate, perspective, tags...)."""
        labels = self.indicators.select(
            "indicator", *(c for c in self.indicators.columns if c not in rows.columns)
        )
        keyed = rows.with_columns(pl.col("indicator").cast(pl.String))
        return keyed.join(labels, on="indicator", how="left", maintain_order="left")

    def measurements(self) -> dict[str, str] | None:
        """Each indicator's measurement (snapshot, year to date...), where the catalogue gives it."""
        if "measurement" not in self.indicators.columns:
            return None
        given = self.indicators.filter(pl.col("measurement").is_not_null())
        return dict(zip(given["indicator"], given["measurement"], strict=True))

    def contract(self) -> pl.DataFrame:
        """The published open-data table, in catalogue order: contract columns, extras, then
        the statistics (SPC, trend significance, confidence intervals)."""
        worded = self.with_text(self.numbers).sort("series", "end_month")
        ordered = with_statistics(worded, self.measurements())
        return self.labelled(ordered).select(CONTRACT_COLUMNS + EXTRA_COLUMNS + STATISTICS_COLUMNS)

    def report(
        self, report_month: int, organisation: str | None = None, window_months: int = 3
    ) -> pl.DataFrame:
        """One row per indicator (and organisation): its latest figure at or before the period it
        is due for, with `due_month`, `due` (a figure falls due within the pack's window of
        `window_months`, e.g. a quarter: an annual indicator is not due in a Q2 pack) and
        `reported` (it has a figure for the period due). Works on a few key columns to find the
        rows, then takes just those, so it never copies the whole results."""
        due = due_month(report_month, pl.col("step_months"), pl.col("lag_periods"))
        keys = self.numbers.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"),
            "series",
            "end_month",
            "value",
            "organisation",
            due.alias("due_month"),
        )
        if organisation is not None:
            keys = keys.filter(pl.col("organisation") == organisation)
        keys = keys.filter(pl.col("end_month") <= pl.col("due_month"))
        last = pl.col("series") != pl.col("series").shift(-1).fill_null(-1)
        latest = keys.filter(pl.col("value").is_not_null()).filter(last)
        never = keys.filter(last).join(latest.select("series"), on="series", how="anti")
        chosen = pl.concat([latest, never]).sort("series")
        rows = self.with_text(self.numbers[chosen["row"]]).with_columns(chosen["due_month"])
        rows = rows.with_columns(format_column(rows, "previous_value"), variance_pct_text(rows))
        rows = rows.with_columns(direction_reason(rows))
        window_end = pl.lit(report_month) - pl.col("lag_periods") * pl.col("step_months")
        due_now = pl.col("due_month") > window_end - window_months
        reported = (
            due_now & (pl.col("end_month") == pl.col("due_month")) & pl.col("value").is_not_null()
        )
        return self.labelled(rows).with_columns(
            due_now.alias("due"), reported.alias("reported"), *stale_columns()
        )

    def summary(self, rows: pl.DataFrame, by: str | None = None) -> pl.DataFrame:
        return summarise(rows, by, getattr(self.settings, "count_stale", False))

    def call_in(self, rows: pl.DataFrame) -> pl.DataFrame:
        return call_in(rows, self.settings.call_in_amber_periods)
