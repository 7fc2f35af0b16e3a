"""`revise` given one frame of figures (as an import gives them) decides and saves exactly what
it does given the same figures as dicts: the same counts, versions and audit entries, through
new, changed, unchanged, withdrawn and returning figures."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from boardpack.dataset.schema import OBSERVATIONS
from boardpack.web import frames
from boardpack.web.records.changes import revise
from boardpack.web.records.compare import frame_comparable
from boardpack.web.records.models import AuditEntry, Indicator, Observation, Organisation

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 7, 1, 9, 0, tzinfo=dt.UTC)


def figure(indicator: str, period: str, month: int, value, **extra) -> dict:
    return {
        "indicator": indicator,
        "organisation": "E10000099",
        "period": period,
        "period_start": dt.date(2025, month, 1),
        "period_end": dt.date(2025, month, 28),
        "end_month": 2025 * 12 + month,
        "value": value,
        "status": extra.pop("status", "final"),
        "source": "data/figures.csv",
        **extra,
    }


A = figure("ADM1", "Apr 2025", 4, 10.0)
B = figure("ADM1", "May 2025", 5, 11.5, note="estimated")
C = figure("PB1", "Apr 2025", 4, 39.0)
D = figure("PB1", "May 2025", 5, None, missing_reason="not collected")
E = figure("PB1", "Jun 2025", 6, 41.0)

#: Each import: the figures given, and whether those missing are withdrawn.
STEPS = [
    ([A, B, C, D], True),
    ([A, {**B, "value": 12.0}, {**D, "value": 5.0, "missing_reason": None}, E], True),
    ([{**C, "value": 40.0}, {**A, "status": "provisional"}], False),
    ([A, {**B, "note": None}, C, D, E], True),
    ([A, {**B, "note": None}, C, D, {**E, "source": "data/other.csv"}], True),
]


def observations(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=OBSERVATIONS.columns)


def stored(org) -> list[tuple]:
    fields = ("indicator", "area", "period", "version", "withdrawn", "reason", *Observation.VALUES)
    return list(Observation.objects.filter(organisation=org).order_by(*fields).values_list(*fields))


def audited(org) -> list[tuple]:
    fields = ("action", "kind", "record", "version", "before", "after", "reason")
    return list(AuditEntry.objects.filter(organisation=org).order_by("id").values_list(*fields))


def counts(done) -> tuple:
    return done.created, done.revised, done.withdrawn, done.unchanged


def test_a_frame_of_figures_is_revised_as_the_same_figures_as_dicts():
    as_dicts = Organisation.objects.create(code="E10000099", name="Smallshire")
    as_frame = Organisation.objects.create(code="E10000098", name="Othershire")
    seen = []
    for step, (rows, withdraw) in enumerate(STEPS):
        at = T0 + dt.timedelta(days=step)
        table = frames.observation_table(observations(rows))
        by_dicts = revise(
            Observation,
            as_dicts,
            table.to_dicts(),
            at=at,
            reason=f"step {step}",
            withdraw_missing=withdraw,
        )
        by_frame = revise(
            Observation, as_frame, table, at=at, reason=f"step {step}", withdraw_missing=withdraw
        )
        assert counts(by_frame) == counts(by_dicts)
        seen.append(counts(by_frame))
    assert seen == [(4, 0, 0, 0), (1, 2, 1, 1), (1, 1, 0, 0), (0, 4, 0, 1), (0, 0, 0, 5)]
    assert stored(as_frame) == stored(as_dicts)
    assert audited(as_frame) == audited(as_dicts)


def test_records_holding_json_are_compared_as_dicts_not_as_frames():
    assert frame_comparable(Observation)
    assert not frame_comparable(Indicator)  # its definition is JSON, read through Django
