"""The pack as a tagged PDF (PDF/UA-1) through WeasyPrint, from the print document.

The PDF carries the document's title, author and language (en-GB), bookmarks from the h1 to h3
headings, a page number in every footer, a contents list with page numbers, every chart as a
picture (PNG, `pdf_pictures.py`: WeasyPrint draws SVG slowly) with its title and description
as alternative text, and table headers repeated on every page a table runs onto (`print.css`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pydyf
from lxml import etree

from boardpack.pack import PackInput

from .pdf_pictures import pictured_html
from .printable import PrintDocument, charts_first, drop_layout_whitespace, print_document

PDF_VARIANT = "pdf/ua-1"


def printed_tree(tree: etree._Element) -> etree._Element:
    """The copy of the print document handed to WeasyPrint: each exception's chart before its
    heading (`charts_first`), and no whitespace between blocks (`drop_layout_whitespace`)."""
    return drop_layout_whitespace(charts_first(tree))


def page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """pydyf's `PDF.page_references`, made once for each number of pages: pydyf builds the
    tuple of every page's reference afresh each time it is read, and WeasyPrint reads it for
    every tagged element of a tagged PDF (quadratic in pages: 28,000 reads of 221 references
    for the demo's quarterly report)."""
    kids = pdf.pages["Kids"]
    made = pdf.__dict__.get("_boardpack_page_references")
    if made is None or made[0] is not kids or made[1] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        made = pdf.__dict__["_boardpack_page_references"] = (kids, len(kids), references)
    return made[2]


def reuse_page_references() -> None:
    """Have pydyf keep its page references (`page_references`); the same values, made once."""
    if getattr(pydyf.PDF.page_references, "fget", None) is not page_references:
        pydyf.PDF.page_references = property(page_references)


def write_pdf(pack: PackInput, layout: str, out: Path) -> Path:
    """Write the pack in `layout` as a tagged PDF to `out` and return its path."""
    return pdf_from_document(print_document(pack, layout), out)


def pdf_from_document(document: PrintDocument, out: Path) -> Path:
    """Write a print document as a tagged PDF."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    reuse_page_references()
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
