"""Client-level records: load and every measure on N generated event rows, on DuckDB.

    python benchmarks/bench_records.py --rows 1000000 [--engine duckdb|postgres|spark]
    python benchmarks/bench_records.py --national        # 10,000,000 rows
    python benchmarks/bench_records.py --history --data /work/data-100m --temp /work/data-100m/tmp
                                                         # 100,000,000 rows, no sort

Writes plausible CLD submissions (one 12-month file per council, Release 2 labels, about
65,000 rows a council as a national quarter has) into a temporary project, then in a child
process times `load_records` and `measures_for_project` and reports the child's peak memory,
beside the time of one DuckDB sort of the loaded events by council, person and start date
(the floor) and the ratio of the two. The generator is simple random events; the synthetic
records with known answers will replace it. `--temp FOLDER` puts the child's temporary files
(DuckDB's spill, Spark's scratch and Parquet copies) in FOLDER, reports their peak size on disk
and removes them afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

ROWS_PER_COUNCIL = 65_000
EVENTS = """CASE
    WHEN u < 0.25 THEN 'Request' WHEN u < 0.45 THEN 'Assessment'
    WHEN u < 0.85 THEN 'Service' ELSE 'Review' END"""
SERVICES = """CASE
    WHEN v < 0.50 THEN 'Long term support: Community'
    WHEN v < 0.62 THEN 'Long term support: Residential care'
    WHEN v < 0.70 THEN 'Long term support: Nursing care'
    WHEN v < 0.85 THEN 'Short term support: ST-Max'
    WHEN v < 0.93 THEN 'Short term support: Ongoing low level'
    ELSE 'Short term support: Other short term' END"""
COMPONENTS = """CASE service_type
    WHEN 'Long term support: Residential care' THEN 'Long term residential care'
    WHEN 'Long term support: Nursing care' THEN 'Long term nursing care'
    WHEN 'Short term support: ST-Max' THEN 'Reablement'
    WHEN 'Short term support: Ongoing low level' THEN 'Equipment'
    ELSE CASE WHEN w < 0.25 THEN 'Direct payment' ELSE 'Home support or domiciliary care' END END"""
OUTCOMES = """CASE
    WHEN w < 0.3 THEN 'NFA: Support ended as planned'
    WHEN w < 0.5 THEN 'Progress to support planning or services'
    WHEN w < 0.6 THEN 'NFA: Information and advice or signposting'
    WHEN w < 0.7 THEN 'Progress to reablement/ST-Max'
    WHEN w < 0.8 THEN 'Continuation of support or services'
    ELSE 'Progress to assessment, review or reassessment' END"""


def generate(folder: Path, rows: int) -> None:
    """One submission per council covering April 2024 to March 2025, sent in April 2025."""
    councils = max(1, round(rows / ROWS_PER_COUNCIL))
    known = _councils()
    codes = (known * (councils // len(known) + 1))[:councils]
    con = duckdb.connect()
    con.execute("SELECT setseed(0.42)")
    records = folder / "records"
    records.mkdir(parents=True)
    for number, code in enumerate(dict.fromkeys(codes)):
        share = rows // councils * codes.count(code)
        path = records / f"{code}_2025-03-31_2025-04-2{number % 10}.csv"
        con.execute(f"COPY ({_rows_sql(code, share)}) TO '{path}' (HEADER)")
    files = "\n".join(f"    - {p.relative_to(folder)}" for p in sorted(records.glob("*.csv")))
    (folder / "boardpack.yaml").write_text(
        f"organisation:\n  code: E06000001\n  name: Benchmark\nrecords:\n  files:\n{files}\n"
    )


def _councils() -> list[str]:
    """CASSR codes of councils with a population in the reference data."""
    from boardpack.records.reference import POPULATION

    with duckdb.connect() as con:
        rows = con.execute(
            f"SELECT cassr_code FROM read_csv('{POPULATION}', all_varchar = true) "
            "WHERE pop_65_plus <> '[c]' AND pop_18_64 <> '[c]' ORDER BY cassr_code"
        ).fetchall()
    return [code for (code,) in rows]


def _rows_sql(code: str, count: int) -> str:
    people = max(1, count // 6)
    return f"""
    WITH r AS (
        SELECT i, random() AS u, random() AS v, random() AS w,
               CAST(floor(random() * {people}) AS BIGINT) AS person,
               DATE '2024-04-01' + CAST(floor(random() * 365) AS INTEGER) AS start_date,
               CAST(floor(random() * 120) AS INTEGER) AS length
        FROM range({count}) t(i)
    ), e AS (
        SELECT *, {EVENTS} AS event_type, {SERVICES} AS service_type FROM r
    )
    SELECT '{code}' AS LA_Code, DATE '2024-04-01' AS Reporting_Period_Start_Date,
        DATE '2025-03-31' AS Reporting_Period_End_Date,
        CASE WHEN person % 50 = 0 THEN NULL ELSE CAST(9000000000 + person AS VARCHAR) END
            AS NHS_Number,
        'P' || person AS LA_Person_Unique_Identifier,
        CASE WHEN person % 2 = 0 THEN 'Female' ELSE 'Male' END AS Gender,
        'White: English, Welsh, Scottish, Northern Irish or British' AS Ethnicity,
        DATE '1930-01-01' + CAST(person % 25000 AS INTEGER) AS Date_of_Birth,
        NULL AS Date_of_Death,
        'Service user' AS Client_Type,
        CASE WHEN person % 7 = 0 THEN 'Learning Disability Support'
             ELSE 'Physical support: Personal care support' END AS Primary_Support_Reason,
        'Owner occupier or shared ownership scheme' AS Accommodation_Status,
        'No' AS Has_Unpaid_Carer,
        event_type AS Event_Type,
        start_date AS Event_Start_Date,
        CASE WHEN event_type = 'Service' AND v < 0.7 AND w < 0.6 THEN NULL
             ELSE LEAST(start_date + length, DATE '2025-03-31') END AS Event_End_Date,
        CASE WHEN event_type = 'Service' AND v < 0.7 THEN NULL ELSE {OUTCOMES} END AS Event_Outcome,
        CASE WHEN event_type = 'Request' THEN 'Community or other route' END
            AS Request_Route_of_Access,
        CASE WHEN event_type = 'Assessment' THEN 'Long term assessment' END AS Assessment_Type,
        CASE WHEN event_type = 'Service' THEN service_type END AS Service_Type,
        CASE WHEN event_type = 'Service' THEN {COMPONENTS} END AS Service_Component,
        CASE WHEN event_type = 'Review' THEN 'Planned' END AS Review_Reason,
        CASE WHEN event_type = 'Service' AND v < 0.5 THEN round(100 + 400 * w, 2) END AS Unit_Cost,
        CASE WHEN event_type = 'Service' AND v < 0.5 THEN 'Weekly' END AS Cost_Frequency_Unit_Type
    FROM e
    """


class PeakMemory:
    """The process's resident memory, sampled every 50 ms, its peak kept per phase."""

    def __init__(self) -> None:
        self.phase, self.peaks = "start", {}
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            rss = _rss()
            self.peaks[self.phase] = max(self.peaks.get(self.phase, 0), rss)
            time.sleep(0.05)


class PeakDisk:
    """The size on disk of the temporary folder, sampled every 2 s, its peak kept."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.peak = folder, 0
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, _disk_used(self.folder))
            time.sleep(2)


def _disk_used(folder: Path) -> int:
    used = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                used += os.stat(os.path.join(root, name)).st_blocks * 512
            except OSError:  # removed while walking
                pass
    return used


def _rss() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def run(folder: Path, engine: str, master: str, sort: bool = True) -> dict:
    """In this process: load, compute, sort (unless not `sort`); the times and the peak
    memory of each, the peak size of the temporary folder and of the records database."""
    from boardpack.catalogue import load_project_file
    from boardpack.records import load_records, measures_for_project
    from boardpack.records.store import database_path

    memory, disk = PeakMemory(), PeakDisk(Path(tempfile.gettempdir()))
    project = load_project_file(folder)
    memory.phase = "load"
    start, cpu_start = time.perf_counter(), time.process_time()
    loaded = load_records(project)
    loaded_at, cpu_loaded = time.perf_counter(), time.process_time()
    memory.phase = "measures"
    options = {"master": master} if engine == "spark" else {}
    frame, _ = measures_for_project(project, engine=engine, **options)
    done, cpu_done = time.perf_counter(), time.process_time()
    compared = {}
    if engine != "duckdb":
        memory.phase = "measures on duckdb"
        duck, _ = measures_for_project(project)
        compared = {
            "duckdb_measures_s": time.perf_counter() - done,
            "identical": frame.equals(duck),
        }
    database_gb = database_path(project).stat().st_size / 2**30
    memory.phase = "sort"
    sort_s = _sort(project) if sort else None
    time.sleep(0.1)
    return {
        "peak_gb": {phase: round(peak / 2**30, 2) for phase, peak in memory.peaks.items()},
        "peak_temp_gb": round(disk.peak / 2**30, 2),
        "database_gb": round(database_gb, 2),
        "rows": loaded.rows,
        "councils": len(loaded.organisations),
        "load_s": loaded_at - start,
        "measures_s": done - loaded_at,
        "measure_rows": frame.height,
        "sort_s": sort_s,
        # CPU seconds of the process (every thread): steadier than wall time on a shared machine
        "load_cpu_s": round(cpu_loaded - cpu_start, 1),
        "measures_cpu_s": round(cpu_done - cpu_loaded, 1),
        **compared,
    }


def _sort(project) -> float:
    """One DuckDB sort of the loaded events by council, person and start date (the floor)."""
    from boardpack.records.engines import duckdb_settings
    from boardpack.records.store import database_path

    with duckdb.connect(str(database_path(project)), read_only=True) as con:
        duckdb_settings(con, keep_order=False)  # the same memory cap as the load and measures
        con.execute("CREATE TEMP TABLE sorted AS SELECT * FROM cld_records LIMIT 0")
        sort_start = time.perf_counter()
        con.execute(
            "INSERT INTO sorted SELECT * FROM cld_records "
            "ORDER BY organisation, nhs_number, la_person_unique_identifier, event_start_date"
        )
        return time.perf_counter() - sort_start


def measure(args: argparse.Namespace, folder: Path) -> tuple[dict, float]:
    """Generate the rows into `folder` (unless a run with as many rows left them there), run
    the child; its result and peak memory in GB."""
    marker = folder / "rows.txt"
    if not (marker.exists() and marker.read_text() == str(args.rows)):
        started = time.perf_counter()
        shutil.rmtree(folder / "records", ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        generate(folder, args.rows)
        marker.write_text(str(args.rows))
        print(
            f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    child = [sys.executable, __file__, "--run", str(folder), "--engine", args.engine]
    child += ["--spark-master", args.spark_master] + ([] if args.sort else ["--no-sort"])
    env = dict(os.environ)
    if args.temp:
        args.temp.mkdir(parents=True, exist_ok=True)
        env["TMPDIR"] = str(args.temp)
    try:
        done = subprocess.run(child, capture_output=True, text=True, env=env)
    finally:
        if args.temp:
            shutil.rmtree(args.temp, ignore_errors=True)
    if done.returncode:
        sys.exit(f"the benchmark run failed:\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
    return json.loads(done.stdout), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "postgres", "spark"])
    parser.add_argument(
        "--national", action="store_true", help="10,000,000 rows (the issue's target size)"
    )
    parser.add_argument(
        "--data", type=Path, help="keep the generated submissions in this folder and reuse them"
    )
    parser.add_argument(
        "--history", action="store_true", help="100,000,000 rows (the national history), no sort"
    )
    parser.add_argument(
        "--temp", type=Path, help="the run's temporary files (DuckDB's spill) here, removed after"
    )
    parser.add_argument(
        "--no-sort", dest="sort", action="store_false", help="skip the sort (the floor)"
    )
    parser.add_argument("--spark-master", default="local[2]", help="for --engine spark")
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.national:
        args.rows = 10_000_000
    if args.history:
        args.rows, args.sort = 100_000_000, False
    if args.run:
        print(json.dumps(run(args.run, args.engine, args.spark_master, args.sort)))
        return
    load_before = os.getloadavg()
    if args.data:
        result, peak = measure(args, args.data)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-records-") as temp:
            result, peak = measure(args, Path(temp))
    total = result["load_s"] + result["measures_s"]
    sort = result["sort_s"]
    floor = (
        f"one DuckDB sort of the events {sort:.1f} s, ratio {total / sort:.1f}; " if sort else ""
    )
    print(
        f"{result['rows']:,} rows, {result['councils']} councils, engine {args.engine}: "
        f"load {result['load_s']:.1f} s, measures {result['measures_s']:.1f} s "
        f"({result['measure_rows']:,} figures), total {total:.1f} s, peak memory {peak:.2f} GB; "
        f"{floor}peak memory by phase (GB) {result['peak_gb']}; temporary files at most "
        f"{result['peak_temp_gb']} GB, records database {result['database_gb']} GB; "
        f"CPU seconds: load {result['load_cpu_s']}, measures {result['measures_cpu_s']}; "
        f"load average {_load(load_before)} before, {_load(os.getloadavg())} after",
        file=sys.stderr,
    )
    if "identical" in result:
        print(
            f"the same measures on DuckDB: {result['duckdb_measures_s']:.1f} s; "
            f"{args.engine} / DuckDB {result['measures_s'] / result['duckdb_measures_s']:.1f}; "
            f"identical: {result['identical']}",
            file=sys.stderr,
        )
    summary = {
        "engine": args.engine,
        "total_seconds": round(total, 1),
        "ratio_to_sort": round(total / sort, 1) if sort else None,
        "peak_memory_gb": round(peak, 2),
    }
    print(json.dumps({**result, **summary}))


def _load(average: tuple[float, float, float]) -> str:
    return " ".join(f"{value:.1f}" for value in average)


if __name__ == "__main__":
    main()
