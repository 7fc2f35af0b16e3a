"""API tokens: only a digest is kept, revoked tokens stop at once, use is noted at most once a
minute, and the tokens page lists, makes (showing the secret once) and revokes them."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from boardpack.web import tokens
from boardpack.web.records.models import ApiToken, AuditEntry
from boardpack.web.records.roles import OWNER, VIEWER

pytestmark = pytest.mark.django_db


def holder(name: str, role: str | None = VIEWER) -> User:
    user = User.objects.create_user(name, password="not used")
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def signed_in(user: User, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


# --- the tokens ------------------------------------------------------------------------------


def test_only_the_digest_and_a_short_prefix_are_stored():
    user = holder("ann")
    secret = tokens.create_token(user, "Cabinet dashboard")
    stored = ApiToken.objects.get()
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(stored.prefix) and len(stored.prefix) < len(secret) // 4
    columns = [f.attname for f in ApiToken._meta.fields]
    row = ApiToken.objects.values_list(*columns).get()
    assert not any(secret in str(value) for value in row)
    assert stored.name == "Cabinet dashboard" and not stored.revoked


def test_every_token_is_different():
    user = holder("ann")
    secrets = {tokens.create_token(user, "same name") for _ in range(5)}
    assert len(secrets) == 5


def test_authenticate_gives_the_holder_of_a_live_token_only():
    ann, bob = holder("ann"), holder("bob")
    secret = tokens.create_token(ann, "report")
    tokens.create_token(bob, "report")
    assert tokens.authenticate(secret) == ann
    assert tokens.authenticate(secret + "x") is None
    assert tokens.authenticate("") is None
    tokens.revoke(ann, ApiToken.objects.get(user=ann).pk)
    assert tokens.authenticate(secret) is None


def test_a_deactivated_user_is_not_authenticated():
    ann = holder("ann")
    secret = tokens.create_token(ann, "report")
    ann.is_active = False
    ann.save()
    assert tokens.authenticate(secret) is None


def test_use_is_noted_at_most_once_a_minute():
    ann = holder("ann")
    secret = tokens.create_token(ann, "report")
    assert ApiToken.objects.get().last_used_at is None
    tokens.authenticate(secret)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    tokens.authenticate(secret)
    assert ApiToken.objects.get().last_used_at == first
    earlier = timezone.now() - dt.timedelta(minutes=2)
    ApiToken.objects.update(last_used_at=earlier)
    tokens.authenticate(secret)
    assert ApiToken.objects.get().last_used_at > earlier + dt.timedelta(minutes=1)


def test_names_must_be_given_and_short():
    ann = holder("ann")
    with pytest.raises(tokens.TokenError, match="name"):
        tokens.create_token(ann, "   ")
    with pytest.raises(tokens.TokenError, match="100 characters"):
        tokens.create_token(ann, "x" * 101)
    assert not ApiToken.objects.exists()


def test_nobody_revokes_another_users_token():
    ann, bob = holder("ann"), holder("bob")
    secret = tokens.create_token(ann, "report")
    with pytest.raises(tokens.TokenError, match="not one of yours"):
        tokens.revoke(bob, ApiToken.objects.get().pk)
    with pytest.raises(tokens.TokenError, match="not one of yours"):
        tokens.revoke(bob, "not a number")
    assert tokens.authenticate(secret) == ann


def test_making_and_revoking_are_audited_without_the_secret():
    ann = holder("ann")
    secret = tokens.create_token(ann, "report")
    tokens.revoke(ann, ApiToken.objects.get().pk)
    entries = list(AuditEntry.objects.filter(kind="api token"))
    assert [(e.action, e.user) for e in entries] == [("created", ann), ("revoked", ann)]
    assert all(secret not in e.record for e in entries)


# --- the page --------------------------------------------------------------------------------


def test_the_page_lists_your_tokens_only():
    ann, bob = holder("ann"), holder("bob")
    tokens.create_token(ann, "Cabinet dashboard")
    tokens.create_token(bob, "Bob's script")
    page = signed_in(ann).get("/tokens/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cabinet dashboard" in text and ApiToken.objects.get(user=ann).prefix in text
    assert "Bob&#39;s script" not in text and "Bob's script" not in text
    assert "Never" in text  # not used yet


def test_a_new_tokens_secret_is_shown_once_with_a_warning():
    ann = holder("ann", OWNER)
    client = signed_in(ann)
    answer = client.post("/tokens/", {"action": "create", "name": "Quarterly extract"})
    assert answer.status_code == 201
    assert "no-store" in answer["Cache-Control"]
    text = answer.content.decode()
    stored = ApiToken.objects.get()
    shown = text.split('id="secret" value="', 1)[1].split('"', 1)[0]
    assert tokens.authenticate(shown) == ann and shown.startswith(stored.prefix)
    assert "only time it is shown" in text
    assert shown not in client.get("/tokens/").content.decode()


def test_a_blank_name_is_refused_with_an_error_linked_to_the_field():
    client = signed_in(holder("ann"))
    answer = client.post("/tokens/", {"action": "create", "name": ""})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert 'class="error-summary"' in text and 'href="#name"' in text
    assert 'aria-invalid="true"' in text and not ApiToken.objects.exists()


def test_revoking_from_the_page_stops_the_token():
    ann = holder("ann")
    client = signed_in(ann)
    secret = tokens.create_token(ann, "report")
    token = ApiToken.objects.get()
    answer = client.post("/tokens/", {"action": "revoke", "token": token.pk}, follow=True)
    assert "is revoked" in answer.content.decode() and "Revoked" in answer.content.decode()
    assert tokens.authenticate(secret) is None


def test_another_users_token_cannot_be_revoked_from_the_page():
    ann, bob = holder("ann"), holder("bob")
    secret = tokens.create_token(ann, "report")
    answer = signed_in(bob).post(
        "/tokens/", {"action": "revoke", "token": ApiToken.objects.get().pk}, follow=True
    )
    assert "not one of yours" in answer.content.decode()
    assert tokens.authenticate(secret) == ann


def test_forms_need_the_csrf_token():
    ann = holder("ann")
    client = signed_in(ann, enforce_csrf_checks=True)
    refused = client.post("/tokens/", {"action": "create", "name": "report"})
    assert refused.status_code == 403 and not ApiToken.objects.exists()
    page = client.get("/tokens/").content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 2  # sign out and make a token
    csrf = client.cookies["csrftoken"].value
    made = client.post(
        "/tokens/", {"action": "create", "name": "report", "csrfmiddlewaretoken": csrf}
    )
    assert made.status_code == 201 and ApiToken.objects.count() == 1


def test_the_page_needs_a_signed_in_user_with_a_role():
    assert Client().get("/tokens/")["Location"].startswith("/sign-in/")
    assert signed_in(holder("nobody", None)).get("/tokens/").status_code == 403


def test_an_unknown_action_is_refused():
    answer = signed_in(holder("ann")).post("/tokens/", {"action": "delete everything"})
    assert answer.status_code == 400 and "Make token or Revoke" in answer.content.decode()
