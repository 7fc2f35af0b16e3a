"""Target variance and direction of travel, respecting polarity."""

import polars as pl

from .schemes import EDGE_PLACES
from .vocab import DIRECTION_TYPE

LOWER = pl.col("polarity") == "lower_better"


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
        .then(pl.lit("not_applicable"))
        .when(gain.abs().round(EDGE_PLACES) <= tolerance.round(EDGE_PLACES))
        .then(pl.lit("no_change"))
        .when(gain > 0)
        .then(pl.lit("improving"))
        .otherwise(pl.lit("worsening"))
    ).cast(DIRECTION_TYPE)
