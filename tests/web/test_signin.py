"""Signing in: passwords hashed, the form protected against forged posts, repeated failures
refused for a while, and each role landing on its own first page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from boardpack.web.pages.signin import TOO_MANY
from boardpack.web.records.roles import OWNER, VIEWER

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def no_counts():
    cache.clear()
    yield
    cache.clear()


def person(name: str, role: str) -> User:
    user = User.objects.create_user(name, password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    return user


def sign_in(client: Client, name: str, password: str):
    return client.post(reverse("login"), {"username": name, "password": password})


def test_passwords_are_stored_hashed():
    user = person("olive", OWNER)
    assert PASSWORD not in user.password
    assert user.password.startswith(("pbkdf2_", "argon2", "bcrypt", "scrypt"))


def test_a_sign_in_without_the_forms_token_is_refused():
    person("olive", OWNER)
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, "olive", PASSWORD).status_code == 403
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_ATTEMPTS=3)
def test_repeated_failures_lock_the_account_from_that_address_for_a_while():
    person("olive", OWNER)
    person("oscar", OWNER)
    client = Client()
    for _ in range(3):
        refused = sign_in(client, "olive", "wrong")
        assert refused.status_code == 200 and TOO_MANY not in refused.content.decode()
    locked = sign_in(client, "olive", PASSWORD)  # even the right password, for now
    assert TOO_MANY in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert sign_in(Client(), "oscar", PASSWORD).status_code == 302  # others are not locked
    cache.clear()  # the window has passed
    assert sign_in(client, "olive", PASSWORD).status_code == 302


def test_each_role_lands_on_its_own_first_page():
    person("olive", OWNER)
    person("vera", VIEWER)
    assert sign_in(Client(), "olive", PASSWORD).url == reverse("dashboard")
    assert sign_in(Client(), "vera", PASSWORD).url == reverse("packs")


def test_session_cookies_are_http_only_and_not_for_other_sites():
    person("olive", OWNER)
    answer = sign_in(Client(), "olive", PASSWORD)
    cookie = answer.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
