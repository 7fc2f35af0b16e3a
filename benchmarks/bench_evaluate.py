"""`make bench`: the engine's figures (`bench_engine.py`: evaluate 150 organisations x 300
indicators x 60 months, 2.7 million rows, shuffled, beside a minimal polars query on the same
frame), building the demo pack and SPC over 100,000 series, printed as one JSON object. A
benchmark, not a test: it asserts nothing; docs/performance.md records its figures and the
targets."""

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_demo_pack import demo_pack_seconds  # noqa: E402


def main() -> None:
    # Every benchmark runs in its own process, so each one's peak memory is its own.
    spc = spc_figures()
    national = {**run_script("bench_benchmarking.py"), **run_script("bench_benchmark.py")}
    documents = run_script("bench_documents.py")
    demo = demo_pack_seconds()
    engine = run_script("bench_engine.py")  # its own process: its peak memory is the engine's
    print(
        json.dumps(
            {
                **engine,
                "load_average": os.getloadavg()[0],
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
