"""Documents of a pack: PDF (tagged, PDF/UA-1), Excel workbook and Word document.

`FORMATS` maps a format name to its file name and writer. The PDF and the Word document are
made from one print document of the pack (`printable.py`), built once however many are asked.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from boardpack.pack import PackInput, get_layout
from boardpack.pack.render import SvgRenderer
from boardpack.pack.writer import expected_charts

from .docx import PNG_SCALE, docx_from_document, write_docx
from .pdf import pdf_from_document, write_pdf
from .printable import PrintDocument, print_document
from .xlsx import write_xlsx


@dataclass(frozen=True)
class Format:
    """A document format: the file it writes and how, from the pack or its print document."""

    filename: str
    write: Callable[[PackInput, Callable[[], PrintDocument], Path], Path]


FORMATS: dict[str, Format] = {
    "pdf": Format("pack.pdf", lambda pack, document, out: pdf_from_document(document(), out)),
    "xlsx": Format("pack.xlsx", lambda pack, document, out: write_xlsx(pack, out)),
    "docx": Format("pack.docx", lambda pack, document, out: docx_from_document(document(), out)),
}


def write_documents(
    pack: PackInput, layout: str, formats: list[str], out_dir: Path, site: Path | None = None
) -> list[Path]:
    """Write each document in `formats` (names in `FORMATS`) into `out_dir`; `site` is the index
    page of the pack's site when it is already built (otherwise one is built in a temporary
    folder, once, if a format needs it)."""
    unknown = [name for name in formats if name not in FORMATS]
    if unknown:
        raise ValueError(
            f"unknown document format {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    made: list[PrintDocument] = []
    out_dir = Path(out_dir)
    with chart_workers(pack, layout, formats, site) as renderer:

        def document() -> PrintDocument:
            if not made:
                made.append(print_document(pack, layout, site, renderer))
            return made[0]

        return [
            FORMATS[name].write(pack, document, out_dir / FORMATS[name].filename)
            for name in formats
        ]


def chart_workers(
    pack: PackInput, layout: str, formats: list[str], site: Path | None
) -> AbstractContextManager[SvgRenderer | None]:
    """When the site is built here for a Word document, one set of workers draws its charts
    and turns them into the document's PNGs straight after, while the pages are written (no
    second pool to start, nothing converted twice); otherwise none."""
    if "docx" not in formats or site is not None or get_layout(layout).source != "period":
        return nullcontext()
    return SvgRenderer(expected_charts(pack, layout), png_scale=PNG_SCALE)


__all__ = [
    "FORMATS",
    "Format",
    "PrintDocument",
    "print_document",
    "write_docx",
    "write_documents",
    "write_pdf",
    "write_xlsx",
]
