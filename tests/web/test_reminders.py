"""E-mail reminders: before the deadline and once overdue, each once per owner and period,
listing the indicators still to submit with a link to each entry form."""

from __future__ import annotations

import datetime as dt
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import override_settings

from boardpack.web.live import forget
from boardpack.web.records.models import Assignment, ReminderSent, ReportingPeriod, Submission
from boardpack.web.records.roles import OWNER, PERFORMANCE_OFFICER
from boardpack.web.reminders import REMINDER_DAYS_BEFORE, remind_command, send_reminders
from boardpack.web.store import find_organisation, import_project

pytestmark = pytest.mark.django_db
LOCMEM = override_settings(
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    SITE_URL="https://boardpack.example.gov.uk",
)
DEADLINE = dt.datetime(2024, 11, 15, 17, 0, tzinfo=dt.UTC)
BEFORE = DEADLINE - dt.timedelta(days=REMINDER_DAYS_BEFORE - 1)
AFTER = DEADLINE + dt.timedelta(hours=1)


def person(username: str, role: str = OWNER) -> User:
    user = User.objects.create_user(username, email=f"{username}@smallshire.gov.uk")
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def cycle(small_project):
    """Smallshire with Q2 2024/25 open until DEADLINE; Ann owns ADM1, Bob owns PB1."""
    forget()
    import_project(small_project)
    org = find_organisation()
    period = ReportingPeriod.objects.create(organisation=org, label="Q2 2024/25", deadline=DEADLINE)
    ann, bob = person("ann"), person("bob")
    Assignment.objects.create(organisation=org, user=ann, indicator="ADM1")
    Assignment.objects.create(organisation=org, user=bob, indicator="PB1")
    return period, ann, bob


def submit(period, ref: str, status: str) -> None:
    Submission.objects.create(period=period, indicator=ref, status=status, changed_at=DEADLINE)


def text_of(message) -> str:
    return message.body


def html_of(message) -> str:
    ((html, kind),) = message.alternatives
    assert kind == "text/html"
    return html


@LOCMEM
def test_before_the_deadline_each_owner_gets_their_own_indicators_once(cycle):
    period, ann, bob = cycle
    sent = send_reminders(now=BEFORE)
    assert sorted(m.to[0] for m in sent) == ["ann@smallshire.gov.uk", "bob@smallshire.gov.uk"]
    assert len(mail.outbox) == 2
    to_ann = next(m for m in mail.outbox if m.to == ["ann@smallshire.gov.uk"])
    assert to_ann.subject == "Reminder: 1 indicator to submit for Q2 2024/25 by 15 Nov 2024 17:00"
    link = f"https://boardpack.example.gov.uk/periods/{period.id}/indicators/ADM1/"
    assert link in text_of(to_ann) and f'href="{link}"' in html_of(to_ann)
    assert "Admissions to care homes (not submitted)" in text_of(to_ann)
    assert "PB1" not in text_of(to_ann) and "PB1" not in html_of(to_ann)
    assert set(ReminderSent.objects.values_list("user__username", "kind")) == {
        ("ann", "before"),
        ("bob", "before"),
    }
    assert send_reminders(now=BEFORE + dt.timedelta(hours=1)) == []
    assert len(mail.outbox) == 2


@LOCMEM
def test_nothing_is_sent_before_the_reminder_window(cycle):
    too_early = DEADLINE - dt.timedelta(days=REMINDER_DAYS_BEFORE, minutes=1)
    assert send_reminders(now=too_early) == []
    assert ReminderSent.objects.count() == 0


@LOCMEM
def test_after_the_deadline_an_overdue_reminder_goes_once_as_well(cycle):
    period, ann, bob = cycle
    send_reminders(now=BEFORE)
    overdue = send_reminders(now=AFTER)
    assert len(overdue) == 2
    subjects = {m.subject for m in overdue}
    assert subjects == {
        "Overdue: 1 indicator for Q2 2024/25 not yet submitted (deadline 15 Nov 2024 17:00)"
    }
    assert "The deadline for Q2 2024/25 was 15 Nov 2024 17:00" in text_of(overdue[0])
    assert send_reminders(now=AFTER + dt.timedelta(days=2)) == []
    assert ReminderSent.objects.filter(kind="after").count() == 2


@LOCMEM
def test_submitted_and_approved_indicators_are_left_out_returned_ones_are_not(cycle):
    period, ann, bob = cycle
    Assignment.objects.create(organisation=period.organisation, user=ann, indicator="PB1")
    submit(period, "ADM1", "submitted")
    submit(period, "PB1", "returned")
    sent = send_reminders(now=BEFORE)
    to_ann = next(m for m in sent if m.to == ["ann@smallshire.gov.uk"])
    assert "ADM1" not in text_of(to_ann)
    assert "PB1 People with a personal budget (returned with a challenge)" in text_of(to_ann)
    Submission.objects.filter(indicator="PB1").update(status="approved")
    assert send_reminders(now=AFTER) == []


@LOCMEM
def test_owners_without_an_address_are_skipped_and_reported(cycle):
    period, ann, bob = cycle
    bob.email = ""
    bob.save()
    sent = send_reminders(now=BEFORE)
    assert [m.to for m in sent] == [["ann@smallshire.gov.uk"]]
    assert sent.skipped == ["bob (Q2 2024/25, before)"]
    assert not ReminderSent.objects.filter(user=bob).exists()


@LOCMEM
def test_closed_periods_periods_without_deadline_and_officers_get_none(cycle):
    period, ann, bob = cycle
    officer = person("olive", PERFORMANCE_OFFICER)
    Assignment.objects.create(organisation=period.organisation, user=officer, indicator="ADM1")
    sent = send_reminders(now=BEFORE)
    assert "olive@smallshire.gov.uk" not in [m.to[0] for m in sent]
    ReportingPeriod.objects.filter(pk=period.pk).update(status="closed")
    ReportingPeriod.objects.create(organisation=period.organisation, label="Q3 2024/25")
    assert send_reminders(now=AFTER) == []


@LOCMEM
def test_the_remind_command_sends_and_counts(cycle):
    period, ann, bob = cycle
    bob.email = ""
    bob.save()
    ReportingPeriod.objects.filter(pk=period.pk).update(
        deadline=dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    )
    result = CliRunner().invoke(remind_command, [])
    assert result.exit_code == 0, result.output
    assert "Sent 1 reminder" in result.output
    assert "Not sent to bob" in result.output
    assert [m.to for m in mail.outbox] == [["ann@smallshire.gov.uk"]]


class Inbox:
    """An SMTP handler keeping every message it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_reminder_arrives_at_a_real_smtp_server(cycle):
    period, ann, bob = cycle
    Assignment.objects.filter(user=bob).delete()
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            SITE_URL="https://boardpack.example.gov.uk",
        ):
            sent = send_reminders(now=BEFORE)
    finally:
        controller.stop()
    assert len(sent) == 1
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == ["ann@smallshire.gov.uk"]
    received = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert received["Subject"].startswith("Reminder: 1 indicator to submit for Q2 2024/25")
    assert received["To"] == "ann@smallshire.gov.uk"
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    link = f"https://boardpack.example.gov.uk/periods/{period.id}/indicators/ADM1/"
    assert link in text and link in html
