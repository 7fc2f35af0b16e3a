"""`make bench`: time building the demo council's pack end to end (load, evaluate, render)."""

import json
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
        )
        return time.perf_counter() - start


def main() -> None:
    seconds = [build_once() for _ in range(RUNS)]
    print(
        json.dumps(
            {
                "demo_pack_seconds": round(statistics.median(seconds), 2),
                "runs": [round(s, 2) for s in seconds],
            }
        )
    )


if __name__ == "__main__":
    main()
