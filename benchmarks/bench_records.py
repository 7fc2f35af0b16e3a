"""Client-level records: load and every measure on N generated event rows, on DuckDB.

    python benchmarks/bench_records.py --rows 1000000 [--engine duckdb|postgres|spark]

Writes plausible CLD submissions (one 12-month file per council, Release 2 labels, about
65,000 rows a council as a national quarter has) into a temporary project, then in a child
process times `load_records` and `measures_for_project` and reports the child's peak memory,
beside the time of one DuckDB sort of the loaded events by council, person and start date
(the floor) and the ratio of the two. The generator is simple random events; the synthetic
records with known answers will replace it.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
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


def run(folder: Path, engine: str) -> dict:
    """In this process: load, compute, sort; the times."""
    from boardpack.catalogue import load_project_file
    from boardpack.records import load_records, measures_for_project
    from boardpack.records.store import database_path

    project = load_project_file(folder)
    start = time.perf_counter()
    loaded = load_records(project)
    loaded_at = time.perf_counter()
    frame, _ = measures_for_project(project, engine=engine)
    done = time.perf_counter()
    with duckdb.connect(str(database_path(project)), read_only=True) as con:
        con.execute("CREATE TEMP TABLE sorted AS SELECT * FROM cld_records LIMIT 0")
        sort_start = time.perf_counter()
        con.execute(
            "INSERT INTO sorted SELECT * FROM cld_records "
            "ORDER BY organisation, nhs_number, la_person_unique_identifier, event_start_date"
        )
        sort = time.perf_counter() - sort_start
    return {
        "rows": loaded.rows,
        "councils": len(loaded.organisations),
        "load_s": loaded_at - start,
        "measures_s": done - loaded_at,
        "measure_rows": frame.height,
        "sort_s": sort,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "postgres", "spark"])
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(args.run, args.engine)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-records-") as temp:
        folder = Path(temp)
        started = time.perf_counter()
        generate(folder, args.rows)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
        child = [sys.executable, __file__, "--run", str(folder), "--engine", args.engine]
        done = subprocess.run(child, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"the benchmark run failed:\n{done.stderr}")
        result = json.loads(done.stdout)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
    total = result["load_s"] + result["measures_s"]
    print(
        f"{result['rows']:,} rows, {result['councils']} councils, engine {args.engine}: "
        f"load {result['load_s']:.1f} s, measures {result['measures_s']:.1f} s "
        f"({result['measure_rows']:,} figures), total {total:.1f} s, peak memory {peak:.2f} GB; "
        f"one DuckDB sort of the events {result['sort_s']:.1f} s, "
        f"ratio {total / result['sort_s']:.1f}"
    )


if __name__ == "__main__":
    main()
