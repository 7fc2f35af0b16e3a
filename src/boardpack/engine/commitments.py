"""Commitments counted by rating, in the shape of the indicator summary ("100% (5)")."""

from __future__ import annotations

import polars as pl

from ..catalogue.models import DEFAULT_COMMITMENT_SCHEME, CommitmentRating
from .summary import share_text


def commitment_summary(
    commitments: pl.DataFrame,
    period: str,
    scheme: list[CommitmentRating] | tuple[CommitmentRating, ...] = DEFAULT_COMMITMENT_SCHEME,
) -> pl.DataFrame:
    """One "Overall" row for a period: the count of each rating's colour, `<rag>_text` such as
    "100% (5)" (whole-number share, then the count), and `commitments`, the number due."""
    rows = commitments.filter(pl.col("period") == period)
    rags = [r.rag for r in scheme]
    counts = rows.select(
        pl.lit("Overall").alias("group"),
        *((pl.col("rag") == rag).sum().cast(pl.Int64).alias(rag) for rag in rags),
        pl.len().cast(pl.Int64).alias("commitments"),
    )
    return counts.with_columns(
        share_text(pl.col(rag), pl.col("commitments")).alias(f"{rag}_text") for rag in rags
    )
