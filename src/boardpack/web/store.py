"""The bridge between project files, the Store and the Dataset.

`import_project` loads a project's files (checked in full by `read_project` first) into the
Store in one transaction, making new versions only where something changed.
`dataset_from_store` builds the very Dataset `load_project` builds, from the Store as it
stands or as it stood at any time, so packs from the database use the same engine and
templates. `restatements` lists figures revised since a pack was published.
Call `boardpack.web.setup()` before using these outside Django.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from boardpack import collector
from boardpack.dataset import Dataset
from boardpack.dataset.schema import REVISIONS
from boardpack.engine.formatting import format_value
from boardpack.errors import NotFound
from boardpack.periods import parse_period
from boardpack.sources import make_dataset, read_project
from boardpack.sources.catalogue import override_frame

from . import frames, panel_notes
from .records import audit
from .records.changes import Revision, revise
from .records.models import (
    Commentary,
    Indicator,
    NationalTable,
    Observation,
    Organisation,
    ProjectConfig,
    PublishedFile,
    PublishedPack,
    RatingOverride,
    ReportingPeriod,
    ReportTable,
    Target,
)

DEFAULT_REASON = "imported from project files"


class StoreError(NotFound):
    """Nothing in the Store answers the question asked (no organisation, nothing imported)."""


# --- import ------------------------------------------------------------------------------


def import_project(
    project_dir, user=None, reason: str = DEFAULT_REASON, at=None
) -> dict[str, Revision]:
    """Load a project folder into the Store: all or nothing.

    Every file is checked first (problems raised together, as `boardpack validate` reports
    them); then one transaction makes a new version of each record that is new or changed and
    withdraws those no longer in the files. Returns what changed, by kind of record. Python's
    cyclic collector waits until it is done (`collector`): nothing made here forms a cycle
    that matters while it runs, and its collections would walk every value read again."""
    with collector.paused():
        return _import(project_dir, user, reason, at)


def _import(project_dir, user, reason: str, at) -> dict[str, Revision]:
    files = read_project(project_dir)  # the Dataset's resolved targets are not stored
    project = files.project
    parts = {
        ProjectConfig: [frames.config_record(project)],
        Indicator: frames.indicator_records(project, Indicator.columns),
        Target: frames.target_records(project),
        Observation: frames.observation_table(files.observations),
        Commentary: frames.commentary_records(files.commentary),
        RatingOverride: frames.override_records(override_frame(project)),
        ReportTable: frames.report_records(files.report, files.revisions),
        NationalTable: frames.national_records(files.national),
    }
    at = at or timezone.now()
    with transaction.atomic():
        organisation = _organisation_for(project.organisation, user, at)
        done = {
            model._meta.model_name: revise(
                model, organisation, records, user=user, reason=reason, at=at
            )
            for model, records in parts.items()
        }
        audit.record(
            "imported",
            "project",
            str(project_dir),
            user=user,
            organisation=organisation,
            after={kind: _counts(r) for kind, r in done.items()},
            reason=reason,
            at=at,
        )
    return done


def _counts(revision: Revision) -> dict:
    return {
        "created": revision.created,
        "revised": revision.revised,
        "withdrawn": revision.withdrawn,
        "unchanged": revision.unchanged,
    }


def _organisation_for(entry, user, at) -> Organisation:
    fields = {"name": entry.name, "directorate": entry.directorate or ""}
    organisation = Organisation.objects.select_for_update().filter(code=entry.code).first()
    if organisation is None:
        organisation = Organisation.objects.create(code=entry.code, **fields)
        audit.record(
            "created",
            "organisation",
            entry.code,
            user=user,
            after=fields,
            at=at,
            organisation=organisation,
        )
    return organisation


# --- the Dataset from the Store ------------------------------------------------------------


def find_organisation(code=None) -> Organisation:
    """An organisation by code; when no code is given, the one the server serves
    (`BOARDPACK_ORGANISATION`), else the only one."""
    if isinstance(code, Organisation):
        return code
    code = code or settings.BOARDPACK_ORGANISATION
    if code:
        found = Organisation.objects.filter(code__iexact=code).first()
        if found is None:
            raise StoreError(f'no organisation "{code}" in the database; known: {_codes()}')
        return found
    known = list(Organisation.objects.all()[:2])
    if len(known) != 1:
        raise StoreError(
            "the database holds no organisation yet; run boardpack import first"
            if not known
            else f"the database holds several organisations ({_codes()}); name one"
        )
    return known[0]


def _codes() -> str:
    return ", ".join(Organisation.objects.values_list("code", flat=True)) or "none"


def dataset_from_store(organisation=None, as_at=None) -> Dataset:
    """The Dataset as the Store holds it now, or as it stood at `as_at`: the same frames,
    columns and order `load_project` gives for the files imported."""
    org = find_organisation(organisation)
    config = ProjectConfig.objects.current(as_at).filter(organisation=org).first()
    if config is None:
        when = f" as at {as_at:%d %b %Y %H:%M}" if as_at else ""
        raise StoreError(f"nothing was imported for {org.code}{when}")
    project = frames.project_from(
        config,
        _current(Indicator, org, as_at),
        _current(Target, org, as_at),
        _current(RatingOverride, org, as_at),
    )
    observations = frames.observation_frame(
        Observation.objects.current(as_at)
        .filter(organisation=org)
        .order_by("position", "id")
        .values_list(*frames.OBSERVATION_COLUMNS)
    )
    written = (
        Commentary.objects.current(as_at)
        .filter(organisation=org)
        .order_by("position", "id")
        .values_list("indicator", "period", "section", "markdown")
    )
    commentary = frames.commentary_frame(
        panel_notes.with_notes(list(written), panel_notes.recorded(org, as_at))
    )
    reports = {
        t.name: frames.report_frame(t.name, t.rows) for t in _current(ReportTable, org, as_at)
    }
    national = frames.publication_from(_current(NationalTable, org, as_at))
    revisions = pl.concat(
        [reports.pop("revisions", REVISIONS.empty()), _revised_in_store(org, as_at)]
    )
    return make_dataset(project, observations, commentary, reports, national, revisions)


def _revised_in_store(org, as_at) -> pl.DataFrame:
    """Figures revised by later imports or edits, from the observations' versions (by
    `as_at`, when given)."""
    versions = Observation.objects.filter(organisation=org)
    if as_at is not None:
        versions = versions.filter(valid_from__lte=as_at)
    return frames.revision_frame(versions.values_list(*frames.REVISION_HISTORY))


def _current(model, org, as_at) -> list:
    return list(model.objects.current(as_at).filter(organisation=org))


# --- packs ---------------------------------------------------------------------------------


def build_from_store(
    out,
    period: str | None = None,
    layout: str = "quarterly-report",
    organisation=None,
    as_at=None,
    report_organisation: str | None = None,
    restated_since=None,
    formats: tuple[str, ...] = ("html",),
) -> tuple[str, Path]:
    """Build a period pack from the Store (as `boardpack build` does from files): returns what
    was built ("for Q2 2025/26") and the index page. `report_organisation` is the area code to
    report on when the data hold several; with `restated_since` (when the last pack was built)
    the pack lists the figures revised since then."""
    from boardpack.api import build_pack
    from boardpack.assemble import latest_period

    dataset = dataset_from_store(organisation, as_at)
    chosen = parse_period(period, "quarterly") if period else latest_period(dataset)
    revised = []
    if restated_since is not None:
        org = find_organisation(organisation)
        revised = restatements(chosen.label, restated_since, org, as_at)
    built = build_pack(
        dataset,
        period=chosen.label,
        layout=layout,
        out=out,
        organisation=report_organisation,
        restatements=revised,
        formats=formats,
    )
    return built.what, built.index


def build_pack_files(period: ReportingPeriod, layout: str, as_at, out) -> None:
    """Write the period's pack in `layout` into folder `out`, from the Store as at `as_at`, with
    the figures revised since the organisation's last published pack as restatements."""
    last = last_published(period.organisation, before=as_at)
    build_from_store(
        out,
        period.label,
        layout,
        period.organisation,
        as_at,
        restated_since=last.as_at if last else None,
    )


def publish_pack(
    period: ReportingPeriod, layout: str = "quarterly-report", user=None, as_at=None, ready=None
) -> PublishedPack:
    """Build the period's pack from the Store as at now (or `as_at`) and freeze its files:
    later revisions never change it. Figures revised since the organisation's last published
    pack are listed in it as restatements. `ready`: the pack prepared ahead
    (`prepared.Prepared`) for the Store as it stands, kept instead of building it again."""
    if ready is not None:
        files, as_at = ready.files, ready.as_at
    else:
        as_at = as_at or timezone.now()
        with tempfile.TemporaryDirectory() as folder:
            build_pack_files(period, layout, as_at, folder)
            files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in _files(Path(folder))}
    with transaction.atomic():
        pack = PublishedPack.objects.create(
            period=period, layout=layout, as_at=as_at, published_by=user
        )
        PublishedFile.objects.bulk_create(
            PublishedFile(pack=pack, path=path, content=content) for path, content in files.items()
        )
        ReportingPeriod.objects.filter(pk=period.pk).update(status=ReportingPeriod.Status.PUBLISHED)
        audit.record(
            "published",
            "pack",
            f"{period.label} {layout}",
            user=user,
            organisation=period.organisation,
            after={"files": len(files), "as_at": as_at.isoformat()},
        )
    return pack


#: The documents a published pack is offered in besides its pages, by format: the words the
#: pages use for each. Each is made from the Store as at the pack's time, so it holds the very
#: figures of the pack's pages.
DOCUMENTS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel"}


def document_path(name: str) -> str:
    """Where a pack keeps its document in format `name` among its files."""
    from boardpack.documents import output_formats

    return f"documents/{output_formats()[name].filename}"


def pack_documents(pack: PublishedPack, names=tuple(DOCUMENTS)) -> dict[str, PublishedFile]:
    """The pack's documents in the formats `names` (of `DOCUMENTS`, by default all), making
    those not made yet: built from the Store as
    at the pack's time, with the restatements since the pack before it, and kept with its
    files (frozen like them). Safe to call from two places at once: the second keeps the
    first's."""
    wanted = {name: document_path(name) for name in names}
    made = {f.path: f for f in pack.files.filter(path__in=wanted.values())}
    missing = [name for name, path in wanted.items() if path not in made]
    if missing:
        earlier = last_published(pack.period.organisation, before=pack.as_at, besides=pack)
        with tempfile.TemporaryDirectory() as folder:
            build_from_store(
                folder,
                pack.period.label,
                pack.layout,
                pack.period.organisation,
                pack.as_at,
                restated_since=earlier.as_at if earlier else None,
                formats=tuple(missing),
            )
            for name in missing:
                content = (Path(folder) / wanted[name].split("/", 1)[1]).read_bytes()
                made[wanted[name]] = _kept(pack, wanted[name], content)
    return {name: made[path] for name, path in wanted.items()}


def _kept(pack: PublishedPack, path: str, content: bytes) -> PublishedFile:
    try:
        with transaction.atomic():
            return PublishedFile.objects.create(pack=pack, path=path, content=content)
    except IntegrityError:  # made by another request meanwhile: the same figures
        return pack.files.get(path=path)


def last_published(organisation, before=None, besides=None) -> PublishedPack | None:
    """The organisation's pack published last (built as at `before` or earlier), other than
    `besides`."""
    packs = PublishedPack.objects.filter(period__organisation=organisation)
    if besides is not None:
        packs = packs.exclude(pk=besides.pk)
    if before is not None:
        packs = packs.filter(as_at__lte=before)
    return packs.order_by("-as_at", "-id").first()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# --- restatements --------------------------------------------------------------------------


@dataclass(frozen=True)
class Restatement:
    indicator: str
    area: str
    period: str
    before: float | None
    after: float | None
    revised_at: object
    revised_by: str
    reason: str
    text: str


KEYS = ["indicator", "area", "period"]


def restatements(period, published_at, organisation=None, as_at=None) -> list[Restatement]:
    """Figures for periods up to `period` (a label or a ReportingPeriod) whose value changed
    after `published_at` (and by `as_at`, now when None), for the next pack: "Q1 2024/25
    figure revised from 2,501 to 2,725"."""
    org = find_organisation(getattr(period, "organisation", None) or organisation)
    label = getattr(period, "label", period)
    end_month = parse_period(label).end_month
    was = _values(Observation.objects.as_at(published_at), org, end_month)
    now = _values(Observation.objects.as_at(as_at), org, end_month)
    changed = was.join(now, on=KEYS, suffix="_now").filter(
        (pl.col("version") != pl.col("version_now"))
        & pl.col("value").ne_missing(pl.col("value_now"))
    )
    units = _units(org)
    return [_restatement(row, units) for row in changed.sort("end_month", "indicator").to_dicts()]


def _values(rows, org, end_month: int) -> pl.DataFrame:
    chosen = rows.filter(organisation=org, end_month__lte=end_month).values_list(
        *KEYS,
        "end_month",
        "version",
        "value",
        "withdrawn",
        "valid_from",
        "saved_by__username",
        "reason",
        "saved_by__first_name",
        "saved_by__last_name",
    )
    schema = {
        **dict.fromkeys(KEYS, pl.String),
        "end_month": pl.Int32,
        "version": pl.Int64,
        "value": pl.Float64,
        "withdrawn": pl.Boolean,
        "valid_from": pl.Datetime("us", "UTC"),
        "saved_by": pl.String,
        "reason": pl.String,
        "first_name": pl.String,
        "last_name": pl.String,
    }
    frame = pl.DataFrame(list(chosen), schema=schema, orient="row")
    full_name = pl.concat_str("first_name", "last_name", separator=" ").str.strip_chars()
    return frame.with_columns(
        pl.when(pl.col("withdrawn")).then(None).otherwise(pl.col("value")).alias("value"),
        pl.when(full_name != "").then(full_name).otherwise(pl.col("saved_by")).alias("saved_by"),
    ).drop("first_name", "last_name")


def _units(org) -> dict[str, tuple[int, str]]:
    entries = Indicator.objects.current().filter(organisation=org)
    return {e.ref: (e.definition.get("decimals") or 0, e.definition.get("unit")) for e in entries}


def _restatement(row: dict, units: dict) -> Restatement:
    decimals, unit = units.get(row["indicator"], (0, None))
    label = row["period"]
    before, after = (
        format_value(row[k], decimals, unit) or "no figure" for k in ("value", "value_now")
    )
    return Restatement(
        indicator=row["indicator"],
        area=row["area"],
        period=row["period"],
        before=row["value"],
        after=row["value_now"],
        revised_at=row["valid_from_now"],
        revised_by=row["saved_by_now"] or "an import",
        reason=row["reason_now"] or "",
        text=f"{label} figure revised from {before} to {after}",
    )
