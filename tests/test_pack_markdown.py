"""Commentary Markdown: formatting survives, raw HTML and script never do."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boardpack.pack import render_markdown
from boardpack.pack.markdown import ALLOWED_TAGS


class Tags(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    return Tags(html).found


def test_commonmark_formatting_is_kept():
    html = render_markdown("Performance is **on target**.\n\n1. Review cases\n2. Train staff\n")
    assert [t for t, _ in tags(html)] == ["p", "strong", "ol", "li", "li"]
    assert "on target" in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        "Before <script>alert(1)</script> after",
        '<img src=x onerror="alert(1)">',
        'Text <img src=x onerror="alert(1)"> more',
        '<a href="#" onclick="alert(1)">click</a>',
        "<iframe src='https://example.org'></iframe>",
        "<style>body{display:none}</style>",
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_raw_html_is_removed_not_shown(attack):
    html = render_markdown(attack)
    lowered = html.lower()
    for bad in ("<script", "<img", "<iframe", "<style", "<svg", "onerror", "onclick", "onload"):
        assert bad not in lowered
    assert "&lt;" not in html, "raw HTML should be removed, not shown as code"


@pytest.mark.parametrize(
    "link",
    [
        "[clean up](javascript:alert(1))",
        "[clean up](JAVASCRIPT:alert(1))",
        "[clean up](data:text/html;base64,PHNjcmlwdD4=)",
        "[clean up](vbscript:msgbox)",
        "<javascript:alert(1)>",
    ],
)
def test_unsafe_links_lose_their_address(link):
    html = render_markdown(link)
    assert all("href" not in attrs for _, attrs in tags(html))
    if link.startswith("["):
        assert "clean up" in html and "alert" not in html and "msgbox" not in html


def test_safe_links_are_kept_and_marked_noopener():
    html = render_markdown("See the [audit](https://example.org/audit).")
    (anchor,) = [attrs for tag, attrs in tags(html) if tag == "a"]
    assert anchor["href"] == "https://example.org/audit"
    assert "noopener" in anchor["rel"]


def test_headings_move_below_the_page_headings():
    assert [t for t, _ in tags(render_markdown("# Big\n\n## Smaller"))] == ["h3", "h4"]
    assert [t for t, _ in tags(render_markdown("# Big", heading_offset=0))] == []  # h1 not allowed


def test_empty_commentary_renders_nothing():
    assert render_markdown("") == "" and render_markdown(None) == ""


@given(st.text())
def test_any_text_renders_only_allowed_tags(text):
    html = render_markdown(text)
    assert all(tag in ALLOWED_TAGS for tag, _ in tags(html))
    assert "<script" not in html.lower()
