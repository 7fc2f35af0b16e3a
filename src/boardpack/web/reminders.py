"""E-mail reminders to owners: a few days before a period's deadline, and once it has passed,
each owner with figures still to submit gets one e-mail listing them, with a link to each
entry form. Each kind of reminder goes once per owner and period (`ReminderSent`), so
`boardpack remind` can run as often as the council likes (hourly from cron, say).

This module is loaded by the command line before Django is set up, so the models are imported
inside the functions that use them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import click
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boardpack.periods import parse_period

from .commands import db_option

#: How many days before its deadline a period's first reminder goes.
REMINDER_DAYS_BEFORE = 3
TEMPLATES = "boardpack/email/reminder"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    """One kind of reminder: its name (as `ReminderSent.kind` stores it), its subject, and
    whether it is due given the deadline and the time now."""

    name: str
    subject: str
    due: Callable[[dt.datetime, dt.datetime], bool]


KINDS = (
    Kind(
        "before",
        "Reminder: {count} to submit for {period} by {deadline}",
        lambda deadline, now: deadline - dt.timedelta(days=REMINDER_DAYS_BEFORE) <= now < deadline,
    ),
    Kind(
        "after",
        "Overdue: {count} for {period} not yet submitted (deadline {deadline})",
        lambda deadline, now: now >= deadline,
    ),
)


@dataclass(frozen=True)
class Due:
    """An indicator the owner still has to submit, with its entry form's address."""

    ref: str
    title: str
    status: str
    link: str


class Sent(list):
    """The messages sent; `skipped` names the owners who were due one but have no e-mail
    address."""

    def __init__(self):
        super().__init__()
        self.skipped: list[str] = []


@dataclass
class Reminder:
    """What one owner is reminded of for one period."""

    period: object
    user: object
    kind: Kind
    due: list[Due]


def entry_link(period, ref: str) -> str:
    """The full address of an indicator's entry form for the period."""
    return settings.SITE_URL.rstrip("/") + reverse("enter", args=[period.id, ref])


def send_reminders(now=None) -> Sent:
    """Send every reminder due now: for each open period with a deadline, to each owner who
    has indicators neither submitted nor approved. Returns the messages sent."""
    from .records.models import ReportingPeriod

    now = now or timezone.now()
    sent = Sent()
    periods = ReportingPeriod.objects.filter(
        status=ReportingPeriod.Status.OPEN, deadline__isnull=False
    ).select_related("organisation")
    for period in periods:
        kind = next((k for k in KINDS if k.due(period.deadline, now)), None)
        if kind is None:
            continue
        for reminder in reminders(period, kind):
            _send_once(reminder, now, sent)
    return sent


def reminders(period, kind: Kind) -> list[Reminder]:
    """The reminders of `kind` owed for `period` and not yet sent: one per owner with
    indicators due in it that are still a draft or returned (no submission yet counts as a
    draft). Performance officers and administrators edit every indicator and are not
    reminded."""
    from . import access, cycle
    from .records.models import Assignment, Indicator, ReminderSent, Submission

    Status = Submission.Status
    organisation = period.organisation
    due = cycle.due_refs(organisation, parse_period(period.label, "quarterly"))
    statuses = dict(Submission.objects.filter(period=period).values_list("indicator", "status"))
    titles = dict(
        Indicator.objects.current().filter(organisation=organisation).values_list("ref", "title")
    )
    already = set(
        ReminderSent.objects.filter(period=period, kind=kind.name).values_list("user", flat=True)
    )
    users = {
        a.user for a in Assignment.objects.filter(organisation=organisation).select_related("user")
    }
    found = []
    for user in sorted(users, key=lambda u: u.get_username()):
        refs = access.editable_refs(user, organisation)
        if not user.is_active or refs is None or user.pk in already:
            continue
        pending = [
            Due(ref, titles.get(ref, ""), Status(status).label, entry_link(period, ref))
            for ref in due
            if ref in refs
            for status in [statuses.get(ref, Status.DRAFT)]
            if status not in cycle.DONE
        ]
        if pending:
            found.append(Reminder(period, user, kind, pending))
    return found


def message(reminder: Reminder) -> EmailMultiAlternatives:
    """The e-mail: plain text with an HTML alternative, from the `email/` templates."""
    period, user = reminder.period, reminder.user
    deadline = f"{timezone.localtime(period.deadline):%d %b %Y %H:%M}"
    count = len(reminder.due)
    context = {
        "name": user.get_full_name() or user.get_username(),
        "period": period,
        "deadline": deadline,
        "kind": reminder.kind.name,
        "due": reminder.due,
        "site": settings.SITE_URL,
    }
    subject = reminder.kind.subject.format(
        count=f"{count} indicator{'s' if count != 1 else ''}",
        period=period.label,
        deadline=deadline,
    )
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{TEMPLATES}.txt", context),
        to=[user.email],
    )
    email.attach_alternative(render_to_string(f"{TEMPLATES}.html", context), "text/html")
    return email


def _send_once(reminder: Reminder, now, sent: Sent) -> None:
    """Send the reminder and note it in one transaction: a failed send notes nothing (it is
    tried again next time), and the unique note stops a second copy."""
    from .records.models import ReminderSent

    user = reminder.user
    if not user.email:
        who = f"{user.get_username()} ({reminder.period.label}, {reminder.kind.name})"
        log.warning("no e-mail address for %s; reminder not sent", who)
        sent.skipped.append(who)
        return
    email = message(reminder)
    with transaction.atomic():
        _, created = ReminderSent.objects.get_or_create(
            period=reminder.period, user=user, kind=reminder.kind.name, defaults={"sent_at": now}
        )
        if created:
            email.send()
            sent.append(email)


@click.command("remind")
@db_option
def remind_command(db: str | None) -> None:
    """E-mail owners whose figures are due within a few days or overdue (each reminder once)."""
    from .commands import setup_database

    setup_database(db)
    sent = send_reminders()
    for who in sent.skipped:
        click.echo(f"Not sent to {who}: no e-mail address; add one to the user", err=True)
    click.echo(f"Sent {len(sent)} reminder{'s' if len(sent) != 1 else ''}")
