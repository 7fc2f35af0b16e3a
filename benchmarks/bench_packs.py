"""`make bench`: the demo council's quarterly-report pack, cold and after a change, and its
charts beside vl-convert's own time. Prints one JSON object; a benchmark, not a test: it
asserts nothing, and says which targets were missed (`docs/performance.md` records it).

- `charts_per_pack`: the charts of the demo's quarterly-report pack.
- `chart_ms_mean`: drawing them all into a new chart store with the renderer a build uses
  (worker processes, started beforehand as a build starts them while it builds the specs),
  per chart, wall clock.
- `chart_serial_floor_ms_mean`: the same specs drawn by vl-convert one by one in this process,
  as given; `chart_serial_boardpack_ms_mean`: the same, drawn as Boardpack draws them (made
  lean, `boardpack.pack.lean`, each shape compiled once, `boardpack.pack.compiled`, titles not
  measured, `boardpack.pack.unmeasured`); `chart_serial_floor_cpu_ms_mean` and
  `chart_serial_boardpack_cpu_ms_mean`: the same two in CPU time, the figures to compare on a
  loaded machine.
- `demo_<format>_seconds`: `boardpack build --layout quarterly-report --format <format>` in a
  fresh process with a new, empty chart store.
- `demo_rebuild_seconds`: `--format html,docx` again, after changing one figure, with the
  store the first build filled.
- `demo_pdf_weasyprint_seconds`: WeasyPrint alone on the print HTML Boardpack hands it (charts
  as PNG pictures), beside `demo_pdf_weasyprint_svg_seconds` on the same document with its
  charts as inline SVG, and `demo_pdf_pages` (`bench_pdf.py`).
- `big_council_html_cold_seconds`, `big_council_html_warm_seconds`: the web benchmark's
  synthetic council (`bench_web.write_project`: 500 monthly indicators, ten years) built as a
  quarterly-report HTML pack with a new, empty chart store, then again with nothing changed;
  `big_council_docx_seconds`: its Word document with a new, empty store of its own.
- `load_before`, `load_after`: the machine's one-minute load average around the run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import vl_convert
from bench_pdf import weasyprint_figures
from targets import targets_missed

from boardpack.assemble import latest_period, pack_input
from boardpack.engine.project import evaluate_dataset
from boardpack.pack.chart_store import CACHE_VARIABLE, ChartStore
from boardpack.pack.layouts import get_layout
from boardpack.pack.render import SvgRenderer, render_svg
from boardpack.pack.views import indicator_views
from boardpack.sources import load_project

DEMO = Path(__file__).resolve().parent.parent / "examples" / "example-county"
LAYOUT = "quarterly-report"
FORMATS = {"html": "index.html", "pdf": "pack.pdf", "docx": "pack.docx", "xlsx": "pack.xlsx"}


def pack_specs() -> list[dict]:
    """The chart specs of the demo's quarterly-report pack, as a build makes them."""
    dataset = load_project(DEMO)
    pack = pack_input(dataset, evaluate_dataset(dataset), latest_period(dataset), None)
    layout = get_layout(LAYOUT)
    views = indicator_views(pack, [ref for group in layout.arrange(pack) for ref in group.refs])
    extra = layout.extra(pack, views) if layout.extra else {}
    charts = [chart for view in views.values() for chart in view.charts()]
    return [chart.spec for chart in charts + list(extra.get("charts", []))]


def chart_figures(specs: list[dict]) -> dict:
    """Milliseconds a chart: the pack's renderer into a new store, and vl-convert alone."""
    with tempfile.TemporaryDirectory() as folder:
        store = ChartStore(folder)
        with SvgRenderer(len(specs), store=store) as renderer:
            started = time.perf_counter()
            renderer._started()  # as in a build, the workers start while the specs are built
            pool_seconds = time.perf_counter() - started
            started = time.perf_counter()
            renderer.render(specs)
            pool = time.perf_counter() - started
            workers = renderer.workers if renderer.pool is not None else 1
    vl_convert.vegalite_to_svg(specs[0])  # vl-convert's engine started, as in the workers
    floor, floor_cpu = timed(vl_convert.vegalite_to_svg, specs)
    ours, ours_cpu = timed(render_svg, specs)
    count = len(specs)
    return {
        "charts_per_pack": count,
        "chart_ms_mean": round(1000 * pool / count, 1),
        "chart_serial_floor_ms_mean": round(1000 * floor / count, 1),
        "chart_serial_boardpack_ms_mean": round(1000 * ours / count, 1),
        "chart_serial_floor_cpu_ms_mean": round(1000 * floor_cpu / count, 1),
        "chart_serial_boardpack_cpu_ms_mean": round(1000 * ours_cpu / count, 1),
        "chart_workers": workers,
        "chart_workers_start_seconds": round(pool_seconds, 2),
    }


def timed(draw, specs: list[dict]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (this process's, vl-convert's threads included) of drawing
    the specs one by one."""
    started, cpu = time.perf_counter(), time.process_time()
    for spec in specs:
        draw(spec)
    return time.perf_counter() - started, time.process_time() - cpu


def build(project: Path, out: Path, formats: str, cache: Path) -> float:
    """Seconds of one `boardpack build` in a fresh process with the chart store `cache`."""
    command = [sys.executable, "-m", "boardpack.cli", "build", str(project), "--layout", LAYOUT]
    command += ["--out", str(out), "--format", formats]
    env = {**os.environ, CACHE_VARIABLE: str(cache)}
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    seconds = time.perf_counter() - started
    for fmt in formats.split(","):
        if not (out / FORMATS[fmt]).is_file():
            raise RuntimeError(f"boardpack build --format {fmt} wrote nothing")
    return round(seconds, 2)


def change_one_figure(project: Path) -> None:
    """Add one to the latest figure that has no numerator and denominator."""
    path = project / "data" / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    value, numerator = header.index("value"), header.index("numerator")
    for n in range(len(lines) - 1, 0, -1):
        cells = lines[n].split(",")
        if cells[value] and not cells[numerator]:
            cells[value] = f"{float(cells[value]) + 1:g}"
            lines[n] = ",".join(cells)
            break
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def pack_figures(work: Path) -> dict:
    """Each format cold, then html and docx again after one figure changed."""
    figures = {}
    for fmt in FORMATS:
        figures[f"demo_{fmt}_seconds"] = build(DEMO, work / fmt, fmt, work / f"cache-{fmt}")
    project = work / "project"
    shutil.copytree(DEMO, project, ignore=shutil.ignore_patterns(".boardpack"))
    cache = work / "cache-rebuild"
    build(project, work / "before", "html,docx", cache)
    change_one_figure(project)
    figures["demo_rebuild_seconds"] = build(project, work / "after", "html,docx", cache)
    return figures


def big_council_figures(work: Path) -> dict:
    """The web benchmark's 500-indicator council as a quarterly-report pack: HTML cold and
    warm (nothing changed) with one store, Word cold with a store of its own."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_web import INDICATORS, write_project

    project = write_project(work / "big-council")
    cache = work / "cache-big-council"
    return {
        "big_council_indicators": INDICATORS,
        "big_council_html_cold_seconds": build(project, work / "big-cold", "html", cache),
        "big_council_html_warm_seconds": build(project, work / "big-warm", "html", cache),
        "big_council_docx_seconds": build(
            project, work / "big-docx", "docx", work / "cache-big-council-docx"
        ),
    }


def main() -> None:
    load_before = os.getloadavg()[0]
    figures = chart_figures(pack_specs())
    with tempfile.TemporaryDirectory(prefix="boardpack-bench-") as work:
        figures |= pack_figures(Path(work))
        figures |= weasyprint_figures(Path(work))
        if "--no-big-council" not in sys.argv:
            figures |= big_council_figures(Path(work))
    figures |= {
        "cores": os.cpu_count(),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }
    figures["targets_missed"] = targets_missed(figures, all_measured=False)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
