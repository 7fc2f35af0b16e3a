"""Uploading a quarter's Client Level Data submission (performance officers only).

The file is checked as every upload is (size, rows, hostile content: `sources.safety`), then
staged with the project's other submissions (`web.submissions`): a structural fault lists its
problems (file, row, field, value, fix) and nothing changes; a clean load shows the new
submission's data-quality report and what accepting does to figures already decided on
(approved figures go back for review, published periods' figures become restatements), to
accept (the figures computed from records are saved as new versions, the earlier ones kept) or
to cancel. The page is a `FormPageView`: each button posts its own Django form (`CheckForm`,
`AcceptForm`, `CancelForm`), every problem shown at once, beside its field, on a 400 page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

from django import forms
from django.shortcuts import render
from django.urls import path, reverse

from boardpack.errors import BoardpackError, Problem
from boardpack.sources import safety

from .. import access, submissions
from ..live import live
from ..officer_words import plain_problem
from ..store import find_organisation
from .form_page import FormPageView, PageForm
from .upload import PROBLEMS_SHOWN, _safe_name, _size_words, _too_large

SESSION = "boardpack-records-upload"
#: The checks listed in the report (completeness is listed only where a field is incomplete).
FAULTS = {
    "completeness": "Fields not always filled",
    "invalid_code": "Codes in no mapping (read as invalid)",
    "invalid_value": "Invalid values",
    "open_service": "Services with no end date",
    "end_before_start": "Events ending before they start",
    "duplicate": "Duplicate events",
    "after_death": "Events after the date of death",
    "no_person_id": "Rows with no person identifier (dropped)",
    "ignored_column": "Columns not in the specification (not read)",
}
EXPIRED = (
    "The staged submission has expired or was replaced; nothing was saved. Upload the file again"
)


class CheckForm(PageForm):
    """The submission file and the day it was sent, checked before anything is read; saving
    stages it and answers with its data-quality report (or its problems)."""

    file = forms.FileField(
        required=False,
        error_messages={
            "invalid": "Choose a submission file (CSV or XLSX)",
            "empty": "The file is empty (0 bytes): save the submission again and upload the "
            "saved file",
        },
    )
    submitted = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "Give the day the submission was sent, as YYYY-MM-DD",
            "invalid": "Give the day the submission was sent, as YYYY-MM-DD",
        },
    )

    def clean_file(self):
        upload, limits = self.cleaned_data.get("file"), self.page.limits
        if not upload:
            raise forms.ValidationError("Choose a submission file to upload (CSV or XLSX)")
        name = _safe_name(upload.name)
        if name is None:
            raise forms.ValidationError(
                "The file has no usable name; save it with a name such as "
                "622_2025-03-31_2025-05-11.csv"
            )
        if Path(name).suffix.lower() not in submissions.SUFFIXES:
            raise forms.ValidationError(
                f"{name} is not a CSV or XLSX file; save the submission as CSV or XLSX, as it "
                "is sent to the Department"
            )
        if upload.size > limits.file_mb * safety.MB:
            raise forms.ValidationError(_size_words(upload.size, limits))
        return upload

    def clean(self):
        data = super().clean()
        project = self.page.project
        if project.records is None:
            raise forms.ValidationError(
                "This organisation computes no figures from Client Level Data submissions, so "
                "there is nothing to upload them to"
            )
        if "file" in data and "submitted" in data:
            name = submissions.kept_name(_safe_name(data["file"].name), data["submitted"])
            for problem in submissions.name_problems(project, name):
                self.add_error("file", f"{name}: {problem.what}; {problem.fix}")
            data["name"] = name
        return data

    def save(self, user):
        data = self.cleaned_data
        return self.page.stage(data["file"], data["name"], data["submitted"])


class AcceptForm(PageForm):
    """The staging to accept: the one the session holds, named by the page's token."""

    token = forms.CharField(
        max_length=64,
        widget=forms.HiddenInput,
        error_messages={"required": EXPIRED, "max_length": EXPIRED},
    )
    keeps_values = False

    def clean_token(self):
        token = self.cleaned_data["token"]
        found = submissions.staged(self.page.project, token)
        if found is None or self.page.request.session.get(SESSION) != token:
            raise forms.ValidationError(EXPIRED)
        self.cleaned_data["staged"] = found
        return token

    def save(self, user):
        page, found = self.page, self.cleaned_data["staged"]
        del page.request.session[SESSION]
        try:
            done = submissions.accept(page.project, page.organisation, found, user)
        except submissions.Outdated as outdated:
            return page.problems(found.name, list(outdated.problems))
        return _accepted_words(found.name, done)


class CancelForm(PageForm):
    """Discard the staging the session holds."""

    keeps_values = False

    def save(self, user):
        self.page.discard()
        return "Cancelled: the staged submission was discarded."


class RecordsUploadPage(FormPageView):
    """The records upload page of the user's organisation: check, then accept or cancel."""

    template = "boardpack/records/upload.html"
    forms = {"check": CheckForm, "accept": AcceptForm, "cancel": CancelForm}
    default_action = "check"
    unknown_words = "The page cannot do that; use its buttons to check, accept or cancel"

    def load(self) -> None:
        self.organisation = find_organisation()
        self.project = live(self.organisation).dataset.project
        self.limits = safety.Limits.from_env()

    def context(self, clash=None) -> dict:
        return {
            "organisation": self.organisation,
            "has_records": self.project.records is not None,
            "max_mb": self.limits.file_mb,
            "problems": [],
            "staged": None,
            "submitted": self.submitted(),
        }

    def done_at(self, form) -> str:
        return reverse("records_upload")

    def get(self, request, *args, **kwargs):
        kept = request.session.get(SESSION)
        found = submissions.staged(self.project, kept) if kept else None
        return self.show_staged(found) if found else self.render()

    def post(self, request, *args, **kwargs):
        too_large = _too_large(request, self.limits)
        if too_large:
            return self.shown(status=413, errors={"file": too_large})
        return super().post(request, *args, **kwargs)

    def shown(self, status: int = 200, **extra):
        """The page with `extra` in its context (a staging, problems, errors)."""
        context = {**self.context(), "form": {}, "errors": {}, **extra}
        return render(self.request, self.template, context, status=status)

    def submitted(self) -> str:
        """The day shown in the form: today's, or the one sent if it is a date (a date field
        holds nothing else)."""
        if self.request.method != "POST":
            return dt.date.today().isoformat()
        try:
            return dt.date.fromisoformat(self.request.POST.get("submitted", "")).isoformat()
        except ValueError:
            return ""

    def show_staged(self, found):
        effects = submissions.effects(self.organisation, found)
        return self.shown(staged=found, faults=_faults(found), effects=effects)

    def stage(self, upload, name: str, submitted: dt.date):
        """Stage the file sent: its problems, or its data-quality report."""
        try:
            with tempfile.TemporaryDirectory() as folder:
                written = Path(folder) / name
                with open(written, "wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                found = submissions.stage(self.project, written, name, submitted)
        except BoardpackError as failed:
            return self.problems(name, list(failed.problems))
        self.discard()
        self.request.session[SESSION] = found.token
        return self.show_staged(found)

    def problems(self, name: str, problems: list[Problem]):
        shown = [plain_problem(_in_file(p, name)) for p in problems[:PROBLEMS_SHOWN]]
        return self.shown(status=400, problems=shown, total=len(problems), name=name)

    def discard(self) -> None:
        kept = self.request.session.pop(SESSION, None)
        if kept:
            submissions.cancel(self.project, kept)


def _accepted_words(name: str, done: dict) -> str:
    words = (
        f"Accepted {name}: the figures computed from records are {done['new']} new, "
        f"{done['changed']} changed, {done['unchanged']} unchanged."
    )
    if done["sent back"]:
        words += f" Sent back for review (approved, now changed): {', '.join(done['sent back'])}."
    if done["restated"]:
        words += (
            f" Revised in published periods, shown as restatements in the next pack: "
            f"{', '.join(done['restated'])}."
        )
    return words


def _in_file(problem: Problem, name: str) -> Problem:
    """A problem as the table shows it: the file's name rather than the staging path."""
    file = name if problem.file and Path(problem.file).name == name else problem.file
    return dataclasses.replace(problem, file=file)


def _faults(found) -> list[dict]:
    """The report's rows worth showing: every fault found, and completeness below 100%."""
    rows = []
    for row in found.quality:
        if row["check"] not in FAULTS or not row["rows"] and row["check"] != "completeness":
            continue
        if row["check"] == "completeness" and row["rows"] == row["of_rows"]:
            continue
        rows.append({**row, "words": FAULTS[row["check"]]})
    return rows


RECORDS_UPLOAD = RecordsUploadPage.as_view()


@access.permission("import_observation")
def records_upload(request):
    return RECORDS_UPLOAD(request)


urlpatterns = [path("records/upload/", records_upload, name="records_upload")]
