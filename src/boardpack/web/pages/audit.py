"""The audit log for performance officers and administrators: every change, newest first,
filtered by kind, action, user and record, 50 to a page, and the same entries as CSV."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from .. import access
from ..records.audit import export_csv
from ..records.models import AuditEntry

PER_PAGE = 50
#: The filters: query parameter -> how it narrows the entries.
FILTERS = {
    "kind": lambda rows, value: rows.filter(kind=value),
    "action": lambda rows, value: rows.filter(action=value),
    "user": lambda rows, value: rows.filter(user__username=value),
    "record": lambda rows, value: rows.filter(record__icontains=value),
}


def chosen(request) -> dict[str, str]:
    """The filters asked for, blank ones left out."""
    return {
        name: request.GET[name].strip() for name in FILTERS if request.GET.get(name, "").strip()
    }


def filtered(choices: dict[str, str]):
    rows = AuditEntry.objects.all()
    for name, value in choices.items():
        rows = FILTERS[name](rows, value)
    return rows


def options() -> dict[str, list[str]]:
    """The values each list filter offers: those in the log."""
    users = get_user_model().objects.filter(auditentry__isnull=False).distinct()
    return {
        "kind": _distinct("kind"),
        "action": _distinct("action"),
        "user": sorted(users.values_list("username", flat=True)),
    }


def _distinct(column: str) -> list[str]:
    return sorted(set(AuditEntry.objects.values_list(column, flat=True)))


def differences(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """The values that differ between before and after (all of them for a new record)."""
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("value", before, after)]
    names = list(dict.fromkeys([*before, *after]))
    return [(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]


@access.permission("view_auditentry")
def audit_log(request):
    choices = chosen(request)
    rows = filtered(choices).select_related("user", "organisation").order_by("-at", "-id")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "entries": [(entry, differences(entry)) for entry in page.object_list],
        "choices": choices,
        "options": options(),
        "query": query.urlencode(),
    }
    return render(request, "boardpack/audit/log.html", context)


@access.permission("view_auditentry")
def audit_csv(request):
    response = HttpResponse(
        export_csv(filtered(chosen(request))), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    return response


urlpatterns = [
    path("audit/", audit_log, name="audit"),
    path("audit.csv", audit_csv, name="audit_csv"),
]
