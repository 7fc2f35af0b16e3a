"""Client Level Data submissions uploaded in the web app: staged, shown, then accepted or not.

Staging loads the uploaded file with the project's other submissions into a records database
of its own (`PROJECT/.boardpack/staging/<token>/`), all or nothing, in a child process with
memory and time limits (`sources.isolated`); the data-quality report of the new submission and
the figures of the indicators computed from records are worked out there, from the staged
database, and kept beside it. Accepting saves those figures in the Store as new versions (the
earlier ones stay, as for any revised figure), keeps the file with the project's accepted
submissions (`records.store.UPLOADED`, which every later load reads) and puts the staged
database in place of the live one, audited. Cancelling deletes the staging folder.

Figures already decided on follow the rule every way of changing figures follows
(`figure_rules`): an approved figure of a period not yet published that the new records change
goes back for review; a published period's figure that changes is a revision, listed as a
restatement in the next pack (the published pack stays frozen). `effects` says which, before
accepting; `accept` does it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from boardpack.catalogue import Project
from boardpack.errors import BoardpackError, Problem
from boardpack.records import quality_report
from boardpack.records.cld import Submission, find_submissions, submitted_in_name
from boardpack.records.store import UPLOADED, database_path, load_records, uploaded_submissions
from boardpack.sources import safety
from boardpack.sources.client_records import read_records_quality, records_observations
from boardpack.sources.isolated import isolated

from . import figure_rules, frames, setup
from .records import audit
from .records.changes import revise
from .records.models import Observation, ReportTable

STAGING = Path(".boardpack") / "staging"
STAGED = "records.duckdb"
FOUND = "staged.json"
DATES = ("period_start", "period_end")
SUFFIXES = (".csv", ".xlsx")
#: Address space the staging child may take beyond `BOARDPACK_READ_MEMORY_MB`: DuckDB reserves
#: far more than it uses (its use is capped at half that limit, spilling to disk beyond).
DUCKDB_RESERVED_MB = 4096
#: Stagings left neither accepted nor cancelled are deleted when another is made this much later.
ABANDONED = dt.timedelta(days=1)


@dataclass
class Staged:
    """A submission staged: its token, the name it is kept under, what the load read, the new
    submission's data-quality rows and the records-computed figures the load gives."""

    token: str
    name: str
    loaded: str
    quality: list[dict]
    observations: list[dict]
    records_quality: list[dict]
    basis: str = ""

    def folder(self, project: Project) -> Path:
        return staging_folder(project, self.token)


class Outdated(BoardpackError):
    """The live records changed after the submission was staged (another was accepted)."""


def basis(project: Project) -> str:
    """What the live records are: the database's time of change and the submissions accepted
    in the web app. A staging is accepted only onto the records it was staged beside."""
    live = database_path(project)
    changed = live.stat().st_mtime_ns if live.exists() else 0
    return json.dumps([changed, [f for f, _ in uploaded_submissions(project)]])


def staging_folder(project: Project, token: str) -> Path:
    return project.folder / STAGING / token


def kept_name(name: str, submitted: dt.date) -> str:
    """The name the submission is kept under: its own if it says when it was sent, else the
    name with the day given (`..._2025-05-11.csv`), so every later load can tell."""
    if submitted_in_name(name):
        return name
    path = Path(name)
    return f"{path.stem}_{submitted.isoformat()}{path.suffix}"


def name_problems(project: Project, name: str) -> list[Problem]:
    """A file that is not CSV or XLSX, or has the name of a submission already kept."""
    if Path(name).suffix.lower() not in SUFFIXES:
        return [
            Problem(
                file=name,
                what="is not a CSV or XLSX file",
                fix="save the submission as CSV or XLSX, as it is sent to the Department",
            )
        ]
    if name in accepted_names(project):
        return [
            Problem(
                file=name,
                what="a submission of this name was accepted already",
                fix="a resubmission needs a name of its own: end it with the day it was sent",
            )
        ]
    return []


def accepted_names(project: Project) -> set[str]:
    """The names of the submissions the project holds: its own files (`records: files:`) and
    those accepted in the web app."""
    own = [(f.file, f.submitted) for f in project.records.files] if project.records else []
    try:
        found = find_submissions(project.folder, own)
    except BoardpackError:  # a file named but missing: the load itself says so
        found = []
    return {s.path.name for s in found} | {Path(f).name for f, _ in uploaded_submissions(project)}


def stage(project: Project, upload: Path, name: str, submitted: dt.date) -> Staged:
    """Load `upload` (kept as `name`) with the project's other submissions into a staging
    database: all or nothing, problems raised as `BoardpackError`. The file is refused first if
    reading it would cost more than the limits allow (`sources.safety`)."""
    limits = safety.Limits.from_env()
    safety.check_file(upload, name, limits=limits)
    discard_abandoned(project)
    token = secrets.token_urlsafe(12)
    before = basis(project)
    folder = staging_folder(project, token)
    folder.mkdir(parents=True)
    try:
        staged_file = folder / name
        shutil.copyfile(upload, staged_file)
        arguments = (project, str(folder), name, submitted, token, f"{limits.memory_mb // 2}MB")
        wider = dataclasses.replace(limits, memory_mb=limits.memory_mb + DUCKDB_RESERVED_MB)
        staged = isolated(stage_here, arguments, name=name, limits=wider, setup=setup)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    staged.basis = before
    (folder / FOUND).write_text(json.dumps(_as_json(staged)), encoding="utf-8")
    return staged


def stage_here(
    project: Project, folder: str, name: str, submitted: dt.date, token: str, memory: str
) -> Staged:
    """The staging itself, in the child process, DuckDB using at most `memory`. The day the
    file's name says it was sent wins over `submitted` (the form's), as every later load of the
    kept file reads it from the name."""
    here = Path(folder)
    submitted = submitted_in_name(name) or submitted
    shown = str(UPLOADED / name)
    submission = Submission(here / name, shown, submitted)
    database = here / STAGED
    loaded = load_records(project, extra=[submission], target=database, memory_limit=memory)
    report = quality_report(project, database).filter(file=shown)
    computed = records_observations(project, database, memory_limit=memory)
    observations = frames.observation_records(computed)
    summary = read_records_quality(project, database)
    return Staged(
        token,
        name,
        str(loaded),
        json.loads(report.write_json()),
        observations,
        json.loads(summary.write_json()),
    )


def staged(project: Project, token: str) -> Staged | None:
    """The staging `token` names, if it is still there."""
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    found = staging_folder(project, token) / FOUND
    if not found.exists():
        return None
    return _from_json(json.loads(found.read_text(encoding="utf-8")))


def discard_abandoned(project: Project) -> None:
    """Delete the stagings last changed more than `ABANDONED` ago."""
    folder = project.folder / STAGING
    oldest = (dt.datetime.now() - ABANDONED).timestamp()
    for staging in folder.iterdir() if folder.exists() else ():
        if staging.stat().st_mtime < oldest:
            shutil.rmtree(staging, ignore_errors=True)


def cancel(project: Project, token: str) -> None:
    """Discard the staging `token` names (nothing else changes)."""
    if staged(project, token) is not None:
        shutil.rmtree(staging_folder(project, token), ignore_errors=True)


def effects(organisation, found: Staged) -> dict[str, list[str]]:
    """What accepting `found` would do to figures already decided on, as the Store stands:
    `sent back` (approved figures that change, which go back for review) and `restated`
    (figures of published periods that change), each as "REF period"."""
    records = [_dated(r) for r in found.observations]
    names = ("withdrawn", *Observation.KEY, *Observation.compared_names())
    rows = Observation.objects.as_at().filter(
        organisation=organisation, indicator__in={r["indicator"] for r in records}
    )
    standing = {tuple(row[k] for k in Observation.KEY): row for row in rows.values(*names)}
    changed = []
    for record in records:
        old = standing.get(tuple(record[k] for k in Observation.KEY))
        if old is None or old["withdrawn"] or _differs(old, record):
            changed.append(record)
    return _decided(_standings(organisation, changed))


def _differs(old: dict, new: dict) -> bool:
    for name in Observation.compared_names():
        before, after = old[name], new.get(name)
        if isinstance(before, float) or isinstance(after, float):
            if before is None or after is None or float(before) != float(after):
                return True
        elif before != after:
            return True
    return False


def _standings(organisation, figures) -> list[figure_rules.Standing]:
    """Where each figure (a record or a saved Observation) stands in the reporting cycle."""
    names = ("indicator", "period", "period_start", "period_end")
    spans = {tuple(f[n] if isinstance(f, dict) else getattr(f, n) for n in names) for f in figures}
    return figure_rules.standings(organisation, sorted(spans))


def _decided(standings: list[figure_rules.Standing]) -> dict[str, list[str]]:
    back = {f"{s.ref} {s.label}" for s in standings if s.approved and not s.published}
    restated = {f"{s.ref} {s.label}" for s in standings if s.published}
    return {"sent back": sorted(back), "restated": sorted(restated)}


def accept(project: Project, organisation, found: Staged, user) -> dict:
    """Save the staged figures as new versions in the Store, keep the submission and put the
    staged database in place, in one transaction: counts of new, changed, unchanged figures,
    and the figures `sent back` for review and `restated` (`figure_rules`). `Outdated` (and
    the staging discarded) if the live records changed since it was staged."""
    folder = found.folder(project)
    if basis(project) != found.basis:
        shutil.rmtree(folder, ignore_errors=True)
        raise Outdated(
            Problem(
                file=found.name,
                what="another submission was accepted after this one was checked, so its "
                "figures would leave that one out",
                fix="upload the file again to check it beside the records as they are now",
            )
        )
    reason = f"accepted records submission {found.name}"
    with transaction.atomic():
        done = revise(
            Observation,
            organisation,
            _positioned(organisation, [_dated(r) for r in found.observations]),
            user=user,
            reason=reason,
            withdraw_missing=False,
        )
        quality = [{"name": "records_quality", "rows": found.records_quality}]
        revise(ReportTable, organisation, quality, user=user, reason=reason, withdraw_missing=False)
        counts = {"new": done.created, "changed": done.revised, "unchanged": done.unchanged}
        touched = _standings(organisation, done.rows)
        decided = _decided(touched)
        figure_rules.send_back(touched, user, f"changed by records after approval ({reason})")
        counts.update(decided)
        audit.record(
            "accepted",
            "records submission",
            found.name,
            user=user,
            organisation=organisation,
            after={**counts, "loaded": found.loaded},
            reason=reason,
        )
        _put_in_place(project, folder, found.name)
    shutil.rmtree(folder, ignore_errors=True)
    return counts


def _put_in_place(project: Project, folder: Path, name: str) -> None:
    kept = project.folder / UPLOADED
    kept.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / name, kept / name)
    try:
        os.replace(folder / STAGED, database_path(project))
    except OSError as failed:
        (kept / name).unlink(missing_ok=True)
        raise BoardpackError(
            Problem(file=name, what=f"could not replace the records database ({failed})")
        ) from failed


def _positioned(organisation, records: list[dict]) -> list[dict]:
    """Stored figures keep their place in the Dataset's order; new ones go after the rest."""
    keys = ("indicator", "area", "period")
    standing = {
        o.key(): o.position
        for o in Observation.objects.as_at().filter(
            organisation=organisation, indicator__in={r["indicator"] for r in records}
        )
    }
    last = Observation.objects.filter(organisation=organisation).aggregate(n=Max("position"))["n"]
    after = (last if last is not None else -1) + 1
    placed = []
    for record in records:
        position = standing.get(tuple(record[k] for k in keys))
        if position is None:
            position, after = after, after + 1
        placed.append({**record, "position": position})
    return placed


def _as_json(found: Staged) -> dict:
    observations = [
        {k: (v.isoformat() if k in DATES and v else v) for k, v in r.items()}
        for r in found.observations
    ]
    return {**found.__dict__, "observations": observations}


def _dated(record: dict) -> dict:
    return {
        k: (dt.date.fromisoformat(v) if k in DATES and isinstance(v, str) else v)
        for k, v in record.items()
    }


def _from_json(data: dict) -> Staged:
    return Staged(**data)
