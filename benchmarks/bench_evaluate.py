"""`make bench`: evaluate 150 organisations x 300 indicators x 60 months (2.7 million rows,
shuffled), time building the demo pack and SPC over 100,000 series, and print one JSON object
of figures. A benchmark,
not a test: it asserts nothing; docs/performance.md records its figures and the targets."""

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
from bench_demo_pack import demo_pack_seconds  # noqa: E402

from boardpack.engine import evaluate  # noqa: E402

ORGS, INDICATORS, MONTHS, RUNS = 150, 300, 60, 5


def full_evaluation(observations: pl.DataFrame, indicators: pl.DataFrame) -> None:
    """Everything a pack needs: ratings with reasons, variance, direction, previous values,
    then the latest period's rows, summaries by tier and the call-in list."""
    evaluated = evaluate(observations, indicators)
    rows = evaluated.report(int(observations["end_month"].max()))
    evaluated.summary(rows, "tier")
    evaluated.summary(rows, "directorate")
    evaluated.call_in(rows)


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    # The other benchmarks run first, in their own processes, while this one is still small:
    # a child process starts with its parent's peak memory on record.
    spc = spc_figures()
    national = {**run_script("bench_benchmarking.py"), **run_script("bench_benchmark.py")}
    documents = run_script("bench_documents.py")
    demo = demo_pack_seconds()
    indicators = synthetic.indicators(INDICATORS)
    observations = synthetic.observations(ORGS, INDICATORS, MONTHS)
    evaluate_seconds = timed(lambda: full_evaluation(observations, indicators), RUNS)
    sort_seconds = timed(lambda: observations.sort("indicator", "organisation", "end_month"), RUNS)
    print(
        json.dumps(
            {
                "rows": observations.height,
                "evaluate_seconds": round(evaluate_seconds, 3),
                "rows_per_second": round(observations.height / evaluate_seconds),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "sort_seconds": round(sort_seconds, 3),
                "ratio_to_sort": round(evaluate_seconds / sort_seconds, 2),
                "cores": os.cpu_count(),
                "demo_pack_seconds": demo,
                **spc,
                **national,
                **documents,
            }
        )
    )


def spc_figures() -> dict:
    """`bench_spc.py` and `bench_abspc.py` each in its own process, so each benchmark's peak
    memory is its own; then Boardpack's time per series against abspc's."""
    figures = {**run_script("bench_spc.py"), **run_script("bench_abspc.py")}
    ours = figures["spc_seconds"] / figures["series"]
    figures = {
        f"spc_{k}" if not k.startswith(("spc_", "abspc_")) else k: v for k, v in figures.items()
    }
    figures["spc_seconds_per_series"] = ours
    figures["spc_times_faster_than_abspc"] = round(figures["abspc_seconds_per_series"] / ours)
    return figures


def run_script(name: str) -> dict:
    script = Path(__file__).with_name(name)
    done = subprocess.run([sys.executable, str(script)], check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


if __name__ == "__main__":
    main()
