"""The reporting cycle on the web: the Store (Django models over SQLite or PostgreSQL) and,
through `store`, the bridge between project files, the database and the Dataset."""

from __future__ import annotations

import os

SETTINGS = "boardpack.web.settings"


def setup(db: str | None = None) -> None:
    """Configure Django for the command line: `db` (a URL or an SQLite file path) wins over
    `DATABASE_URL`. Safe to call twice; the database is fixed by the first call."""
    import django
    from django.conf import settings

    if db:
        os.environ["DATABASE_URL"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    if not settings.configured or not _ready():
        django.setup()


def _ready() -> bool:
    from django.apps import apps

    return apps.ready
