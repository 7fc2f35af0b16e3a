"""The cycle's pages through Django's test client, for owners, officers and viewers: what each
may see and do, and the refusals with their messages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from boardpack.web import cycle
from boardpack.web.records.models import (
    Commentary,
    Discussion,
    Observation,
    OverrideRequest,
    PublishedPack,
    RatingOverride,
    ReportingPeriod,
    Submission,
)

from . import test_cycle
from .test_cycle import LABEL, entry

cycle_setup, opened = test_cycle.cycle_setup, test_cycle.opened  # the same fixtures

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def enter_url(period, ref="ADM1") -> str:
    return reverse("enter", args=[period.pk, ref])


def review_url(period, ref="ADM1") -> str:
    return reverse("review", args=[period.pk, ref])


def status(period, ref="ADM1") -> str:
    return Submission.objects.get(period=period, indicator=ref).status


# --- periods -------------------------------------------------------------------------------


def test_an_officer_opens_a_period_from_the_periods_page(cycle_setup):
    _, users = cycle_setup
    client = signed_in(users["officer"])
    assert client.get(reverse("periods")).status_code == 200
    answer = client.post(
        reverse("periods"),
        {"action": "open", "label": "Q3 2024/2025", "deadline": "2024-12-31T17:00"},
    )
    assert answer.status_code == 302
    period = ReportingPeriod.objects.get(label=LABEL)
    assert period.deadline.isoformat() == "2024-12-31T17:00:00+00:00"
    page = client.get(reverse("periods")).content.decode()
    assert "Q3 2024/25 is open with 2 indicators to report" in page
    assert "csrfmiddlewaretoken" in page


def test_a_bad_period_is_shown_by_its_field_and_in_the_summary(cycle_setup):
    _, users = cycle_setup
    answer = signed_in(users["officer"]).post(
        reverse("periods"), {"action": "open", "label": "Q9", "deadline": "tomorrow"}
    )
    page = answer.content.decode()
    assert answer.status_code == 400
    assert 'class="error-summary"' in page and 'href="#label"' in page
    assert 'id="deadline-error"' in page and 'aria-invalid="true"' in page
    assert not ReportingPeriod.objects.exists()


def test_an_officer_closes_and_reopens_a_period_from_the_periods_page(opened):
    period, users = opened
    client = signed_in(users["officer"])
    for action, button, said in (
        ("close", "Close", "is closed"),
        ("reopen", "Reopen", "is open again"),
    ):
        assert f">{button} {LABEL}</button>" in client.get(reverse("periods")).content.decode()
        answer = client.post(reverse("periods"), {"action": action, "period": period.pk})
        assert answer.status_code == 302
        assert f"{LABEL} {said}" in client.get(reverse("periods")).content.decode()
    period.refresh_from_db()
    assert period.status == "open"


def test_owners_and_viewers_cannot_open_periods(cycle_setup):
    _, users = cycle_setup
    for who in ("owner", "viewer"):
        client = signed_in(users[who])
        assert client.get(reverse("periods")).status_code == 403
        refused = client.post(
            reverse("periods"), {"action": "open", "label": LABEL, "deadline": "2024-12-31T17:00"}
        )
        assert refused.status_code == 403
    assert not ReportingPeriod.objects.exists()
    assert Client().get(reverse("periods")).status_code == 302  # to sign in


def test_posts_without_the_csrf_token_are_refused(cycle_setup):
    _, users = cycle_setup
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["officer"])
    answer = client.post(
        reverse("periods"), {"action": "open", "label": LABEL, "deadline": "2024-12-31T17:00"}
    )
    assert answer.status_code == 403
    assert not ReportingPeriod.objects.exists()


# --- tasks ---------------------------------------------------------------------------------


def test_owners_see_their_tasks_and_officers_filter_every_one(opened):
    period, users = opened
    page = signed_in(users["owner"]).get(reverse("tasks")).content.decode()
    assert enter_url(period) in page and enter_url(period, "PB1") not in page
    officer = signed_in(users["officer"])
    every = officer.get(reverse("tasks")).content.decode()
    assert enter_url(period, "PB1") in every and review_url(period) in every
    cycle.save_entry(period, "PB1", users["officer"], entry("40"))
    cycle.submit(period, "PB1", users["officer"])
    submitted = officer.get(reverse("tasks"), {"status": "submitted"}).content.decode()
    assert enter_url(period, "PB1") in submitted and enter_url(period) not in submitted
    assert signed_in(users["viewer"]).get(reverse("tasks")).status_code == 403


def test_the_upload_page_is_linked_from_the_periods_and_task_pages(opened):
    period, users = opened
    upload = reverse("upload", args=[period.pk])
    officer = signed_in(users["officer"])
    assert f'href="{upload}"' in officer.get(reverse("periods")).content.decode()
    assert f'href="{upload}"' in officer.get(reverse("tasks")).content.decode()
    owner = signed_in(users["owner"])
    assert f'href="{upload}"' in owner.get(reverse("tasks")).content.decode()
    cycle.close_period(period, users["officer"])
    assert f'href="{upload}"' not in owner.get(reverse("tasks")).content.decode()
    assert f'href="{upload}"' in officer.get(reverse("tasks")).content.decode()


# --- the entry form ------------------------------------------------------------------------


def test_an_owner_saves_and_submits_their_entry(opened):
    period, users = opened
    client = signed_in(users["owner"])
    form = client.get(enter_url(period)).content.decode()
    assert 'name="base_figure" value="0"' in form and 'for="commentary"' in form
    answer = client.post(
        enter_url(period),
        {**entry("2640"), "commentary": "Fewer *admissions*.", "action": "submit"},
    )
    assert answer.status_code == 302
    assert Observation.objects.current().get(indicator="ADM1", period=LABEL).value == 2640.0
    assert status(period) == "submitted"
    again = client.get(enter_url(period)).content.decode()
    assert "Saved and submitted ADM1 for review" in again
    assert 'name="base_figure" value="1"' in again
    assert "cannot be changed now" in again and 'value="save"' not in again
    refused = client.post(enter_url(period), {**entry("1", base_figure="1"), "action": "save"})
    assert refused.status_code == 409 and "only when a performance officer returns it" in (
        refused.content.decode()
    )


def test_the_entry_and_review_pages_show_what_the_rating_rests_on(opened):
    period, users = opened
    submitted(period, users)  # ADM1: 2,600 against a target of 2,600 and a floor of 2,800
    for client, url in (
        (signed_in(users["owner"]), enter_url(period)),
        (signed_in(users["officer"]), review_url(period)),
    ):
        page = client.get(url).content.decode()
        basis = page[page.index('class="basis"') :]
        assert "<dt>Rating for Q3 2024/25</dt>" in basis and "rag-green" in basis
        assert "Green: 2,600" in basis  # the computed rating's reason
        assert "<dt>Target</dt><dd>2,600</dd>" in basis
        assert "<dt>Floor</dt><dd>2,800</dd>" in basis
        assert "<dt>Previous figure (Q2 2024/25)</dt>" in basis and "2,650" in basis
        assert "direction-" in basis
        assert "Latest figures for ADM1" in basis and ">Q1 2024/25<" in basis
        assert "<figure" in basis or "trend chart is being drawn" in basis


def test_the_challenge_box_sits_beside_the_figure(opened):
    period, users = opened
    submitted(period, users)
    page = signed_in(users["officer"]).get(review_url(period)).content.decode()
    beside = page[page.index('class="beside"') : page.index("<h2>Commentary</h2>")]
    assert 'name="challenge"' in beside and "The figure" in beside
    cycle.return_submission(period, "ADM1", users["officer"], "Why so high?")
    entry_page = signed_in(users["owner"]).get(enter_url(period)).content.decode()
    beside = entry_page[entry_page.index('class="beside"') :]
    aside = beside[beside.index("<aside") :]
    assert 'name="value"' in beside and "Why so high?" in aside and 'name="answer"' in aside


def test_a_percentage_entry_asks_for_its_numerator_and_denominator(opened):
    period, users = opened
    client = signed_in(users["officer"])
    assert 'id="numerator"' in client.get(enter_url(period, "PB1")).content.decode()
    assert 'id="numerator"' not in client.get(enter_url(period)).content.decode()
    answer = client.post(
        enter_url(period, "PB1"),
        {**entry("45"), "numerator": "1200", "denominator": "1000", "action": "save"},
    )
    page = answer.content.decode()
    assert answer.status_code == 400
    assert 'href="#numerator"' in page and "larger than the denominator" in page
    assert 'value="1200"' in page  # what was typed is kept
    assert not Observation.objects.filter(indicator="PB1", period=LABEL).exists()


def test_the_second_save_shows_both_texts_side_by_side(opened):
    period, users = opened
    owner, officer = signed_in(users["owner"]), signed_in(users["officer"])
    base = {**entry("2600"), "action": "save"}
    officer.post(enter_url(period), {**base, "commentary": "The officer's words"})
    answer = owner.post(enter_url(period), {**base, "commentary": "The owner's words"})
    page = answer.content.decode()
    assert answer.status_code == 409
    assert 'class="conflict"' in page and "Saved by Pat" in page
    assert "The officer&#39;s words" in page and "The owner&#39;s words" in page
    assert 'name="base_commentary" value="1"' in page  # saving again replaces theirs
    said = "The commentary for ADM1 in Q3 2024/25 was changed by Pat at "
    assert said in page and "after you opened the page" in page
    assert "observation" not in page.lower() and "version 0" not in page
    texts = [c.markdown for c in Commentary.objects.filter(indicator="ADM1", period=LABEL)]
    assert texts == ["The officer's words"]


def test_others_cannot_open_or_save_an_entry(opened):
    period, users = opened
    for who in ("other_owner", "viewer"):
        client = signed_in(users[who])
        assert client.get(enter_url(period)).status_code == 403
        assert client.post(enter_url(period), {**entry(), "action": "save"}).status_code == 403
    assert signed_in(users["owner"]).get(enter_url(period, "PB1")).status_code == 403
    assert not Observation.objects.filter(period=LABEL).exists()
    assert signed_in(users["officer"]).get(enter_url(period, "NOPE")).status_code == 404


def test_submitting_without_a_figure_is_refused_with_a_message(opened):
    period, users = opened
    answer = signed_in(users["owner"]).post(
        enter_url(period), {**entry(""), "commentary": "Words only", "action": "submit"}
    )
    assert answer.status_code == 400
    assert "Enter the figure" in answer.content.decode()
    assert status(period) == "draft"


# --- review --------------------------------------------------------------------------------


def submitted(period, users) -> None:
    cycle.save_entry(period, "ADM1", users["owner"], entry("2600", commentary="Steady."))
    cycle.submit(period, "ADM1", users["owner"])


def test_an_officer_returns_with_a_challenge_and_the_owner_answers(opened):
    period, users = opened
    submitted(period, users)
    officer = signed_in(users["officer"])
    page = officer.get(review_url(period)).content.decode()
    assert "Steady." in page and "Return to the owner" in page
    empty = officer.post(review_url(period), {"action": "return", "challenge": " "})
    assert empty.status_code == 400 and 'href="#challenge"' in empty.content.decode()
    officer.post(review_url(period), {"action": "return", "challenge": "Why *steady*?"})
    assert status(period) == "returned"
    owner = signed_in(users["owner"])
    returned = owner.get(enter_url(period)).content.decode()
    assert "Why <em>steady</em>?" in returned
    assert '<a href="#answer">read the challenge and answer it</a>, then submit again' in returned
    answered = owner.post(
        enter_url(period), {"action": "answer", "answer": "Beds were full."}, follow=True
    )
    assert "press Save and submit for review to send it back" in answered.content.decode()
    owner.post(enter_url(period), {**entry("2600", base_figure="1"), "action": "submit"})
    assert status(period) == "submitted"
    officer.post(review_url(period), {"action": "approve"})
    assert status(period) == "approved"
    kinds = list(Discussion.objects.values_list("kind", flat=True))
    assert kinds == ["challenge", "answer", "approval"]


def hidden_values(page: str) -> dict:
    """The hidden fields of a page's forms, as its buttons post them."""
    found = re.findall(r'<input type="hidden" name="(base_[^"]+)" value="([^"]*)"', page)
    return dict(found)


def test_approving_a_figure_changed_since_the_page_opened_is_a_409_with_both_shown(opened):
    """Two officers open the review page; one corrects the figure, the other approves: the
    approval is refused (409, not a 500) saying what changed, and approving again from the
    page as it is now works."""
    period, users = opened
    submitted(period, users)
    first, second = signed_in(users["officer"]), signed_in(users["second_officer"])
    seen = hidden_values(first.get(review_url(period)).content.decode())
    assert seen["base_figure"] == "1"
    changed = second.get(enter_url(period))
    assert changed.status_code == 200
    saved = second.post(enter_url(period), {**entry("2610", base_figure="1"), "action": "save"})
    assert saved.status_code == 302
    answer = first.post(review_url(period), {"action": "approve", "approval": "Fine", **seen})
    page = answer.content.decode()
    assert answer.status_code == 409
    assert "ADM1 was changed after you opened this page (the figure by" in page
    assert "so it was not approved" in page and 'class="error-summary"' in page
    assert "Changed since you opened this page" in page and "Figure: 2610" in page
    assert status(period) == "submitted" and not Discussion.objects.filter(kind="approval")
    rebased = hidden_values(page)
    assert rebased["base_figure"] == "2" and "Fine" in page  # the comment typed is kept
    again = first.post(review_url(period), {"action": "approve", "approval": "Fine", **rebased})
    assert again.status_code == 302 and status(period) == "approved"


def test_a_conflict_on_the_review_page_never_gives_a_500(opened):
    """A manual rating decided by two officers at once: the second meets the first's decision
    (409 with its message), whichever form it came from."""
    period, users = opened
    asked = cycle.request_override(period, "ADM1", users["owner"], "green", "Late returns")
    first, second = signed_in(users["officer"]), signed_in(users["second_officer"])
    form = {"action": "approve_override", "request": asked.pk}
    assert first.post(review_url(period), form).status_code == 302
    late = second.post(review_url(period), {**form, "action": "refuse_override"})
    assert late.status_code == 409 and "already approved" in late.content.decode()


def test_approving_a_draft_is_refused_with_a_clear_message(opened):
    period, users = opened
    answer = signed_in(users["officer"]).post(review_url(period), {"action": "approve"})
    assert answer.status_code == 409
    assert "ADM1 cannot be approved now: it is not submitted" in answer.content.decode()
    assert status(period) == "draft"


def test_owners_cannot_approve_or_record_panel_notes(opened):
    period, users = opened
    submitted(period, users)
    owner = signed_in(users["owner"])
    assert owner.get(review_url(period)).status_code == 200
    assert owner.post(review_url(period), {"action": "approve"}).status_code == 403
    assert owner.post(review_url(period), {"action": "panel", "panel": "x"}).status_code == 403
    assert signed_in(users["other_owner"]).get(review_url(period)).status_code == 403
    assert signed_in(users["viewer"]).get(review_url(period)).status_code == 403
    assert status(period) == "submitted" and not Discussion.objects.exists()


def test_officers_record_panel_discussion_and_actions(opened):
    period, users = opened
    officer = signed_in(users["officer"])
    officer.post(review_url(period), {"action": "panel", "panel": "Panel asked about beds"})
    officer.post(review_url(period), {"action": "action", "agreed_action": "Audit beds"})
    empty = officer.post(review_url(period), {"action": "action", "agreed_action": ""})
    assert empty.status_code == 400 and 'href="#agreed_action"' in empty.content.decode()
    officer.post(review_url(period, "PB1"), {"action": "panel", "panel": "Fine"})
    assert list(Discussion.objects.values_list("indicator", "kind", "text")) == [
        ("ADM1", "panel", "Panel asked about beds"),
        ("ADM1", "action", "Audit beds"),
        ("PB1", "panel", "Fine"),
    ]


def test_a_manual_rating_asked_by_the_owner_is_approved_by_an_officer(opened):
    period, users = opened
    owner, officer = signed_in(users["owner"]), signed_in(users["officer"])
    missing = owner.post(review_url(period), {"action": "request_override", "rag": ""})
    assert missing.status_code == 400 and 'href="#reason"' in missing.content.decode()
    owner.post(
        review_url(period), {"action": "request_override", "rag": "green", "reason": "Late data"}
    )
    asked = OverrideRequest.objects.get()
    assert (
        owner.post(
            review_url(period), {"action": "approve_override", "request": asked.pk}
        ).status_code
        == 403
    )
    assert "Approve the manual rating" in officer.get(review_url(period)).content.decode()
    officer.post(review_url(period), {"action": "approve_override", "request": asked.pk})
    saved = RatingOverride.objects.current().get(indicator="ADM1", period=LABEL)
    assert (saved.rag, saved.approved_by) == ("green", "Pat")


def test_an_officer_cannot_approve_their_own_manual_rating(opened):
    period, users = opened
    officer = signed_in(users["officer"])
    officer.post(
        review_url(period), {"action": "request_override", "rag": "red", "reason": "Worse"}
    )
    asked = OverrideRequest.objects.get()
    assert "Approve the manual rating" not in officer.get(review_url(period)).content.decode()
    answer = officer.post(review_url(period), {"action": "approve_override", "request": asked.pk})
    assert answer.status_code == 409 and "another performance officer" in answer.content.decode()
    assert not RatingOverride.objects.filter(period=LABEL).exists()


# --- publishing ----------------------------------------------------------------------------


def test_publishing_lists_what_is_not_approved_then_publishes(opened):
    period, users = opened
    officer = signed_in(users["officer"])
    url = reverse("publish", args=[period.pk])
    page = officer.get(url).content.decode()
    assert "Not yet approved" in page and review_url(period, "PB1") in page
    refused = officer.post(url, {"action": "publish", "layout": "quarterly-report"})
    assert refused.status_code == 409 and "ADM1 (not submitted)" in refused.content.decode()
    for ref, value in (("ADM1", "2600"), ("PB1", "40")):
        cycle.save_entry(period, ref, users["officer"], entry(value))
        cycle.submit(period, ref, users["officer"])
        cycle.approve(period, ref, users["second_officer"])
    assert signed_in(users["owner"]).post(url, {"action": "publish"}).status_code == 403
    assert 'value="scorecard"' in officer.get(url).content.decode()
    published = officer.post(url, {"action": "publish", "layout": "scorecard"}, follow=True)
    assert published.redirect_chain[0][1] == 302
    pack = PublishedPack.objects.get()
    assert (pack.layout, pack.published_by) == ("scorecard", users["officer"])
    page = published.content.decode()
    assert f"Published the Balanced Scorecard for {LABEL}" in page  # the layout's title
    assert reverse("pack", args=[pack.pk]) in page
    listed = signed_in(users["viewer"]).get(reverse("packs")).content.decode()
    assert "<td>Balanced Scorecard</td>" in listed


def test_references_with_a_slash_have_addresses():
    from django.urls import resolve, reverse

    address = reverse("indicator", args=["AC/S3"])
    assert address == "/indicators/AC~S3/"
    assert resolve(address).kwargs == {"ref": "AC/S3"}
    assert resolve(reverse("review", args=[7, "AC/S3"])).kwargs == {"period_id": 7, "ref": "AC/S3"}


def test_panel_notes_and_agreed_actions_appear_in_the_packs_panel_section(opened):
    period, users = opened
    officer = signed_in(users["officer"])
    officer.post(review_url(period), {"action": "panel", "panel": "The panel asked about *beds*."})
    officer.post(review_url(period), {"action": "action", "agreed_action": "Audit every bed"})
    officer.post(review_url(period), {"action": "action", "agreed_action": "Report in Q4"})
    for ref, value in (("ADM1", "2600"), ("PB1", "40")):
        cycle.save_entry(period, ref, users["officer"], entry(value))
        cycle.submit(period, ref, users["officer"])
        cycle.approve(period, ref, users["second_officer"])
    url = reverse("publish", args=[period.pk])
    assert officer.post(url, {"action": "publish", "layout": "quarterly-report"}).status_code == 302
    page = PublishedPack.objects.get().files.get(path="indicators/adm1.html").data().decode()
    panel = page[page.index("Discussion and actions agreed by the performance assurance panel") :]
    panel = panel[: panel.index("</article>")]
    assert "The panel asked about <em>beds</em>." in panel
    assert "<li>Audit every bed</li>" in panel and "<li>Report in Q4</li>" in panel
    assert panel.index("Audit every bed") < panel.index("Report in Q4")
    other = PublishedPack.objects.get().files.get(path="indicators/pb1.html").data().decode()
    assert "has not been subject to discussion by the panel" in other
