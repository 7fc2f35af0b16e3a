"""Uploading figures from a spreadsheet (CSV or XLSX) in the tidy, tracker or wide format.

The file is read by the same readers as `boardpack import` (`boardpack.sources.figures`), plus two
checks of the web's own: owners may upload only the indicators they may edit, and a
percentage's numerator may not be larger than its denominator (found by filters over the
figures read; the file is read again record by record only when one may fail). Every problem is
listed, row by row, and nothing is saved while there is any. A clean file is shown as a preview (new, changed,
unchanged); the rows read are kept in the session (never sent back by the browser), and
confirming saves them all or none in one transaction, as new versions only where a figure
changed, audited with the reason "uploaded <file name>". If someone changed one of the
figures after the preview, nothing is saved and the preview is shown again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django import forms
from django.core.exceptions import SuspiciousFileOperation
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.text import get_valid_filename

from boardpack.catalogue import DataSource
from boardpack.engine.formatting import format_value
from boardpack.errors import BoardpackError, Problem
from boardpack.sources import safety
from boardpack.sources.figures import load_observations
from boardpack.sources.figures.observations import FORMATS, file_reading, observation_row
from boardpack.sources.isolated import isolated
from boardpack.sources.readers import ReadError, cell_text, read_rows

from .. import access, figure_rules, frames, setup
from ..cycle import name_of
from ..figure_entry import PARTS_OF_A_WHOLE
from ..live import live
from ..officer_words import plain_problem
from ..records import audit
from ..records.changes import revise
from ..records.models import Observation, ReportingPeriod
from ..store import find_organisation
from .form_page import FormPageView, PageForm, choice_field

#: Problems listed on the page at most (the heading says how many there are in all).
PROBLEMS_SHOWN = 50
#: Preview lines shown at most (all are saved).
LINES_SHOWN = 500
KEY = ("indicator", "area", "period")
DATES = ("period_start", "period_end")
#: What to do after saving: an upload saves figures but submits nothing.
NEXT_STEP = (
    "The figures are saved, not submitted: submit each indicator for review from My tasks "
    "once its figures and commentary are complete."
)
#: The kinds of spreadsheet the upload reads, as the page names them.
KINDS = "CSV, XLSX, XLSM, XLS or ODS"
STANDARD_WORDS = (
    "Standard columns: indicator, period and value, and any of organisation, numerator, "
    "denominator, target, floor, status, note"
)


# --- reading the file ----------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """A way a file may be laid out: the standard tidy columns, or like one of the project's
    own data files (its format, sheet, header row, column names and row labels)."""

    key: str
    words: str
    source: DataSource


def layouts(project) -> list[Layout]:
    standard = Layout("tidy", STANDARD_WORDS, DataSource(file="upload.csv"))
    own = [
        Layout(f"data-{i}", f"Laid out like {s.file} ({s.format})", s)
        for i, s in enumerate(project.data)
    ]
    return [standard, *own]


@dataclass
class Read:
    """What was read from an uploaded file: the figures (as Store records) or the problems."""

    records: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_upload(folder: Path, name: str, source: DataSource, project, allowed) -> Read:
    """Read `folder/name` as `source` describes, with every problem the import readers find
    and the upload's own checks; `allowed` is the references the user may edit (None: all)."""
    chosen = source.model_copy(update={"file": name})
    code = project.organisation.code
    problems: list[Problem] = []
    try:
        frame = load_observations(project.model_copy(update={"data": [chosen]}), folder, code)
    except BoardpackError as failed:
        frame, problems = None, list(failed.problems)
    if frame is None or chosen.revisions or may_fail_upload_checks(frame, project, allowed):
        problems += upload_problems(folder, chosen, project, allowed)
    if problems:
        ordered = sorted(dict.fromkeys(problems), key=lambda p: (p.row or 0, p.column or ""))
        return Read(problems=ordered)
    return Read(records=frames.observation_records(frame))


def may_fail_upload_checks(frame: pl.DataFrame, project, allowed) -> bool:
    """Whether any figure read cleanly (`frame`, the file's observations) may fail an upload
    check: an indicator the user may not edit, or a numerator above its denominator where the
    figure is part of a whole. Found by filters over the frame; only then is the file read
    again record by record (`upload_problems`) for the problems' rows and columns. Every record
    of a file read without problems is in the frame, merged only with repeats that agree with
    it (or fill its blanks), unless the file revises figures: it is then always read again."""
    if allowed is not None and not frame["indicator"].is_in(list(allowed)).all():
        return True
    parts = [ind.ref for ind in project.indicators if ind.unit in PARTS_OF_A_WHOLE]
    larger = pl.col("indicator").is_in(parts) & (pl.col("numerator") > pl.col("denominator"))
    return bool(frame.select(larger.any()).item())


def upload_problems(folder: Path, source: DataSource, project, allowed) -> list[Problem]:
    """The problems only an upload has, checked on every record the file holds."""
    try:
        table = read_rows(folder / source.file, source.sheet, source.header_row, source.file)
    except ReadError:
        return []  # already reported by the import readers
    indicators = {ind.ref.lower(): ind for ind in project.indicators}
    scratch: list[Problem] = []  # the readers' own problems, reported already
    reading = file_reading(project, source, folder, project.organisation.code, scratch)
    found = []
    for record in FORMATS[source.format](table, source, scratch):
        cell = record.fields.get("indicator")
        indicator = indicators.get(cell_text(cell.raw).lower()) if cell else None
        if indicator is None:
            continue
        row = observation_row(record, reading)
        found += [p for check in CHECKS if (p := check(record, indicator, row, allowed))]
    return found


def not_yours(record, indicator, row, allowed) -> Problem | None:
    if allowed is None or indicator.ref in allowed:
        return None
    yours = ", ".join(sorted(allowed)) or "none"
    return record.problem(
        "indicator",
        f"is not one of your indicators (yours: {yours}); you may upload figures only for "
        "those. Remove the row, or ask a performance officer to upload it or assign it to you",
    )


def numerator_above_denominator(record, indicator, row, allowed) -> Problem | None:
    if row is None or indicator.unit not in PARTS_OF_A_WHOLE:
        return None
    numerator, denominator = row["numerator"], row["denominator"]
    if numerator is None or denominator is None or numerator <= denominator:
        return None
    return record.problem(
        "numerator",
        f"is larger than the denominator ({denominator:g}); for a percentage the numerator "
        "is part of the denominator, so check both",
    )


#: The upload's own checks: (record, indicator, parsed row or None, allowed refs) -> problem.
CHECKS = (not_yours, numerator_above_denominator)


# --- comparing with the Store --------------------------------------------------------------


@dataclass
class Line:
    """One figure of the preview: what it is, how it compares with the Store, and the version
    it was compared with (0 for a new record)."""

    record: dict
    status: str
    base: int
    changes: list[tuple[str, object, object]]
    latest: Observation | None
    note: str = ""


def compare(organisation, records: list[dict]) -> list[Line]:
    """Each record against the latest stored version of the same figure."""
    chosen = {f"{k}__in": {r[k] for r in records} for k in KEY}
    latest = {
        o.key(): o
        for o in Observation.objects.as_at()
        .filter(organisation=organisation, **chosen)
        .select_related("saved_by")
    }
    return [_line(record, latest.get(tuple(record[k] for k in KEY))) for record in records]


def _line(record: dict, latest: Observation | None) -> Line:
    base = latest.version if latest else 0
    if latest is None or latest.withdrawn:
        return Line(record, "new", base, [], latest)
    changes = [
        (name, getattr(latest, name), record.get(name))
        for name in Observation.compared_names()
        if _differ(getattr(latest, name), record.get(name))
    ]
    return Line(record, "changed" if changes else "unchanged", base, changes, latest)


def _differ(old, new) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        return old is None or new is None or float(old) != float(new)
    return old != new


def bases(lines: list[Line]) -> list[list]:
    return [[*(line.record[k] for k in KEY), line.base] for line in lines]


# --- keeping the preview in the session ----------------------------------------------------


def session_key(period) -> str:
    return f"boardpack-upload-{period.pk}"


def keep(request, period, name: str, lines: list[Line]) -> str:
    """Keep the rows read in the session under a new token; the confirm form names it."""
    token = secrets.token_urlsafe(16)
    request.session[session_key(period)] = {
        "token": token,
        "name": name,
        "records": [_to_json(line.record) for line in lines],
        "bases": bases(lines),
    }
    return token


def _to_json(record: dict) -> dict:
    return {k: (v.isoformat() if k in DATES else v) for k, v in record.items()}


def _from_json(record: dict) -> dict:
    return {k: (dt.date.fromisoformat(v) if k in DATES else v) for k, v in record.items()}


class Stale(Exception):
    """Figures changed since the preview; `lines` compares with the Store as it is now."""

    def __init__(self, lines: list[Line], changed: list[Line]):
        self.lines, self.changed = lines, changed
        super().__init__("figures changed since the preview")


def save(period, user, name: str, records: list[dict], kept_bases: list) -> dict:
    """Save the previewed records in one transaction, refusing (`Stale`) if any figure changed
    after the preview, or (`Refused`) if the cycle no longer lets the user change one.
    Approved figures changed go back for review. Returns the counts."""
    organisation = period.organisation
    reason = f"uploaded {name}"
    with transaction.atomic():
        lines = compare(organisation, records)
        if bases(lines) != kept_bases:
            before = {tuple(b[:3]): b[3] for b in kept_bases}
            changed = [
                ln for ln in lines if before.get(tuple(ln.record[k] for k in KEY)) != ln.base
            ]
            raise Stale(lines, changed)
        touched = touched_standings(organisation, lines)
        refused = rule_problems(name, user, touched)
        if refused:
            raise Refused(refused)
        revision = revise(
            Observation,
            organisation,
            _positioned(organisation, lines),
            user=user,
            reason=reason,
            withdraw_missing=False,
        )
        counts = {
            "new": revision.created,
            "changed": revision.revised,
            "unchanged": revision.unchanged,
        }
        who = name_of(user) if user is not None else "a script"
        why = f"changed by {who} after approval ({reason})"
        counts["sent back"] = figure_rules.send_back([s for _, s in touched], user, why)
        audit.record(
            "uploaded",
            "file",
            name,
            user=user,
            organisation=organisation,
            after={**counts, "period": period.label},
            reason=reason,
        )
    return counts


class Refused(BoardpackError):
    """The cycle does not let the user change some of the figures; `problems` says which."""


def touched_standings(organisation, lines: list[Line]) -> list[tuple[Line, object]]:
    """Each new or changed line with where its figure stands in the cycle."""
    touched = [ln for ln in lines if ln.status != "unchanged"]
    figures = [
        (ln.record["indicator"], ln.record["period"], *(ln.record[d] for d in DATES))
        for ln in touched
    ]
    return list(zip(touched, figure_rules.standings(organisation, figures), strict=True))


def rule_problems(name: str, user, touched) -> list[Problem]:
    """A problem for each figure the cycle does not let the user change (`figure_rules`)."""
    problems = []
    for line, standing in touched:
        why = figure_rules.refusal(user, standing)
        if why:
            value = f"{line.record['indicator']} {line.record['period']}"
            problems.append(Problem(file=name, column="period", value=value, what=why))
    return problems


def noted(touched) -> None:
    """Mark the lines whose saving does more than save: a restatement, a return to review."""
    for line, standing in touched:
        if standing.published:
            line.note = f"{standing.period.label} is published: a restatement in the next pack"
        elif standing.approved:
            line.note = "approved: goes back for review"


def _positioned(organisation, lines: list[Line]) -> list[dict]:
    """Stored figures keep their place in the Dataset's order; new ones go after the rest."""
    last = Observation.objects.filter(organisation=organisation).aggregate(n=Max("position"))["n"]
    after = (last if last is not None else -1) + 1
    placed = []
    for line in lines:
        position = line.latest.position if line.latest else after
        after += line.latest is None
        placed.append({**line.record, "position": position})
    return placed


# --- the page ------------------------------------------------------------------------------


class CheckForm(PageForm):
    """The file sent and how it is laid out (one of the page's `layouts`)."""

    file = forms.FileField(
        allow_empty_file=True,  # refused by `clean_file`, saying so
        error_messages={
            "required": f"Choose a spreadsheet to upload ({KINDS})",
            "invalid": f"Choose a spreadsheet to upload ({KINDS})",
        },
    )
    layout = choice_field("Choose how the file is laid out")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layout"].choices = [(x.key, x.words) for x in self.page.layouts]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if _safe_name(upload.name) is None:
            raise forms.ValidationError(
                "The file has no usable name; save it with a name such as figures.csv"
            )
        if upload.size == 0:
            raise forms.ValidationError(
                f"{upload.name} is empty (0 bytes): open the spreadsheet, save it, and upload "
                "the saved file"
            )
        if upload.size > self.page.limits.file_mb * safety.MB:
            raise forms.ValidationError(_size_words(upload.size, self.page.limits))
        other = _office_kind(upload)
        if other:
            raise forms.ValidationError(
                f"{upload.name} is a {other}, not a spreadsheet, whatever its name says: "
                "upload the spreadsheet itself, saved as XLSX or CSV"
            )
        return upload

    def save(self, user):
        """List the file's problems, or preview its figures."""
        layout = next(x for x in self.page.layouts if x.key == self.cleaned_data["layout"])
        return self.page.check(self.cleaned_data["file"], layout)


class ConfirmForm(PageForm):
    """Saving the figures kept at the preview: the token the preview gave must be the one the
    session keeps."""

    keeps_values = False
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_token(self):
        kept = self.page.request.session.get(session_key(self.page.period))
        token = self.cleaned_data["token"]
        if not kept or not token or not secrets.compare_digest(kept["token"], token):
            raise forms.ValidationError(
                "The preview has expired or a newer one replaced it; nothing was saved. "
                "Upload the file again"
            )
        return kept

    def save(self, user):
        return self.page.confirm(self.cleaned_data["token"])


class UploadPage(FormPageView):
    """The upload page of a period: the form, the problems of a file or its preview."""

    template = "boardpack/upload/form.html"
    forms = {"check": CheckForm, "confirm": ConfirmForm}
    default_action = "check"
    chosen = "tidy"  # the layout the form shows chosen

    def load(self, period_id: int) -> None:
        request = self.request
        rows = ReportingPeriod.objects.restrict(request.user).select_related("organisation")
        self.period = get_object_or_404(rows, pk=period_id, organisation=find_organisation())
        period = self.period
        access.deny_unless(
            period.status == ReportingPeriod.Status.OPEN
            or request.user.has_perm("boardpack.revise_observation"),
            access.Refused(
                f"upload figures for {period.label}",
                "revise_observation",
                because=f"{period.label} is {period.status}, and owners upload figures only "
                "while a period is open",
                who="performance officers and administrators",
                how="Ask a performance officer to upload the figures, or to reopen "
                f"{period.label} if its figures are still to be given",
            ),
        )
        self.organisation = period.organisation
        self.project = live(self.organisation).dataset.project
        self.layouts = layouts(self.project)
        self.allowed = access.editable_refs(request.user, self.organisation)
        self.limits = safety.Limits.from_env()

    def post(self, request, *args, **kwargs):
        too_large = _too_large(request, self.limits)
        if too_large:  # refused before the file is read
            return self.show("form", status=413, errors={"file": too_large})
        return super().post(request, *args, **kwargs)

    def render(self, form=None, status: int = 200, clash=None):
        if form is not None:
            self.chosen = form.values().get("layout") or self.chosen
        return self.show("form", status, errors=form.problems() if form is not None else {})

    def show(self, template: str, status: int = 200, **context):
        units = {i.ref: (i.decimals or 0, i.unit) for i in self.project.indicators}
        context = {
            "organisation": self.organisation,
            "period": self.period,
            "layouts": self.layouts,
            "chosen": self.chosen,
            "allowed": self.allowed,
            "max_mb": self.limits.file_mb,
            "kinds": KINDS,
            "shown_at_most": LINES_SHOWN,
            "shown": lambda ref, name, value: _shown(units, ref, name, value),
            "errors": {},
            "problems": [],
            "changed": (),
            **context,
        }
        return render(self.request, f"boardpack/upload/{template}.html", context, status=status)

    def check(self, upload, layout: Layout):
        """Read the file sent; list its problems, or preview its figures."""
        self.chosen = layout.key
        name = _safe_name(upload.name)
        read = self.read(upload, name, layout)
        lines = compare(self.organisation, read.records) if not read.problems else []
        touched = touched_standings(self.organisation, lines)
        problems = read.problems or rule_problems(name, self.request.user, touched)
        if problems:
            return self.problems(name, problems)
        noted(touched)
        return self.preview(name, lines)

    def read(self, upload, name: str, layout: Layout) -> Read:
        """The file refused up front if reading it would cost more than the limits allow
        (`safety.check_file` streams it, materialising nothing: no reader process is started
        for a hostile file), else read in a child process with memory and time limits
        (`sources.isolated`), so a file that defeats the reader fails alone."""
        with tempfile.TemporaryDirectory() as folder:
            with open(Path(folder) / name, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            arguments = (Path(folder), name, layout.source, self.project, self.allowed)
            try:
                safety.check_file(Path(folder) / name, name, layout.source.sheet, self.limits)
                return isolated(read_upload, arguments, name=name, setup=setup)
            except BoardpackError as failed:
                return Read(problems=[_reader_problem(p) for p in failed.problems])

    def problems(self, name: str, problems: list[Problem]):
        self.request.session.pop(session_key(self.period), None)
        shown = [plain_problem(p) for p in problems[:PROBLEMS_SHOWN]]
        return self.show("form", status=400, problems=shown, total=len(problems), name=name)

    def preview(self, name: str, lines: list[Line], status: int = 200, changed=()):
        """The figures to be saved, kept in the session under a new token."""
        token = keep(self.request, self.period, name, lines)
        counts = {s: sum(ln.status == s for ln in lines) for s in ("new", "changed", "unchanged")}
        context = {"name": name, "lines": lines, "counts": counts, "token": token}
        return self.show("preview", status=status, changed=changed, **context)

    def confirm(self, kept: dict):
        """Save the figures kept at the preview (`kept`, as the session holds them)."""
        records = [_from_json(r) for r in kept["records"]]
        if self.allowed is not None:
            refused = sorted({r["indicator"] for r in records} - self.allowed)
            access.deny_unless(
                not refused,
                access.Refused(
                    f"save figures for {', '.join(refused)}",
                    "change_unassigned_indicator",
                    because=f"{', '.join(refused)} {'is' if len(refused) == 1 else 'are'} no "
                    "longer assigned to you",
                    how="Ask a performance officer to assign them to you again, or upload the "
                    "file without them",
                ),
            )
        try:
            counts = save(self.period, self.request.user, kept["name"], records, kept["bases"])
        except Stale as stale:
            return self.preview(kept["name"], stale.lines, status=409, changed=stale.changed)
        except Refused as refused:
            return self.problems(kept["name"], refused.problems)
        del self.request.session[session_key(self.period)]
        back = counts["sent back"]
        again = f" Sent back for review: {', '.join(back)}." if back else ""
        return (
            f"Saved the figures from {kept['name']}: {counts['new']} new, "
            f"{counts['changed']} changed, {counts['unchanged']} unchanged.{again} "
            f"{NEXT_STEP}"
        )

    def done_at(self, form) -> str:
        return reverse("upload", args=[self.period.pk])


#: The parts that make an Office file of another kind than a workbook: prefix -> what it is.
OTHER_OFFICE_FILES = {"word/": "Word document", "ppt/": "PowerPoint presentation"}


def _office_kind(upload) -> str | None:
    """What a zip of Word's or PowerPoint's uploaded as a spreadsheet is (None otherwise)."""
    try:
        with zipfile.ZipFile(upload) as packed:
            names = packed.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    kinds = (
        kind
        for prefix, kind in OTHER_OFFICE_FILES.items()
        if any(n.startswith(prefix) for n in names)
    )
    return next(kinds, None)


def _safe_name(name: str) -> str | None:
    """The file's own name, made safe to write (no folders, no odd characters)."""
    try:
        return get_valid_filename(Path(name).name)
    except SuspiciousFileOperation:
        return None


def _too_large(request, limits: safety.Limits) -> str | None:
    """Refuse a request larger than the largest file before reading it."""
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    return _size_words(size, limits) if size > limits.file_mb * safety.MB + 64 * 1024 else None


def _size_words(size: int, limits: safety.Limits) -> str:
    return (
        f"The file is {size / safety.MB:.1f} MB; the largest accepted is "
        f"{limits.words('file_mb')}. Split it into smaller files, or ask the administrator "
        "to raise BOARDPACK_MAX_UPLOAD_MB"
    )


def _reader_problem(problem: Problem) -> Problem:
    """A refusal of the file as the problems table shows it: the cell's value is not repeated."""
    return dataclasses.replace(problem, value=None)


def _shown(units: dict, ref: str, name: str, value) -> str:
    """A value as the pack shows it: figures, targets and floors in the indicator's unit."""
    if value is None:
        return "blank"
    if name in ("value", "target", "floor") and isinstance(value, float):
        decimals, unit = units.get(ref, (0, None))
        return format_value(value, max(decimals, _places(value)), unit)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _places(value: float) -> int:
    """Enough decimal places to show the value as given (up to 4)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


UPLOAD = UploadPage.as_view()


@access.permission("upload_observation")
def upload(request, period_id: int):
    return UPLOAD(request, period_id=period_id)


urlpatterns = [path("periods/<int:period_id>/upload/", upload, name="upload")]
