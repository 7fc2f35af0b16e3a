"""The whole pack as one print HTML document: the index page, then every indicator page.

The layout's own templates make the pages (`build_site` into a temporary folder); each page's
<main> is taken in order, its ids made unique to the page, and links between pages turned
into links within the document. A contents list of the headings, with page numbers in print,
takes the place of the layout's own. The PDF and the Word document both start from this.
"""

from __future__ import annotations

import copy
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import lxml.html
from lxml import etree

from boardpack.pack import PackInput, build_site, get_layout
from boardpack.pack.chart_store import ChartStore, store_for
from boardpack.pack.exceptions import indicator_pages, reported_in_full
from boardpack.pack.paper import PaperView, paper_view
from boardpack.pack.render import SvgRenderer
from boardpack.pack.views import slugify
from boardpack.pack.writer import narrative_text

LANGUAGE = "en-GB"
INDEX = "index"
ID_REFERENCES = ("aria-labelledby", "aria-describedby", "aria-controls", "for", "headers")
CONTENTS_LEVELS = ("h1", "h2")
PAGE_LINK = re.compile(r"^(?:\.\./)*(?:indicators/)?([^/#]+)\.html(?:#(.*))?$")


@dataclass
class PrintDocument:
    """The print document: its tree, title, subject and author (the organisation); the
    renderer that drew its charts while it is still running (the Word document takes the
    charts' PNGs from it), or None; and the project's chart store, which keeps PNGs too."""

    tree: etree._Element
    title: str
    subject: str
    author: str
    renderer: SvgRenderer | None = None
    store: ChartStore | None = None

    def html(self, tree: etree._Element | None = None) -> str:
        """The document (or `tree`, a changed copy of it) as HTML."""
        tree = self.tree if tree is None else tree
        return "<!DOCTYPE html>\n" + lxml.html.tostring(tree, encoding="unicode")

    @property
    def body(self) -> etree._Element:
        return self.tree.find("body")


def print_document(
    pack: PackInput, layout: str, site: Path | None = None, renderer: SvgRenderer | None = None
) -> PrintDocument:
    """The pack in `layout` as one print document: from the site already built at `site` (its
    index page), or from one built in a temporary folder, its charts drawn by `renderer` when
    given (which the document then keeps)."""
    chosen = get_layout(layout)
    if chosen.source != "period":
        raise ValueError(
            f"the {layout} layout is built from a national publication; documents are made of "
            "a period's pack (choose quarterly-report or scorecard)"
        )
    if site is not None:
        document = _from_site(pack, chosen, Path(site))
    else:
        with tempfile.TemporaryDirectory(prefix="boardpack-print-") as folder:
            document = _from_site(pack, chosen, build_site(pack, layout, Path(folder), renderer))
    document.renderer = renderer
    document.store = store_for(pack.project.folder)
    return document


def _from_site(pack: PackInput, layout, index: Path) -> PrintDocument:
    paper = paper_view(pack, layout, narrative_text(pack, "recommendations"))
    title = f"{paper.title}, {pack.period_label}: {paper.organisation}"
    author = paper.author.name if paper.author else paper.organisation
    printed = printed_pages(pack, layout)
    pages = [(INDEX, index)] + [
        (path.stem, path) for path in page_order(index) if path.stem in printed
    ]
    tree = skeleton(title, author, paper)
    body = tree.find("body")
    compact = indicator_pages(pack, layout) == "exceptions"
    for name, path in pages:
        section = page_section(name, path)
        if name != INDEX:
            drop(section, REPEATED)
        if compact and name != INDEX:
            shorten(section)
        body.append(section)
    relink_missing(body)
    add_data_note(body, paper.data_note)
    if getattr(layout, "print_contents", True):
        add_contents(body)
    else:
        remove_contents(body)
    label_svgs(body)
    return PrintDocument(tree, title, paper.subject, author)


def printed_pages(pack: PackInput, layout) -> set[str]:
    """The file names (without .html) of the indicator pages the documents print: those the
    layout reports in full (`indicator_pages`)."""
    refs = [ref for group in layout.arrange(pack) for ref in group.refs]
    taken: set[str] = set()
    slugs = {ref: slugify(ref, taken) for ref in refs}
    return {slugs[ref] for ref in reported_in_full(pack, layout, refs)}


DETAIL = ("detail", "trend-table")
REPEATED = ("repeated",)  # an indicator page's parts that the index page prints too


def drop(section: etree._Element, names: tuple[str, ...]) -> None:
    """Remove the elements carrying any of these classes (outside charts)."""
    for element in list(html_elements(section)):
        classes = (element.get("class") or "").split()
        if any(name in classes for name in names) and element.getparent() is not None:
            element.getparent().remove(element)


def shorten(section: etree._Element) -> None:
    """An exception's page as a paper prints it: what it is, why it is here, its chart,
    the reason for its rating, commentary, actions and risks; the parts marked as detail
    (about the indicator, the trend table, statistics, SPC chart, the panel) are left out,
    and the page need not start a new sheet (class `compact`)."""
    drop(section, DETAIL)
    section.set("class", f"{section.get('class')} compact")


def charts_first(tree: etree._Element) -> etree._Element:
    """A copy of the document in which each exception's chart (floated beside its text in
    print) comes before its heading, so the chart carries the heading and status lines with it
    onto the next page when it does not fit: a float cannot be kept with what precedes it, so
    otherwise the heading would be left at the foot of a page. For the PDF only; the Word
    document, which does not float charts, keeps the heading first."""
    copied = copy.deepcopy(tree)
    for article in copied.xpath(
        "//section[contains(concat(' ', @class, ' '), ' compact ')]//article"
    ):
        heading = article.find("h1")
        chart = article.find("figure")
        if heading is not None and chart is not None:
            heading.addprevious(chart)
    return copied


def chart_blocks(tree: etree._Element) -> etree._Element:
    """Each chart outside an exception's page held with its heading and, for an SPC chart, the
    sentences saying what it shows, in a `div` of class `chart-block`: in print the picture
    stands at a fixed height at the block's left with its caption and sentences beside it, and
    the block is kept whole, so a heading is never left at a page's foot apart from its chart
    (a float cannot be kept with what precedes it). The reading order is unchanged. Changes
    `tree` in place (the PDF's copy) and returns it."""
    for figure in tree.xpath(
        "//figure[contains(concat(' ', @class, ' '), ' chart ')]"
        "[not(ancestor::section[contains(concat(' ', @class, ' '), ' compact ')])]"
    ):
        parent = figure.getparent()
        if parent is None or "chart-block" in (parent.get("class") or "").split():
            continue
        parts = [figure]
        before = figure.getprevious()
        if before is not None and before.tag in ("h2", "h3", "h4"):
            parts.insert(0, before)
        after = figure.getnext()
        if after is not None and "spc-story" in (after.get("class") or "").split():
            parts.append(after)
        block = etree.Element("div", {"class": "chart-block"})
        parts[0].addprevious(block)
        block.tail, parts[-1].tail = parts[-1].tail, None
        block.extend(parts)
    return tree


#: Elements laid out as blocks (or table parts) in print, between which whitespace means
#: nothing. `dt` and `dd` are not among them: label and value pairs print inline.
BLOCKS = frozenset(
    "html head body section article nav header footer main aside div p h1 h2 h3 h4 h5 h6 "
    "ul ol li dl figure figcaption blockquote table caption colgroup col thead tbody tfoot "
    "tr th td details summary hr style title meta".split()
)


def drop_layout_whitespace(tree: etree._Element) -> etree._Element:
    """Remove the whitespace-only text that lies between block-level elements (the templates'
    indentation and blank lines): it prints nothing, but WeasyPrint parses it and makes a box
    of each piece before throwing it away. Whitespace next to inline elements (between a label
    and its badge, say) is kept, and so is the text of `pre` elements and inline SVGs."""
    for element in html_elements(tree):
        if element.tag not in BLOCKS:
            continue
        children = [child for child in element if isinstance(child.tag, str)]
        if blank(element.text) and (not len(element) or element[0].tag in BLOCKS):
            element.text = None
        for child, following in zip(children, [*children[1:], None], strict=False):
            if child.tag in BLOCKS and blank(child.tail):
                if following is None or following.tag in BLOCKS:
                    child.tail = None
    return tree


def blank(text: str | None) -> bool:
    return text is not None and not text.strip()


def add_data_note(body: etree._Element, note: str) -> None:
    """The paper's note on the figures (the site's footer, which the documents leave out),
    printed under the cover block; nothing when the paper gives an empty note."""
    if not note:
        return
    covers = body.xpath(
        ".//*[contains(concat(' ', @class, ' '), ' paper-cover ')"
        " or contains(concat(' ', @class, ' '), ' paper-line ')]"
    )
    if not covers:
        return
    paragraph = etree.Element("p", {"class": "data-note"})
    paragraph.text = note
    paragraph.tail = covers[0].tail
    covers[0].tail = None
    covers[0].addnext(paragraph)


def relink_missing(body: etree._Element) -> None:
    """A link to a page the document leaves out goes to its row in a table (`row-<page>`)
    when there is one; otherwise it is left as plain text."""
    ids = {element.get("id") for element in body.iter() if isinstance(element.tag, str)}
    for link in body.iter("a"):
        href = link.get("href", "")
        if not href.startswith("#page-") or href[1:] in ids:
            continue
        row = f"row-{href[len('#page-') :]}"
        if row in ids:
            link.set("href", f"#{row}")
        else:
            del link.attrib["href"]


def page_order(index: Path) -> list[Path]:
    """The indicator pages in the order the index first links to them; any not linked after."""
    main = read_main(index)
    folder = index.parent / "indicators"
    linked = []
    for href in main.xpath(".//a/@href"):
        match = PAGE_LINK.match(href)
        if match and (folder / f"{match.group(1)}.html").is_file():
            linked.append(folder / f"{match.group(1)}.html")
    linked = list(dict.fromkeys(linked))
    rest = sorted(set(folder.glob("*.html")) - set(linked)) if folder.is_dir() else []
    return linked + rest


def read_main(path: Path) -> etree._Element:
    """A page's <main> element; an error naming the page when it has none."""
    root = lxml.html.fromstring(path.read_bytes())
    main = root.find(".//main")
    if main is None:
        raise ValueError(f"{path}: the page has no <main> element to print")
    return main


def skeleton(title: str, author: str, paper: PaperView | None = None) -> etree._Element:
    """An empty document with its language, title, author, subject (the PDF's, from
    `description`) and the stylesheets."""
    pack_css = files("boardpack.pack").joinpath("static", "boardpack.css").read_text("utf-8")
    print_css = files("boardpack.documents").joinpath("print.css").read_text("utf-8")
    tree = lxml.html.document_fromstring(
        f'<html lang="{LANGUAGE}"><head><meta charset="utf-8"><title></title>'
        '<meta name="author"><style></style></head><body></body></html>'
    )
    tree.find("head/title").text = title
    tree.find("head/meta[@name='author']").set("content", author)
    if paper is not None:
        head = tree.find("head")
        etree.SubElement(head, "meta", {"name": "description", "content": paper.subject})
        keywords = ", ".join(v for v in (paper.committee, paper.classification) if v)
        if keywords:
            etree.SubElement(head, "meta", {"name": "keywords", "content": keywords})
    tree.find("head/style").text = pack_css + "\n" + print_css
    return tree


def page_section(name: str, path: Path) -> etree._Element:
    """One page's <main> as a <section>, its ids prefixed by the page and its links made local."""
    main = read_main(path)
    for pager in main.xpath(".//nav[contains(concat(' ', @class, ' '), ' pager ')]"):
        pager.getparent().remove(pager)
    section = etree.Element("section", {"class": f"print-page page-{name}", "id": page_id(name)})
    section.text, section[:] = main.text, list(main)
    if name != INDEX:
        prefix_ids(section, name)
    relink(section)
    return section


def page_id(name: str) -> str:
    return f"page-{name}"


def outside_svg(element: etree._Element) -> bool:
    """Whether an element lies outside any inline SVG (the HTML parser gives SVG plain tags)."""
    return element.tag != "svg" and not any(a.tag == "svg" for a in element.iterancestors())


def html_elements(root: etree._Element) -> Iterator[etree._Element]:
    """`root` and the elements under it in document order, leaving out inline SVGs and all
    within them (one walk that skips each chart whole, rather than an ancestor check for
    every node); comments and processing instructions are left out too."""
    stack = [root]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str) or element.tag == "svg":
            continue
        yield element
        stack.extend(reversed(element))


def prefix_ids(section: etree._Element, name: str) -> None:
    """Make a page's ids unique in the document (ids inside charts stay as they are)."""
    for element in html_elements(section):
        if element.get("id") and element is not section:
            element.set("id", f"{name}--{element.get('id')}")
        for attribute in ID_REFERENCES:
            if element.get(attribute):
                ids = element.get(attribute).split()
                element.set(attribute, " ".join(f"{name}--{i}" for i in ids))
        href = element.get("href", "")
        if href.startswith("#") and len(href) > 1:
            element.set("href", f"#{name}--{href[1:]}")


def relink(section: etree._Element) -> None:
    """Links to other pages of the pack become links within the document."""
    for link in section.iter("a"):
        match = PAGE_LINK.match(link.get("href", ""))
        if not match:
            continue
        name, fragment = match.groups()
        if name == INDEX:
            link.set("href", f"#{fragment}" if fragment else f"#{page_id(INDEX)}")
        else:
            link.set("href", f"#{name}--{fragment}" if fragment else f"#{page_id(name)}")


def remove_contents(body: etree._Element) -> None:
    """Take out the layout's own contents list."""
    for old in body.xpath(".//nav[contains(concat(' ', @class, ' '), ' contents ')]"):
        old.getparent().remove(old)


def add_contents(body: etree._Element) -> None:
    """A contents list of the headings, where the layout's own contents stood (after the first
    heading); in print each entry shows its page number."""
    remove_contents(body)
    headings = [h for h in contents_headings(body) if outside_svg(h)]
    nav = etree.Element("nav", {"class": "print-contents", "aria-labelledby": "print-contents"})
    heading = etree.SubElement(nav, "h2", {"id": "print-contents"})
    heading.text = "Contents"
    items = etree.SubElement(nav, "ol")
    for n, h in enumerate(headings[1:], start=1):
        h.set("id", h.get("id") or f"heading-{n}")
        item = etree.SubElement(items, "li", {"class": f"level-{h.tag}"})
        link = etree.SubElement(item, "a", {"href": f"#{h.get('id')}"})
        link.text = " ".join(h.text_content().split())
    first = headings[0] if headings else None
    following = list(first.itersiblings())[:2] if first is not None else []
    covers = [
        e
        for e in following
        if isinstance(e.tag, str) and "paper-cover" in (e.get("class") or "").split()
    ]
    if covers:
        first = covers[0]  # the contents follow the title, its lede and the cover
        first = past_opening(first)
    if first is None:
        body.insert(0, nav)
    else:
        parent = first.getparent()
        nav.tail = first.tail
        first.tail = None
        parent.insert(parent.index(first) + 1, nav)


#: What a paper may open with before its contents list, as a cover report's first page has:
#: the note on the figures, the summary of what the paper is for, and the recommendations.
OPENING = ("data-note", "purpose", "recommendations")


def past_opening(cover: etree._Element) -> etree._Element:
    """The last of the elements straight after the cover that open the paper (`OPENING`, by
    class or id), or the cover itself: the contents list goes after them."""
    last = cover
    for element in cover.itersiblings():
        names = {element.get("id") or "", *(element.get("class") or "").split()}
        if not isinstance(element.tag, str) or not names & set(OPENING):
            break
        last = element
    return last


def contents_headings(body: etree._Element) -> list[etree._Element]:
    """The index page's h1 and h2 headings, then each other page's h1."""
    headings = []
    for n, page in enumerate(body):
        headings += page.iter(*CONTENTS_LEVELS) if n == 0 else page.iter("h1")
    return headings


def chart_words(svg: etree._Element) -> str:
    """A chart's title and description as one alternative text."""
    parts = [" ".join((svg.findtext(tag) or "").split()).rstrip(".") for tag in ("title", "desc")]
    return ". ".join(p for p in parts if p) + "." if any(parts) else ""


def label_svgs(body: etree._Element) -> None:
    """Give every SVG a <title> holding its whole alternative text (the PDF's /Alt is taken
    from it): a chart's title and description, or an icon's label from its holder."""
    for svg in body.iter("svg"):
        words = chart_words(svg) or holder_label(svg)
        title = svg.find("title")
        if title is None:
            title = svg.makeelement("title", {})
            svg.insert(0, title)
        title.text = words or "Decorative image"


def holder_label(svg: etree._Element) -> str:
    for holder in [svg, *svg.iterancestors()]:
        if holder.get("aria-label"):
            return holder.get("aria-label")
    return ""
