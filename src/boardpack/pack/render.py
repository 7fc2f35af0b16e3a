"""Vega-Lite specs to SVG, many at once.

vl-convert renders one chart at a time under a lock, so threads do not help; a pool of worker
processes does. A pack renders every chart in one batch: `SvgRenderer` starts its workers
early (their start-up overlaps building the specs) and renders the batch in order.

A renderer given a PNG scale also turns each chart it renders into a PNG, in the same workers
straight after the batch's SVGs, so a Word document's pictures are ready by the time it wants
them: `picture(key)` gives one chart's PNG, `to_png(texts)` converts further SVG texts.

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

#: Fewer specs than this are rendered in this process: starting workers costs more.
POOL_MIN = 12
#: Specs handed to a worker at a time, at most (smaller chunks balance the load).
CHUNK = 8
#: Set to a number to choose how many worker processes render charts (1: none).
WORKERS_VARIABLE = "BOARDPACK_CHART_WORKERS"
WARM_UP = {"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x"}}}


def render_svg(spec: dict) -> str:
    """One spec as SVG, in this process."""
    return vl_convert.vegalite_to_svg(spec)


def render_chunk(specs: list[dict]) -> list[str]:
    """Worker task: a run of specs as SVG, in order."""
    return [render_svg(spec) for spec in specs]


def png_chunk(texts: list[str], scale: float) -> list[bytes]:
    """Worker task: a run of SVG texts as PNG at `scale`, in order."""
    return [vl_convert.svg_to_png(text, scale=scale) for text in texts]


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


def chunks(specs: list[dict], workers: int) -> list[list[dict]]:
    """The specs in order, cut into runs of at most `CHUNK`, at least two runs per worker."""
    size = max(1, min(CHUNK, -(-len(specs) // (2 * workers))))
    return [specs[i : i + size] for i in range(0, len(specs), size)]


class PngRun:
    """The PNGs of a run of SVG texts: made by a worker of `pool`, or here when first asked for
    (also when the worker died)."""

    def __init__(self, texts: list[str], scale: float, pool: Executor | None = None) -> None:
        self.texts, self.scale = texts, scale
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


class SvgRenderer:
    """Renders a batch of specs; a pool of `workers` processes when `expected` charts justify
    one. Use as a context manager: entering starts the workers (in the background, so the
    caller builds its specs meanwhile), leaving stops them.

    With `png_scale`, every SVG rendered under a key is turned into a PNG as well (`picture`),
    and `to_png` converts other SVG texts. `warm` starts vl-convert's JavaScript engine in each
    worker as it starts; a renderer that only converts SVG to PNG does not need it."""

    def __init__(
        self,
        expected: int,
        workers: int | None = None,
        png_scale: float | None = None,
        warm: bool = True,
    ) -> None:
        workers = default_workers() if workers is None else max(1, workers)
        self.workers = min(workers, -(-expected // CHUNK)) if expected >= POOL_MIN else 1
        self.png_scale = png_scale
        self.warm = warm
        self.pool: Executor | None = None
        self.pictures: dict[str, Png | None] = {}
        self._starting: threading.Thread | None = None

    def __enter__(self) -> SvgRenderer:
        if self.workers > 1:  # starting a worker waits for the forkserver to import Boardpack
            self._starting = threading.Thread(target=self._start, daemon=True)
            self._starting.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._started() is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _start(self) -> None:
        try:
            pool = ProcessPoolExecutor(
                self.workers, mp_context=pool_context(), initializer=warm_up if self.warm else None
            )
            for _ in range(self.workers):  # each submit starts one more worker
                pool.submit(os.getpid)
            self.pool = pool
        except (OSError, BrokenProcessPool):
            self.pool = None  # no processes here (a sandbox, say): render in this process

    def _started(self) -> Executor | None:
        """The pool once its start has finished, or None."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        return self.pool

    def render(self, specs: list[dict], keys: list[str] | None = None) -> list[str]:
        """The SVG of each spec, in the order given; with a PNG scale, each spec's PNG is made
        too, to be had by its key (a key given more than once has none)."""
        keys = keys if keys is not None and self.png_scale else []
        if len(specs) < POOL_MIN or self._started() is None:
            return self._keep(render_chunk(specs), keys)
        try:
            runs = [self.pool.submit(render_chunk, run) for run in chunks(specs, self.workers)]
            svgs: list[str] = []
            for run in runs:  # each run's PNGs queue behind the SVGs still to render
                svgs += self._keep(run.result(), keys[len(svgs) :])
            return svgs
        except (OSError, BrokenProcessPool):
            self.pictures.clear()
            return self._keep(render_chunk(specs), keys)

    def _keep(self, svgs: list[str], keys: list[str]) -> list[str]:
        """Start the PNGs of the keyed SVGs among `svgs` (keys in step with them)."""
        if keys:
            run = PngRun(svgs, self.png_scale, self._started())
            for n, key in enumerate(keys[: len(svgs)]):
                self.pictures[key] = None if key in self.pictures else Png(run, n)
        return svgs

    def picture(self, key: str) -> Png | None:
        """The PNG of the chart rendered under `key`, if there is exactly one."""
        return self.pictures.get(key)

    def to_png(self, texts: list[str]) -> list[Png]:
        """PNGs of SVG texts at the renderer's PNG scale, in order: in the workers, if any."""
        runs = [
            PngRun(texts[i : i + CHUNK], self.png_scale, self._started())
            for i in range(0, len(texts), CHUNK)
        ]
        return [Png(run, n) for run in runs for n in range(len(run.texts))]


def render_svgs(specs: list[dict], workers: int | None = None) -> list[str]:
    """Render many Vega-Lite specs to SVG strings, in order: in worker processes when there are
    enough of them, otherwise here. `workers` defaults to `default_workers()`."""
    with SvgRenderer(len(specs), workers) as renderer:
        return renderer.render(specs)
