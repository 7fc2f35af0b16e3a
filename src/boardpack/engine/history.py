"""Look-backs along each series (indicator x organisation, sorted by period): previous period,
same period last year, and runs of Amber. Integer arithmetic on `end_month`, no joins on the
hot path."""

import polars as pl

from .vocab import AMBER_RATINGS


def series_columns() -> list[pl.Expr]:
    """`_first_month`: the first period of each series. The frame is sorted and `_series`
    numbers each series."""
    new_series = (pl.col("_series") != pl.col("_series").shift(1)).fill_null(True)
    return [pl.when(new_series).then(pl.col("end_month")).forward_fill().alias("_first_month")]


def lookback_ok(rows_back: int, months_back: pl.Expr) -> pl.Expr:
    """True where the row `rows_back` above is the same series exactly `months_back` earlier."""
    return (pl.col("_series").shift(rows_back) == pl.col("_series")) & (
        pl.col("end_month").shift(rows_back) == pl.col("end_month") - months_back
    )


def previous_columns(columns: list[str]) -> list[pl.Expr]:
    """`previous_<col>` from the previous period of the same series, null when it is absent."""
    ok = lookback_ok(1, pl.col("step_months")).fill_null(False)
    return [pl.when(ok).then(pl.col(c).shift(1)).alias(f"previous_{c}") for c in columns]


def last_year_columns(steps: list[int], columns: list[str]) -> list[pl.Expr]:
    """`last_year_<col>` for the same period a year earlier, by shifting 12/step rows.

    `_ly_todo` marks rows the shift could not reach though a year of the series lies behind
    them (a gap); `fill_last_year` looks those up by join."""
    found = pl.lit(False)
    values = {c: pl.when(pl.lit(False)).then(pl.col(c)) for c in columns}  # typed as `c`
    for step in steps:
        rows_back = max(12 // step, 1)
        ok = (pl.col("step_months") == step) & lookback_ok(rows_back, pl.lit(12)).fill_null(False)
        found = found | ok
        values = {
            c: pl.when(ok).then(pl.col(c).shift(rows_back)).otherwise(v) for c, v in values.items()
        }
    todo = ~found & (pl.col("end_month") - 12 >= pl.col("_first_month"))
    return [*(v.alias(f"last_year_{c}") for c, v in values.items()), todo.alias("_ly_todo")]


def fill_last_year(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame | None:
    """Last-year columns filled by join for the few rows a shift could not reach (gappy
    series), or None when there are none (the usual case)."""
    if not frame["_ly_todo"].any():
        return None
    todo = frame.select(
        "_series", (pl.col("end_month") - 12).alias("_ly_month"), "_ly_todo"
    ).filter("_ly_todo")
    source = frame.select(
        "_series",
        pl.col("end_month").alias("_ly_month"),
        *(pl.col(c).alias(f"_ly_{c}") for c in columns),
    )
    found = (
        todo.drop("_ly_todo")
        .join(source, on=["_series", "_ly_month"], how="inner")
        .with_columns((pl.col("_ly_month") + 12).alias("end_month"))
        .drop("_ly_month")
    )
    frame = frame.join(found, on=["_series", "end_month"], how="left", maintain_order="left")
    return frame.with_columns(
        pl.coalesce(f"last_year_{c}", f"_ly_{c}").alias(f"last_year_{c}") for c in columns
    ).drop(f"_ly_{c}" for c in columns)


def amber_run() -> pl.Expr:
    """How many consecutive periods, ending at this one, the series has been Amber (any kind)."""
    amber = pl.col("rag").is_in(AMBER_RATINGS)
    continues = lookback_ok(1, pl.col("step_months")).fill_null(False) & amber.shift(1).fill_null(
        False
    )
    reset = ~continues
    count = amber.cast(pl.Int32).cum_sum()
    base = pl.when(reset).then(count - amber.cast(pl.Int32)).forward_fill()
    return pl.when(amber).then(count - base).otherwise(0).cast(pl.Int32).alias("amber_run")
