"""The catalogue's pages for performance officers: every indicator with a form to add one, each
catalogue entry with its targets, and the owners assigned to indicators and teams. The changes
themselves are made, checked and audited by `boardpack.web.catalogue_edits`; each button posts
its own form (`catalogue_forms`)."""

from __future__ import annotations

from collections import Counter

from django.http import Http404
from django.urls import path, reverse

from .. import access
from .. import catalogue_edits as edits
from ..records.changes import Conflict
from ..records.models import Target
from ..store import find_organisation
from . import catalogue_forms as forms
from .form_page import FormPageView

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


class CataloguePage(FormPageView):
    template = "boardpack/catalogue/list.html"
    forms = {"add": forms.AddIndicatorForm}
    default_action = "add"  # the page's one form

    def load(self) -> None:
        self.organisation = find_organisation()

    def context(self, clash=None) -> dict:
        counts = Counter(
            Target.objects.current()
            .filter(organisation=self.organisation)
            .values_list("indicator", flat=True)
        )
        return {
            **base_context(self.organisation),
            "entries": [
                (row, counts.get(row.ref, 0)) for row in edits.catalogue(self.organisation)
            ],
            "fields": edits.NEW_FIELDS,
        }

    def done_at(self, form) -> str:
        return reverse("catalogue_entry", args=[form.added.ref])


CATALOGUE = CataloguePage.as_view()


@access.permission("change_indicator")
def catalogue(request):
    return CATALOGUE(request)


# --- one catalogue entry and its targets ---------------------------------------------------


class EntryPage(FormPageView):
    template = "boardpack/catalogue/entry.html"
    forms = {
        "save": forms.EntryEditForm,
        "add_target": forms.AddTargetForm,
        "change_target": forms.ChangeTargetForm,
        "withdraw_target": forms.WithdrawTargetForm,
    }

    def load(self, ref: str) -> None:
        self.organisation = find_organisation()
        self.row = entry_or_404(self.organisation, ref)
        self.ref = ref

    def initial(self) -> dict:
        return {
            **edits.entry_form(self.row),
            **opened_target(self.organisation, self.ref, self.request),
        }

    def context(self, clash=None) -> dict:
        posted = self.posted.values() if clash is not None and self.posted else {}
        return {
            **base_context(self.organisation),
            "entry": self.row,
            "targets": edits.targets_of(self.organisation, self.ref),
            "fields": edits.ENTRY_FIELDS,
            "owner_fields": edits.OWNER_FIELDS,
            "target_fields": edits.TARGET_FIELDS,
            "clash": side_by_side(clash, posted),
        }

    def done_at(self, form) -> str:
        return reverse("catalogue_entry", args=[self.ref])


ENTRY = EntryPage.as_view()


@access.permission("change_indicator")
def catalogue_entry(request, ref: str):
    return ENTRY(request, ref=ref)


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


class AssignmentsPage(FormPageView):
    template = "boardpack/catalogue/assignments.html"
    forms = {"assign": forms.AssignForm, "remove": forms.RemoveAssignmentForm}

    def load(self) -> None:
        self.organisation = find_organisation()

    def context(self, clash=None) -> dict:
        people = edits.owners()
        held = edits.assignments(self.organisation)
        return {
            **base_context(self.organisation),
            "by_person": by_person(people, held),
            "people": people,
            "titles": {row.ref: row.title for row in edits.catalogue(self.organisation)},
            "teams": edits.teams(self.organisation),
        }

    def done_at(self, form) -> str:
        return reverse("assignments")


ASSIGNMENTS = AssignmentsPage.as_view()


@access.permission("change_assignment")
def assignments(request):
    return ASSIGNMENTS(request)


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
