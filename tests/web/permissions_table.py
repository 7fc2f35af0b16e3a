"""Who may use each page and each API endpoint: the table the permissions matrix
(`test_permissions.py`) checks every kind of user against. A page added to the app without a
row here fails the matrix, which names it; so does an API path the OpenAPI document lists and
this table does not.

A page row says the least role allowed (`PUBLIC`: anyone, signed in or not), how to build the
page's address from the matrix's data, whether owners may use it only for the indicators
assigned to them, and a POST that would change something if it were let through (pages that
take no POST have none). A page's forms are its `actions`: each button's `action` value with
the least role that may send it and a form for it; the matrix fails for an action a page or
template has and this table does not (`test_every_posted_action_has_a_row`).

The kinds of user include an officer of another organisation: they hold the role, but the
pages of this organisation refuse them (403), as the API does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from boardpack.web.records.roles import (
    ADMINISTRATOR,
    ORDER,
    OWNER,
    PERFORMANCE_OFFICER,
    VIEWER,
)

#: Anyone may use the page, signed in or not.
PUBLIC = None
#: The answer a signed-out user gets from a page that needs a role: 302 to the sign-in page.
SIGN_IN = "302 to sign in"
#: The indicator the matrix's owner is assigned; the unassigned owner holds none.
REF = "ADM1"


@dataclass
class Scene:
    """The data the matrix runs against: an open period (with `REF` due in it), a published
    pack and one of its files besides the index, and each user's API token."""

    period: int
    pack: int
    pack_path: str
    version: int
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    token_ids: dict = field(default_factory=dict)
    override: int = 0
    assignment: int = 0


@dataclass(frozen=True)
class Person:
    """A kind of user: the role held (a superuser holds administrator without the group),
    whether `REF` is assigned to them, and whether they act for another organisation only."""

    role: str | None
    assigned: bool = False
    superuser: bool = False
    elsewhere: bool = False


#: The kinds of user, by the name the matrix's test ids use (None: not signed in).
USERS: dict[str, Person | None] = {
    "anonymous": None,
    "user with no role": Person(None),
    "viewer": Person(VIEWER),
    "owner": Person(OWNER, assigned=True),
    "unassigned owner": Person(OWNER),
    "performance officer": Person(PERFORMANCE_OFFICER),
    "administrator": Person(ADMINISTRATOR, superuser=True),
    "other organisation's officer": Person(PERFORMANCE_OFFICER, elsewhere=True),
}


def no_args(scene: Scene) -> list:
    return []


@dataclass(frozen=True)
class Action:
    """One button of a page's forms: the least role that may send it, whether owners may
    send it only for their own indicators, and the form it posts (`action` added)."""

    minimum: str
    post: Callable[[Scene], dict]
    own_indicator: bool = False


@dataclass(frozen=True)
class Page:
    """One named page: the least role allowed, its address arguments, whether it is limited to
    an owner's own indicators (`REF`'s), the answers given to those allowed (a public page may
    send signed-in users on elsewhere), and the form a refused user POSTs: one that changes
    something when an officer sends it, unless `post_changes` says it cannot (and why)."""

    minimum: str | None
    args: Callable[[Scene], list] = no_args
    own_indicator: bool = False
    post: Callable[[Scene], dict] | None = None
    post_changes: bool = True
    status: int = 200
    signed_in_status: int | None = None
    actions: dict[str, Action] = field(default_factory=dict)


def indicator_in_period(scene: Scene) -> list:
    return [scene.period, REF]


#: Forms the table's actions post.
OPEN = {"label": "Q4 2024/25", "deadline": "2025-03-31T17:00"}
FIGURE = {"value": "1234", "base_figure": "0"}
NEW_ENTRY = {
    "ref": "NEW2",
    "title": "Added by the matrix",
    "polarity": "higher_better",
    "unit": "number",
    "frequency": "quarterly",
}

#: Every named page of the app (and of the API's own pages), by URL name.
PAGES: dict[str, Page] = {
    "login": Page(PUBLIC, signed_in_status=302),  # signed-in users are sent to their start page
    "logout": Page(PUBLIC, status=405),  # signing out is a POST; a GET is not allowed
    "asset": Page(PUBLIC, lambda s: ["web.css"]),
    "api_asset": Page(PUBLIC, lambda s: ["swagger-ui-bundle.js"]),
    "dashboard": Page(OWNER),
    "indicator": Page(OWNER, lambda s: [REF]),
    "tasks": Page(OWNER),
    "periods": Page(
        PERFORMANCE_OFFICER,
        post=lambda s: {"action": "open", "label": "Q4 2024/25", "deadline": "2025-03-31T17:00"},
        actions={
            "open": Action(PERFORMANCE_OFFICER, lambda s: OPEN),
            "close": Action(PERFORMANCE_OFFICER, lambda s: {"period": s.period}),
            "reopen": Action(PERFORMANCE_OFFICER, lambda s: {"period": s.period}),
        },
    ),
    "enter": Page(
        OWNER,
        indicator_in_period,
        own_indicator=True,
        post=lambda s: {"action": "save", "value": "1234", "base_figure": "0"},
        actions={
            "save": Action(OWNER, lambda s: FIGURE, own_indicator=True),
            "submit": Action(OWNER, lambda s: FIGURE, own_indicator=True),
            "answer": Action(OWNER, lambda s: {"answer": "Checked"}, own_indicator=True),
        },
    ),
    "review": Page(
        OWNER,
        indicator_in_period,
        own_indicator=True,
        post=lambda s: {"action": "panel", "panel": "The panel asked for a recovery plan"},
        actions={
            "return": Action(PERFORMANCE_OFFICER, lambda s: {"challenge": "Why so high?"}),
            "approve": Action(PERFORMANCE_OFFICER, lambda s: {"approval": "Agreed"}),
            "panel": Action(PERFORMANCE_OFFICER, lambda s: {"panel": "Asked for a plan"}),
            "action": Action(PERFORMANCE_OFFICER, lambda s: {"agreed_action": "A plan"}),
            "request_override": Action(
                OWNER, lambda s: {"rag": "amber", "reason": "One-off"}, own_indicator=True
            ),
            "approve_override": Action(PERFORMANCE_OFFICER, lambda s: {"request": s.override}),
            "refuse_override": Action(PERFORMANCE_OFFICER, lambda s: {"request": s.override}),
        },
    ),
    # Publishing needs every indicator approved, which the matrix's open period has not.
    "publish": Page(
        PERFORMANCE_OFFICER,
        lambda s: [s.period],
        post=lambda s: {"action": "publish", "layout": "quarterly-report"},
        post_changes=False,
        actions={
            "publish": Action(PERFORMANCE_OFFICER, lambda s: {"layout": "quarterly-report"}),
        },
    ),
    "packs": Page(VIEWER),
    "pack": Page(VIEWER, lambda s: [s.pack]),
    "pack_file": Page(VIEWER, lambda s: [s.pack, s.pack_path]),
    "pack_download": Page(VIEWER, lambda s: [s.pack]),
    "pack_document": Page(VIEWER, lambda s: [s.pack, "xlsx"]),
    # Checking a file only previews it; saving needs the preview's token from the session.
    "upload": Page(
        OWNER,
        lambda s: [s.period],
        post=lambda s: {"action": "check", "layout": "tidy"},
        post_changes=False,
        actions={
            "check": Action(OWNER, lambda s: {"layout": "tidy"}),
            "confirm": Action(OWNER, lambda s: {"upload": "not-a-preview"}),
        },
    ),
    # Checking a submission only stages it; accepting needs the staging's token from the session.
    "records_upload": Page(
        PERFORMANCE_OFFICER,
        post=lambda s: {"action": "check"},
        post_changes=False,
        actions={
            "check": Action(PERFORMANCE_OFFICER, lambda s: {}),
            "accept": Action(PERFORMANCE_OFFICER, lambda s: {"staged": "not-staged"}),
            "cancel": Action(PERFORMANCE_OFFICER, lambda s: {"staged": "not-staged"}),
        },
    ),
    "audit": Page(PERFORMANCE_OFFICER),
    "audit_csv": Page(PERFORMANCE_OFFICER),
    "tokens": Page(
        VIEWER,
        post=lambda s: {"action": "create", "name": "Should not be made"},
        actions={
            "create": Action(VIEWER, lambda s: {"name": "Another"}),
            # Each user may revoke only their own tokens: this is the officer's.
            "revoke": Action(VIEWER, lambda s: {"token": s.token_ids["performance officer"]}),
        },
    ),
    "catalogue": Page(
        PERFORMANCE_OFFICER,
        post=lambda s: {
            "ref": "NEW1",
            "title": "Should not be added",
            "polarity": "higher_better",
            "unit": "number",
            "frequency": "quarterly",
        },
        actions={"add": Action(PERFORMANCE_OFFICER, lambda s: NEW_ENTRY)},
    ),
    "catalogue_entry": Page(
        PERFORMANCE_OFFICER,
        lambda s: [REF],
        post=lambda s: {
            "action": "save",
            "base_version": str(s.version),
            "title": "Should not be saved",
            "polarity": "lower_better",
            "unit": "number",
            "frequency": "quarterly",
        },
        actions={
            "save": Action(
                PERFORMANCE_OFFICER,
                lambda s: {
                    "base_version": str(s.version),
                    "title": "Changed",
                    "polarity": "lower_better",
                    "unit": "number",
                    "frequency": "quarterly",
                },
            ),
            "add_target": Action(
                PERFORMANCE_OFFICER,
                lambda s: {"target_period": "2025/26", "target_value": "100"},
            ),
            "change_target": Action(
                PERFORMANCE_OFFICER,
                lambda s: {"target_when": "2024/25", "target_base": "1", "target_value": "9"},
            ),
            "withdraw_target": Action(
                PERFORMANCE_OFFICER, lambda s: {"target_when": "2024/25", "target_base": "1"}
            ),
        },
    ),
    "assignments": Page(
        PERFORMANCE_OFFICER,
        post=lambda s: {
            "action": "assign",
            "user": str(s.users["unassigned owner"].pk),
            "what": f"indicator:{REF}",
        },
        actions={
            "assign": Action(
                PERFORMANCE_OFFICER,
                lambda s: {"user": str(s.users["unassigned owner"].pk), "what": "team:Adults"},
            ),
            "remove": Action(PERFORMANCE_OFFICER, lambda s: {"assignment": s.assignment}),
        },
    ),
    # The API's own pages: its OpenAPI document and the browsable docs need no token; the root
    # answers 404 (it only anchors the API's addresses). Its endpoints are in `API` below.
    "api:openapi-json": Page(PUBLIC),
    "api:openapi-view": Page(PUBLIC),
    "api:api-root": Page(PUBLIC, status=404),
}


def allows(held: str | None, minimum: str) -> bool:
    """Whether role `held` is `minimum` or a more trusted one."""
    return held is not None and ORDER.index(held) >= ORDER.index(minimum)


def expected(page: Page, person: Person | None) -> int | str:
    """The answer `person` should get from `page`: a status, or `SIGN_IN`."""
    if page.minimum is PUBLIC:
        if person is not None and page.signed_in_status is not None:
            return page.signed_in_status
        return page.status
    if person is None:
        return SIGN_IN
    if not allows(person.role, page.minimum) or person.elsewhere:
        return 403
    if page.own_indicator and person.role == OWNER and not person.assigned:
        return 403
    return page.status


def action_allowed(page: Page, action: Action, person: Person | None) -> int | str | None:
    """The refusal `person` should get for posting `action` on `page` (`SIGN_IN` or 403), or
    None when they may send it (the answer then depends on the form and the record's state)."""
    refused = expected(page, person)
    if refused in (SIGN_IN, 403):
        return refused
    if not allows(person.role, action.minimum):
        return 403
    if action.own_indicator and person.role == OWNER and not person.assigned:
        return 403
    return None


@dataclass(frozen=True)
class Endpoint:
    """One API path (as the OpenAPI document writes it): the least role that reads it and a
    request for it against the matrix's data."""

    minimum: str
    address: Callable[[Scene], str]


#: Every GET path of the read API (docs/api.md, "Who reads what").
API: dict[str, Endpoint] = {
    "/api/indicators": Endpoint(OWNER, lambda s: "/api/indicators"),
    "/api/indicators/{ref}": Endpoint(OWNER, lambda s: f"/api/indicators/{REF}"),
    "/api/observations": Endpoint(OWNER, lambda s: f"/api/observations?indicator={REF}"),
    "/api/observations/{indicator}/history": Endpoint(
        OWNER, lambda s: f"/api/observations/{REF}/history"
    ),
    "/api/results": Endpoint(OWNER, lambda s: "/api/results?period=Q2 2024/25"),
    "/api/periods": Endpoint(VIEWER, lambda s: "/api/periods"),
    "/api/packs": Endpoint(VIEWER, lambda s: "/api/packs"),
    "/api/packs/{pack_id}/files/{file_path}": Endpoint(
        VIEWER, lambda s: f"/api/packs/{s.pack}/files/index.html"
    ),
}


def expected_from_api(endpoint: Endpoint, person: Person | None) -> int:
    """401 without a token, 403 for a role too low (or none), else 200."""
    if person is None:
        return 401
    return 200 if allows(person.role, endpoint.minimum) and not person.elsewhere else 403
