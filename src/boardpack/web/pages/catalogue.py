"""The catalogue's pages for performance officers: every indicator with a form to add one, each
catalogue entry with its targets, and the owners assigned to indicators and teams. The changes
themselves are made, checked and audited by `boardpack.web.catalogue_edits`."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from .. import access, cycle
from .. import catalogue_edits as edits
from ..records.changes import Conflict
from ..records.models import Target
from ..store import find_organisation
from .actions import respond

#: How the pages word the catalogue's allowed values where the word itself is not plain.
WORDS = {
    "higher_better": "Higher is better",
    "lower_better": "Lower is better",
    "in_band": "Within a band",
    "none": "Not rated",
    "rate_per_100k": "Rate per 100,000",
    "fte": "Full-time equivalent",
    "during_period": "During the period",
    "rolling_12_months": "Rolling 12 months",
    "year_to_date": "Year to date",
}


def word(value) -> str:
    """A catalogue value in plain words: "lower_better" -> "Lower is better"."""
    text = str(value or "")
    return WORDS.get(text, text.replace("_", " ").capitalize())


def entry_or_404(organisation, ref: str):
    try:
        return edits.entry_of(organisation, ref)
    except edits.NotFound as missing:
        raise Http404(str(missing)) from None


def base_context(organisation) -> dict:
    """What every catalogue page shows: the organisation, and the lists to choose from as
    (value, words) pairs."""
    options = {
        name: [(value, word(value)) for value in values] for name, values in edits.CHOICES.items()
    }
    return {
        "organisation": organisation,
        "word": word,
        "target_words": edits.target_words,
        "options": options,
    }


# --- the catalogue -------------------------------------------------------------------------


@access.permission("change_indicator")
def catalogue(request):
    organisation = find_organisation()

    def show(errors=None, status=200, clash=None):
        counts = Counter(
            Target.objects.current()
            .filter(organisation=organisation)
            .values_list("indicator", flat=True)
        )
        context = {
            **base_context(organisation),
            "entries": [(row, counts.get(row.ref, 0)) for row in edits.catalogue(organisation)],
            "fields": edits.NEW_FIELDS,
            "errors": errors or {},
            "form": request.POST if request.method == "POST" else {},
        }
        return render(request, "boardpack/catalogue/list.html", context, status=status)

    if request.method != "POST":
        return show()
    try:
        added = edits.add_indicator(organisation, request.user, request.POST)
    except cycle.Invalid as invalid:
        return show(errors=invalid.errors, status=400)
    except Conflict as clash:
        return show(errors={"ref": f"Reference: {clash}"}, status=409)
    messages.success(request, f"{added.ref} is added to the catalogue; fill in the rest below")
    return redirect("catalogue_entry", added.ref)


# --- one catalogue entry and its targets ---------------------------------------------------


def _save(request, organisation, ref):
    saved = edits.save_entry(organisation, ref, request.user, request.POST)
    return f"Saved {ref}" if saved else "Nothing had changed, so nothing was saved"


def _add_target(request, organisation, ref):
    added = edits.add_target(organisation, ref, request.user, request.POST)
    return f"Added the target {edits.target_words(added.when)}"


def _change_target(request, organisation, ref):
    changed = edits.change_target(organisation, ref, request.user, request.POST)
    if changed is None:
        return "Nothing had changed, so nothing was saved"
    return f"Changed the target {edits.target_words(changed.when)}"


def _withdraw_target(request, organisation, ref):
    gone = edits.withdraw_target(organisation, ref, request.user, request.POST)
    return f"Withdrew the target {edits.target_words(gone.when)}"


ENTRY_ACTIONS = {
    "save": _save,
    "add_target": _add_target,
    "change_target": _change_target,
    "withdraw_target": _withdraw_target,
}
#: Actions whose posted values are shown again when they fail (a withdrawal has none).
KEEPS_FORM = {"save", "add_target", "change_target"}


@access.permission("change_indicator")
def catalogue_entry(request, ref: str):
    organisation = find_organisation()
    row = entry_or_404(organisation, ref)
    here = reverse("catalogue_entry", args=[ref])

    def show(errors=None, status=200, clash=None):
        posted = request.POST.dict() if request.POST.get("action") in KEEPS_FORM else {}
        form = {**edits.entry_form(row), **opened_target(organisation, ref, request), **posted}
        context = {
            **base_context(organisation),
            "entry": row,
            "targets": edits.targets_of(organisation, ref),
            "fields": edits.ENTRY_FIELDS,
            "owner_fields": edits.OWNER_FIELDS,
            "target_fields": edits.TARGET_FIELDS,
            "errors": errors or {},
            "form": rebased(form, clash),
            "clash": side_by_side(clash, posted),
        }
        return render(request, "boardpack/catalogue/entry.html", context, status=status)

    if request.method == "POST":
        return respond(request, ENTRY_ACTIONS, show, organisation, ref, done_at=here)
    return show()


def opened_target(organisation, ref: str, request) -> dict:
    """The target form opened on the target `?change=` names, or empty for a new target."""
    when = request.GET.get("change")
    if not when:
        return {}
    try:
        found = edits.current_target(organisation, ref, when)
    except edits.NotFound as missing:
        raise Http404(str(missing)) from None
    return edits.target_form(found)


#: The form field holding the version each kind of record was opened at.
BASES = {"indicator": "base_version", "target": "target_base"}


def rebased(form: dict, clash: Conflict | None) -> dict:
    """After a stale save, the form keeps what was typed but is based on the version saved
    meanwhile: saving it again replaces theirs, once compared."""
    if clash is None:
        return form
    return {**form, BASES[clash.theirs._meta.model_name]: clash.theirs.version}


def side_by_side(clash: Conflict | None, posted: dict) -> dict | None:
    """The version saved meanwhile and the values that were not saved, field by field where
    they differ."""
    if clash is None:
        return None
    theirs = clash.theirs
    if theirs._meta.model_name == "indicator":
        saved = edits.entry_form(theirs)
        labels = edits.ENTRY_FIELDS
    else:
        saved = edits.target_form(theirs)
        labels = {f: edits.TARGET_FIELDS[f] for f in edits.TARGET_NUMBERS}
    rows = [
        {"label": label, "theirs": saved.get(name, ""), "yours": posted.get(name, "").strip()}
        for name, label in labels.items()
    ]
    return {
        "who": theirs.saver(),
        "when": theirs.valid_from,
        "version": theirs.version,
        "withdrawn": theirs.withdrawn,
        "rows": [r for r in rows if r["theirs"] != r["yours"]],
    }


# --- assignments ---------------------------------------------------------------------------


def _assign(request, organisation):
    made = edits.assign(organisation, request.user, request.POST)
    what = edits.assigned_text(made.indicator, made.team)
    return f"{edits.person_name(made.user)} now has {what}"


def _remove(request, organisation):
    gone = edits.unassign(organisation, request.user, request.POST.get("assignment"))
    what = edits.assigned_text(gone.indicator, gone.team)
    return f"{edits.person_name(gone.user)} no longer has {what}"


ASSIGNMENT_ACTIONS = {"assign": _assign, "remove": _remove}


@access.permission("change_assignment")
def assignments(request):
    organisation = find_organisation()

    def show(errors=None, status=200, clash=None):
        people = edits.owners()
        held = edits.assignments(organisation)
        titles = {row.ref: row.title for row in edits.catalogue(organisation)}
        context = {
            **base_context(organisation),
            "by_person": by_person(people, held),
            "people": people,
            "titles": titles,
            "teams": edits.teams(organisation),
            "errors": errors or {},
            "form": request.POST if request.method == "POST" else {},
        }
        return render(request, "boardpack/catalogue/assignments.html", context, status=status)

    if request.method == "POST":
        return respond(
            request, ASSIGNMENT_ACTIONS, show, organisation, done_at=reverse("assignments")
        )
    return show()


def by_person(people: list, held: list) -> list[tuple]:
    """Each owner with their assignments (none too), then anyone else who still holds one."""
    mine = {}
    for assignment in held:
        mine.setdefault(assignment.user_id, []).append(assignment)
    listed = [(person, mine.pop(person.pk, [])) for person in people]
    others = [(rows[0].user, rows) for rows in mine.values()]
    return listed + others


urlpatterns = [
    path("catalogue/", catalogue, name="catalogue"),
    path("catalogue/<ref:ref>/", catalogue_entry, name="catalogue_entry"),
    path("assignments/", assignments, name="assignments"),
]
