"""What the browser tests share: headless Chromium driven by Playwright, the people of the
cycle, signing in through the real form, and axe-core run on the page the browser shows.

The tools are those of `tests/test_accessibility.py` (Debian's chromium, axe-core and vnu-jar
from package.json); where one is missing the tests are skipped, unless CI is set: then they
fail. The app is served from a thread of this process, on the test database, as Django's
`LiveServerTestCase` serves it.
"""

from __future__ import annotations

import importlib.util

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread

from boardpack.web.records.models import Assignment
from boardpack.web.records.roles import OWNER, PERFORMANCE_OFFICER, VIEWER, apply_roles
from test_accessibility import AXE, AXE_RUN, CHROMIUM, WCAG_TAGS, require

PASSWORD = "a long test password"
#: The people of the cycle: key -> user name and role. The owner reports ADM1.
PEOPLE = {
    "owner": ("olive", OWNER),
    "officer": ("pat", PERFORMANCE_OFFICER),
    "second_officer": ("quinn", PERFORMANCE_OFFICER),
    "viewer": ("vera", VIEWER),
}
#: axe-core impacts that fail a page; the others are reported only.
FAILING_IMPACTS = {"serious", "critical"}
#: Whether the focused element shows where the focus is: an outline or a box shadow.
FOCUS_SHOWN = """() => {
  const style = getComputedStyle(document.activeElement);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== 'none';
}"""


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module. Playwright's sync API keeps an event loop in this
    thread, which Django's ORM takes for async code; the tests call the ORM only between
    browser steps, never from the loop, so its guard is lifted while the browser runs. The
    database connections opened meanwhile are kept apart from the thread's own (as an async
    context's), so they are closed here: the test database cannot be dropped while one is
    open."""
    require(importlib.util.find_spec("playwright") is not None, "Playwright (pip: .[dev])")
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM}; apt-get install chromium)")
    require(AXE.exists(), "axe-core (node_modules/axe-core; npm ci)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
            yield chromium
            connections.close_all()
            chromium.close()


class JoiningServer(ThreadedWSGIServer):
    """Django's threaded test server, waiting for its request threads when it closes: on
    PostgreSQL each keeps its database connection open until its browser hangs up, and the
    test database cannot be dropped while one does."""

    daemon_threads = False
    block_on_close = True


class ServerThread(LiveServerThread):
    server_class = JoiningServer


@pytest.fixture(scope="session")
def server(django_db_setup) -> str:
    """The app served over HTTP from a thread of this process: its address. An in-memory
    SQLite database is shared with the thread, so it sees what the test saves (with another
    database the test must commit: mark it `django_db(transaction=True)`). It stops at the end
    of the session, once every browser has closed its connections to it.

    This is `LiveServerTestCase`'s thread without its static files handler: that handler needs
    STATIC_URL, and Boardpack serves its assets itself and sets none, so pytest-django's
    `live_server` answers every request with an error."""
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    thread = ServerThread("localhost", lambda app: app, connections_override=shared)
    thread.daemon = True
    for connection in shared.values():
        connection.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


def people(organisation) -> dict[str, User]:
    """The owner of ADM1, two performance officers and a viewer. The role groups come from a
    migration, which a transactional test's flush empties, so they are made again, with their
    permissions, if gone."""
    apply_roles(django_apps)
    users = {}
    for key, (name, role) in PEOPLE.items():
        user = User.objects.create_user(name, password=PASSWORD, first_name=name.title())
        user.groups.add(Group.objects.get(name=role))
        users[key] = user
    Assignment.objects.create(organisation=organisation, user=users["owner"], indicator="ADM1")
    return users


def sign_in(browser, server_url: str, user: User):
    """A page of a fresh browser context (its own cookies) signed in as `user` through the
    sign-in form."""
    page = browser.new_context().new_page()
    page.goto(f"{server_url}/sign-in/")
    page.get_by_label("User name").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url, f"{user} was not signed in:\n{page.inner_text('main')}"
    return page


def message(page) -> str:
    """The page's status messages ("Saved", "ADM1 is approved", ...)."""
    shown = page.locator("ul.messages")
    return shown.inner_text() if shown.count() else ""


def focus_is_shown(page) -> bool:
    return page.evaluate(FOCUS_SHOWN)


def focused(page) -> str:
    """The focused element, as a short description for messages."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()}#${e.id} name=${e.name || ''} value=${e.value || ''}`"
        ".slice(0, 80); }"
    )


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.0-2.2 A and AA violations on the page as the browser shows it."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a script tag: the pages allow none
    return page.evaluate(AXE_RUN, WCAG_TAGS)["violations"]


def failing(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]
