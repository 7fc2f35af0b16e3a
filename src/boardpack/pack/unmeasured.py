"""A chart's title drawn without vl-convert measuring it, the same SVG.

vl-convert measures every piece of text Vega lays out by turning it into glyph outlines, about
0.07 ms a character: a pack chart's two-line title and its note are a sixth of its drawing
time. Where the title is placed does not depend on how wide it is (its anchor fixes its left,
middle or right edge, its height is its lines'); its width matters only if it is wider than
the plot, when the image would widen to hold it. A title whose every line fits the plot's
width (counted generously, as the pack's charts wrap their titles) is therefore handed to
vl-convert as markers made of spaces, which it measures as 0 wide without any work; Vega draws
them as empty lines (it trims text) and names them in the title's `aria-label`, and the drawn
SVG gets its words back in both places: byte for byte the SVG of the title itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: A generous average width of a character of the 13px bold title font, in pixels.
TITLE_PIXELS_PER_CHARACTER = 7.5
#: The characters markers are made of: Unicode spaces (U+2000 to U+200A), which vl-convert
#: measures as nothing.
SPACES = "".join(chr(code) for code in range(0x2000, 0x200B))
MARKER = re.compile(f"[{SPACES}]+")
#: The title's and subtitle's `aria-label`, which name their lines.
LABEL = re.compile(r"""(aria-label="(?:Title|Subtitle) text ')([^"]*)(')""")
#: The text of a drawn title (`text`) or subtitle: its group, and its empty lines.
DRAWN = re.compile(
    r'(<g class="mark-text role-title-(text|subtitle)"[^>]*><text[^>]*?)(/>|>.*?</text>)'
)
EMPTY_LINE = re.compile(r"<tspan([^>]*)/>")
#: Title properties that make its text depend on its measured width.
WIDTH_DEPENDENT = ("limit", "subtitleLimit", "lineBreak", "subtitleLineBreak")
TITLE_KEYS = ("text", "subtitle")


@dataclass
class Words:
    """What a quiet title stands for: its lines and its subtitle's, by marker too."""

    lines: dict[str, list[str]] = field(default_factory=dict)  # "text", "subtitle"
    markers: dict[str, str] = field(default_factory=dict)


def marker(n: int) -> str:
    """The `n`th marker: `n` written in base 11 with the space characters."""
    digits = SPACES[n % len(SPACES)]
    while n >= len(SPACES):
        n //= len(SPACES)
        digits = SPACES[n % len(SPACES)] + digits
    return digits


def quiet_title(vega: dict) -> tuple[dict, Words | None]:
    """`vega` (a Vega spec; not changed) with its title's lines and subtitle replaced by markers,
    and what they stand for; `vega` itself and None where a line could be wider than the plot
    or the title's text depends on its width."""
    title = vega.get("title")
    if not isinstance(title, dict) or not fits(vega, title):
        return vega, None
    words, quiet = Words(), dict(title)
    for key in TITLE_KEYS:
        if key in title:
            words.lines[key] = as_lines(title[key])
            quiet[key] = markers(title[key], words)
    return {**vega, "title": quiet}, words


def fits(vega: dict, title: dict) -> bool:
    """Whether every line of the title certainly fits the plot's width, above or below it,
    untruncated, as plain text."""
    width = vega.get("width")
    if not isinstance(width, int | float) or title.get("orient", "top") not in ("top", "bottom"):
        return False
    config = (vega.get("config") or {}).get("title") or {}
    if any(key in title or key in config for key in WIDTH_DEPENDENT):
        return False
    lines = [line for key in TITLE_KEYS for line in as_lines(title.get(key))]
    return all(
        isinstance(line, str)
        and line == line.strip()
        and line.isprintable()
        and len(line) * TITLE_PIXELS_PER_CHARACTER <= width
        for line in lines
    )


def as_lines(text: object) -> list:
    """A title's text as its lines (anything but a string or list of them: not plain text)."""
    if text is None:
        return []
    return text if isinstance(text, list) else [text]


def markers(text: str | list[str], words: Words) -> str | list[str]:
    """The text with each line replaced by a new marker (an empty line stays empty: there is
    nothing to measure)."""
    if isinstance(text, list):
        return [markers(line, words) for line in text]
    if not text:
        return text
    mark = marker(len(words.markers))
    words.markers[mark] = text
    return mark


def restore(svg: str, words: Words | None) -> str:
    """The drawn SVG with the title's words put back: its lines, and its `aria-label`."""
    if words is None:
        return svg
    svg = DRAWN.sub(lambda m: m.group(1) + drawn_lines(m.group(3), words.lines[m.group(2)]), svg)
    return LABEL.sub(lambda m: m.group(1) + named(m.group(2), words) + m.group(3), svg)


def named(label: str, words: Words) -> str:
    """An `aria-label`'s text with the lines its markers stand for."""
    return MARKER.sub(lambda m: attribute(words.markers.get(m.group(0), m.group(0))), label)


def drawn_lines(drawn: str, lines: list[str]) -> str:
    """A title text element's content (`/>` or `>...</text>`) with its lines filled in."""
    if drawn == "/>":
        return f">{text(lines[0])}</text>" if len(lines) == 1 and lines[0] else drawn
    filled = iter(lines)
    return EMPTY_LINE.sub(lambda m: tspan(m.group(0), m.group(1), next(filled)), drawn)


def tspan(empty: str, attributes: str, line: str) -> str:
    """One line of a title as Vega writes it (an empty line as an empty element)."""
    return f"<tspan{attributes}>{text(line)}</tspan>" if line else empty


def text(line: str) -> str:
    """A line as Vega writes it into an element."""
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attribute(value: str) -> str:
    """Text as Vega writes it into an attribute's value."""
    return text(value).replace('"', "&quot;")
