"""`boardpack serve`: the web app under waitress, a production WSGI server written in pure
Python that answers each request in one of a pool of threads.

The database is brought up to date before the first request. With `--demo` the app runs on a
demonstration database of its own (see `boardpack.web.demo`) and prints how to sign in.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
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


def show_progress() -> None:
    """Print the app's own progress notes (evaluations built, charts drawn) as they come."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger = logging.getLogger("boardpack.web")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def make_server(host: str, port: int, threads: int):
    """A waitress server for the app (not yet serving); port 0 picks a free port."""
    from django.core.wsgi import get_wsgi_application
    from waitress import create_server

    return create_server(
        get_wsgi_application(), host=host, port=port, threads=threads, ident="Boardpack"
    )


def address(server) -> str:
    host = server.effective_host
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{server.effective_port}/"


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
    from .demo import DemoError, seed

    try:
        demo = seed(password)
    except DemoError as error:
        raise click.ClickException(str(error)) from error
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
    default=8,
    show_default=True,
    type=click.IntRange(1, 256),
    help="How many requests are answered at once.",
)
@click.option("--demo-password", help="With --demo: give every demo user this password.")
def serve_command(
    demo: bool, db: str | None, host: str, port: int, threads: int, demo_password: str | None
) -> None:
    """Run the web app: bring the database up to date, then serve it until Ctrl+C."""
    if demo_password and not demo:
        raise click.BadParameter("only with --demo", param_hint="--demo-password")
    allow_host(host)
    note = secret_key()
    passwords = {}
    if demo:
        db, passwords = prepare_demo(db, demo_password)
    else:
        migrate_database(db)
    if note:
        click.echo(note)
    server = make_server(host, port, threads)
    show_progress()
    from .live import prepare

    prepare()
    if host in ANY_ADDRESS:
        click.echo(
            "Listening on every address: set BOARDPACK_ALLOWED_HOSTS to the names the app is "
            "reached by."
        )
    words = sign_in_words(passwords, bool(demo_password)) if passwords else ""
    click.echo(f"Boardpack is running at {address(server)}{words}")
    click.echo("Stop with Ctrl+C")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.close()
