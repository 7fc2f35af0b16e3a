"""SVG to PNG with vl-convert's bundled Liberation Sans found before the machine's fonts."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
import vl_convert

from boardpack.pack import chart_store, raster
from boardpack.pack.chart_store import png_key


def words(text: str, family: str = "sans-serif") -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="24">'
        f'<text x="2" y="18" font-family="{family}" font-size="14">{text}</text></svg>'
    )


def bundled_only(svg: str) -> bytes:
    """The PNG of `svg` from a vl-convert that knows no font but its own (fontconfig pointed at
    an empty folder while it builds its font database)."""
    code = textwrap.dedent(
        """
        import os, sys, tempfile, vl_convert
        folder = tempfile.mkdtemp()
        with open(os.path.join(folder, "fonts.conf"), "w") as config:
            config.write(f"<fontconfig><dir>{folder}</dir></fontconfig>")
        os.environ["FONTCONFIG_FILE"] = os.path.join(folder, "fonts.conf")
        sys.stdout.buffer.write(vl_convert.svg_to_png(sys.stdin.read(), scale=2))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], input=svg.encode(), capture_output=True, check=True
    )
    return done.stdout


def test_text_is_drawn_with_the_bundled_liberation_sans():
    svg = words("Apr 25: £1,311,192")
    assert raster.svg_to_png(svg, 2) == bundled_only(svg)


def test_fonts_beside_it_are_still_found():
    """A character Liberation Sans lacks is drawn from another font of the machine's, as
    before (DejaVu Sans, which CI installs, has the check mark)."""
    nothing = raster.svg_to_png(words(""), 2)
    assert raster.svg_to_png(words("\u2713"), 2) != nothing
    assert raster.svg_to_png(words("Open", "DejaVu Sans"), 2) != raster.svg_to_png(words("Open"), 2)


def test_preparing_the_fonts_leaves_the_environment_alone(monkeypatch):
    monkeypatch.setattr(raster, "_prepared", False)
    monkeypatch.setenv("FONTCONFIG_FILE", "/etc/fonts/fonts.conf")
    raster.prefer_bundled_fonts()
    assert os.environ["FONTCONFIG_FILE"] == "/etc/fonts/fonts.conf"
    monkeypatch.delenv("FONTCONFIG_FILE")
    monkeypatch.setattr(raster, "_prepared", False)
    raster.prefer_bundled_fonts()
    assert "FONTCONFIG_FILE" not in os.environ


def test_a_picture_made_another_way_has_another_key(monkeypatch):
    svg = words("Mean")
    before = png_key(svg, 2)
    assert png_key(svg, 2.0) == before and png_key(svg, 1) != before
    monkeypatch.setattr(chart_store, "RASTERIZER", "vl_convert.svg_to_png")
    assert png_key(svg, 2) != before


@pytest.mark.parametrize("scale", [1, 2])
def test_pictures_are_the_size_asked_for(scale):
    png = raster.svg_to_png(words("Q2"), scale)
    assert png == vl_convert.svg_to_png(words("Q2"), scale=scale)
    width = int.from_bytes(png[16:20], "big")
    assert width == 160 * scale
