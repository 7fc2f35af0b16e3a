"""Turn a sheet's body into long cells and read every cell at once: number, marker or `a (b)`."""

from __future__ import annotations

import polars as pl

from .config import PublicationConfig
from .layout import Table


def long_cells(table: Table, sheet: str, measure: str) -> pl.DataFrame:
    """One row per data cell: sheet, measure, row (1-based), area cells, column and its raw text."""
    body = table.body
    first_row = table.header_row + 2
    wanted = {**table.area_columns, **{f"c{i}": i for i in table.columns["index"]}}
    width = max(len(row) for row in body) if body else 0
    by_index = (
        list(zip(*(row + [None] * (width - len(row)) for row in body), strict=True)) if body else []
    )
    frame = pl.DataFrame(
        {
            name: pl.Series(
                name, by_index[i] if i < len(by_index) else [None] * len(body), strict=False
            )
            for name, i in wanted.items()
        }
    ).select(pl.all().cast(pl.String).str.strip_chars())
    frame = frame.with_columns(row=pl.int_range(first_row, first_row + len(body), dtype=pl.Int32))
    data = [f"c{index}" for index in table.columns["index"]]
    keys = table.columns.select(
        pl.format("c{}", "index").alias("variable"),
        "letter",
        "header",
        "period",
        "breakdown",
        "field",
    )
    return (
        frame.unpivot(index=["row", *table.area_columns], on=data, value_name="raw")
        .join(keys, on="variable", how="left")
        .drop("variable")
        .with_columns(sheet=pl.lit(sheet), measure=pl.lit(measure))
    )


def read_cells(cells: pl.DataFrame, config: PublicationConfig) -> pl.DataFrame:
    """Add `number`, `marker`, `alternative` (the b of `a (b)`) and `bad` to long cells."""
    raw = pl.col("raw").fill_null("")
    marker = pl.when(raw.is_in(list(config.markers))).then(raw)
    main, alternative = raw, pl.lit(None, dtype=pl.String)
    if config.bracketed is not None:
        parts = raw.str.extract_groups(config.bracketed.pattern)
        main = pl.coalesce(parts.struct.field("main"), raw)
        alternative = parts.struct.field("alternative")
    empty_is_bad = config.empty_cells == "error"
    return cells.with_columns(
        marker=marker,
        number=_number(main, config),
        alternative=_number(alternative, config),
    ).with_columns(
        bad=pl.col("marker").is_null()
        & pl.col("number").is_null()
        & ((raw != "") | pl.lit(empty_is_bad))
    )


def _number(text: pl.Expr, config: PublicationConfig) -> pl.Expr:
    if config.thousands_separator:
        text = text.str.replace_all(config.thousands_separator, "", literal=True)
    return text.str.strip_chars().cast(pl.Float64, strict=False)
