"""WeasyPrint alone on the demo's quarterly-report print document, beside Boardpack's PDF build
(`bench_packs.py` calls `weasyprint_figures` in the same run; run alone, this prints them).

- `demo_pdf_weasyprint_seconds`: `weasyprint.HTML(string=..., base_url=...).write_pdf()` (tagged
  PDF/UA-1, as the build writes it) on the HTML Boardpack hands WeasyPrint (`pdf.printed_tree`):
  charts as PNG pictures (`boardpack.documents.pdf_pictures`), made beforehand.
- `demo_pdf_weasyprint_svg_seconds`: the same on the print document with its charts as inline
  SVG, as Boardpack gave it to WeasyPrint before.
- `..._cpu_seconds`: the same, in CPU time (steadier than wall clock on a shared machine).
- `demo_pdf_pages`: the PDF's pages.
- `demo_pdf_weasyprint_phases`: with `--phases`, CPU seconds of each of WeasyPrint's steps on
  the pictured HTML (parse, cascade, boxes, layout and its tables, columns and page margins,
  drawing and its SVG, pictures, tags, the rest of writing).
"""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from boardpack.assemble import latest_period, pack_input
from boardpack.documents.pdf import PDF_VARIANT, printed_tree
from boardpack.documents.pdf_pictures import pictured_html
from boardpack.documents.printable import PrintDocument, print_document
from boardpack.engine.project import evaluate_dataset
from boardpack.pack.chart_store import CACHE_VARIABLE
from boardpack.sources import load_project

DEMO = Path(__file__).resolve().parent.parent / "examples" / "example-county"
LAYOUT = "quarterly-report"


def demo_document(cache: Path) -> PrintDocument:
    """The demo's quarterly-report print document, its charts kept in the store at `cache`."""
    before = os.environ.get(CACHE_VARIABLE)
    os.environ[CACHE_VARIABLE] = str(cache)
    try:
        dataset = load_project(DEMO)
        pack = pack_input(dataset, evaluate_dataset(dataset), latest_period(dataset), None)
        return print_document(pack, LAYOUT)
    finally:
        if before is None:
            del os.environ[CACHE_VARIABLE]
        else:
            os.environ[CACHE_VARIABLE] = before


def weasyprint_pdf(html: str, base_url: Path, out: Path) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of WeasyPrint alone writing `html` as a tagged PDF; its pages."""
    from weasyprint import HTML

    started, cpu = time.perf_counter(), time.process_time()
    document = HTML(string=html, base_url=str(base_url)).render(
        pdf_variant=PDF_VARIANT, pdf_tags=True
    )
    document.write_pdf(out, pdf_variant=PDF_VARIANT, pdf_tags=True)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return round(seconds, 2), round(cpu, 2), len(document.pages)


def weasyprint_figures(work: Path, phases: bool = False) -> dict:
    """WeasyPrint alone on the pictured print HTML and on the inline-SVG one, in `work`."""
    document = demo_document(work / "cache-weasyprint")
    figures: dict = {}
    with (
        tempfile.TemporaryDirectory(dir=work) as folder,
        pictured_html(document, Path(folder), printed_tree) as html,
    ):
        seconds, cpu, pages = weasyprint_pdf(html, work, work / "weasyprint.pdf")
        figures |= {
            "demo_pdf_weasyprint_seconds": seconds,
            "demo_pdf_weasyprint_cpu_seconds": cpu,
            "demo_pdf_pages": pages,
        }
        if phases:
            figures["demo_pdf_weasyprint_phases"] = phase_seconds(html, work)
    svg_html = document.html(printed_tree(document.tree))
    seconds, cpu, pages = weasyprint_pdf(svg_html, work, work / "weasyprint-svg.pdf")
    figures |= {
        "demo_pdf_weasyprint_svg_seconds": seconds,
        "demo_pdf_weasyprint_svg_cpu_seconds": cpu,
        "demo_pdf_svg_pages": pages,
    }
    return figures


def phase_seconds(html: str, base_url: Path) -> dict:
    """CPU seconds of each of WeasyPrint's steps on `html` (its functions wrapped in timers)."""
    import weasyprint.document as document_module
    import weasyprint.images as images_module
    import weasyprint.layout as layout_module
    import weasyprint.layout.block as block_module
    import weasyprint.pdf as pdf_module
    from weasyprint import HTML
    from weasyprint.svg import SVG

    spent: dict[str, float] = {}
    depth: dict[str, int] = {}

    def timed(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            depth[label] = depth.get(label, 0) + 1
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                depth[label] -= 1
                if not depth[label]:
                    spent[label] = spent.get(label, 0) + time.process_time() - started

        setattr(owner, name, wrapper)
        wrapped.append((owner, name, original))

    wrapped: list = []
    timed(document_module, "get_all_computed_styles", "cascade")
    timed(document_module, "build_formatting_structure", "boxes")
    timed(layout_module, "make_margin_boxes", "layout: page margin boxes")
    timed(block_module, "columns_layout", "layout: columns")
    timed(block_module, "table_layout", "layout: tables")
    timed(document_module.Page, "paint", "draw")
    timed(SVG, "draw", "draw: svg")
    timed(images_module.RasterImage, "get_x_object", "pictures")
    timed(pdf_module, "add_tags", "tags")
    try:
        started = time.process_time()
        parsed = HTML(string=html, base_url=str(base_url))
        spent["parse"] = time.process_time() - started
        started = time.process_time()
        document = parsed.render(pdf_variant=PDF_VARIANT, pdf_tags=True)
        rendered = time.process_time() - started
        spent["layout"] = rendered - spent.get("cascade", 0) - spent.get("boxes", 0)
        started = time.process_time()
        document.write_pdf(base_url / "phases.pdf", pdf_variant=PDF_VARIANT, pdf_tags=True)
        written = time.process_time() - started
        parts = ("draw", "pictures", "tags")
        spent["write: the rest"] = written - sum(spent.get(part, 0) for part in parts)
    finally:
        for owner, name, original in reversed(wrapped):
            setattr(owner, name, original)
    return {label: round(seconds, 2) for label, seconds in spent.items()}


def main() -> None:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="boardpack-bench-pdf-") as work:
        figures = weasyprint_figures(Path(work), phases="--phases" in sys.argv)
    figures |= {"load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2)}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
