"""Importing a project: all or nothing, new versions only where a value changed, every
problem reported as `boardpack validate` reports it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps

from boardpack.catalogue import CatalogueError
from boardpack.errors import BoardpackError
from boardpack.web.records.models import AuditEntry, Commentary, Observation, Target
from boardpack.web.store import dataset_from_store, import_project

from .conftest import rewrite

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2025, 8, 1, 12, 0, tzinfo=dt.UTC)
LATER = T0 + dt.timedelta(days=40)


def snapshot() -> dict[str, int]:
    """Rows in every table of the Store."""
    return {m.__name__: m.objects.count() for m in apps.get_app_config("boardpack").get_models()}


def test_a_first_import_creates_every_record(small_project):
    done = import_project(small_project, at=T0)
    assert (done["observation"].created, done["target"].created, done["commentary"].created) == (
        4,
        2,
        2,
    )
    assert done["indicator"].created == 2 and done["ratingoverride"].created == 1


def test_importing_the_same_files_again_changes_nothing(small_project):
    import_project(small_project, at=T0)
    before = snapshot()
    done = import_project(small_project, at=LATER)
    assert all(r.changed == 0 for r in done.values())
    after = snapshot()
    assert after.pop("AuditEntry") == before.pop("AuditEntry") + 1  # the import itself
    assert after == before


def test_a_changed_figure_becomes_a_new_version_and_the_old_one_stays(small_project):
    import_project(small_project, at=T0)
    rewrite(small_project / "data" / "figures.csv", "Q1 2024/25,2501", "Q1 2024/25,2725")
    done = import_project(small_project, reason="Q1 restated", at=LATER)
    assert (done["observation"].revised, done["observation"].unchanged) == (1, 3)
    versions = Observation.objects.filter(indicator="ADM1", period="Q1 2024/25").order_by("version")
    assert [(o.version, o.value, o.reason) for o in versions] == [
        (1, 2501.0, "imported from project files"),
        (2, 2725.0, "Q1 restated"),
    ]
    value = lambda ds: ds.observations.filter(period="Q1 2024/25", indicator="ADM1")["value"].item()  # noqa: E731
    assert value(dataset_from_store(as_at=T0)) == 2501.0
    assert value(dataset_from_store()) == 2725.0
    entry = AuditEntry.objects.get(kind="observation", action="revised")
    assert (entry.before["value"], entry.after["value"], entry.reason) == (
        2501.0,
        2725.0,
        "Q1 restated",
    )


def test_changed_targets_and_commentary_are_versioned_too(small_project):
    import_project(small_project, at=T0)
    rewrite(small_project / "boardpack.yaml", "target: 2600", "target: 2550")
    rewrite(
        small_project / "commentary" / "q2.md",
        "Review every placement.",
        "Review placements weekly.",
    )
    import_project(small_project, at=LATER)
    assert Target.objects.filter(indicator="ADM1").count() == 2
    assert (
        Commentary.objects.current().get(section="actions").markdown == "Review placements weekly."
    )
    assert dataset_from_store(as_at=T0).targets.filter(indicator="ADM1")[
        "target"
    ].unique().to_list() == [2600.0]


def test_a_figure_gone_from_the_files_is_withdrawn_not_deleted(small_project):
    import_project(small_project, at=T0)
    rewrite(
        small_project / "data" / "figures.csv", "ADM1,E10000099,Q2 2024/25,2650,,,provisional\n", ""
    )
    done = import_project(small_project, at=LATER)
    assert done["observation"].withdrawn == 1
    assert len(dataset_from_store().observations) == 3
    assert len(dataset_from_store(as_at=T0).observations) == 4
    assert Observation.objects.count() == 5


def test_a_bad_data_file_leaves_the_database_unchanged(small_project):
    import_project(small_project, at=T0)
    before = snapshot()
    rewrite(small_project / "data" / "figures.csv", "Q1 2024/25,2501", "Q1 2024/25,2725")
    rewrite(
        small_project / "data" / "figures.csv",
        "PB1,E10000099,Q2 2024/25,39.0",
        "PB1,E10000099,Q2 2024/25,lots",
    )
    rewrite(small_project / "commentary" / "q2.md", "# ADM1", "# ADM9")
    with pytest.raises(BoardpackError) as raised:
        import_project(small_project, at=LATER)
    message = str(raised.value)
    assert "figures.csv" in message and "lots" in message  # the file and the bad value
    assert "ADM9" in message and "q2.md, line 1" in message  # every problem, not just the first
    assert snapshot() == before


def test_a_bad_catalogue_is_reported_with_file_and_line_and_nothing_is_saved(small_project):
    rewrite(small_project / "boardpack.yaml", "polarity: lower_better", "polarity: lower")
    with pytest.raises(
        CatalogueError, match=r"boardpack.yaml, line 8 \(indicators\[0\].polarity\)"
    ):
        import_project(small_project)
    assert sum(snapshot().values()) == 0


def test_a_failure_inside_the_transaction_rolls_everything_back(small_project, monkeypatch):
    import_project(small_project, at=T0)
    before = snapshot()
    rewrite(small_project / "data" / "figures.csv", "Q1 2024/25,2501", "Q1 2024/25,2725")
    rewrite(small_project / "commentary" / "q2.md", "Review every placement.", "Changed.")

    import boardpack.web.store as store

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store.frames, "report_records", broken)
    with pytest.raises(RuntimeError):
        import_project(small_project, at=LATER)
    assert snapshot() == before
