"""The reporting cycle's rules: opening periods, entering figures and commentary, submitting,
challenging and approving them, manual ratings and publishing the pack.

Every change goes through a function here. Each checks the user's role and the access rules
itself (the pages never decide), refuses a step the cycle does not allow with a message saying
what and how to go on, runs in one transaction and writes the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from boardpack.catalogue.models import RAGS
from boardpack.errors import BoardpackError, Problem
from boardpack.pack.layouts import layouts
from boardpack.periods import PeriodError, parse_period

from . import access, figure_rules, prepared
from .figure_entry import FigureForm, Slot, slots
from .live import live, stamp
from .records import audit
from .records.changes import Conflict, save_version
from .records.models import (
    AuditEntry,
    Commentary,
    Discussion,
    Indicator,
    Observation,
    OverrideRequest,
    PublishedPack,
    RatingOverride,
    ReportingPeriod,
    Submission,
)
from .store import build_pack_files, publish_pack

Status = Submission.Status
Kind = Discussion.Kind
#: The commentary sections an owner writes on the entry form, with their labels.
SECTIONS = {
    "commentary": "Commentary",
    "actions": "What actions are we taking to improve performance",
    "risks": "Risks and mitigating actions",
}
#: Each step of a submission: the statuses it may start from and the one it ends in.
STEPS = {
    "submit": ({Status.DRAFT, Status.RETURNED}, Status.SUBMITTED),
    "return": ({Status.SUBMITTED}, Status.RETURNED),
    "approve": ({Status.SUBMITTED}, Status.APPROVED),
}
#: Statuses in which an owner may still change the figure and commentary.
EDITABLE = figure_rules.EDITABLE
DONE = {Status.SUBMITTED, Status.APPROVED}


class CycleError(BoardpackError):
    """A step the cycle's rules do not allow now; the message says why and what to do."""


class Invalid(BoardpackError):
    """The entry form's problems, by field name; nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__([Problem(field=name, what=text) for name, text in errors.items()])

    def __str__(self) -> str:
        return "; ".join(self.errors.values())


class EntryConflict(BoardpackError):
    """Someone saved part of the entry after it was opened; nothing was saved. `conflicts`
    maps each part ("figure" or a section name) to its `Conflict`."""

    def __init__(self, conflicts: dict[str, Conflict], message: str | None = None):
        self.conflicts = conflicts
        super().__init__(message or " ".join(str(c) for c in conflicts.values()))


def name_of(user) -> str:
    """How the pages and the audit log name a person."""
    return user.get_full_name() or user.get_username()


def _permitted(user, codename: str, what: str) -> None:
    """Refuse (403) unless the user holds permission `boardpack.<codename>`."""
    if not user.has_perm(f"boardpack.{codename}"):
        raise access.Refused(what, codename)


def _may_change(user, period: ReportingPeriod, ref: str, what: str) -> None:
    """Refuse (403: they tried to `what`) unless the user may change indicator `ref`'s
    figures."""
    allowed = access.may(user, "change", access.figure(period.organisation, ref))
    access.deny_unless(allowed, access.not_assigned(what, ref))


def _record(action: str, kind: str, what: str, user, organisation, **details) -> None:
    audit.record(action, kind, what, user=user, organisation=organisation, **details)


# --- periods -------------------------------------------------------------------------------


def open_period(organisation, label: str, deadline: dt.datetime | str, user) -> ReportingPeriod:
    """Open a reporting period and make a draft submission for each indicator due in it (the
    indicators the period's pack reports as due). `deadline` is a time, or the text of a
    date-time field (2025-10-31T17:00, in the app's time zone)."""
    _permitted(user, "add_reportingperiod", "open reporting periods")
    errors: dict[str, str] = {}
    try:
        period = parse_period(label, "quarterly")
    except PeriodError as error:
        errors["label"] = str(error)
    deadline = read_deadline(deadline, errors)
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        known = ReportingPeriod.objects.filter(organisation=organisation, label=period.label)
        if known.exists():
            raise Invalid(_already(period.label, known.get().get_status_display()))
        try:
            with transaction.atomic():
                opened = ReportingPeriod.objects.create(
                    organisation=organisation, label=period.label, deadline=deadline
                )
        except IntegrityError:  # opened by someone else this moment
            raise Invalid(_already(period.label, "open")) from None
        refs = due_refs(organisation, period)
        now = timezone.now()
        Submission.objects.bulk_create(
            Submission(period=opened, indicator=ref, changed_at=now, changed_by=user)
            for ref in refs
        )
        _record(
            "opened",
            "reporting period",
            period.label,
            user,
            organisation,
            after={"deadline": deadline.isoformat(), "indicators": refs},
        )
    return opened


def _already(label: str, status: str) -> dict:
    return {"label": f"{label} is already in the cycle ({status.lower()}); choose another period"}


def read_deadline(given, errors: dict) -> dt.datetime | None:
    """The deadline as an aware time; a problem goes into `errors` under "deadline"."""
    if isinstance(given, dt.datetime):
        return given if timezone.is_aware(given) else timezone.make_aware(given)
    text = (given or "").strip()
    if not text:
        errors["deadline"] = "Enter the deadline for figures, as a date and time"
        return None
    try:
        return timezone.make_aware(dt.datetime.fromisoformat(text.replace(" ", "T")))
    except ValueError:
        errors["deadline"] = (
            f"Enter the deadline as a date and time, like 2025-10-31 17:00, not “{text}”"
        )
        return None


def due_refs(organisation, period) -> list[str]:
    """The references of the indicators due in `period`, in the report's order."""
    rows = live(organisation).report(period)
    return list(dict.fromkeys(rows.filter(rows["due"])["indicator"].cast(str).to_list()))


def close_period(period: ReportingPeriod, user) -> None:
    """Close an open period: owners can no longer change its figures (officers still can)."""
    _permitted(user, "change_reportingperiod", "close reporting periods")
    _move_period(period, user, ReportingPeriod.Status.OPEN, ReportingPeriod.Status.CLOSED)


def reopen_period(period: ReportingPeriod, user) -> None:
    """Open a closed period again (closed too soon, or late figures): owners can change its
    figures once more. A published period stays published: its pack is frozen."""
    _permitted(user, "change_reportingperiod", "reopen reporting periods")
    _move_period(period, user, ReportingPeriod.Status.CLOSED, ReportingPeriod.Status.OPEN)


#: A period's move to a status, as the audit log and messages name it.
PERIOD_MOVES = {ReportingPeriod.Status.CLOSED: "closed", ReportingPeriod.Status.OPEN: "reopened"}


def _move_period(period: ReportingPeriod, user, before: str, after: str) -> None:
    action = PERIOD_MOVES[after]
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.status == ReportingPeriod.Status.PUBLISHED:
            raise CycleError(
                f"{locked.label} is published (its pack is frozen), so it cannot be {action}"
            )
        if locked.status != before:
            raise CycleError(
                f"{locked.label} is {locked.status}, not {before}, so it cannot be {action}"
            )
        ReportingPeriod.objects.filter(pk=locked.pk).update(status=after)
        _record(
            action,
            "reporting period",
            locked.label,
            user,
            locked.organisation,
            before={"status": before},
            after={"status": after},
        )


# --- tasks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One indicator to report in one period."""

    submission: Submission
    title: str
    overdue: bool

    @property
    def period(self) -> ReportingPeriod:
        return self.submission.period


def tasks(user, organisation, status: str | None = None, now=None) -> list[Task]:
    """The indicators the user may edit in each open or closed period (every one for
    officers), optionally only those with `status`, with whether each is overdue."""
    now = now or timezone.now()
    rows = (
        Submission.objects.filter(period__organisation=organisation)
        .exclude(period__status=ReportingPeriod.Status.PUBLISHED)
        .select_related("period", "changed_by")
        .order_by("period__deadline", "period_id", "id")
    )
    rows = rows.restrict(user, "change")
    if status:
        rows = rows.filter(status=status)
    titles = dict(
        Indicator.objects.current().filter(organisation=organisation).values_list("ref", "title")
    )
    return [Task(s, titles.get(s.indicator, ""), is_overdue(s, now)) for s in rows]


def uploadable_periods(user, organisation) -> list[ReportingPeriod]:
    """The periods the user may upload figures for: open ones, and closed ones for officers
    (a published period changes only through an officer's revision of its figures)."""
    statuses = [ReportingPeriod.Status.OPEN]
    if user.has_perm("boardpack.revise_observation"):
        statuses.append(ReportingPeriod.Status.CLOSED)
    rows = ReportingPeriod.objects.restrict(user).filter(
        organisation=organisation, status__in=statuses
    )
    return list(rows.order_by("deadline", "id"))


def is_overdue(submission: Submission, now=None) -> bool:
    """The deadline has passed and the figure is neither submitted nor approved."""
    deadline = submission.period.deadline
    late = deadline is not None and deadline < (now or timezone.now())
    return late and submission.status not in DONE


# --- entering figures and commentary ------------------------------------------------------


@dataclass
class Entry:
    """The entry form's values, read and checked: each figure's values by its slot (a blank
    figure never saved is left out), the sections, and the versions each part was opened at."""

    figures: dict[Slot, dict]
    sections: dict[str, str]
    bases: dict[str, int] = field(default_factory=dict)


def figure_slots(period: ReportingPeriod, definition) -> list[Slot]:
    """The figures the indicator reports in the period (`figure_entry.slots`)."""
    return slots(period.label, definition.frequency)


def read_entry(data: Mapping[str, str], definition, due: list[Slot]) -> Entry:
    """The form's values checked against the indicator's catalogue entry; `Invalid` lists
    every problem by field. With several figures due, one left blank that was never saved is
    left out (it can be entered later); the only figure due must be given."""
    errors: dict[str, str] = {}
    bases = {}
    for part in (*(s.part for s in due), *SECTIONS):
        try:
            bases[part] = int(data.get(f"base_{part}", "0") or 0)
        except ValueError:
            errors[f"base_{part}"] = "The form is damaged; open the entry page again"
    figures = {}
    for slot in due:
        required = len(due) == 1 or bool(bases.get(slot.part))
        form = FigureForm(data, slot=slot, definition=definition, required=required)
        if not required and form.blank:
            continue
        if form.is_valid():
            figures[slot] = form.values()
        errors.update(form.field_errors())
    if errors:
        raise Invalid(errors)
    return Entry(
        figures=figures,
        sections={name: data.get(name, "").strip() for name in SECTIONS},
        bases=bases,
    )


def catalogue_entry(organisation, ref: str) -> Indicator:
    found = Indicator.objects.current().filter(organisation=organisation, ref=ref).first()
    if found is None:
        raise CycleError(f"there is no indicator {ref} in the catalogue")
    return found


def submission_for(period: ReportingPeriod, ref: str, lock: bool = False) -> Submission:
    rows = Submission.objects.filter(period=period, indicator=ref)
    found = (rows.select_for_update() if lock else rows.select_related("changed_by")).first()
    if found is None:
        raise CycleError(f"{ref} is not due in {period.label}, so it has no entry to change")
    return found


def figure_key(period: ReportingPeriod, ref: str, label: str | None = None) -> dict:
    """A figure's key: the indicator's in the reporting period, or in its own `label`."""
    return {"indicator": ref, "area": period.organisation.code, "period": label or period.label}


def current_figures(
    period: ReportingPeriod, ref: str, definition=None
) -> dict[Slot, Observation | None]:
    """The latest version of each figure due (withdrawn or not), as the entry form opens it;
    `definition`, the indicator's catalogue entry when the caller has it (else it is read)."""
    definition = definition or catalogue_entry(period.organisation, ref).entry()
    due = figure_slots(period, definition)
    rows = (
        Observation.objects.as_at()
        .select_related("saved_by")
        .filter(
            organisation=period.organisation,
            indicator=ref,
            area=period.organisation.code,
            period__in=[s.label for s in due],
        )
    )
    found = {row.period: row for row in rows}
    return {slot: found.get(slot.label) for slot in due}


def current_figure(period: ReportingPeriod, ref: str) -> Observation | None:
    """The latest version of the last figure due (withdrawn or not)."""
    return list(current_figures(period, ref).values())[-1]


def current_sections(period: ReportingPeriod, ref: str) -> dict[str, Commentary]:
    rows = Commentary.objects.as_at().select_related("saved_by")
    rows = rows.filter(organisation=period.organisation, indicator=ref, period=period.label)
    return {row.section: row for row in rows}


def check_editable(period: ReportingPeriod, ref: str, user, submission: Submission) -> None:
    """Refuse (403, or `CycleError` saying why) unless the user may change the entry now: the
    rule of `figure_rules`, the same for the upload."""
    _may_change(
        user,
        period,
        ref,
        f"enter figures and commentary for {ref}",
    )
    why = figure_rules.refusal(user, figure_rules.Standing(ref, period.label, period, submission))
    if why:
        raise CycleError(why)


def save_entry(period: ReportingPeriod, ref: str, user, data: Mapping[str, str]) -> list:
    """Save the entry form: the figure and each commentary section, all or nothing. Returns the
    new versions (none when nothing changed). Raises `Invalid` for bad values and
    `EntryConflict` when someone saved since the form was opened."""
    definition = catalogue_entry(period.organisation, ref).entry()
    entry = read_entry(data, definition, figure_slots(period, definition))
    with transaction.atomic():
        submission = submission_for(period, ref, lock=True)
        period.refresh_from_db(fields=["status"])  # published or closed meanwhile?
        check_editable(period, ref, user, submission)
        saved, conflicts = [], {}
        for part, (model, key, values, withdrawn) in _parts(period, ref, entry).items():
            try:
                row = save_version(
                    model,
                    period.organisation,
                    key,
                    values,
                    base_version=entry.bases[part],
                    user=user,
                    reason=f"entered for {period.label}",
                    withdrawn=withdrawn,
                )
            except Conflict as conflict:
                conflicts[part] = conflict
                continue
            if row is not None:
                saved.append(row)
        if conflicts:
            transaction.set_rollback(True)
            raise EntryConflict(conflicts)
        if saved:
            standing = figure_rules.Standing(ref, period.label, period, submission)
            figure_rules.send_back([standing], user, f"changed by {name_of(user)} after approval")
    return saved


def _parts(period, ref, entry: Entry) -> dict:
    """Each part of the entry: model, key, values and whether it is withdrawn. A blank section
    that was never written is left out; a blank one that was is withdrawn."""
    parts = {
        slot.part: (Observation, figure_key(period, ref, slot.label), values, False)
        for slot, values in entry.figures.items()
    }
    for name, text in entry.sections.items():
        if not text and not entry.bases[name]:
            continue
        key = {"indicator": ref, "period": period.label, "section": name}
        parts[name] = (Commentary, key, {"markdown": text}, not text)
    return parts


# --- submissions ---------------------------------------------------------------------------


def _step(
    period, ref, user, step: str, text: str = "", kind: str | None = None, seen=None
) -> Submission:
    """Move a submission one step (`STEPS`), with a discussion entry when `kind` is given;
    `seen`, the versions of the entry's parts the user decided on (`unchanged_since`)."""
    starts, ends = STEPS[step]
    with transaction.atomic():
        submission = submission_for(period, ref, lock=True)
        if seen is not None:
            unchanged_since(period, ref, seen, ends.label.lower())
        if period.status == ReportingPeriod.Status.PUBLISHED:
            raise CycleError(f"{period.label} is published; nothing in it can change")
        if submission.status not in starts:
            allowed = " or ".join(sorted(Status(s).label.lower() for s in starts))
            raise CycleError(
                f"{ref} cannot be {ends.label.lower()} now: it is "
                f"{submission.get_status_display().lower()}, and only one that is {allowed} can"
            )
        before = submission.status
        now = timezone.now()
        Submission.objects.filter(pk=submission.pk).update(
            status=ends, changed_at=now, changed_by=user
        )
        if kind:
            Discussion.objects.create(
                period=period, indicator=ref, kind=kind, text=text, author=user, at=now
            )
        _record(
            ends.value,
            "submission",
            f"{ref} {period.label}",
            user,
            period.organisation,
            before={"status": before},
            after={"status": ends.value},
            reason=text,
        )
    submission.refresh_from_db()
    return submission


def submit(period: ReportingPeriod, ref: str, user) -> Submission:
    """The owner hands the figure and commentary in for review."""
    _may_change(user, period, ref, f"submit {ref} for review")
    missing = [
        slot.label
        for slot, figure in current_figures(period, ref).items()
        if figure is None or figure.withdrawn or figure.value is None
    ]
    if missing:
        which = "the figure" if missing == [period.label] else f"the figure for {_and(missing)}"
        raise CycleError(f"enter {which} for {ref} in {period.label} before submitting it")
    return _step(period, ref, user, "submit")


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def return_submission(period: ReportingPeriod, ref: str, user, challenge: str) -> Submission:
    """A performance officer sends the figure back with a challenge the owner must answer."""
    _permitted(user, "approve_submission", "return submissions")
    if not challenge.strip():
        raise Invalid({"challenge": "Write the challenge: what the owner should check or explain"})
    return _step(period, ref, user, "return", challenge.strip(), Kind.CHALLENGE)


def approve(
    period: ReportingPeriod, ref: str, user, comment: str = "", seen: Mapping | None = None
) -> Submission:
    """A performance officer approves the submitted figure and commentary: the versions they
    saw (`seen`, by part, as the review page was opened), when given."""
    _permitted(user, "approve_submission", "approve submissions")
    text = comment.strip() or "Approved."
    return _step(period, ref, user, "approve", text, Kind.APPROVAL, seen=seen)


def entry_versions(
    period: ReportingPeriod, ref: str, figures=None, sections=None
) -> dict[str, int]:
    """The version of each part of the entry (each figure due, each section; 0 when never
    saved), as a page deciding on it was opened; `figures` and `sections`, as
    `current_figures` and `current_sections` give them when the caller has them."""
    figures = current_figures(period, ref) if figures is None else figures
    versions = {
        slot.part: figure.version if figure is not None else 0 for slot, figure in figures.items()
    }
    sections = current_sections(period, ref) if sections is None else sections
    for name in SECTIONS:
        versions[name] = sections[name].version if name in sections else 0
    return versions


def unchanged_since(period: ReportingPeriod, ref: str, seen: Mapping, step: str) -> None:
    """Refuse (`EntryConflict`) a decision on an entry someone changed after the deciding page
    was opened: the decision would be on figures or commentary its maker has not seen."""
    figures = {slot.part: (slot, row) for slot, row in current_figures(period, ref).items()}
    sections = current_sections(period, ref)
    conflicts = {}
    for part, version in seen.items():
        row = figures[part][1] if part in figures else sections.get(part)
        if row is not None and row.version != version:
            conflicts[part] = Conflict(row, version, {})
    if conflicts:
        changed = "; ".join(
            f"{_part_title(p, figures)} by {c.theirs.saver()} at "
            f"{timezone.localtime(c.theirs.valid_from):%d %b %Y %H:%M}"
            for p, c in conflicts.items()
        )
        raise EntryConflict(
            conflicts,
            f"{ref} was changed after you opened this page ({changed}), so it was not {step}: "
            "read the entry as it is now, shown below, and decide again",
        )


def _part_title(part: str, figures: dict) -> str:
    """A part of the entry in words: "the figure for Oct 2024", "the section Commentary"."""
    if part not in figures:
        return f"the section “{SECTIONS.get(part, part)}”"
    slot = figures[part][0]
    return f"the figure for {slot.label}" if slot.prefix else "the figure"


#: Each kind of discussion entry added by hand: the permission it needs (None: the answer, by
#: whoever may change the indicator's figures).
HAND_WRITTEN = {Kind.ANSWER: None, Kind.PANEL: "panel_discussion", Kind.ACTION: "panel_discussion"}
#: The form field each hand-written kind is typed in (problems are reported against it).
DISCUSSION_FIELDS = {Kind.ANSWER: "answer", Kind.PANEL: "panel", Kind.ACTION: "agreed_action"}


def add_discussion(period: ReportingPeriod, ref: str, user, kind: str, text: str) -> Discussion:
    """An owner's answer to a challenge (while the figure is returned), or an officer's note of
    the panel's discussion or an agreed action."""
    if kind not in HAND_WRITTEN:
        raise CycleError(f"a {kind} entry is made by its own step, not written by hand")
    if HAND_WRITTEN[kind] is not None:
        _permitted(user, HAND_WRITTEN[kind], "record panel discussion and agreed actions")
    else:
        _may_change(user, period, ref, f"answer challenges about {ref}")
    if not text.strip():
        raise Invalid(
            {DISCUSSION_FIELDS[kind]: f"Write the {Kind(kind).label.lower()} before saving it"}
        )
    with transaction.atomic():
        submission = submission_for(period, ref, lock=True)
        if kind == Kind.ANSWER and submission.status != Status.RETURNED:
            raise CycleError(f"{ref} has no open challenge to answer")
        entry = Discussion.objects.create(
            period=period,
            indicator=ref,
            kind=kind,
            text=text.strip(),
            author=user,
            at=timezone.now(),
        )
        _record(
            "added",
            "discussion",
            f"{ref} {period.label} {kind}",
            user,
            period.organisation,
            after={"kind": kind, "text": entry.text},
        )
    return entry


# --- rating overrides ---------------------------------------------------------------------


def request_override(
    period: ReportingPeriod, ref: str, user, rag: str, reason: str
) -> OverrideRequest:
    """Ask for a manual rating with its published reason; another officer decides."""
    _may_change(
        user,
        period,
        ref,
        f"ask for a manual rating of {ref}",
    )
    errors = {}
    if rag not in RAGS:
        errors["rag"] = "Choose the rating to give"
    if not reason.strip():
        errors["reason"] = "Write the reason; it is published with the rating"
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        submission_for(period, ref, lock=True)
        pending = OverrideRequest.objects.filter(
            period=period, indicator=ref, decision=OverrideRequest.Decision.PENDING
        )
        if pending.exists():
            raise CycleError(f"a manual rating for {ref} is already waiting for a decision")
        asked = OverrideRequest.objects.create(
            period=period,
            indicator=ref,
            area=period.organisation.code,
            rag=rag,
            reason_text=reason.strip(),
            requested_by=user,
            requested_at=timezone.now(),
        )
        _record(
            "requested",
            "rating override",
            f"{ref} {period.label}",
            user,
            period.organisation,
            after={"rag": rag, "reason": asked.reason_text},
        )
    return asked


def decide_override(request_id: int, user, approved: bool) -> OverrideRequest:
    """Approve or refuse a manual rating. Only a performance officer who did not ask for it
    may decide; approval saves a RatingOverride version naming the approver, so the next
    evaluation uses it."""
    _permitted(user, "decide_overriderequest", "decide on manual ratings")
    with transaction.atomic():
        asked = (
            OverrideRequest.objects.select_for_update().select_related("period").get(pk=request_id)
        )
        if asked.requested_by_id == user.pk:
            raise CycleError("another performance officer must decide on a rating you asked for")
        if asked.decision != OverrideRequest.Decision.PENDING:
            raise CycleError(f"this manual rating was already {asked.decision}")
        decision = (
            OverrideRequest.Decision.APPROVED if approved else OverrideRequest.Decision.REFUSED
        )
        OverrideRequest.objects.filter(pk=asked.pk).update(
            decision=decision, decided_by=user, decided_at=timezone.now()
        )
        organisation = asked.period.organisation
        if approved:
            _save_override(asked, user, organisation)
        _record(
            decision.value,
            "rating override",
            f"{asked.indicator} {asked.period.label}",
            user,
            organisation,
            before={"decision": "pending"},
            after={"decision": decision.value, "rag": asked.rag},
        )
    asked.refresh_from_db()
    return asked


def _save_override(asked: OverrideRequest, user, organisation) -> None:
    key = {"indicator": asked.indicator, "area": asked.area, "period": asked.period.label}
    latest = RatingOverride.objects.as_at().filter(organisation=organisation, **key).first()
    save_version(
        RatingOverride,
        organisation,
        key,
        {
            "rag": asked.rag,
            "reason_text": asked.reason_text,
            "approved_by": name_of(user),
            "approver_id": user.pk,
        },
        base_version=latest.version if latest else 0,
        user=user,
        reason=f"manual rating asked for by {name_of(asked.requested_by)}",
    )


# --- publishing ---------------------------------------------------------------------------


def period_layouts() -> dict[str, str]:
    """The layouts a period's pack can be published in: name -> title."""
    return {name: layout.title for name, layout in layouts().items() if layout.source == "period"}


def not_approved(period: ReportingPeriod) -> list[Submission]:
    return list(period.submissions.exclude(status=Status.APPROVED).order_by("indicator"))


def publish(period: ReportingPeriod, layout: str, user) -> PublishedPack:
    """Publish the period's pack once every submission is approved. Publishing again with
    nothing changed since (a double-click) gives the pack already published: the period is
    locked while its pack is built, so a second request waits for the first and finds it."""
    _permitted(user, "add_publishedpack", "publish packs")
    if layout not in period_layouts():
        raise Invalid({"layout": "Choose one of the layouts listed"})
    with transaction.atomic():
        ReportingPeriod.objects.select_for_update().filter(pk=period.pk).first()
        same = unchanged_pack(period, layout)
        if same is not None:
            return same
        waiting = not_approved(period)
        if waiting:
            names = ", ".join(f"{s.indicator} ({s.get_status_display().lower()})" for s in waiting)
            raise CycleError(
                f"{period.label} cannot be published until every figure is approved: {names}"
            )
        ready = prepared.taken(period, layout, stamp(period.organisation))
        return publish_pack(period, layout, user=user, ready=ready)


#: The layout every organisation publishes in, configured or not (the publish page's first).
DEFAULT_LAYOUT = "quarterly-report"


def published_layouts(period: ReportingPeriod) -> list[str]:
    """The layouts the organisation publishes its packs in, the most likely first: the default
    (`DEFAULT_LAYOUT`), those its catalogue configures (`layouts:` in the project) and those it
    has published a pack in before; only layouts a period's pack can be published in."""
    offered = period_layouts()
    project = live(period.organisation).dataset.project
    before = PublishedPack.objects.filter(period__organisation=period.organisation)
    wanted = [
        DEFAULT_LAYOUT,
        *project.layouts,
        *before.order_by("layout").values_list("layout", flat=True).distinct(),
    ]
    return [name for name in dict.fromkeys(wanted) if name in offered]


def prepare_all(period: ReportingPeriod) -> None:
    """Prepare the period's pack in every layout the organisation publishes in
    (`published_layouts`), one after another, so that publishing any of them only keeps it."""
    for layout in published_layouts(period):
        prepare(period, layout)


def prepare(period: ReportingPeriod, layout: str = DEFAULT_LAYOUT) -> None:
    """Build the period's pack ahead of publishing once every figure is approved, so that
    publishing keeps it (`prepared`); nothing while any is not approved."""
    if layout not in period_layouts() or not_approved(period):
        return
    prepared.prepare(
        period,
        layout,
        stamp(period.organisation),
        lambda out, as_at: build_pack_files(period, layout, as_at, out),
    )


def unchanged_pack(period: ReportingPeriod, layout: str) -> PublishedPack | None:
    """The period's latest pack in `layout`, if nothing was changed after it was built."""
    pack = period.packs.filter(layout=layout).order_by("-as_at", "-id").first()
    if pack is None:
        return None
    later = AuditEntry.objects.filter(organisation=period.organisation, at__gt=pack.as_at)
    return None if later.exclude(action="published").exists() else pack
