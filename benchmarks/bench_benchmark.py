"""Benchmark statistics for 153 councils x 30 measures x 10 financial years x 4 groups each
(England, region, council type, nearest neighbours), seeded, with 3% of values missing and
published figures for England and the regions: time `benchmark_statistics()` (median of 5)
and print one JSON object. A benchmark, not a test: it asserts nothing."""

import json
import statistics
import time

import numpy as np
import polars as pl

from boardpack.engine.benchmark import benchmark_statistics

COUNCILS, MEASURES, YEARS, RUNS = 153, 30, 10, 5
REGIONS, TYPES, NEIGHBOURS = 9, 5, 16
POLARITIES = ("higher_better", "lower_better", "none")


def synthetic(seed: int = 20240401) -> tuple[pl.DataFrame, ...]:
    """values, membership, measures and published frames."""
    rng = np.random.default_rng(seed)
    councils = [f"E{n:08d}" for n in range(COUNCILS)]
    periods = [f"{2014 + y}/{(15 + y) % 100:02d}" for y in range(YEARS)]
    measures = [f"M{m:02d}" for m in range(MEASURES)]
    size = COUNCILS * MEASURES * YEARS
    denominator = rng.integers(1_000, 400_000, size).astype(float)
    numerator = np.floor(denominator * rng.uniform(0.01, 0.6, size))
    scale = np.where(np.arange(MEASURES) % 3 == 0, np.nan, 100.0)
    scale_row = np.tile(np.repeat(scale, YEARS), COUNCILS)
    value = np.where(np.isnan(scale_row), rng.normal(50, 10, size), numerator / denominator * 100)
    value[rng.random(size) < 0.03] = np.nan
    values = pl.DataFrame(
        {
            "organisation": np.repeat(councils, MEASURES * YEARS),
            "measure": np.tile(np.repeat(measures, YEARS), COUNCILS),
            "period": np.tile(periods, COUNCILS * MEASURES),
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
        }
    ).with_columns(pl.col("value").fill_nan(None))
    return (
        values,
        _membership(councils, rng),
        _measures(measures, scale),
        _published(measures, periods, rng),
    )


def _membership(councils: list[str], rng: np.random.Generator) -> pl.DataFrame:
    region = rng.integers(0, REGIONS, COUNCILS)
    kind = rng.integers(0, TYPES, COUNCILS)
    neighbours = rng.integers(0, NEIGHBOURS, COUNCILS)
    parts = [
        ("England", "country", ["E92000001"] * COUNCILS),
        ("region", "region", [f"E1200000{r}" for r in region]),
        ("council type", "council_type", [f"T{k}" for k in kind]),
        ("nearest neighbours", "named", [f"N{n:02d}" for n in neighbours]),
    ]
    return pl.concat(
        pl.DataFrame(
            {
                "group": codes,
                "group_kind": [kind_name] * COUNCILS,
                "group_code": codes,
                "organisation": councils,
            }
        )
        for _, kind_name, codes in parts
    )


def _measures(measures: list[str], scale: np.ndarray) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "measure": measures,
            "polarity": [POLARITIES[m % 3] for m in range(MEASURES)],
            "scale": scale,
        }
    ).with_columns(pl.col("scale").fill_nan(None))


def _published(measures: list[str], periods: list[str], rng: np.random.Generator) -> pl.DataFrame:
    codes = ["E92000001", *(f"E1200000{r}" for r in range(REGIONS))]
    grid = pl.DataFrame({"group_code": codes}).join(
        pl.DataFrame({"measure": measures}), how="cross"
    )
    grid = grid.join(pl.DataFrame({"period": periods}), how="cross")
    return grid.with_columns(pl.Series("value", rng.uniform(10, 60, grid.height)))


def main() -> None:
    frames = synthetic()
    times, rows = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        rows = benchmark_statistics(*frames).height
        times.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "benchmark_statistics_s": round(statistics.median(times), 3),
                "benchmark_statistics_rows": rows,
            }
        )
    )


if __name__ == "__main__":
    main()
