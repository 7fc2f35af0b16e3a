"""Target variance and direction of travel, respecting polarity."""

import polars as pl

from .schemes import EDGE_PLACES
from .vocab import DIRECTION_TYPE

LOWER = pl.col("polarity") == "lower_better"


#: What a figure's direction of travel compares it with, by how it is measured: a year-to-date
#: (cumulative) figure with the same period last year, like with like; the rest (snapshots,
#: figures for the period, rolling years) with the previous period.
DIRECTION_BASES = ("previous_period", "same_period_last_year")
BASIS_TYPE = pl.Enum(DIRECTION_BASES)
BASIS_OF_MEASUREMENT = {"year_to_date": "same_period_last_year"}


def direction_basis() -> pl.Expr:
    """Each row's `direction_basis`: its indicator's own, else by its measurement."""
    by_measurement = (
        pl.col("measurement")
        .cast(pl.String)
        .replace_strict(BASIS_OF_MEASUREMENT, default="previous_period", return_dtype=pl.String)
    )
    own = pl.col("direction_basis").cast(pl.String)
    return pl.coalesce(own, by_measurement).cast(BASIS_TYPE)


def compared_value() -> pl.Expr:
    """The figure direction of travel compares with, by the row's `direction_basis`."""
    last_year = pl.col("direction_basis") == "same_period_last_year"
    return pl.when(last_year).then(pl.col("last_year_value")).otherwise(pl.col("previous_value"))


def placeholder_columns() -> list[pl.Expr]:
    """A target equal to the indicator's `target_placeholder` (0 for "no target yet") is no
    target: `target` and `floor` are emptied and `target_placeholder_hit` marks the row."""
    hit = (pl.col("target") == pl.col("target_placeholder")).fill_null(False)
    return [
        pl.when(~hit).then(pl.col("target")).alias("target"),
        pl.when(~hit).then(pl.col("floor")).alias("floor"),
        hit.alias("target_placeholder_hit"),
    ]


def variance_columns() -> list[pl.Expr]:
    """`variance` = value - target; `variance_pct` = relative variance, positive when better
    than target (for lower-is-better indicators a result under target is positive)."""
    relative = (pl.col("value") - pl.col("target")) / pl.col("target").abs()
    signed = pl.when(LOWER).then(-relative).otherwise(relative)
    return [
        (pl.col("value") - pl.col("target")).alias("variance"),
        pl.when(pl.col("target") != 0).then(signed).alias("variance_pct"),
    ]


def direction(value: pl.Expr, earlier: pl.Expr, tolerance_pct: float) -> pl.Expr:
    """improving / no_change / worsening / not_applicable for `value` against `earlier`.

    In-band indicators improve by moving closer to the target. "No change" is a change no
    larger than the indicator's `no_change_within`, or else `tolerance_pct` % of the earlier
    value."""
    target = pl.col("target")
    gain = (
        pl.when(pl.col("polarity") == "in_band")
        .then((earlier - target).abs() - (value - target).abs())
        .when(LOWER)
        .then(earlier - value)
        .otherwise(value - earlier)
    )
    tolerance = pl.coalesce(pl.col("no_change_within"), earlier.abs() * (tolerance_pct / 100))
    unknown = (
        value.is_null()
        | earlier.is_null()
        | (pl.col("polarity") == "none")
        | ((pl.col("polarity") == "in_band") & target.is_null())
    )
    return (
        pl.when(unknown)
        .then(_direction("not_applicable"))
        .when(gain.abs().round(EDGE_PLACES) <= tolerance.round(EDGE_PLACES))
        .then(_direction("no_change"))
        .when(gain > 0)
        .then(_direction("improving"))
        .otherwise(_direction("worsening"))
    )


def _direction(word: str) -> pl.Expr:
    """A direction as its enum value: choosing among enum values moves small integer codes,
    where choosing among strings builds a string a row (twice as slow over millions)."""
    return pl.lit(word, dtype=DIRECTION_TYPE)


def variance_points() -> pl.Expr:
    """For percentages, the distance from target in percentage points, positive when better
    (null for other units)."""
    points = pl.col("value") - pl.col("target")
    signed = pl.when(LOWER).then(-points).otherwise(points)
    return pl.when(pl.col("unit") == "percent").then(signed).alias("variance_points")


def progress() -> pl.Expr:
    """The share of the way from the indicator's baseline to its target the figure has come:
    0 at the baseline, 1 at the target (null without both, or where they are equal)."""
    distance = pl.col("target") - pl.col("baseline")
    return pl.when(distance != 0).then((pl.col("value") - pl.col("baseline")) / distance)


def periods_since_figure() -> pl.Expr:
    """Periods between each row and the series' figure before it (1: the previous period had
    one; null for a series' first figure). The frame is sorted by `_series` and `end_month`."""
    key = pl.col("_series").cast(pl.Int64) * (1 << 20) + pl.col("end_month")
    before = pl.when(pl.col("value").is_not_null()).then(key).shift(1).forward_fill()
    same_series = (before // (1 << 20)) == pl.col("_series")
    gap = (pl.col("end_month") - before % (1 << 20)) // pl.col("step_months")
    return pl.when(same_series).then(gap).cast(pl.Int32)


def rule_columns() -> list[pl.Expr]:
    """The fields rating rules may use beyond the contract's own."""
    return [
        variance_points(),
        progress().alias("progress"),
        periods_since_figure().alias("periods_since_figure"),
    ]
