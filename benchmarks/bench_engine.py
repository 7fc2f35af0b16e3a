"""The engine's figures, in a process of its own (so `peak_rss_mb` is the engine's): evaluate
150 organisations x 300 indicators x 60 months (2.7 million rows, shuffled) beside an expert's
minimal polars query on the same frame in the same run, and print one JSON object.

`evaluate_seconds`: everything a pack needs (the numeric pass over every row, then the latest
period's rows with their words, summaries and the call-in list). `numeric_pass_seconds`: the
numeric pass alone. `minimal_query_seconds`: variance, threshold rating and previous value in
plain polars. `peak_rss_mb`: a process of its own making the data and running one full
evaluation. A benchmark, not a test: it asserts nothing."""

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
import synthetic  # noqa: E402

from boardpack.engine import evaluate  # noqa: E402

ORGS, INDICATORS, MONTHS, RUNS = 150, 300, 60, 5
TARGET_RATIO, TARGET_PEAK_MB = 2.0, 1200


def full_evaluation(observations: pl.DataFrame, indicators: pl.DataFrame) -> None:
    """Everything a pack needs: ratings, variance, direction, previous values for every row,
    then the latest period's rows with their words, summaries by tier and the call-in list."""
    evaluated = evaluate(observations, indicators)
    rows = evaluated.report(int(observations["end_month"].max()))
    evaluated.summary(rows, "tier")
    evaluated.summary(rows, "directorate")
    evaluated.call_in(rows)


def minimal_query(observations: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """What an expert would write in plain polars: each series in period order, its variance
    from target, a threshold rating by polarity and the previous period's value."""
    polarity = indicators.select(pl.col("indicator").cast(pl.Categorical), "polarity")
    lower = pl.col("polarity") == "lower_better"

    def met(bound: str) -> pl.Expr:
        return (
            pl.when(lower)
            .then(pl.col("value") <= pl.col(bound))
            .otherwise(pl.col("value") >= pl.col(bound))
        )

    rag = pl.when(met("target")).then(pl.lit("green")).when(met("floor")).then(pl.lit("amber"))
    return (
        observations.lazy()
        .join(polarity.lazy(), on="indicator", how="left")
        .sort("indicator", "organisation", "end_month")
        .with_columns(
            (pl.col("value") - pl.col("target")).alias("variance"),
            rag.otherwise(pl.lit("red")).alias("rag"),
            pl.col("value").shift(1).over("indicator", "organisation").alias("previous_value"),
        )
        .collect()
    )


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def engine_peak_mb() -> int:
    """The peak memory of a process that makes the data and runs one full evaluation (the
    timing runs beside the minimal query and the sort would add their own copies)."""
    done = subprocess.run(
        [sys.executable, __file__, "--peak"], check=True, capture_output=True, text=True
    )
    return int(done.stdout)


def peak_only() -> None:
    indicators = synthetic.indicators(INDICATORS)
    full_evaluation(synthetic.observations(ORGS, INDICATORS, MONTHS), indicators)
    print(round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def main() -> None:
    # First, while this process is small: a child starts with its parent's peak on record.
    peak = engine_peak_mb()
    indicators = synthetic.indicators(INDICATORS)
    observations = synthetic.observations(ORGS, INDICATORS, MONTHS)
    work = {
        "evaluate": lambda: full_evaluation(observations, indicators),
        "numeric": lambda: evaluate(observations, indicators),
        "minimal": lambda: minimal_query(observations, indicators),
        "sort": lambda: observations.sort("indicator", "organisation", "end_month"),
    }
    # Interleaved, so a change in the machine's load falls on all alike, and each takes its
    # turn first (the first after another's large frames were freed pays for fresh memory).
    times: dict[str, list[float]] = {name: [] for name in work}
    names = list(work)
    for run in range(RUNS):
        for name in names[run % len(names) :] + names[: run % len(names)]:
            times[name].append(timed(work[name], 1))
    evaluate_seconds, numeric_seconds, minimal_seconds, sort_seconds = (
        statistics.median(times[name]) for name in names
    )
    ratio = evaluate_seconds / minimal_seconds
    print(
        json.dumps(
            {
                "rows": observations.height,
                "evaluate_seconds": round(evaluate_seconds, 3),
                "numeric_pass_seconds": round(numeric_seconds, 3),
                "minimal_query_seconds": round(minimal_seconds, 3),
                "ratio_to_minimal_query": round(ratio, 2),
                "evaluate_within_2x_minimal_query": ratio <= TARGET_RATIO,
                "rows_per_second": round(observations.height / evaluate_seconds),
                "peak_rss_mb": peak,
                "peak_under_1200_mb": peak < TARGET_PEAK_MB,
                "sort_seconds": round(sort_seconds, 3),
                "ratio_to_sort": round(evaluate_seconds / sort_seconds, 2),
                "cores": os.cpu_count(),
            }
        )
    )


if __name__ == "__main__":
    peak_only() if "--peak" in sys.argv else main()
