"""The audit log pages: newest first, filtered, 50 to a page, exported as CSV; officers and
administrators only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import Group, User

from boardpack.web.records import audit
from boardpack.web.records.models import Organisation
from boardpack.web.records.roles import ADMINISTRATOR, OWNER, PERFORMANCE_OFFICER, VIEWER

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC)


def person(username: str, role: str) -> User:
    user = User.objects.create_user(username)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def log():
    """120 entries: Ann revises figures every hour; Bob approves commentary every third."""
    org = Organisation.objects.create(code="E1", name="One")
    ann, bob = person("ann", OWNER), person("bob", PERFORMANCE_OFFICER)
    for n in range(120):
        by_bob = n % 3 == 0
        audit.record(
            "approved" if by_bob else "revised",
            "commentary" if by_bob else "observation",
            f"ADM{n % 7} Q{n % 4 + 1} 2024/25",
            user=bob if by_bob else ann,
            organisation=org,
            before={"value": n},
            after={"value": n + 1, "status": "final"},
            reason=f"entry {n}",
            at=T0 + dt.timedelta(hours=n),
        )
    return org


def reasons(response) -> list[str]:
    return re.findall(r"<td>(entry \d+)</td>", response.content.decode())


@pytest.fixture
def officer(client):
    client.force_login(person("olive", PERFORMANCE_OFFICER))


def test_newest_first_fifty_a_page(client, log, officer):
    first = client.get("/audit/")
    assert first.status_code == 200
    assert reasons(first) == [f"entry {n}" for n in range(119, 69, -1)]
    page = first.content.decode()
    assert "Page 1 of 3" in page and 'href="?page=2" rel="next"' in page
    third = client.get("/audit/", {"page": 3})
    assert reasons(third) == [f"entry {n}" for n in range(19, -1, -1)]
    assert "value: 19 to 20" in third.content.decode()
    assert "status: blank to final" in third.content.decode()


def test_filters_by_kind_action_user_and_record(client, log, officer):
    by_kind = client.get("/audit/", {"kind": "commentary"})
    assert reasons(by_kind) == [f"entry {n}" for n in range(117, -1, -3)][:50]
    assert "40 entries match the filters" in by_kind.content.decode()
    by_action = reasons(client.get("/audit/", {"action": "revised", "user": "ann"}))
    assert by_action[:3] == ["entry 119", "entry 118", "entry 116"]
    by_record = client.get("/audit/", {"record": "adm3 q2", "user": "bob"})
    wanted = [n for n in range(119, -1, -1) if n % 3 == 0 and n % 7 == 3 and n % 4 == 1]
    assert reasons(by_record) == [f"entry {n}" for n in wanted]
    paged = client.get("/audit/", {"kind": "observation", "page": 2}).content.decode()
    assert 'href="?kind=observation&amp;page=1" rel="prev"' in paged


def test_the_csv_export_has_the_filtered_entries(client, log, officer):
    response = client.get("/audit.csv", {"user": "bob", "record": "ADM0"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="audit.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    wanted = [n for n in range(120) if n % 3 == 0 and n % 7 == 0]
    assert [r["reason"] for r in rows] == [f"entry {n}" for n in wanted]
    assert {r["user"] for r in rows} == {"bob"}
    assert rows[0]["after"] == '{"status": "final", "value": 1}'


def test_only_officers_and_administrators_see_the_log(client, log):
    assert client.get("/audit/").status_code == 302
    for name, role, status in [
        ("vera", VIEWER, 403),
        ("owen", OWNER, 403),
        ("pat", PERFORMANCE_OFFICER, 200),
        ("ada", ADMINISTRATOR, 200),
    ]:
        client.force_login(person(name, role))
        assert client.get("/audit/").status_code == status, role
        assert client.get("/audit.csv").status_code == status, role


def test_a_token_named_as_a_formula_reaches_the_csv_as_text(client, officer):
    """Anyone may name an API token; the officer's export must not run the name."""
    from boardpack.web import tokens

    tokens.create_token(person("mallory", OWNER), '=HYPERLINK("http://example.invalid","Hi")')
    rows = list(csv.DictReader(io.StringIO(client.get("/audit.csv").content.decode())))
    (created,) = [r for r in rows if r["kind"] == "api token"]
    assert created["record"].startswith("'=HYPERLINK(")
