"""The print document for WeasyPrint: every chart as a PNG picture instead of inline SVG.

WeasyPrint draws an inline SVG node by node in Python (every axis label a Pango layout), and
parses, styles and boxes each of its nodes as part of the HTML: the demo's 84 charts are
19,000 of the print document's 31,000 elements and most of WeasyPrint's time. A PNG costs
it one picture. The PNGs are the Word document's (the same scale, from the chart store or the
renderer that drew the charts), so a build of both makes each once.

Each picture keeps its chart's alternative text (`alt`, the PDF's /Alt on its Figure tag), its
classes, and its size on the page: the PNG is `PNG_SCALE` times the SVG's size, and its
`image-resolution` is set to match, so it lays out exactly as the SVG did (on an indicator's
page `print.css` then prints each chart at a fixed height, `printable.chart_blocks`).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import lxml.html
from lxml import etree

from .pictures import PNG_SCALE, pictures
from .printable import PrintDocument

#: A CSS pixel is 1/96 inch; the PNGs hold PNG_SCALE pixels for each.
PICTURE_RESOLUTION = f"{96 * PNG_SCALE:g}dpi"


@contextmanager
def pictured_html(
    document: PrintDocument,
    folder: Path,
    arrange: Callable[[etree._Element], etree._Element] = copy.deepcopy,
) -> Iterator[str]:
    """The print document as HTML with every pictured SVG replaced by an <img> of its PNG,
    written into `folder` (each distinct PNG once), in a copy made by `arrange` (which may
    also rearrange it, as `charts_first` does). The document itself is left as it is (the
    Word document is made from the same one)."""
    with pictures(document) as pngs:
        tree = arrange(document.tree)
        written: dict[str, str] = {}
        for svg in list(tree.find("body").iter("svg")):
            if svg.get("data-png") is None:
                continue
            data = pngs[int(svg.get("data-png"))].data()
            name = hashlib.sha256(data).hexdigest()[:32] + ".png"
            if name not in written:
                path = folder / name
                path.write_bytes(data)
                written[name] = path.as_uri()
            replace(svg, picture(svg, written[name]))
        yield "<!DOCTYPE html>\n" + lxml.html.tostring(tree, encoding="unicode")


def picture(svg: etree._Element, src: str) -> etree._Element:
    """An <img> standing for `svg`: its PNG, alternative text (the SVG's title, which
    `label_svgs` made its whole alternative text), classes and size."""
    attributes = {"src": src, "alt": " ".join((svg.findtext("title") or "").split())}
    for name in ("class", "id", "width", "height"):
        if svg.get(name):
            attributes[name] = svg.get(name)
    size = [f"image-resolution: {PICTURE_RESOLUTION}"]
    if not svg.get("width"):  # no size of its own: as wide as a box from its viewBox
        size.append("width: 100%")
    attributes["style"] = "; ".join(size)
    return svg.makeelement("img", attributes)


def replace(old: etree._Element, new: etree._Element) -> None:
    new.tail = old.tail
    old.getparent().replace(old, new)
