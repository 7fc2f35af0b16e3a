"""Vega-Lite specs to SVG, many at once.

vl-convert renders one chart at a time under a lock, so threads do not help; a pool of worker
processes does. `SvgRenderer` starts its workers early (their start-up overlaps building the
specs); `render` draws a batch of specs and gives their SVGs in order, `start` hands a batch to
the workers and returns at once (a build goes on building specs and writing pages while they
draw), its `Batch.svgs()` waiting for them.

A renderer given a PNG scale also turns each chart it renders into a PNG (`raster.py`), in the
same workers straight after the batch's SVGs, so a Word document's pictures are ready by the time it wants
them: `picture(key)` gives one chart's PNG, `to_png(texts)` converts further SVG texts.

With a chart store (`chart_store.py`), a chart the store holds is not drawn again, nor its PNG
made again, and the workers start only when there is drawing to do.

Workers come from a "forkserver" where the platform has one (one interpreter imports Boardpack
once, and each worker is a cheap fork of it), otherwise "spawn". A handful of specs, one core,
or a pool that cannot start are rendered in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import vl_convert

from .chart_store import ChartStore, png_key, spec_key
from .compiled import vega_spec
from .lean import lean_spec
from .raster import svg_to_png
from .unmeasured import quiet_title, restore

#: Fewer specs than this are rendered in this process: starting workers costs more.
POOL_MIN = 12
#: Specs handed to a worker at a time, at most (smaller chunks balance the load).
CHUNK = 8
#: Set to a number to choose how many worker processes render charts (1: none).
WORKERS_VARIABLE = "BOARDPACK_CHART_WORKERS"
#: Runs of specs handed to the workers: the places of each run's specs, and its future.
Runs = list[tuple[list[int], Future]]
#: A batch's specs wait for the workers to start before they are handed out.
LATER: Runs = []
WARM_UP = {"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x"}}}


def render_svg(spec: dict) -> str:
    """One spec as SVG, in this process: made cheaper to draw (`lean.py`), its shape compiled
    to Vega once (`compiled.py`), its title not measured (`unmeasured.py`)."""
    vega, words = quiet_title(vega_spec(lean_spec(spec)))
    return restore(vl_convert.vega_to_svg(vega), words)


def stored_svg(spec: dict, store: ChartStore | None) -> str:
    """One spec as SVG: from the chart `store` if it holds it, else rendered here (and kept)."""
    if store is None:
        return render_svg(spec)
    key = spec_key(spec)
    svg = store.svg(key)
    if svg is None:
        svg = store.obtain(key)  # another process may be drawing it
    if svg is None:
        try:
            svg = render_svg(spec)
            store.put_svg(key, svg)
        finally:
            store.release(key)
    return svg


def render_chunk(specs: list[dict]) -> list[str]:
    """Worker task: a run of specs as SVG, in order."""
    return [render_svg(spec) for spec in specs]


def png_chunk(texts: list[str], scale: float) -> list[bytes]:
    """Worker task: a run of SVG texts as PNG at `scale`, in order."""
    return [svg_to_png(text, scale) for text in texts]


def warm_up() -> None:
    """Worker start-up: the first render starts vl-convert's JavaScript engine (about 0.5 s)."""
    render_svg(WARM_UP)


def available_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_workers() -> int:
    """`BOARDPACK_CHART_WORKERS` if set, otherwise one worker per core."""
    chosen = os.environ.get(WORKERS_VARIABLE, "").strip()
    if chosen:
        try:
            return max(1, int(chosen))
        except ValueError:
            raise ValueError(
                f'{WORKERS_VARIABLE} is "{chosen}"; set it to a whole number of worker '
                "processes (1 renders charts in this process)"
            ) from None
    return available_cores()


def pool_context() -> multiprocessing.context.BaseContext:
    """A forkserver that has imported this module (so workers start warm), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def start_chart_server() -> None:
    """Start the forkserver the chart workers are forked from now (it imports this module, about
    half of a worker's start), so that it overlaps the caller's reading and evaluating; nothing
    where charts are drawn in this process or the platform has no forkserver."""
    if default_workers() < 2 or available_cores() < 2:
        return
    if pool_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def chunks(specs: list, workers: int) -> list[list]:
    """The specs (or their places) in order, cut into runs of at most `CHUNK`, at least two runs
    per worker."""
    size = max(1, min(CHUNK, -(-len(specs) // (2 * workers))))
    return [specs[i : i + size] for i in range(0, len(specs), size)]


def data_rows(spec: dict) -> int:
    """How many data rows a spec's named data sets hold: a rough measure of its drawing time."""
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict):
        return 0
    return sum(len(rows) for rows in datasets.values() if isinstance(rows, list))


def heaviest_first(specs: list[dict]) -> list[int]:
    """The places of `specs`, those with the most data first (in order where equal): handed out
    in that order, the last runs are the quickest, so the workers finish nearly together."""
    return sorted(range(len(specs)), key=lambda n: -data_rows(specs[n]))


class PngRun:
    """The PNGs of a run of SVG texts: made by a worker of `pool`, or here when first asked for
    (also when the worker died); kept in `store` under their keys once made."""

    def __init__(
        self,
        texts: list[str],
        scale: float,
        pool: Executor | None = None,
        store: ChartStore | None = None,
        keys: list[str] | None = None,
    ) -> None:
        self.texts, self.scale = texts, scale
        self.store, self.keys = store, keys
        self.future: Future | None = None
        self.pngs: list[bytes] | None = None
        if pool is not None:
            try:
                self.future = pool.submit(png_chunk, texts, scale)
            except RuntimeError:  # the pool is broken or stopped: make them here
                self.future = None

    def png(self, n: int) -> bytes:
        """The PNG of the run's `n`th SVG, waiting for the worker if it is still busy."""
        if self.pngs is None:
            self.pngs = self._made()
            if self.store is not None and self.keys:
                for key, png in zip(self.keys, self.pngs, strict=True):
                    self.store.put_png(key, png)
        return self.pngs[n]

    def _made(self) -> list[bytes]:
        if self.future is not None:
            try:
                return self.future.result()
            except BrokenProcessPool:
                pass
        return png_chunk(self.texts, self.scale)


@dataclass(frozen=True)
class Png:
    """One PNG of a run, made or being made."""

    run: PngRun
    index: int

    def data(self) -> bytes:
        return self.run.png(self.index)


@dataclass(frozen=True)
class StoredPng:
    """A PNG the chart store already holds."""

    png: bytes

    def data(self) -> bytes:
        return self.png


class Batch:
    """Specs being drawn (`SvgRenderer.start`): those the store holds are taken from it, those
    this process can claim are handed to the workers at once; `svgs()` waits for them, keeps
    them in the store, waits for those other processes are drawing (drawing any they give up)
    and gives every spec's SVG in order."""

    def __init__(
        self,
        renderer: SvgRenderer,
        specs: list[dict],
        keys: list[str] | None = None,
        ids: list[str] | None = None,
    ) -> None:
        self.renderer, self.keys = renderer, keys
        self.ids = [spec_key(spec) for spec in specs] if ids is None else ids
        self.found = renderer._stored(self.ids)
        self.wanted = {
            key: spec for key, spec in zip(self.ids, specs, strict=True) if key not in self.found
        }
        store = renderer.store
        self.mine = [key for key in self.wanted if store is None or store.claim(key)]
        renderer.drawn += len(self.mine)
        self.runs = renderer._submit([self.wanted[key] for key in self.mine], wait=False)
        self.done: list[str] | None = None

    def hand_out(self, wait: bool = False) -> None:
        """Hand the specs to the workers if that had to wait for them to start."""
        if self.runs is LATER:
            self.runs = self.renderer._submit([self.wanted[key] for key in self.mine], wait)

    def svgs(self) -> list[str]:
        """The SVG of each spec, in order (waiting for the workers the first time); batches
        started before it are finished first (one may hold the claim to a chart it shares)."""
        if self.done is None:
            renderer, store = self.renderer, self.renderer.store
            for earlier in list(renderer._open):
                if earlier is self:
                    break
                earlier.svgs()
            try:
                renderer._hand_out(wait=True)  # this batch and any after it, at once
                drawn = renderer._collect([self.wanted[key] for key in self.mine], self.runs)
                for key, svg in zip(self.mine, drawn, strict=True):
                    if store is not None:
                        store.put_svg(key, svg)
                        store.release(key)
                    self.found[key] = svg
                for key in self.wanted:
                    if key not in self.found:
                        self.found[key] = stored_svg(self.wanted[key], store)
            finally:
                self.release()
            svgs = [self.found[key] for key in self.ids]
            if self.keys is not None and renderer.png_scale:
                renderer._keep(svgs, self.keys)
            self.done = svgs
        return self.done

    def release(self) -> None:
        """Give up this batch's claims (its charts drawn, or failed)."""
        if self.renderer.store is not None:
            for key in self.mine:
                self.renderer.store.release(key)
        if self in self.renderer._open:
            self.renderer._open.remove(self)


class SvgRenderer:
    """Renders a batch of specs; a pool of `workers` processes when `expected` charts justify
        one. Use as a context manager: entering starts the workers (in the background, so the
        caller builds its specs meanwhile), leaving stops them.

        With a chart `store`, a spec's SVG is taken from the store when it holds it, and every
        SVG drawn is kept there; a spec given twice is drawn once. Workers then start on entering
        only if the store is short of `expected` charts (it is new), otherwise when a batch has
        enough charts the store lacks to be worth them (a store holding at least half of `expected`
    charts is taken to hold most of a batch: spec building is quick, so little is lost by
    starting the workers only once the batch is known).

        With `png_scale`, every SVG rendered under a key is turned into a PNG as well (`picture`),
        and `to_png` converts other SVG texts; with a store, PNGs are kept there too. `warm` starts
        vl-convert's JavaScript engine in each worker as it starts; a renderer that only converts
        SVG to PNG does not need it."""

    def __init__(
        self,
        expected: int,
        workers: int | None = None,
        png_scale: float | None = None,
        warm: bool = True,
        store: ChartStore | None = None,
    ) -> None:
        workers = default_workers() if workers is None else max(1, workers)
        self.workers = min(workers, -(-expected // CHUNK)) if expected >= POOL_MIN else 1
        self.expected = expected
        self.png_scale = png_scale
        self.warm = warm
        self.store = store
        self.pool: Executor | None = None
        self.pictures: dict[str, Png | StoredPng | None] = {}
        self._starting: threading.Thread | None = None
        self._begun = False
        #: How many SVGs were drawn and PNGs made (not found in the store).
        self.drawn = self.converted = 0
        #: Batches started and not yet given their SVGs.
        self._open: list[Batch] = []

    def __enter__(self) -> SvgRenderer:
        if self.store is None or (self.warm and self.store.count() < self.expected // 2):
            self._begin()
        return self

    def __exit__(self, *exc: object) -> None:
        for batch in list(self._open):  # left unfinished (an error): their claims given up
            batch.release()
        if self._started() is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _begin(self) -> None:
        """Start the workers in the background, once (starting one waits for the forkserver to
        import Boardpack)."""
        if self.workers > 1 and not self._begun:
            self._begun = True
            self._starting = threading.Thread(target=self._start, daemon=True)
            self._starting.start()

    def _start(self) -> None:
        try:
            pool = ProcessPoolExecutor(
                self.workers, mp_context=pool_context(), initializer=warm_up if self.warm else None
            )
            # Each submit starts one more worker, which answers once it has started (and warmed).
            ready = [pool.submit(os.getpid) for _ in range(self.workers)]
            for future in ready:
                future.result()
            self.pool = pool
        except (OSError, BrokenProcessPool):
            self.pool = None  # no processes here (a sandbox, say): render in this process

    def _started(self) -> Executor | None:
        """The pool once its workers have started and answered (vl-convert's engine started in
        each, when `warm`), or None."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        return self.pool

    def render(self, specs: list[dict], keys: list[str] | None = None) -> list[str]:
        """The SVG of each spec, in the order given; with a PNG scale, each spec's PNG is made
        too, to be had by its key (a key given more than once has none)."""
        return self.start(specs, keys).svgs()

    def start(
        self, specs: list[dict], keys: list[str] | None = None, ids: list[str] | None = None
    ) -> Batch:
        """Start drawing the specs (those the store lacks) in the workers and return at once:
        the caller builds more specs, or writes pages, while they draw; `Batch.svgs()` gives
        the SVGs in order (as `render`). `ids`: the specs' keys (`spec_key`) where the caller
        has them."""
        if self._starting is None or not self._starting.is_alive():
            self._hand_out()
        batch = Batch(self, specs, keys, ids)
        self._open.append(batch)
        return batch

    def _hand_out(self, wait: bool = False) -> None:
        """Hand the batches started while the workers were starting to them, in order (with
        `wait`, waiting for the workers first)."""
        for batch in list(self._open):
            batch.hand_out(wait)

    def _stored(self, ids: list[str]) -> dict[str, str]:
        """The SVGs the store holds of the keys `ids`."""
        if self.store is None:
            return {}
        held = ((key, self.store.svg(key)) for key in dict.fromkeys(ids))
        return {key: svg for key, svg in held if svg is not None}

    def _submit(self, specs: list[dict], wait: bool = True) -> Runs | None:
        """Hand `specs` to the workers in runs (the places of each run's specs, and its
        future); None where they are to be drawn in this process; `LATER` while the workers
        are still starting, unless told to `wait` for them."""
        if not specs:
            return None
        if len(specs) >= POOL_MIN:
            self._begin()
        if not self._begun:
            return None
        if not wait and self._starting is not None and self._starting.is_alive():
            return LATER
        if self._started() is None:
            return None
        try:
            places = chunks(heaviest_first(specs), self.workers)
            return [
                (run, self.pool.submit(render_chunk, [specs[n] for n in run])) for run in places
            ]
        except (OSError, RuntimeError, BrokenProcessPool):
            return None

    def _collect(self, specs: list[dict], runs: Runs | None) -> list[str]:
        """The SVGs of `specs` handed out as `runs` (`_submit`), in order, waiting for the
        workers; drawn here if they were not handed out or the workers failed."""
        if runs is None:
            return render_chunk(specs)
        try:
            svgs: list[str] = [""] * len(specs)
            for run, future in runs:
                for n, svg in zip(run, future.result(), strict=True):
                    svgs[n] = svg
            return svgs
        except (OSError, BrokenProcessPool):
            return render_chunk(specs)

    def _keep(self, svgs: list[str], keys: list[str]) -> None:
        """Start the PNGs of the keyed SVGs (keys in step with them)."""
        made = self._pngs(svgs[: len(keys)])
        for key, png in zip(keys, made, strict=True):
            self.pictures[key] = None if key in self.pictures else png

    def _pngs(self, texts: list[str]) -> list[Png | StoredPng]:
        """The PNG of each SVG text at the renderer's scale: from the store, or made in runs
        (in the workers, if any) and kept in the store."""
        keys = [png_key(text, self.png_scale) for text in texts]
        pngs: list[Png | StoredPng | None] = [None] * len(texts)
        if self.store is not None:
            for n, key in enumerate(keys):
                png = self.store.png(key)
                pngs[n] = None if png is None else StoredPng(png)
        missing = [n for n, png in enumerate(pngs) if png is None]
        if len(missing) >= POOL_MIN:
            self._begin()
        pool = self._started() if self._begun else None
        for start in range(0, len(missing), CHUNK):
            places = missing[start : start + CHUNK]
            run = PngRun(
                [texts[n] for n in places],
                self.png_scale,
                pool,
                self.store,
                [keys[n] for n in places],
            )
            for index, n in enumerate(places):
                pngs[n] = Png(run, index)
        self.converted += len(missing)
        return pngs

    def picture(self, key: str) -> Png | StoredPng | None:
        """The PNG of the chart rendered under `key`, if there is exactly one."""
        return self.pictures.get(key)

    def to_png(self, texts: list[str]) -> list[Png | StoredPng]:
        """PNGs of SVG texts at the renderer's PNG scale, in order: from the store, or made in
        the workers, if any."""
        return self._pngs(texts)


def render_svgs(
    specs: list[dict], workers: int | None = None, store: ChartStore | None = None
) -> list[str]:
    """Render many Vega-Lite specs to SVG strings, in order: in worker processes when there are
    enough of them, otherwise here. `workers` defaults to `default_workers()`; with a chart
    `store`, charts it holds are not drawn again."""
    with SvgRenderer(len(specs), workers, store=store) as renderer:
        return renderer.render(specs)
