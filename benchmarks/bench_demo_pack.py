"""Time building the demo council's pack end to end (load, evaluate, render), as a user runs it
the first time: every chart drawn, into a new chart store."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "examples" / "example-county"
RUNS = 3


def build_once() -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "boardpack.cli", "build", str(DEMO), "--out", out],
            check=True,
            capture_output=True,
            env={**os.environ, "BOARDPACK_CACHE": str(Path(out) / "charts")},
        )
        return time.perf_counter() - start


def demo_pack_seconds() -> float:
    """Median wall-clock seconds of `boardpack build` on the demo, a fresh process each time."""
    return round(statistics.median(build_once() for _ in range(RUNS)), 2)


if __name__ == "__main__":
    print(json.dumps({"demo_pack_seconds": demo_pack_seconds()}))
