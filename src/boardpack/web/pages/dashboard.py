"""The dashboard: ratings counted by directorate, tier and perspective for a period (filtered
by any of them), the call-in list, and what changed since the previous period."""

from __future__ import annotations

import polars as pl
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import path
from markupsafe import Markup

from boardpack.catalogue.models import RAGS
from boardpack.periods import Period, PeriodError

from .. import access
from ..live import Live, chosen_period, live
from ..records.models import ReportingPeriod
from ..store import find_organisation

GROUPINGS = {"directorate": "Directorate", "tier": "Tier", "perspective": "Perspective"}


def filtered(rows: pl.DataFrame, choices: dict[str, str]) -> pl.DataFrame:
    for column, value in choices.items():
        rows = rows.filter(pl.col(column).cast(pl.String) == value)
    return rows


def counts(rows: pl.DataFrame, by: str) -> list[dict]:
    """Per group: how many indicators are due and the count of each rating."""
    due = rows.filter(pl.col("due"))
    if due.is_empty():
        return []
    table = (
        due.with_columns(pl.col(by).cast(pl.String).fill_null("Not set"))
        .group_by(by)
        .agg(
            pl.len().alias("due"),
            *(
                (pl.col("rag").cast(pl.String).fill_null("no_status") == r).sum().alias(r)
                for r in RAGS
            ),
        )
        .sort(by)
    )
    return table.rename({by: "group"}).to_dicts()


def changes(rows: pl.DataFrame) -> list[dict]:
    """Indicators whose rating moved since the previous period."""
    moved = rows.filter(
        pl.col("previous_rag").is_not_null()
        & pl.col("rag").cast(pl.String).ne_missing(pl.col("previous_rag").cast(pl.String))
    )
    return moved.select("indicator", "title", "rag", "previous_rag", "direction").to_dicts()


def options(rows: pl.DataFrame) -> dict[str, list[str]]:
    return {
        column: sorted(v for v in rows[column].cast(pl.String).unique().to_list() if v)
        for column in GROUPINGS
    }


def main_part(organisation, current: Live, period: Period, choices: dict[str, str]) -> Markup:
    """The page below its heading, the same for every user: rendered once per evaluation."""
    rows = current.report(period)
    shown = filtered(rows, choices)
    context = {
        "period": period,
        "periods": ReportingPeriod.objects.filter(organisation=organisation).order_by("-id"),
        "groupings": {
            label: counts(shown, column)
            for column, label in GROUPINGS.items()
            if column not in choices
        },
        "rags": RAGS,
        "choices": choices,
        "options": options(rows),
        "call_in": shown.filter(pl.col("call_in_reason").is_not_null()).to_dicts(),
        "changes": changes(shown),
        "due": shown.filter(pl.col("due")).height,
    }
    return Markup(get_template("boardpack/dashboard-main.html").render(context))


@access.permission("view_indicator")
def dashboard(request):
    organisation = find_organisation()
    current = live(organisation, reader=request.user)
    try:
        period = chosen_period(organisation, current, request.GET.get("period"))
    except PeriodError as error:
        return render(request, "boardpack/problem.html", {"problem": str(error)}, status=400)
    choices = {c: request.GET[c] for c in GROUPINGS if request.GET.get(c)}
    key = ("dashboard", period.label, *sorted(choices.items()))
    main = current.kept(key, lambda: main_part(organisation, current, period, choices))
    context = {"organisation": organisation, "period": period, "main": main}
    return render(request, "boardpack/dashboard.html", context)


urlpatterns = [path("", dashboard, name="dashboard")]
