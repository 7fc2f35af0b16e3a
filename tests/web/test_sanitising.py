"""Commentary and discussion are Markdown from users: whatever they type, no script reaches a
page, in the app or in a published pack."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from boardpack.web import cycle
from boardpack.web.records.models import Commentary

from . import test_cycle
from .test_cycle import entry

cycle_setup, opened = test_cycle.cycle_setup, test_cycle.opened

pytestmark = pytest.mark.django_db

HOSTILE = (
    "Admissions fell. <script>alert('stored')</script>\n\n"
    "[Details](javascript:alert('link')) <img src=x onerror=\"alert('image')\">\n\n"
    '<iframe src="https://example.invalid"></iframe>\n\n**Bold** stays.'
)
DANGEROUS = ("<script", "javascript:", "onerror", "<iframe")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_harmless(page: str) -> None:
    for marker in DANGEROUS:
        assert marker not in page.lower(), f"{marker} reached the page"


def test_hostile_commentary_is_kept_as_typed_but_shown_without_script(opened):
    period, users = opened
    owner = signed_in(users["owner"])
    answer = owner.post(
        reverse("enter", args=[period.pk, "ADM1"]),
        {**entry("2600"), "commentary": HOSTILE, "action": "save"},
    )
    assert answer.status_code == 302
    stored = Commentary.objects.current().get(
        indicator="ADM1", section="commentary", period=period.label
    )
    assert stored.markdown == HOSTILE  # the record is what was typed, for the audit trail
    cycle.submit(period, "ADM1", users["owner"])
    cycle.return_submission(period, "ADM1", users["officer"], HOSTILE)
    officer = signed_in(users["officer"])
    for address in (
        reverse("indicator", args=["ADM1"]),
        reverse("review", args=[period.pk, "ADM1"]),
    ):
        page = officer.get(address).content.decode()
        assert "<strong>Bold</strong> stays." in page
        assert_harmless(page)
    form = owner.get(reverse("enter", args=[period.pk, "ADM1"])).content.decode()
    assert "&lt;script&gt;" in form  # shown back in the text box as text, escaped
    assert "<script" not in form
