"""Work done a rating scheme at a time: each scheme's rows, a chunk at a time, side by side on
the machine's cores (polars releases the GIL)."""

import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

import polars as pl

from .schemes import DEFAULT_SCHEMES, EDGE_PLACES

CHUNK_ROWS = 1 << 19  # rows rated or worded at a time: bounds the memory strings need
BAND_COLUMNS = ("band", "tolerance")  # an in-band target's own widths, where it gives them


def with_widths(frame: pl.DataFrame) -> pl.DataFrame:
    """In-band widths for rating: the targets' own where given, else null (the scheme's)."""
    missing = [c for c in BAND_COLUMNS if c not in frame.columns]
    return frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(c) for c in missing)


def edge_rounded(chunk: pl.DataFrame, scheme) -> pl.DataFrame:
    """A scheme with `edge_fields` compares them rounded to `EDGE_PLACES`, so a figure exactly
    10% off target is not a hair beyond it (6.3 against 7)."""
    edges = list(getattr(scheme, "edge_fields", ()))
    return chunk.with_columns(pl.col(edges).round(EDGE_PLACES)) if edges else chunk


def by_scheme(
    frame: pl.DataFrame,
    schemes: Mapping[str, object],
    work: Callable[[pl.DataFrame, object], pl.DataFrame],
) -> pl.DataFrame:
    """`work(chunk, scheme)` over each scheme's rows, concatenated in the frame's order. Where
    each scheme's rows are one contiguous run (the evaluated order), chunks are slices (no
    copy); otherwise the frame is split by scheme and the results put back in order."""
    runs = frame.select(pl.col("scheme").rle()).unnest("scheme")
    if runs.height > runs["value"].n_unique():  # a scheme's rows are apart: split by scheme
        indexed = frame.with_row_index("_row")
        parts = indexed.partition_by("scheme", maintain_order=True)
        done = pl.concat([by_scheme(part, schemes, _keeping_row(work)) for part in parts])
        return done.sort("_row").drop("_row")
    jobs, offset = [], 0
    for length, name in runs.iter_rows():
        for start in range(offset, offset + length, CHUNK_ROWS):
            jobs.append(
                (frame.slice(start, min(CHUNK_ROWS, offset + length - start)), schemes[name])
            )
        offset += length
    if not jobs:  # no rows: an empty table with every column
        jobs.append((frame, DEFAULT_SCHEMES["none"]))
    if len(jobs) == 1:
        return work(*jobs[0])
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return pl.concat(pool.map(lambda job: work(*job), jobs))


def _keeping_row(work):
    def kept(chunk: pl.DataFrame, scheme) -> pl.DataFrame:
        done = work(chunk, scheme)
        return done if "_row" in done.columns else done.with_columns(chunk["_row"])

    return kept
