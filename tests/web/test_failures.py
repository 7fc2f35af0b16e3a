"""No unlogged 500s: damaged forms and NUL characters get clear 4xx pages, every server error
is logged with the request id its page shows, a database that does not answer gives a 503 page
and the app recovers by itself, and a double-clicked Publish makes one pack."""

from __future__ import annotations

import logging
import threading

import pytest
from django.db import OperationalError, connection
from django.test import Client

from boardpack.web import cycle
from boardpack.web.records.models import PublishedPack

from . import test_cycle
from .test_cycle import entry

pytestmark = pytest.mark.django_db
cycle_setup, opened = test_cycle.cycle_setup, test_cycle.opened  # the fixtures
ON_POSTGRES = connection.vendor == "postgresql"


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def approve_all(period, users) -> None:
    for ref, value in (("ADM1", "2600"), ("PB1", "40")):
        cycle.save_entry(period, ref, users["officer"], entry(value))
        cycle.submit(period, ref, users["officer"])
        cycle.approve(period, ref, users["second_officer"])


@pytest.mark.parametrize(
    "address, data",
    [
        ("/periods/", {"action": "close", "period": "abc"}),
        ("/periods/", {"action": "reopen", "period": "1 OR 1=1"}),
        ("review", {"action": "approve_override", "request": "x"}),
        ("review", {"action": "approve", "base_figure": "1e3"}),
        ("enter", {"action": "save", "value": "2600", "base_figure": "one"}),
        ("enter", {"action": "save", "value": "2600", "base_commentary": "-1"}),
        ("/assignments/", {"action": "remove", "assignment": "7; DROP TABLE"}),
        ("/catalogue/ADM1/", {"action": "withdraw_target", "target_when": "", "target_base": "1"}),
        (
            "/catalogue/ADM1/",
            {"action": "change_target", "target_when": "2024/25", "target_base": "x"},
        ),
        ("/tokens/", {"action": "revoke", "token": "abc"}),
        ("/periods/", {"action": "open the floodgates"}),
    ],
)
def test_a_form_naming_no_record_gets_a_400_page_not_a_500(opened, address, data):
    period, users = opened
    pages = {"review": f"/periods/{period.pk}/indicators/ADM1/review/"}
    pages["enter"] = f"/periods/{period.pk}/indicators/ADM1/"
    address = pages.get(address, address)
    answer = signed_in(users["officer"]).post(address, data)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "open the page again" in page and 'class="error-summary"' in page


def test_a_nul_character_in_a_form_is_refused_before_the_database(opened):
    period, users = opened
    form = {"action": "save", "base_figure": "0", "value": "2600", "commentary": "Rose\x00"}
    answer = signed_in(users["owner"]).post(f"/periods/{period.pk}/indicators/ADM1/", form)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "NUL character" in page and "“commentary”" in page
    assert f"Request id: <code>{answer['X-Request-ID']}</code>" in page
    assert cycle.current_figure(period, "ADM1") is None


def test_every_server_error_is_logged_with_the_id_its_page_shows(opened, monkeypatch, caplog):
    _, users = opened

    def broken(*args, **kwargs):
        raise RuntimeError("the packs page broke")

    monkeypatch.setattr("boardpack.web.pages.packs.find_organisation", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        answer = signed_in(users["officer"]).get("/packs/")
    assert answer.status_code == 500
    shown = answer["X-Request-ID"]
    assert f"Request id: <code>{shown}</code>" in answer.content.decode()
    (logged,) = [r for r in caplog.records if r.name == "django.request"]
    assert logged.request_id == shown and logged.exc_info[0] is RuntimeError


def test_a_database_that_does_not_answer_gives_a_503_and_the_app_recovers(opened, monkeypatch):
    _, users = opened
    client = signed_in(users["officer"])

    def refused(*args, **kwargs):
        raise OperationalError("connection refused: is the server running on that host?")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "create_cursor", refused)
        down = client.get("/periods/")
    assert down.status_code == 503 and down["Retry-After"] == "60"
    assert "The database is not answering. Try again in a minute" in down.content.decode()
    assert client.get("/periods/").status_code == 200


def test_publishing_twice_with_nothing_changed_gives_one_pack(opened):
    period, users = opened
    approve_all(period, users)
    client = signed_in(users["officer"])
    for _ in range(2):
        answer = client.post(
            f"/periods/{period.pk}/publish/", {"action": "publish", "layout": "scorecard"}
        )
        assert answer.status_code == 302
    assert PublishedPack.objects.filter(layout="scorecard").count() == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="two transactions at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_double_clicked_publish_racing_itself_makes_one_pack(roles, cycle_setup):
    org, users = cycle_setup
    import datetime as dt

    from django.utils import timezone

    period = cycle.open_period(
        org, test_cycle.LABEL, timezone.now() + dt.timedelta(days=7), users["officer"]
    )
    approve_all(period, users)
    made, failed = [], []

    def click():
        try:
            made.append(cycle.publish(period, "scorecard", users["officer"]).pk)
        except Exception as error:  # noqa: BLE001 (reported below)
            failed.append(error)
        finally:
            connection.close()

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for one in clicks:
        one.start()
    for one in clicks:
        one.join()
    assert failed == [] and len(set(made)) == 1
    assert PublishedPack.objects.filter(layout="scorecard").count() == 1
