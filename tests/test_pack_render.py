"""Rendering many Vega-Lite specs: in order, in worker processes or in this one, same SVG."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import re
import threading

import pytest

from boardpack.pack import render
from boardpack.pack.render import POOL_MIN, SvgRenderer, chunks, render_svgs


def spec(n: int) -> dict:
    """A small bar chart whose title and bar height say which spec it is."""
    return {
        "title": f"Chart number {n}",
        "width": 60,
        "height": 40,
        "data": {"values": [{"x": "a", "y": n + 1}]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "x", "type": "nominal"},
            "y": {"field": "y", "type": "quantitative"},
        },
    }


def titles(svgs: list[str]) -> list[int]:
    found = [re.search(r">Chart number (\d+)</text>", svg) for svg in svgs]
    return [int(m.group(1)) for m in found]


def assert_svgs(svgs: list[str], count: int) -> None:
    assert len(svgs) == count
    assert all(svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>") for svg in svgs)
    assert titles(svgs) == list(range(count))


def test_a_handful_of_specs_render_in_this_process():
    specs = [spec(n) for n in range(3)]
    with SvgRenderer(len(specs), workers=2) as renderer:
        assert renderer.workers == 1 and renderer.pool is None
        assert_svgs(renderer.render(specs), 3)


def test_many_specs_render_in_worker_processes_in_order():
    count = POOL_MIN + 13
    specs = [spec(n) for n in range(count)]
    with SvgRenderer(count, workers=2) as renderer:
        svgs = renderer.render(specs)
        assert isinstance(renderer.pool, concurrent.futures.ProcessPoolExecutor)
    assert renderer.pool is None  # stopped on leaving
    assert_svgs(svgs, count)
    assert svgs == render_svgs(specs, workers=1)  # the same SVG as rendered here


def test_render_svgs_uses_the_pool_for_many_specs(monkeypatch):
    used = []
    original = render.SvgRenderer._start
    monkeypatch.setattr(
        render.SvgRenderer, "_start", lambda self: used.append(self.workers) or original(self)
    )
    assert_svgs(render_svgs([spec(n) for n in range(POOL_MIN)], workers=2), POOL_MIN)
    assert used == [2]
    assert_svgs(render_svgs([spec(n) for n in range(POOL_MIN - 1)], workers=2), POOL_MIN - 1)
    assert used == [2]


def test_one_worker_renders_in_this_process(monkeypatch):
    monkeypatch.setenv(render.WORKERS_VARIABLE, "1")
    with SvgRenderer(50) as renderer:
        assert renderer.workers == 1 and renderer.pool is None
        assert_svgs(renderer.render([spec(n) for n in range(POOL_MIN)]), POOL_MIN)


def test_a_bad_worker_count_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(render.WORKERS_VARIABLE, "two")
    with pytest.raises(ValueError, match=r'BOARDPACK_CHART_WORKERS is "two"; set it to a whole'):
        render_svgs([spec(0)])


def test_a_pool_that_cannot_start_falls_back_to_this_process(monkeypatch):
    def no_processes(*args, **kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(render, "ProcessPoolExecutor", no_processes)
    assert_svgs(render_svgs([spec(n) for n in range(POOL_MIN)], workers=2), POOL_MIN)


def test_a_bad_spec_is_reported_not_swallowed():
    specs = [spec(n) for n in range(POOL_MIN)]
    specs[5] = {"mark": "no-such-mark"}
    with pytest.raises(ValueError):
        render_svgs(specs, workers=2)


@pytest.mark.parametrize(("count", "workers"), [(1, 2), (12, 2), (84, 2), (85, 3), (7, 1)])
def test_chunks_keep_order_and_share_the_work(count, workers):
    runs = chunks(list(range(count)), workers)
    assert [n for run in runs for n in run] == list(range(count))
    assert max(len(run) for run in runs) <= render.CHUNK
    assert len(runs) >= min(count, 2 * workers)


def spec_with_rows(n: int, rows: int) -> dict:
    """A chart numbered `n` whose named data set has `rows` rows."""
    return {
        **spec(n),
        "data": {"name": "d"},
        "datasets": {"d": [{"x": f"x{i}", "y": n + 1} for i in range(rows)]},
    }


def test_heaviest_first_orders_by_data_rows_keeping_ties_in_order():
    specs = [spec_with_rows(0, 2), spec_with_rows(1, 9), spec(2), spec_with_rows(3, 9)]
    assert render.heaviest_first(specs) == [1, 3, 0, 2]


def test_specs_handed_out_heaviest_first_come_back_in_order():
    count = POOL_MIN + 9
    specs = [spec_with_rows(n, 1 + (n * 7) % 11) for n in range(count)]
    with SvgRenderer(count, workers=2) as renderer:
        svgs = renderer.render(specs)
        assert isinstance(renderer.pool, concurrent.futures.ProcessPoolExecutor)
    assert_svgs(svgs, count)
    assert svgs == render_svgs(specs, workers=1)


def test_batches_started_while_the_workers_start_are_all_handed_out_at_the_first_wait(
    monkeypatch,
):
    """Batches made before the workers answered wait to be handed out; the first batch asked
    for hands out every one of them, so the workers draw the later ones while this process
    writes the first batch's pages."""
    held = threading.Event()
    original = render.SvgRenderer._start
    monkeypatch.setattr(render.SvgRenderer, "_start", lambda self: (held.wait(), original(self)))
    with SvgRenderer(3 * POOL_MIN, workers=2) as renderer:
        batches = [
            renderer.start([spec(n) for n in range(k * POOL_MIN, (k + 1) * POOL_MIN)])
            for k in range(3)
        ]
        assert all(batch.runs is render.LATER for batch in batches)
        held.set()
        assert_svgs(batches[0].svgs(), POOL_MIN)
        assert not any(batch.runs is render.LATER for batch in batches[1:])
        assert all(batch.runs for batch in batches[1:])  # handed out in runs
        svgs = batches[0].svgs() + batches[1].svgs() + batches[2].svgs()
    assert_svgs(svgs, 3 * POOL_MIN)


def test_the_chart_server_starts_early_only_where_workers_will_draw(monkeypatch):
    from multiprocessing import forkserver

    started = []
    monkeypatch.setattr(forkserver, "ensure_running", lambda: started.append(True))
    monkeypatch.setattr(render, "available_cores", lambda: 2)
    monkeypatch.setenv(render.WORKERS_VARIABLE, "1")
    render.start_chart_server()
    assert started == []
    monkeypatch.setenv(render.WORKERS_VARIABLE, "2")
    render.start_chart_server()
    assert started == ([True] if "forkserver" in multiprocessing.get_all_start_methods() else [])


def test_a_pack_with_charts_starts_the_chart_server_before_reading(monkeypatch, tmp_path):
    from boardpack import api

    calls = []
    monkeypatch.setattr(render, "start_chart_server", lambda: calls.append("server"))
    monkeypatch.setattr(api, "dataset_of", lambda project: calls.append("read") or 1 / 0)
    for formats in (["xlsx"], ["docx"]):
        calls.clear()
        with pytest.raises(ZeroDivisionError):
            api.build_pack("project", formats=formats, out=tmp_path)
        assert calls == (["read"] if formats == ["xlsx"] else ["server", "read"])
