"""The reporting cycle's rules (`boardpack.web.cycle`): opening periods, entering figures,
conflicts, submission steps, manual ratings and publishing."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from boardpack.periods import parse_period
from boardpack.web import cycle
from boardpack.web.live import forget, live
from boardpack.web.records.models import (
    Assignment,
    AuditEntry,
    Commentary,
    Discussion,
    Observation,
    RatingOverride,
    ReportingPeriod,
    Submission,
)
from boardpack.web.records.roles import OWNER, PERFORMANCE_OFFICER, VIEWER
from boardpack.web.store import find_organisation, import_project

pytestmark = pytest.mark.django_db
LABEL = "Q3 2024/25"
AREA = "E10000099"


def person(name: str, role: str) -> User:
    user = User.objects.create_user(name, password="a long test password", first_name=name.title())
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def cycle_setup(small_project):
    """The small project imported, an owner of ADM1, two officers and a viewer."""
    forget()
    import_project(small_project)
    org = find_organisation()
    users = {
        "owner": person("olive", OWNER),
        "other_owner": person("oscar", OWNER),
        "officer": person("pat", PERFORMANCE_OFFICER),
        "second_officer": person("quinn", PERFORMANCE_OFFICER),
        "viewer": person("vera", VIEWER),
    }
    Assignment.objects.create(organisation=org, user=users["owner"], indicator="ADM1")
    return org, users


@pytest.fixture
def opened(cycle_setup):
    """Q3 2024/25 open with a deadline a week away."""
    org, users = cycle_setup
    deadline = timezone.now() + dt.timedelta(days=7)
    period = cycle.open_period(org, LABEL, deadline, users["officer"])
    return period, users


def entry(value="2600", **more) -> dict:
    return {"value": value, "base_figure": "0", **more}


def submission(period, ref="ADM1") -> Submission:
    return Submission.objects.get(period=period, indicator=ref)


def report(period) -> pl.DataFrame:
    """The period's evaluated rows, every indicator, as the Store stands now."""
    forget()
    chosen = parse_period(period.label)
    return live(period.organisation).evaluated.report(chosen.end_month, AREA)


# --- periods -------------------------------------------------------------------------------


def test_opening_a_period_makes_a_draft_for_each_due_indicator(opened):
    period, _ = opened
    assert period.label == LABEL and period.status == "open"
    drafts = Submission.objects.filter(period=period)
    assert sorted(drafts.values_list("indicator", flat=True)) == ["ADM1", "PB1"]
    assert set(drafts.values_list("status", flat=True)) == {"draft"}
    assert AuditEntry.objects.filter(action="opened", record=LABEL).exists()


def test_period_labels_are_read_and_written_canonically(cycle_setup):
    org, users = cycle_setup
    deadline = timezone.now()
    period = cycle.open_period(org, "Quarter 3 2024/2025", deadline, users["officer"])
    assert period.label == LABEL
    with pytest.raises(cycle.Invalid) as again:
        cycle.open_period(org, LABEL, deadline, users["officer"])
    assert "already in the cycle (open)" in again.value.errors["label"]
    with pytest.raises(cycle.Invalid) as bad:
        cycle.open_period(org, "Q5 2024", deadline, users["officer"])
    assert "Cannot read the period" in bad.value.errors["label"]
    with pytest.raises(cycle.Invalid) as no_deadline:
        cycle.open_period(org, "Q4 2024/25", "", users["officer"])
    assert "deadline" in no_deadline.value.errors


def test_only_officers_open_and_close_periods(cycle_setup, opened):
    org, users = cycle_setup
    period, _ = opened
    with pytest.raises(PermissionDenied):
        cycle.open_period(org, "Q4 2024/25", timezone.now(), users["owner"])
    with pytest.raises(PermissionDenied):
        cycle.close_period(period, users["owner"])
    cycle.close_period(period, users["officer"])
    period.refresh_from_db()
    assert period.status == "closed"
    with pytest.raises(cycle.CycleError, match="not open"):
        cycle.close_period(period, users["officer"])


def test_officers_reopen_a_closed_period_but_never_a_published_one(cycle_setup, opened):
    org, users = cycle_setup
    period, _ = opened
    with pytest.raises(cycle.CycleError, match="is open, not closed, so it cannot be reopened"):
        cycle.reopen_period(period, users["officer"])
    cycle.close_period(period, users["officer"])
    with pytest.raises(PermissionDenied):
        cycle.reopen_period(period, users["owner"])
    cycle.reopen_period(period, users["officer"])
    period.refresh_from_db()
    assert period.status == "open"
    moves = AuditEntry.objects.filter(kind="reporting period", record=period.label)
    assert list(moves.values_list("action", flat=True)) == ["opened", "closed", "reopened"]
    ReportingPeriod.objects.filter(pk=period.pk).update(status="published")
    for move in (cycle.close_period, cycle.reopen_period):
        with pytest.raises(cycle.CycleError, match="is published .its pack is frozen."):
            move(period, users["officer"])


# --- tasks ---------------------------------------------------------------------------------


def test_owners_see_their_own_tasks_and_officers_every_one(opened):
    period, users = opened
    assert [t.submission.indicator for t in cycle.tasks(users["owner"], period.organisation)] == [
        "ADM1"
    ]
    assert cycle.tasks(users["other_owner"], period.organisation) == []
    every = cycle.tasks(users["officer"], period.organisation)
    assert sorted(t.submission.indicator for t in every) == ["ADM1", "PB1"]
    assert every[0].title in ("Admissions to care homes", "People with a personal budget")


def test_a_task_is_overdue_after_the_deadline_until_submitted(opened):
    period, users = opened
    later = period.deadline + dt.timedelta(hours=1)
    owner_tasks = cycle.tasks(users["owner"], period.organisation, now=later)
    assert [t.overdue for t in owner_tasks] == [True]
    assert not cycle.tasks(users["owner"], period.organisation)[0].overdue
    cycle.save_entry(period, "ADM1", users["owner"], entry())
    cycle.submit(period, "ADM1", users["owner"])
    assert not cycle.tasks(users["owner"], period.organisation, now=later)[0].overdue
    only = cycle.tasks(users["officer"], period.organisation, status="submitted")
    assert [t.submission.indicator for t in only] == ["ADM1"]


# --- entering figures ----------------------------------------------------------------------


def test_an_entry_saves_the_figure_and_commentary_as_versions(opened):
    period, users = opened
    saved = cycle.save_entry(
        period,
        "ADM1",
        users["owner"],
        entry("2,640", note="provisional", commentary="Admissions *fell*.", actions="Review."),
    )
    assert len(saved) == 3
    figure = Observation.objects.current().get(indicator="ADM1", period=LABEL)
    chosen = parse_period(LABEL)
    assert (figure.area, figure.value, figure.note) == (AREA, 2640.0, "provisional")
    assert (figure.period_start, figure.period_end, figure.end_month) == (
        chosen.start,
        chosen.end,
        chosen.end_month,
    )
    assert figure.saved_by == users["owner"]
    sections = Commentary.objects.current().filter(indicator="ADM1", period=LABEL)
    assert {c.section: c.markdown for c in sections} == {
        "commentary": "Admissions *fell*.",
        "actions": "Review.",
    }
    assert AuditEntry.objects.filter(kind="observation", record=f"ADM1 {AREA} {LABEL}").exists()
    rows = report(period)
    assert rows.filter(pl.col("indicator") == "ADM1")["value"].to_list() == [2640.0]


def test_a_percentage_is_checked_against_its_numerator_and_denominator(opened):
    period, users = opened
    officer = users["officer"]
    with pytest.raises(cycle.Invalid) as bad:
        cycle.save_entry(period, "PB1", officer, entry("forty"))
    assert "must be a number" in bad.value.errors["value"]
    with pytest.raises(cycle.Invalid) as larger:
        cycle.save_entry(period, "PB1", officer, entry("", numerator="12", denominator="10"))
    assert "larger than the denominator" in larger.value.errors["numerator"]
    with pytest.raises(cycle.Invalid) as mismatch:
        cycle.save_entry(period, "PB1", officer, entry("45", numerator="400", denominator="1000"))
    assert "does not match" in mismatch.value.errors["value"]
    assert not Observation.objects.filter(indicator="PB1", period=LABEL).exists()
    cycle.save_entry(period, "PB1", officer, entry("40.04", numerator="400", denominator="1000"))
    cycle.save_entry(
        period, "PB1", officer, entry("", numerator="401", denominator="1000", base_figure="1")
    )
    figure = Observation.objects.current().get(indicator="PB1", period=LABEL)
    assert (figure.value, figure.numerator, figure.version) == (40.1, 401.0, 2)


def test_a_bad_figure_saves_no_commentary_either(opened):
    period, users = opened
    with pytest.raises(cycle.Invalid):
        cycle.save_entry(period, "ADM1", users["owner"], entry("lots", commentary="Words"))
    assert not Commentary.objects.filter(indicator="ADM1", period=LABEL).exists()


def test_the_second_of_two_editors_is_refused_and_loses_nothing(opened):
    period, users = opened
    cycle.save_entry(period, "ADM1", users["officer"], entry("2600", commentary="Pat's words"))
    with pytest.raises(cycle.EntryConflict) as clash:
        cycle.save_entry(period, "ADM1", users["owner"], entry("2700", commentary="Olive's words"))
    conflicts = clash.value.conflicts
    assert set(conflicts) == {"figure", "commentary"}
    assert "The figure for ADM1 in Q3 2024/25 was changed by Pat" in str(clash.value)
    assert conflicts["commentary"].theirs.markdown == "Pat's words"
    assert conflicts["commentary"].yours["markdown"] == "Olive's words"
    assert [o.value for o in Observation.objects.filter(indicator="ADM1", period=LABEL)] == [2600.0]


def test_owners_edit_only_their_indicators_while_editable(opened):
    period, users = opened
    for who in ("other_owner", "viewer"):
        with pytest.raises(PermissionDenied):
            cycle.save_entry(period, "ADM1", users[who], entry())
    with pytest.raises(PermissionDenied):
        cycle.save_entry(period, "PB1", users["owner"], entry("40"))
    cycle.save_entry(period, "ADM1", users["owner"], entry())
    cycle.submit(period, "ADM1", users["owner"])
    with pytest.raises(cycle.CycleError, match="submitted for review"):
        cycle.save_entry(period, "ADM1", users["owner"], entry("2610", base_figure="1"))
    cycle.save_entry(period, "ADM1", users["officer"], entry("2610", base_figure="1"))


# --- submissions ---------------------------------------------------------------------------


def test_submission_steps_follow_the_cycle(opened):
    period, users = opened
    owner, officer = users["owner"], users["officer"]
    with pytest.raises(cycle.CycleError, match="enter the figure"):
        cycle.submit(period, "ADM1", owner)
    cycle.save_entry(period, "ADM1", owner, entry())
    with pytest.raises(cycle.CycleError, match="it is not submitted"):
        cycle.approve(period, "ADM1", officer)
    with pytest.raises(PermissionDenied):
        cycle.submit(period, "ADM1", users["other_owner"])
    assert cycle.submit(period, "ADM1", owner).status == "submitted"
    with pytest.raises(PermissionDenied):
        cycle.approve(period, "ADM1", owner)
    with pytest.raises(cycle.Invalid):
        cycle.return_submission(period, "ADM1", officer, "  ")
    assert cycle.return_submission(period, "ADM1", officer, "Why so high?").status == "returned"
    cycle.add_discussion(period, "ADM1", owner, "answer", "Winter pressures.")
    cycle.submit(period, "ADM1", owner)
    assert cycle.approve(period, "ADM1", officer).status == "approved"
    with pytest.raises(cycle.CycleError, match="it is approved"):
        cycle.return_submission(period, "ADM1", officer, "Again?")
    kinds = list(Discussion.objects.filter(period=period).values_list("kind", flat=True))
    assert kinds == ["challenge", "answer", "approval"]
    actions = AuditEntry.objects.filter(kind="submission").values_list("action", flat=True)
    assert list(actions) == ["submitted", "returned", "submitted", "approved"]


def test_answers_need_a_challenge_and_panel_notes_need_an_officer(opened):
    period, users = opened
    with pytest.raises(cycle.CycleError, match="no open challenge"):
        cycle.add_discussion(period, "ADM1", users["owner"], "answer", "Nothing to answer")
    with pytest.raises(PermissionDenied):
        cycle.add_discussion(period, "ADM1", users["owner"], "panel", "We met")
    with pytest.raises(cycle.CycleError):
        cycle.add_discussion(period, "ADM1", users["officer"], "approval", "Sneaky")
    cycle.add_discussion(period, "ADM1", users["officer"], "panel", "Discussed at panel")
    cycle.add_discussion(period, "ADM1", users["officer"], "action", "Audit placements")
    assert Discussion.objects.filter(period=period).count() == 2


# --- manual ratings ------------------------------------------------------------------------


def test_a_manual_rating_is_approved_by_another_officer_only(opened):
    period, users = opened
    cycle.save_entry(period, "ADM1", users["owner"], entry("2900"))
    with pytest.raises(cycle.Invalid) as missing:
        cycle.request_override(period, "ADM1", users["owner"], "purple", "")
    assert set(missing.value.errors) == {"rag", "reason"}
    asked = cycle.request_override(period, "ADM1", users["owner"], "amber", "Data lag")
    with pytest.raises(cycle.CycleError, match="already waiting"):
        cycle.request_override(period, "ADM1", users["officer"], "green", "Other")
    with pytest.raises(PermissionDenied):
        cycle.decide_override(asked.pk, users["owner"], True)
    own = cycle.request_override(period, "PB1", users["officer"], "green", "Counted late")
    with pytest.raises(cycle.CycleError, match="another performance officer"):
        cycle.decide_override(own.pk, users["officer"], True)
    assert cycle.decide_override(asked.pk, users["officer"], True).decision == "approved"
    with pytest.raises(cycle.CycleError, match="already approved"):
        cycle.decide_override(asked.pk, users["second_officer"], False)
    saved = RatingOverride.objects.current().get(indicator="ADM1", period=LABEL)
    assert (saved.rag, saved.reason_text, saved.approved_by, saved.area) == (
        "amber",
        "Data lag",
        "Pat",
        AREA,
    )
    assert saved.approver == users["officer"]
    rows = report(period)
    assert rows.filter(pl.col("indicator") == "ADM1")["rag"].cast(str).to_list() == ["amber"]
    assert cycle.decide_override(own.pk, users["second_officer"], False).decision == "refused"
    assert not RatingOverride.objects.filter(indicator="PB1", period=LABEL).exists()


# --- publishing ----------------------------------------------------------------------------


def test_publishing_waits_for_every_approval_and_freezes_the_pack(opened):
    period, users = opened
    officer = users["officer"]
    cycle.save_entry(period, "ADM1", officer, entry("2600"))
    cycle.submit(period, "ADM1", officer)
    cycle.approve(period, "ADM1", users["second_officer"])
    with pytest.raises(cycle.CycleError, match=r"PB1 \(not submitted\)"):
        cycle.publish(period, "quarterly-report", officer)
    cycle.save_entry(period, "PB1", officer, entry("40"))
    cycle.submit(period, "PB1", officer)
    cycle.approve(period, "PB1", users["second_officer"])
    with pytest.raises(cycle.Invalid):
        cycle.publish(period, "benchmarking", officer)
    with pytest.raises(PermissionDenied):
        cycle.publish(period, "quarterly-report", users["owner"])
    pack = cycle.publish(period, "quarterly-report", officer)
    page = pack.files.get(path="indicators/adm1.html").data()
    assert b"2,600" in page
    period.refresh_from_db()
    assert period.status == "published"
    with pytest.raises(cycle.CycleError, match="published"):
        cycle.save_entry(period, "ADM1", users["owner"], entry("2725", base_figure="1"))
    cycle.save_entry(period, "ADM1", officer, entry("2725", base_figure="1"))  # a revision
    assert pack.files.get(path="indicators/adm1.html").data() == page
    assert AuditEntry.objects.filter(action="published").count() == 1
