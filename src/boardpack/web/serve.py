"""`boardpack serve`: the web app under waitress, a production WSGI server written in pure
Python that answers each request in one of a pool of threads.

The database is brought up to date before the first request. With `--demo` the app runs on a
demonstration database of its own (see `boardpack.web.demo`) and prints how to sign in.

Threads share one core, so `--workers N` runs N server processes (by default one per core):
this process binds the listening socket once and starts N fresh Python processes that serve it
(`serve_worker`), each with its own kept evaluation and charts. They are started afresh rather
than forked: this process may have used polars (the demo's first import evaluates the council),
and a child forked after polars has run can deadlock.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

import click

from .commands import DB_HELP, migrate_database

LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
ANY_ADDRESS = ("0.0.0.0", "::", "")


def allow_host(host: str) -> None:
    """Let Django answer requests addressed to `host` (before settings are read)."""
    hosts = os.environ.get("BOARDPACK_ALLOWED_HOSTS", ",".join(LOCAL_HOSTS)).split(",")
    if host not in ANY_ADDRESS and host not in hosts:
        hosts.append(f"[{host}]" if ":" in host else host)
    os.environ["BOARDPACK_ALLOWED_HOSTS"] = ",".join(h for h in hosts if h)


def secret_key() -> str | None:
    """Make a secret key for this run when none is set; returns a note saying so."""
    if os.environ.get("BOARDPACK_SECRET_KEY"):
        return None
    os.environ["BOARDPACK_SECRET_KEY"] = secrets.token_urlsafe(50)
    return (
        "BOARDPACK_SECRET_KEY is not set, so a new one was made for this run: everyone is "
        "signed out when the server stops. Set it to keep sign-ins across restarts."
    )


def show_progress(worker: int | None = None) -> None:
    """Print the app's own progress notes (evaluations built, charts drawn) as they come,
    naming the server process when there are several."""
    handler = logging.StreamHandler(sys.stdout)
    who = "" if worker is None else f"worker {worker}: "
    handler.setFormatter(logging.Formatter(f"%(asctime)s {who}%(message)s", "%H:%M:%S"))
    logger = logging.getLogger("boardpack.web")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def make_server(host: str, port: int, threads: int):
    """A waitress server for the app (not yet serving); port 0 picks a free port."""
    from django.core.wsgi import get_wsgi_application
    from waitress import create_server

    return create_server(
        get_wsgi_application(),
        host=host,
        port=port,
        threads=threads,
        ident="Boardpack",
        max_request_body_size=largest_request(),
    )


def largest_request() -> int:
    """The largest request body accepted: the largest upload and a little for the form."""
    from boardpack.sources.safety import MB, Limits

    return Limits.from_env().file_mb * MB + MB


def address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def default_workers() -> int:
    """One server process per core this process may use."""
    from boardpack.pack.render import available_cores

    return available_cores()


def listening_socket(host: str, port: int) -> socket.socket:
    """The socket every server process accepts connections on, bound once here."""
    try:
        family, kind, _, _, where = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        return socket.create_server(where[:2], family=family, backlog=1024)
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host} port {port}: {error}") from error


def serve_worker() -> None:
    """One of several server processes, started by `start_workers` with the listening
    socket's number, the threads, its own number and how many there are: warm up and serve
    until Ctrl+C or SIGTERM."""
    fd, threads, number, count = (int(arg) for arg in sys.argv[1:5])
    stop_on(signal.SIGINT)
    stop_on(signal.SIGTERM)
    try:
        server = worker_server(socket.socket(fileno=fd), threads, number, count)
        try:
            server.run()  # returns on KeyboardInterrupt
        finally:
            server.close()
    except KeyboardInterrupt:
        pass  # stopped while starting
    finally:
        stop_background()


def worker_server(sock: socket.socket, threads: int, number: int, count: int):
    """A waitress server on the shared socket, its evaluation and charts started in the
    background (with its share of the chart drawing processes)."""
    from . import setup

    setup()  # the first process's DATABASE_URL and settings, from the environment
    from django.core.wsgi import get_wsgi_application
    from waitress import create_server

    from .live import charts, prepare

    server = create_server(
        get_wsgi_application(),
        sockets=[sock],
        threads=threads,
        ident="Boardpack",
        max_request_body_size=largest_request(),
    )
    show_progress(number)
    charts().workers = chart_share(count)
    prepare()
    return server


def stop_background() -> None:
    """Stop the background work (builds, charts, pages made ahead) as the server stops."""
    from django.apps import apps

    if apps.ready:
        apps.get_app_config("boardpack").close()


def chart_share(processes: int) -> int | None:
    """Chart drawing processes for each of `processes` servers, so that together they use one
    per core (None: `BOARDPACK_CHART_WORKERS` says)."""
    if os.environ.get("BOARDPACK_CHART_WORKERS", "").strip():
        return None
    return max(1, default_workers() // processes)


def stop_on(signal_number: int) -> None:
    """Make `signal_number` stop this process as Ctrl+C does, once (a second is ignored while
    it stops)."""

    def stop(number, frame):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal_number, stop)


def start_worker(sock: socket.socket, threads: int, number: int, count: int) -> subprocess.Popen:
    """Server process `number` of `count`, a fresh Python process serving `sock`."""
    code = "from boardpack.web.serve import serve_worker; serve_worker()"
    fd = sock.fileno()
    return subprocess.Popen(
        [sys.executable, "-c", code, str(fd), str(threads), str(number), str(count)],
        pass_fds=(fd,),
    )


#: Restarts allowed within `RESTART_WINDOW` seconds before `serve` gives up (a process that
#: dies as it starts would otherwise be restarted for ever).
RESTARTS_ALLOWED = 5
RESTART_WINDOW = 60.0


def serve_processes(sock: socket.socket, threads: int, count: int, banner: str) -> None:
    """Serve with `count` processes until Ctrl+C or SIGTERM (passed on to each). A process
    that stops on its own is started again while the others go on serving."""
    from django.db import connections

    connections.close_all()  # this process only waits from now on
    stop_on(signal.SIGINT)
    stop_on(signal.SIGTERM)
    workers = [start_worker(sock, threads, n, count) for n in range(1, count + 1)]
    click.echo(banner)
    pids = ", ".join(str(worker.pid) for worker in workers)
    click.echo(f"Serving with {count} processes (pids {pids}). Stop with Ctrl+C")
    try:
        supervise(sock, threads, workers)
    except KeyboardInterrupt:
        stop_all(workers)
        click.echo("Stopped.")
    except click.ClickException:
        stop_all(workers)
        raise
    finally:
        sock.close()


def supervise(sock: socket.socket, threads: int, workers: list[subprocess.Popen]) -> None:
    """Start again each server process that stops, until too many stop too quickly."""
    restarts: deque[float] = deque()
    while True:
        time.sleep(0.5)
        for index, worker in enumerate(workers):
            if worker.poll() is None:
                continue
            now = time.monotonic()
            while restarts and now - restarts[0] > RESTART_WINDOW:
                restarts.popleft()
            if len(restarts) >= RESTARTS_ALLOWED:
                raise click.ClickException(
                    f"server process {worker.pid} stopped unexpectedly (exit code "
                    f"{worker.returncode}), the {RESTARTS_ALLOWED + 1}th to stop within "
                    f"{RESTART_WINDOW:.0f} s, so the others were stopped too"
                )
            restarts.append(now)
            workers[index] = start_worker(sock, threads, index + 1, len(workers))
            click.echo(
                f"Server process {worker.pid} stopped unexpectedly (exit code "
                f"{worker.returncode}); started it again as process {workers[index].pid}"
            )


def stop_all(workers: list[subprocess.Popen], patience: float = 30) -> None:
    """Ask every server process still running to stop; kill those still running after
    `patience` seconds."""
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    deadline = time.monotonic() + patience
    for worker in workers:
        try:
            worker.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def demo_database() -> Path:
    """Where the demo database lives between runs: Boardpack's folder in the user's cache."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "boardpack"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "demo.sqlite3"


def prepare_demo(db: str | None, password: str | None) -> tuple[str, dict[str, str]]:
    """The database URL to serve and the demo users' passwords, seeding the demo database."""
    if db is None:
        path = demo_database()
        click.echo(f"Demo database: {path} (delete it to start the demo afresh)")
        db = str(path)
    migrate_database(db)
    from .demo import seed

    demo = seed(password)
    if demo.imported:
        click.echo(f"Imported the example council; period {demo.period.label} is open.")
    return db, demo.passwords


def sign_in_words(passwords: dict[str, str], fixed: bool) -> str:
    """How to sign in: each user with their password, or the one password given for all."""
    if fixed:
        names = ", ".join(passwords)
        password = next(iter(passwords.values()))
        return f" — sign in as {names} with the demo password {password} (demo only)"
    return " — sign in as: " + ", ".join(f"{n} / {p}" for n, p in passwords.items())


@click.command("serve")
@click.option(
    "--demo",
    is_flag=True,
    help="Serve a demonstration: the example council, an open period and one user per role "
    "(with random passwords, printed). Without --db it uses a database in your cache folder.",
)
@click.option("--db", help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: any free."
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 256),
    help="How many requests are answered at once.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Server processes, each with --threads threads. Default: one per core.",
)
@click.option("--demo-password", help="With --demo: give every demo user this password.")
def serve_command(
    demo: bool,
    db: str | None,
    host: str,
    port: int,
    threads: int,
    workers: int | None,
    demo_password: str | None,
) -> None:
    """Run the web app: bring the database up to date, then serve it until Ctrl+C."""
    if demo_password and not demo:
        raise click.BadParameter("only with --demo", param_hint="--demo-password")
    workers = workers or default_workers()
    if workers > 1 and not hasattr(os, "fork"):
        click.echo("Several server processes need a POSIX system (Linux, macOS): serving with one.")
        workers = 1
    allow_host(host)
    note = secret_key()
    passwords = {}
    if demo:
        db, passwords = prepare_demo(db, demo_password)
    else:
        migrate_database(db)
    if note:
        click.echo(note)
    if host in ANY_ADDRESS:
        click.echo(
            "Listening on every address: set BOARDPACK_ALLOWED_HOSTS to the names the app is "
            "reached by."
        )
    words = sign_in_words(passwords, bool(demo_password)) if passwords else ""
    if workers > 1:
        sock = listening_socket(host, port)
        where = address(*sock.getsockname()[:2])
        serve_processes(sock, threads, workers, f"Boardpack is running at {where}{words}")
        return
    server = make_server(host, port, threads)
    show_progress()
    from .live import prepare

    prepare()
    where = address(server.effective_host, server.effective_port)
    click.echo(f"Boardpack is running at {where}{words}")
    click.echo("Stop with Ctrl+C")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.close()
        stop_background()
