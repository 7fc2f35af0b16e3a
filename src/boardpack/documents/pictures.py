"""The charts of a print document as PNG pictures, for the Word document and the PDF alike.

Every pictured SVG (not hidden, and not an icon that a labelled holder stands for in words) is
numbered by its place in the list of PNGs (`data-png`). Both documents print the same PNGs, at
`PNG_SCALE` pixels for each CSS pixel, so a build of both makes each once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from lxml import etree

from boardpack.pack.render import Png, StoredPng, SvgRenderer

from .printable import PrintDocument

#: PNG pixels for each CSS pixel of a chart.
PNG_SCALE = 2


def hidden(element: etree._Element) -> bool:
    return element.get("aria-hidden") == "true"


def pictured(svg: etree._Element) -> bool:
    """Whether an SVG is shown as a picture: not hidden, and not an icon that a labelled holder
    stands for in words."""
    if hidden(svg):
        return False
    return not any(a.get("role") == "img" and a.get("aria-label") for a in svg.iterancestors())


def svg_text(svg: etree._Element) -> str:
    """An inline SVG as an SVG file's text (the HTML parser lower-cased viewBox)."""
    text = etree.tostring(svg, encoding="unicode", with_tail=False).replace(
        " viewbox=", " viewBox="
    )
    if "xmlns=" not in text[: text.find(">")]:
        text = text.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return text


@contextmanager
def pictures(document: PrintDocument) -> Iterator[list[Png | StoredPng]]:
    """The PNG of every pictured SVG, each SVG numbered by its place in the list (`data-png`).
    A chart's PNG comes from the renderer that drew it, when the document still has it (made
    while the pages were written); any other SVG is converted from its text, in that
    renderer's workers or in workers started here, unless the project's chart store holds its
    PNG already (as it does when the PDF and the Word document of one build both ask)."""
    svgs = [svg for svg in document.body.iter("svg") if pictured(svg)]
    for svg in svgs:  # numbered by an earlier call: the same text as then, the same PNG
        svg.attrib.pop("data-png", None)
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
