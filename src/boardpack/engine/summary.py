"""Counts of ratings and directions for a set of reported rows, and the panel's call-in list."""

import polars as pl

from .vocab import AMBER_RATINGS, RAG_LABELS, RAGS


def share_text(count: pl.Expr, total: pl.Expr) -> pl.Expr:
    """ "35% (7)": whole-number percentage of `total`, then the count, as Barnet writes it."""
    pct = (
        pl.when(total > 0)
        .then((count * 100 / total).round(0, mode="half_away_from_zero").cast(pl.Int64))
        .otherwise(0)
    )
    return pl.format("{}% ({})", pct, count)


def summarise(rows: pl.DataFrame, by: str | None = None, count_stale: bool = False) -> pl.DataFrame:
    """One row per group (or one "Overall" row): counts of each rating, share texts like
    "35% (7)" over the rated indicators, improving or the same vs worsening, due vs reported.
    A stale figure (older than the period due: `stale`) counts as No status and no direction,
    and among `stale`, unless `count_stale`."""
    group = pl.col(by).fill_null("Not set") if by else pl.lit("Overall")
    stale = pl.col("stale") if "stale" in rows.columns else pl.lit(False)
    left_out = stale & pl.lit(not count_stale)
    rag = pl.when(left_out).then(pl.lit("no_status")).otherwise(pl.col("rag").cast(pl.String))
    direction = pl.when(~left_out).then(pl.col("direction").cast(pl.String))
    rated = rag != "no_status"
    counts = (
        rows.with_columns(group.cast(pl.String).alias("group"))
        .group_by("group", maintain_order=True)
        .agg(
            *((rag == code).sum().alias(code) for code in RAGS),
            rated.sum().alias("rated"),
            direction.is_in(["improving", "no_change"]).sum().alias("improving_or_same"),
            (direction == "worsening").sum().alias("worsening"),
            pl.col("due").sum().alias("expected"),
            pl.col("reported").sum().alias("reported"),
            stale.sum().alias("stale"),
            pl.len().alias("indicators"),
        )
    )
    with_direction = pl.col("improving_or_same") + pl.col("worsening")
    return counts.with_columns(
        *(
            share_text(pl.col(rag), pl.col("rated")).alias(f"{rag}_text")
            for rag in RAGS
            if rag != "no_status"
        ),
        share_text(pl.col("improving_or_same"), with_direction).alias("improving_or_same_text"),
        share_text(pl.col("worsening"), with_direction).alias("worsening_text"),
    )


def pack_summary(rows: pl.DataFrame, by: str = "tier", count_stale: bool = False) -> pl.DataFrame:
    """A pack's counts, as every document of it prints them: an "Overall" row over every
    indicator the pack reports (each at its latest rating; `expected` and `reported` count
    those due this period), then a row per `by` group that is set (indicators with none are
    in Overall only). Stale figures count as `summarise` says."""
    groups = rows.filter(pl.col(by).is_not_null()) if by in rows.columns else rows.clear()
    parts = [summarise(rows, count_stale=count_stale)]
    if not groups.is_empty():
        parts.append(summarise(groups, by, count_stale))
    return pl.concat(parts, how="vertical_relaxed")


def summary_sentence(summary_row: dict) -> str:
    """The counts in words, as a cabinet committee paper states them."""
    parts = [
        f"{_number_word(summary_row[rag])} {'is' if summary_row[rag] == 1 else 'are'} rated "
        f"{RAG_LABELS[rag]}"
        for rag in RAGS
        if rag != "no_status" and summary_row[rag]
    ]
    if not parts:
        return "No indicators are rated."
    return (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]) + "."


def _number_word(n: int) -> str:
    words = "zero one two three four five six seven eight nine ten eleven twelve".split()
    return words[n] if 0 <= n < len(words) else str(n)


def call_in(rows: pl.DataFrame, amber_periods: int = 2) -> pl.DataFrame:
    """Red indicators, and those Amber for `amber_periods` or more consecutive periods."""
    red = pl.col("rag") == "red"
    repeated = pl.col("rag").is_in(AMBER_RATINGS) & (pl.col("amber_run") >= amber_periods)
    why = (
        pl.when(red)
        .then(pl.lit("Red"))
        .otherwise(pl.format("Amber for {} consecutive periods", pl.col("amber_run")))
    )
    return rows.filter(red | repeated).with_columns(why.alias("call_in_reason"))
