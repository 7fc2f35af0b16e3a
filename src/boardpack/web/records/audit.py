"""The audit log: every change to the catalogue, targets, figures, commentary, overrides and
approvals, with who, when, what and the values before and after; exported as CSV."""

from __future__ import annotations

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from boardpack.formulas import neutralise

from .models import AuditEntry

CSV_COLUMNS = (
    "at",
    "user",
    "organisation",
    "action",
    "kind",
    "record",
    "version",
    "reason",
    "before",
    "after",
)


def audit_entry(
    action,
    kind,
    record,
    *,
    user=None,
    organisation=None,
    version=None,
    before=None,
    after=None,
    reason="",
    at=None,
) -> AuditEntry:
    """An unsaved entry (save it, or pass many to `AuditEntry.objects.bulk_create`)."""
    return AuditEntry(
        at=at or timezone.now(),
        user=user,
        organisation=organisation,
        action=action,
        kind=kind,
        record=record,
        version=version,
        before=before,
        after=after,
        reason=reason or "",
    )


def record(action, kind, record, **details) -> AuditEntry:
    """Record one change now (approvals, publications and the like)."""
    entry = audit_entry(action, kind, record, **details)
    entry.save()
    return entry


def export_csv(entries=None) -> str:
    """The audit log (or the given entries) as CSV, oldest first; before and after as JSON."""
    rows = AuditEntry.objects.all() if entries is None else entries
    rows = rows.select_related("user", "organisation").order_by("at", "id")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in rows.iterator():
        writer.writerow(_csv_row(entry))
    return out.getvalue()


def _csv_row(entry: AuditEntry) -> list:
    return [neutralise(cell) for cell in _cells(entry)]


def _cells(entry: AuditEntry) -> list:
    return [
        entry.at.isoformat(),
        entry.user.get_username() if entry.user_id else "",
        entry.organisation.code if entry.organisation_id else "",
        entry.action,
        entry.kind,
        entry.record,
        "" if entry.version is None else entry.version,
        entry.reason,
        _json(entry.before),
        _json(entry.after),
    ]


def _json(value) -> str:
    return "" if value is None else json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True)
