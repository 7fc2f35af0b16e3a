"""Sessions kept in the database, as Django's own database sessions, read with one plain query.

Every page reads the signed-in user's session first. Django's database store builds that query
through the ORM, which costs more to compile than the database takes to answer it; this store
asks the same question in plain SQL and keeps everything else of Django's (saving, expiry,
`clearsessions`, the `django_session` table).
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The unexpired session under this key, or None (and the key dropped) as Django's."""
        connection = connections[router.db_for_read(self.model)]
        table = connection.ops.quote_name(self.model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            found = cursor.fetchone()
        if found is None:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=found[0])
