"""Time the demo council's pack in every period layout and every format, each as
`boardpack build --layout L --format F` writes it alone (load, evaluate, render the charts,
and for PDF and DOCX the site they are made from), a fresh process each time. Targets on the
2-core machine: HTML under 10 s (every build cold: a new chart store each time), PDF under 60 s, XLSX and DOCX under 10 s each.
Prints one JSON object: `demo_<layout>_<format>_seconds` (wall clock) and `..._cpu_seconds`
(every process: chart workers run on both cores at once), and the slowest of each format."""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from boardpack.pack.layouts import LAYOUTS

DEMO = Path(__file__).resolve().parent.parent / "examples" / "example-county"
FORMATS = {"html": "index.html", "pdf": "pack.pdf", "xlsx": "pack.xlsx", "docx": "pack.docx"}
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 1


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_once(layout: str, fmt: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all processes) of one build."""
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "boardpack.cli", "build", str(DEMO)]
        command += ["--layout", layout, "--out", out, "--format", fmt]
        cpu = children_cpu()
        start = time.perf_counter()
        cache = {**os.environ, "BOARDPACK_CACHE": str(Path(out) / ".charts")}
        subprocess.run(command, check=True, capture_output=True, env=cache)
        seconds = time.perf_counter() - start
        if not (Path(out) / FORMATS[fmt]).is_file():
            raise RuntimeError(f"boardpack build --layout {layout} --format {fmt} wrote nothing")
        return seconds, children_cpu() - cpu


def period_layouts() -> list[str]:
    return [name for name, layout in LAYOUTS.items() if layout.source == "period"]


def document_seconds() -> dict[str, float]:
    """Median wall-clock and CPU seconds per layout and format, and the slowest layout's
    wall-clock seconds per format."""
    figures: dict[str, float] = {}
    for fmt in FORMATS:
        slowest = 0.0
        for layout in period_layouts():
            runs = [build_once(layout, fmt) for _ in range(RUNS)]
            name = f"demo_{layout.replace('-', '_')}_{fmt}"
            figures[f"{name}_seconds"] = round(statistics.median(w for w, _ in runs), 2)
            figures[f"{name}_cpu_seconds"] = round(statistics.median(c for _, c in runs), 2)
            slowest = max(slowest, figures[f"{name}_seconds"])
        figures[f"demo_slowest_{fmt}_seconds"] = slowest
    return figures


if __name__ == "__main__":
    print(json.dumps(document_seconds()))
