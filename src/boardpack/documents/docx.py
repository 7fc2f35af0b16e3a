"""The pack as a Word document, from the print document: real headings (Heading 1 to 6), tables
whose header rows repeat on every page (w:tblHeader), lists, and every chart as a PNG picture
carrying its title and description as alternative text (docPr descr). The document's title,
author, subject and language (en-GB) are set in its properties.

The print document's elements are turned into Word's by a registry of handlers, by tag, each
making its blocks with lxml directly (`wordml`); python-docx makes the package around them
(styles, numbering, footer, pictures' parts, properties) and saves it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Cm, Pt
from lxml import etree

from boardpack.pack import PackInput
from boardpack.pack.render import Png, StoredPng

from . import wordml
from .pictures import hidden, pictures
from .printable import LANGUAGE, PrintDocument, chart_words, print_document
from .wordml import Piece

CHART_WIDTH = Cm(16)
PICTURES = {"png", "jpeg", "jpg", "gif"}
PICTURE_LEVEL = 1  # zlib's fastest
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
                writer.add(wordml.page_break())
            writer.block(page)
    place(doc, writer.blocks)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    save(doc, out)
    return out


class Zipped:
    """The zip file of a Word document, as python-docx's package writer writes its parts, with
    each compressed at `PICTURE_LEVEL` if it is a picture (a PNG is compressed already; zlib's
    default level took more than twice as long on the demo's, for a file an eighth smaller) and
    at zlib's default level otherwise."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)

    def write(self, uri: PackURI, blob: bytes) -> None:
        level = PICTURE_LEVEL if uri.ext in PICTURES else None
        self.zip.writestr(uri.membername, blob, compresslevel=level)

    def close(self) -> None:
        self.zip.close()


def save(doc, out: Path) -> None:
    """`doc.save(out)`, through `Zipped`."""
    package = doc.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    zipped = Zipped(out)
    try:
        PackageWriter._write_content_types_stream(zipped, parts)
        PackageWriter._write_pkg_rels(zipped, package.rels)
        PackageWriter._write_parts(zipped, parts)
    finally:
        zipped.close()


def place(doc, blocks: list[etree._Element]) -> None:
    """Put the blocks at the end of the document's body, before its closing section
    properties (its last child)."""
    body = doc.element.body
    ending = body[-1] if len(body) and body[-1].tag == SECTION_PROPERTIES else None
    if ending is not None:
        body.remove(ending)
    body.extend(blocks)
    if ending is not None:
        body.append(ending)


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


def inline_runs(element: etree._Element, bold: bool = False, italic: bool = False):
    """The pieces of text of an element's inline content (`wordml.Piece`); an image by its
    label."""
    if element.get("role") == "img" and element.get("aria-label"):
        yield Piece(element.get("aria-label"), bold, italic)
        return
    bold = bold or element.tag in ("strong", "b", "th", "dt")
    italic = italic or element.tag in ("em", "i")
    if element.text:
        yield Piece(element.text, bold, italic)
    for child in element:
        if isinstance(child.tag, str) and not hidden(child) and child.tag != "svg":
            if child.tag == "br":
                yield Piece("\n", bold, italic)
            elif child.tag not in ("ul", "ol", "table"):
                yield from inline_runs(child, bold, italic)
        if child.tail:
            yield Piece(child.tail, bold, italic)


class Images:
    """Adds pictures as python-docx's `add_picture` does, without its costs that grow with the
    document: an image's part is found by its hash in a dict (python-docx hashes every earlier
    image again), related under the next free id (python-docx looks through every earlier
    relationship for one to the same part, and counts the ids from one each time), and shape
    ids are counted on (python-docx searches the whole document for the largest id each time;
    only pictures carry ids here)."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.relations: dict[str, str] = {}  # image hash -> relationship id
        self.next_id = doc.part.next_id
        self.next_relation = 1

    def add(self, png: bytes, width: int) -> CT_Inline:
        """A picture of `png`, `width` wide: its `wp:inline`."""
        image = Image.from_blob(png)
        if image.sha1 not in self.relations:
            self.relations[image.sha1] = self.relate(image)
        cx, cy = image.scaled_dimensions(width, None)
        inline = CT_Inline.new_pic_inline(
            self.next_id, self.relations[image.sha1], image.filename, cx, cy
        )
        self.next_id += 1
        return inline

    def relate(self, image: Image) -> str:
        """A new image part of `image`, related to the document: the relationship's id."""
        images = self.doc.part.package.image_parts
        part = ImagePart.from_image(
            image, PackURI(f"/word/media/image{len(images) + 1}.{image.ext}")
        )
        images.append(part)
        relations = self.doc.part.rels
        while f"rId{self.next_relation}" in relations:
            self.next_relation += 1
        relation = f"rId{self.next_relation}"
        relations.add_relationship(RT.IMAGE, part, relation)
        return relation


def table_rows(element: etree._Element) -> list[wordml.Row]:
    """A table's rows, its thead rows first (as header rows), each cell's text and span."""
    head = [tr for part in element.findall("thead") for tr in part.findall("tr")]
    body = [tr for tr in element.iter("tr") if tr not in head]
    return [
        wordml.Row(
            [
                wordml.Cell(list(inline_runs(cell)), int(cell.get("colspan", 1)))
                for cell in tr
                if cell.tag in ("td", "th")
            ],
            header=n < len(head),
        )
        for n, tr in enumerate(head + body)
    ]


class Writer:
    """Makes the print document's elements into Word's blocks (`blocks`, in order), by a
    registry of tag handlers."""

    def __init__(self, doc, pngs: list[Png | StoredPng]):
        self.doc = doc
        self.pngs = pngs
        self.images = Images(doc)
        self.width = doc._block_width
        self.style_ids: dict[str, str] = {}
        self.blocks: list[etree._Element] = []
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

    def add(self, block: etree._Element) -> etree._Element:
        self.blocks.append(block)
        return block

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
                self.add(wordml.page_break())
        elif element.tag not in ("style", "script", "colgroup"):
            self.paragraph(element)

    def container(self, element: etree._Element) -> None:
        if words(element.text):
            self.add(wordml.text_paragraph(words(element.text)))
        for child in element:
            if isinstance(child.tag, str) and child.tag in INLINE:
                self.paragraph(child)
            else:
                self.block(child)
            if words(child.tail):
                self.add(wordml.text_paragraph(words(child.tail)))

    def style_id(self, style: str | None) -> str | None:
        """The id of a style named as Word names it (looked up once: python-docx's own look-up
        by name is slow)."""
        if style is None:
            return None
        if style not in self.style_ids:
            self.style_ids[style] = self.doc.styles[style].style_id
        return self.style_ids[style]

    def heading(self, element: etree._Element) -> None:
        level = int(element.tag[1])
        self.add(
            wordml.text_paragraph(words(element.text_content()), self.style_id(f"Heading {level}"))
        )

    def paragraph(
        self, element: etree._Element, style: str | None = None, numbering: int | None = None
    ) -> None:
        for svg in element.iter("svg"):
            if svg.get("data-png"):
                self.picture(svg)
        p = self.add(wordml.paragraph(self.style_id(style), numbering))
        wordml.add_pieces(p, inline_runs(element))

    def caption(self, element: etree._Element) -> None:
        self.paragraph(element, style="Caption")

    def listing(self, element: etree._Element, depth: int = 1) -> None:
        """A list; a numbered list starts again at 1 (its own numbering in Word)."""
        base = "List Number" if element.tag == "ol" else "List Bullet"
        style = base if depth == 1 else f"{base} {min(depth, 3)}"
        restart = self.restarted(style) if element.tag == "ol" else None
        for item in element.findall("li"):
            self.paragraph(item, style=style, numbering=restart)
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

    def pairs(self, element: etree._Element) -> None:
        """A description list: one paragraph per term, the term in bold."""
        for term in element.findall(".//dt"):
            detail = term.getnext()
            p = self.add(wordml.paragraph())
            wordml.run(p, words(term.text_content()) + ": ", bold=True)
            if detail is not None and detail.tag == "dd":
                wordml.add_pieces(p, inline_runs(detail))

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
        self.add(wordml.drawing(inline))

    def table(self, element: etree._Element) -> None:
        """A table: its caption above it, its thead rows as repeating header rows."""
        caption = element.find("caption")
        if caption is not None:
            self.caption(caption)
        rows = table_rows(element)
        if not rows:
            return
        size = Pt(7) if wordml.columns(rows) > WIDE_TABLE else Pt(9)
        self.add(wordml.table(rows, self.width, self.style_id("Table Grid"), size))
