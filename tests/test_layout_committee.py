"""The committee-dashboard layout: a cover paper after Kent County Council's Adult Social Care
Cabinet Committee performance dashboard report (September 2018), whose section 3.2 reads "For
September 2018, nine performance indicators are rated as Green, two as Amber and two are Red"
and section 2.9 defines each rating."""

from __future__ import annotations

import lxml.html
import polars as pl
import pytest

from boardpack.catalogue.models import LayoutOptions, SectionEntry
from boardpack.pack import build_site
from boardpack.pack.inputs import ReportParts
from boardpack.pack.report import counts_sentence, number_words
from test_pack_site import CURRENT, PERIODS, fake_pack


def with_counts(pack, **counts):
    """The pack with its Overall row's rating counts replaced."""
    pack.summary = pack.summary.with_columns(
        *(pl.lit(value, dtype=pl.Int64).alias(rag) for rag, value in counts.items())
    )
    return pack


def build(pack, tmp_path):
    index = build_site(pack, "committee-dashboard", tmp_path / "site")
    return lxml.html.fromstring(index.read_bytes())


def words(page) -> str:
    return " ".join(page.text_content().split())


def test_numbers_up_to_ten_in_words_larger_in_figures():
    assert [number_words(n) for n in (0, 1, 9, 10, 11, 20, 1500)] == [
        "no",
        "one",
        "nine",
        "ten",
        "11",
        "20",
        "1,500",
    ]


def test_the_kent_sentence_from_a_pack(tmp_path):
    pack = with_counts(fake_pack(), green=9, amber=2, red=2)
    assert (
        counts_sentence(pack)
        == "nine performance indicators are rated Green, two Amber and two Red"
    )
    page = build(pack, tmp_path)
    (paragraph,) = page.find_class("counts")
    assert " ".join(paragraph.text_content().split()) == (
        f"For {PERIODS[CURRENT][0]}, nine performance indicators are rated Green, two Amber and two Red."
    )


@pytest.mark.parametrize(
    ("counts", "sentence"),
    [
        (
            {"green": 1, "amber": 0, "red": 3},
            "one performance indicator is rated Green, no Amber and three Red",
        ),
        (
            {"green": 12, "amber": 10, "red": 0},
            "12 performance indicators are rated Green, ten Amber and no Red",
        ),
        ({"green": 0, "amber": 0, "red": 0}, "no performance indicators are rated"),
        (
            {"green": 2, "green_amber": 1, "amber": 0, "red": 1},
            "two performance indicators are rated Green, one Green Amber, no Amber and one Red",
        ),
    ],
)
def test_counts_in_words_follow_the_figures(counts, sentence):
    assert counts_sentence(with_counts(fake_pack(), **counts)) == sentence


def test_rating_definitions_recommendation_and_appendix(tmp_path):
    pack = fake_pack()
    page = build(pack, tmp_path)
    definitions = [" ".join(li.text_content().split()) for li in page.find_class("definitions")[0]]
    assert definitions == [
        f"{icon} {label}: {meaning}"
        for (label, meaning), icon in zip(pack.scheme_key, "●▲■", strict=True)
    ]
    assert (
        "The Cabinet Committee is asked to CONSIDER and COMMENT on the Performance Dashboard."
        in words(page)
    )
    appendix = [
        t
        for t in page.iter("table")
        if t.find("caption").text_content().startswith("Performance Dashboard")
    ]
    (table,) = appendix
    links = table.xpath(".//tbody/tr/th/a/@href")
    assert links == [
        f"indicators/{ref.lower().replace('/', '-')}.html" for ref in pack.rows["indicator"]
    ]
    assert (
        f"The Performance Dashboard reports {len(links)} indicators; those with a target are "
        "rated against it." in words(page)
    )


def test_a_council_words_its_sections_with_the_pack_s_figures(tmp_path):
    """Kent's own sentences, set through sections:, with the count and title filled in; the
    layout's neutral default sentence is then not printed."""
    kent = "There are currently {count} measures within the {title} and, where appropriate, a RAG rating has been applied."
    pack = fake_pack()
    pack.project = pack.project.model_copy(
        update={
            "layouts": {
                "committee-dashboard": LayoutOptions(
                    sections=[
                        SectionEntry(
                            id="ratings",
                            introduction="Performance results are assigned an alert on the following basis:",
                        ),
                        SectionEntry(id="summary-of-performance", introduction=kent),
                        "dashboard",
                    ]
                )
            }
        }
    )
    text = words(build(pack, tmp_path))
    count = pack.rows.height
    assert (
        f"There are currently {count} measures within the Performance Dashboard and, where "
        "appropriate, a RAG rating has been applied." in text
    )
    assert "assigned an alert on the following basis" in text
    assert "assigned a rating" not in text and "those with a target are rated" not in text


def test_recommendations_come_from_the_narrative_when_given(tmp_path):
    pack = fake_pack()
    narrative = pl.DataFrame(
        {
            "period": [pack.period_label],
            "section": ["recommendations"],
            "item": [1],
            "markdown": ["The committee is asked to NOTE the report."],
            "html": ["<p>The committee is asked to NOTE the report.</p>"],
            "action_markdown": [None],
            "action_html": [None],
        },
        schema_overrides={"item": pl.Int32, "action_markdown": pl.String, "action_html": pl.String},
    )
    pack.report = ReportParts(narrative=narrative)
    text = words(build(pack, tmp_path))
    assert "The committee is asked to NOTE the report." in text
    assert "CONSIDER and COMMENT" not in text
