"""Reading figures: a tidy CSV of at least 2M rows through Boardpack's reader, beside polars
reading the same file, and the web benchmark's project (60,500 rows) re-imported.

    python benchmarks/bench_ingest.py [--rows 2000000]

The big file is the example county's figures repeated, each copy for another organisation,
in a temporary project with the example's catalogue. `ingest_rows_per_second` is
`load_figures` on it (read, every cell checked, one observations frame), and
`ingest_quoted_rows_per_second` the same for the file written as Excel writes values holding
commas (every third numerator `"4,732"`, every fifth note a quoted sentence with a comma);
`polars_read_csv_rows_per_second` is `polars.read_csv` of the same file as text (its
value column holds `[c]` and the like), timed alternately in the same run (best of `--repeat` each). The re-import is
`import_project` of the web benchmark's council into a fresh SQLite store, then again with
the next month's file added (`demo_reimport_seconds`), as `bench_web.py` measures it;
`demo_read_seconds` is the reading part of it (`load_project`), and
`demo_reimport_cpu_seconds` the processor time the re-import took (all of the process's
threads; less swayed by other work on a loaded machine than the clock). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
import yaml
from targets import targets_missed

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "example-county"


def big_project(folder: Path, rows: int, quoted: bool = False) -> Path:
    """The example county's figures repeated to `rows` rows, one organisation a copy; with
    `quoted`, written as Excel writes values holding commas (`quoted_figures`)."""
    lines = (EXAMPLE / "data" / "figures.csv").read_text(encoding="utf-8").splitlines()
    header, body = lines[0], lines[1:]
    if quoted:
        body = quoted_figures(header, body)
    (folder / "data").mkdir(parents=True)
    with open(folder / "data" / "figures.csv", "w", encoding="utf-8") as out:
        out.write(header + "\n")
        written, copy = 0, 0
        while written < rows:
            code = f"E{copy:08d}"
            chunk = [line.replace("E99999999", code) for line in body[: rows - written]]
            out.write("\n".join(chunk) + "\n")
            written, copy = written + len(chunk), copy + 1
    config = yaml.safe_load((EXAMPLE / "boardpack.yaml").read_text(encoding="utf-8"))
    for part in ("commentary", "overrides"):
        config.pop(part, None)
    # The figures file alone: the example's other data files (its wide workforce tracker) are
    # not copied.
    config["data"] = [entry for entry in config["data"] if entry["file"] == "data/figures.csv"]
    (folder / "boardpack.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return folder


def quoted_figures(header: str, body: list[str]) -> list[str]:
    """Every third numerator written with its thousands separated and quoted (`"4,732"`),
    every fifth note a quoted sentence holding a comma."""
    columns = header.split(",")
    numerator, note = columns.index("numerator"), columns.index("note")
    lines = []
    for number, line in enumerate(body):
        cells = line.split(",")
        if number % 3 == 0 and cells[numerator].isdigit():
            cells[numerator] = f'"{int(cells[numerator]):,}"'
        if number % 5 == 0 and not cells[note]:
            cells[note] = '"Refreshed, with the April return"'
        lines.append(",".join(cells))
    return lines


def timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def ingest(rows: int, repeat: int) -> dict:
    from boardpack.catalogue import load_project_file
    from boardpack.sources.figures import load_figures

    with tempfile.TemporaryDirectory() as tmp:
        folder = big_project(Path(tmp) / "big-county", rows)
        csv = folder / "data" / "figures.csv"
        megabytes = csv.stat().st_size / 1024 / 1024
        os.environ["BOARDPACK_MAX_ROWS"] = str(rows + 1)
        os.environ["BOARDPACK_MAX_UPLOAD_MB"] = str(int(megabytes) + 1)
        project = load_project_file(folder)
        ours, floor, read = [], [], 0
        for _ in range(repeat):
            seconds, frame = timed(lambda: pl.read_csv(csv, infer_schema=False))
            floor.append(seconds)
            seconds, figures = timed(
                lambda: load_figures(project, project.folder, project.organisation.code)
            )
            ours.append(seconds)
            read = figures.observations.height
        if read != rows:
            raise RuntimeError(f"read {read:,} observations of {rows:,} rows")
    return {
        "ingest_rows": rows,
        "ingest_file_mb": round(megabytes, 1),
        "ingest_seconds": round(min(ours), 3),
        "ingest_rows_per_second": round(rows / min(ours)),
        "polars_read_csv_seconds": round(min(floor), 3),
        "polars_read_csv_rows_per_second": round(frame.height / min(floor)),
        "ingest_over_polars": round(min(ours) / min(floor), 2),
    }


def ingest_quoted(rows: int, repeat: int) -> dict:
    """`load_figures` on the big file written with quotes (`quoted_figures`): its clock time
    and processor time (all threads), best of `repeat` each."""
    from boardpack.catalogue import load_project_file
    from boardpack.sources.figures import load_figures

    with tempfile.TemporaryDirectory() as tmp:
        folder = big_project(Path(tmp) / "quoted-county", rows, quoted=True)
        csv = folder / "data" / "figures.csv"
        os.environ["BOARDPACK_MAX_ROWS"] = str(rows + 1)
        os.environ["BOARDPACK_MAX_UPLOAD_MB"] = str(int(csv.stat().st_size / 1024 / 1024) + 1)
        project = load_project_file(folder)
        clock, cpu, read = [], [], 0
        for _ in range(repeat):
            started = time.process_time()
            seconds, figures = timed(
                lambda: load_figures(project, project.folder, project.organisation.code)
            )
            cpu.append(time.process_time() - started)
            clock.append(seconds)
            read = figures.observations.height
        if read != rows:
            raise RuntimeError(f"read {read:,} observations of {rows:,} quoted rows")
    return {
        "ingest_quoted_seconds": round(min(clock), 3),
        "ingest_quoted_cpu_seconds": round(min(cpu), 3),
        "ingest_quoted_rows_per_second": round(rows / min(clock)),
    }


def reimport() -> dict:
    """The web benchmark's council imported, then re-imported with its next month added."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_web

    os.environ.setdefault("BOARDPACK_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.pop("BOARDPACK_MAX_ROWS", None)
    os.environ.pop("BOARDPACK_MAX_UPLOAD_MB", None)
    from django.core.management import call_command

    from boardpack.sources import load_project
    from boardpack.web import setup

    with tempfile.TemporaryDirectory() as tmp:
        setup(str(Path(tmp) / "store.sqlite3"))
        call_command("migrate", verbosity=0, interactive=False)
        from boardpack.web.store import import_project

        folder = bench_web.write_project(Path(tmp) / "benchmark-borough")
        first, _ = timed(lambda: import_project(folder))
        bench_web.list_data(folder, ["data/figures.csv", "data/latest.csv"])
        read, dataset = timed(lambda: load_project(folder))
        cpu = time.process_time()
        again, _ = timed(lambda: import_project(folder, reason="April figures"))
        cpu = time.process_time() - cpu
    return {
        "demo_rows": dataset.observations.height,
        "demo_first_import_seconds": round(first, 3),
        "demo_read_seconds": round(read, 3),
        "demo_reimport_seconds": round(again, 3),
        "demo_reimport_cpu_seconds": round(cpu, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-import", action="store_true", help="skip the re-import")
    args = parser.parse_args()
    figures = {"load_average": [round(n, 2) for n in os.getloadavg()]}
    figures |= ingest(args.rows, args.repeat)
    figures |= ingest_quoted(args.rows, args.repeat)
    if not args.no_import:
        figures |= reimport()
    figures["targets_missed"] = targets_missed(figures, all_measured=False)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
