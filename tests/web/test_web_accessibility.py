"""Accessibility of the web app's pages: axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) in
headless Chromium on each page as a signed-in user sees it, and the W3C Nu HTML Checker on the
HTML each page is served as. A serious or critical axe violation, or any HTML error, fails.

The pages are visited once, on a site in mid-cycle: the small project imported, Q2 2024/25
approved and published, Q3 2024/25 open with ADM1 submitted after a challenge and a manual
rating waiting for a decision, PB1 not yet entered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from boardpack.web import cycle
from boardpack.web.live import forget
from boardpack.web.records.models import Discussion, PublishedPack, ReportingPeriod
from boardpack.web.store import find_organisation, import_project
from test_accessibility import describe_errors, describe_violations, vnu_errors

from .browser import (
    axe_violations,
    browser,
    failing,
    people,
    server,
    sign_in,
)
from .conftest import write_small_project

__all__ = ["browser", "server"]  # fixtures: the module's Chromium and the app's address
pytestmark = pytest.mark.django_db(transaction=True)  # the server thread sees what is saved


@dataclass
class Site:
    """The mid-cycle site the pages are visited on."""

    server: str
    users: dict
    current: ReportingPeriod
    pack: PublishedPack


@dataclass
class Shown:
    """A page as served (its HTML) and axe-core's violations on it as the browser shows it."""

    url: str
    html: str
    violations: list[dict]


def mid_cycle(folder, server: str) -> Site:
    """The small project imported into the test database and taken through the cycle (see the
    module's docstring) with `boardpack.web.cycle`'s functions."""
    forget()
    project = write_small_project(folder)
    with (project / "boardpack.yaml").open("a", encoding="utf-8") as catalogue:
        catalogue.write("records:\n  files: [records/*.csv]\n")  # the records upload page's form
    import_project(project)
    org = find_organisation()
    users = people(org)
    officer, second, owner = users["officer"], users["second_officer"], users["owner"]
    published = cycle.open_period(org, "Q2 2024/25", timezone.now(), officer)
    for ref in published.submissions.values_list("indicator", flat=True):
        cycle.submit(published, ref, officer)  # the imported figures
        cycle.approve(published, ref, second, "Checked against the return.")
    pack = cycle.publish(published, "quarterly-report", officer)
    current = cycle.open_period(org, "Q3 2024/25", timezone.now() + dt.timedelta(days=7), officer)
    entry = {"value": "2640", "base_figure": "0", "commentary": "Admissions **fell**."}
    cycle.save_entry(current, "ADM1", owner, entry)
    cycle.submit(current, "ADM1", owner)
    cycle.return_submission(current, "ADM1", officer, "Why did admissions fall?")
    cycle.add_discussion(current, "ADM1", owner, Discussion.Kind.ANSWER, "Two homes closed.")
    cycle.submit(current, "ADM1", owner)
    cycle.request_override(current, "ADM1", owner, "green", "Two homes closed in the quarter")
    return Site(server, users, current, pack)


def served(page, url: str) -> tuple[str, str]:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    return url, response.text()


def at(address: Callable[[Site], str]):
    """A visit that opens the page at `address(site)`."""
    return lambda page, site: served(page, site.server + address(site))


def refused(page, site: Site) -> tuple[str, str]:
    """The refusal page: an owner opening the reporting periods, which officers open."""
    url = site.server + reverse("periods")
    response = page.goto(url)
    assert response is not None and response.status == 403, f"{url} answered {response.status}"
    return url, response.text()


def entry_with_errors(page, site: Site) -> tuple[str, str]:
    """PB1's entry form sent with a figure and a numerator that are not numbers: the form
    comes back with the problems in a summary linking to each field."""
    url, _ = served(page, site.server + reverse("enter", args=[site.current.pk, "PB1"]))
    page.get_by_label("Figure (percent)").fill("forty")
    page.locator("#numerator").fill("twelve")
    page.locator("#denominator").fill("100")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Save", exact=True).click()
    assert posted.value.status == 400
    assert page.locator(".error-summary a").count() == 2, page.inner_text("main")
    return url, posted.value.text()


def records_upload_with_errors(page, site: Site) -> tuple[str, str]:
    """The records upload form sent with no file and a day that is no date: both problems
    come back at once, in a summary linking to each field."""
    url, _ = served(page, site.server + reverse("records_upload"))
    page.locator("#submitted").evaluate("field => { field.type = 'text'; field.value = 'soon'; }")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Check the submission").click()
    assert posted.value.status == 400
    assert page.locator(".error-summary a").count() == 2, page.inner_text("main")
    return url, posted.value.text()


#: Each page checked: who looks at it (None: signed out) and how it is reached.
PAGES: dict[str, tuple[str | None, Callable]] = {
    "sign-in": (None, at(lambda s: reverse("login"))),
    "dashboard": ("officer", at(lambda s: reverse("dashboard"))),
    "indicator": ("officer", at(lambda s: reverse("indicator", args=["ADM1"]))),
    "tasks": ("officer", at(lambda s: reverse("tasks"))),
    "tasks-of-an-owner": ("owner", at(lambda s: reverse("tasks"))),
    "entry-form": ("owner", at(lambda s: reverse("enter", args=[s.current.pk, "ADM1"]))),
    "entry-form-with-errors": ("officer", entry_with_errors),
    "review": ("officer", at(lambda s: reverse("review", args=[s.current.pk, "ADM1"]))),
    "periods": ("officer", at(lambda s: reverse("periods"))),
    "publish": ("officer", at(lambda s: reverse("publish", args=[s.current.pk]))),
    "packs": ("viewer", at(lambda s: reverse("packs"))),
    "published-pack-index": ("viewer", at(lambda s: reverse("pack", args=[s.pack.pk]))),
    "upload": ("officer", at(lambda s: reverse("upload", args=[s.current.pk]))),
    "records-upload": ("officer", at(lambda s: reverse("records_upload"))),
    "records-upload-with-errors": ("officer", records_upload_with_errors),
    "refused": ("owner", refused),
}


def visit(browser, site: Site) -> dict[str, Shown]:
    """Every page of `PAGES`, each in the browser of the person who looks at it."""
    pages = {None: browser.new_context().new_page()}
    pages.update({who: sign_in(browser, site.server, user) for who, user in site.users.items()})
    shown = {}
    try:
        for name, (who, reach) in PAGES.items():
            url, html = reach(pages[who], site)
            shown[name] = Shown(url, html, axe_violations(pages[who]))
    finally:
        for page in pages.values():
            page.context.close()
    return shown


@pytest.fixture(scope="module")
def shown(browser, server, django_db_blocker, tmp_path_factory) -> dict[str, Shown]:
    """Every page, visited once for the module on data it saves and commits (each test's
    teardown then flushes the database, as after any transactional test; if the visit fails,
    it is flushed here, so nothing is left for the next test)."""
    with django_db_blocker.unblock():
        try:
            return visit(browser, mid_cycle(tmp_path_factory.mktemp("site"), server))
        except BaseException:
            call_command("flush", interactive=False, verbosity=0)
            raise


def test_no_serious_axe_violations_on_any_page(shown):
    problems = []
    for name, page in shown.items():
        problems += describe_violations(f"{name} ({page.url})", failing(page.violations))
    assert not problems, "\n".join(["axe-core found serious WCAG A/AA violations:", *problems])


def broken(html: str) -> str:
    """A copy of a page with a duplicate id and a stray end tag."""
    return html.replace("</main>", '<p id="main">Twice</p></div></main>')


@pytest.fixture(scope="module")
def html_errors(shown, tmp_path_factory) -> dict[str, list[dict]]:
    """The Nu HTML Checker's errors on each page's HTML, and on a broken copy of the sign-in
    page ("broken"), in one Java call."""
    folder = tmp_path_factory.mktemp("html")
    pages = {name: page.html for name, page in shown.items()}
    pages["broken"] = broken(pages["sign-in"])
    for name, html in pages.items():
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
    by_page: dict[str, list[dict]] = {name: [] for name in pages}
    for error in vnu_errors(sorted(folder.glob("*.html"))):
        name = error.get("url", "").rsplit("/", 1)[-1].removesuffix(".html")
        by_page.setdefault(name, []).append(error)
    return by_page


def test_every_page_is_valid_html(html_errors, shown, tmp_path_factory):
    lines = []
    for name, page in shown.items():
        if html_errors[name]:
            lines += [
                f"{name} ({page.url}):",
                *describe_errors(html_errors[name], tmp_path_factory.getbasetemp()),
            ]
    assert not lines, "\n".join(["The Nu HTML Checker found errors:", *lines])


def test_vnu_reports_a_broken_copy_of_a_page(html_errors):
    """The check can fail: the duplicate id and the stray end tag are found."""
    text = " ".join(error["message"] for error in html_errors["broken"])
    assert "Duplicate ID" in text and "Stray end tag" in text


def test_axe_reports_a_control_without_a_label(browser, server):
    """The check can fail: on the sign-in page with the user name's label taken away, axe
    reports the unlabelled control."""
    page = browser.new_page()
    page.goto(server + reverse("login"))
    page.locator("label[for=id_username]").evaluate("label => label.remove()")
    assert "label" in {violation["id"] for violation in failing(axe_violations(page))}
    page.close()
