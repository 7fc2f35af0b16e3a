"""The one permission system: roles are groups holding Django permissions, and the limits by
organisation and assignment live in `records.restricted` (`restrict` for queries, `may` for
one object), which give the same answers. Permissions are read once per user object."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boardpack.web import access, cycle, live
from boardpack.web.records.models import (
    Assignment,
    Membership,
    Observation,
    Organisation,
    ReportingPeriod,
    Submission,
)
from boardpack.web.records.restricted import may
from boardpack.web.records.roles import ROLES, declared

from .test_cycle import LABEL, cycle_setup, person  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The user as a new request loads them (nothing read yet)."""
    return User.objects.get(pk=user.pk)


def test_every_codename_a_role_holds_is_declared_by_a_model():
    known = declared(list(apps.get_app_config("boardpack").get_models()))
    for role, codenames in ROLES.items():
        unknown = sorted(set(codenames) - known - {"*"})
        assert not unknown, f"{role} holds permissions no model declares: {unknown}"


@pytest.fixture
def period(cycle_setup):  # noqa: F811 - pytest's fixture by name
    org, users = cycle_setup
    deadline = timezone.now() + dt.timedelta(days=7)
    return cycle.open_period(org, LABEL, deadline, users["officer"]), users


def test_owners_change_only_assigned_indicators_and_officers_all(period):
    opened, users = period
    every = set(Submission.objects.filter(period=opened).values_list("indicator", flat=True))
    assert len(every) > 1
    for who, expected in [("owner", {"ADM1"}), ("other_owner", set()), ("officer", every)]:
        user = fresh(users[who])
        rows = Submission.objects.filter(period=opened).restrict(user, "change")
        assert set(rows.values_list("indicator", flat=True)) == expected, who
        for ref in every:
            one = Submission.objects.get(period=opened, indicator=ref)
            assert may(user, "change", one) == (ref in expected), (who, ref)
    viewer = fresh(users["viewer"])
    assert not Submission.objects.restrict(viewer).exists()
    assert not may(viewer, "view", Submission.objects.filter(period=opened).first())


def test_a_team_assignment_reaches_the_teams_indicators(period):
    opened, users = period
    Assignment.objects.create(
        organisation=opened.organisation, user=users["other_owner"], team="Adults"
    )
    oscar = fresh(users["other_owner"])
    refs = set(
        Submission.objects.filter(period=opened)
        .restrict(oscar, "change")
        .values_list("indicator", flat=True)
    )
    assert "ADM1" in refs and refs == access.editable_refs(oscar, opened.organisation)


def test_an_officer_of_another_organisation_reaches_none_of_this_ones_records(period):
    opened, users = period
    elsewhere = Organisation.objects.create(code="E00000002", name="Otherborough")
    Membership.objects.create(user=users["second_officer"], organisation=elsewhere)
    stranger = fresh(users["second_officer"])
    assert not Submission.objects.filter(period=opened).restrict(stranger, "change").exists()
    assert not may(
        stranger, "change", Observation(organisation=opened.organisation, indicator="ADM1")
    )
    assert list(Organisation.objects.restrict(stranger)) == [elsewhere]
    assert not access.serves(stranger, opened.organisation)
    assert access.editable_refs(stranger, opened.organisation) == set()


def test_viewers_see_only_published_periods(period):
    opened, users = period
    viewer, owner = fresh(users["viewer"]), fresh(users["owner"])
    assert not ReportingPeriod.objects.restrict(viewer).exists()
    assert not may(viewer, "view", opened)
    assert list(ReportingPeriod.objects.restrict(owner)) == [opened] and may(owner, "view", opened)


def test_signed_out_and_inactive_users_reach_nothing(period):
    opened, users = period
    from django.contrib.auth.models import AnonymousUser

    assert not ReportingPeriod.objects.restrict(AnonymousUser()).exists()
    officer = fresh(users["officer"])
    officer.is_active = False
    assert not may(officer, "view", opened)


def test_permissions_are_read_in_one_query_per_user(period):
    _, users = period
    officer = fresh(users["officer"])
    with CaptureQueriesContext(connection) as queries:
        for codename in ROLES["performance officer"]:
            assert officer.has_perm(f"boardpack.{codename}"), codename
        assert not officer.has_perm("boardpack.delete_observation")
        assert access.role(officer) == "performance officer"
        assert access.serves(officer)
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_a_page_reads_the_users_permissions_once(period):
    opened, users = period
    client = Client()
    client.force_login(users["owner"])
    address = reverse("review", args=[opened.pk, "ADM1"])
    assert client.get(address).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    reads = [q["sql"] for q in queries if "auth_permission" in q["sql"]]
    assert len(reads) == 1, reads


#: The most queries each main page may make on a second view, by who views it: the session,
#: the user, their permissions (with groups and memberships), the organisation served, then
#: the page's own. Before the entry and review pages read their submission, figures and
#: sections once per page: enter 17 and 16, review 19 and 18 (docs/performance.md).
QUERIES = {
    "dashboard": {"owner": 5, "officer": 5},
    "indicator": {"owner": 6, "officer": 5},
    "tasks": {"owner": 8, "officer": 7},
    "enter": {"owner": 12, "officer": 11},
    "review": {"owner": 13, "officer": 12},
}


def page_address(name: str, opened) -> str:
    args = {"indicator": ["ADM1"], "enter": [opened.pk, "ADM1"], "review": [opened.pk, "ADM1"]}
    return reverse(name, args=args.get(name))


@pytest.mark.parametrize("who", ["owner", "officer"])
@pytest.mark.parametrize("name", list(QUERIES))
def test_each_main_page_makes_few_queries_and_none_twice(period, name, who):
    opened, users = period
    client = Client()
    client.force_login(users[who])
    address = page_address(name, opened)
    live.live(opened.organisation)  # the evaluation up to date, so no page builds it
    assert client.get(address).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    made = [q["sql"] for q in queries]
    assert len(made) <= QUERIES[name][who], "\n".join(made)
    repeated = sorted({sql for sql in made if made.count(sql) > 1})
    assert not repeated, f"{name} as {who} asks the same twice: {repeated}"
