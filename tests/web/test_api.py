"""The read API: each endpoint answers each role as the pages do, with token or session, and
bad questions get a JSON message saying what to fix; the OpenAPI document describes it all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from boardpack.periods import parse_period
from boardpack.web import live
from boardpack.web.records.changes import save_version
from boardpack.web.records.models import Observation, ReportingPeriod
from boardpack.web.records.roles import ADMINISTRATOR, ORDER, OWNER, PERFORMANCE_OFFICER, VIEWER
from boardpack.web.store import find_organisation, import_project, publish_pack
from boardpack.web.tokens import create_token, revoke

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2024, 10, 10, 9, 0, tzinfo=dt.UTC)
REVISED = T0 + dt.timedelta(days=20)

#: Every endpoint (as a request path) and the least role that may read it.
ENDPOINTS = {
    "/api/indicators": OWNER,
    "/api/indicators/ADM1": OWNER,
    "/api/observations?indicator=ADM1": OWNER,
    "/api/observations/ADM1/history": OWNER,
    "/api/results?period=Q2 2024/25": OWNER,
    "/api/periods": VIEWER,
    "/api/packs": VIEWER,
    "/api/packs/{pack}/files/index.html": VIEWER,
}
#: The OpenAPI document's paths for the same endpoints.
DOCUMENTED = {
    "/api/indicators",
    "/api/indicators/{ref}",
    "/api/observations",
    "/api/observations/{indicator}/history",
    "/api/results",
    "/api/periods",
    "/api/packs",
    "/api/packs/{pack_id}/files/{file_path}",
}


@pytest.fixture(autouse=True)
def fresh_evaluation():
    live.forget()
    yield
    live.forget()


@pytest.fixture
def store(small_project):
    """The small project imported, Q2 published as a pack and Q3 open."""
    import_project(small_project, at=T0)
    organisation = find_organisation()
    q2 = ReportingPeriod.objects.create(organisation=organisation, label="Q2 2024/25")
    ReportingPeriod.objects.create(organisation=organisation, label="Q3 2024/25")
    return publish_pack(q2)


def holder(name: str, role: str | None) -> User:
    user = User.objects.create_user(name, password="not used")
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def bearer(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user, 'tests')}")


def address(endpoint: str, pack) -> str:
    return endpoint.format(pack=pack.pk)


def allowed(role: str | None, minimum: str) -> bool:
    return role is not None and ORDER.index(role) >= ORDER.index(minimum)


@pytest.mark.parametrize("role", [*ORDER, None])
def test_each_role_reads_what_the_pages_let_it_and_is_refused_the_rest(store, role):
    client = bearer(holder("someone", role))
    for endpoint, minimum in ENDPOINTS.items():
        answer = client.get(address(endpoint, store))
        if allowed(role, minimum):
            assert answer.status_code == 200, (endpoint, answer.content)
        else:
            assert answer.status_code == 403, (endpoint, answer.content)
            detail = answer.json()["detail"]
            assert "Your role does not allow you to" in detail
            assert f"(your role: {role or 'no role'})" in detail
            assert "may: ask an administrator for such a role" in detail
            if endpoint == "/api/indicators":
                assert "owners, performance officers and administrators may" in detail


def test_anonymous_callers_get_401_with_how_to_authenticate(store):
    for endpoint in ENDPOINTS:
        answer = Client().get(address(endpoint, store))
        assert answer.status_code == 401, endpoint
        assert "Authorization: Bearer" in answer.json()["detail"]
        assert answer["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_or_unknown_token_gets_401(store):
    owner = holder("owner", OWNER)
    secret = create_token(owner, "report")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/indicators").status_code == 200
    revoke(owner, owner.api_tokens.get().pk)
    assert client.get("/api/indicators").status_code == 401
    wrong = Client(HTTP_AUTHORIZATION=f"Bearer {secret[:-2]}xx")
    assert wrong.get("/api/indicators").status_code == 401


def test_a_deactivated_users_token_gets_401(store):
    owner = holder("owner", OWNER)
    client = bearer(owner)
    owner.is_active = False
    owner.save()
    assert client.get("/api/indicators").status_code == 401


def test_a_signed_in_browser_may_call_the_api(store):
    client = Client()
    client.force_login(holder("officer", PERFORMANCE_OFFICER))
    assert client.get("/api/indicators").status_code == 200
    client.force_login(holder("viewer", VIEWER))
    assert client.get("/api/indicators").status_code == 403


def test_the_catalogue_gives_each_entry_with_owners_and_default_directorate(store):
    client = bearer(holder("owner", OWNER))
    entries = {e["ref"]: e for e in client.get("/api/indicators").json()}
    assert list(entries) == ["ADM1", "PB1"]
    adm1, pb1 = entries["ADM1"], entries["PB1"]
    assert (adm1["polarity"], adm1["unit"], adm1["frequency"]) == (
        "lower_better",
        "number",
        "quarterly",
    )
    assert adm1["tier"] == "Strategic" and adm1["owners"]["lead_officer"] == "Ann Owner"
    assert pb1["directorate"] == "Adults"  # the organisation's default
    detail = client.get("/api/indicators/ADM1").json()
    assert detail["targets"] == [
        {
            "period": "2024/25",
            "from_date": None,
            "target": 2600.0,
            "floor": 2800.0,
            "band": None,
            "tolerance": None,
        }
    ]


def test_an_unknown_indicator_is_404_naming_it(store):
    client = bearer(holder("owner", OWNER))
    for endpoint in (
        "/api/indicators/NOPE",
        "/api/observations?indicator=NOPE",
        "/api/observations/NOPE/history",
    ):
        answer = client.get(endpoint)
        assert answer.status_code == 404, endpoint
        assert '"NOPE"' in answer.json()["detail"] and "/api/indicators" in answer.json()["detail"]


def revise_adm1_q1(user) -> None:
    org = find_organisation()
    key = {"indicator": "ADM1", "area": "E10000099", "period": "Q1 2024/25"}
    latest = Observation.objects.as_at().get(organisation=org, **key)
    save_version(
        Observation,
        org,
        key,
        {"value": 2725.0},
        base_version=latest.version,
        user=user,
        reason="late returns",
        at=REVISED,
    )


def test_observations_are_current_filtered_and_as_they_stood(store):
    officer = holder("officer", PERFORMANCE_OFFICER)
    client = bearer(officer)
    everything = client.get("/api/observations").json()
    assert {(o["indicator"], o["period"]) for o in everything} == {
        ("ADM1", "Q1 2024/25"),
        ("ADM1", "Q2 2024/25"),
        ("PB1", "Q1 2024/25"),
        ("PB1", "Q2 2024/25"),
    }
    revise_adm1_q1(officer)
    (q1,) = client.get("/api/observations", {"indicator": "ADM1", "period": "q1 2024/25"}).json()
    assert (q1["value"], q1["version"], q1["period_end"]) == (2725.0, 2, "2024-06-30")
    before = (T0 + dt.timedelta(days=1)).isoformat()
    (then,) = client.get(
        "/api/observations", {"indicator": "ADM1", "period": "Q1 2024/25", "as_at": before}
    ).json()
    assert (then["value"], then["version"]) == (2501.0, 1)


def test_history_lists_every_version_with_who_and_why(store):
    officer = holder("officer", PERFORMANCE_OFFICER)
    revise_adm1_q1(officer)
    history = bearer(officer).get("/api/observations/ADM1/history").json()
    q1 = [v for v in history if v["period"] == "Q1 2024/25"]
    assert [(v["version"], v["value"], v["saved_by"]) for v in q1] == [
        (1, 2501.0, None),
        (2, 2725.0, "officer"),
    ]
    assert q1[1]["reason"] == "late returns" and q1[1]["withdrawn"] is False


def test_bad_periods_and_times_are_400_saying_how_to_write_them(store):
    client = bearer(holder("owner", OWNER))
    for endpoint, params in (
        ("/api/observations", {"period": "Quarter nine"}),
        ("/api/results", {"period": "Quarter nine"}),
    ):
        answer = client.get(endpoint, params)
        assert answer.status_code == 400
        assert 'Cannot read the period "Quarter nine"' in answer.json()["detail"]
        assert "Q2 2019/20" in answer.json()["detail"]
    answer = client.get("/api/observations", {"as_at": "yesterday"})
    assert answer.status_code == 400
    assert (
        answer.json()["detail"].startswith("as_at:")
        and "2025-10-01T09:00" in (answer.json()["detail"])
    )


def test_results_are_the_evaluated_rows_of_the_period(store):
    client = bearer(holder("admin", ADMINISTRATOR))
    answer = client.get("/api/results?period=Q2 2024/25").json()
    assert (answer["period"], answer["period_end"]) == ("Q2 2024/25", "2024-09-30")
    rows = {r["indicator"]: r for r in answer["rows"]}
    org = find_organisation()
    expected = live.live(org).report(parse_period("Q2 2024/25")).to_dicts()
    assert set(rows) == {"ADM1", "PB1"} == {row["indicator"] for row in expected}
    for row in expected:
        got = rows[row["indicator"]]
        for name in ("value", "target", "rag", "direction", "variance", "call_in_reason"):
            assert got[name] == row[name], (row["indicator"], name)
    assert rows["PB1"]["rag"] == "green" and rows["PB1"]["rag_manual"] is True  # the override
    assert rows["ADM1"]["value"] == 2650.0 and rows["ADM1"]["period"] == "Q2 2024/25"


def test_results_default_to_the_newest_open_period(store):
    answer = bearer(holder("owner", OWNER)).get("/api/results").json()
    assert answer["period"] == "Q3 2024/25"
    # nothing is reported for Q3 yet: each row shows the latest figure, from Q2
    assert {(r["indicator"], r["period"], r["reported"]) for r in answer["rows"]} == {
        ("ADM1", "Q2 2024/25", False),
        ("PB1", "Q2 2024/25", False),
    }


def test_viewers_see_published_periods_only_and_owners_every_period(store):
    seen = {
        role: [p["label"] for p in bearer(holder(role, role)).get("/api/periods").json()]
        for role in (VIEWER, OWNER)
    }
    assert seen[VIEWER] == ["Q2 2024/25"]
    assert seen[OWNER] == ["Q3 2024/25", "Q2 2024/25"]


def test_packs_list_their_files_and_give_each_byte_for_byte(store):
    client = bearer(holder("viewer", VIEWER))
    (pack,) = client.get("/api/packs").json()
    assert (pack["id"], pack["period"], pack["layout"]) == (
        store.pk,
        "Q2 2024/25",
        "quarterly-report",
    )
    assert pack["files"] == sorted(store.files.values_list("path", flat=True))
    assert "index.html" in pack["files"] and "indicators/adm1.html" in pack["files"]
    answer = client.get(f"/api/packs/{store.pk}/files/indicators/adm1.html")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/html")
    assert answer.content == store.files.get(path="indicators/adm1.html").data()
    missing = client.get(f"/api/packs/{store.pk}/files/nothing.html")
    assert missing.status_code == 404 and "nothing.html" in missing.json()["detail"]
    assert client.get(f"/api/packs/{store.pk + 1}/files/index.html").status_code == 404


def test_the_openapi_document_lists_every_endpoint_and_the_bearer_scheme(store):
    document = Client().get("/api/openapi.json").json()
    assert set(document["paths"]) == DOCUMENTED
    schemes = document["components"]["securitySchemes"]
    bearer_names = [n for n, s in schemes.items() if s == {"type": "http", "scheme": "bearer"}]
    assert bearer_names
    for where, operations in document["paths"].items():
        operation = operations["get"]
        assert {bearer_names[0]: []} in operation["security"], where
        assert {"401", "403"} <= set(operation["responses"]), where
    listing = document["paths"]["/api/indicators"]["get"]["responses"]["200"]
    assert listing["content"]["application/json"]["schema"]["items"]["$ref"].endswith(
        "/IndicatorOut"
    )


PAGED = (
    "/api/indicators",
    "/api/observations",
    "/api/observations/{indicator}/history",
    "/api/periods",
    "/api/packs",
)


def test_lists_come_in_pages_with_the_total_and_the_next_pages_address(store):
    client = bearer(holder("officer", PERFORMANCE_OFFICER))
    everything = client.get("/api/observations").json()
    first = client.get("/api/observations", {"limit": 3})
    assert first.json() == everything[:3] and first["X-Total-Count"] == "4"
    (following,) = [
        part.split(";")[0].strip(" <>") for part in first["Link"].split(",") if 'rel="next"' in part
    ]
    assert "offset=3" in following and "limit=3" in following
    second = client.get(following)
    assert second.json() == everything[3:] and 'rel="prev"' in second["Link"]
    assert 'rel="next"' not in second["Link"]
    whole = client.get("/api/observations")
    assert whole["X-Total-Count"] == "4" and not whole.has_header("Link")
    (one,) = client.get("/api/indicators", {"limit": 1, "offset": 1}).json()
    assert one["ref"] == "PB1"
    history = client.get("/api/observations/ADM1/history", {"limit": 1})
    assert len(history.json()) == 1 and history["X-Total-Count"] == "2"


def test_a_page_too_large_or_before_the_start_is_400_saying_the_limits(store):
    client = bearer(holder("officer", PERFORMANCE_OFFICER))
    for asked in ({"limit": 5001}, {"limit": 0}, {"offset": -1}, {"limit": "many"}):
        answer = client.get("/api/observations", asked)
        assert answer.status_code == 400, asked
        assert "limit (1 to 5000) and offset (0 or more)" in answer.json()["detail"]


def test_the_openapi_document_says_how_lists_are_paged(store):
    document = Client().get("/api/openapi.json").json()
    for where in PAGED:
        operation = document["paths"][where]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"limit", "offset"} <= names, where
        limit = next(p for p in operation["parameters"] if p["name"] == "limit")
        assert limit["schema"]["maximum"] == 5000 and limit["schema"]["default"] == 1000, where
        assert "X-Total-Count" in operation["description"], where
        assert {"X-Total-Count", "Link"} <= set(operation["responses"]["200"]["headers"]), where
