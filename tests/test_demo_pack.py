"""Build the demo council's pack end to end through the command line and check its HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from boardpack import evaluate
from boardpack.catalogue import load_project_file
from boardpack.cli import main
from boardpack.engine import DIRECTION_LABELS, RAG_LABELS
from boardpack.pack.words import ASSURANCE_WORDS, VARIATION_WORDS

DEMO = Path(__file__).resolve().parent.parent / "examples" / "example-county"


class Page(HTMLParser):
    """Collects what the checks need: tables with their captions and header cells, badges with
    their words, and every address the page refers to."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.badges: list[dict] = []
        self.addresses: list[str] = []
        self.h1 = 0
        self._open_badges: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "table":
            self.tables.append({"caption": False, "th": 0, "scoped": 0})
        elif tag == "caption" and self.tables:
            self.tables[-1]["caption"] = True
        elif tag == "th" and self.tables:
            self.tables[-1]["th"] += 1
            self.tables[-1]["scoped"] += "scope" in attributes
        elif tag == "h1":
            self.h1 += 1
        if "badge" in classes:
            self._open_badges.append({"classes": classes, "text": "", "depth": 0})
        elif self._open_badges:
            self._open_badges[-1]["depth"] += 1
        for name in ("src", "href"):
            if attributes.get(name):
                self.addresses.append(attributes[name])

    def handle_endtag(self, tag):
        if self._open_badges:
            badge = self._open_badges[-1]
            if badge["depth"] == 0:
                self.badges.append(self._open_badges.pop())
            else:
                badge["depth"] -= 1

    def handle_data(self, data):
        for badge in self._open_badges:
            badge["text"] += data


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pack")
    result = CliRunner().invoke(
        main, ["build", str(DEMO), "--period", "Q2 2025/26", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_every_indicator_has_a_page(pack):
    refs = load_project_file(DEMO).refs()
    pages = list((pack / "indicators").glob("*.html"))
    assert len(pages) == len(refs)
    index = (pack / "index.html").read_text(encoding="utf-8")
    for page in pages:
        assert f"indicators/{page.name}" in index


def test_every_table_has_a_caption_and_scoped_headers(pack):
    for path in pack.rglob("*.html"):
        for table in parse(path).tables:
            assert table["caption"], f"{path.name}: a table has no caption"
            assert table["th"] and table["th"] == table["scoped"], (
                f"{path.name}: header cells lack scope"
            )


def test_no_rating_or_direction_is_shown_by_colour_alone(pack):
    words = set(RAG_LABELS.values()) | set(DIRECTION_LABELS.values())
    badges = [b for path in pack.rglob("*.html") for b in parse(path).badges]
    assert len(badges) > 100
    for badge in badges:
        text = " ".join(badge["text"].split())
        assert any(text.endswith(word) for word in words), (
            f"badge {badge['classes']} says only {text!r}"
        )


def test_pages_need_no_network_and_have_one_main_heading(pack):
    for path in pack.rglob("*.html"):
        page = parse(path)
        assert page.h1 == 1, path.name
        remote = [a for a in page.addresses if a.startswith(("http:", "https:", "//"))]
        assert not remote, f"{path.name} loads {remote}"


def demo_rows():
    from boardpack import load_project
    from boardpack.assemble import pack_input
    from boardpack.periods import parse_period

    dataset = load_project(DEMO)
    return pack_input(dataset, evaluate(dataset), parse_period("Q2 2025/26"))


def test_pack_lists_every_called_in_indicator(pack):
    called_in = demo_rows().call_in
    assert called_in.height >= 3
    index = (pack / "index.html").read_text(encoding="utf-8")
    panel = index[index.index('id="call-in"') : index.index('id="summary"')]
    for title in called_in["title"]:
        assert title in panel


def test_summary_counts_reported_within_expected():
    overall = demo_rows().summary.row(0, named=True)
    assert overall["group"] == "Overall"
    assert 0 < overall["reported"] <= overall["expected"] <= 43
    assert overall["rated"] <= overall["expected"]


def test_indicator_pages_give_the_statistical_view_in_words(pack):
    from boardpack.pack.words import ASSURANCE_WORDS, VARIATION_WORDS

    pages = [p.read_text(encoding="utf-8") for p in (pack / "indicators").glob("*.html")]
    with_view = [page for page in pages if "<h2>Statistical view</h2>" in page]
    assert len(with_view) >= 30
    assert all(any(words in page for words in VARIATION_WORDS.values()) for page in with_view)
    assert any(any(words in page for words in ASSURANCE_WORDS.values()) for page in with_view)
    assert any("confidence interval" in page for page in with_view)
    assert any("chance of meeting the year-end target" in page for page in with_view)


def test_each_forecast_sits_under_a_projection_heading_with_its_method(pack):
    pages = [p.read_text(encoding="utf-8") for p in (pack / "indicators").glob("*.html")]
    projected = [page for page in pages if "Projected year-end figure" in page]
    assert projected
    for page in projected:
        heading = page.index("<h2>Statistical projection to the year end</h2>")
        assert heading < page.index("Projected year-end figure")
        assert "prediction interval" in page[heading:] and "not a target" in page[heading:]
    statistical_views = [p.split("<h2>Statistical view</h2>", 1)[-1] for p in pages]
    assert not any("Forecast" in view.split("<h2>", 1)[0] for view in statistical_views)


def test_a_council_can_show_the_trend_test_beside_the_direction(tmp_path):
    import shutil

    project = tmp_path / "county"
    shutil.copytree(DEMO, project)
    settings = project / "boardpack.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "direction_display: arrow" in text
    settings.write_text(
        text.replace("direction_display: arrow", "direction_display: trend"), encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["build", str(project), "--period", "Q2 2025/26", "--out", str(tmp_path / "pack")]
    )
    assert result.exit_code == 0, result.output
    index = (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")
    assert (
        '<span class="trend">Improving trend (p = ' in index
        or '<span class="trend">Worsening trend (p = ' in index
    )


def test_spc_chart_on_every_page_with_enough_figures_and_no_other(pack):
    from boardpack.pack.spc_chart import MINIMUM_POINTS

    demo = demo_rows()
    reported = demo.rows.select("indicator", pl.col("end_month").alias("reported_month"))
    figures = (
        demo.history.join(reported, on="indicator")
        .filter(pl.col("value").is_not_null() & (pl.col("end_month") <= pl.col("reported_month")))
        .group_by("indicator")
        .len()
    )
    counts = dict(figures.iter_rows())
    enough = {ref for ref, n in counts.items() if n >= MINIMUM_POINTS}
    assert len(enough) >= 30 and len(enough) < len(demo.rows)  # both kinds are in the demo
    for ref in demo.rows["indicator"]:
        slug = re.sub(r"[^a-z0-9]+", "-", ref.lower()).strip("-")
        page = (pack / "indicators" / f"{slug}.html").read_text(encoding="utf-8")
        assert (f'<svg role="img" aria-labelledby="spc-{slug}-title' in page) is (ref in enough), (
            ref
        )
        assert ("Statistical process control (SPC) chart" in page) is (ref in enough), ref


def test_spc_charts_say_what_they_show_in_words(pack):
    pages = [p.read_text(encoding="utf-8") for p in (pack / "indicators").glob("*.html")]
    stories = [page.split('<ul class="spc-story">', 1)[1] for page in pages if "spc-story" in page]
    assert len(stories) >= 30
    assert all("An XmR chart of" in story for story in stories)
    assert any(
        re.search(r"The last \d+ points are (above|below) the mean: a shift", s) for s in stories
    )


def test_summary_table_shows_spc_icons_with_text_alternatives(pack):
    index = (pack / "index.html").read_text(encoding="utf-8")
    summary = index[index.index('id="summary"') : index.index('id="reports"')]
    labels = re.findall(r'<span class="spc-icon" role="img" aria-label="([^"]+)">', summary)
    assert len(labels) >= 40
    words = set(VARIATION_WORDS.values()) | set(ASSURANCE_WORDS.values())
    assert all(any(label.startswith(w) for w in words) for label in labels)


def test_charts_of_proportions_show_confidence_intervals(pack):
    pages = [p.read_text(encoding="utf-8") for p in (pack / "indicators").glob("*.html")]
    with_interval = [
        p for p in pages if "with its 95% confidence interval (the vertical bars)" in p
    ]
    assert 0 < len(with_interval) < len(pages)
    assert all("95% confidence interval</text>" in page for page in with_interval)  # the legend
