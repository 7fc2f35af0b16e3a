"""A refusal (403) is a page in the app's own layout saying what the user tried, why they may
not (their role in which organisation, an indicator not assigned to them, another
organisation's pages), who may, and whom to ask for access; a form that fails the CSRF check
gets such a page too, not Django's own."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from boardpack.web.records.models import Membership, Organisation

from . import test_cycle
from .test_cycle import LABEL

pytestmark = pytest.mark.django_db
cycle_setup, opened = test_cycle.cycle_setup, test_cycle.opened  # the same fixtures


def signed_in(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def text(response) -> str:
    """The page's words, entities read, spaces collapsed."""
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def administrator():
    return User.objects.create_superuser(
        "ada", "ada@smallshire.gov.uk", "a long test password", first_name="Ada", last_name="Lane"
    )


def in_the_apps_layout(page: str, user: str) -> None:
    assert "Skip to main content" in page and 'class="app-nav"' in page
    assert f"Signed in as {user} (" in page and "Sign out" in page


def test_a_role_refusal_says_what_was_tried_why_who_may_and_whom_to_ask(cycle_setup, administrator):
    _, users = cycle_setup
    answer = signed_in(users["owner"]).get(reverse("periods"))
    assert answer.status_code == 403
    page = text(answer)
    in_the_apps_layout(page, "Olive")
    assert "<h1>You cannot open, close and reopen reporting periods</h1>" in page
    assert "You opened the page <code>/periods/</code>" in page
    assert "Only performance officers and administrators may do this" in page
    assert "signed in as Olive, with the role owner in Smallshire County Council" in page
    who = page[page.index("<dt>Who can</dt>") : page.index("<dt>How to get access</dt>")]
    assert "Performance officers and administrators: " in who
    assert "Pat, " in who and 'Ada Lane (<a href="mailto:ada@smallshire.gov.uk">' in who
    assert "Olive" not in who and "Vera" not in who
    assert "ask an administrator to give you the performance officer role: Ada Lane (" in page
    assert "Forbidden" not in page


def test_a_refused_form_names_the_step_it_asked_for(opened):
    period, users = opened
    for who, role in (("viewer", "viewer"), ("owner", "owner")):
        answer = signed_in(users[who]).post(
            reverse("periods"), {"action": "close", "period": period.pk}
        )
        assert answer.status_code == 403
        page = text(answer)
        assert "You sent a form on the page <code>/periods/</code>" in page, who
        assert f"with the role {role} in Smallshire County Council" in page
    owner = signed_in(users["owner"])
    refused = owner.post(reverse("review", args=[period.pk, "ADM1"]), {"action": "approve"})
    assert refused.status_code == 403
    assert "<h1>You cannot approve submissions</h1>" in text(refused)


def test_an_indicator_not_assigned_is_named_with_who_assigns_it(opened):
    period, users = opened
    answer = signed_in(users["owner"]).get(reverse("enter", args=[period.pk, "PB1"]))
    assert answer.status_code == 403
    page = text(answer)
    assert "<h1>You cannot enter figures and commentary for PB1</h1>" in page
    assert "PB1 is not assigned to you" in page
    assert "PB1's owners (the people it is assigned to), performance officers" in page
    assert "ask a performance officer to assign it to you on the Assignments page" in page


def test_a_user_of_another_organisation_is_told_whose_pages_these_are(
    cycle_setup, administrator, settings
):
    _, users = cycle_setup
    settings.BOARDPACK_ORGANISATION = "E10000099"
    elsewhere = Organisation.objects.create(code="E00000002", name="Otherborough Council")
    Membership.objects.create(user=users["second_officer"], organisation=elsewhere)
    answer = signed_in(users["second_officer"]).get(reverse("tasks"))
    assert answer.status_code == 403
    page = text(answer)
    assert "You act for Otherborough Council, and these pages are Smallshire County Council's" in (
        page
    )
    assert "acting for Otherborough Council" in page
    assert "ask an administrator to add it to your organisations: Ada Lane" in page


def test_a_form_failing_the_csrf_check_says_to_open_the_page_again(cycle_setup):
    _, users = cycle_setup
    client = signed_in(users["officer"], enforce_csrf_checks=True)
    answer = client.post(reverse("periods"), {"action": "open", "label": LABEL})
    assert answer.status_code == 403
    page = text(answer)
    in_the_apps_layout(page, "Pat")
    assert "<h1>The form could not be sent</h1>" in page and "nothing was saved" in page
    assert '<a href="/periods/">Open the page again</a>' in page
    assert "CSRF verification failed" not in page
