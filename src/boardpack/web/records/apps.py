import threading

from django.apps import AppConfig
from django.conf import settings

from ..databases import parse_dates_once


class RecordsConfig(AppConfig):
    """The Boardpack app. It owns what the web app keeps between requests (`live`: the
    evaluations, charts and background work of `boardpack.web.live`), made when first asked
    for so that commands which never serve a page do not load it."""

    name = "boardpack.web.records"
    label = "boardpack"
    verbose_name = "Boardpack"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        self._live = None
        self._making = threading.Lock()
        if any("sqlite3" in db["ENGINE"] for db in settings.DATABASES.values()):
            parse_dates_once()

    @property
    def live(self):
        """The app's one `live.LiveState`."""
        if self._live is None:
            with self._making:
                if self._live is None:
                    from ..live import LiveState

                    self._live = LiveState()
        return self._live

    def close(self) -> None:
        """Stop the background work, waiting for the work under way (the server stopping)."""
        if self._live is not None:
            self._live.shutdown()
