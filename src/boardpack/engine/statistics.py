"""The statistical view of evaluated results: trend significance, confidence intervals and
statistical process control, added to rows already evaluated (`Evaluated.with_statistics`).

Kept apart from `evaluate()` so that rating a national frame does not pay for statistics that
only the open-data table and the packs show."""

from collections.abc import Mapping

import polars as pl

from .confidence import change_is_noise, confidence_columns
from .forecast import FORECAST_COLUMNS, forecast_columns
from .significance import trend_columns
from .spc import spc
from .spc_options import SpcOptions

# Which way SPC counts as improvement, by the indicator's polarity.
IMPROVEMENT = {"higher_better": "increase", "lower_better": "decrease"}
STATISTICS_COLUMNS = [
    "spc_mean",
    "spc_lower",
    "spc_upper",
    "spc_special_cause",
    "spc_rule",
    "spc_point_type",
    "spc_variation",
    "spc_assurance",
    "trend_slope",
    "trend_p",
    "trend_label",
    "ci_lower",
    "ci_upper",
    "change_within_noise",
    *FORECAST_COLUMNS,
]


def with_statistics(
    results: pl.DataFrame,
    measurement: Mapping[str, str] | None = None,
    as_of: int | None = None,
) -> pl.DataFrame:
    """`results` (each series together, in period order) with the statistics columns;
    `measurement` gives each indicator's measurement (snapshot, year to date...) for the
    forecast, which projects cumulative figures differently; `as_of` is the month the
    forecasts are read at (a year ended by then has none; by default the latest figure's)."""
    stats = change_is_noise(confidence_columns(trend_columns(results)))
    keyed = stats.with_columns(pl.col("indicator").cast(pl.String))
    forecast = forecast_columns(keyed, measurement=measurement or "snapshot", as_of=as_of)
    return with_spc(forecast)


def with_spc(results: pl.DataFrame) -> pl.DataFrame:
    """XmR mean, limits and special causes per row, and each series' variation and assurance
    icons; improvement follows polarity (neutral for in-band and activity measures)."""
    polarity = results.select("series", pl.col("polarity").cast(pl.String)).unique("series")
    improvement = {s: IMPROVEMENT.get(p, "neutral") for s, p in polarity.iter_rows()}
    columns = results.select("series", pl.col("end_month").alias("period"), "value", "target")
    charted = spc(columns, SpcOptions(improvement=improvement))
    points = charted.points.select(
        "series",
        pl.col("period").alias("end_month"),
        pl.col("mean").alias("spc_mean"),
        pl.col("lower_limit").alias("spc_lower"),
        pl.col("upper_limit").alias("spc_upper"),
        pl.col("special_cause").alias("spc_special_cause"),
        pl.col("rule").alias("spc_rule"),
        pl.col("point_type").alias("spc_point_type"),
    )
    icons = charted.series.select(
        "series",
        pl.col("variation_icon").alias("spc_variation"),
        pl.col("assurance_icon").alias("spc_assurance"),
    )
    joined = results.join(points, on=["series", "end_month"], how="left", maintain_order="left")
    return joined.join(icons, on="series", how="left", maintain_order="left")
