"""Monthly indicators through the entry form: a field set per month due, each month saved under
its own period, and the published pack keeps their direction of travel and previous rating."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boardpack.web import cycle
from boardpack.web.live import forget
from boardpack.web.records.models import Assignment, Observation, Submission
from boardpack.web.records.roles import OWNER, PERFORMANCE_OFFICER
from boardpack.web.store import find_organisation, import_project

from .test_cycle import LABEL, person, report

pytestmark = pytest.mark.django_db

PROJECT = """\
organisation:
  code: E10000099
  name: Smallshire County Council
indicators:
  - ref: DTOC1
    title: Delayed transfers of care
    polarity: lower_better
    unit: number
    frequency: monthly
    targets:
      - {period: 2024/25, target: 100, floor: 120}
  - ref: ADM1
    title: Admissions to care homes
    polarity: lower_better
    unit: number
    frequency: quarterly
    targets:
      - {period: 2024/25, target: 2600, floor: 2800}
data:
  - file: data/figures.csv
"""
FIGURES = """\
indicator,organisation,period,value
DTOC1,E10000099,Jul 2024,130
DTOC1,E10000099,Aug 2024,125
DTOC1,E10000099,Sep 2024,118
ADM1,E10000099,Q2 2024/25,2650
"""
MONTHS = {"oct-2024": "112", "nov-2024": "104", "dec-2024": "95"}


@pytest.fixture
def monthly(tmp_path):
    folder = tmp_path / "smallshire"
    (folder / "data").mkdir(parents=True)
    (folder / "boardpack.yaml").write_text(PROJECT, encoding="utf-8")
    (folder / "data" / "figures.csv").write_text(FIGURES, encoding="utf-8")
    forget()
    import_project(folder)
    org = find_organisation()
    users = {
        "owner": person("olive", OWNER),
        "officer": person("pat", PERFORMANCE_OFFICER),
        "second_officer": person("quinn", PERFORMANCE_OFFICER),
    }
    Assignment.objects.create(organisation=org, user=users["owner"], indicator="DTOC1")
    deadline = timezone.now() + dt.timedelta(days=7)
    period = cycle.open_period(org, LABEL, deadline, users["officer"])
    return period, users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def months_form(**changed) -> dict:
    form = {f"base_figure-{m}": "0" for m in MONTHS}
    form.update({f"{m}-value": value for m, value in MONTHS.items()})
    return {**form, **changed}


def test_the_form_asks_for_each_month_due(monthly):
    period, users = monthly
    page = signed_in(users["owner"]).get(reverse("enter", args=[period.pk, "DTOC1"]))
    text = page.content.decode()
    for month, label in (
        ("oct-2024", "Oct 2024"),
        ("nov-2024", "Nov 2024"),
        ("dec-2024", "Dec 2024"),
    ):
        assert f'name="{month}-value"' in text and f"<legend>{label}</legend>" in text
        assert f'name="base_figure-{month}" value="0"' in text
    assert 'name="value"' not in text
    quarterly = signed_in(users["officer"]).get(reverse("enter", args=[period.pk, "ADM1"]))
    assert 'name="value"' in quarterly.content.decode()


def test_a_month_left_blank_is_saved_later_and_submitting_needs_every_month(monthly):
    period, users = monthly
    client = signed_in(users["owner"])
    url = reverse("enter", args=[period.pk, "DTOC1"])
    partial = months_form(**{"dec-2024-value": "", "action": "submit"})
    answer = client.post(url, partial)
    assert answer.status_code == 409
    assert "enter the figure for Dec 2024 for DTOC1" in answer.content.decode()
    assert not Observation.objects.filter(indicator="DTOC1", period="Oct 2024").exists()
    client.post(url, {**partial, "action": "save"})
    saved = Observation.objects.current().filter(indicator="DTOC1")
    assert sorted(saved.values_list("period", flat=True)) == [
        "Aug 2024",
        "Jul 2024",
        "Nov 2024",
        "Oct 2024",
        "Sep 2024",
    ]
    bad = client.post(url, {**months_form(), "dec-2024-value": "lots", "action": "save"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert 'href="#dec-2024-value"' in page and "The figure for Dec 2024 must be a number" in page


def test_monthly_figures_entered_through_the_form_keep_direction_and_previous_rating(monthly):
    period, users = monthly
    owner, officer = signed_in(users["owner"]), signed_in(users["officer"])
    answer = owner.post(
        reverse("enter", args=[period.pk, "DTOC1"]), {**months_form(), "action": "submit"}
    )
    assert answer.status_code == 302
    officer.post(
        reverse("enter", args=[period.pk, "ADM1"]),
        {"value": "2590", "base_figure": "0", "action": "submit"},
    )
    for ref in ("DTOC1", "ADM1"):
        signed_in(users["second_officer"]).post(
            reverse("review", args=[period.pk, ref]), {"action": "approve"}
        )
    assert set(Submission.objects.values_list("status", flat=True)) == {"approved"}
    published = officer.post(
        reverse("publish", args=[period.pk]), {"action": "publish", "layout": "quarterly-report"}
    )
    assert published.status_code == 302
    row = report(period).filter(indicator="DTOC1").row(0, named=True)
    assert (row["period"], row["value"], row["previous_period"]) == ("Dec 2024", 95.0, "Nov 2024")
    assert row["direction"] == "improving" and row["previous_rag"] == "amber"
    pack = period.packs.get()
    index = pack.files.get(path="index.html").data().decode()
    summary = index[index.index('id="summary"') :]
    shown = summary[summary.index(">Delayed transfers of care<") :].split("</tr>")[0]
    current, previous, direction = re.findall(r'class="badge ([a-z_-]+)"', shown)[:3]
    assert (current, previous, direction) == ("rag-green", "rag-amber", "direction-improving")
