"""SVG to PNG (`vl_convert.svg_to_png`), with vl-convert's own copy of Liberation Sans found
before the machine's fonts.

vl-convert draws a PNG's text with fonts from a font database built the first time it is asked
for a picture: the machine's fonts (as fontconfig lists their folders), then the Liberation
Sans it carries in memory. A chart's text is set in `sans-serif`, which is Liberation Sans
where the machine has no Arial; with the machine's copy first, that is the file in
/usr/share/fonts, and a font database holding a file opens, maps and parses it again every time
it reads a glyph or shapes a run of text (about 30 times for each text element of a chart): that
was most of a chart's PNG (52-58 CPU ms, three quarters of it the text). `prefer_bundled_fonts`
builds the database with no folders of the machine's (fontconfig is pointed at an empty one
while it is built), so vl-convert's copy in memory comes first, and then adds the machine's
font folders after it, so every other font (and every character Liberation Sans lacks) is
found as before: the demo's charts take about 32 CPU ms each.

A PNG's text is then vl-convert's Liberation Sans (the same metrics; outlines a reader cannot
tell from the machine's copy), whatever the machine has installed, and the chart store keeps
PNGs under `RASTERIZER` as well, so none made the old way is served. Drawing SVG (vl-convert's
text measurement) has a font database of its own and is unchanged, byte for byte.

Called when this module is imported (before any picture is made, and in the forkserver before
the chart workers fork from it, so each inherits the database); a process that had already made
a picture before keeps the database it built then.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import vl_convert

#: Names how pictures are made, for the chart store's PNG keys.
RASTERIZER = "vl_convert.svg_to_png; bundled Liberation Sans first"
#: The machine's font folders, as fontconfig's default configuration lists them.
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")
#: A picture drawn only to make vl-convert build its font database.
FIRST_PICTURE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2">'
    '<text x="0" y="2" font-family="sans-serif" font-size="2">a</text></svg>'
)
EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{folder}</dir></fontconfig>
"""

_prepared = False


def prefer_bundled_fonts() -> None:
    """Build vl-convert's picture font database with its bundled Liberation Sans first (see the
    module's note); once a process."""
    global _prepared
    if _prepared:
        return
    _prepared = True
    with tempfile.TemporaryDirectory(prefix="boardpack-fonts-") as folder:
        config = Path(folder) / "fonts.conf"
        config.write_text(EMPTY_FONTCONFIG.format(folder=folder), encoding="utf-8")
        before = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(config)
        try:
            vl_convert.svg_to_png(FIRST_PICTURE)
        finally:
            if before is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = before
    for name in FONT_FOLDERS:
        folder = os.path.expanduser(name)
        if os.path.isdir(folder):
            vl_convert.register_font_directory(folder)


def svg_to_png(svg: str, scale: float) -> bytes:
    """An SVG text as PNG at `scale`."""
    prefer_bundled_fonts()
    return vl_convert.svg_to_png(svg, scale=scale)


prefer_bundled_fonts()
