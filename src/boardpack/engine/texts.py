"""The text pass: the words of the rows a pack, page or export shows.

Evaluation keeps every row's numbers (ratings, variances, directions); the figures written as
reports write them (`value_text`, `target_text`, `floor_text`) and each rating's reason in
words (`rag_reason`) are made here, by one vectorised pass over just the rows shown."""

from collections.abc import Mapping

import polars as pl

from .by_scheme import BAND_COLUMNS, by_scheme, edge_rounded, with_widths
from .formatting import format_column
from .ratings import manual_reasons, reason_column

NUMBER_TEXTS = ("value", "target", "floor")


def with_text(
    rows: pl.DataFrame, schemes: Mapping[str, object], overrides: pl.DataFrame | None
) -> pl.DataFrame:
    """`rows` (evaluated rows, any selection) with their number texts and `rag_reason`."""
    texts = with_widths(rows).with_columns(format_column(rows, c) for c in NUMBER_TEXTS)
    reasons = by_scheme(texts, schemes, _reasons)
    worded = texts.with_columns(reasons["rag_reason"]).drop(BAND_COLUMNS)
    return manual_reasons(worded, overrides)


def _reasons(chunk: pl.DataFrame, scheme) -> pl.DataFrame:
    return edge_rounded(chunk, scheme).select(reason_column(scheme))
