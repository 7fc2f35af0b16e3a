"""Two people saving the same record at the same moment from the same version: one save lands,
the other is refused with a conflict; no update is lost. Real parallel transactions need a
server database, so this runs on PostgreSQL (`.ci/test-postgres`)."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections

from boardpack.web.records.changes import Conflict, save_version
from boardpack.web.records.models import Commentary, Organisation

KEY = {"indicator": "ADM1", "period": "Q1 2025/26", "section": "commentary"}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_simultaneous_saves_from_one_version_keep_one_and_refuse_the_other():
    org = Organisation.objects.create(code="E1", name="One")
    save_version(Commentary, org, KEY, {"markdown": "Base"}, base_version=0)
    users = [User.objects.create_user(name) for name in ("ann", "bob")]
    start, outcomes = threading.Barrier(2), {}

    def edit(user):
        try:
            start.wait()
            save_version(
                Commentary,
                org,
                KEY,
                {"markdown": f"{user.username}'s text"},
                base_version=1,
                user=user,
            )
            outcomes[user.username] = "saved"
        except Conflict as conflict:
            outcomes[user.username] = conflict
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = [name for name, outcome in outcomes.items() if outcome == "saved"]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, Conflict)]
    assert len(saved) == 1 and len(refused) == 1
    assert saved[0] in str(refused[0]) and refused[0].yours["markdown"] != f"{saved[0]}'s text"
    texts = [c.markdown for c in Commentary.objects.history(org, **KEY)]
    assert texts == ["Base", f"{saved[0]}'s text"]
