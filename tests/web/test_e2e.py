"""The whole reporting cycle through a real browser (headless Chromium): an officer opens a
period, the owner enters and submits a figure with the keyboard alone, the officer challenges
it, the owner answers and resubmits, the officer approves and publishes the pack, and the viewer
reads the figure in it. A later revision leaves the published pack as it was and is listed in
the next period's pack."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from boardpack.web import cycle
from boardpack.web.live import forget
from boardpack.web.records.changes import save_version
from boardpack.web.records.models import Observation, PublishedPack, ReportingPeriod
from boardpack.web.store import find_organisation, import_project

from .browser import browser, focus_is_shown, focused, message, people, server, sign_in

__all__ = ["browser", "server"]  # fixtures: the module's Chromium and the app's address
pytestmark = pytest.mark.django_db(transaction=True)  # the server thread sees what is saved

LABEL, NEXT = "Q3 2024/25", "Q4 2024/25"
AREA = "E10000099"
MAX_TABS = 40  # more Tab presses than any form here needs to reach its last control


def tab_to(page, selector: str, visited: list[str]) -> None:
    """Press Tab until the element matching `selector` has the focus, noting every element
    the focus lands on whose focus is not shown."""
    target = page.locator(selector)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if not focus_is_shown(page):
            visited.append(focused(page))
        if target.evaluate("e => e === document.activeElement"):
            return
    pytest.fail(f"{selector} was not reached with {MAX_TABS} presses of Tab")


def open_period_on_the_page(page, server: str) -> ReportingPeriod:
    page.goto(f"{server}/periods/")
    page.get_by_label("Period").fill(LABEL)
    page.get_by_label("Deadline for figures and commentary").fill("2030-12-31T17:00")
    page.get_by_role("button", name="Open the period").click()
    assert f"{LABEL} is open with 2 indicators to report" in message(page)
    return ReportingPeriod.objects.get(label=LABEL)


def enter_and_submit_with_the_keyboard(page, server: str) -> None:
    """The owner follows the task to the entry form and fills and submits it with Tab, typing
    and Enter only; every control the focus passes shows it."""
    page.goto(f"{server}/tasks/")
    page.get_by_role("link", name="ADM1 Admissions to care homes").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("ADM1")
    hidden: list[str] = []
    tab_to(page, "#value", hidden)
    page.keyboard.type("2640")
    tab_to(page, "#commentary", hidden)
    page.keyboard.type("Admissions fell as two homes closed.")
    tab_to(page, "button[value=submit]", hidden)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert not hidden, f"the focus is not shown on: {hidden}"
    assert "Saved and submitted ADM1 for review" in message(page)


def review_page(page, server: str, ref: str = "ADM1") -> None:
    page.goto(f"{server}/tasks/")
    page.get_by_role("link", name=f"Review {ref}").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith(f"Review {ref}")


def approve_the_rest(period: ReportingPeriod, users: dict) -> None:
    """Every other indicator due in the period, entered, submitted and approved."""
    for submission in period.submissions.exclude(indicator="ADM1"):
        ref = submission.indicator
        cycle.save_entry(period, ref, users["officer"], {"value": "40", "base_figure": "0"})
        cycle.submit(period, ref, users["officer"])
        cycle.approve(period, ref, users["second_officer"])


def fetch(page, url: str) -> bytes:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    return response.body()


def test_the_reporting_cycle_in_the_browser(browser, server, small_project):
    forget()
    import_project(small_project)
    org = find_organisation()
    users = people(org)

    officer = sign_in(browser, server, users["officer"])
    period = open_period_on_the_page(officer, server)

    owner = sign_in(browser, server, users["owner"])
    enter_and_submit_with_the_keyboard(owner, server)

    review_page(officer, server)
    officer.get_by_label("Challenge").fill("Why did admissions fall by 10 in a quarter?")
    officer.get_by_role("button", name="Return to the owner").click()
    assert "ADM1 is returned to its owner with your challenge" in message(officer)

    owner.goto(f"{server}/tasks/")
    owner.get_by_role("link", name="ADM1 Admissions to care homes").click()
    assert "Why did admissions fall by 10 in a quarter?" in owner.inner_text("main")
    owner.get_by_label("Your answer").fill("Two homes closed in September.")
    owner.get_by_role("button", name="Record the answer").click()
    assert "Your answer is recorded" in message(owner)
    owner.get_by_role("button", name="Save and submit for review").click()
    assert "Saved and submitted ADM1 for review" in message(owner)

    review_page(officer, server)
    assert "Two homes closed in September." in officer.inner_text("main")
    officer.get_by_role("button", name="Approve").click()
    assert "ADM1 is approved" in message(officer)
    approve_the_rest(period, users)
    officer.goto(f"{server}/periods/")
    officer.get_by_role("link", name=f"Publish {LABEL}").click()
    assert officer.get_by_label("Quarterly performance report").is_checked()
    officer.get_by_role("button", name="Publish").click()
    assert f"Published the Quarterly Performance Report for {LABEL}" in message(officer)

    viewer = sign_in(browser, server, users["viewer"])
    assert viewer.url.endswith("/packs/"), "viewers land on the published packs"
    viewer.get_by_role("link", name=LABEL, exact=True).click()
    index_url = viewer.url
    viewer.locator('a[href$="indicators/adm1.html"]').first.click()
    page_url = viewer.url
    assert "2,640" in viewer.inner_text("main")
    published = {url: fetch(viewer, url) for url in (index_url, page_url)}

    figure = Observation.objects.current().get(indicator="ADM1", area=AREA, period=LABEL)
    key = {"indicator": "ADM1", "area": AREA, "period": LABEL}
    save_version(
        Observation,
        org,
        key,
        {"value": 2700.0},
        base_version=figure.version,
        user=users["officer"],
        reason="late returns counted",
    )
    for url, body in published.items():
        assert fetch(viewer, url) == body, f"{url} changed after a later revision"

    following = cycle.open_period(org, NEXT, timezone.now(), users["officer"])
    for ref in following.submissions.values_list("indicator", flat=True):
        cycle.save_entry(following, ref, users["officer"], {"value": "40", "base_figure": "0"})
        cycle.submit(following, ref, users["officer"])
        cycle.approve(following, ref, users["second_officer"])
    cycle.publish(following, "quarterly-report", users["officer"])
    newest = PublishedPack.objects.get(period=following)
    viewer.goto(f"{server}/packs/")
    viewer.get_by_role("link", name=NEXT, exact=True).click()
    assert viewer.url.endswith(f"/packs/{newest.pk}/")
    revised = viewer.locator("#restatements")
    assert revised.get_by_role("heading").inner_text() == (
        "Figures revised since the last published pack"
    )
    assert re.search(
        rf"ADM1: {LABEL} figure revised from 2,640 to 2,700\b.*late returns counted",
        revised.inner_text(),
    ), revised.inner_text()
