"""The demo's committee paper as PDF and Word: short (an exception paper of at most 20
pages), with a cover naming the committee, date, author and recommendation from `paper:`,
the document's properties from the paper, page numbers in Word and lists numbered each from
one."""

from __future__ import annotations

import functools
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader

from boardpack.documents import write_documents
from boardpack.documents.docx import docx_from_document
from boardpack.documents.printable import PrintDocument, skeleton
from documents_demo import demo_pack

LAYOUT = "committee-dashboard"
MAX_PAGES = 20


@functools.lru_cache(maxsize=1)
def documents() -> tuple[Path, Path]:
    folder = Path(tempfile.mkdtemp(prefix="boardpack-paper-test-"))
    pdf, docx = write_documents(demo_pack(), LAYOUT, ["pdf", "docx"], folder)
    return pdf, docx


@pytest.fixture(scope="module")
def pdf():
    return PdfReader(documents()[0])


@pytest.fixture(scope="module")
def word():
    return Document(str(documents()[1]))


def text(page) -> str:
    return " ".join(page.extract_text().split())


def test_the_committee_paper_is_short(pdf):
    assert len(pdf.pages) <= MAX_PAGES


def test_the_cover_names_committee_date_author_and_recommendation(pdf):
    paper = demo_pack().project.paper_for(LAYOUT)
    cover = text(pdf.pages[0])
    for words in (paper.committee, "20 November 2025", paper.author.name, paper.version):
        assert words in cover
    # the recommendation on the first page, under the summary, before the contents
    recommendation = f"The {paper.committee} is asked to CONSIDER and COMMENT on the {paper.title}."
    assert recommendation in cover
    assert cover.index(recommendation) < cover.index("Contents")
    opening = cover + " " + text(pdf.pages[1])
    assert "are provisional management information and may be revised" in opening  # data_note


def test_document_properties_come_from_the_paper(pdf):
    paper = demo_pack().project.paper_for(LAYOUT)
    assert pdf.metadata.title.startswith(paper.title)
    assert pdf.metadata.author == paper.author.name
    assert paper.committee in pdf.metadata.subject
    assert pdf.trailer["/Root"]["/Lang"] == "en-GB"


def test_only_the_exceptions_are_reported_in_full_and_nothing_twice(pdf):
    pack = demo_pack()
    reds = pack.rows.filter(pack.rows["rag"] == "red")["title"].to_list()
    greens = pack.rows.filter(
        (pack.rows["rag"] == "green") & (pack.rows["previous_rag"] == "green")
    )["title"].to_list()
    pages = [text(page) for page in pdf.pages]
    headed = Counter(
        title for title in pack.rows["title"] for page in pages if f"{title} Status:" in page
    )
    assert all(headed[title] == 1 for title in reds)
    assert not any(headed[title] for title in greens)
    whole = " ".join(pages)
    commentary = pack.commentary.filter(pack.commentary["section"].is_in(["commentary", "actions"]))
    openings = [" ".join(text.split())[:80] for text in commentary["markdown"]]
    assert openings and max(whole.count(opening) for opening in openings) == 1


def test_no_exception_s_heading_is_left_at_a_page_s_foot(pdf):
    """Each exception's heading is on the page that carries its chart and the reason for its
    rating (the chart comes first in the PDF, so they move to the next page together)."""
    pack = demo_pack()
    pages = [text(page) for page in pdf.pages]
    headed = [
        (title, page)
        for title in pack.rows["title"]
        for page in pages
        if f"{title} Status:" in page
    ]
    assert len(headed) >= 10
    for title, page in headed:
        after = page.split(f"{title} Status:", 1)[1]
        assert "Reason for the rating" in after, title


def test_word_keeps_each_exception_s_heading_before_its_chart(word):
    """Only the PDF moves the chart; the Word document reads heading, then chart."""
    paragraphs = word.paragraphs
    pack = demo_pack()
    title = pack.rows.filter(pack.rows["rag"] == "red")["title"][0]
    (at,) = [n for n, p in enumerate(paragraphs) if p.style.name == "Heading 1" and p.text == title]
    assert not paragraphs[at - 1]._p.findall(".//" + qn("w:drawing"))
    assert any(p._p.findall(".//" + qn("w:drawing")) for p in paragraphs[at + 1 : at + 8])


def test_word_footer_numbers_every_page(word):
    footer = word.sections[0].footer.paragraphs[0]
    codes = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert codes == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Page ") and " of " in footer.text


def test_word_numbers_each_list_from_one(tmp_path):
    tree = skeleton("Lists", "Example County Council")
    body = tree.find("body")
    section = etree.SubElement(body, "section")
    for items in (("Risk one", "Risk two"), ("Action one", "Action two", "Action three")):
        listing = etree.SubElement(section, "ol")
        for item in items:
            etree.SubElement(listing, "li").text = item
    path = docx_from_document(PrintDocument(tree, "Lists", "Lists", "Example"), tmp_path / "l.docx")
    doc = Document(str(path))
    numbered = [
        (p.text, p._p.pPr.numPr.numId.val) for p in doc.paragraphs if p.style.name == "List Number"
    ]
    assert [text for text, _ in numbered] == [
        "Risk one",
        "Risk two",
        "Action one",
        "Action two",
        "Action three",
    ]
    lists = list(dict.fromkeys(num for _, num in numbered))
    assert len(lists) == 2 and [num for _, num in numbered] == [lists[0]] * 2 + [lists[1]] * 3
    numbering = doc.part.numbering_part.element
    for num_id in lists:
        override = numbering.num_having_numId(num_id).find(qn("w:lvlOverride"))
        assert override.find(qn("w:startOverride")).get(qn("w:val")) == "1"


def test_the_member_summary_is_two_pages(tmp_path):
    (path,) = write_documents(demo_pack(), "member-summary", ["pdf"], tmp_path)
    pages = [text(page) for page in PdfReader(path).pages]
    assert len(pages) <= 2
    whole = " ".join(pages)
    for heading in ("Executive summary", "Indicators called in", "Every indicator's rating"):
        assert heading in whole
    assert demo_pack().project.paper.committee in pages[0]
    assert all(title in whole for title in demo_pack().rows["title"])
