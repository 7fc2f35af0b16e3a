"""`make bench`: the figures of speed at the floor, as one JSON object.

Runs, each in a process of its own (so each one's peak memory is its own):

- `bench_engine.py`: `evaluate_seconds` beside `minimal_query_seconds` (same frame, same run)
  and `peak_rss_mb`;
- `bench_packs.py`: `charts_per_pack`, `chart_ms_mean` beside `chart_serial_floor_ms_mean`,
  `demo_html/pdf/docx/xlsx_seconds`, `demo_rebuild_seconds` and the big council's
  `big_council_html_cold/warm_seconds` and `big_council_docx_seconds`;
- `bench_ingest.py`: `ingest_rows_per_second` beside `polars_read_csv_rows_per_second` on the
  same file (at least 2M rows), `ingest_quoted_rows_per_second` (the same rows with values
  and notes quoted as Excel writes them), and `demo_reimport_seconds` (the web benchmark's
  60,500-row council re-imported with a new month).

- `bench_web.py` (SQLite and the PostgreSQL server of `BOARDPACK_BENCH_POSTGRES`): p95 with 20
  clients; `bench_publish.py`: publishing the demo council's pack, prepared and at the click;
- `hostile_uploads.py`: the hostile set against `boardpack serve --demo --workers 2`: the slowest
  refusal, clear errors, the other requests answered, peak memory;
- `bench_records.py --rows 1000000`: client-level records loaded and measured, the ratio to one
  DuckDB sort, peak memory (`--national` for 10M rows is run by hand: it takes minutes).

Writes them to `build/bench.json` and prints the same object: every script's figures under
its own name, the figures the targets are set on at the top level, the one-minute load average
before and after each script, and `targets_missed`. A benchmark, not a test: it asserts
nothing, and figures taken on a busy machine are not target figures (`docs/performance.md`).

    python benchmarks/bench_all.py [--only engine,packs,ingest,web,publish,hostile,records] [--out build/bench.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from targets import targets_missed

HERE = Path(__file__).resolve().parent
#: The web benchmark makes and drops a database of this PostgreSQL server.
POSTGRES = os.environ.get(
    "BOARDPACK_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/boardpack_bench"
)
SCRIPTS = {  # name -> the script and its arguments
    "engine": ["bench_engine.py"],
    "packs": ["bench_packs.py"],
    "ingest": ["bench_ingest.py"],
    "web": ["bench_web.py", "--postgres", POSTGRES],
    "publish": ["bench_publish.py"],
    "hostile": ["hostile_uploads.py"],
    "records": ["bench_records.py", "--rows", "1000000"],
}
#: The figures the targets are set on (and those read beside them), by the script giving them.
HEADLINE = {
    "engine": ("evaluate_seconds", "minimal_query_seconds", "peak_rss_mb"),
    "packs": (
        "charts_per_pack",
        "chart_ms_mean",
        "chart_serial_floor_ms_mean",
        "demo_html_seconds",
        "demo_pdf_seconds",
        "demo_docx_seconds",
        "demo_xlsx_seconds",
        "demo_rebuild_seconds",
        "big_council_html_cold_seconds",
        "big_council_html_warm_seconds",
        "big_council_docx_seconds",
    ),
    "ingest": (
        "ingest_rows_per_second",
        "ingest_quoted_rows_per_second",
        "polars_read_csv_rows_per_second",
        "demo_reimport_seconds",
    ),
    # (name, path) where the script's figure is nested
    "web": (("web_sqlite_p95_ms", "sqlite.p95_ms"), ("web_postgresql_p95_ms", "postgresql.p95_ms")),
    "publish": (
        ("demo_publish_prepared_seconds", "layouts.quarterly-report.prepared_publish_seconds"),
        ("demo_publish_at_click_seconds", "layouts.quarterly-report.build_seconds"),
    ),
    "hostile": (
        ("hostile_slowest_upload_seconds", "slowest_upload_seconds"),
        ("hostile_all_clear_errors", "all_clear_errors"),
        ("hostile_poller_failures", "poller_failures"),
        ("hostile_peak_memory_mb", "peak_proportional_memory_mb"),
    ),
    "records": (
        ("records_rows", "rows"),
        ("records_total_seconds", "total_seconds"),
        ("records_ratio_to_sort", "ratio_to_sort"),
        ("records_peak_memory_gb", "peak_memory_gb"),
    ),
}


def headline(name: str, result: dict) -> dict:
    """The script's figures named in `HEADLINE`, found by their paths in its JSON."""
    figures = {}
    for entry in HEADLINE[name]:
        figure, path = (entry, entry) if isinstance(entry, str) else entry
        value = result
        for step in path.split("."):
            value = value.get(step) if isinstance(value, dict) else None
        if value is not None:
            figures[figure] = value
    return figures


def run(name: str) -> dict:
    """One script's JSON, with the load average around it; its error if it failed."""
    command = [sys.executable, str(HERE / SCRIPTS[name][0]), *SCRIPTS[name][1:]]
    before = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    timing = {
        "script_seconds": round(time.perf_counter() - started, 1),
        "load_before": round(before, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-5:]
        return {**timing, "error": f"{SCRIPTS[name][0]} failed: " + " / ".join(tail)}
    try:
        return {**json.loads(done.stdout), **timing}
    except json.JSONDecodeError:
        return {**timing, "error": f"{SCRIPTS[name][0]} printed no JSON object"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SCRIPTS), help="scripts to run, by name")
    parser.add_argument("--out", type=Path, default=HERE.parent / "build" / "bench.json")
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SCRIPTS]
    if unknown:
        parser.error(f"--only names {', '.join(unknown)}; choose from {', '.join(SCRIPTS)}")
    scripts = {name: run(name) for name in chosen}
    figures: dict = {"cores": os.cpu_count()}
    for name, result in scripts.items():
        figures |= headline(name, result)
    figures["load_averages"] = {
        name: [result["load_before"], result["load_after"]] for name, result in scripts.items()
    }
    figures["targets_missed"] = targets_missed(figures)
    figures["scripts"] = scripts
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(figures)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
