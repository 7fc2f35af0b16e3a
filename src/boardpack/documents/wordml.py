"""WordprocessingML blocks (paragraphs, runs, tables, page breaks) made with lxml directly.

python-docx's objects find their place among an element's children by schema order for every
property set, and its tables are reached cell by cell through the whole grid: for a pack's
thousands of paragraphs and table cells that is most of a Word document's time. These make
the same elements python-docx makes, each in one pass: a table is one element tree, its
column spans written as `w:gridSpan` (what python-docx's `merge` leaves), its header rows
marked to repeat on every page (`w:tblHeader`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from docx.oxml.ns import nsmap, qn
from docx.shared import Emu, Length
from lxml import etree

NAMESPACES = {"w": nsmap["w"]}
VAL = qn("w:val")
TYPE = qn("w:type")
WIDTH = qn("w:w")
PRESERVE = qn("xml:space")
(P, P_PR, P_STYLE, NUM_PR, ILVL, NUM_ID, R, R_PR, BOLD, ITALIC, SIZE, T, BR, DRAWING) = (
    qn(f"w:{name}") for name in ("p pPr pStyle numPr ilvl numId r rPr b i sz t br drawing".split())
)
(TBL, TBL_PR, TBL_STYLE, TBL_W, TBL_LOOK, TBL_GRID, GRID_COL, TR, TR_PR, TBL_HEADER, TC, TC_PR) = (
    qn(f"w:{name}")
    for name in (
        "tbl tblPr tblStyle tblW tblLook tblGrid gridCol tr trPr tblHeader tc tcPr".split()
    )
)
TC_W, GRID_SPAN = qn("w:tcW"), qn("w:gridSpan")
#: python-docx's new tables' look: header row and first column styled, banded rows.
TABLE_LOOK = {
    qn(f"w:{name}"): value
    for name, value in (
        ("firstColumn", "1"),
        ("firstRow", "1"),
        ("lastColumn", "0"),
        ("lastRow", "0"),
        ("noHBand", "0"),
        ("noVBand", "1"),
        ("val", "04A0"),
    )
}
SPACES = re.compile(r"[ \t\r\n]+")


class Piece(NamedTuple):
    """Text of one look: a run's text, bold or italic."""

    text: str
    bold: bool = False
    italic: bool = False


def paragraph(style_id: str | None = None, numbering: int | None = None) -> etree._Element:
    """An empty `w:p`, in a style and a list's numbering (level one) if given."""
    p = etree.Element(P, nsmap=NAMESPACES)
    if style_id or numbering is not None:
        properties = etree.SubElement(p, P_PR)
        if style_id:
            etree.SubElement(properties, P_STYLE, {VAL: style_id})
        if numbering is not None:
            numbered = etree.SubElement(properties, NUM_PR)
            etree.SubElement(numbered, ILVL, {VAL: "0"})
            etree.SubElement(numbered, NUM_ID, {VAL: str(numbering)})
    return p


def run(
    parent: etree._Element, text: str, bold: bool = False, italic: bool = False, size=None
) -> etree._Element:
    """A `w:r` of `text` at the end of `parent` (no `w:t` for no text), bold, italic and `size`
    (a Length) as given; spaces at either end kept."""
    r = etree.SubElement(parent, R)
    if bold or italic or size:
        properties = etree.SubElement(r, R_PR)
        if bold:
            etree.SubElement(properties, BOLD)
        if italic:
            etree.SubElement(properties, ITALIC)
        if size:
            etree.SubElement(properties, SIZE, {VAL: half_points(size)})
    if text:
        t = etree.SubElement(r, T)
        t.text = text
        if len(text.strip()) < len(text):
            t.set(PRESERVE, "preserve")
    return r


@functools.cache
def half_points(size: int) -> str:
    """A font size (a Length) in half points, as `w:sz` gives it."""
    return str(int(Length(size).pt * 2))


def text_paragraph(text: str, style_id: str | None = None) -> etree._Element:
    """A paragraph of one run of `text`."""
    p = paragraph(style_id)
    run(p, text)
    return p


def add_pieces(p: etree._Element, pieces: Iterable[Piece], size=None) -> None:
    """A run for each piece of text, its white space collapsed as HTML shows it (none at
    either end of the whole); empty pieces left out."""
    pieces = list(pieces)
    last = len(pieces) - 1
    for n, (text, bold, italic) in enumerate(pieces):
        text = SPACES.sub(" ", text)
        if n == 0:
            text = text.lstrip()
        if n == last:
            text = text.rstrip()
        if text:
            run(p, text, bold, italic, size)


def page_break() -> etree._Element:
    """A paragraph holding a page break."""
    p = paragraph()
    etree.SubElement(etree.SubElement(p, R), BR, {TYPE: "page"})
    return p


def drawing(inline: etree._Element) -> etree._Element:
    """A paragraph holding a picture (its `wp:inline`)."""
    p = paragraph()
    etree.SubElement(etree.SubElement(p, R), DRAWING).append(inline)
    return p


@dataclass(frozen=True)
class Cell:
    """A table cell: its pieces of text and how many columns it spans."""

    pieces: list[Piece]
    span: int = 1


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    header: bool = False


def columns(rows: list[Row]) -> int:
    """The columns of a table: as many as its widest row spans."""
    return max(sum(cell.span for cell in row.cells) for row in rows)


def table(rows: list[Row], width: int, style_id: str, size=None) -> etree._Element:
    """A `w:tbl` of `rows`, `width` (EMU) shared evenly between its columns (as many as its
    widest row), in a table style, its text at `size`. A short row is filled with empty
    cells."""
    count = columns(rows)
    twips = Emu(width // count).twips
    tbl = etree.Element(TBL, nsmap=NAMESPACES)
    properties = etree.SubElement(tbl, TBL_PR)
    etree.SubElement(properties, TBL_STYLE, {VAL: style_id})
    etree.SubElement(properties, TBL_W, {TYPE: "auto", WIDTH: "0"})
    etree.SubElement(properties, TBL_LOOK, TABLE_LOOK)
    grid = etree.SubElement(tbl, TBL_GRID)
    for _ in range(count):
        etree.SubElement(grid, GRID_COL, {WIDTH: str(twips)})
    for row in rows:
        table_row(tbl, row, count, twips, size)
    return tbl


def table_row(tbl: etree._Element, row: Row, columns: int, twips: int, size) -> None:
    tr = etree.SubElement(tbl, TR)
    if row.header:
        etree.SubElement(etree.SubElement(tr, TR_PR), TBL_HEADER, {VAL: "true"})
    for cell in row.cells:
        table_cell(tr, cell.span, twips, cell.pieces, size)
    for _ in range(columns - sum(cell.span for cell in row.cells)):
        table_cell(tr, 1, twips, [], size)


def table_cell(tr: etree._Element, span: int, twips: int, pieces: list[Piece], size) -> None:
    tc = etree.SubElement(tr, TC)
    properties = etree.SubElement(tc, TC_PR)
    etree.SubElement(properties, TC_W, {TYPE: "dxa", WIDTH: str(twips * span)})
    if span > 1:
        etree.SubElement(properties, GRID_SPAN, {VAL: str(span)})
    add_pieces(etree.SubElement(tc, P), pieces, size)
