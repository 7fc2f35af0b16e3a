"""Commentary Markdown to safe HTML.

CommonMark is parsed, raw HTML in the text is dropped (not shown as code), and the result goes
through an allow-list sanitiser (nh3), which also removes links that are not http, https or
mailto while keeping their words.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

RAW_HTML = ("html_block", "html_inline")

_parser = MarkdownIt("commonmark", {"html": True})
_parser.validateLink = lambda url: True  # the sanitiser judges links, keeping the link text


def _without_raw_html(tokens: list) -> list:
    """Drop raw HTML, at block level and inside paragraphs."""
    for token in tokens:
        if token.children:
            token.children = [child for child in token.children if child.type not in RAW_HTML]
    return [token for token in tokens if token.type not in RAW_HTML]


def _shift_headings(tokens: list, offset: int) -> None:
    """Move headings down so commentary never competes with the page's own h1 and h2."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + offset)}"


def render_markdown(text: str | None, heading_offset: int = 2) -> Markup:
    """Render commentary to HTML that holds no raw HTML, script, event handler or unsafe link."""
    if not text:
        return Markup("")
    tokens = _without_raw_html(_parser.parse(text))
    _shift_headings(tokens, heading_offset)
    html = _parser.renderer.render(tokens, _parser.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(clean)
