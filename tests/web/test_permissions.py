"""The permissions matrix: every kind of user against every named page and every API endpoint,
allowed and refused, as `permissions_table` says. Signed-out users are sent to sign in, a role
below a page's least role gets 403 (and its POST changes nothing), owners reach only their own
indicators' entry and review pages, and the API answers 401 without a token and 403 to a role
too low. A page or API path with no row in the table fails the matrix.

The data (the small project, an open period, a published pack, the users and their tokens) is
built once for the module inside a transaction rolled back at its end; each case then runs in
its own rolled-back savepoint."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from boardpack.web import cycle, pages
from boardpack.web.live import forget
from boardpack.web.records.models import (
    ApiToken,
    Assignment,
    AuditEntry,
    Indicator,
    Membership,
    Organisation,
    ReportingPeriod,
    Submission,
)
from boardpack.web.store import find_organisation, import_project, publish_pack
from boardpack.web.tokens import create_token

from .conftest import write_small_project
from .permissions_table import (
    API,
    PAGES,
    PUBLIC,
    REF,
    SIGN_IN,
    USERS,
    Action,
    Person,
    Scene,
    action_allowed,
    expected,
    expected_from_api,
)

#: Django's admin is checked on its own (staff and superusers only); its pages need no rows.
ADMIN = "admin"


# --- the addresses the app has ---------------------------------------------------------------


def named_patterns(patterns=None, prefix: str = "", namespace: str = "") -> dict[str, str]:
    """Every named address of the app: full name (with its namespace) -> route."""
    found: dict[str, str] = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            found |= named_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = route
    return found


def as_openapi(route: str) -> str:
    """A Django route as the OpenAPI document writes its path: api/x/<path:ref> -> /api/x/{ref}."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def unlisted() -> dict[str, list[str]]:
    """Named addresses with no row: pages missing from PAGES, API operations missing from API."""
    pages, endpoints = [], []
    for name, route in named_patterns().items():
        if name.split(":")[0] == ADMIN or name in PAGES:
            continue
        if name.startswith("api:"):
            if as_openapi(route) not in API:
                endpoints.append(f"{name} ({as_openapi(route)})")
        else:
            pages.append(f"{name} (/{route})")
    return {"PAGES": pages, "API": endpoints}


def test_every_named_page_has_a_row_in_the_permissions_table():
    missing = {table: names for table, names in unlisted().items() if names}
    assert not missing, (
        "these addresses have no row in tests/web/permissions_table.py; add one saying the "
        f"least role allowed and how to build the address: {missing}"
    )


def test_every_page_in_the_table_exists():
    absent = sorted(set(PAGES) - set(named_patterns()))
    if absent:
        pytest.skip(f"in the permissions table but not in the app yet: {', '.join(absent)}")


# --- the data ------------------------------------------------------------------------------


def make_user(name: str, person: Person) -> User:
    if person.superuser:
        return User.objects.create_superuser(name, email=f"{name}@example.org", password=None)
    user = User.objects.create_user(name, password=None)
    if person.role:
        user.groups.add(Group.objects.get(name=person.role))
    return user


def build(folder) -> Scene:
    """The small project imported, Q2 2024/25 published, Q3 2024/25 open, every kind of user
    (the owner assigned `REF`) with an API token."""
    write_small_project(folder)
    import_project(folder)
    organisation = find_organisation()
    users = {
        who: make_user(who.replace(" ", "-"), person)
        for who, person in USERS.items()
        if person is not None
    }
    officer = users["performance officer"]
    deadline = timezone.now() + dt.timedelta(days=7)
    published = cycle.open_period(organisation, "Q2 2024/25", deadline, officer)
    pack = publish_pack(published, user=officer)
    period = cycle.open_period(organisation, "Q3 2024/25", deadline, officer)
    assert cycle.submission_for(period, REF), f"{REF} must be due in {period.label}"
    for who, person in USERS.items():
        if person is not None and person.assigned:
            Assignment.objects.create(organisation=organisation, user=users[who], indicator=REF)
    team = Assignment.objects.create(organisation=organisation, user=officer, team="Adults")
    asked = cycle.request_override(period, REF, users["owner"], "red", "A one-off")
    elsewhere = Organisation.objects.create(code="E00000002", name="Otherborough")
    for who, person in USERS.items():
        if person is not None and person.elsewhere:
            Membership.objects.create(user=users[who], organisation=elsewhere)
    files = pack.files.exclude(path="index.html").order_by("path")
    return Scene(
        period=period.pk,
        pack=pack.pk,
        pack_path=files.values_list("path", flat=True).first(),
        version=Indicator.objects.as_at().get(organisation=organisation, ref=REF).version,
        users=users,
        tokens={who: create_token(user, "permissions matrix") for who, user in users.items()},
        token_ids={who: ApiToken.objects.get(user=user).pk for who, user in users.items()},
        override=asked.pk,
        assignment=team.pk,
    )


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker, tmp_path_factory):
    """The matrix's data, built once and rolled back when the module is done."""
    forget()
    with django_db_blocker.unblock(), transaction.atomic():
        scene = build(tmp_path_factory.mktemp("permissions") / "smallshire")
        # Two organisations from here on: the server serves the first.
        served = Organisation.objects.earliest("pk").code
        with override_settings(BOARDPACK_ORGANISATION=served):
            yield scene
        transaction.set_rollback(True)
    forget()


def client_for(scene: Scene, who: str) -> Client:
    client = Client()
    if USERS[who] is not None:
        client.force_login(scene.users[who])
    return client


def address_of(name: str, scene: Scene) -> str:
    if name not in named_patterns():
        pytest.skip(f"{name} is in the permissions table but the app has no such page yet")
    return reverse(name, args=PAGES[name].args(scene))


def answer_of(response, address: str) -> int | str:
    """The response as the table writes it: a status, or `SIGN_IN` for a redirect to the sign-in
    page that comes back to `address`."""
    if response.status_code == 302:
        where = urlsplit(response["Location"])
        back = parse_qs(where.query).get("next", [None])[0]
        if where.path == reverse("login") and back == address:
            return SIGN_IN
    return response.status_code


def said(response) -> str:
    """Where a redirect went, for the failure message."""
    return f" (to {response['Location']})" if response.has_header("Location") else ""


# --- pages ---------------------------------------------------------------------------------


def page_cases() -> list:
    """(page, user, method) for every GET, and a POST for every user a POST page refuses."""
    cases = []
    for name, page in PAGES.items():
        for who, person in USERS.items():
            cases.append(pytest.param(name, who, "GET", id=f"{name} as {who}"))
            refused = expected(page, person) in (SIGN_IN, 403)
            if page.post is not None and refused:
                cases.append(pytest.param(name, who, "POST", id=f"{name} POST as {who}"))
    return cases


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "who", "method"), page_cases())
def test_each_user_gets_what_the_table_says(scene, name, who, method):
    page = PAGES[name]
    address = address_of(name, scene)
    client = client_for(scene, who)
    want = expected(page, USERS[who])
    before = AuditEntry.objects.count()
    if method == "GET":
        response = client.get(address)
    else:
        response = client.post(address, page.post(scene))
    got = answer_of(response, address)
    assert got == want, f"{name} {method} as {who}: expected {want}, got {got}{said(response)}"
    assert AuditEntry.objects.count() == before, f"{name} {method} as {who} changed something"


def test_pages_that_need_a_role_refuse_posts_from_those_below_it():
    """Each page taking POST has refused users to try it with, so the POST cases exist."""
    posting = {name for name, page in PAGES.items() if page.post is not None}
    assert {"periods", "enter", "review", "publish", "upload", "tokens"} <= posting
    for name in posting:
        assert PAGES[name].minimum is not PUBLIC, f"{name}: a public page has nobody to refuse"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", [name for name, page in PAGES.items() if page.post and page.post_changes]
)
def test_the_posts_refused_would_change_something_if_let_through(scene, name):
    """The same POST from a performance officer is written to the audit log, so "a refused POST
    changes nothing" is a real check."""
    address = address_of(name, scene)
    before = AuditEntry.objects.count()
    response = client_for(scene, "performance officer").post(address, PAGES[name].post(scene))
    assert response.status_code in (201, 302), f"{name}: {response.status_code}{said(response)}"
    assert AuditEntry.objects.count() > before, f"{name}: the officer's POST changed nothing"


# --- which records the pages reach (`records.restricted`) -------------------------------------

#: The indicators each kind of user finds on their task list (None: every one due).
TASKS = {
    "owner": {REF},
    "unassigned owner": set(),
    "performance officer": None,
    "administrator": None,
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(TASKS))
def test_the_task_list_holds_only_the_indicators_the_user_may_change(scene, who):
    response = client_for(scene, who).get(reverse("tasks"))
    assert response.status_code == 200
    entries = rf'href="/periods/{scene.period}/indicators/([^/"]+)/"'
    shown = set(re.findall(entries, response.content.decode()))
    due = set(Submission.objects.filter(period=scene.period).values_list("indicator", flat=True))
    assert len(due) > 1, "the matrix's period must have more than the owner's indicator due"
    assert shown == (due if TASKS[who] is None else TASKS[who]), who


PERIOD_PAGES = {
    "upload": lambda period: [period],
    "publish": lambda period: [period],
    "enter": lambda period: [period, REF],
    "review": lambda period: [period, REF],
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["performance officer", "administrator"])
@pytest.mark.parametrize("name", list(PERIOD_PAGES))
def test_no_page_reaches_a_period_of_another_organisation(scene, name, who):
    """Not for an officer acting for this organisation only (their membership), nor for an
    administrator: the pages serve one organisation."""
    elsewhere = Organisation.objects.get(code="E00000002")
    theirs = ReportingPeriod.objects.create(organisation=elsewhere, label="Q3 2024/25")
    Membership.objects.create(
        user=scene.users["performance officer"], organisation=find_organisation()
    )
    address = reverse(name, args=PERIOD_PAGES[name](theirs.pk))
    response = client_for(scene, who).get(address)
    assert response.status_code == 404, f"{name} as {who}: {response.status_code}"


# --- every form's actions ---------------------------------------------------------------

#: The module-level tables of posted actions the page modules keep (`*ACTIONS = {...}`); pages
#: with forms keep theirs as a view's registry (`FormPageView.forms`).
ACTION_TABLE = re.compile(r"ACTIONS$")
#: A button naming its action in a template.
ACTION_BUTTON = re.compile(r'name="action"\s+value="([a-z_]+)"')
TEMPLATES = Path(pages.__file__).parent.parent / "templates"


def actions_in_pages() -> dict[str, set[str]]:
    """Each page module's posted actions (from its `*ACTIONS` tables and its views' `forms`),
    by the names of the addresses the module serves."""
    found = {}
    for info in pkgutil.iter_modules(pages.__path__):
        module = importlib.import_module(f"{pages.__name__}.{info.name}")
        names = {getattr(p, "name", None) for p in getattr(module, "urlpatterns", [])} - {None}
        actions = {
            action
            for attribute, value in vars(module).items()
            if ACTION_TABLE.search(attribute) and isinstance(value, dict)
            for action in value
        } | {
            action
            for value in vars(module).values()
            if isinstance(value, type) and isinstance(getattr(value, "forms", None), dict)
            for action in value.forms
        }
        if actions:
            found[" ".join(sorted(names))] = actions
    return found


def actions_in_templates() -> set[str]:
    return {
        action
        for template in TEMPLATES.rglob("*.html")
        for action in ACTION_BUTTON.findall(template.read_text(encoding="utf-8"))
    }


def test_every_posted_action_has_a_row():
    """A button or an action table with no row in `PAGES[...].actions` fails the matrix."""
    listed = {action for page in PAGES.values() for action in page.actions}
    unlisted = sorted(actions_in_templates() - listed)
    assert not unlisted, (
        f"the templates post actions {unlisted} that tests/web/permissions_table.py does not "
        "list; add an Action row to the page that takes them"
    )
    for names, actions in actions_in_pages().items():
        rows = {a for name in names.split() if name in PAGES for a in PAGES[name].actions}
        missing = sorted(actions - rows)
        assert not missing, f"the pages {names} take actions {missing} with no Action row"


def action_cases() -> list:
    return [
        pytest.param(name, action, who, id=f"{name} {action} as {who}")
        for name, page in PAGES.items()
        for action in page.actions
        for who in USERS
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "action", "who"), action_cases())
def test_each_user_may_send_each_action_as_the_table_says(scene, name, action, who):
    page = PAGES[name]
    row: Action = page.actions[action]
    address = address_of(name, scene)
    before = AuditEntry.objects.count()
    response = client_for(scene, who).post(address, {"action": action, **row.post(scene)})
    got = answer_of(response, address)
    refused = action_allowed(page, row, USERS[who])
    if refused is not None:
        assert got == refused, f"{name} {action} as {who}: expected {refused}, got {got}"
        assert AuditEntry.objects.count() == before, f"{name} {action} as {who} changed something"
    else:
        assert got not in (SIGN_IN, 403) and response.status_code < 500, (
            f"{name} {action} as {who}: refused or failed ({got}{said(response)})"
        )


# --- Django's admin ------------------------------------------------------------------------


def admin_addresses() -> list[str]:
    """The admin's index and the list of every model registered with it."""
    models = [
        f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist" for m in admin.site._registry
    ]
    return [reverse("admin:index"), *(reverse(name) for name in models)]


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(USERS))
def test_only_staff_reach_the_django_admin(scene, who):
    person = USERS[who]
    client = client_for(scene, who)
    for address in admin_addresses():
        response = client.get(address)
        if person is not None and person.superuser:
            got, want = response.status_code, 200
        else:
            got = f"{response.status_code} to {urlsplit(response.get('Location', '')).path}"
            want = f"302 to {reverse('admin:login')}"
        assert got == want, f"{address} as {who}: expected {want}, got {got}"


# --- the API -------------------------------------------------------------------------------


def documented_paths(client: Client) -> dict[str, set[str]]:
    """The OpenAPI document's paths and the methods each takes."""
    document = client.get(reverse("api:openapi-json"))
    assert document.status_code == 200, "the OpenAPI document needs no token"
    return {path: set(methods) for path, methods in document.json()["paths"].items()}


@pytest.mark.django_db
def test_the_api_table_knows_every_path_the_openapi_document_lists(scene):
    paths = documented_paths(Client())
    unknown = sorted(set(paths) - set(API))
    assert not unknown, (
        f"the OpenAPI document lists {unknown}, which tests/web/permissions_table.py API does "
        "not know; add a row with the least role that reads it"
    )
    stale = sorted(set(API) - set(paths))
    assert not stale, f"the API table lists {stale}, which the OpenAPI document does not"
    writes = {path: methods - {"get"} for path, methods in paths.items() if methods - {"get"}}
    assert not writes, f"the API only reads (docs/api.md) but documents {writes}"


def api_cases() -> list:
    return [pytest.param(path, who, id=f"GET {path} as {who}") for path in API for who in USERS]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "who"), api_cases())
def test_each_token_reads_what_its_role_reads(scene, path, who):
    endpoint = API[path]
    headers = {}
    if USERS[who] is not None:
        headers["Authorization"] = f"Bearer {scene.tokens[who]}"
    before = AuditEntry.objects.count()
    response = Client(headers=headers).get(endpoint.address(scene))
    want = expected_from_api(endpoint, USERS[who])
    got = response.status_code
    assert got == want, f"GET {path} as {who}: expected {want}, got {got}: {response.content!r}"
    if want == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert AuditEntry.objects.count() == before, f"GET {path} as {who} changed something"
