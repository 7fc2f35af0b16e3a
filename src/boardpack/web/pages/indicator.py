"""An indicator's page: its chart, every figure with its versions, the commentary history,
the review discussion, and who owns it."""

from __future__ import annotations

from itertools import groupby

import polars as pl
from django.http import Http404
from django.shortcuts import render
from django.urls import path

from boardpack.pack.charts import indicator_chart_svg

from .. import access
from ..live import live
from ..records.models import Assignment, Commentary, Discussion, Indicator, Observation
from ..records.roles import OWNER
from ..store import find_organisation


def catalogue_entry(organisation, ref: str):
    found = Indicator.objects.current().filter(organisation=organisation, ref=ref).first()
    if found is None:
        raise Http404(f"no indicator {ref} in the catalogue")
    return found


def figure_history(organisation, ref: str) -> list[dict]:
    """Per area and period, newest period first: the current version and every earlier one."""
    versions = (
        Observation.objects.filter(organisation=organisation, indicator=ref)
        .select_related("saved_by")
        .order_by("-end_month", "area", "-version")
    )
    return [
        {"period": period, "area": area, "current": rows[0], "earlier": rows[1:]}
        for (period, area), found in groupby(versions, key=lambda o: (o.period, o.area))
        for rows in [list(found)]
    ]


def commentary_history(organisation, ref: str) -> list[Commentary]:
    return list(
        Commentary.objects.filter(organisation=organisation, indicator=ref)
        .select_related("saved_by")
        .order_by("-valid_from", "-id")
    )


def owners(organisation, entry: Indicator) -> list[str]:
    assigned = Assignment.objects.filter(organisation=organisation).select_related("user")
    names = {
        a.user.get_full_name() or a.user.get_username()
        for a in assigned
        if a.indicator == entry.ref or a.team in (entry.division, entry.directorate)
    }
    return sorted(names)


def chart(organisation, entry: Indicator) -> str:
    current = live(organisation)
    code = current.dataset.project.organisation.code

    def make() -> str:
        rows = current.evaluated.results.filter(
            (pl.col("indicator").cast(pl.String) == entry.ref)
            & (pl.col("organisation").cast(pl.String) == code)
        ).sort("end_month")
        return str(indicator_chart_svg(rows.tail(24), entry.entry()))

    return current.chart(entry.ref, make)


@access.requires(OWNER)
def indicator_page(request, ref: str):
    organisation = find_organisation()
    entry = catalogue_entry(organisation, ref)
    context = {
        "organisation": organisation,
        "entry": entry,
        "definition": entry.entry(),
        "chart": chart(organisation, entry),
        "figures": figure_history(organisation, ref),
        "commentary": commentary_history(organisation, ref),
        "discussion": Discussion.objects.filter(period__organisation=organisation, indicator=ref)
        .select_related("author", "period")
        .order_by("-at", "-id"),
        "assigned": owners(organisation, entry),
        "may_edit": access.may_edit(request.user, organisation, ref),
    }
    return render(request, "boardpack/indicator.html", context)


urlpatterns = [path("indicators/<ref:ref>/", indicator_page, name="indicator")]
