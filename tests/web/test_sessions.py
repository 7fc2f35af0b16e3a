"""Sessions read in plain SQL behave as Django's database sessions."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from boardpack.web.sessions import SessionStore


def test_a_saved_session_reads_back(db):
    saved = SessionStore()
    saved["who"] = "olive"
    saved.create()
    read = SessionStore(saved.session_key)
    assert read["who"] == "olive" and read.session_key == saved.session_key


def test_an_expired_or_unknown_session_reads_as_empty_and_loses_its_key(db):
    expired = SessionStore()
    expired["who"] = "olive"
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    for key in (expired.session_key, "x" * 32):
        read = SessionStore(key)
        assert read.get("who") is None and read.session_key is None


def test_signing_in_and_out_uses_it(client, django_user_model):
    user = django_user_model.objects.create_user("olive", password="a long pass phrase")
    client.force_login(user)
    key = client.cookies["sessionid"].value
    assert SessionStore(key).get("_auth_user_id") == str(user.pk)
    client.post("/sign-out/")
    assert SessionStore(key).get("_auth_user_id") is None
