"""Numbers written the way council reports write them, vectorised over whole columns.

`37.0%`, `1,631`, `£1,311,192`, `6.45 days`: thousands separators, the indicator's decimal
places, and the unit's prefix or suffix.
"""

import math

import polars as pl

UNIT_PREFIX = {"currency": "£"}
UNIT_SUFFIX = {"percent": "%", "days": " days", "fte": " FTE"}


def with_thousands(digits: pl.Expr) -> pl.Expr:
    """Insert thousands separators into a column of unsigned integer strings."""
    return (
        digits.str.reverse()
        .str.replace_all(r"(\d{3})", "${1},")
        .str.strip_chars_end(",")
        .str.reverse()
    )


def format_number(value: pl.Expr, decimals: pl.Expr, unit: pl.Expr | None = None) -> pl.Expr:
    """Format `value` with `decimals` places, separators and the unit's affixes; null stays null."""
    scale = pl.lit(10, dtype=pl.Int64).pow(decimals.cast(pl.Int64))
    scaled = (value.abs() * scale).round(0, mode="half_away_from_zero").cast(pl.Int64)
    whole = with_thousands((scaled // scale).cast(pl.String))
    fraction = (scaled % scale).cast(pl.String).str.zfill(decimals.cast(pl.Int64))
    number = (
        pl.when(decimals > 0).then(pl.concat_str([whole, pl.lit("."), fraction])).otherwise(whole)
    )
    sign = pl.when((value < 0) & (scaled > 0)).then(pl.lit("-")).otherwise(pl.lit(""))
    if unit is None:
        return pl.concat_str([sign, number])
    prefix = unit.replace_strict(UNIT_PREFIX, default="", return_dtype=pl.String)
    suffix = unit.replace_strict(UNIT_SUFFIX, default="", return_dtype=pl.String)
    return pl.concat_str([sign, prefix, number, suffix])


UNIT_CODES = {
    "number": 0,
    "percent": 1,
    "rate_per_100k": 2,
    "days": 3,
    "currency": 4,
    "fte": 5,
    "ratio": 6,
}


def format_column(
    frame: pl.DataFrame, value: str, decimals: str = "decimals", unit: str = "unit"
) -> pl.Series:
    """`format_number` over a frame's column, formatting each distinct rounded number once.

    Real columns repeat the same few thousand rounded figures across millions of rows, so this
    formats the distinct ones and maps them back: about ten times faster than formatting every
    row."""
    scaled = (
        (pl.col(value) * pl.lit(10.0).pow(pl.col(decimals)))
        .round(0, mode="half_away_from_zero")
        .cast(pl.Int64)
    )
    unit_code = pl.col(unit).replace_strict(UNIT_CODES, default=7, return_dtype=pl.Int64)
    key = (scaled * 128 + pl.col(decimals).cast(pl.Int64) * 16 + unit_code).alias("_key")
    keyed = frame.select(
        key, pl.col(value).alias("_v"), pl.col(decimals).alias("_d"), pl.col(unit).alias("_u")
    )
    distinct = (
        keyed.drop_nulls("_key")
        .unique("_key")
        .with_columns(format_number(pl.col("_v"), pl.col("_d"), pl.col("_u")).alias("_text"))
    )
    mapped = keyed["_key"].replace_strict(
        distinct["_key"], distinct["_text"], default=None, return_dtype=pl.String
    )
    return mapped.alias(f"{value}_text")


def format_value(value: float | None, decimals: int, unit: str | None = None) -> str:
    """One number, formatted exactly as the vectorised `format_number` would, without a frame
    (pages format a hundred figures each; a polars query per figure costs milliseconds)."""
    if value is None:
        return ""
    scale = 10**decimals
    magnitude = abs(float(value)) * scale
    scaled = math.floor(magnitude)
    scaled += magnitude - scaled >= 0.5  # halves away from zero, as polars rounds
    whole, fraction = divmod(scaled, scale)
    number = f"{whole:,}" + (f".{fraction:0{decimals}d}" if decimals > 0 else "")
    sign = "-" if value < 0 and scaled > 0 else ""
    unit = unit or "number"
    return f"{sign}{UNIT_PREFIX.get(unit, '')}{number}{UNIT_SUFFIX.get(unit, '')}"


def variance_pct_text(rows: pl.DataFrame) -> pl.Series:
    """The distance from target for the rows a report shows, signed so positive is better:
    relative, as a percentage to one place ("-5.0%"), or for rows told in percentage points
    (`variance_in_points`) in points ("-25.5 points")."""
    pct = rows.select(
        (pl.col("variance_pct") * 100).alias("variance_pct"),
        pl.lit(1).alias("d"),
        pl.lit("percent").alias("u"),
    )
    relative = format_column(pct, "variance_pct", "d", "u")
    if "variance_in_points" not in rows.columns or not rows["variance_in_points"].any():
        return relative
    points = rows.select(
        pl.col("variance_points"), pl.lit(1).alias("d"), pl.lit("number").alias("u")
    )
    in_points = format_column(points, "variance_points", "d", "u") + " points"
    chosen = rows.select(
        pl.when(pl.col("variance_in_points").fill_null(False))
        .then(in_points)
        .otherwise(relative)
        .alias("variance_pct_text")
    )
    return chosen.to_series()
