"""Signing in: passwords hashed, the form protected against forged posts, repeated failures
refused for a while (counted in the database, by user name and by address), each role landing
on its own first page, and sign-in through an HTTPS proxy."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading

import pytest
from axes.models import AccessAttempt
from click.testing import CliRunner
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings
from django.urls import reverse

from boardpack.cli import main
from boardpack.web.records.roles import OWNER, VIEWER

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
TOO_MANY = "Too many failed sign-ins for this user name or from your address"


def person(name: str, role: str) -> User:
    user = User.objects.create_user(name, password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    return user


def sign_in(client: Client, name: str, password: str, address: str = "127.0.0.1", **headers):
    data = {"username": name, "password": password}
    return client.post(reverse("login"), data, REMOTE_ADDR=address, **headers)


def test_passwords_are_stored_hashed():
    user = person("olive", OWNER)
    assert PASSWORD not in user.password
    assert user.password.startswith(("pbkdf2_", "argon2", "bcrypt", "scrypt"))


def test_a_sign_in_without_the_forms_token_is_refused():
    person("olive", OWNER)
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, "olive", PASSWORD).status_code == 403
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_user_name_until_the_cool_down_has_passed():
    person("olive", OWNER)
    person("oscar", OWNER)
    client = Client()
    for _ in range(2):
        refused = sign_in(client, "olive", "wrong")
        assert refused.status_code == 200 and TOO_MANY not in refused.content.decode()
    assert TOO_MANY in sign_in(client, "olive", "wrong").content.decode()  # the third
    locked = sign_in(client, "olive", PASSWORD, address="10.0.0.9")  # even the right password
    assert locked.status_code == 429 and "Wait 10 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert sign_in(Client(), "oscar", PASSWORD, address="10.0.0.7").status_code == 302
    earlier = dt.timedelta(minutes=11)
    for attempt in AccessAttempt.objects.all():  # the cool-down has passed
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - earlier
        )
    assert sign_in(client, "olive", PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_trying_many_user_names_from_one_address_is_refused():
    person("olive", OWNER)
    for name in ("ann", "bob", "cat"):
        sign_in(Client(), name, "guess", address="10.0.0.66")
    refused = sign_in(Client(), "olive", PASSWORD, address="10.0.0.66")
    assert refused.status_code == 429
    assert sign_in(Client(), "olive", PASSWORD, address="10.0.0.5").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=4)
@pytest.mark.django_db(transaction=True)
def test_failures_count_across_database_connections_as_across_server_processes(roles):
    """Two server processes share only the database: failures through another connection
    (a thread has its own) count as much as this one's."""
    person("olive", OWNER)

    def elsewhere():
        from django.db import connection

        for _ in range(2):
            sign_in(Client(), "olive", "wrong", address="10.0.0.1")
        connection.close()

    other = threading.Thread(target=elsewhere)
    other.start()
    other.join()
    for _ in range(2):
        sign_in(Client(), "olive", "wrong", address="10.0.0.2")
    assert sign_in(Client(), "olive", PASSWORD, address="10.0.0.3").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=2)
def test_an_administrator_unlocks_a_user_at_once():
    person("olive", OWNER)
    for _ in range(2):
        sign_in(Client(), "olive", "wrong")
    assert sign_in(Client(), "olive", PASSWORD).status_code == 429
    result = CliRunner().invoke(main, ["db", "unlock", "olive"])
    assert result.exit_code == 0, result.output
    assert "Unlocked olive" in result.output
    assert sign_in(Client(), "olive", PASSWORD).status_code == 302


def test_each_role_lands_on_its_own_first_page():
    person("olive", OWNER)
    person("vera", VIEWER)
    assert sign_in(Client(), "olive", PASSWORD).url == reverse("dashboard")
    assert sign_in(Client(), "vera", PASSWORD).url == reverse("packs")


def test_a_viewer_sent_to_sign_in_from_the_sites_address_lands_on_the_packs():
    """Opening the site's address signed out asks to sign in and come back to the dashboard,
    which a viewer may not see: they land on the published packs instead of a refusal."""
    person("olive", OWNER)
    person("vera", VIEWER)
    asked = Client().get(reverse("dashboard"))
    assert asked.status_code == 302 and "next=/" in asked.url
    back = {"next": reverse("dashboard")}
    viewer = Client().post(
        f"{reverse('login')}?next=/", {**back, "username": "vera", "password": PASSWORD}
    )
    assert viewer.url == reverse("packs")
    owner = Client().post(
        f"{reverse('login')}?next=/", {**back, "username": "olive", "password": PASSWORD}
    )
    assert owner.url == reverse("dashboard")
    tasks = Client().post(
        reverse("login"), {"next": reverse("tasks"), "username": "vera", "password": PASSWORD}
    )
    assert tasks.url == reverse("tasks")  # any other page asked for is kept (and refused there)


def test_session_cookies_are_http_only_and_not_for_other_sites():
    person("olive", OWNER)
    answer = sign_in(Client(), "olive", PASSWORD)
    cookie = answer.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


# --- behind an HTTPS proxy -----------------------------------------------------------------


def proxy_settings(**env) -> dict:
    """The settings Boardpack reads from `env`, from a fresh process."""
    code = (
        "from boardpack.web import settings as s; "
        "print(repr((s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS, s.SECURE_HSTS_SECONDS,"
        " s.SESSION_COOKIE_SECURE, s.PROXY_COUNT)))"
    )
    environment = {**os.environ, **env}
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    header, origins, hsts, secure, proxies = eval(done.stdout)  # noqa: S307 (our own output)
    return {
        "SECURE_PROXY_SSL_HEADER": header,
        "CSRF_TRUSTED_ORIGINS": origins,
        "SECURE_HSTS_SECONDS": hsts,
        "SESSION_COOKIE_SECURE": secure,
        "CSRF_COOKIE_SECURE": secure,
        "PROXY_COUNT": proxies,
    }


def test_a_sign_in_posted_through_an_https_proxy_is_accepted_with_hsts():
    chosen = proxy_settings(
        BOARDPACK_SECURE="1",
        BOARDPACK_ALLOWED_HOSTS="boardpack.council.example",
        BOARDPACK_TRUSTED_ORIGINS="https://boardpack.council.example",
    )
    assert chosen["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert chosen["CSRF_TRUSTED_ORIGINS"] == ["https://boardpack.council.example"]
    person("olive", OWNER)
    proxy = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    host = {"HTTP_HOST": "boardpack.council.example"}
    with override_settings(ALLOWED_HOSTS=["boardpack.council.example"], **chosen):
        client = Client(enforce_csrf_checks=True)
        page = client.get(reverse("login"), **host, **proxy)
        assert page["Strict-Transport-Security"].startswith("max-age=31536000")
        token = client.cookies["csrftoken"].value
        answer = sign_in(
            client,
            "olive",
            PASSWORD,
            HTTP_ORIGIN="https://boardpack.council.example",
            HTTP_X_CSRFTOKEN=token,
            **host,
            **proxy,
        )
        assert answer.status_code == 302, answer.content.decode()[:500]
        assert answer.cookies["sessionid"]["secure"]


@override_settings(AXES_FAILURE_LIMIT=2, PROXY_COUNT=1)
def test_behind_the_proxy_each_browsers_own_address_is_counted():
    person("olive", OWNER)
    for _ in range(2):
        sign_in(Client(), "bob", "wrong", address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    other = sign_in(
        Client(), "olive", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4"
    )
    assert other.status_code == 302  # the proxy's own address is not what is locked
