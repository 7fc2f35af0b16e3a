"""A published pack is frozen; figures revised after it appear as restatements in the next."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from boardpack.web.records.changes import save_version
from boardpack.web.records.models import Observation, ReportingPeriod
from boardpack.web.store import find_organisation, import_project, publish_pack, restatements

from .conftest import rewrite

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2024, 10, 10, 9, 0, tzinfo=dt.UTC)
PUBLISHED = T0 + dt.timedelta(days=10)
REVISED = T0 + dt.timedelta(days=20)
ADM1_Q1 = {"indicator": "ADM1", "area": "E10000099", "period": "Q1 2024/25"}


def revise_adm1(value: float, user=None, at=REVISED, period="Q1 2024/25"):
    org = find_organisation()
    key = {**ADM1_Q1, "period": period}
    latest = Observation.objects.as_at().get(organisation=org, **key)
    return save_version(
        Observation,
        org,
        key,
        {"value": value},
        base_version=latest.version,
        user=user,
        reason="late returns",
        at=at,
    )


def test_a_revision_after_publication_is_listed_with_its_words(small_project):
    import_project(small_project, at=T0)
    officer = User.objects.create_user("officer")
    revise_adm1(2725.0, user=officer)
    (found,) = restatements("Q3 2024/25", PUBLISHED)
    assert found.text == "Q1 2024/25 figure revised from 2,501 to 2,725"
    assert (found.indicator, found.before, found.after) == ("ADM1", 2501.0, 2725.0)
    assert (found.revised_by, found.reason, found.revised_at) == (
        "officer",
        "late returns",
        REVISED,
    )


def test_percentages_are_worded_in_their_unit(small_project):
    import_project(small_project, at=T0)
    rewrite(small_project / "data" / "figures.csv", "Q1 2024/25,38.5", "Q1 2024/25,37.25")
    import_project(small_project, at=REVISED)
    (found,) = restatements("Q2 2024/25", PUBLISHED)
    assert found.text == "Q1 2024/25 figure revised from 38.5% to 37.3%"


def test_revisions_before_publication_and_later_periods_are_not_restatements(small_project):
    import_project(small_project, at=T0)
    revise_adm1(2600.0, at=PUBLISHED - dt.timedelta(days=1))
    assert restatements("Q2 2024/25", PUBLISHED) == []
    revise_adm1(2700.0, period="Q2 2024/25")
    assert restatements("Q1 2024/25", PUBLISHED) == []  # Q2 is after the pack's period
    assert [r.period for r in restatements("Q2 2024/25", PUBLISHED)] == ["Q2 2024/25"]


def test_a_published_pack_is_frozen_against_later_revisions(small_project, tmp_path):
    import_project(small_project, at=T0)
    org = find_organisation()
    period = ReportingPeriod.objects.create(organisation=org, label="Q1 2024/25")
    pack = publish_pack(period, as_at=PUBLISHED)
    index = pack.files.get(path="indicators/adm1.html").data().decode()
    assert "Result 2,501 against" in index
    revise_adm1(2725.0)
    period.refresh_from_db()
    assert period.status == "published"
    again = pack.files.get(path="indicators/adm1.html").data().decode()
    assert again == index and "2,725" not in again
    (found,) = restatements(period, pack.as_at)
    assert found.after == 2725.0


def test_the_next_published_pack_lists_the_revision_and_the_first_does_not(small_project):
    import_project(small_project, at=T0)
    org = find_organisation()
    first_period = ReportingPeriod.objects.create(organisation=org, label="Q1 2024/25")
    first = publish_pack(first_period, as_at=PUBLISHED)
    revise_adm1(2725.0, user=User.objects.create_user("officer"))
    second_period = ReportingPeriod.objects.create(organisation=org, label="Q2 2024/25")
    second = publish_pack(second_period, as_at=REVISED + dt.timedelta(days=1))
    before = first.files.get(path="index.html").data().decode()
    after = second.files.get(path="index.html").data().decode()
    assert "Figures revised since the last published pack" not in before
    assert "Q1 2024/25 figure revised from 2,501 to 2,725" in after
    assert "by officer (late returns)" in after
