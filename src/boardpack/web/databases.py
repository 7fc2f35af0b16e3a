"""The database from a URL: SQLite (a file, in WAL mode so several users can work at once) by
default, PostgreSQL when `DATABASE_URL` says so."""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from boardpack.errors import BoardpackError

DEFAULT_SQLITE = "boardpack.sqlite3"
#: Run on every new SQLite connection: write-ahead logging lets readers work while one user
#: writes; a busy writer is waited for rather than failing at once.
SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
#: Seconds a connection is kept open for the next request of the same server thread: opening
#: one costs milliseconds (PostgreSQL's handshake; SQLite's file and pragmas), more than most
#: pages. A kept PostgreSQL connection is checked before each reuse.
KEEP_SECONDS = 600


class DatabaseURLError(BoardpackError):
    """A database URL Boardpack cannot use."""


def parse_dates_once() -> None:
    """SQLite keeps dates as text that Django's driver turns into dates for every value read
    (two for each of 60,000 stored figures, of a few hundred distinct dates): the same parser,
    remembering the last few thousand texts. Dates are immutable, so what is read is the same."""
    import sqlite3

    from django.db.backends.sqlite3 import base  # registers Django's parser first

    sqlite3.register_converter(
        "date", functools.lru_cache(maxsize=4096)(base.decoder(base.parse_date))
    )


def sqlite(path: str | Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "init_command": SQLITE_INIT,
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        "CONN_MAX_AGE": KEEP_SECONDS,
    }


def postgresql(url: str) -> dict:
    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise DatabaseURLError(
            f"{_hide_password(url)}: no database name; write postgres://USER@HOST:PORT/DATABASE"
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
        "CONN_MAX_AGE": KEEP_SECONDS,
        "CONN_HEALTH_CHECKS": True,
    }


def sqlite_url(url: str) -> dict:
    """`sqlite:///relative.db`, `sqlite:////absolute/path.db`, `sqlite://:memory:`."""
    rest = url.split("://", 1)[1]
    if rest in (":memory:", "/:memory:"):
        return sqlite(":memory:")
    return sqlite(unquote(rest[1:] if rest.startswith("/") else rest) or DEFAULT_SQLITE)


#: URL scheme -> settings builder.
SCHEMES = {
    "postgres": postgresql,
    "postgresql": postgresql,
    "pgsql": postgresql,
    "sqlite": sqlite_url,
}


def database(url: str | None) -> dict:
    """Django's `DATABASES["default"]` for a URL, a plain file path (SQLite) or nothing
    (`boardpack.sqlite3` in the working folder)."""
    if not url:
        return sqlite(DEFAULT_SQLITE)
    if "://" not in url:
        return sqlite(url)
    scheme = url.split("://", 1)[0].lower()
    if scheme not in SCHEMES:
        raise DatabaseURLError(
            f'{_hide_password(url)}: unknown database kind "{scheme}"; use postgres://... for '
            "PostgreSQL or sqlite:///file.sqlite3 (or a plain file path) for SQLite"
        )
    return SCHEMES[scheme](url)


def _hide_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url
