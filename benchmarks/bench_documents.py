"""Time the demo council's pack as documents: PDF, XLSX and DOCX, each as `boardpack build
--format` writes it alone (load, evaluate, and for PDF and DOCX the site they are made from),
a fresh process each time. Targets on the 2-core machine: PDF under 60 s, XLSX and DOCX under
10 s each. Prints one JSON object."""

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "examples" / "example-county"
FORMATS = ("pdf", "xlsx", "docx")
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 1


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_once(fmt: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all processes) of one build."""
    with tempfile.TemporaryDirectory() as out:
        cpu = children_cpu()
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "boardpack.cli",
                "build",
                str(DEMO),
                "--out",
                out,
                "--format",
                fmt,
            ],
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - start
        if not (Path(out) / f"pack.{fmt}").is_file():
            raise RuntimeError(f"boardpack build --format {fmt} wrote no pack.{fmt}")
        return seconds, children_cpu() - cpu


def document_seconds() -> dict[str, float]:
    """Median wall-clock and CPU seconds of `boardpack build --format F` on the demo, per
    format (CPU counts every process: chart workers run on both cores at once)."""
    figures = {}
    for fmt in FORMATS:
        runs = [build_once(fmt) for _ in range(RUNS)]
        figures[f"demo_{fmt}_seconds"] = round(statistics.median(w for w, _ in runs), 2)
        figures[f"demo_{fmt}_cpu_seconds"] = round(statistics.median(c for _, c in runs), 2)
    return figures


if __name__ == "__main__":
    print(json.dumps(document_seconds()))
