"""The charts of a print document as PNG pictures, shared by the Word document and the PDF."""

from __future__ import annotations

from lxml import etree

from boardpack.documents.pictures import PNG_SCALE, pictures
from boardpack.documents.printable import PrintDocument, skeleton
from boardpack.pack.chart_store import ChartStore
from boardpack.pack.render import SvgRenderer

SVG = "http://www.w3.org/2000/svg"


def one_chart_document(store: ChartStore, renderer: SvgRenderer) -> PrintDocument:
    tree = skeleton("Charts", "Example County Council")
    figure = etree.SubElement(tree.find("body"), "figure")
    svg = etree.SubElement(figure, "svg", {"width": "40", "height": "20", "role": "img"})
    etree.SubElement(svg, "title").text = "A chart"
    etree.SubElement(svg, "rect", {"width": "10", "height": "10", "fill": "#336"})
    etree.SubElement(figure, "svg", {"aria-hidden": "true", "width": "4", "height": "4"})
    return PrintDocument(tree, "Charts", "Charts", "Example", renderer=renderer, store=store)


def test_each_pictured_svg_is_numbered_and_converted_once_for_both_documents(tmp_path):
    """The PDF and the Word document of one build both ask for the pictures of the same print
    document: the second finds the first's PNGs in the store."""
    store = ChartStore(tmp_path)
    with SvgRenderer(0, png_scale=PNG_SCALE, store=store) as renderer:
        document = one_chart_document(store, renderer)
        with pictures(document) as first:
            made = [png.data() for png in first]
        with pictures(document) as second:
            again = [png.data() for png in second]
    numbered = [svg.get("data-png") for svg in document.body.iter("svg")]
    assert numbered == ["0", None]  # the hidden one is no picture
    assert len(made) == 1 and made[0].startswith(b"\x89PNG")
    assert again == made
    assert renderer.converted == 1
