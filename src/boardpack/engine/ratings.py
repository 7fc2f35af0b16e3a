"""Apply the registered rating schemes to every row, with a reason in words."""

from collections.abc import Mapping

import polars as pl

from .formatting import format_number
from .schemes import DEFAULT_SCHEMES, in_points
from .vocab import RAG_LABELS, RAG_TYPE


def rag_label(rag: pl.Expr) -> pl.Expr:
    return rag.replace_strict(RAG_LABELS, default="No status", return_dtype=pl.String)


def _missing_reason() -> pl.Expr:
    detail = pl.concat_str(
        [pl.lit("No status: no figure for this period ("), pl.col("missing_reason"), pl.lit(")")]
    )
    return pl.coalesce(detail, pl.lit("No status: no figure for this period"))


def _placeholder_reason() -> pl.Expr:
    placeholder = format_number(pl.col("target_placeholder"), pl.col("decimals"), pl.col("unit"))
    return pl.concat_str(
        [
            pl.lit("No status: the target of "),
            placeholder,
            pl.lit(" is a placeholder (no target yet), so the figure is not rated"),
        ]
    )


def rating_columns(scheme) -> list[pl.Expr]:
    """Expressions adding `rag` and `variance_in_points` under one scheme: the numbers every
    row carries. The words (`reason_column`) are made only for the rows shown."""
    points = in_points(getattr(scheme, "percentages", "points")).alias("variance_in_points")
    return [_rag(scheme), points]


def _no_target(scheme) -> pl.Expr:
    return pl.col("target").is_null() if scheme.needs_target else pl.lit(False)


def _rag(scheme) -> pl.Expr:
    no_status = pl.lit("no_status", dtype=RAG_TYPE)
    if scheme.kind == "none":
        return no_status.alias("rag")
    no_value = pl.col("value").is_null()
    rag = pl.when(no_value | _no_target(scheme)).then(no_status)
    return rag.otherwise(scheme.rate().rag).cast(RAG_TYPE).alias("rag")


def reason_column(scheme) -> pl.Expr:
    """`rag_reason` under one scheme, for rows already carrying their number texts and
    variance. The reason is one concatenation whose optional parts are null where they do not
    apply."""
    no_value = pl.col("value").is_null()
    if scheme.kind == "none":
        reason = (
            pl.when(no_value)
            .then(_missing_reason())
            .otherwise(pl.lit("No status: activity measure, no target is set"))
        )
        return reason.alias("rag_reason")
    rating = scheme.rate()
    no_target = _no_target(scheme)
    # Words a scheme leaves out (null) take their space with them.
    figures = pl.concat_str(
        [pl.col("value_text"), rating.phrase, rating.reference], separator=" ", ignore_nulls=True
    )
    sentence = pl.concat_str(
        [rag_label(rating.rag), pl.lit(": "), figures, *rating.tail], ignore_nulls=True
    )
    reason = (
        pl.when(no_value)
        .then(_missing_reason())
        .when(no_target & pl.col("target_placeholder_hit"))
        .then(_placeholder_reason())
        .when(no_target)
        .then(pl.lit("No status: no target is set for this period"))
        .otherwise(sentence)
    )
    return reason.alias("rag_reason")


def known_schemes(names: list[str], schemes: Mapping[str, object] | None) -> dict[str, object]:
    """The scheme objects for the names in use; unknown names are an error, not a silent default."""
    available = {**DEFAULT_SCHEMES, **(schemes or {})}
    unknown = sorted(set(names) - set(available))
    if unknown:
        raise ValueError(
            f"Unknown rating scheme(s) {', '.join(unknown)}; known: {', '.join(available)}"
        )
    return {name: available[name] for name in names}


def apply_overrides(frame: pl.DataFrame, overrides: pl.DataFrame | None) -> pl.DataFrame:
    """Manual ratings win, are flagged, and keep the calculated rating in `rag_calculated`
    (their words are added with the reasons: `manual_reasons`)."""
    frame = frame.with_columns(
        pl.col("rag").alias("rag_calculated"), pl.lit(False).alias("rag_manual")
    )
    if overrides is None or overrides.is_empty():
        return frame
    manual = _manual(overrides).collect()
    joined = frame.join(manual, on=OVERRIDE_KEYS, how="left", maintain_order="left")
    is_manual = pl.col("_manual_rag").is_not_null()
    return joined.with_columns(
        pl.when(is_manual)
        .then(pl.col("_manual_rag").cast(RAG_TYPE))
        .otherwise(pl.col("rag"))
        .alias("rag"),
        is_manual.alias("rag_manual"),
    ).drop("_manual_rag", "_manual_reason")


OVERRIDE_KEYS = ["indicator", "organisation", "period"]


def _manual(overrides: pl.DataFrame) -> pl.LazyFrame:
    return overrides.lazy().select(
        *(pl.col(key).cast(pl.Categorical) for key in OVERRIDE_KEYS),
        pl.col("rag").alias("_manual_rag"),
        pl.col("reason").alias("_manual_reason"),
    )


def manual_reasons(rows: pl.DataFrame, overrides: pl.DataFrame | None) -> pl.DataFrame:
    """Rows rated by hand (`rag_manual`) say so in `rag_reason`, before the calculated
    rating's reason."""
    if overrides is None or overrides.is_empty() or not rows["rag_manual"].any():
        return rows
    joined = rows.lazy().join(
        _manual(overrides), on=OVERRIDE_KEYS, how="left", maintain_order="left"
    )
    reason = pl.concat_str(
        [
            rag_label(pl.col("_manual_rag")),
            pl.lit(" (manual rating): "),
            pl.col("_manual_reason"),
            pl.lit(". Calculated rating: "),
            pl.col("rag_reason"),
        ]
    )
    return (
        joined.with_columns(
            pl.when(pl.col("rag_manual"))
            .then(reason)
            .otherwise(pl.col("rag_reason"))
            .alias("rag_reason")
        )
        .drop("_manual_rag", "_manual_reason")
        .collect()
    )
