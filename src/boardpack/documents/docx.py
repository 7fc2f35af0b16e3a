"""The pack as a Word document, from the print document: real headings (Heading 1 to 6), tables
whose header rows repeat on every page (w:tblHeader), lists, and every chart as a PNG picture
carrying its title and description as alternative text (docPr descr). The document's title,
author, subject and language (en-GB) are set in its properties.

The print document's elements are turned into Word's by a registry of handlers, by tag.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from boardpack.pack import PackInput
from boardpack.pack.render import Png, StoredPng, SvgRenderer

from .printable import LANGUAGE, PrintDocument, chart_words, print_document

CHART_WIDTH = Cm(16)
PNG_SCALE = 2
WIDE_TABLE = 12  # columns beyond which a table's text is set smaller
CONTAINERS = {"div", "section", "article", "nav", "main", "header", "footer", "aside", "body"}
SECTION_PROPERTIES = qn("w:sectPr")
INLINE = {"span", "a", "strong", "b", "em", "i", "abbr", "code", "small", "sup", "sub", "br"}


def write_docx(pack: PackInput, layout: str, out: Path) -> Path:
    """Write the pack in `layout` as a Word document to `out` and return its path."""
    return docx_from_document(print_document(pack, layout), out)


def docx_from_document(document: PrintDocument, out: Path) -> Path:
    """Write a print document as a Word document."""
    doc = Document()
    set_properties(doc, document)
    landscape(doc)
    page_numbers(doc)
    with pictures(document) as pngs:
        writer = Writer(doc, pngs)
        for n, page in enumerate(document.body):
            if n:
                new_paragraph(doc).add_run().add_break(WD_BREAK.PAGE)
            writer.block(page)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


def new_paragraph(doc, text: str | None = None) -> Paragraph:
    """`doc.add_paragraph(text)` in constant time: the same `w:p`, put before the body's
    closing section properties, which are its last child (python-docx looks for them among
    all the body's children, for every paragraph: a time that grows with the square of a long
    document's length)."""
    body = doc.element.body
    p = OxmlElement("w:p")
    if len(body) and body[-1].tag == SECTION_PROPERTIES:
        body[-1].addprevious(p)
    else:
        body._insert_p(p)
    paragraph = Paragraph(p, doc._body)
    if text:
        paragraph.add_run(text)
    return paragraph


def set_properties(doc, document: PrintDocument) -> None:
    """Title, subject, author and language, in the core properties and as the default language
    of the text (so spelling and screen readers use British English)."""
    props = doc.core_properties
    props.title, props.subject, props.author = document.title, document.subject, document.author
    props.language = LANGUAGE
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run_props = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_props.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_props.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def landscape(doc) -> None:
    """A4 landscape, as the trend tables are wide."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.6))


def field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in a paragraph, shown as 1 until Word updates it."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("end", None)):
        if kind == "instr":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {text} "
            run._r.append(code)
            continue
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)
        if kind == "separate":
            shown = OxmlElement("w:t")
            shown.text = "1"
            run._r.append(shown)


def page_numbers(doc) -> None:
    """ "Page N of M" in every page's footer."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.add_run("Page ")
    field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    field(paragraph, "NUMPAGES")


def words(text: str | None) -> str:
    return " ".join((text or "").split())


def hidden(element: etree._Element) -> bool:
    return element.get("aria-hidden") == "true"


def inline_runs(element: etree._Element, bold: bool = False, italic: bool = False):
    """(text, bold, italic) pieces of an element's inline content; an image by its label."""
    if element.get("role") == "img" and element.get("aria-label"):
        yield element.get("aria-label"), bold, italic
        return
    bold = bold or element.tag in ("strong", "b", "th", "dt")
    italic = italic or element.tag in ("em", "i")
    if element.text:
        yield element.text, bold, italic
    for child in element:
        if isinstance(child.tag, str) and not hidden(child) and child.tag != "svg":
            if child.tag == "br":
                yield "\n", bold, italic
            elif child.tag not in ("ul", "ol", "table"):
                yield from inline_runs(child, bold, italic)
        if child.tail:
            yield child.tail, bold, italic


def add_runs(paragraph, element: etree._Element, size: Pt | None = None) -> None:
    """Fill a paragraph with an element's inline content, spaces collapsed as HTML does."""
    pieces = [(re.sub(r"[ \t\r\n]+", " ", t), b, i) for t, b, i in inline_runs(element)]
    if pieces:
        pieces[0] = (pieces[0][0].lstrip(), *pieces[0][1:])
        pieces[-1] = (pieces[-1][0].rstrip(), *pieces[-1][1:])
    for text, bold, italic in pieces:
        if text:
            run = copy.deepcopy(empty_run(bold, italic, size))
            t = etree.SubElement(run, qn("w:t"))
            t.text = text
            if len(text.strip()) < len(text):
                t.set(qn("xml:space"), "preserve")
            paragraph._p.append(run)


@functools.cache
def empty_run(bold: bool, italic: bool, size: Pt | None) -> etree._Element:
    """A run with no text in this style, made as python-docx makes one; `add_runs` copies it
    and adds the text as python-docx would, which costs far less than python-docx's own
    `add_run`, `bold`, `italic` and `font.size` for every run of a table's cells."""
    run = Run(OxmlElement("w:r"), None)
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = size
    return run._r


def mark_header(row) -> None:
    """Mark a table row as a header row, repeated at the top of each page."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def svg_text(svg: etree._Element) -> str:
    """An inline SVG as an SVG file's text (the HTML parser lower-cased viewBox)."""
    text = etree.tostring(svg, encoding="unicode", with_tail=False).replace(
        " viewbox=", " viewBox="
    )
    if "xmlns=" not in text[: text.find(">")]:
        text = text.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return text


class Images:
    """Adds pictures as python-docx's `add_picture` does, without its costs that grow with the
    document: an image's part is found by its hash in a dict (python-docx hashes every earlier
    image again) and shape ids are counted on (python-docx searches the whole document for the
    largest id each time; only pictures carry ids here)."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.relations: dict[str, str] = {}  # image hash -> relationship id
        self.next_id = doc.part.next_id

    def add(self, png: bytes, width: int):
        """A picture of `png`, `width` wide, in a paragraph of its own; its `wp:inline`."""
        image = Image.from_blob(png)
        if image.sha1 not in self.relations:
            images = self.doc.part.package.image_parts
            part = ImagePart.from_image(
                image, PackURI(f"/word/media/image{len(images) + 1}.{image.ext}")
            )
            images.append(part)
            self.relations[image.sha1] = self.doc.part.relate_to(part, RT.IMAGE)
        cx, cy = image.scaled_dimensions(width, None)
        inline = CT_Inline.new_pic_inline(
            self.next_id, self.relations[image.sha1], image.filename, cx, cy
        )
        self.next_id += 1
        new_paragraph(self.doc).add_run()._r.add_drawing(inline)
        return inline


def pictured(svg: etree._Element) -> bool:
    """Whether an SVG is shown as a picture: not hidden, and not an icon that a labelled holder
    stands for in words."""
    if hidden(svg):
        return False
    return not any(a.get("role") == "img" and a.get("aria-label") for a in svg.iterancestors())


@contextmanager
def pictures(document: PrintDocument) -> Iterator[list[Png | StoredPng]]:
    """The PNG of every pictured SVG, each SVG numbered by its place in the list (`data-png`).
    A chart's PNG comes from the renderer that drew it, when the document still has it (made
    while the pages were written); any other SVG is converted from its text, in that
    renderer's workers or in workers started here, unless the project's chart store holds its
    PNG already."""
    svgs = [svg for svg in document.body.iter("svg") if pictured(svg)]
    renderer = document.renderer
    if renderer is not None and renderer.png_scale != PNG_SCALE:
        renderer = None
    known = [renderer.picture(svg.get("id", "")) if renderer else None for svg in svgs]
    rest = [svg_text(svg) for svg, png in zip(svgs, known, strict=True) if png is None]
    with (
        nullcontext(renderer)
        if renderer
        else SvgRenderer(len(rest), png_scale=PNG_SCALE, warm=False, store=document.store)
    ) as converter:
        converted = iter(converter.to_png(rest))
        for n, svg in enumerate(svgs):
            svg.set("data-png", str(n))
        yield [png or next(converted) for png in known]


class Writer:
    """Adds the print document's elements to a Word document, by a registry of tag handlers."""

    def __init__(self, doc, pngs: list[Png | StoredPng]):
        self.doc = doc
        self.pngs = pngs
        self.images = Images(doc)
        self.style_ids: dict[str, str] = {}
        self.last = None  # the paragraph added last
        self.handlers: dict[str, Callable[[etree._Element], None]] = {
            **{f"h{n}": self.heading for n in range(1, 7)},
            "p": self.paragraph,
            "ul": self.listing,
            "ol": self.listing,
            "table": self.table,
            "dl": self.pairs,
            "figure": self.figure,
            "figcaption": self.caption,
            "svg": self.picture,
            "blockquote": self.paragraph,
            "details": self.container,
            "summary": self.paragraph,
        }

    def block(self, element: etree._Element) -> None:
        """Add a block element (containers are walked into; unknown blocks become paragraphs)."""
        if not isinstance(element.tag, str) or hidden(element):
            return
        handler = self.handlers.get(element.tag)
        if handler:
            handler(element)
        elif element.tag in CONTAINERS:
            self.container(element)
            if "paper-cover" in (element.get("class") or "").split():
                new_paragraph(self.doc).add_run().add_break(WD_BREAK.PAGE)
        elif element.tag not in ("style", "script", "colgroup"):
            self.paragraph(element)

    def container(self, element: etree._Element) -> None:
        if words(element.text):
            new_paragraph(self.doc, words(element.text))
        for child in element:
            if isinstance(child.tag, str) and child.tag in INLINE:
                self.paragraph(child)
            else:
                self.block(child)
            if words(child.tail):
                new_paragraph(self.doc, words(child.tail))

    def style_id(self, style: str) -> str:
        """The id of a style named as Word names it (looked up once: python-docx's own look-up
        by name is slow)."""
        if style not in self.style_ids:
            self.style_ids[style] = self.doc.styles[style].style_id
        return self.style_ids[style]

    def add_paragraph(self, style: str | None = None):
        """A new paragraph, in a style if given."""
        paragraph = self.last = new_paragraph(self.doc)
        if style:
            paragraph._p.style = self.style_id(style)
        return paragraph

    def heading(self, element: etree._Element) -> None:
        level = int(element.tag[1])
        self.add_paragraph(f"Heading {level}").add_run(words(element.text_content()))

    def paragraph(self, element: etree._Element, style: str | None = None) -> None:
        for svg in element.iter("svg"):
            if svg.get("data-png"):
                self.picture(svg)
        add_runs(self.add_paragraph(style), element)

    def caption(self, element: etree._Element) -> None:
        self.paragraph(element, style="Caption")

    def listing(self, element: etree._Element, depth: int = 1) -> None:
        """A list; a numbered list starts again at 1 (its own numbering in Word)."""
        base = "List Number" if element.tag == "ol" else "List Bullet"
        style = base if depth == 1 else f"{base} {min(depth, 3)}"
        restart = self.restarted(style) if element.tag == "ol" else None
        for item in element.findall("li"):
            self.paragraph(item, style=style)
            if restart is not None:
                self.number(self.last, restart)
            for inner in item.iter("ul", "ol"):
                if inner.getparent() is item:
                    self.listing(inner, depth + 1)

    def restarted(self, style: str) -> int:
        """A new numbering of a numbered list style's own, starting at 1: its id."""
        numbering = self.doc.part.numbering_part.element
        style_num = self.doc.styles[style].element.pPr.numPr.numId.val
        abstract = numbering.num_having_numId(style_num).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def number(self, paragraph, num_id: int) -> None:
        numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numbering.get_or_add_ilvl().val = 0
        numbering.get_or_add_numId().val = num_id

    def pairs(self, element: etree._Element) -> None:
        """A description list: one paragraph per term, the term in bold."""
        terms = element.findall(".//dt")
        for term in terms:
            detail = term.getnext()
            paragraph = self.add_paragraph()
            paragraph.add_run(words(term.text_content()) + ": ").bold = True
            if detail is not None and detail.tag == "dd":
                add_runs(paragraph, detail)

    def figure(self, element: etree._Element) -> None:
        for child in element:
            self.block(child)

    def picture(self, svg: etree._Element) -> None:
        """A chart as a PNG picture with its title and description as alternative text."""
        if not svg.get("data-png"):
            return
        width = float(svg.get("width") or 0)
        shown = min(CHART_WIDTH, Cm(width * 2.54 / 96)) if width else CHART_WIDTH
        inline = self.images.add(self.pngs[int(svg.get("data-png"))].data(), shown)
        alt = chart_words(svg) or "Chart"
        inline.docPr.set("descr", alt)
        inline.docPr.set("title", words(svg.findtext("title")) or alt)

    def table(self, element: etree._Element) -> None:
        """A table: its caption above it, its thead rows as repeating header rows."""
        caption = element.find("caption")
        if caption is not None:
            self.caption(caption)
        head = [tr for part in element.findall("thead") for tr in part.findall("tr")]
        body = [tr for tr in element.iter("tr") if tr not in head]
        rows = head + body
        if not rows:
            return
        columns = max(
            sum(int(c.get("colspan", 1)) for c in tr if c.tag in ("td", "th")) for tr in rows
        )
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table._tbl.tblStyle_val = self.style_id("Table Grid")
        size = Pt(7) if columns > WIDE_TABLE else Pt(9)
        for r, (tr, row) in enumerate(zip(rows, table.rows, strict=True)):
            if r < len(head):
                mark_header(row)
            self.fill_row(tr, row.cells, size)

    def fill_row(self, tr: etree._Element, cells, size: Pt) -> None:
        position = 0
        for cell in (c for c in tr if c.tag in ("td", "th")):
            span = int(cell.get("colspan", 1))
            target = cells[position]
            if span > 1:
                target = target.merge(cells[min(position + span, len(cells)) - 1])
            add_runs(target.paragraphs[0], cell, size)
            position += span
