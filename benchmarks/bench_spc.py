"""XmR charts for 100,000 series x 60 points (seeded noise with some shifts and trends, a few
missing values): time `spc()` (median of 3) and print one JSON object of figures. A
benchmark, not a test: it asserts nothing."""

import json
import resource
import statistics
import time

import numpy as np
import polars as pl

from boardpack.engine.spc import SpcOptions, spc

SERIES, POINTS, RUNS = 100_000, 60, 3


def synthetic(series: int, points: int, seed: int = 20261122) -> pl.DataFrame:
    """Noise around a level per series; a third shift up part way, a sixth trend, 0.5% missing."""
    rng = np.random.default_rng(seed)
    level = rng.uniform(10, 1000, series)[:, None]
    values = level + rng.normal(0, 1, (series, points)) * level * 0.05
    step = np.arange(points)[None, :]
    shift_at = rng.integers(10, points, series)[:, None]
    shifted = rng.random(series)[:, None] < 1 / 3
    values += np.where(shifted & (step >= shift_at), level * 0.15, 0)
    trending = rng.random(series)[:, None] < 1 / 6
    values += np.where(trending, step * level * 0.01, 0)
    values[rng.random((series, points)) < 0.005] = np.nan
    frame = pl.DataFrame(
        {
            "series": np.repeat(np.arange(series, dtype=np.int32), points),
            "period": np.tile(np.arange(points, dtype=np.int32), series),
            "value": values.ravel(),
            "target": np.repeat(level[:, 0] * 1.05, points),
        }
    ).with_columns(pl.col("value").fill_nan(None))
    return frame.sample(fraction=1.0, shuffle=True, seed=seed)  # arrival order is not sorted


def main() -> None:
    frame = synthetic(SERIES, POINTS)
    options = SpcOptions(improvement="increase")
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        spc(frame, options)
        times.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "series": SERIES,
                "points": frame.height,
                "spc_seconds": round(statistics.median(times), 3),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()
