"""Uploading a quarter's Client Level Data submission (performance officers only).

The file is checked as every upload is (size, rows, hostile content: `sources.safety`), then
staged with the project's other submissions (`web.submissions`): a structural fault lists its
problems (file, row, field, value, fix) and nothing changes; a clean load shows the new
submission's data-quality report, to accept (the figures computed from records are saved as
new versions, the earlier ones kept) or to cancel.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

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
            "today": dt.date.today().isoformat(),
            "errors": {},
            "problems": [],
            "staged": None,
            **context,
        }
        return render(self.request, "boardpack/records/upload.html", context, status=status)

    def form(self):
        kept = self.request.session.get(SESSION)
        found = submissions.staged(self.project, kept) if kept else None
        return self.render(staged=found, faults=_faults(found) if found else [])

    def check(self):
        """Stage the file sent: its problems, or its data-quality report."""
        too_large = _too_large(self.request, self.limits)
        if too_large:
            return self.render(status=413, errors={"file": too_large})
        upload = self.request.FILES.get("file")
        submitted, errors = _form(self.request, upload, self.limits)
        if errors or self.project.records is None:
            return self.render(status=400, errors=errors)
        name = submissions.kept_name(_safe_name(upload.name), submitted)
        problems = submissions.name_problems(self.project, name)
        if problems:
            return self.problems(name, problems)
        try:
            found = self.stage(upload, name, submitted)
        except BoardpackError as failed:
            return self.problems(name, list(failed.problems))
        self.discard()
        self.request.session[SESSION] = found.token
        return self.render(staged=found, faults=_faults(found))

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
        token = self.request.POST.get("token", "")
        found = submissions.staged(self.project, token)
        if found is None or self.request.session.get(SESSION) != token:
            errors = {
                "file": "The staged submission has expired or was replaced; nothing was saved. Upload the file again"
            }
            return self.render(status=400, errors=errors)
        del self.request.session[SESSION]
        try:
            counts = submissions.accept(self.project, self.organisation, found, self.request.user)
        except submissions.Outdated as outdated:
            return self.problems(found.name, list(outdated.problems))
        messages.success(
            self.request,
            f"Accepted {found.name}: the figures computed from records are {counts['new']} new, "
            f"{counts['changed']} changed, {counts['unchanged']} unchanged.",
        )
        return redirect("records_upload")

    def cancel(self):
        self.discard()
        messages.success(self.request, "Cancelled: the staged submission was discarded.")
        return redirect("records_upload")

    def discard(self) -> None:
        kept = self.request.session.pop(SESSION, None)
        if kept:
            submissions.cancel(self.project, kept)


def _form(request, upload, limits: safety.Limits) -> tuple[dt.date | None, dict[str, str]]:
    errors = {}
    if upload is None:
        errors["file"] = "Choose a submission file to upload (CSV or XLSX)"
    elif _safe_name(upload.name) is None:
        errors["file"] = (
            "The file has no usable name; save it with a name such as 622_2025-03-31_2025-05-11.csv"
        )
    elif upload.size > limits.file_mb * safety.MB:
        errors["file"] = _size_words(upload.size, limits)
    try:
        submitted = dt.date.fromisoformat(request.POST.get("submitted", ""))
    except ValueError:
        submitted = None
        errors["submitted"] = "Give the day the submission was sent, as YYYY-MM-DD"
    return submitted, errors


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
        action = ACTIONS.get(request.POST.get("action", "check"), RecordsUploadPage.check)
        return action(page)
    return page.form()


urlpatterns = [path("records/upload/", records_upload, name="records_upload")]
