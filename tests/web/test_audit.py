"""The audit log exported as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from boardpack.web.records.audit import CSV_COLUMNS, export_csv, record
from boardpack.web.store import import_project

from .conftest import rewrite

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2025, 8, 1, 12, 0, tzinfo=dt.UTC)


def rows() -> list[dict]:
    return list(csv.DictReader(io.StringIO(export_csv())))


def test_every_imported_record_is_in_the_log(small_project):
    import_project(small_project, at=T0)
    kinds = [r["kind"] for r in rows()]
    # 2 indicators, 2 targets, 4 figures, 2 commentary sections, 1 override, 7 report
    # tables (risks, revenue, capital, commitments, narrative, revisions, records' quality),
    # the project settings, the organisation and the import itself
    assert len(kinds) == 2 + 2 + 4 + 2 + 1 + 7 + 1 + 1 + 1
    assert kinds.count("report table") == 7
    assert kinds.count("observation") == 4


def test_the_export_shows_who_what_and_the_values_before_and_after(small_project):
    import_project(small_project, at=T0)
    rewrite(small_project / "data" / "figures.csv", "Q1 2024/25,2501", "Q1 2024/25,2725")
    import_project(small_project, reason="restated", at=T0 + dt.timedelta(days=1))
    record("approved", "period", "Q1 2024/25", reason="all figures in")
    exported = rows()
    assert list(exported[0]) == list(CSV_COLUMNS)
    (revised,) = [r for r in exported if r["action"] == "revised"]
    assert revised["record"] == "ADM1 E10000099 Q1 2024/25" and revised["version"] == "2"
    assert json.loads(revised["before"])["value"] == 2501.0
    assert json.loads(revised["after"])["value"] == 2725.0
    assert revised["organisation"] == "E10000099" and revised["reason"] == "restated"
    assert exported[-1]["action"] == "approved"
