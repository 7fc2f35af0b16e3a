"""Two people saving the same record at the same moment from the same version: one save lands,
the other is refused with a conflict; no update is lost. Real parallel transactions need a
server database, so this runs on PostgreSQL (`.ci/test-postgres`). An approval racing a
correction of the figure never approves a figure its approver did not see."""

from __future__ import annotations

import threading

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import User
from django.db import connection, connections

from boardpack.web import cycle
from boardpack.web.records.changes import Conflict, save_version
from boardpack.web.records.models import Commentary, Organisation, Submission
from boardpack.web.records.roles import apply_roles

from . import test_cycle
from .test_cycle import entry

cycle_setup, opened = test_cycle.cycle_setup, test_cycle.opened  # the fixtures

KEY = {"indicator": "ADM1", "period": "Q1 2025/26", "section": "commentary"}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_simultaneous_saves_from_one_version_keep_one_and_refuse_the_other():
    org = Organisation.objects.create(code="E1", name="One")
    save_version(Commentary, org, KEY, {"markdown": "Base"}, base_version=0)
    users = [User.objects.create_user(name) for name in ("ann", "bob")]
    start, outcomes = threading.Barrier(2), {}

    def edit(user):
        try:
            start.wait()
            save_version(
                Commentary,
                org,
                KEY,
                {"markdown": f"{user.username}'s text"},
                base_version=1,
                user=user,
            )
            outcomes[user.username] = "saved"
        except Conflict as conflict:
            outcomes[user.username] = conflict
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = [name for name, outcome in outcomes.items() if outcome == "saved"]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, Conflict)]
    assert len(saved) == 1 and len(refused) == 1
    assert saved[0] in str(refused[0]) and refused[0].yours["markdown"] != f"{saved[0]}'s text"
    texts = [c.markdown for c in Commentary.objects.history(org, **KEY)]
    assert texts == ["Base", f"{saved[0]}'s text"]


@pytest.fixture
def roles_made():
    """The roles' groups, which the migrations made and an earlier test's flush removed."""
    apply_roles(django_apps)


def test_an_approval_racing_a_correction_never_approves_a_figure_unseen(roles_made, opened):
    """One officer approves the figure they saw while another corrects it, at the same moment:
    either the approval lands first and the correction sends the figure back for review, or
    the correction lands first and the approval is refused with a conflict. Never an approved
    figure its approver did not see."""
    period, users = opened
    cycle.save_entry(period, "ADM1", users["owner"], entry("2600"))
    cycle.submit(period, "ADM1", users["owner"])
    seen = cycle.entry_versions(period, "ADM1")
    start, outcomes = threading.Barrier(2), {}

    def approve():
        try:
            start.wait()
            cycle.approve(period, "ADM1", users["officer"], "Fine", seen)
            outcomes["approve"] = "approved"
        except cycle.EntryConflict as clash:
            outcomes["approve"] = clash
        finally:
            connections.close_all()

    def correct():
        try:
            start.wait()
            cycle.save_entry(
                period, "ADM1", users["second_officer"], entry("2610", base_figure="1")
            )
            outcomes["correct"] = "saved"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve), threading.Thread(target=correct)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes["correct"] == "saved"
    status = Submission.objects.get(period=period, indicator="ADM1").status
    assert status == "submitted"  # sent back after the approval, or never approved
    if outcomes["approve"] != "approved":
        assert "was changed after you opened this page" in str(outcomes["approve"])
