"""Who may change which figure, by where it stands in the reporting cycle: one rule for the
entry form and the upload (and any other way figures are written by a person).

- An owner may change a figure of an indicator assigned to them only in an open reporting
  period, while its submission is a draft or returned (not submitted, not approved); never a
  closed or published period's, nor history outside any reporting period.
- A performance officer may change any figure. A change to an approved figure of a period not
  yet published sends it back for review; a change to a published period's figure is a
  revision that the next pack lists as a restatement (the published pack stays frozen).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from boardpack.periods import parse_period

from .records import audit
from .records.models import ReportingPeriod, Submission

Status = Submission.Status
PeriodStatus = ReportingPeriod.Status
#: Statuses in which an owner may still change the figure and commentary.
EDITABLE = {Status.DRAFT, Status.RETURNED}


@dataclass(frozen=True)
class Standing:
    """Where one figure stands: the reporting period holding it (None: history outside any)
    and the indicator's submission in that period (None: not due in it)."""

    ref: str
    label: str
    period: ReportingPeriod | None = None
    submission: Submission | None = None

    @property
    def published(self) -> bool:
        return self.period is not None and self.period.status == PeriodStatus.PUBLISHED

    @property
    def approved(self) -> bool:
        return self.submission is not None and self.submission.status == Status.APPROVED


def refusal(user, standing: Standing) -> str | None:
    """Why `user` may not change the figure (assignment aside), or None when they may (`user`
    None: a command or script, as an import is)."""
    if user is None or user.has_perm("boardpack.revise_observation"):
        return None
    period, ref = standing.period, standing.ref
    if period is None:
        return (
            f"{standing.label} is not in an open reporting period; only performance officers "
            "may change figures outside the cycle"
        )
    if period.status == PeriodStatus.PUBLISHED:
        return (
            f"{period.label} is published; only a performance officer can revise its figures, "
            "and the revision is shown as a restatement in the next pack"
        )
    if period.status != PeriodStatus.OPEN:
        return f"{period.label} is closed; ask a performance officer to change the figure"
    if standing.submission is None:
        return f"{ref} is not due in {period.label}; ask a performance officer to change it"
    if standing.submission.status not in EDITABLE:
        status = standing.submission.get_status_display().lower()
        return f"{ref} is {status}; it can be changed only when a performance officer returns it"
    return None


def standings(organisation, figures: list[tuple[str, str, dt.date, dt.date]]) -> list[Standing]:
    """Where each figure (reference, period label, start, end) stands, in two queries. A
    figure belongs to the reporting period its own period ends in: October's to Q3, the
    year 2025/26's to Q4 2025/26."""
    periods = [
        (parse_period(p.label, "quarterly"), p)
        for p in ReportingPeriod.objects.filter(organisation=organisation)
    ]
    holding = {
        (start, end): next((p for span, p in periods if span.start <= end <= span.end), None)
        for _, _, start, end in figures
    }
    found = Submission.objects.filter(period__in=[p for _, p in periods])
    submissions = {(s.period_id, s.indicator): s for s in found.select_related("period")}
    return [
        _standing(ref, label, holding[(start, end)], submissions)
        for ref, label, start, end in figures
    ]


def _standing(ref: str, label: str, period, submissions: dict) -> Standing:
    submission = submissions.get((period.pk, ref)) if period is not None else None
    return Standing(ref, label, period, submission)


def send_back(changed: list[Standing], user, why: str) -> list[str]:
    """Send every approved figure among `changed` (of a period not yet published) back for
    review, audited; returns their references."""
    sent = []
    for standing in changed:
        if not standing.approved or standing.published:
            continue
        submission = standing.submission
        updated = Submission.objects.filter(pk=submission.pk, status=Status.APPROVED).update(
            status=Status.SUBMITTED, changed_at=timezone.now(), changed_by=user
        )
        if updated:
            sent.append(standing.ref)
            audit.record(
                "sent back for review",
                "submission",
                f"{standing.ref} {submission.period.label}",
                user=user,
                organisation=submission.period.organisation,
                before={"status": Status.APPROVED.value},
                after={"status": Status.SUBMITTED.value},
                reason=why,
            )
    return sent
