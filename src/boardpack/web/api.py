"""The read API, at /api/: the catalogue, figures and their versions, evaluated results,
reporting periods and published packs as JSON, described by an OpenAPI document
(/api/openapi.json, browsable at /api/docs).

Callers send `Authorization: Bearer <token>` (tokens are made on the API tokens page); a
browser signed in to Boardpack may call it too. The roles are the pages' own: viewers read
published packs and periods; owners, performance officers and administrators also read the
catalogue, figures and results. Every refusal and every bad question is answered with JSON
`{"detail": "..."}` saying what was wrong and how to put it right.
"""

from __future__ import annotations

import datetime as dt
import mimetypes

import polars as pl
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from boardpack.periods import PeriodError, parse_period

from . import access, paging, tokens
from .live import chosen_period, live
from .paging import Paging, page
from .records.models import (
    Indicator,
    Observation,
    PublishedFile,
    PublishedPack,
    ReportingPeriod,
    Target,
)
from .store import StoreError, find_organisation

SIGN_IN = (
    "Send the header Authorization: Bearer <token> with a token from the API tokens page "
    "(/tokens/), or sign in to Boardpack in this browser"
)


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: the token's holder, if the token is live."""

    def authenticate(self, request, token: str):
        return tokens.authenticate(token)


api = NinjaAPI(
    title="Boardpack read API",
    version="1",
    description=__doc__,
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


# --- answers -------------------------------------------------------------------------------


class Message(Schema):
    detail: str


class Owners(Schema):
    cabinet_member: str | None
    director: str | None
    portfolio: str | None
    division: str | None
    lead_officer: str | None


class IndicatorOut(Schema):
    ref: str
    title: str
    polarity: str
    unit: str
    frequency: str
    tier: str | None
    directorate: str | None
    perspective: str | None
    owners: Owners


class TargetOut(Schema):
    period: str | None
    from_date: dt.date | None
    target: float
    floor: float | None
    band: float | None
    tolerance: float | None


class IndicatorDetail(IndicatorOut):
    definition: str | None
    decimals: int | None
    measurement: str
    data_source: str | None
    numerator_label: str | None
    denominator_label: str | None
    rating_scheme: str | None
    targets: list[TargetOut]


class ObservationOut(Schema):
    indicator: str
    area: str
    period: str
    period_start: dt.date
    period_end: dt.date
    value: float | None
    numerator: float | None
    denominator: float | None
    status: str | None
    note: str | None
    version: int
    valid_from: dt.datetime


class ObservationVersion(ObservationOut):
    withdrawn: bool
    saved_by: str | None
    reason: str

    @staticmethod
    def resolve_saved_by(version) -> str | None:
        return version.saved_by.get_username() if version.saved_by_id else None


class ResultOut(Schema):
    indicator: str
    title: str | None
    period: str
    period_end: dt.date
    due: bool | None
    reported: bool | None
    value: float | None
    value_text: str | None
    target: float | None
    target_text: str | None
    floor: float | None
    variance: float | None
    variance_pct: float | None
    rag: str | None
    rag_reason: str | None
    rag_manual: bool | None
    previous_period: str | None
    previous_value: float | None
    previous_rag: str | None
    direction: str | None
    direction_vs_last_year: str | None
    status: str | None
    call_in_reason: str | None
    tier: str | None
    directorate: str | None
    perspective: str | None


class ResultsOut(Schema):
    period: str
    period_end: dt.date
    rows: list[ResultOut]


class PeriodOut(Schema):
    label: str
    status: str
    deadline: dt.datetime | None
    opened_at: dt.datetime


class PackOut(Schema):
    id: int
    period: str
    layout: str
    as_at: dt.datetime
    published_at: dt.datetime
    files: list[str]


#: The refusals every operation may give, for the OpenAPI document.
REFUSALS = {401: Message, 403: Message}
LOOKUPS = {**REFUSALS, 404: Message}
QUESTIONS = {**LOOKUPS, 400: Message}


# --- refusals and bad questions ---------------------------------------------------------------


@api.exception_handler(AuthenticationError)
def unauthenticated(request, error):
    answer = api.create_response(request, {"detail": f"Not signed in. {SIGN_IN}."}, status=401)
    answer["WWW-Authenticate"] = 'Bearer realm="boardpack"'
    return answer


@api.exception_handler(PeriodError)
def unreadable_period(request, error):
    return api.create_response(request, {"detail": str(error)}, status=400)


@api.exception_handler(StoreError)
def nothing_stored(request, error):
    return api.create_response(request, {"detail": str(error)}, status=404)


@api.exception_handler(ValidationError)
def bad_parameter(request, error):
    """Unreadable parameters (a date that is not one) as 400 with what and where."""
    found = "; ".join(
        f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in error.errors
    )
    how = (
        "dates as 2025-09-30 and times as 2025-10-01T09:00:00, and pages as limit "
        f"(1 to {paging.MAX_LIMIT}) and offset (0 or more)"
    )
    return api.create_response(request, {"detail": f"{found}. Give {how}."}, status=400)


def user_with(request, codename: str):
    """The caller, if they hold permission `boardpack.<codename>` and act for the organisation
    served; else a 403 saying what their role does not allow."""
    user = request.auth
    try:
        access.check(user, codename)
    except access.Refused as refused:
        held = access.role(user) or "no role"
        if refused.elsewhere:
            why = f"Your token's user acts for another organisation, not {served_name()}"
        else:
            why = f"Your role does not allow you to {access.permission_name(codename)}"
        may = [f"{role}s" for role in access.roles_holding(codename)]
        who = " and ".join(filter(None, [", ".join(may[:-1]), may[-1]]))
        raise HttpError(
            403, f"{why} (your role: {held}); {who} may: ask an administrator for such a role"
        ) from None
    return user


def served_name() -> str:
    try:
        return find_organisation().name
    except StoreError:
        return "the one served"


def unknown_indicator(ref: str) -> HttpError:
    return HttpError(
        404, f'No indicator "{ref}" in the catalogue; GET /api/indicators lists the references'
    )


def catalogue_entry(organisation, ref: str) -> Indicator:
    found = Indicator.objects.current().filter(organisation=organisation, ref=ref).first()
    if found is None:
        raise unknown_indicator(ref)
    return found


def as_of(when: dt.datetime | None) -> dt.datetime | None:
    """A time given without a zone is taken as UK time (the app's zone)."""
    if when is not None and timezone.is_naive(when):
        return timezone.make_aware(when)
    return when


# --- the catalogue ---------------------------------------------------------------------------


def indicator_out(record: Indicator, organisation) -> dict:
    """A catalogue entry as the API gives it, with the organisation's default directorate."""
    entry = record.entry()
    fields = entry.model_dump(exclude={"targets", "chart", "tags"})
    return {
        **fields,
        "directorate": entry.directorate or organisation.directorate or None,
        "owners": entry.owners.model_dump(),
    }


@api.get(
    "/indicators",
    response={200: list[IndicatorOut], **QUESTIONS},
    tags=["catalogue"],
    description=f"Every indicator in the catalogue, in catalogue order. {paging.WORDS}",
    openapi_extra=paging.OPENAPI,
)
def indicators(request, response: HttpResponse, paged: Query[Paging]):
    user_with(request, "view_indicator")
    organisation = find_organisation()
    records = Indicator.objects.current().filter(organisation=organisation)
    shown = page(request, response, records.order_by("position", "id"), paged)
    return [indicator_out(r, organisation) for r in shown]


@api.get("/indicators/{path:ref}", response={200: IndicatorDetail, **LOOKUPS}, tags=["catalogue"])
def indicator(request, ref: str):
    """One indicator's catalogue entry with its targets."""
    user_with(request, "view_indicator")
    organisation = find_organisation()
    record = catalogue_entry(organisation, ref)
    targets = Target.objects.current().filter(organisation=organisation, indicator=ref)
    return {
        **indicator_out(record, organisation),
        "targets": list(targets.order_by("position", "id").values(*TargetOut.model_fields)),
    }


# --- figures ---------------------------------------------------------------------------------


@api.get(
    "/observations",
    response={200: list[ObservationOut], **QUESTIONS},
    tags=["figures"],
    description="The figures standing now, or as they stood at `as_at`: one indicator's "
    '(`indicator`), one period\'s (`period`, such as "Q2 2025/26" or "Sep 2025"), or all, in '
    f"the order they were imported. {paging.WORDS}",
    openapi_extra=paging.OPENAPI,
)
def observations(
    request,
    response: HttpResponse,
    paged: Query[Paging],
    indicator: str | None = None,
    period: str | None = None,
    as_at: dt.datetime | None = None,
):
    user_with(request, "view_indicator")
    organisation = find_organisation()
    figures = Observation.objects.current(as_of(as_at)).filter(organisation=organisation)
    if indicator:
        catalogue_entry(organisation, indicator)
        figures = figures.filter(indicator=indicator)
    if period:
        figures = figures.filter(period=parse_period(period).label)
    return page(request, response, figures.order_by("position", "id"), paged)


@api.get(
    "/observations/{path:indicator}/history",
    response={200: list[ObservationVersion], **QUESTIONS},
    tags=["figures"],
    description="Every version of every figure of one indicator, withdrawn ones included: by "
    f"period, area, then version. {paging.WORDS}",
    openapi_extra=paging.OPENAPI,
)
def observation_history(request, response: HttpResponse, indicator: str, paged: Query[Paging]):
    user_with(request, "view_observation")
    organisation = find_organisation()
    versions = (
        Observation.objects.filter(organisation=organisation, indicator=indicator)
        .select_related("saved_by")
        .order_by("end_month", "area", "version", "id")
    )
    known = Indicator.objects.filter(organisation=organisation, ref=indicator).exists()
    if not known and not versions.exists():
        raise unknown_indicator(indicator)
    return page(request, response, versions, paged)


# --- results ---------------------------------------------------------------------------------


@api.get("/results", response={200: ResultsOut, **QUESTIONS}, tags=["results"])
def results(request, period: str | None = None):
    """The evaluated rows of a period, one per indicator, as the dashboard and the pack rate
    them: `period` such as "Q2 2025/26"; by default the newest open reporting period, else the
    quarter holding the latest figure. Each row's own `period` is that of the figure shown
    (the latest at or before the period, for indicators not yet reported)."""
    user_with(request, "view_observation")
    organisation = find_organisation()
    current = live(organisation)
    chosen = chosen_period(organisation, current, period)
    rows = current.report(chosen).with_columns(pl.col(pl.Float64).fill_nan(None))
    return {
        "period": chosen.label,
        "period_end": chosen.end,
        "rows": rows.select(*ResultOut.model_fields).to_dicts(),
    }


# --- periods and packs -----------------------------------------------------------------------


@api.get(
    "/periods",
    response={200: list[PeriodOut], **QUESTIONS},
    tags=["packs"],
    description="The reporting periods, newest first. Viewers see the published ones only. "
    + paging.WORDS,
    openapi_extra=paging.OPENAPI,
)
def periods(request, response: HttpResponse, paged: Query[Paging]):
    user = user_with(request, "view_reportingperiod")
    found = ReportingPeriod.objects.restrict(user).filter(organisation=find_organisation())
    return page(request, response, found.order_by("-opened_at", "-id"), paged)


@api.get(
    "/packs",
    response={200: list[PackOut], **QUESTIONS},
    tags=["packs"],
    description="The published packs, newest first, each with the paths of its files. "
    + paging.WORDS,
    openapi_extra=paging.OPENAPI,
)
def packs(request, response: HttpResponse, paged: Query[Paging]):
    user = user_with(request, "view_publishedpack")
    found = page(
        request,
        response,
        PublishedPack.objects.restrict(user)
        .filter(period__organisation=find_organisation())
        .select_related("period")
        .order_by("-published_at", "-id"),
        paged,
    )
    paths: dict[int, list[str]] = {p.pk: [] for p in found}
    for pack_id, file_path in (
        PublishedFile.objects.filter(pack__in=found).order_by("path").values_list("pack", "path")
    ):
        paths[pack_id].append(file_path)
    return [
        {
            "id": p.pk,
            "period": p.period.label,
            "layout": p.layout,
            "as_at": p.as_at,
            "published_at": p.published_at,
            "files": paths[p.pk],
        }
        for p in found
    ]


@api.get(
    "/packs/{int:pack_id}/files/{path:file_path}",
    response=LOOKUPS,
    tags=["packs"],
    openapi_extra={
        "responses": {200: {"description": "The file's bytes as published", "content": {"*/*": {}}}}
    },
)
def pack_file(request, pack_id: int, file_path: str):
    """One file of a published pack, byte for byte (`index.html`, `indicators/adm1.html`...)."""
    user = user_with(request, "view_publishedfile")
    found = (
        PublishedFile.objects.restrict(user)
        .filter(pack_id=pack_id, pack__period__organisation=find_organisation(), path=file_path)
        .first()
    )
    if found is None:
        raise HttpError(
            404,
            f'Pack {pack_id} has no file "{file_path}"; GET /api/packs lists the packs '
            "and their files",
        )
    kind = mimetypes.guess_type(file_path)[0] or "application/octet-stream"
    return HttpResponse(found.data(), content_type=kind)


urlpatterns = [path("api/", api.urls)]
