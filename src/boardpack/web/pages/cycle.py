"""The reporting cycle's pages: reporting periods, the task list, the entry form, the review
page and publishing. Each is a `FormPageView` whose buttons post their own forms
(`cycle_forms`); the rules themselves are in `boardpack.web.cycle`, which checks the role and
access for every change."""

from __future__ import annotations

from collections import Counter
from functools import cached_property

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path

from boardpack.catalogue.models import RAGS
from boardpack.pack.words import RAG_LABELS

from .. import access, cycle, decision, live, prepared
from ..figure_entry import uses_parts
from ..records.models import Discussion, OverrideRequest, ReportingPeriod, Submission
from ..store import find_organisation
from . import cycle_forms as forms
from .cycle_forms import prepare_later
from .form_page import FormPageView


def period_of(user, organisation, period_id: int) -> ReportingPeriod:
    """A period of the organisation served, if the user may see it (404 otherwise)."""
    rows = ReportingPeriod.objects.restrict(user).filter(organisation=organisation)
    period = get_object_or_404(rows, pk=period_id)
    period.organisation = organisation  # the same row: not read again
    return period


def entry_of(organisation, ref: str):
    try:
        return cycle.catalogue_entry(organisation, ref)
    except cycle.CycleError as missing:
        raise Http404(str(missing)) from None


def submission_of(period, ref: str) -> Submission:
    try:
        return cycle.submission_for(period, ref)
    except cycle.CycleError as missing:
        raise Http404(str(missing)) from None


# --- reporting periods ----------------------------------------------------------------------


class PeriodsPage(FormPageView):
    template = "boardpack/cycle/periods.html"
    forms = {
        "open": forms.OpenPeriodForm,
        "close": forms.ClosePeriodForm,
        "reopen": forms.ReopenPeriodForm,
    }

    def load(self) -> None:
        self.organisation = find_organisation()

    def context(self, clash=None) -> dict:
        rows = ReportingPeriod.objects.restrict(self.request.user)
        rows = rows.filter(organisation=self.organisation)
        return {
            "organisation": self.organisation,
            "periods": [
                (p, Counter(p.submissions.values_list("status", flat=True)))
                for p in rows.order_by("-opened_at")
            ],
            "statuses": Submission.Status,
        }


PERIODS = PeriodsPage.as_view()


@access.permission("change_reportingperiod")
def periods(request):
    return PERIODS(request)


# --- tasks ---------------------------------------------------------------------------------


@access.permission("view_submission")
def tasks(request):
    organisation = find_organisation()
    status = request.GET.get("status") or None
    if status not in (None, *Submission.Status.values):
        status = None
    context = {
        "organisation": organisation,
        "tasks": cycle.tasks(request.user, organisation, status),
        "uploads": cycle.uploadable_periods(request.user, organisation),
        "status": status,
        "statuses": Submission.Status,
    }
    return render(request, "boardpack/cycle/tasks.html", context)


# --- the entry form ------------------------------------------------------------------------


def entry_form(figures: dict, sections: dict) -> dict:
    """The form as stored (`figures` and `sections` as `cycle.current_figures` and
    `current_sections` give them): each figure and section, with the versions they were
    opened at."""
    form = {}
    for slot, figure in figures.items():
        shown = figure is not None and not figure.withdrawn
        for name in ("value", "numerator", "denominator"):
            form[slot.field(name)] = _plain(getattr(figure, name)) if shown else ""
        form[slot.field("note")] = (figure.note or "") if shown else ""
        form[f"base_{slot.part}"] = figure.version if figure else 0
    for name in cycle.SECTIONS:
        row = sections.get(name)
        form[name] = row.markdown if row is not None and not row.withdrawn else ""
        form[f"base_{name}"] = row.version if row is not None else 0
    return form


def _plain(number) -> str:
    return "" if number is None else f"{number:g}"


class IndicatorPage(FormPageView):
    """A page of one indicator in one reporting period. Its submission, figures and sections
    are read once for the page, however many of its parts show them."""

    def load(self, period_id: int, ref: str) -> None:
        self.organisation = find_organisation()
        self.period = period_of(self.request.user, self.organisation, period_id)
        self.entry = entry_of(self.organisation, ref)
        self.ref = ref
        self.definition = self.entry.entry()
        self.slots = cycle.figure_slots(self.period, self.definition)

    @cached_property
    def submission(self) -> Submission:
        found = submission_of(self.period, self.ref)
        found.period = self.period  # the same row: not read again
        return found

    @cached_property
    def figures(self) -> dict:
        return cycle.current_figures(self.period, self.ref, self.definition)

    @cached_property
    def sections(self) -> dict:
        return cycle.current_sections(self.period, self.ref)

    def common(self) -> dict:
        return {
            "organisation": self.organisation,
            "period": self.period,
            "entry": self.entry,
            "definition": self.definition,
            "submission": self.submission,
            "discussion": discussion_of(self.period, self.ref),
            "basis": decision.basis(self.organisation, self.period, self.ref, self.request.user),
        }


class EntryPage(IndicatorPage):
    template = "boardpack/cycle/enter.html"
    forms = {
        "save": forms.EntryForm,
        "submit": forms.SubmitEntryForm,
        "answer": forms.AnswerForm,
    }

    def load(self, period_id: int, ref: str) -> None:
        super().load(period_id, ref)
        access.deny_unless(
            access.may(self.request.user, "change", access.figure(self.organisation, ref)),
            access.not_assigned(f"enter figures and commentary for {ref}", ref),
        )

    def initial(self) -> dict:
        return entry_form(self.figures, self.sections)

    def context(self, clash=None) -> dict:
        return {
            **self.common(),
            "parts": uses_parts(self.definition),
            "slots": self.slots,
            "sections": cycle.SECTIONS,
            "conflicts": side_by_side(clash, self.slots),
            "overdue": cycle.is_overdue(self.submission),
            "locked": locked(self.period, self.ref, self.request.user, self.submission),
        }


ENTRY = EntryPage.as_view()


@access.permission("change_observation")
def enter(request, period_id: int, ref: str):
    return ENTRY(request, period_id=period_id, ref=ref)


def locked(period, ref: str, user, submission: Submission) -> str | None:
    """Why the user cannot change the entry now, or None when they can."""
    try:
        cycle.check_editable(period, ref, user, submission)
    except cycle.CycleError as why:
        return str(why)
    return None


FIGURE_PARTS = {
    "value": "Figure",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "note": "Note",
}


def side_by_side(clash: cycle.EntryConflict | None, slots) -> list[dict]:
    """Each part saved meanwhile: who saved it, when, their text and the text you sent."""
    if not isinstance(clash, cycle.EntryConflict):
        return []
    titles = {**{slot.part: slot.title for slot in slots}, **cycle.SECTIONS}
    return [
        {
            "part": titles.get(part, "Figure"),
            "who": conflict.theirs.saver(),
            "when": conflict.theirs.valid_from,
            "version": conflict.theirs.version,
            "theirs": _text(conflict.theirs, part),
            "yours": _text(conflict.yours, part),
        }
        for part, conflict in clash.conflicts.items()
    ]


def _text(values, part: str) -> str:
    """A part's values as text: the Markdown of a section, the numbers of the figure."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    if part in cycle.SECTIONS:
        return get("markdown") or ""
    shown = ((label, get(name)) for name, label in FIGURE_PARTS.items())
    return "\n".join(
        f"{label}: {_plain(v) if isinstance(v, float) else v}"
        for label, v in shown
        if v not in (None, "")
    )


def discussion_of(period, ref: str):
    return (
        Discussion.objects.filter(period=period, indicator=ref)
        .select_related("author")
        .order_by("at", "id")
    )


# --- review --------------------------------------------------------------------------------


class ReviewPage(IndicatorPage):
    template = "boardpack/cycle/review.html"
    forms = {
        "return": forms.ReturnForm,
        "approve": forms.ApproveForm,
        "panel": forms.PanelNoteForm,
        "action": forms.AgreedActionForm,
        "request_override": forms.RequestOverrideForm,
        "approve_override": forms.DecideOverrideForm,
        "refuse_override": forms.RefuseOverrideForm,
    }

    def load(self, period_id: int, ref: str) -> None:
        super().load(period_id, ref)
        user = self.request.user
        access.deny_unless(
            access.may(user, "change", access.figure(self.organisation, ref)),
            access.not_assigned(f"see {ref}'s review", ref),
        )
        #: The parts of the entry an approval is decided on (each figure due, each section).
        self.parts = [*(slot.part for slot in self.slots), *cycle.SECTIONS]

    def initial(self) -> dict:
        versions = cycle.entry_versions(self.period, self.ref, self.figures, self.sections)
        return {f"base_{part}": version for part, version in versions.items()}

    def context(self, clash=None) -> dict:
        period, ref = self.period, self.ref
        return {
            **self.common(),
            "figures": {
                slot: figure if figure is not None and not figure.withdrawn else None
                for slot, figure in self.figures.items()
            },
            "sections": {name: row for name, row in self.sections.items() if not row.withdrawn},
            "section_titles": cycle.SECTIONS,
            "parts": self.parts,
            "conflicts": side_by_side(clash, self.slots),
            "overrides": OverrideRequest.objects.filter(period=period, indicator=ref)
            .select_related("requested_by", "decided_by")
            .order_by("-requested_at"),
            "rags": [(r, RAG_LABELS.get(r, r)) for r in RAGS],
            "may_edit": access.may(
                self.request.user, "change", access.figure(self.organisation, ref)
            ),
        }


REVIEW = ReviewPage.as_view()


@access.permission("view_submission")
def review(request, period_id: int, ref: str):
    return REVIEW(request, period_id=period_id, ref=ref)


# --- publishing ----------------------------------------------------------------------------


class PublishPage(FormPageView):
    template = "boardpack/cycle/publish.html"
    forms = {"publish": forms.PublishForm}

    def load(self, period_id: int) -> None:
        self.organisation = find_organisation()
        self.period = period_of(self.request.user, self.organisation, period_id)

    def context(self, clash=None) -> dict:
        period = self.period
        waiting = cycle.not_approved(period)
        if not waiting:
            prepare_later(period)
        return {
            "organisation": self.organisation,
            "period": period,
            "waiting": waiting,
            "preparing": prepared.progress_of(
                period, cycle.published_layouts(period), live.stamp(self.organisation)
            ),
            "layouts": cycle.period_layouts(),
            "packs": period.packs.select_related("published_by").order_by("-published_at"),
        }


PUBLISH = PublishPage.as_view()


@access.permission("add_publishedpack")
def publish(request, period_id: int):
    return PUBLISH(request, period_id=period_id)


urlpatterns = [
    path("periods/", periods, name="periods"),
    path("tasks/", tasks, name="tasks"),
    path("periods/<int:period_id>/indicators/<ref:ref>/", enter, name="enter"),
    path("periods/<int:period_id>/indicators/<ref:ref>/review/", review, name="review"),
    path("periods/<int:period_id>/publish/", publish, name="publish"),
]
