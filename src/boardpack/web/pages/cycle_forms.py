"""The reporting cycle's forms, one for each button: opening, closing and reopening periods,
the entry form (a figure for each period due by the indicator's frequency, the commentary),
submitting, answering, returning and approving, panel notes and agreed actions, manual
ratings, and publishing. Each checks what was typed and makes the change through
`boardpack.web.cycle`, which keeps the cycle's rules."""

from __future__ import annotations

from django import forms
from django.db import transaction

from boardpack.catalogue.models import RAGS
from boardpack.pack.words import RAG_LABELS
from boardpack.periods import PeriodError, parse_period

from .. import access, cycle, live, store
from ..records.models import Discussion, OverrideRequest, ReportingPeriod
from .form_page import PageForm, RecordField, VersionField, choice_field, text_field


def prepare_later(period) -> None:
    """In the server, build the pack ahead in the background, in every layout the organisation
    publishes in, once every figure is approved (`cycle.prepare_all`), so that Publish only
    keeps it."""
    if live.making_ahead():
        live.in_background(
            period.organisation, f"prepare {period.pk}", lambda: cycle.prepare_all(period)
        )


# --- reporting periods ----------------------------------------------------------------------


class OpenPeriodForm(PageForm):
    label = text_field("Enter the period, for example Q3 2025/26")
    deadline = text_field("Enter the deadline for figures, as a date and time")

    def clean_label(self) -> str:
        try:
            return parse_period(self.cleaned_data["label"], "quarterly").label
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_deadline(self):
        errors: dict[str, str] = {}
        deadline = cycle.read_deadline(self.cleaned_data["deadline"], errors)
        if errors:
            raise forms.ValidationError(errors["deadline"])
        return deadline

    def save(self, user) -> str:
        data = self.cleaned_data
        opened = cycle.open_period(self.page.organisation, data["label"], data["deadline"], user)
        count = opened.submissions.count()
        return f"{opened.label} is open with {count} indicators to report"


class PeriodStepForm(PageForm):
    """A button moving one listed period a step."""

    keeps_values = False
    period = RecordField(what="reporting period")

    def clean_period(self) -> ReportingPeriod:
        found = ReportingPeriod.objects.filter(
            pk=self.cleaned_data["period"], organisation=self.page.organisation
        ).first()
        if found is None:
            raise forms.ValidationError(
                "That reporting period is not one of this council's; open the page again"
            )
        return found


class ClosePeriodForm(PeriodStepForm):
    def save(self, user) -> str:
        period = self.cleaned_data["period"]
        cycle.close_period(period, user)
        return f"{period.label} is closed"


class ReopenPeriodForm(PeriodStepForm):
    def save(self, user) -> str:
        period = self.cleaned_data["period"]
        cycle.reopen_period(period, user)
        return f"{period.label} is open again"


# --- the entry form ------------------------------------------------------------------------


class EntryForm(PageForm):
    """The figures due (a set of fields for each month, quarter or year of the indicator's
    frequency ending in the period, `figure_entry`) and the commentary, with the version each
    part was opened at. The figures are checked against the catalogue entry
    (`cycle.read_entry`); every problem is shown at once."""

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, page=page, **kwargs)
        for slot in page.slots:
            self.fields[f"base_{slot.part}"] = VersionField()
            for name in ("value", "numerator", "denominator", "note"):
                self.fields[slot.field(name)] = text_field()
        for name in cycle.SECTIONS:
            self.fields[f"base_{name}"] = VersionField()
            self.fields[name] = text_field(strip=False)

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                cycle.read_entry(data, self.page.definition, self.page.slots)
            except cycle.Invalid as invalid:
                self.take(invalid)
        return data

    def save(self, user) -> str:
        saved = cycle.save_entry(self.page.period, self.page.ref, user, self.cleaned_data)
        return "Saved" if saved else "Nothing had changed, so nothing was saved"

    def rebase(self, clash) -> dict:
        rebased = {f"base_{p}": c.theirs.version for p, c in clash.conflicts.items()}
        return {**self.values(), **rebased}


class SubmitEntryForm(EntryForm):
    def save(self, user) -> str:
        with transaction.atomic():  # a refused submission saves nothing either
            super().save(user)
            cycle.submit(self.page.period, self.page.ref, user)
        return f"Saved and submitted {self.page.ref} for review"


class DiscussionForm(PageForm):
    """A hand-written discussion entry of `kind`, typed in the box `cycle.DISCUSSION_FIELDS`
    names."""

    kind: str = ""
    done = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label = Discussion.Kind(self.kind).label.lower()
        self.fields[cycle.DISCUSSION_FIELDS[self.kind]] = text_field(
            f"Write the {label} before saving it"
        )

    def save(self, user) -> str:
        text = self.cleaned_data[cycle.DISCUSSION_FIELDS[self.kind]]
        cycle.add_discussion(self.page.period, self.page.ref, user, self.kind, text)
        return self.done or f"{Discussion.Kind(self.kind).label} recorded"


class AnswerForm(DiscussionForm):
    kind = Discussion.Kind.ANSWER
    done = (
        "Your answer is recorded. When the entry is ready, press Save and submit for review to "
        "send it back to the performance officer"
    )


class OfficersForm(PageForm):
    """A form only those holding permission `boardpack.<codename>` may send (performance
    officers), `what` they do with it."""

    codename = ""
    what = ""

    def permitted(self, user) -> access.Refused | None:
        if user.has_perm(f"boardpack.{self.codename}"):
            return None
        return access.Refused(self.what, self.codename)


# --- review --------------------------------------------------------------------------------


class ReturnForm(OfficersForm):
    codename = "approve_submission"
    what = "return submissions"
    challenge = text_field("Write the challenge: what the owner should check or explain")

    def save(self, user) -> str:
        page = self.page
        cycle.return_submission(page.period, page.ref, user, self.cleaned_data["challenge"])
        return f"{page.ref} is returned to its owner with your challenge"


class ApproveForm(OfficersForm):
    """Approval of the entry as the officer saw it: the page posts the version of each part,
    and a part changed since is refused with both shown (409)."""

    codename = "approve_submission"
    what = "approve submissions"
    approval = text_field()

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, page=page, **kwargs)
        for part in page.parts:
            self.fields[f"base_{part}"] = VersionField()

    def seen(self) -> dict[str, int]:
        """The versions the officer saw (a part the form did not post is not compared)."""
        return {
            part: self.cleaned_data[f"base_{part}"]
            for part in self.page.parts
            if f"base_{part}" in self.data
        }

    def save(self, user) -> str:
        page = self.page
        cycle.approve(page.period, page.ref, user, self.cleaned_data["approval"], self.seen())
        prepare_later(page.period)
        return f"{page.ref} is approved"

    def rebase(self, clash) -> dict:
        rebased = {f"base_{p}": c.theirs.version for p, c in clash.conflicts.items()}
        return {**self.values(), **rebased}


class PanelNoteForm(DiscussionForm, OfficersForm):
    kind = Discussion.Kind.PANEL
    codename = "panel_discussion"
    what = "record panel discussion and agreed actions"


class AgreedActionForm(PanelNoteForm):
    kind = Discussion.Kind.ACTION


class RequestOverrideForm(PageForm):
    rag = choice_field(
        "Choose the rating to give",
        invalid="Choose one of the ratings listed",
        choices=[(r, RAG_LABELS.get(r, r)) for r in RAGS],
    )
    reason = text_field("Write the reason; it is published with the rating")

    def save(self, user) -> str:
        data, page = self.cleaned_data, self.page
        cycle.request_override(page.period, page.ref, user, data["rag"], data["reason"])
        return "The manual rating is waiting for another performance officer to decide"


class DecideOverrideForm(OfficersForm):
    """A decision on a manual rating asked for on this indicator in this period."""

    codename = "decide_overriderequest"
    what = "decide on manual ratings"
    keeps_values = False
    approved = True
    request = RecordField(what="manual rating request")

    def clean_request(self) -> OverrideRequest:
        page = self.page
        found = OverrideRequest.objects.filter(
            pk=self.cleaned_data["request"], period=page.period, indicator=page.ref
        ).first()
        if found is None:
            raise forms.ValidationError(
                f"That manual rating was not asked for {page.ref} in {page.period.label}; "
                "open the page again"
            )
        return found

    def save(self, user) -> str:
        decided = cycle.decide_override(self.cleaned_data["request"].pk, user, self.approved)
        return f"Manual rating {decided.get_decision_display().lower()}"


class RefuseOverrideForm(DecideOverrideForm):
    approved = False


# --- publishing ----------------------------------------------------------------------------


class PublishForm(PageForm):
    layout = choice_field("Choose one of the layouts listed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layout"].choices = list(cycle.period_layouts().items())

    def save(self, user) -> str:
        period = self.page.period
        pack = cycle.publish(period, self.cleaned_data["layout"], user)
        if live.making_ahead():  # in the server: the PDF, Word and Excel documents, meanwhile
            live.in_background(
                period.organisation, f"documents {pack.pk}", lambda: store.pack_documents(pack)
            )
        title = cycle.period_layouts().get(pack.layout, pack.layout)
        return f"Published the {title} for {period.label}: it is listed under Published packs"
