"""An indicator's page: its chart, every figure with its versions, the commentary history,
the review discussion, and who owns it."""

from __future__ import annotations

from functools import partial
from itertools import groupby

from django.http import Http404
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import path
from markupsafe import Markup

from .. import access
from ..live import Live, live
from ..records.models import Assignment, Commentary, Discussion, Indicator, Observation
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


def main_part(organisation, current: Live, entry: Indicator) -> Markup:
    """The page below its heading, the same for every user: rendered once per evaluation."""
    definition = entry.entry()
    context = {
        "entry": entry,
        "definition": definition,
        "chart": current.chart(entry.ref),
        "figures": figure_history(organisation, entry.ref),
        "commentary": commentary_history(organisation, entry.ref),
        "discussion": Discussion.objects.filter(
            period__organisation=organisation, indicator=entry.ref
        )
        .select_related("author", "period")
        .order_by("-at", "-id"),
        "assigned": owners(organisation, entry),
    }
    return Markup(get_template("boardpack/indicator-main.html").render(context))


def keep_main_parts(organisation, current: Live, still_wanted) -> int:
    """Every indicator page's main part, made ahead of its first view; how many were made."""
    made = 0
    for entry in Indicator.objects.current().filter(organisation=organisation).order_by("ref"):
        if not still_wanted():
            break
        # kept() calls each maker at once, while `entry` is still this indicator's
        current.kept(("entry", entry.ref), lambda: entry, ahead=True)  # noqa: B023
        main = partial(main_part, organisation, current, entry)
        current.kept(("indicator", entry.ref), main, ahead=True)
        made += 1
    return made


@access.permission("view_indicator")
def indicator_page(request, ref: str):
    organisation = find_organisation()
    current = live(organisation, reader=request.user)
    entry = current.kept(("entry", ref), lambda: catalogue_entry(organisation, ref))
    context = {
        "organisation": organisation,
        "entry": entry,
        "main": current.kept(("indicator", ref), lambda: main_part(organisation, current, entry)),
        "may_edit": access.may(request.user, "change", access.figure(organisation, ref)),
    }
    return render(request, "boardpack/indicator.html", context)


urlpatterns = [path("indicators/<ref:ref>/", indicator_page, name="indicator")]
