"""Packs prepared ahead of publishing: built once every figure is approved, kept by Publish
when nothing changed since, built again at the click when something did; the publish page
says how the preparation goes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from boardpack.web import cycle, prepared, store
from boardpack.web.live import stamp
from boardpack.web.records.models import PublishedPack

from . import test_cycle
from .test_cycle import entry

pytestmark = pytest.mark.django_db
cycle_setup, opened = test_cycle.cycle_setup, test_cycle.opened  # the same fixtures
LAYOUT = "quarterly-report"


@pytest.fixture(autouse=True)
def own_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("BOARDPACK_PREPARED_DIR", str(tmp_path / "prepared"))


def approve_all(period, users) -> None:
    for ref, value in (("ADM1", "2600"), ("PB1", "40")):
        cycle.save_entry(period, ref, users["officer"], entry(value))
        cycle.submit(period, ref, users["officer"])
        cycle.approve(period, ref, users["second_officer"])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def progress(period) -> dict:
    return prepared.progress(period, LAYOUT, stamp(period.organisation))


def test_nothing_is_prepared_while_a_figure_waits_for_approval(opened):
    period, users = opened
    cycle.prepare(period, LAYOUT)
    assert progress(period) == {"state": "none"}


def test_publish_keeps_the_pack_prepared_when_nothing_changed(opened, monkeypatch):
    period, users = opened
    approve_all(period, users)
    cycle.prepare(period, LAYOUT)
    assert progress(period)["state"] == "ready"
    ready = prepared.taken(period, LAYOUT, stamp(period.organisation), wait=0)
    page = signed_in(users["officer"]).get(reverse("publish", args=[period.pk])).content.decode()
    assert "Ready to publish" in page and 'http-equiv="refresh"' not in page

    def no_build(*args, **kwargs):
        raise AssertionError("the prepared pack should have been kept")

    monkeypatch.setattr(store, "build_pack_files", no_build)
    pack = cycle.publish(period, LAYOUT, users["officer"])
    assert pack.as_at == ready.as_at
    assert {f.path: f.data() for f in pack.files.all()} == ready.files
    assert "index.html" in ready.files


def test_a_change_after_preparing_is_built_again_at_the_click(opened):
    period, users = opened
    approve_all(period, users)
    cycle.prepare(period, LAYOUT)
    ready = prepared.taken(period, LAYOUT, stamp(period.organisation), wait=0)
    cycle.add_discussion(period, "ADM1", users["officer"], "panel", "Asked about beds")
    assert progress(period) == {"state": "none"}  # the Store moved on
    pack = cycle.publish(period, LAYOUT, users["officer"])
    assert pack.as_at > ready.as_at
    adm1 = pack.files.get(path="indicators/adm1.html").data().decode()
    assert (
        "Asked about beds" in adm1
        and "Asked about beds" not in ready.files["indicators/adm1.html"].decode()
    )
    assert PublishedPack.objects.count() == 1


def test_the_publish_page_refreshes_while_the_pack_is_prepared(opened):
    period, users = opened
    approve_all(period, users)
    prepared.folder(period, LAYOUT, stamp(period.organisation)).mkdir(parents=True)
    assert progress(period)["state"] == "started"
    page = signed_in(users["officer"]).get(reverse("publish", args=[period.pk])).content.decode()
    assert "Preparing the pack" in page and 'http-equiv="refresh"' in page
    assert prepared.taken(period, LAYOUT, stamp(period.organisation), wait=0) is None


def test_every_layout_the_organisation_publishes_is_prepared(opened, small_project, monkeypatch):
    from boardpack.web.live import forget
    from boardpack.web.store import import_project

    period, users = opened
    with (small_project / "boardpack.yaml").open("a", encoding="utf-8") as catalogue:
        catalogue.write("layouts:\n  scorecard:\n    indicator_pages: exceptions\n")
    import_project(small_project)
    forget()
    approve_all(period, users)
    assert cycle.published_layouts(period) == [LAYOUT, "scorecard"]
    officer = signed_in(users["officer"])
    page = officer.get(reverse("publish", args=[period.pk])).content.decode()
    assert "Balanced Scorecard: built when you publish" in page

    at = stamp(period.organisation)
    prepared.folder(period, LAYOUT, at).mkdir(parents=True)  # the first under way
    page = officer.get(reverse("publish", args=[period.pk])).content.decode()
    assert "Quarterly Performance Report: being prepared" in page
    assert "Balanced Scorecard: waiting its turn" in page and 'http-equiv="refresh"' in page
    prepared.folder(period, LAYOUT, at).rmdir()

    cycle.prepare_all(period)
    states = prepared.progress_of(period, [LAYOUT, "scorecard"], at)
    assert {layout: s["state"] for layout, s in states.items()} == {
        LAYOUT: "ready",
        "scorecard": "ready",
    }
    page = officer.get(reverse("publish", args=[period.pk])).content.decode()
    assert "Ready to publish" in page and 'http-equiv="refresh"' not in page
    ready = prepared.taken(period, "scorecard", at, wait=0)

    def no_build(*args, **kwargs):
        raise AssertionError("the prepared scorecard should have been kept")

    monkeypatch.setattr(store, "build_pack_files", no_build)
    pack = cycle.publish(period, "scorecard", users["officer"])
    assert {f.path: f.data() for f in pack.files.all()} == ready.files


def test_a_layout_published_before_is_prepared_too(opened):
    period, users = opened
    approve_all(period, users)
    assert cycle.published_layouts(period) == [LAYOUT]
    cycle.publish(period, "kpi-appendix", users["officer"])
    assert cycle.published_layouts(period) == [LAYOUT, "kpi-appendix"]
