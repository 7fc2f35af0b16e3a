"""Django's admin holds the memberships (which organisations a user acts for): listed with the
user's name, e-mail and role, filtered by organisation and role, searched by user or
organisation, and given on the user's own page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from boardpack.web.records.models import Membership, Organisation
from boardpack.web.records.roles import OWNER, PERFORMANCE_OFFICER

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    admin = User.objects.create_superuser("ada", "ada@example.gov.uk", "a long test password")
    client = Client()
    client.force_login(admin)
    north = Organisation.objects.create(code="E1", name="Northshire County Council")
    south = Organisation.objects.create(code="E2", name="Southshire County Council")
    olive = User.objects.create_user(
        "olive", "olive@north.gov.uk", first_name="Olive", last_name="Owner"
    )
    olive.groups.add(Group.objects.get(name=OWNER))
    pat = User.objects.create_user("pat", "pat@south.gov.uk", first_name="Pat", last_name="Smith")
    pat.groups.add(Group.objects.get(name=PERFORMANCE_OFFICER))
    Membership.objects.create(user=olive, organisation=north)
    Membership.objects.create(user=pat, organisation=south)
    return client, olive, north


def test_memberships_are_listed_with_name_email_role_and_organisation(admin_client):
    client, _, north = admin_client
    listed = client.get(reverse("admin:boardpack_membership_changelist"))
    assert listed.status_code == 200
    page = listed.content.decode()
    for words in ("Olive Owner", "olive@north.gov.uk", "owner", "Northshire County Council (E1)"):
        assert words in page
    assert "performance officer" in page and "Southshire" in page
    by_organisation = client.get(
        reverse("admin:boardpack_membership_changelist"), {"organisation__id__exact": north.pk}
    ).content.decode()
    assert "olive@north.gov.uk" in by_organisation and "pat@south.gov.uk" not in by_organisation
    role = Group.objects.get(name=PERFORMANCE_OFFICER)
    by_role = client.get(
        reverse("admin:boardpack_membership_changelist"), {"user__groups__id__exact": role.pk}
    ).content.decode()
    assert "pat@south.gov.uk" in by_role and "olive@north.gov.uk" not in by_role


@pytest.mark.parametrize("words", ["north.gov", "Olive", "E1", "Northshire"])
def test_memberships_are_searched_by_user_or_organisation(admin_client, words):
    client = admin_client[0]
    found = client.get(reverse("admin:boardpack_membership_changelist"), {"q": words})
    page = found.content.decode()
    assert "olive@north.gov.uk" in page and "pat@south.gov.uk" not in page


def test_a_users_page_gives_the_organisations_they_act_for(admin_client):
    client, olive, north = admin_client
    page = client.get(reverse("admin:auth_user_change", args=[olive.pk])).content.decode()
    assert "Organisations this user acts for (none: every organisation)" in page
    assert f'<option value="{north.pk}" selected>' in page
