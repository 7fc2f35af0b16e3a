"""The pack as a tagged PDF (PDF/UA-1) through WeasyPrint, from the print document.

The PDF carries the document's title, author and language (en-GB), bookmarks from the h1 to h3
headings, a page number in every footer, a contents list with page numbers, every chart as a
picture (PNG, `pdf_pictures.py`: WeasyPrint draws SVG slowly) with its title and description
as alternative text, and table headers repeated on every page a table runs onto (`print.css`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from lxml import etree

from boardpack.pack import PackInput

from .pdf_pictures import pictured_html
from .printable import (
    PrintDocument,
    chart_blocks,
    charts_first,
    drop_layout_whitespace,
    print_document,
)

PDF_VARIANT = "pdf/ua-1"


def printed_tree(tree: etree._Element) -> etree._Element:
    """The copy of the print document handed to WeasyPrint: each exception's chart before its
    heading (`charts_first`), every other chart held with its heading (`chart_blocks`), and no
    whitespace between blocks (`drop_layout_whitespace`)."""
    return drop_layout_whitespace(chart_blocks(charts_first(tree)))


def write_pdf(pack: PackInput, layout: str, out: Path) -> Path:
    """Write the pack in `layout` as a tagged PDF to `out` and return its path."""
    return pdf_from_document(print_document(pack, layout), out)


def pdf_from_document(document: PrintDocument, out: Path) -> Path:
    """Write a print document as a tagged PDF."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="boardpack-pdf-") as folder,
        pictured_html(document, Path(folder), printed_tree) as html,
    ):
        HTML(string=html, base_url=str(out.parent)).write_pdf(
            out, pdf_variant=PDF_VARIANT, pdf_tags=True
        )
    return out
