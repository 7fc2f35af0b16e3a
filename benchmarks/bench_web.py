"""The web app under load: a council with 500 indicators x 10 years of monthly figures (60,000
observations) imported into the store, then served by `boardpack serve` (waitress, one process per
core unless `--workers` says) to 20 signed-in officers at once, each fetching the dashboard and
random indicator pages.

Prints one JSON object with a member per database: SQLite always, PostgreSQL too when
`--postgres URL` (or BOARDPACK_BENCH_POSTGRES) names a database to create, use and drop.

Each database runs in a process of its own (Django's database is fixed when it starts), and
the server in another, so the clients' threads do not share an interpreter with it. The load
starts once the server says its charts are drawn and its pages made (`--cold`: at once).
Clients are a closed loop: each sends its next request when a page arrives, after `--think`
seconds (default 0, the harshest reading: every client always waiting), and keeps the cookies
the server sets, as a browser does. Latency is measured by the clients: from sending a request
to reading the whole response.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

INDICATORS = 500
YEARS = 10
FIRST_YEAR = 2016  # April 2016 to March 2026, then April 2026 as the new period
CODE = "E99000001"
DIRECTORATES = ("Adults", "Children", "Place", "Resources", "Public Health")
TIERS = ("Strategic", "KPI", "Operational")
PERSPECTIVES = ("Customer", "Finance", "Process", "People")
MONTHS = ("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec").split()
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/boardpack_bench"


# --- the synthetic council -----------------------------------------------------------------


def month_label(index: int) -> str:
    """Month `index` counted from April of FIRST_YEAR, as "Apr 2016"."""
    month = 3 + index
    return f"{MONTHS[month % 12]} {FIRST_YEAR + month // 12}"


def indicator_entry(i: int) -> dict:
    higher = i % 2 == 0
    return {
        "ref": f"BM{i:03d}",
        "title": f"Benchmark indicator {i}",
        "tier": TIERS[i % len(TIERS)],
        "directorate": DIRECTORATES[i % len(DIRECTORATES)],
        "perspective": PERSPECTIVES[i % len(PERSPECTIVES)],
        "polarity": "higher_better" if higher else "lower_better",
        "unit": "percent",
        "frequency": "monthly",
        "owners": {"division": f"Division {i % 25}", "lead_officer": f"Officer {i % 40}"},
        "targets": [
            {
                "period": f"{year}/{(year + 1) % 100:02d}",
                "target": 60 if higher else 40,
                "floor": 50,
            }
            for year in range(FIRST_YEAR, FIRST_YEAR + YEARS + 1)
        ],
    }


def project_file(data_files: list[str]) -> dict:
    return {
        "organisation": {"code": CODE, "name": "Benchmark Borough Council", "directorate": "All"},
        "indicators": [indicator_entry(i) for i in range(INDICATORS)],
        "data": [{"file": name} for name in data_files],
    }


def series(rng: random.Random, months: int) -> list[float]:
    """A figure that wanders month to month, as real ones do (ratings change now and then)."""
    values = [rng.uniform(35, 65)]
    for _ in range(months - 1):
        step = 0.1 * (50 - values[-1]) + rng.gauss(0, 2)  # drawn back towards 50
        values.append(min(95.0, max(5.0, values[-1] + step)))
    return values


def figures(walks: list[list[float]], months: range) -> str:
    lines = ["indicator,organisation,period,value,status"]
    lines += [
        f"BM{i:03d},{CODE},{month_label(m)},{walk[m]:.1f},final"
        for i, walk in enumerate(walks)
        for m in months
    ]
    return "\n".join(lines) + "\n"


def write_project(folder: Path) -> Path:
    """The council's folder: ten years of figures, and next month's in a file not yet listed."""
    rng = random.Random(2026)
    last = 12 * YEARS
    walks = [series(rng, last + 2) for _ in range(INDICATORS)]
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "figures.csv").write_text(figures(walks, range(last)))
    (folder / "data" / "latest.csv").write_text(figures(walks, range(last, last + 1)))
    (folder / "upload.csv").write_text(figures(walks, range(last + 1, last + 2)))
    list_data(folder, ["data/figures.csv"])
    return folder


def upload_period(folder: Path, label: str) -> float:
    """A period's 500 figures as an officer uploads them on the upload page: read and checked
    (every import check and the upload's own), compared with the stored figures, and saved in
    one transaction. The project comes from the evaluation the server keeps, built beforehand
    (as the page has it). Returns the seconds."""
    from boardpack.web.live import live
    from boardpack.web.pages import upload
    from boardpack.web.records.models import ReportingPeriod
    from boardpack.web.store import find_organisation

    organisation = find_organisation()
    project = live(organisation).dataset.project
    period = ReportingPeriod.objects.create(organisation=organisation, label=label)
    start = time.perf_counter()
    read = upload.read_upload(
        folder, "upload.csv", upload.layouts(project)[0].source, project, None
    )
    if read.problems:
        raise RuntimeError(f"the benchmark's upload has problems: {read.problems[:3]}")
    lines = upload.compare(organisation, read.records)
    counts = upload.save(period, None, "upload.csv", read.records, upload.bases(lines))
    if counts["new"] != INDICATORS:
        raise RuntimeError(f"the upload saved {counts}, not {INDICATORS} new figures")
    return time.perf_counter() - start


def list_data(folder: Path, files: list[str]) -> None:
    text = yaml.safe_dump(project_file(files), sort_keys=False)
    (folder / "boardpack.yaml").write_text(text, encoding="utf-8")


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return round(time.perf_counter() - start, 3)


# --- one database ----------------------------------------------------------------------------


def officer_sessions(count: int) -> list[str]:
    """Session keys of `count` sessions signed in as one performance officer."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User

    sessions = import_module(settings.SESSION_ENGINE)

    user, _ = User.objects.get_or_create(username="bench-officer")
    user.groups.set([Group.objects.get(name="performance officer")])
    keys = []
    for _ in range(count):
        session = sessions.SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "boardpack.web.access.Permissions"  # as sign-in sets it
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


#: The server's note when an evaluation's charts are drawn and its indicator pages made.
PAGES_READY = "Pages ready"


def start_server(
    db: str, threads: int, workers: int
) -> tuple[subprocess.Popen, int, threading.Event]:
    """`boardpack serve` in its own process, on a free port; the event is set when every
    server process says the charts and pages of its first evaluation are ready."""
    command = "from boardpack.web.serve import serve_command; serve_command()"
    options = ["--db", db, "--port", "0", "--threads", str(threads), "--workers", str(workers)]
    server = subprocess.Popen(
        [sys.executable, "-c", command, *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    ready = threading.Event()

    def watch() -> None:  # keep the output flowing, noting when the pages are ready
        processes = 0
        for line in server.stdout:
            sys.stderr.write(line)  # the server's own log, beside the benchmark's JSON
            processes += PAGES_READY in line  # one line per server process
            if processes >= workers:
                ready.set()

    for line in server.stdout:
        if "running at" in line:
            threading.Thread(target=watch, daemon=True).start()
            return server, int(line.split("http://127.0.0.1:", 1)[1].split("/", 1)[0]), ready
    raise RuntimeError(f"the server stopped before serving (exit {server.wait()})")


def fetch(connection, path: str, cookies: dict[str, str]) -> tuple[int, float]:
    """GET `path` with `cookies`, keeping any the server sets (as a browser keeps the CSRF
    cookie); the status and the seconds until the whole page was read."""
    start = time.perf_counter()
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    response.read()
    seconds = time.perf_counter() - start
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";", 1)[0].partition("=")
        cookies[name.strip()] = value.strip()
    return response.status, seconds


def client(port: int, session: str, until: float, seed: int, results: list, think: float) -> None:
    """Fetch the dashboard and a random indicator page in turn until `until`, pausing `think`
    seconds after each page (0: the next request goes as soon as a page arrives)."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookies = {"sessionid": session}
    turn = 0
    while time.perf_counter() < until:
        kind = "dashboard" if turn % 2 == 0 else "indicator"
        path = "/" if kind == "dashboard" else f"/indicators/BM{rng.randrange(INDICATORS):03d}/"
        try:
            status, seconds = fetch(connection, path, cookies)
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status, seconds = 0, float("nan")
        results.append((kind, path, status, seconds))
        turn += 1
        time.sleep(think)
    connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def load(port: int, sessions: list[str], seconds: float, think: float) -> dict:
    results: list = []
    until = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=client, args=(port, session, until, n, results, think))
        for n, session in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ok = [r for r in results if r[2] == 200]
    times = [r[3] for r in ok]
    by_kind = {
        f"{kind}_p95_ms": percentile([r[3] for r in ok if r[0] == kind], 0.95)
        for kind in ("dashboard", "indicator")
    }
    return {
        "requests": len(results),
        "errors": len(results) - len(ok),
        "throughput_rps": round(len(results) / seconds, 1),
        "p50_ms": percentile(times, 0.50),
        "p95_ms": percentile(times, 0.95),
        "p99_ms": percentile(times, 0.99),
        **by_kind,
        "indicator_pages_seen": len({r[1] for r in results if r[0] == "indicator"}),
    }


def solo(port: int, session: str, pages: int = 20) -> dict:
    """One client alone, request after request: what each page costs the server with no
    queue, an indicator page both on this client's first view (made ahead by the server,
    unless `--cold` started sooner) and its second."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookies = {"sessionid": session}
    refs = [f"/indicators/BM{i:03d}/" for i in range(INDICATORS - pages, INDICATORS)]
    dashboard = [fetch(connection, "/", cookies)[1] for _ in range(pages)]
    first = [fetch(connection, ref, cookies)[1] for ref in refs]
    again = [fetch(connection, ref, cookies)[1] for ref in refs]
    connection.close()
    return {
        f"solo_{name}_ms": round(1000 * statistics.median(times), 1)
        for name, times in (
            ("dashboard", dashboard),
            ("indicator_first_view", first),
            ("indicator", again),
        )
    }


def bench_database(db: str, args) -> dict:
    """Import, then load the served app; the figures for one database."""
    os.environ.setdefault("BOARDPACK_SECRET_KEY", secrets.token_urlsafe(50))
    from django.core.management import call_command

    from boardpack.web import setup

    setup(db)
    call_command("migrate", verbosity=0, interactive=False)
    from boardpack.web.records.models import Observation
    from boardpack.web.store import import_project

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_project(Path(tmp) / "benchmark-borough")
        import_seconds = timed(lambda: import_project(folder))
        list_data(folder, ["data/figures.csv", "data/latest.csv"])
        period_seconds = timed(lambda: import_project(folder, reason="April figures"))
        upload_seconds = round(upload_period(folder, month_label(12 * YEARS + 1)), 3)
    sessions = officer_sessions(args.clients)
    started = time.perf_counter()
    server, port, pages_ready = start_server(db, args.threads, args.workers)
    try:
        first = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        status, first_seconds = fetch(first, "/", {"sessionid": sessions[0]})
        first.close()
        if status != 200:
            raise RuntimeError(f"the first dashboard answered {status}")
        if not args.cold and not pages_ready.wait(timeout=900):
            raise RuntimeError("the server did not say its pages were ready within 15 minutes")
        ready = round(time.perf_counter() - started, 1)
        alone = solo(port, sessions[0])
        load_average = round(os.getloadavg()[0], 2)  # other work on the machine, as it starts
        figures = load(port, sessions, args.seconds, args.think)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        **figures,
        **alone,
        "import_seconds": import_seconds,
        "period_import_seconds": period_seconds,
        "period_upload_seconds": upload_seconds,
        "observations": Observation.objects.count(),
        "first_dashboard_seconds": round(first_seconds, 2),
        **({} if args.cold else {"charts_ready_seconds": ready}),
        "cold": args.cold,
        "think_seconds": args.think,
        "clients": args.clients,
        "server_threads": args.threads,
        "server_workers": args.workers,
        "seconds": args.seconds,
        "load_average": load_average,
    }


# --- PostgreSQL: a fresh database for the run --------------------------------------------------


def with_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def postgres_admin(url: str, statement: str) -> None:
    """Run CREATE or DROP DATABASE through the server's `postgres` database."""
    import psycopg

    with psycopg.connect(with_name(url, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


def fresh_database(url: str) -> str:
    name = urlsplit(url).path.lstrip("/") or "boardpack_bench"
    postgres_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    postgres_admin(url, f'CREATE DATABASE "{name}"')
    return name


# --- the run -------------------------------------------------------------------------------


def run_child(db: str, args) -> dict:
    """`bench_database` in a new process (one database per process)."""
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--one",
            db,
            "--seconds",
            str(args.seconds),
            "--clients",
            str(args.clients),
            "--threads",
            str(args.threads),
            "--workers",
            str(args.workers),
            "--think",
            str(args.think),
            *(["--cold"] if args.cold else []),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"the benchmark on {db} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30, help="How long to load the app.")
    parser.add_argument("--clients", type=int, default=20, help="Clients at once.")
    parser.add_argument(
        "--threads", type=int, default=4, help="The server's threads in each process."
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help="The server's processes (default: one per core, as `boardpack serve`).",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BOARDPACK_BENCH_POSTGRES"),
        help=f"A PostgreSQL database to create, use and drop, e.g. {DEFAULT_POSTGRES}.",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="Seconds each client pauses after each page (0: none, every client always waiting).",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="Start the load as soon as the first evaluation is built, while the server still "
        "draws its charts (by default the load waits for them, as between two changes).",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # one database, in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(bench_database(args.one, args)))
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = run_child(str(Path(tmp) / "bench.sqlite3"), args)
    if args.postgres:
        name = fresh_database(args.postgres)
        try:
            results["postgresql"] = run_child(with_name(args.postgres, name), args)
        finally:
            postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(json.dumps(results))


if __name__ == "__main__":
    main()
