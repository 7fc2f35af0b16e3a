"""The reporting cycle's pages: reporting periods, the task list, the entry form, the review
page and publishing. Each form posts an `action`; the rules themselves are in
`boardpack.web.cycle`, which checks the role and access for every change."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path

from boardpack.catalogue.models import RAGS
from boardpack.pack.words import RAG_LABELS

from .. import access, cycle, decision, live, prepared, store
from ..figure_entry import uses_parts
from ..records.models import Discussion, OverrideRequest, ReportingPeriod, Submission
from ..store import find_organisation
from .actions import posted_id, respond


def period_of(organisation, period_id: int) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod, pk=period_id, organisation=organisation)


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


def _open(request, organisation):
    label = request.POST.get("label", "")
    opened = cycle.open_period(organisation, label, request.POST.get("deadline", ""), request.user)
    count = opened.submissions.count()
    return f"{opened.label} is open with {count} indicators to report"


def _close(request, organisation):
    period = period_of(organisation, posted_id(request, "period"))
    cycle.close_period(period, request.user)
    return f"{period.label} is closed"


def _reopen(request, organisation):
    period = period_of(organisation, posted_id(request, "period"))
    cycle.reopen_period(period, request.user)
    return f"{period.label} is open again"


PERIOD_ACTIONS = {"open": _open, "close": _close, "reopen": _reopen}


@access.permission("change_reportingperiod")
def periods(request):
    organisation = find_organisation()

    def show(errors=None, status=200):
        rows = ReportingPeriod.objects.filter(organisation=organisation).order_by("-opened_at")
        context = {
            "organisation": organisation,
            "periods": [(p, Counter(p.submissions.values_list("status", flat=True))) for p in rows],
            "statuses": Submission.Status,
            "errors": errors or {},
            "form": request.POST,
        }
        return render(request, "boardpack/cycle/periods.html", context, status=status)

    if request.method == "POST":
        return respond(request, PERIOD_ACTIONS, show, organisation)
    return show()


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


def entry_form(period, ref: str) -> dict:
    """The form as stored: each figure and section, with the versions they were opened at."""
    form = {}
    for slot, figure in cycle.current_figures(period, ref).items():
        shown = figure is not None and not figure.withdrawn
        for name in ("value", "numerator", "denominator"):
            form[slot.field(name)] = _plain(getattr(figure, name)) if shown else ""
        form[slot.field("note")] = (figure.note or "") if shown else ""
        form[f"base_{slot.part}"] = figure.version if figure else 0
    sections = cycle.current_sections(period, ref)
    for name in cycle.SECTIONS:
        row = sections.get(name)
        form[name] = row.markdown if row is not None and not row.withdrawn else ""
        form[f"base_{name}"] = row.version if row is not None else 0
    return form


def _plain(number) -> str:
    return "" if number is None else f"{number:g}"


def _save(request, period, ref):
    saved = cycle.save_entry(period, ref, request.user, request.POST)
    return "Saved" if saved else "Nothing had changed, so nothing was saved"


def _save_and_submit(request, period, ref):
    with transaction.atomic():  # a refused submission saves nothing either
        _save(request, period, ref)
        cycle.submit(period, ref, request.user)
    return f"Saved and submitted {ref} for review"


def _answer(request, period, ref):
    text = request.POST.get("answer", "")
    cycle.add_discussion(period, ref, request.user, Discussion.Kind.ANSWER, text)
    return "Your answer is recorded"


ENTRY_ACTIONS = {"save": _save, "submit": _save_and_submit, "answer": _answer}


@access.permission("change_observation")
def enter(request, period_id: int, ref: str):
    organisation = find_organisation()
    period = period_of(organisation, period_id)
    entry = entry_of(organisation, ref)
    access.deny_unless(
        access.may(request.user, "change", access.figure(organisation, ref)),
        f"you may not enter figures for {ref}; ask a performance officer to assign it to you",
    )

    def show(errors=None, status=200, form=None, conflicts=None):
        definition = entry.entry()
        context = {
            "organisation": organisation,
            "period": period,
            "entry": entry,
            "definition": definition,
            "parts": uses_parts(definition),
            "slots": cycle.figure_slots(period, definition),
            "submission": submission_of(period, ref),
            "sections": cycle.SECTIONS,
            "form": form or entry_form(period, ref),
            "errors": errors or {},
            "conflicts": side_by_side(conflicts, cycle.figure_slots(period, definition)),
            "discussion": discussion_of(period, ref),
            "overdue": cycle.is_overdue(submission_of(period, ref)),
            "locked": locked(period, ref, request.user),
            "basis": decision.basis(organisation, period, ref, request.user),
        }
        return render(request, "boardpack/cycle/enter.html", context, status=status)

    if request.method != "POST":
        return show()

    def show_posted(errors=None, status=200):
        return show(errors, status, form=request.POST.dict())

    try:
        return respond(request, ENTRY_ACTIONS, show_posted, period, ref)
    except cycle.EntryConflict as clash:
        return show(
            {"problem": str(clash)}, 409, form=rebased(request.POST.dict(), clash), conflicts=clash
        )


def locked(period, ref: str, user) -> str | None:
    """Why the user cannot change the entry now, or None when they can."""
    try:
        cycle.check_editable(period, ref, user, submission_of(period, ref))
    except cycle.CycleError as why:
        return str(why)
    return None


def rebased(posted: dict, clash: cycle.EntryConflict) -> dict:
    """The posted form, now based on the versions that were saved meanwhile: saving it again
    replaces theirs with yours, once compared."""
    return {**posted, **{f"base_{p}": c.theirs.version for p, c in clash.conflicts.items()}}


FIGURE_PARTS = {
    "value": "Figure",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "note": "Note",
}


def side_by_side(clash: cycle.EntryConflict | None, slots) -> list[dict]:
    """Each part saved meanwhile: who saved it, when, their text and the text you sent."""
    if clash is None:
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


def _return(request, period, ref):
    cycle.return_submission(period, ref, request.user, request.POST.get("challenge", ""))
    return f"{ref} is returned to its owner with your challenge"


def _approve(request, period, ref):
    cycle.approve(period, ref, request.user, request.POST.get("approval", ""))
    prepare_later(period)
    return f"{ref} is approved"


def _note(kind: str):
    def handler(request, period, ref):
        text = request.POST.get(cycle.DISCUSSION_FIELDS[kind], "")
        cycle.add_discussion(period, ref, request.user, kind, text)
        return f"{Discussion.Kind(kind).label} recorded"

    return handler


def _request_override(request, period, ref):
    cycle.request_override(
        period, ref, request.user, request.POST.get("rag", ""), request.POST.get("reason", "")
    )
    return "The manual rating is waiting for another performance officer to decide"


def _decide(approved: bool):
    def handler(request, period, ref):
        pending = get_object_or_404(
            OverrideRequest,
            pk=posted_id(request, "request"),
            period=period,
            indicator=ref,
        )
        decided = cycle.decide_override(pending.pk, request.user, approved)
        return f"Manual rating {decided.get_decision_display().lower()}"

    return handler


REVIEW_ACTIONS = {
    "return": _return,
    "approve": _approve,
    "panel": _note(Discussion.Kind.PANEL),
    "action": _note(Discussion.Kind.ACTION),
    "request_override": _request_override,
    "approve_override": _decide(True),
    "refuse_override": _decide(False),
}


@access.permission("view_submission")
def review(request, period_id: int, ref: str):
    organisation = find_organisation()
    period = period_of(organisation, period_id)
    entry = entry_of(organisation, ref)
    access.deny_unless(
        access.may(request.user, "change", access.figure(organisation, ref)),
        f"only performance officers and {ref}'s owners may see its review",
    )

    def show(errors=None, status=200):
        figures = cycle.current_figures(period, ref)
        context = {
            "organisation": organisation,
            "period": period,
            "entry": entry,
            "definition": entry.entry(),
            "submission": submission_of(period, ref),
            "figures": {
                slot: figure if figure is not None and not figure.withdrawn else None
                for slot, figure in figures.items()
            },
            "sections": {
                name: row
                for name, row in cycle.current_sections(period, ref).items()
                if not row.withdrawn
            },
            "section_titles": cycle.SECTIONS,
            "discussion": discussion_of(period, ref),
            "overrides": OverrideRequest.objects.filter(period=period, indicator=ref)
            .select_related("requested_by", "decided_by")
            .order_by("-requested_at"),
            "rags": [(r, RAG_LABELS.get(r, r)) for r in RAGS],
            "errors": errors or {},
            "form": request.POST if request.method == "POST" else {},
            "may_edit": access.may(request.user, "change", access.figure(organisation, ref)),
            "basis": decision.basis(organisation, period, ref, request.user),
        }
        return render(request, "boardpack/cycle/review.html", context, status=status)

    if request.method == "POST":
        return respond(request, REVIEW_ACTIONS, show, period, ref)
    return show()


# --- publishing ----------------------------------------------------------------------------

#: The layout prepared ahead of publishing (the one the publish page offers first).
PREPARED_LAYOUT = "quarterly-report"


def prepare_later(period) -> None:
    """In the server, build the pack ahead in the background once every figure is approved
    (`cycle.prepare`), so that Publish only keeps it."""
    if live.making_ahead():
        live.in_background(
            period.organisation,
            f"prepare {period.pk}",
            lambda: cycle.prepare(period, PREPARED_LAYOUT),
        )


def _publish(request, period):
    pack = cycle.publish(period, request.POST.get("layout", ""), request.user)
    if live.making_ahead():  # in the server: the PDF, Word and Excel documents, while people read
        live.in_background(
            period.organisation, f"documents {pack.pk}", lambda: store.pack_documents(pack)
        )
    return f"Published the {pack.layout} pack for {period.label}"


@access.permission("add_publishedpack")
def publish(request, period_id: int):
    organisation = find_organisation()
    period = period_of(organisation, period_id)

    def show(errors=None, status=200):
        waiting = cycle.not_approved(period)
        if not waiting:
            prepare_later(period)
        context = {
            "organisation": organisation,
            "period": period,
            "waiting": waiting,
            "preparing": prepared.progress(period, PREPARED_LAYOUT, live.stamp(organisation)),
            "prepared_layout": PREPARED_LAYOUT,
            "layouts": cycle.period_layouts(),
            "packs": period.packs.select_related("published_by").order_by("-published_at"),
            "errors": errors or {},
            "form": request.POST if request.method == "POST" else {},
        }
        return render(request, "boardpack/cycle/publish.html", context, status=status)

    if request.method == "POST":
        return respond(request, {"publish": _publish}, show, period)
    return show()


urlpatterns = [
    path("periods/", periods, name="periods"),
    path("tasks/", tasks, name="tasks"),
    path("periods/<int:period_id>/indicators/<ref:ref>/", enter, name="enter"),
    path("periods/<int:period_id>/indicators/<ref:ref>/review/", review, name="review"),
    path("periods/<int:period_id>/publish/", publish, name="publish"),
]
