"""One rule for the entry form and the upload: owners change their figures only in open
periods while not submitted or approved; an officer's change to an approved figure sends it
back for review; a published period's figure changes only by an officer's revision, listed as
a restatement in the next pack."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from boardpack.web import cycle
from boardpack.web.records.models import AuditEntry, Observation, ReportingPeriod
from boardpack.web.store import restatements

from . import test_cycle
from .test_cycle import LABEL, entry, submission

cycle_setup, opened = test_cycle.cycle_setup, test_cycle.opened  # the fixtures

pytestmark = pytest.mark.django_db


def upload(client, period, content: str):
    return client.post(
        f"/periods/{period.pk}/upload/",
        {
            "action": "check",
            "layout": "tidy",
            "file": SimpleUploadedFile("figures.csv", content.encode()),
        },
    )


def confirm(client, period, response):
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    return client.post(f"/periods/{period.pk}/upload/", {"action": "confirm", "token": token})


def figure_row(value: str, label: str = LABEL) -> str:
    return f"indicator,period,value\nADM1,{label},{value}\n"


def approved(period, users, value="2600"):
    cycle.save_entry(period, "ADM1", users["owner"], entry(value))
    cycle.submit(period, "ADM1", users["owner"])
    cycle.approve(period, "ADM1", users["officer"])


def value_now(label: str = LABEL) -> float:
    return Observation.objects.current().get(indicator="ADM1", period=label).value


def test_an_owners_upload_cannot_change_an_approved_figure(client, opened):
    period, users = opened
    approved(period, users)
    client.force_login(users["owner"])
    refused = upload(client, period, figure_row("2725"))
    assert refused.status_code == 400
    assert "ADM1 is approved; it can be changed only when a performance officer returns it" in (
        refused.content.decode()
    )
    assert value_now() == 2600.0
    with pytest.raises(cycle.CycleError, match="ADM1 is approved"):
        cycle.save_entry(period, "ADM1", users["owner"], entry("2725", base_figure="1"))


def test_an_owners_upload_cannot_change_history_or_a_published_period(client, opened):
    period, users = opened
    client.force_login(users["owner"])
    history = upload(client, period, figure_row("2999", "Q1 2024/25"))
    assert "Q1 2024/25 is not in an open reporting period" in history.content.decode()
    ReportingPeriod.objects.filter(pk=period.pk).update(status="published")
    later = ReportingPeriod.objects.create(organisation=period.organisation, label="Q4 2024/25")
    published = upload(client, later, figure_row("1"))
    assert "Q3 2024/25 is published; only a performance officer can revise" in (
        published.content.decode()
    )
    assert Observation.objects.current().filter(indicator="ADM1", period=LABEL).count() == 0


def test_an_officers_change_to_an_approved_figure_sends_it_back_for_review(client, opened):
    period, users = opened
    approved(period, users)
    client.force_login(users["officer"])
    preview = upload(client, period, figure_row("2725"))
    assert "Approved: goes back for review" in preview.content.decode()
    done = confirm(client, period, preview)
    assert done.status_code == 302
    assert (value_now(), submission(period).status) == (2725.0, "submitted")
    assert AuditEntry.objects.filter(action="sent back for review").count() == 1


def test_the_entry_form_sends_an_approved_figure_back_for_review_too(opened):
    period, users = opened
    approved(period, users)
    cycle.save_entry(period, "ADM1", users["officer"], entry("2725", base_figure="1"))
    assert submission(period).status == "submitted"


def test_a_published_figure_changes_only_by_an_officers_revision_a_restatement(client, opened):
    period, users = opened
    approved(period, users)
    cycle.save_entry(period, "PB1", users["officer"], entry("40"))
    cycle.submit(period, "PB1", users["officer"])
    cycle.approve(period, "PB1", users["second_officer"])
    pack = cycle.publish(period, "quarterly-report", users["officer"])
    with pytest.raises(cycle.CycleError, match="published"):
        cycle.save_entry(period, "ADM1", users["owner"], entry("2700", base_figure="1"))
    client.force_login(users["officer"])
    preview = upload(client, period, figure_row("2725"))
    assert "Q3 2024/25 is published: a restatement in the next pack" in preview.content.decode()
    assert confirm(client, period, preview).status_code == 302
    (revised,) = restatements(period.label, pack.published_at, period.organisation)
    assert "Q3 2024/25 figure revised from 2,600 to 2,725" in revised.text
    assert submission(period).status == "approved"  # published: stays approved
    cycle.save_entry(period, "ADM1", users["officer"], entry("2730", base_figure="2"))
    assert value_now() == 2730.0


def test_a_month_or_a_year_belongs_to_the_reporting_period_it_ends_in(opened):
    from boardpack.web import figure_rules

    period, _ = opened
    december, year, before = figure_rules.standings(
        period.organisation,
        [
            ("ADM1", "Dec 2024", dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
            ("ADM1", "2024/25", dt.date(2024, 4, 1), dt.date(2025, 3, 31)),
            ("ADM1", "Sep 2024", dt.date(2024, 9, 1), dt.date(2024, 9, 30)),
        ],
    )
    assert december.period == period and december.submission.indicator == "ADM1"
    assert (year.period, before.period) == (None, None)  # Q4 and Q2 are not in the cycle
