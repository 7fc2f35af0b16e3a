"""Apply the registered rating schemes to every row, with a reason in words."""

from collections.abc import Mapping

import polars as pl

from .schemes import DEFAULT_SCHEMES, Rating
from .vocab import RAG_LABELS


def rag_label(rag: pl.Expr) -> pl.Expr:
    return rag.replace_strict(RAG_LABELS, default="No status", return_dtype=pl.String)


def _combine(schemes: Mapping[str, object], part: str) -> pl.Expr:
    """One expression choosing each row's scheme part by the row's `scheme` name."""
    ratings: dict[str, Rating] = {name: scheme.rate() for name, scheme in schemes.items()}
    names = list(ratings)
    expr = pl.when(pl.col("scheme") == names[0]).then(getattr(ratings[names[0]], part))
    for name in names[1:]:
        expr = expr.when(pl.col("scheme") == name).then(getattr(ratings[name], part))
    return expr.otherwise(pl.lit(None, dtype=pl.String))


def _missing_reason() -> pl.Expr:
    detail = pl.concat_str([pl.lit(" ("), pl.col("missing_reason"), pl.lit(")")])
    return pl.concat_str([pl.lit("No status: no figure for this period"),
                          pl.when(pl.col("missing_reason").is_not_null()).then(detail).otherwise(pl.lit(""))])


def rating_columns(schemes: Mapping[str, object]) -> list[pl.Expr]:
    """Expressions adding `rag` and `rag_reason` for rows already carrying texts and variance."""
    needs_target = [name for name, s in schemes.items() if s.needs_target]
    rated = [name for name, s in schemes.items() if s.kind != "none"]
    no_value = pl.col("value").is_null()
    no_target = pl.col("scheme").is_in(needs_target) & pl.col("target").is_null()
    unrated = ~pl.col("scheme").is_in(rated)
    rag = (
        pl.when(no_value | no_target | unrated).then(pl.lit("no_status"))
        .otherwise(_combine(schemes, "rag"))
    )
    sentence = pl.concat_str([
        rag_label(rag), pl.lit(": "), pl.col("value_text"), pl.lit(" "),
        _combine(schemes, "phrase"), pl.lit(" "), _combine(schemes, "reference"), _combine(schemes, "tail"),
    ])
    reason = (
        pl.when(no_value).then(_missing_reason())
        .when(unrated).then(pl.lit("No status: activity measure, no target is set"))
        .when(no_target).then(pl.lit("No status: no target is set for this period"))
        .otherwise(sentence)
    )
    return [rag.alias("rag"), reason.alias("rag_reason")]


def known_schemes(names: list[str], schemes: Mapping[str, object] | None) -> dict[str, object]:
    """The scheme objects for the names in use; unknown names are an error, not a silent default."""
    available = {**DEFAULT_SCHEMES, **(schemes or {})}
    unknown = sorted(set(names) - set(available))
    if unknown:
        raise ValueError(f"Unknown rating scheme(s) {', '.join(unknown)}; known: {', '.join(available)}")
    return {name: available[name] for name in names}


def apply_overrides(frame: pl.LazyFrame, overrides: pl.DataFrame | None) -> pl.LazyFrame:
    """Manual ratings win, are flagged, and keep the calculated rating in `rag_calculated`."""
    frame = frame.with_columns(pl.col("rag").alias("rag_calculated"), pl.lit(False).alias("rag_manual"))
    if overrides is None or overrides.is_empty():
        return frame
    manual = overrides.lazy().select(
        "indicator", "organisation", "period",
        pl.col("rag").alias("_manual_rag"), pl.col("reason").alias("_manual_reason"),
    )
    joined = frame.join(manual, on=["indicator", "organisation", "period"], how="left", maintain_order="left")
    is_manual = pl.col("_manual_rag").is_not_null()
    reason = pl.concat_str([
        rag_label(pl.col("_manual_rag")), pl.lit(" (manual rating): "), pl.col("_manual_reason"),
        pl.lit(". Calculated rating: "), pl.col("rag_reason"),
    ])
    return joined.with_columns(
        pl.when(is_manual).then(pl.col("_manual_rag")).otherwise(pl.col("rag")).alias("rag"),
        pl.when(is_manual).then(reason).otherwise(pl.col("rag_reason")).alias("rag_reason"),
        is_manual.alias("rag_manual"),
    ).drop("_manual_rag", "_manual_reason")
