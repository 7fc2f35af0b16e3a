"""The national benchmarking targets on the real ASCOF publication: importing the ODS and
computing every benchmark statistic (target under 20 s), and building the benchmarking pack for
every council (target under 5 minutes, peak memory under 2 GB). Prints one JSON object; a
benchmark, not a test: it asserts nothing."""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from boardpack.api import national as national_picture

PROJECT = Path(__file__).resolve().parent.parent / "examples" / "ascof-england"


def import_and_statistics() -> tuple[float, int]:
    """Seconds to read the publication, organisations and groups, and compute the statistics."""
    start = time.perf_counter()
    national = national_picture(PROJECT)
    return time.perf_counter() - start, national.statistics.height


def all_councils_pack() -> tuple[float, int, int]:
    """Seconds, councils and peak memory (MB, the largest process) of
    `boardpack build --all-organisations`, run as a user runs it the first time (a new chart
    store)."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "boardpack.cli", "build", str(PROJECT)]
            + ["--all-organisations", "--out", out],
            check=True,
            capture_output=True,
            env={**os.environ, "BOARDPACK_CACHE": str(Path(out) / ".charts")},
        )
        seconds = time.perf_counter() - start
        councils = sum(1 for page in Path(out).glob("*/index.html"))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return seconds, councils, peak


if __name__ == "__main__":
    pack_seconds, councils, peak = all_councils_pack()  # first: children's peak is their own
    import_seconds, rows = import_and_statistics()
    print(
        json.dumps(
            {
                "benchmarking_import_and_statistics_seconds": round(import_seconds, 2),
                "benchmarking_statistics_rows": rows,
                "benchmarking_all_councils_pack_seconds": round(pack_seconds, 1),
                "benchmarking_councils": councils,
                "benchmarking_pack_peak_rss_mb": peak,
            }
        )
    )
