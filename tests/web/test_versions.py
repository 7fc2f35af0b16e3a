"""Versions: every change a new row, nothing overwritten or deleted, `as_at` picks the version
standing at a time, and a save from a stale version is refused with the other person's name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from boardpack.web.records.changes import Conflict, save_version
from boardpack.web.records.models import AuditEntry, Commentary, Observation, Organisation
from boardpack.web.records.versioning import ImmutableVersion

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 7, 1, 9, 0, tzinfo=dt.UTC)
KEY = {"indicator": "ADM1", "period": "Q1 2025/26", "section": "commentary"}


@pytest.fixture
def org():
    return Organisation.objects.create(code="E10000099", name="Smallshire")


@pytest.fixture
def ann():
    return User.objects.create_user("ann")


@pytest.fixture
def bob():
    return User.objects.create_user("bob")


def write(org, user, text, base, at):
    return save_version(
        Commentary,
        org,
        KEY,
        {"markdown": text},
        base_version=base,
        user=user,
        reason="monthly update",
        at=at,
    )


def test_each_save_is_a_new_row_and_as_at_picks_the_version_then(org, ann, bob):
    write(org, ann, "First draft", 0, T0)
    write(org, bob, "Second draft", 1, T0 + dt.timedelta(hours=2))
    history = Commentary.objects.history(org, **KEY)
    assert [(c.version, c.markdown, c.saved_by.username) for c in history] == [
        (1, "First draft", "ann"),
        (2, "Second draft", "bob"),
    ]
    at = lambda when: [c.markdown for c in Commentary.objects.current(when).filter(**KEY)]  # noqa: E731
    assert at(T0 - dt.timedelta(seconds=1)) == []
    assert at(T0) == ["First draft"]
    assert at(T0 + dt.timedelta(hours=1)) == ["First draft"]
    assert at(None) == ["Second draft"]


def test_an_unchanged_save_makes_no_version(org, ann):
    write(org, ann, "Same", 0, T0)
    assert write(org, ann, "Same", 1, T0 + dt.timedelta(minutes=5)) is None
    assert Commentary.objects.count() == 1
    assert AuditEntry.objects.count() == 1


def test_a_stale_save_is_refused_naming_who_saved_since_and_keeping_both_texts(org, ann, bob):
    write(org, ann, "Ann's version", 0, T0)
    write(org, bob, "Bob's version", 1, T0 + dt.timedelta(minutes=1))
    with pytest.raises(Conflict) as raised:
        write(org, ann, "Ann's second thoughts", 1, T0 + dt.timedelta(minutes=2))
    conflict = raised.value
    assert "The commentary for ADM1" in str(conflict) and "changed by bob" in str(conflict)
    assert conflict.theirs.version == 2 and "version" not in str(conflict)
    assert conflict.theirs.markdown == "Bob's version"
    assert conflict.yours == {"markdown": "Ann's second thoughts"}
    assert [c.markdown for c in Commentary.objects.current().filter(**KEY)] == ["Bob's version"]
    assert Commentary.objects.count() == 2


def test_two_new_records_on_the_same_key_cannot_both_land(org, ann, bob):
    write(org, ann, "Ann first", 0, T0)
    with pytest.raises(Conflict, match="ann"):
        write(org, bob, "Bob also first", 0, T0)


def test_the_database_refuses_a_second_row_for_one_version(org):
    write(org, None, "One", 0, T0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Commentary.objects.bulk_create(
            [Commentary(organisation=org, version=1, valid_from=T0, markdown="Two", **KEY)]
        )


def test_versions_are_never_changed_or_deleted(org, ann):
    row = write(org, ann, "Kept", 0, T0)
    row.markdown = "Overwritten"
    with pytest.raises(ImmutableVersion):
        row.save()
    with pytest.raises(ImmutableVersion):
        row.delete()
    with pytest.raises(ImmutableVersion):
        Commentary.objects.filter(pk=row.pk).update(markdown="Overwritten")
    with pytest.raises(ImmutableVersion):
        Commentary.objects.all().delete()
    assert Commentary.objects.get().markdown == "Kept"


def test_withdrawing_leaves_the_history_and_hides_the_record_from_then_on(org, ann):
    write(org, ann, "Text", 0, T0)
    save_version(
        Commentary,
        org,
        KEY,
        {},
        base_version=1,
        user=ann,
        withdrawn=True,
        at=T0 + dt.timedelta(days=1),
    )
    assert Commentary.objects.current().count() == 0
    assert Commentary.objects.current(T0 + dt.timedelta(hours=1)).count() == 1
    assert Commentary.objects.count() == 2


def test_every_change_is_audited_with_before_and_after(org, ann, bob):
    key = {"indicator": "ADM1", "area": "E10000099", "period": "Q1 2025/26"}
    figure = {
        "period_start": dt.date(2025, 4, 1),
        "period_end": dt.date(2025, 6, 30),
        "end_month": 2025 * 12 + 5,
        "value": 2501.0,
    }
    save_version(Observation, org, key, figure, base_version=0, user=ann, at=T0)
    save_version(
        Observation,
        org,
        key,
        {"value": 2725.0},
        base_version=1,
        user=bob,
        reason="late returns",
        at=T0 + dt.timedelta(days=30),
    )
    first, second = AuditEntry.objects.order_by("at")
    assert (first.action, first.user.username, first.before, first.after["value"]) == (
        "created",
        "ann",
        None,
        2501.0,
    )
    assert (second.action, second.user.username, second.reason) == (
        "revised",
        "bob",
        "late returns",
    )
    assert (second.before["value"], second.after["value"]) == (2501.0, 2725.0)
    assert second.record == "ADM1 E10000099 Q1 2025/26" and second.version == 2
