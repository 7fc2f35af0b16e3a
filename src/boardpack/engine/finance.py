"""The dashboard's financial headline, from the budget tables' total rows."""

from __future__ import annotations

import polars as pl


def headline(revenue: pl.DataFrame, capital: pl.DataFrame, period: str) -> dict:
    """The dashboard's financial headline for a period: the projected year-end revenue
    variance and the capital variance (totals; None when the project has no such table)."""

    def total(frame: pl.DataFrame) -> float | None:
        rows = frame.filter(pl.col("is_total") & (pl.col("period") == period))
        return rows["variance"][0] if rows.height else None

    return {
        "period": period,
        "revenue_variance": total(revenue),
        "capital_variance": total(capital),
    }
