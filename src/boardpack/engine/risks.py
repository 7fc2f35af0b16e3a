"""The views a report shows of the risk register: the 5x5 heat map, the risks scored at or
above a threshold, and each risk's movement since its last period."""

from __future__ import annotations

import polars as pl

from ..catalogue.models import Risks
from ..dataset.schema import RISKS

MOVEMENTS = ("up", "down", "same", "new")


def heat_map(register: pl.DataFrame, period: str, config: Risks | None = None) -> pl.DataFrame:
    """The 5x5 matrix for a period: one row per impact and likelihood (25 rows, zeros kept),
    highest likelihood first, with each cell's score, rating and colour."""
    config = config or Risks(file="-")
    counts = (
        register.filter(pl.col("period") == period)
        .group_by("impact", "likelihood")
        .agg(pl.len().cast(pl.Int32).alias("count"))
    )
    cells = _cells(config)
    return (
        cells.join(counts, on=["impact", "likelihood"], how="left")
        .with_columns(pl.col("count").fill_null(0))
        .sort(["likelihood", "impact"], descending=[True, False])
    )


def _cells(config: Risks) -> pl.DataFrame:
    rows = []
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            band = config.band_for(impact * likelihood)
            rows.append(
                {
                    "impact": impact,
                    "impact_label": config.impact_labels[impact - 1],
                    "likelihood": likelihood,
                    "likelihood_label": config.likelihood_labels[likelihood - 1],
                    "score": impact * likelihood,
                    "rating": band.label,
                    "rag": band.rag,
                }
            )
    schema = {key: RISKS.columns[key] for key in ("impact", "impact_label", "likelihood")}
    schema |= {"likelihood_label": pl.String, "score": pl.Int16, "rating": pl.String}
    return pl.DataFrame(rows, schema={**schema, "rag": pl.String})


def filter_by_score(register: pl.DataFrame, period: str, min_score: int) -> pl.DataFrame:
    """Risks of a period scored `min_score` or more ("risks rated 12 and above"), highest
    score first."""
    return register.filter((pl.col("period") == period) & (pl.col("score") >= min_score)).sort(
        ["score", "ref"], descending=[True, False]
    )


def movement(register: pl.DataFrame, period: str) -> pl.DataFrame:
    """The period's risks with the score of each risk's latest earlier period
    (`previous_period`, `previous_score`) and `movement`: up, down, same or new."""
    history = register.sort("ref", "end_month").with_columns(
        pl.col("score").shift(1).over("ref").alias("previous_score"),
        pl.col("period").shift(1).over("ref").alias("previous_period"),
    )
    change = (
        pl.when(pl.col("previous_score").is_null())
        .then(pl.lit("new"))
        .when(pl.col("score") > pl.col("previous_score"))
        .then(pl.lit("up"))
        .when(pl.col("score") < pl.col("previous_score"))
        .then(pl.lit("down"))
        .otherwise(pl.lit("same"))
    )
    return history.filter(pl.col("period") == period).with_columns(
        change.cast(pl.Enum(MOVEMENTS)).alias("movement")
    )
