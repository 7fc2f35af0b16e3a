"""The Store's figures evaluated, for the pages: built once per organisation and kept until
anything of that organisation changes (every change writes an audit entry, so the newest
entry's number, the stamp, says whether the kept evaluation is still true).

What is kept lives in one `LiveState`, owned by the app's configuration (`state()`), not in
module globals; its background work runs in one thread pool.

Beside the evaluation, a `Live` keeps what pages make from it that is the same for every user
(`Live.kept`): a page's main part rendered once, then served to everyone until the next change.
Trend charts are kept across evaluations by what they draw (`trends`) and drawn in the
background as soon as an evaluation is built; then the page parts of `PART_MAKERS` (every
indicator page's main part) are made, so that first views of
pages need not wait for them either.

What is kept lives in one `LiveState` owned by the app's configuration (`state()`), not in
module globals, and its background work runs in that object's one thread pool.

A large council's evaluation takes seconds to build. When the kept one took longer than
`QUICK_SECONDS`, pages that pass their `reader` get it while the new one builds in the
background, unless the reader made one of the changes since: they wait for the new one, so
people always see their own changes at once, and everyone else's within one build.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import cached_property

import polars as pl
from django.apps import apps
from django.db import connections
from django.utils.module_loading import import_string

from boardpack.api import evaluate
from boardpack.assemble import latest_period
from boardpack.catalogue.models import Indicator
from boardpack.dataset import Dataset
from boardpack.engine.evaluated import Evaluated
from boardpack.pack.chart_store import user_store
from boardpack.periods import Period, parse_period

from .records.models import AuditEntry, Organisation, ReportingPeriod
from .store import dataset_from_store
from .trends import TREND_ROWS, ChartShelf, Trend, trend_key

#: An evaluation that builds faster than this is waited for by every page after a change;
#: a slower one is built in the background while pages show the previous one.
QUICK_SECONDS = 0.5
#: Page parts kept per evaluation, at most (filters people type make new ones).
KEPT_PARTS = 2000

#: Threads that do the background work (builds, charts, pages made ahead, packs prepared).
BACKGROUND_THREADS = 4
#: Makers of page parts, made for each new evaluation in the background once its charts are
#: drawn: `maker(organisation, live, still_wanted)` keeps its parts with `live.kept` and stops
#: when `still_wanted()` turns false (a newer evaluation was built meanwhile).
PART_MAKERS = ("boardpack.web.pages.indicator.keep_main_parts",)
log = logging.getLogger(__name__)


@dataclass
class Live:
    """One organisation's Dataset and evaluation as the Store held them at audit entry
    `stamp`, and what pages made of them."""

    stamp: int
    dataset: Dataset
    evaluated: Evaluated
    seconds: float = 0.0  # how long it took to build
    _reports: dict[int, pl.DataFrame] = field(default_factory=dict)
    _parts: dict[tuple, object] = field(default_factory=dict)
    _ahead: dict[tuple, object] = field(default_factory=dict)
    _trend_keys: dict[str, str] = field(default_factory=dict)

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

    def kept(self, key: tuple, make: Callable[[], object], *, ahead: bool = False):
        """What `make()` gives, made once per evaluation: a part of a page that is the same
        for every user. If `make` raises, nothing is kept. Parts made `ahead` of any request
        (one per catalogue indicator, say) are all kept; of the others, made as people ask
        (a dashboard per filter they choose), the latest `KEPT_PARTS`."""
        for parts in (self._ahead, self._parts):
            if key in parts:
                return parts[key]
        if ahead:
            made = self._ahead[key] = make()
            return made
        if len(self._parts) >= KEPT_PARTS:
            self._parts.pop(next(iter(self._parts)), None)  # the oldest
        made = self._parts[key] = make()
        return made

    @cached_property
    def _trend_rows(self) -> dict[str, pl.DataFrame]:
        """Each indicator's latest rows for this organisation, in period order."""
        code = self.dataset.project.organisation.code
        numbers = self.evaluated.numbers
        mine = self.evaluated.with_text(
            numbers.filter(pl.col("organisation").cast(pl.String) == code)
        )
        parts = mine.sort("end_month").partition_by("indicator", as_dict=True)
        return {str(ref): rows.tail(TREND_ROWS) for (ref,), rows in parts.items()}

    @cached_property
    def _no_rows(self) -> pl.DataFrame:
        return self.evaluated.with_text(self.evaluated.numbers.clear())

    def series(self, ref: str) -> pl.DataFrame:
        """The indicator's latest rows (as its trend chart draws them), in period order."""
        rows = self._trend_rows.get(ref)
        return self._no_rows if rows is None else rows

    def trend(self, entry: Indicator) -> tuple[str, Trend]:
        """The key of the indicator's chart and what it draws."""
        rows = self._trend_rows.get(entry.ref)
        rows = self._no_rows if rows is None else rows
        text = entry.model_dump_json()
        if text not in self._trend_keys:
            self._trend_keys[text] = trend_key(rows, entry)
        return self._trend_keys[text], (rows, entry)

    @cached_property
    def _entries(self) -> dict[str, Indicator]:
        return {entry.ref: entry for entry in self.dataset.project.indicators}

    def chart(self, ref: str) -> str:
        """The indicator's trend chart as SVG, as this evaluation's catalogue entry and rows
        draw it: kept from an earlier evaluation or drawn in the background if they are the
        same, else drawn now."""
        entry = self._entries.get(ref)
        if entry is None:  # not in the catalogue when this evaluation was built
            return ""
        return state().charts.get(*self.trend(entry))

    def trends(self) -> dict[str, Trend]:
        """Every catalogue indicator's chart by key."""
        return dict(self.trend(entry) for entry in self._entries.values())


class LiveState:
    """Everything the web app keeps between requests, owned by the app's configuration
    (`state()`): each organisation's evaluation, the trend charts drawn, and the background
    work (one thread pool, shut down with `shutdown`)."""

    def __init__(self) -> None:
        self.kept: dict[int, Live] = {}
        self.building = threading.Lock()  # one evaluation is built at a time
        self.pool = ThreadPoolExecutor(BACKGROUND_THREADS, thread_name_prefix="boardpack")
        self.running: dict[tuple, Future] = {}  # (organisation, work) -> its work
        self.starting = threading.Lock()  # guards `running`
        self.stopping = threading.Event()  # set when the server stops
        #: Whether parts are made ahead: in the server (`prepare`), not in commands or tests
        #: that read a page or two.
        self.make_ahead = False
        self.charts = ChartShelf(user_store())
        self.part_makers: list[Callable[[object, Live, Callable[[], bool]], int]] = [
            import_string(name) for name in PART_MAKERS
        ]

    def in_background(self, key: tuple, work: Callable[[], object]) -> None:
        """Run `work` in the pool unless the work under `key` is still running; its database
        connections are closed when it ends, and a failure is logged."""

        def run() -> None:
            try:
                work()
            except Exception:
                log.exception("Background work %s failed", key[1])
                raise
            finally:
                connections.close_all()

        with self.starting:
            if self.stopping.is_set():
                return
            running = self.running.get(key)
            if running is not None and not running.done():
                return
            try:
                self.running[key] = self.pool.submit(run)
            except RuntimeError:  # shut down: the server is stopping
                log.info("Not started, the server is stopping: %s", key[1])

    def settle(self) -> None:
        """Wait until no background work is left (work may start more work as it ends)."""
        while pending := [f for f in list(self.running.values()) if not f.done()]:
            wait(pending)

    def shutdown(self) -> None:
        """Stop: work not started is dropped, work under way stops at its next step (a chart
        batch, a page part) and is waited for."""
        self.stopping.set()
        self.pool.shutdown(wait=True, cancel_futures=True)


def state() -> LiveState:
    """The web app's one `LiveState`, owned by its app configuration."""
    return apps.get_app_config("boardpack").live


def stamp(organisation) -> int:
    """The number of the organisation's newest audit entry. Every page asks, so this is one
    plain indexed query rather than the ORM's (which costs more to compile than to run)."""
    connection = connections[AuditEntry.objects.db]
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {table} WHERE organisation_id = %s", [organisation.pk])
        (newest,) = cursor.fetchone()
    return newest or 0


def live(organisation, reader=None) -> Live:
    """The organisation's evaluation, rebuilt only when something changed.

    With `reader`, the user a page is for: a slow evaluation that is out of date is still
    returned, while the new one builds in the background, unless the reader made one of the
    changes since it was built."""
    now = stamp(organisation)
    kept = state().kept.get(organisation.pk)
    if kept is not None and kept.stamp >= now:
        return kept
    if (
        kept is not None
        and reader is not None
        and kept.seconds >= QUICK_SECONDS
        and not changed_by(reader, organisation, kept.stamp)
    ):
        in_background(organisation, "build", lambda: build(organisation, now))
        return kept
    return build(organisation, now)


def changed_by(reader, organisation, since: int) -> bool:
    """Whether `reader` made any of the organisation's changes after audit entry `since`."""
    if not reader.is_authenticated:
        return False
    after = AuditEntry.objects.filter(organisation=organisation, id__gt=since)
    return after.filter(user=reader).exists()


def build(organisation, wanted: int) -> Live:
    """The evaluation as at audit entry `wanted` or later: the kept one if it is, else a new
    one, built once however many requests ask at the same moment. Its charts are then drawn in
    the background."""
    kept_now = state()
    with kept_now.building:
        kept = kept_now.kept.get(organisation.pk)
        if kept is not None and kept.stamp >= wanted:
            return kept  # a build that began while this one waited covered it
        started = time.perf_counter()
        now = stamp(organisation)
        dataset = dataset_from_store(organisation)
        fresh = Live(now, dataset, evaluate(dataset))
        fresh.seconds = time.perf_counter() - started
        kept_now.kept[organisation.pk] = fresh
    log.info("Evaluated %s (audit entry %d) in %.1f s", organisation.code, now, fresh.seconds)
    in_background(organisation, "charts", lambda: draw_charts(organisation))
    return fresh


def draw_charts(organisation) -> None:
    """Draw the charts of the organisation's newest evaluation that are not drawn yet (again
    if a newer one was built meanwhile), forgetting charts no longer shown; then make its
    registered page parts."""
    kept_now = state()
    charts = kept_now.charts
    drawn = None
    while (current := kept_now.kept.get(organisation.pk)) is not drawn:
        if kept_now.stopping.is_set():
            return
        started = time.perf_counter()
        trends = current.trends()
        charts.keep_only(set(trends))
        count = charts.draw_all(trends, stop=kept_now.stopping.is_set)
        seconds = time.perf_counter() - started
        log.info("Trend charts ready for %s: %d drawn in %.1f s", organisation.code, count, seconds)
        if kept_now.make_ahead:
            make_parts(organisation, current)
        drawn = current


def make_parts(organisation, current: Live) -> None:
    """Make every registered maker's parts of `current`, unless a newer evaluation comes."""
    started = time.perf_counter()
    kept_now = state()

    def still_wanted() -> bool:
        return kept_now.kept.get(organisation.pk) is current and not kept_now.stopping.is_set()

    count = sum(maker(organisation, current, still_wanted) for maker in kept_now.part_makers)
    if still_wanted():
        seconds = time.perf_counter() - started
        log.info("Pages ready for %s: %d parts made in %.1f s", organisation.code, count, seconds)


def prepare() -> None:
    """Start evaluating every organisation in the background (when the server starts), so
    the first pages need not wait for it and the charts are drawn and page parts made early
    (from now on, after every new evaluation)."""
    state().make_ahead = True
    for organisation in Organisation.objects.all():
        in_background(organisation, "build", lambda o=organisation: build(o, 0))


def in_background(organisation, work_name: str, work: Callable[[], object]) -> None:
    """Run `work` in the background unless the organisation's previous `work_name` is still
    running."""
    state().in_background((organisation.pk, work_name), work)


def making_ahead() -> bool:
    """Whether this process makes pages and documents ahead (the server, after `prepare`)."""
    return state().make_ahead


def charts() -> ChartShelf:
    """The trend charts drawn, shared by every evaluation of this process."""
    return state().charts


def settle() -> None:
    """Wait for every background build and chart drawing to end."""
    state().settle()


def forget() -> None:
    """Drop every kept evaluation (tests)."""
    settle()
    state().kept.clear()


def chosen_period(organisation, current: Live, label: str | None) -> Period:
    """The period asked for by label; else the newest open reporting period; else the quarter
    holding the latest figure."""
    if label:
        return parse_period(label, "quarterly")
    return current.kept(("period",), lambda: newest_period(organisation, current))


def newest_period(organisation, current: Live) -> Period:
    newest = (
        ReportingPeriod.objects.filter(organisation=organisation)
        .exclude(status=ReportingPeriod.Status.PUBLISHED)
        .order_by("-opened_at", "-id")
        .first()
    )
    if newest is not None:
        return parse_period(newest.label, "quarterly")
    return latest_period(current.dataset)
