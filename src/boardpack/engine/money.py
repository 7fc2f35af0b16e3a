"""Figures as finance tables write them: thousands separators, negatives in brackets
`(1,234)`, in pounds (`£1,234`) or thousands (the `£000` goes in the column heading).

Vectorised over whole columns, on `engine.formatting.format_number`'s rounding.
"""

from __future__ import annotations

import polars as pl

from .formatting import format_number

#: The unit setting -> the heading a finance table puts over its figures.
UNIT_LABELS = {"pounds": "£", "thousands": "£000"}
#: The unit setting -> what each cell carries before the number.
UNIT_PREFIX = {"pounds": "£", "thousands": ""}


def money(value: pl.Expr, decimals: int = 0, unit: str = "thousands") -> pl.Expr:
    """`(1,234)` for -1234, `1,234` for 1234 (with `£` when the unit is pounds); null stays
    null, and a figure that rounds to zero shows no brackets."""
    places = pl.lit(decimals, dtype=pl.Int64)
    digits = format_number(value.abs(), places)
    text = pl.concat_str([pl.lit(UNIT_PREFIX[unit]), digits])
    negative = value.round(decimals, mode="half_away_from_zero") < 0
    return pl.when(negative).then(pl.format("({})", text)).otherwise(text)


def percent(value: pl.Expr, decimals: int = 1) -> pl.Expr:
    """A variance as a percentage of budget, as Barnet prints it: `-2.6%`, `26.3%`."""
    return format_number(value, pl.lit(decimals, dtype=pl.Int64), pl.lit("percent"))


def money_columns(
    frame: pl.DataFrame, columns: list[str], unit: str, decimals: int = 0
) -> pl.DataFrame:
    """Add a `<column>_text` for each money column (and `variance_pct_text` when present)."""
    texts = [money(pl.col(c), decimals, unit).alias(f"{c}_text") for c in columns]
    if "variance_pct" in frame.columns:
        texts.append(percent(pl.col("variance_pct")).alias("variance_pct_text"))
    return frame.with_columns(texts)
