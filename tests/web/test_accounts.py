"""`boardpack db user`: a council's first users added from the command line, then signing in."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from boardpack.cli import main

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough passphrase"


def run(*args: str, typed: str | None = None):
    return CliRunner().invoke(main, ["db", "user", *args], input=typed)


def test_the_first_administrator_is_added_and_signs_in():
    said = run("ann", "--role", "administrator", "--name", "Ann Smith", "--password", PASSWORD)
    assert said.exit_code == 0, said.output
    assert "Added ann: administrator" in said.output
    ann = User.objects.get(username="ann")
    assert (ann.get_full_name(), ann.is_staff, ann.is_superuser) == ("Ann Smith", True, True)
    assert [g.name for g in ann.groups.all()] == ["administrator"]
    signed = Client().post(reverse("login"), {"username": "ann", "password": PASSWORD})
    assert signed.status_code == 302 and signed.url == reverse("dashboard")


def test_the_password_is_asked_for_twice_when_not_given():
    said = run(
        "olu", "--role", "owner", "--email", "olu@council.gov.uk", typed=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert said.exit_code == 0, said.output
    olu = User.objects.get(username="olu")
    assert olu.check_password(PASSWORD) and olu.email == "olu@council.gov.uk"
    assert PASSWORD not in said.output


def test_a_second_run_changes_the_role_and_password_of_the_same_user():
    run("pat", "--role", "administrator", "--password", PASSWORD)
    said = run("pat", "--role", "officer", "--password", "another passphrase")
    assert "Changed pat: performance officer" in said.output
    pat = User.objects.get(username="pat")
    assert [g.name for g in pat.groups.all()] == ["performance officer"]
    assert not pat.is_superuser and pat.check_password("another passphrase")
    assert User.objects.filter(username="pat").count() == 1


def test_an_unknown_role_is_refused_naming_the_roles():
    said = run("vic", "--role", "reader", "--password", PASSWORD)
    assert said.exit_code == 2
    assert "'viewer', 'owner', 'officer', 'administrator'" in said.output
    assert not User.objects.filter(username="vic").exists()
