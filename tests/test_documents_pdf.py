"""The demo pack as a tagged PDF, read back with pypdf (and pdfinfo where it is installed)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from boardpack.documents.pdf import pdf_from_document
from boardpack.documents.pdf_pictures import PICTURE_RESOLUTION, pictured_html
from boardpack.documents.printable import chart_blocks, drop_layout_whitespace
from documents_demo import demo_document, demo_pack, reported_titles


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    document = demo_document()
    path = pdf_from_document(document, tmp_path_factory.mktemp("pdf") / "pack.pdf")
    return path, PdfReader(path), document


def page_texts(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles += outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def struct_elements(node, seen=None):
    """Every structure element under a node of the structure tree."""
    seen = seen if seen is not None else set()
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for item in node:
            yield from struct_elements(item, seen)
    elif isinstance(node, dict) and "/S" in node and id(node) not in seen:
        seen.add(id(node))
        yield node
        if "/K" in node:
            yield from struct_elements(node["/K"], seen)


def test_the_pdf_is_tagged(pdf):
    _, reader, _ = pdf
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"]) is True


def test_the_pdf_declares_pdf_ua_1_in_its_metadata(pdf):
    _, reader, _ = pdf
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part[^0-9]*1", xmp)


def test_title_and_language(pdf):
    _, reader, document = pdf
    pack = demo_pack()
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    title = reader.metadata.title
    assert title == document.title
    assert pack.period_label in title and pack.project.organisation.name in title
    assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]) is True


def test_bookmarks_from_headings(pdf):
    _, reader, _ = pdf
    titles = outline_titles(reader.outline)
    for title in reported_titles():
        assert title in titles
    assert "Summary of indicators" in titles
    assert "Commentary" in titles  # an indicator page's h2, nested under its h1


def test_every_page_is_numbered(pdf):
    _, reader, _ = pdf
    texts = page_texts(reader)
    total = len(texts)
    assert total > 1
    for n, text in enumerate(texts, start=1):
        assert f"Page {n} of {total}" in text


def test_the_contents_give_the_page_each_entry_starts_on(pdf):
    _, reader, _ = pdf
    texts = page_texts(reader)
    contents = " ".join(texts[:3])
    for title in ["Summary of indicators", *reported_titles()[:3]]:
        match = re.search(re.escape(title) + r" ?\.{3,} ?(\d+)", contents)
        assert match, f"{title} is not in the contents with a page number"
        assert title in texts[int(match.group(1)) - 1].split("Contents", 1)[-1]


def test_charts_are_figures_with_their_description_as_alternative_text(pdf):
    _, reader, _ = pdf
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    figures = [e for e in struct_elements(tree["/K"]) if e["/S"] == "/Figure"]
    alts = [str(f.get("/Alt", "")) for f in figures]
    charts = [a for a in alts if a.startswith(tuple(reported_titles()))]
    assert len(charts) >= len(reported_titles())
    assert all("Line chart" in a or "XmR" in a or "chart" in a.lower() for a in charts)
    assert all(a for a in alts), "a figure has no alternative text"


def test_a_table_that_runs_over_a_page_repeats_its_header(pdf):
    _, reader, _ = pdf
    texts = page_texts(reader)
    summary = [t for t in texts if "Summary of indicators, " in t]
    first = texts.index(summary[0])
    assert "Summary of indicators, " not in texts[first + 1]  # the caption is shown once...
    assert "Previous status" in texts[first + 1]  # ...but the header row again


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) not installed")
def test_pdfinfo_reads_it_as_tagged(pdf):
    path, reader, document = pdf
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"^Tagged:\s+yes", info.stdout, re.MULTILINE)
    assert re.search(rf"^Pages:\s+{len(reader.pages)}$", info.stdout, re.MULTILINE)
    assert document.title in info.stdout


def images_on(page) -> list:
    """The image XObjects a page draws."""
    objects = page["/Resources"].get_object().get("/XObject", {})
    return [o.get_object() for o in objects.values() if o.get_object()["/Subtype"] == "/Image"]


def test_charts_are_printed_as_pictures_at_their_svg_size(pdf):
    _, reader, document = pdf
    charts = [svg for svg in document.body.iter("svg") if svg.get("data-png") is not None]
    assert len(charts) >= len(reported_titles())
    pictures = {(int(i["/Width"]), int(i["/Height"])) for p in reader.pages for i in images_on(p)}
    for svg in charts:  # each PNG holds twice the SVG's CSS pixels
        assert (2 * int(svg.get("width")), 2 * int(svg.get("height"))) in pictures


def test_the_print_document_keeps_its_svg_charts_for_other_formats(pdf):
    _, _, document = pdf
    assert document.body.find(".//figure/svg") is not None
    assert document.body.find(".//img") is None


def test_the_pictured_html_has_no_chart_svg_and_every_picture_has_alternative_text(tmp_path):
    document = demo_document()
    charts = len(document.body.findall(".//figure/svg"))
    with pictured_html(document, tmp_path) as text:
        tree = lxml_html.document_fromstring(text)
        images = tree.findall(".//figure/img")
        assert len(images) == charts and tree.find(".//figure/svg") is None
        for image in images:
            assert image.get("alt") and image.get("alt").endswith(".")
            assert PICTURE_RESOLUTION in image.get("style")
            assert (tmp_path / image.get("src").rsplit("/", 1)[1]).is_file()
    assert len(list(tmp_path.glob("*.png"))) <= charts  # a picture used twice is written once


def test_whitespace_between_blocks_is_dropped_and_whitespace_between_words_kept():
    tree = lxml_html.document_fromstring(
        "<html><body>\n  <section>\n <h1>Title</h1>\n  <p class='status-line'>\n"
        "    <span>Status:</span> <span>Green</span>\n  </p>\n  <div>\n  text</div>\n"
        "  <dl><dt>Lead</dt>\n<dd>Sam</dd></dl>\n  <pre>\n  kept\n</pre>\n </section>\n"
        "</body></html>"
    )
    drop_layout_whitespace(tree)
    section = tree.find("body/section")
    assert section.text is None and section.find("h1").tail is None
    status = section.find("p")
    assert status.text == "\n    " and status[0].tail == " "  # before and between inline spans
    assert status.tail is None and section.find("div").text == "\n  text"
    assert section.find("dl/dt").tail == "\n"  # label and value print inline in the PDF
    assert section.find("pre").text == "\n  kept\n"
    assert status.text_content().split() == ["Status:", "Green"]


def test_each_chart_is_held_with_its_heading_and_story_in_reading_order():
    tree = lxml_html.document_fromstring(
        "<html><body><section class='print-page'><article class='indicator'><h1>Title</h1>"
        "<h2 class='detail'>Trend</h2><figure class='chart'><svg></svg><figcaption>Trend"
        "</figcaption></figure><div class='trend-table'><table></table></div>"
        "<div class='detail'><h2>SPC</h2><figure class='chart spc'><svg></svg>"
        "<figcaption>SPC</figcaption></figure><ul class='spc-story'><li>Story</li></ul></div>"
        "<h2>Commentary</h2></article></section>"
        "<section class='print-page compact'><article><h1>Exception</h1>"
        "<figure class='chart'><svg></svg></figure></article></section></body></html>"
    )
    words = tree.find("body").text_content()
    chart_blocks(tree)
    blocks = tree.xpath("//div[@class='chart-block']")
    assert [[child.tag for child in block] for block in blocks] == [
        ["h2", "figure"],
        ["h2", "figure", "ul"],
    ]
    assert blocks[0].getnext().get("class") == "trend-table"  # the table prints below
    assert tree.find("body").text_content() == words  # nothing moved
    assert tree.xpath("//section[contains(@class, 'compact')]//figure/parent::article")
