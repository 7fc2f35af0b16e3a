"""The demo pack as a Word document, read back with python-docx."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn

from boardpack.documents.docx import docx_from_document
from documents_demo import demo_document, reported_titles


@pytest.fixture(scope="module")
def word(tmp_path_factory):
    document = demo_document()
    charts = [svg for svg in document.body.iter("svg") if svg.get("role") == "img"]
    path = docx_from_document(document, tmp_path_factory.mktemp("docx") / "pack.docx")
    return Document(str(path)), document, len(charts)


def headings(doc, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def test_indicator_titles_are_real_headings(word):
    doc, _, _ = word
    level_one = headings(doc, 1)
    for title in reported_titles():
        assert title in level_one
    assert "Summary of indicators" in headings(doc, 2)
    assert headings(doc, 2).count("Commentary") == len(reported_titles())


def test_tables_mark_their_header_rows_to_repeat(word):
    doc, document, _ = word
    assert len(doc.tables) == len(document.body.findall(".//table"))
    for table in doc.tables:
        first = table.rows[0]._tr
        header = first.find(qn("w:trPr")).find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"
    body_rows = [row for table in doc.tables for row in table.rows[1:]]
    marked = [r for r in body_rows if r._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None]
    assert len(marked) < len(body_rows)  # only the header rows are marked


def test_trend_table_cells_hold_the_figures(word):
    doc, document, _ = word
    first = document.body.find(".//table[@class='trend']")
    caption = " ".join(first.find("caption").text_content().split())
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert caption in captions
    figures = [" ".join(td.text_content().split()) for td in first.findall(".//tbody/tr")[0]]
    texts = {cell.text for table in doc.tables for cell in table.rows[-1].cells} | {
        cell.text for table in doc.tables for row in table.rows for cell in row.cells
    }
    assert set(figures[1:4]) <= texts


def test_charts_are_pictures_with_alternative_text(word):
    doc, _, charts = word
    pictures = doc.inline_shapes
    assert len(pictures) == charts > 0
    for picture in pictures:
        descr = picture._inline.docPr.get("descr")
        assert descr and len(descr) > 40
    described = [p._inline.docPr.get("descr") for p in pictures]
    assert any("Line chart of the result" in d for d in described)


def test_title_and_language(word):
    doc, document, _ = word
    assert doc.core_properties.title == document.title
    assert doc.core_properties.language == "en-GB"
    lang = doc.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-GB"


def test_a_word_document_built_without_a_site_gets_every_chart_from_the_shared_workers(
    tmp_path, word
):
    """`write_documents` with no site ready draws the charts and their PNGs in one set of
    workers: the same pictures, each with its alternative text."""
    from boardpack.documents import write_documents
    from documents_demo import LAYOUT, demo_pack

    (path,) = write_documents(demo_pack(), LAYOUT, ["docx"], tmp_path)
    fresh = Document(str(path))
    doc, _, charts = word
    assert len(fresh.inline_shapes) == len(doc.inline_shapes) == charts
    for shape in fresh.inline_shapes:
        assert shape._inline.docPr.get("descr")
    blobs = [part.blob for part in fresh.part.package.image_parts]
    assert blobs == [part.blob for part in doc.part.package.image_parts]
