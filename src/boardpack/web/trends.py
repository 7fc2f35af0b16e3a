"""Indicator trend charts for the web pages, kept by what they draw.

A chart is drawn from an indicator's latest rows and its catalogue entry, so its key is a
digest of both: a new evaluation of the Store reuses every chart whose indicator did not
change, and a changed figure gets a new key (its old chart is never shown for it).

`draw_all` draws an evaluation's missing charts in worker processes at low priority, so they
use the cores the server leaves idle and first views of indicator pages rarely wait for
vl-convert. This module imports no Django, so the workers can load it.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial

import polars as pl

from boardpack.catalogue.models import Indicator
from boardpack.pack.chart_store import ChartStore
from boardpack.pack.charts import indicator_chart, render_charts
from boardpack.pack.render import (
    POOL_MIN,
    SvgRenderer,
    chunks,
    default_workers,
    pool_context,
    stored_svg,
    warm_up,
)

#: Rows of an indicator's history its trend chart draws (the latest two years of months).
TREND_ROWS = 24
#: How much lower than the server the chart workers run (`os.nice`).
WORKER_NICENESS = 10

Trend = tuple[pl.DataFrame, Indicator]


def trend_key(rows: pl.DataFrame, entry: Indicator) -> str:
    """A digest of everything a chart draws: its rows and its catalogue entry."""
    text = json.dumps([entry.model_dump(mode="json"), rows.to_dicts()], default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def draw(trend: Trend, store: ChartStore | None = None) -> str:
    """The indicator's trend chart as inline SVG: from the chart `store` if it holds it."""
    rows, entry = trend
    chart = indicator_chart(rows, entry)
    chart.fill(stored_svg(chart.spec, store))
    return str(chart.svg)


def draw_chunk(trends: list[Trend], store: ChartStore | None = None) -> list[str]:
    """Worker task: a run of charts as SVG, in order. Charts the store lacks are drawn first,
    then those another server process is drawing meanwhile are waited for."""
    charts = [indicator_chart(rows, entry) for rows, entry in trends]
    render_charts(charts, SvgRenderer(0, store=store))
    return [str(chart.svg) for chart in charts]


def start_worker() -> None:
    """Worker start-up: step aside for the server, then start vl-convert's engine."""
    os.nice(WORKER_NICENESS)
    warm_up()


class ChartShelf:
    """Drawn charts by key, shared by every evaluation of this process; behind it, the chart
    store on disk (`user_store()`: `BOARDPACK_CACHE`, else the user's cache folder), shared by
    every server process, so a chart is drawn once for them all, and not again on restart."""

    def __init__(self, store: ChartStore | None = None) -> None:
        self._svgs: dict[str, str] = {}
        self.store = store
        #: Processes that draw a batch when set, even one (a server running beside other
        #: server processes takes its share of the cores and never draws a batch itself);
        #: None: `BOARDPACK_CHART_WORKERS`, else one per core.
        self.workers: int | None = None

    def get(self, key: str, trend: Trend) -> str:
        """The chart under `key`, drawn now (and kept) if it is not on the shelf yet."""
        svg = self._svgs.get(key)
        if svg is None:
            svg = self._svgs[key] = draw(trend, self.store)
        return svg

    def missing(self, trends: dict[str, Trend]) -> dict[str, Trend]:
        return {key: trend for key, trend in trends.items() if key not in self._svgs}

    def put(self, drawn: dict[str, str]) -> None:
        self._svgs.update(drawn)

    def keep_only(self, keys: set[str]) -> None:
        """Forget every chart not under one of `keys` (the evaluations still served)."""
        for key in list(self._svgs):  # a copy: other threads may add charts meanwhile
            if key not in keys:
                self._svgs.pop(key, None)

    def draw_all(
        self, trends: dict[str, Trend], workers: int | None = None, stop=lambda: False
    ) -> int:
        """Draw the charts not yet on the shelf, in low-priority worker processes when there
        are enough of them (here otherwise, or when processes cannot start); how many. When
        `stop()` turns true (the server stopping), the charts not started are left."""
        wanted = self.missing(trends)
        keys, batch = list(wanted), list(wanted.values())
        workers = workers or self.workers or default_workers()
        if len(batch) < POOL_MIN or (workers < 2 and self.workers is None):
            for key, trend in wanted.items():
                if stop():
                    break
                self.put({key: draw(trend, self.store)})
            return len(batch)
        try:
            context = pool_context()
            with ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker) as pool:
                runs = pool.map(partial(draw_chunk, store=self.store), chunks(batch, workers))
                for run_keys, run in zip(chunks(keys, workers), runs, strict=True):
                    self.put(dict(zip(run_keys, run, strict=True)))  # served as each run ends
                    if stop():
                        pool.shutdown(wait=False, cancel_futures=True)
                        break
        except (OSError, BrokenProcessPool):
            self.put({key: draw(trend, self.store) for key, trend in self.missing(wanted).items()})
        return len(batch)
