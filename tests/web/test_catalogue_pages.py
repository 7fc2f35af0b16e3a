"""The catalogue's pages through Django's test client: officers add and edit catalogue entries
and targets (new versions, audited, the evaluation changed), the catalogue's own checks shown
by field with nothing saved, stale saves refused with nothing lost, owners' assignments, and
everyone else refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from boardpack.periods import parse_period
from boardpack.web import access
from boardpack.web import catalogue_edits as edits
from boardpack.web.live import forget, live
from boardpack.web.records.models import Assignment, AuditEntry, Indicator, Target
from boardpack.web.store import dataset_from_store

from . import test_cycle

cycle_setup = test_cycle.cycle_setup  # the small project, its owners, officers and a viewer

pytestmark = pytest.mark.django_db
Q2 = "Q2 2024/25"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entry_url(ref="ADM1") -> str:
    return reverse("catalogue_entry", args=[ref])


def entry_form(ref="ADM1", **changes) -> dict:
    """The entry form as the page opens it now, with `changes` typed in."""
    form = edits.entry_form(Indicator.objects.current().get(ref=ref))
    return {**{k: str(v) for k, v in form.items()}, **changes, "action": "save"}


def versions(model, **key) -> list[int]:
    return list(model.objects.filter(**key).order_by("version").values_list("version", flat=True))


def rating(org, ref="ADM1", period=Q2) -> str:
    forget()
    rows = live(org).report(parse_period(period))
    return rows.filter(rows["indicator"] == ref)["rag"].item()


def audited(kind: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(kind=kind, user__isnull=False).order_by("id"))


# --- who may use the pages -----------------------------------------------------------------


def addresses() -> list[str]:
    return [reverse("catalogue"), entry_url(), reverse("assignments")]


def test_owners_and_viewers_are_refused_and_the_signed_out_sent_to_sign_in(cycle_setup):
    _, users = cycle_setup
    for who in ("owner", "viewer"):
        client = signed_in(users[who])
        for address in addresses():
            assert client.get(address).status_code == 403
            assert client.post(address, {"action": "save", "title": "Taken"}).status_code == 403
    assert (
        signed_in(users["owner"])
        .post(reverse("catalogue"), {"ref": "NEW1", "title": "New"})
        .status_code
        == 403
    )
    for address in addresses():
        answer = Client().get(address)
        assert answer.status_code == 302 and reverse("login") in answer["Location"]
    assert versions(Indicator, ref="ADM1") == [1]
    assert not Indicator.objects.filter(ref="NEW1").exists()


def test_posts_without_the_csrf_token_are_refused(cycle_setup):
    _, users = cycle_setup
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["officer"])
    answer = client.post(entry_url(), {"action": "save", "title": "Renamed", "base_version": "1"})
    assert answer.status_code == 403
    assert versions(Indicator, ref="ADM1") == [1]


# --- the catalogue -------------------------------------------------------------------------


def test_officers_see_every_indicator_and_the_navigation_links_it(cycle_setup):
    _, users = cycle_setup
    page = signed_in(users["officer"]).get(reverse("catalogue")).content.decode()
    assert f'href="{entry_url()}"' in page and f'href="{entry_url("PB1")}"' in page
    assert "Ann Owner" in page and "Lower is better" in page and "Strategic" in page
    assert '<td class="number">1</td>' in page  # ADM1's one target
    assert f'href="{reverse("assignments")}"' in page
    assert 'for="ref"' in page and "csrfmiddlewaretoken" in page
    assert signed_in(users["officer"]).get(entry_url("NOPE")).status_code == 404
    owner_page = signed_in(users["owner"]).get("/").content.decode()
    assert f'href="{reverse("catalogue")}"' not in owner_page


def test_an_officer_adds_an_indicator_whose_reference_holds_a_slash(cycle_setup):
    org, users = cycle_setup
    client = signed_in(users["officer"])
    new = {"ref": "AC/S3", "title": "Carers assessed", "polarity": "higher_better"}
    answer = client.post(reverse("catalogue"), {**new, "unit": "number", "frequency": "monthly"})
    assert answer.status_code == 302 and answer["Location"] == entry_url("AC/S3")
    added = Indicator.objects.current().get(ref="AC/S3")
    assert added.definition["directorate"] == "Adults" and added.directorate == "Adults"
    assert added.position > Indicator.objects.current().get(ref="PB1").position
    assert [e.action for e in audited("indicator")] == ["created"]
    assert "AC/S3 Carers assessed" in client.get(entry_url("AC/S3")).content.decode()
    assert "AC/S3" in dataset_from_store(org).project.refs()


def test_a_new_indicator_is_checked_and_a_reference_is_used_once(cycle_setup):
    _, users = cycle_setup
    client = signed_in(users["officer"])
    again = client.post(
        reverse("catalogue"),
        {
            "ref": "adm1",
            "title": "Twice",
            "polarity": "none",
            "unit": "number",
            "frequency": "annual",
        },
    )
    assert again.status_code == 400 and "ADM1 is already in the catalogue" in again.content.decode()
    bad = client.post(reverse("catalogue"), {"ref": "NEW 1", "title": "", "polarity": "higher"})
    page = bad.content.decode()
    assert bad.status_code == 400
    for field in ("ref", "title", "polarity", "unit", "frequency"):
        assert f'href="#{field}"' in page and f'id="{field}-error"' in page
    assert "use one of higher_better, lower_better, in_band, none" in page
    assert 'value="NEW 1"' in page  # what was typed is kept
    assert Indicator.objects.count() == 2 and not audited("indicator")


# --- editing an entry ----------------------------------------------------------------------


def test_an_officer_edits_an_entry_making_a_new_version_with_its_columns(cycle_setup):
    org, users = cycle_setup
    client = signed_in(users["officer"])
    page = client.get(entry_url()).content.decode()
    assert 'name="base_version" value="1"' in page and 'for="lead_officer"' in page
    assert 'value="Admissions to care homes"' in page and 'value="lower_better" selected' in page
    form = entry_form(title="Admissions to residential care", director="Dee Rector")
    answer = client.post(entry_url(), {**form, "tier": "KPI", "decimals": "1"})
    assert answer.status_code == 302
    saved = Indicator.objects.current().get(ref="ADM1")
    assert saved.version == 2 and saved.saved_by == users["officer"]
    assert (saved.title, saved.tier, saved.director) == (
        "Admissions to residential care",
        "KPI",
        "Dee Rector",
    )
    assert saved.definition["owners"] == {
        "cabinet_member": None,
        "director": "Dee Rector",
        "portfolio": None,
        "division": None,
        "lead_officer": "Ann Owner",
    }
    assert saved.definition["decimals"] == 1
    change = audited("indicator")[-1]
    assert change.action == "revised" and change.version == 2
    assert change.before["definition"]["title"] == "Admissions to care homes"
    assert change.after["definition"]["title"] == "Admissions to residential care"
    built = dataset_from_store(org).project.indicator("ADM1")
    assert built.title == "Admissions to residential care" and built.targets  # targets kept
    assert "Saved ADM1" in client.get(entry_url()).content.decode()
    unchanged = client.post(entry_url(), entry_form())
    assert unchanged.status_code == 302 and versions(Indicator, ref="ADM1") == [1, 2]


def test_pydantic_problems_are_shown_by_their_fields_and_nothing_is_saved(cycle_setup):
    _, users = cycle_setup
    client = signed_in(users["officer"])
    form = entry_form(title=" ", polarity="higher", decimals="many", frequency="weekly")
    answer = client.post(entry_url(), form)
    page = answer.content.decode()
    assert answer.status_code == 400
    assert 'class="error-summary"' in page
    for field in ("title", "polarity", "decimals", "frequency"):
        assert f'<a href="#{field}">' in page and f'id="{field}-error"' in page
    assert "Decimal places: &#34;many&#34; is not a whole number" in page
    assert "did you mean &#34;higher_better&#34;" in page
    assert 'value="many"' in page
    assert versions(Indicator, ref="ADM1") == [1] and not audited("indicator")


def test_an_entry_change_the_catalogue_checks_refuse_is_not_saved(cycle_setup):
    """ADM1's floor (2800) is above its target (2600), right for lower_better only."""
    org, users = cycle_setup
    client = signed_in(users["officer"])
    answer = client.post(entry_url(), entry_form(polarity="higher_better"))
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "ADM1, target for 2024/25, floor" in page
    assert versions(Indicator, ref="ADM1") == [1] and not audited("indicator")
    assert dataset_from_store(org).project.indicator("ADM1").polarity == "lower_better"


def test_a_stale_save_is_refused_naming_theirs_and_keeping_yours(cycle_setup):
    _, users = cycle_setup
    first, second = signed_in(users["officer"]), signed_in(users["second_officer"])
    opened = entry_form(title="Quinn's title")
    first.post(entry_url(), entry_form(title="Pat's title"))
    answer = second.post(entry_url(), opened)
    page = answer.content.decode()
    assert answer.status_code == 409
    assert "Pat saved version 2" in page and "changed by Pat" in page
    assert "Pat&#39;s title" in page and 'value="Quinn&#39;s title"' in page
    assert 'name="base_version" value="2"' in page  # saving again replaces theirs
    assert Indicator.objects.current().get(ref="ADM1").title == "Pat's title"
    again = second.post(entry_url(), {**opened, "base_version": "2"})
    assert again.status_code == 302
    assert Indicator.objects.current().get(ref="ADM1").title == "Quinn's title"


# --- targets -------------------------------------------------------------------------------


def test_changing_a_target_changes_the_rating(cycle_setup):
    """ADM1 (lower is better) was 2,650 in Q2 against a target of 2,600 and a floor of 2,800."""
    org, users = cycle_setup
    client = signed_in(users["officer"])
    assert rating(org) == "amber"
    opened = client.get(entry_url(), {"change": "2024/25"}).content.decode()
    assert 'name="target_when" value="2024/25"' in opened and 'value="2600"' in opened
    answer = client.post(
        entry_url(),
        {
            "action": "change_target",
            "target_when": "2024/25",
            "target_base": "1",
            "target_value": "2,700",
            "target_floor": "2800",
        },
    )
    assert answer.status_code == 302
    assert versions(Target, indicator="ADM1", when="2024/25") == [1, 2]
    assert Target.objects.current().get(indicator="ADM1").target == 2700.0
    change = audited("target")[-1]
    assert (change.action, change.before["target"], change.after["target"]) == (
        "revised",
        2600.0,
        2700.0,
    )
    assert rating(org) == "green"


def test_an_officer_adds_and_withdraws_targets(cycle_setup):
    org, users = cycle_setup
    client = signed_in(users["officer"])
    added = client.post(
        entry_url(),
        {"action": "add_target", "target_period": "Quarter 2 2024/2025", "target_value": "2700"},
    )
    assert added.status_code == 302
    assert Target.objects.current().get(indicator="ADM1", when=Q2).period == Q2
    assert rating(org) == "green"  # the quarter's target wins over the year's
    dated = client.post(
        entry_url("PB1"),
        {"action": "add_target", "target_from": "2025-04-01", "target_value": "45"},
    )
    assert dated.status_code == 302
    assert Target.objects.current().get(indicator="PB1", when="from 2025-04-01").target == 45.0
    assert "Added the target from 2025-04-01" in client.get(entry_url("PB1")).content.decode()
    page = client.get(entry_url()).content.decode()
    assert f"Withdraw the target for {Q2}" in page and "Withdraw the target for 2024/25" in page
    gone = client.post(
        entry_url(), {"action": "withdraw_target", "target_when": Q2, "target_base": "1"}
    )
    assert gone.status_code == 302
    assert not Target.objects.current().filter(indicator="ADM1", when=Q2).exists()
    assert versions(Target, indicator="ADM1", when=Q2) == [1, 2]
    assert [e.action for e in audited("target")] == ["created", "created", "withdrawn"]
    assert rating(org) == "amber"


def test_bad_targets_are_shown_by_their_fields_and_nothing_is_saved(cycle_setup):
    _, users = cycle_setup
    client = signed_in(users["officer"])
    cases = {
        "target_period": {"target_period": "Q9 2024/25", "target_value": "1"},
        "target_value": {"target_period": Q2, "target_value": "lots"},
        "target_from": {"target_from": "next April", "target_value": "1"},
        "target_floor": {"target_period": Q2, "target_value": "2600", "target_floor": "2000"},
        "target_band": {"target_period": Q2, "target_value": "2600", "target_band": "-1"},
    }
    for field, typed in cases.items():
        answer = client.post(entry_url(), {"action": "add_target", **typed})
        page = answer.content.decode()
        assert answer.status_code == 400, field
        assert f'<a href="#{field}">' in page and f'id="{field}-error"' in page, field
    both = client.post(
        entry_url(),
        {"action": "add_target", "target_period": Q2, "target_from": "2024-07-01"},
    )
    assert "not both" in both.content.decode()
    twice = client.post(
        entry_url(), {"action": "add_target", "target_period": "2024/25", "target_value": "1"}
    )
    assert "already has a target for 2024/25" in twice.content.decode()
    assert Target.objects.count() == 2 and not audited("target")


def test_a_stale_target_change_is_refused(cycle_setup):
    _, users = cycle_setup
    change = {"action": "change_target", "target_when": "2024/25", "target_base": "1"}
    signed_in(users["officer"]).post(entry_url(), {**change, "target_value": "2500"})
    answer = signed_in(users["second_officer"]).post(
        entry_url(), {**change, "target_value": "2700"}
    )
    page = answer.content.decode()
    assert answer.status_code == 409
    assert "changed by Pat" in page and 'value="2700"' in page and 'value="2500"' not in page
    assert 'name="target_base" value="2"' in page
    stale = signed_in(users["second_officer"]).post(
        entry_url(), {"action": "withdraw_target", "target_when": "2024/25", "target_base": "1"}
    )
    assert stale.status_code == 409
    assert Target.objects.current().get(indicator="ADM1").target == 2500.0


# --- assignments ---------------------------------------------------------------------------


def test_assignments_change_what_an_owner_may_edit(cycle_setup):
    org, users = cycle_setup
    oscar = users["other_owner"]
    client = signed_in(users["officer"])
    page = client.get(reverse("assignments")).content.decode()
    assert "Nothing assigned: Oscar" in page and 'value="team:Adults"' in page
    assert f'value="{users["viewer"].pk}"' not in page  # only owners are listed
    assert not may_edit(oscar, org, "PB1")
    answer = client.post(
        reverse("assignments"), {"action": "assign", "user": oscar.pk, "what": "team:Adults"}
    )
    assert answer.status_code == 302
    assert may_edit(oscar, org, "PB1") and may_edit(oscar, org, "ADM1")
    twice = client.post(
        reverse("assignments"), {"action": "assign", "user": oscar.pk, "what": "team:Adults"}
    )
    assert twice.status_code == 400 and "already has team Adults" in twice.content.decode()
    made = Assignment.objects.get(user=oscar)
    listed = client.get(reverse("assignments")).content.decode()
    assert "Remove Adults from Oscar" in listed
    removed = client.post(reverse("assignments"), {"action": "remove", "assignment": made.pk})
    assert removed.status_code == 302
    assert not may_edit(oscar, org, "PB1")


def may_edit(user, organisation, ref: str) -> bool:
    """Whether `user` may enter `ref`'s figures, asked as a new request would (Django keeps a
    user's permissions and assignments on the user object, read afresh each request)."""
    fresh = type(user).objects.get(pk=user.pk)
    return access.may(fresh, "change", access.figure(organisation, ref))
    assert [(e.action, e.record) for e in audited("assignment")] == [
        ("assigned", "oscar team Adults"),
        ("removed", "oscar team Adults"),
    ]


def test_only_owners_and_known_indicators_can_be_assigned(cycle_setup):
    _, users = cycle_setup
    client = signed_in(users["officer"])
    answer = client.post(
        reverse("assignments"),
        {"action": "assign", "user": users["viewer"].pk, "what": "indicator:NOPE"},
    )
    page = answer.content.decode()
    assert answer.status_code == 400
    assert '<a href="#user">' in page and '<a href="#what">' in page
    assert Assignment.objects.count() == 1  # the fixture's own
    gone = client.post(reverse("assignments"), {"action": "remove", "assignment": "999"})
    assert gone.status_code == 409 and "already removed" in gone.content.decode()
