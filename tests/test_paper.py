"""The committee paper around a pack: `paper:` and `layouts:` in boardpack.yaml, the
exceptions a paper reports in full, the executive summary in words, and the index page's
sections in the council's order and words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import lxml.html
import polars as pl
import pytest

from boardpack import evaluate, load_project
from boardpack.assemble import latest_period, pack_input
from boardpack.catalogue.models import Project
from boardpack.catalogue.rules import check
from boardpack.errors import BoardpackError
from boardpack.pack import build_site, get_layout
from boardpack.pack.briefing import briefing
from boardpack.pack.exceptions import exception_reasons, reported_in_full
from boardpack.pack.paper import long_date, paper_view
from boardpack.pack.views import indicator_views
from boardpack.sources.narrative import parse_narrative
from test_pack_site import INDICATORS, fake_pack

COMMITTEE = "committee-dashboard"


def project(**extra) -> Project:
    return Project.model_validate(
        {
            "organisation": {"code": "E10000016", "name": "Kent County Council"},
            "indicators": INDICATORS,
            **extra,
        }
    )


def words(element) -> str:
    return " ".join(element.text_content().split())


def build(pack, tmp_path, layout=COMMITTEE):
    index = build_site(pack, layout, tmp_path / "site")
    return lxml.html.fromstring(index.read_bytes())


PAPER = {
    "committee": "Adult Social Care Cabinet Committee",
    "date": "2018-11-29",
    "author": {
        "name": "Steph Smith",
        "role": "Head of Performance for Adult Social Care",
        "phone": "03000 415501",
        "email": "steph.smith@kent.gov.uk",
    },
    "version": "2",
    "status": "Final",
    "classification": "Unrestricted",
    "purpose": "The performance dashboard provides Members with progress against targets.",
    "background_documents": [],
}


def test_a_layout_s_paper_replaces_only_the_fields_it_gives():
    given = project(
        paper=PAPER,
        layouts={COMMITTEE: {"paper": {"title": "People Performance Dashboard", "version": "3"}}},
    )
    paper = given.paper_for(COMMITTEE)
    assert (paper.title, paper.version, paper.committee) == (
        "People Performance Dashboard",
        "3",
        "Adult Social Care Cabinet Committee",
    )
    assert given.paper_for("quarterly-report").title is None
    assert paper.date == dt.date(2018, 11, 29)


def test_discuss_names_indicators_of_the_catalogue():
    findings = check(project(paper={"discuss": ["ASC/PB", "ASC/XX"]}))
    assert [(f.loc, "ASC/XX" in f.message) for f in findings] == [(("paper", "discuss", 1), True)]


def test_a_narrative_recommendations_section_is_read():
    rows, problems = parse_narrative(
        "# Recommendations\n\nMembers are asked to NOTE the report.\n", "n.md", "Q2 2011/12"
    )
    assert problems == []
    assert [(r["section"], r["markdown"].strip()) for r in rows] == [
        ("recommendations", "Members are asked to NOTE the report.")
    ]


def test_dates_as_papers_write_them():
    assert long_date(dt.date(2018, 11, 9)) == "9 November 2018"
    assert long_date(None) == ""


def test_the_cover_names_committee_date_author_and_status(tmp_path):
    pack = fake_pack(project(paper=PAPER))
    page = build(pack, tmp_path)
    cover = page.find_class("paper-cover")[0]
    assert words(cover).startswith("Adult Social Care Cabinet Committee, 29 November 2018")
    pairs = {words(dt_): words(dt_.getnext()) for dt_ in cover.iter("dt")}
    assert pairs == {
        "Organisation": "Kent County Council",
        "Committee": "Adult Social Care Cabinet Committee",
        "Date": "29 November 2018",
        "Period": pack.period_label,
        "Report author": "Steph Smith",
        "Role": "Head of Performance for Adult Social Care",
        "Contact": "03000 415501, steph.smith@kent.gov.uk",
        "Version": "2",
        "Status": "Final",
        "Classification": "Unrestricted",
    }
    text = words(page)
    assert "The performance dashboard provides Members with progress against targets." in text
    assert (
        "The Adult Social Care Cabinet Committee is asked to CONSIDER and COMMENT on the "
        "Performance Dashboard." in text
    )
    assert "Background documents None" in text
    assert words(page.get_element_by_id("author")).startswith(
        "Report author Steph Smith Head of Performance for Adult Social Care 03000 415501"
    )


def test_recommendations_from_the_paper_and_none_where_the_seed_had_none(tmp_path):
    pack = fake_pack(project(paper={"recommendations": "Members are asked to **NOTE** it."}))
    assert "Members are asked to NOTE it." in words(build(pack, tmp_path))
    quarterly = paper_view(fake_pack(), get_layout("quarterly-report"))
    assert quarterly.recommendations is None


def test_exceptions_are_called_in_red_worse_restated_or_named():
    pack = fake_pack()
    assert exception_reasons(pack) == {
        "ASC/EN": ["called in (Amber for 3 periods)"],
        "HR/SICK": ["called in (Red)", "rated Red", "worse by a rating step (Green to Red)"],
    }
    assert exception_reasons(pack, ("asc/pb",))["ASC/PB"] == ["named for discussion"]


@pytest.mark.parametrize(
    ("pages", "expected"),
    [("all", ["ASC/PB", "ASC/EN", "HR/SICK"]), ("exceptions", ["ASC/EN", "HR/SICK"]), ("none", [])],
)
def test_indicator_pages_per_layout(pages, expected):
    pack = fake_pack(project(layouts={COMMITTEE: {"indicator_pages": pages}}))
    refs = ["ASC/PB", "ASC/EN", "HR/SICK"]
    assert reported_in_full(pack, get_layout(COMMITTEE), refs) == expected


def test_committee_style_layouts_default_to_exceptions():
    pack, refs = fake_pack(), ["ASC/PB", "ASC/EN", "HR/SICK"]
    assert reported_in_full(pack, get_layout(COMMITTEE), refs) == ["ASC/EN", "HR/SICK"]
    assert reported_in_full(pack, get_layout("quarterly-report"), refs) == refs


def test_the_executive_summary_leads_with_what_changed():
    pack = fake_pack()
    actions = {"indicator": "HR/SICK", "period": pack.period_label, "section": "actions"}
    pack.commentary = pl.concat(
        [pack.commentary, pl.DataFrame([actions | {"markdown": "Return-to-work interviews."}])]
    )
    views = indicator_views(pack, ["ASC/PB", "ASC/EN", "HR/SICK"])
    summary = briefing(pack, views)
    assert summary.counts == (
        f"For {pack.period_label}, one performance indicator is rated Green, one Amber and one Red."
    )
    assert [(g.key, g.sentence) for g in summary.groups] == [
        ("new_red", "One indicator became Red since the last pack:")
    ]
    (item,) = summary.groups[0].items
    assert (item.ref, item.detail) == ("HR/SICK", "Green to Red")
    assert [(c.ref, str(html)) for c, html in summary.actions] == [
        ("HR/SICK", "<p>Return-to-work interviews.</p>\n")
    ]
    assert not summary.actions_elsewhere
    shorter = briefing(pack, views, {"HR/SICK"})
    assert shorter.actions == [] and shorter.actions_elsewhere


def test_a_stale_figure_did_not_change_since_the_last_pack():
    pack = fake_pack()
    pack.rows = pack.rows.with_columns(stale=pl.col("indicator") == "HR/SICK")
    views = indicator_views(pack, ["ASC/PB", "ASC/EN", "HR/SICK"])
    assert briefing(pack, views).groups == []


def test_nothing_changed_is_said_in_words():
    pack = fake_pack()
    pack.rows = pack.rows.with_columns(previous_rag=pack.rows["rag"])
    views = indicator_views(pack, ["ASC/PB", "ASC/EN", "HR/SICK"])
    assert briefing(pack, views).unchanged == (
        "No indicator became Red, recovered or worsened since the last pack."
    )


def test_sections_in_the_council_s_order_and_words(tmp_path):
    sections = [
        {"id": "summary-of-performance", "title": "Summary of Performance"},
        {"id": "ratings", "introduction": "Ratings are *agreed* each year."},
        "dashboard",
    ]
    pack = fake_pack(project(layouts={COMMITTEE: {"sections": sections}}))
    page = build(pack, tmp_path)
    headings = [words(h) for h in page.iter("h2") if h.getparent().tag == "section"]
    assert headings == [
        "Summary of Performance",
        "How results are rated",
        "Appendix A: Performance Dashboard",
    ]
    assert page.get_element_by_id("ratings").find("p").text_content() == (
        "Ratings are agreed each year."
    )
    assert "Recommendations" not in words(page)


def test_an_unknown_section_is_refused_with_those_there_are(tmp_path):
    pack = fake_pack(project(layouts={COMMITTEE: {"sections": ["ratings", "forecasts"]}}))
    with pytest.raises(BoardpackError) as raised:
        build(pack, tmp_path)
    (problem,) = raised.value.problems
    assert problem.value == "forecasts" and "dashboard" in problem.fix


SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"


def seed_site(name: str, layout: str, out: Path) -> Path:
    dataset = load_project(SEEDS / name)
    pack = pack_input(dataset, evaluate(dataset), latest_period(dataset))
    return build_site(pack, layout, out).parent


def test_transcription_remarks_are_never_published(tmp_path):
    site = seed_site("kent-2011-12-q2", "quarterly-report", tmp_path / "kent")
    published = " ".join(page.read_text() for page in site.rglob("*.html"))
    for remark in ("Summary table title", "see rating_schemes", "The chart data in the report"):
        assert remark not in published
    assert "No comparative data is currently available for this indicator." in published


def test_the_seed_sets_its_own_words(tmp_path):
    index = lxml.html.fromstring(
        (
            seed_site("kent-2011-12-q2", "quarterly-report", tmp_path / "kent") / "index.html"
        ).read_bytes()
    )
    headings = [words(h) for h in index.iter("h2") if h.getparent().tag == "section"]
    assert headings == [
        "Foreword",
        "Key to RAG ratings used for KPIs",
        "Executive Summary",
        "Role of the Performance Assurance Team (PAT)",
        "Summary of Key Performance Indicators (KPIs)",
        "Detailed KPI reports",
    ]
    assert [words(p) for p in index.find_class("sign-off")] == [
        "Paul Carter, Leader of the council, Kent County Council",
        "Katherine Kerswell, Managing Director, Kent County Council",
    ]
    assert words(index.find(".//h1")) == "KCC Quarterly Performance Report: Q2 2011/12"


def test_technical_notes_are_printed_in_their_appendix(tmp_path):
    noted = [dict(ind) for ind in INDICATORS]
    noted[0]["technical_notes"] = "Snapshot of *current* clients at the quarter end."
    noted[1]["internal_notes"] = "Transcribed from the chart."
    pack = fake_pack(
        Project.model_validate(
            {"organisation": {"code": "E10000016", "name": "Kent"}, "indicators": noted}
        )
    )
    site = build_site(pack, "quarterly-report", tmp_path / "site").parent
    index = lxml.html.fromstring((site / "index.html").read_bytes())
    appendix = index.get_element_by_id("technical-notes")
    assert words(appendix) == (
        "Appendix: technical notes Clients with a personal budget "
        "Snapshot of current clients at the quarter end."
    )
    published = " ".join(page.read_text() for page in site.rglob("*.html"))
    assert "Transcribed from the chart." not in published


@pytest.mark.parametrize(("layout", "times"), [("scorecard", 1), ("member-summary", 1)])
def test_actions_are_printed_once(tmp_path, layout, times):
    pack = fake_pack()
    actions = {"indicator": "HR/SICK", "period": pack.period_label, "section": "actions"}
    pack.commentary = pl.concat(
        [pack.commentary, pl.DataFrame([actions | {"markdown": "Return-to-work interviews."}])]
    )
    text = words(build(pack, tmp_path, layout))
    assert text.count("Return-to-work interviews.") == times


def test_options_for_a_layout_there_is_not_are_refused(tmp_path):
    pack = fake_pack(project(layouts={"commitee-dashboard": {"indicator_pages": "none"}}))
    with pytest.raises(BoardpackError) as raised:
        build(pack, tmp_path)
    (problem,) = raised.value.problems
    assert problem.value == "commitee-dashboard" and "committee-dashboard" in problem.fix


def test_a_translation_statement_in_each_language_is_marked_with_it(tmp_path):
    translation = [
        {"language": "en-GB", "name": "English", "text": "If you need help, call 01905 25121."},
        {"language": "pl", "name": "Polish", "text": "Jeśli potrzebujesz pomocy, zadzwoń."},
        {"language": "ur", "text": "براہ کرم رابطہ کریں"},
    ]
    pack = fake_pack(project(paper={"translation": translation}))
    section = build(pack, tmp_path).get_element_by_id("translation")
    marked = [(d.get("lang"), d.get("dir"), words(d)) for d in section.iterfind(".//div[@lang]")]
    assert marked == [
        ("en-GB", "ltr", "If you need help, call 01905 25121."),
        ("pl", "ltr", "Jeśli potrzebujesz pomocy, zadzwoń."),
        ("ur", "rtl", "براہ کرم رابطہ کریں"),
    ]
    assert [words(p) for p in section.find_class("language-name")] == ["(English)", "(Polish)"]


def test_a_translation_statement_is_markdown_and_none_by_default(tmp_path):
    assert paper_view(fake_pack(), get_layout(COMMITTEE)).translation == []
    pack = fake_pack(project(paper={"translation": "Call **01905 25121** for help."}))
    section = build(pack, tmp_path).get_element_by_id("translation")
    (statement,) = section.iterfind(".//div[@lang]")
    assert statement.get("lang") == "en-GB" and statement.find(".//strong").text == "01905 25121"


def test_a_translation_statement_s_language_must_be_a_language_tag():
    with pytest.raises(ValueError, match="language"):
        project(paper={"translation": [{"language": "Bengali", "text": "..."}]})


def test_the_worcestershire_scorecard_prints_its_statement_in_five_languages(tmp_path):
    site = seed_site("worcestershire-2019-20-q2", "scorecard", tmp_path / "worcs")
    index = lxml.html.fromstring((site / "index.html").read_bytes())
    section = index.get_element_by_id("translation")
    assert [d.get("lang") for d in section.iterfind(".//div[@lang]")] == [
        "en-GB",
        "pl",
        "pt",
        "es",
        "tr",
    ]
    assert "please contact Ethnic Access Link. Tel: 01905 25121" in words(section)
    # printed after the measures, as the scorecard prints it
    order = [element.get("id") for element in index.xpath("//*[@id]")]
    assert order.index("translation") > order.index("measures")


def test_the_kent_seed_words_its_call_in_and_data_note(tmp_path):
    """The call-in section's introduction and the footer's note on the figures are the
    council's words where it gives them; the layout's neutral ones otherwise."""
    site = seed_site("kent-2011-12-q2", "quarterly-report", tmp_path / "kent")
    index = lxml.html.fromstring((site / "index.html").read_bytes())
    call_in = words(index.get_element_by_id("call-in"))
    assert "Any red or repeatedly amber indicators will be called in by PAT" in call_in
    assert "are called in for discussion by the performance assurance panel" not in call_in
    footer = words(index.find(".//footer"))
    assert footer.startswith("All data included in this report for current financial year are")
    assert "provisional unaudited data" in words(
        lxml.html.fromstring(next((site / "indicators").glob("*.html")).read_bytes())
    )
    neutral = build(fake_pack(project()), tmp_path / "neutral", "quarterly-report")
    assert (
        "Red indicators, and those Amber for 2 or more consecutive periods, are called in"
        in words(neutral.get_element_by_id("call-in"))
    )
    assert "provisional management information" in words(neutral.find(".//footer"))
    silent = build(fake_pack(project(paper={"data_note": ""})), tmp_path / "silent")
    assert words(silent.find(".//footer")) == ""


def test_the_header_names_the_layout_s_paper(tmp_path):
    pack = fake_pack(project(layouts={COMMITTEE: {"paper": {"title": "People Dashboard"}}}))
    page = build(pack, tmp_path)
    assert words(page.find_class("pack-name")[0]).startswith("People Dashboard, ")
    assert page.find(".//title").text_content().count("People Dashboard") == 1


@pytest.mark.parametrize(
    ("introduction", "printed"),
    [
        (None, "Each indicator reported in full has its own page"),
        ("Each KPI for the {period} has a page of its own.", "Each KPI for the Q2"),
        ("", None),
    ],
)
def test_the_indicator_reports_introduction_is_the_council_s(tmp_path, introduction, printed):
    entry = {"id": "reports", "title": "Detailed KPI reports"}
    if introduction is not None:
        entry["introduction"] = introduction
    pack = fake_pack(project(layouts={"quarterly-report": {"sections": ["summary", entry]}}))
    section = build(pack, tmp_path, "quarterly-report").get_element_by_id("reports")
    paragraphs = [words(p) for p in section.findall("p")]
    if printed is None:
        assert paragraphs == []
    else:
        assert paragraphs[0].startswith(printed)
