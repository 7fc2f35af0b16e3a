"""The pages' kept evaluation: parts of pages rendered once for every user, charts kept across
evaluations, and every change shown on the next page (at once to the person who made it)."""

from __future__ import annotations

import re
import threading

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User

from boardpack.web import live, trends
from boardpack.web.records.changes import save_version
from boardpack.web.records.models import Observation
from boardpack.web.records.roles import OWNER, PERFORMANCE_OFFICER, apply_roles
from boardpack.web.store import find_organisation, import_project

ADM1_Q2 = {"indicator": "ADM1", "area": "E10000099", "period": "Q2 2024/25"}


def person(username: str, role: str) -> User:
    user = User.objects.create_user(username, first_name=username.capitalize())
    if not Group.objects.filter(name=role).exists():  # a flushed database has none
        apply_roles(apps)
    user.groups.add(Group.objects.get(name=role))
    return user


def save_adm1(value: float, user) -> None:
    """A new ADM1 figure for Q2 2024/25 (2650 imported: amber; above 2800: red)."""
    org = find_organisation()
    latest = Observation.objects.as_at().get(organisation=org, **ADM1_Q2)
    save_version(
        Observation, org, ADM1_Q2, {"value": value}, base_version=latest.version, user=user
    )


def strategic_ratings(client) -> list[str]:
    """The dashboard's "Ratings by tier" row for the Strategic tier (ADM1's): due, then one
    count per rating, green first and red fifth."""
    page = client.get("/").content.decode()
    row = re.search(r'<th scope="row">Strategic</th>(.*?)</tr>', page).group(1)
    return re.findall(r'<td class="number">(\d+)</td>', row)


def shows_figure(client, value: str) -> bool:
    """Whether ADM1's page shows `value` (as the packs print it) as its current figure."""
    page = client.get("/indicators/ADM1/").content.decode()
    return f'<td class="number">{value}</td>' in page


@pytest.fixture
def officer(small_project, client, db):
    live.forget()
    import_project(small_project)
    user = person("olive", PERFORMANCE_OFFICER)
    client.force_login(user)
    yield user
    live.forget()


def test_a_saved_figure_shows_at_once_on_the_dashboard_and_the_indicator_page(officer, client):
    assert strategic_ratings(client)[5] == "0" and shows_figure(client, "2,650")
    kept = live.live(find_organisation())
    save_adm1(2900, officer)
    assert strategic_ratings(client)[5] == "1"  # ADM1 is now red
    assert shows_figure(client, "2,900") and not shows_figure(client, "2,650")
    assert live.live(find_organisation()) is not kept


def test_pages_are_kept_between_changes(officer, client, monkeypatch):
    client.get("/"), client.get("/indicators/ADM1/")
    monkeypatch.setattr(live, "dataset_from_store", lambda organisation: pytest.fail("rebuilt"))
    made = []
    monkeypatch.setattr(
        "boardpack.web.pages.indicator.figure_history", lambda *args: made.append(args)
    )
    assert client.get("/").status_code == 200 and shows_figure(client, "2,650")
    assert made == []  # the indicator page's part was not made again


def test_each_user_gets_their_own_header_around_the_shared_part(officer, client):
    officers_page = client.get("/indicators/ADM1/").content.decode()
    client.force_login(person("otto", OWNER))
    owners_page = client.get("/indicators/ADM1/").content.decode()
    assert "Signed in as Olive (performance officer)" in officers_page
    assert "Signed in as Otto (owner)" in owners_page and "Olive" not in owners_page
    main = officers_page.split('<main id="main"', 1)[1]
    assert main == owners_page.split('<main id="main"', 1)[1]


def test_charts_are_kept_when_their_indicator_did_not_change(officer, monkeypatch):
    org = find_organisation()
    before = live.live(org)
    live.settle()  # the charts drawn in the background
    drawn = []
    real = trends.draw
    monkeypatch.setattr(
        trends, "draw", lambda trend, store: drawn.append(trend[1].ref) or real(trend, store)
    )
    pb1, adm1 = before.chart("PB1"), before.chart("ADM1")
    assert drawn == [] and "<svg" in pb1
    save_adm1(2900, officer)
    after = live.live(org)
    assert after.chart("PB1") is pb1  # same rows and entry: the kept chart
    assert after.chart("ADM1") != adm1 and "ADM1" in drawn and "PB1" not in drawn


@pytest.mark.django_db(transaction=True)
def test_a_slow_evaluation_is_rebuilt_in_the_background_but_the_saver_waits(
    small_project, client, monkeypatch
):
    live.forget()
    import_project(small_project)
    saver, other = person("olive", PERFORMANCE_OFFICER), person("oscar", PERFORMANCE_OFFICER)
    monkeypatch.setattr(live, "QUICK_SECONDS", 0.0)  # every build counts as slow
    client.force_login(other)
    assert shows_figure(client, "2,650")
    save_adm1(2900, saver)
    assert shows_figure(client, "2,650")  # the kept evaluation while the new one builds
    client.force_login(saver)
    assert shows_figure(client, "2,900")  # their own change, at once
    live.settle()
    client.force_login(other)
    assert shows_figure(client, "2,900")
    live.forget()


@pytest.mark.django_db(transaction=True)
def test_the_server_makes_every_indicator_page_ahead_of_its_first_view(
    small_project, client, monkeypatch
):
    live.forget()
    import_project(small_project)
    monkeypatch.setattr(live.state(), "make_ahead", True)
    client.force_login(person("olive", PERFORMANCE_OFFICER))
    current = live.live(find_organisation())
    live.settle()  # charts drawn, then the indicator pages' parts made
    made = []
    monkeypatch.setattr(
        "boardpack.web.pages.indicator.figure_history", lambda *args: made.append(args)
    )
    refs = [entry.ref for entry in current.dataset.project.indicators]
    pages = [client.get(f"/indicators/{ref}/") for ref in refs]
    assert [page.status_code for page in pages] == [200] * len(refs) and made == []
    assert shows_figure(client, "2,650")  # the part made ahead shows the stored figure
    live.forget()


def test_parts_are_not_made_for_an_evaluation_already_replaced(officer, monkeypatch):
    org = find_organisation()
    replaced = live.live(org)
    save_adm1(2900, officer)
    assert live.live(org) is not replaced
    asked = []
    monkeypatch.setattr(
        live.state(), "part_makers", [lambda o, c, wanted: asked.append(wanted()) or 0]
    )
    live.make_parts(org, replaced)
    assert asked == [False]


def test_what_is_kept_belongs_to_the_app_configuration_not_the_module():
    from concurrent.futures import ThreadPoolExecutor

    from django.apps import apps

    assert live.state() is apps.get_app_config("boardpack").live
    kept_kinds = (dict, list, set, ThreadPoolExecutor, trends.ChartShelf, type(threading.Lock()))
    for name, value in vars(live).items():
        if not name.startswith("__"):
            assert not isinstance(value, kept_kinds), f"live.{name} is state kept in the module"


def test_background_work_runs_in_the_pool_and_stops_cleanly():
    kept = live.LiveState()
    done = threading.Event()
    kept.in_background((1, "work"), done.set)
    kept.settle()
    assert done.is_set()
    kept.shutdown()
    kept.in_background((1, "late"), lambda: pytest.fail("ran after shutting down"))
    assert (1, "late") not in kept.running
