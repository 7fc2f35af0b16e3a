"""The database from a URL, and SQLite connections in WAL mode."""

from __future__ import annotations

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from boardpack.web.databases import DatabaseURLError, database


def test_postgresql_urls():
    settings = database("postgres://ann:s%40cret@db.example:5433/boardpack?sslmode=require")
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert (settings["USER"], settings["PASSWORD"], settings["HOST"], settings["PORT"]) == (
        "ann",
        "s@cret",
        "db.example",
        "5433",
    )
    assert (settings["NAME"], settings["OPTIONS"]) == ("boardpack", {"sslmode": "require"})


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (None, "boardpack.sqlite3"),
        ("packs.db", "packs.db"),
        ("sqlite:///packs.db", "packs.db"),
        ("sqlite:////srv/packs.db", "/srv/packs.db"),
        ("sqlite://:memory:", ":memory:"),
    ],
)
def test_sqlite_by_default_and_for_paths(url, name):
    settings = database(url)
    assert (settings["ENGINE"], settings["NAME"]) == ("django.db.backends.sqlite3", name)
    assert settings["CONN_MAX_AGE"] > 0  # kept for the thread's next request


def test_postgresql_connections_are_kept_and_checked_before_reuse():
    settings = database("postgres://ann@db.example/boardpack")
    assert settings["CONN_MAX_AGE"] > 0 and settings["CONN_HEALTH_CHECKS"]


def test_unknown_kinds_and_missing_names_are_explained_without_the_password():
    with pytest.raises(DatabaseURLError, match='unknown database kind "mysql"') as raised:
        database("mysql://ann:topsecret@host/db")
    assert "topsecret" not in str(raised.value)
    with pytest.raises(DatabaseURLError, match="no database name"):
        database("postgres://ann@host:5432/")


def test_sqlite_files_are_opened_in_wal_mode(tmp_path, django_db_blocker):
    settings = {
        **database(str(tmp_path / "store.sqlite3")),
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
    }
    connection = DatabaseWrapper(settings, alias="wal-check")
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        connection.close()


def test_the_tests_run_on_the_database_asked_for():
    import os

    from django.db import connection

    asked = os.environ.get("BOARDPACK_TEST_DATABASE_URL")
    assert connection.vendor == ("postgresql" if asked else "sqlite")


def test_sqlite_dates_are_read_as_djangos_parser_reads_them(settings):
    """Each distinct date text is parsed once (the stored figures repeat a few hundred dates);
    the values are those of Django's own parser, bad text still an error."""
    import datetime
    import sqlite3

    from django.utils.dateparse import parse_date

    from boardpack.web.databases import parse_dates_once

    parse_dates_once()
    convert = sqlite3.converters["DATE"]
    assert convert(b"2026-04-01") == parse_date("2026-04-01") == datetime.date(2026, 4, 1)
    assert convert(b"2026-04-01") is convert(b"2026-04-01")
    with pytest.raises(ValueError):
        convert(b"2026-13-01")
