"""The Store's figures evaluated, for the pages: built once per organisation and kept until
anything of that organisation changes (every change writes an audit entry, so the newest
entry's number says whether the kept evaluation is still true)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import polars as pl
from django.db.models import Max

from boardpack.assemble import latest_period
from boardpack.dataset import Dataset
from boardpack.engine.evaluated import Evaluated
from boardpack.periods import Period, parse_period

from .records.models import AuditEntry, ReportingPeriod
from .store import dataset_from_store

_kept: dict[int, Live] = {}
_lock = threading.Lock()


@dataclass
class Live:
    """One organisation's Dataset and evaluation as the Store holds them now."""

    stamp: int
    dataset: Dataset
    evaluated: Evaluated
    _reports: dict[int, pl.DataFrame] = field(default_factory=dict)
    _charts: dict[str, str] = field(default_factory=dict)

    def report(self, period: Period) -> pl.DataFrame:
        """The period's rows, one per indicator, with labels and the call-in reason."""
        if period.end_month not in self._reports:
            code = self.dataset.project.organisation.code
            rows = self.evaluated.report(period.end_month, code)
            called = self.evaluated.call_in(rows).select("indicator", "call_in_reason")
            self._reports[period.end_month] = rows.join(
                called, on="indicator", how="left", maintain_order="left"
            )
        return self._reports[period.end_month]

    def chart(self, ref: str, make) -> str:
        """An indicator's chart, made by `make()` once per evaluation."""
        if ref not in self._charts:
            self._charts[ref] = make()
        return self._charts[ref]


def stamp(organisation) -> int:
    """The number of the organisation's newest audit entry."""
    newest = AuditEntry.objects.filter(organisation=organisation).aggregate(n=Max("id"))["n"]
    return newest or 0


def live(organisation) -> Live:
    """The organisation's evaluation, rebuilt only when something changed."""
    now = stamp(organisation)
    kept = _kept.get(organisation.pk)
    if kept is not None and kept.stamp == now:
        return kept
    with _lock:
        kept = _kept.get(organisation.pk)
        if kept is None or kept.stamp != now:
            dataset = dataset_from_store(organisation)
            kept = Live(now, dataset, dataset.evaluate())
            _kept[organisation.pk] = kept
    return kept


def forget() -> None:
    """Drop every kept evaluation (tests)."""
    _kept.clear()


def chosen_period(organisation, current: Live, label: str | None) -> Period:
    """The period asked for by label; else the newest open reporting period; else the quarter
    holding the latest figure."""
    if label:
        return parse_period(label, "quarterly")
    newest = (
        ReportingPeriod.objects.filter(organisation=organisation)
        .exclude(status=ReportingPeriod.Status.PUBLISHED)
        .order_by("-opened_at", "-id")
        .first()
    )
    if newest is not None:
        return parse_period(newest.label, "quarterly")
    return latest_period(current.dataset)
