"""Uploading a quarter's Client Level Data submission (performance officers only).

The file is checked as every upload is (size, rows, hostile content: `sources.safety`), then
staged with the project's other submissions (`web.submissions`): a structural fault lists its
problems (file, row, field, value, fix) and nothing changes; a clean load shows the new
submission's data-quality report and what accepting does to figures already decided on
(approved figures go back for review, published periods' figures become restatements), to
accept (the figures computed from records are saved as new versions, the earlier ones kept) or
to cancel. Each action's input is a Django form (`CheckForm`, `AcceptForm`): every error is
shown at once, beside its field, on a 400 page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path

from boardpack.errors import BoardpackError, Problem
from boardpack.sources import safety

from .. import access, submissions
from ..live import live
from ..officer_words import plain_problem
from ..store import find_organisation
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


class CheckForm(forms.Form):
    """The submission file and the day it was sent, checked before anything is read."""

    file = forms.FileField(
        required=False, error_messages={"invalid": "Choose a submission file (CSV or XLSX)"}
    )
    submitted = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "Give the day the submission was sent, as YYYY-MM-DD",
            "invalid": "Give the day the submission was sent, as YYYY-MM-DD",
        },
    )

    def __init__(self, data, files, *, project, limits: safety.Limits):
        super().__init__(data, files)
        self.project, self.limits = project, limits

    def clean_file(self):
        upload = self.cleaned_data.get("file")
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
        if upload.size > self.limits.file_mb * safety.MB:
            raise forms.ValidationError(_size_words(upload.size, self.limits))
        return upload

    def clean(self):
        data = super().clean()
        if self.project.records is None:
            raise forms.ValidationError(
                "This organisation computes no figures from Client Level Data submissions, so "
                "there is nothing to upload them to"
            )
        if "file" in data and "submitted" in data:
            name = submissions.kept_name(_safe_name(data["file"].name), data["submitted"])
            for problem in submissions.name_problems(self.project, name):
                self.add_error("file", f"{name}: {problem.what}; {problem.fix}")
            data["name"] = name
        return data


class AcceptForm(forms.Form):
    """The staging to accept: the one the session holds, named by the page's token."""

    token = forms.CharField(max_length=64, error_messages={"required": EXPIRED})

    def __init__(self, data, *, project, kept: str | None):
        super().__init__(data)
        self.project, self.kept = project, kept

    def clean_token(self):
        token = self.cleaned_data["token"]
        found = submissions.staged(self.project, token)
        if found is None or self.kept != token:
            raise forms.ValidationError(EXPIRED)
        self.cleaned_data["staged"] = found
        return token


def errors_of(form: forms.Form) -> dict[str, str]:
    """The form's errors as the page shows them: by field (a form-wide one under `file`, the
    page's first field), every message of a field in one sentence."""
    shown: dict[str, str] = {}
    for name, messages_ in form.errors.items():
        field = "file" if name == forms.forms.NON_FIELD_ERRORS else name
        text = "; ".join(str(m).rstrip(".") for m in messages_)
        shown[field] = f"{shown[field]}; {text}" if field in shown else text
    return shown


class RecordsUploadPage:
    """One request to the records upload page of the user's organisation."""

    def __init__(self, request):
        self.request = request
        self.organisation = find_organisation()
        self.project = live(self.organisation).dataset.project
        self.limits = safety.Limits.from_env()

    def render(self, status: int = 200, **context):
        context = {
            "organisation": self.organisation,
            "has_records": self.project.records is not None,
            "max_mb": self.limits.file_mb,
            "errors": {},
            "problems": [],
            "staged": None,
            "submitted": self.submitted(),
            **context,
        }
        return render(self.request, "boardpack/records/upload.html", context, status=status)

    def submitted(self) -> str:
        """The day shown in the form: today's, or the one sent if it is a date (a date field
        holds nothing else)."""
        if self.request.method != "POST":
            return dt.date.today().isoformat()
        sent = self.request.POST.get("submitted", "")
        try:
            return dt.date.fromisoformat(sent).isoformat()
        except ValueError:
            return ""

    def form(self):
        kept = self.request.session.get(SESSION)
        found = submissions.staged(self.project, kept) if kept else None
        return self.show_staged(found) if found else self.render()

    def show_staged(self, found):
        effects = submissions.effects(self.organisation, found)
        return self.render(staged=found, faults=_faults(found), effects=effects)

    def check(self):
        """Stage the file sent: its problems, or its data-quality report."""
        too_large = _too_large(self.request, self.limits)
        if too_large:
            return self.render(status=413, errors={"file": too_large})
        form = CheckForm(
            self.request.POST, self.request.FILES, project=self.project, limits=self.limits
        )
        if not form.is_valid():
            return self.render(status=400, errors=errors_of(form))
        upload, name = form.cleaned_data["file"], form.cleaned_data["name"]
        try:
            found = self.stage(upload, name, form.cleaned_data["submitted"])
        except BoardpackError as failed:
            return self.problems(name, list(failed.problems))
        self.discard()
        self.request.session[SESSION] = found.token
        return self.show_staged(found)

    def stage(self, upload, name: str, submitted: dt.date):
        with tempfile.TemporaryDirectory() as folder:
            written = Path(folder) / name
            with open(written, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            return submissions.stage(self.project, written, name, submitted)

    def problems(self, name: str, problems: list[Problem]):
        shown = [plain_problem(_in_file(p, name)) for p in problems[:PROBLEMS_SHOWN]]
        return self.render(status=400, problems=shown, total=len(problems), name=name)

    def accept(self):
        """Accept the staging the session names, if the form names the same one."""
        form = AcceptForm(
            self.request.POST, project=self.project, kept=self.request.session.get(SESSION)
        )
        if not form.is_valid():
            return self.render(status=400, errors={"file": EXPIRED})
        found = form.cleaned_data["staged"]
        del self.request.session[SESSION]
        try:
            done = submissions.accept(self.project, self.organisation, found, self.request.user)
        except submissions.Outdated as outdated:
            return self.problems(found.name, list(outdated.problems))
        messages.success(self.request, _accepted_words(found.name, done))
        return redirect("records_upload")

    def cancel(self):
        self.discard()
        messages.success(self.request, "Cancelled: the staged submission was discarded.")
        return redirect("records_upload")

    def discard(self) -> None:
        kept = self.request.session.pop(SESSION, None)
        if kept:
            submissions.cancel(self.project, kept)

    def unknown(self):
        action = self.request.POST.get("action", "")[:40]
        words = f"The page cannot do “{action}”; use its buttons to check, accept or cancel"
        return self.render(status=400, errors={"file": words})


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


ACTIONS = {
    "check": RecordsUploadPage.check,
    "accept": RecordsUploadPage.accept,
    "cancel": RecordsUploadPage.cancel,
}


@access.permission("import_observation")
def records_upload(request):
    page = RecordsUploadPage(request)
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", "check"), RecordsUploadPage.unknown)
        return action(page)
    return page.form()


urlpatterns = [path("records/upload/", records_upload, name="records_upload")]
