"""Narrative Markdown per pack period: known sections only, challenges with their actions,
rendered safely; and every part of the report checked together when a project loads.

Barnet texts are from the Adults & Communities Delivery Unit Report Q1 2015/16, section 1.2
(seed: barnet-2015-16-q1-adults-and-communities-delivery-unit-report.txt).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from boardpack import load_project
from boardpack.catalogue import load_project_file
from boardpack.errors import BoardpackError
from boardpack.pack.inputs import ReportParts
from boardpack.pack.report import narrative
from boardpack.sources.narrative import parse_narrative, read_narrative

BARNET = Path(__file__).parents[1] / "examples" / "seeds" / "barnet-2015-16-q1"
FILE = "narrative/q1.md"


def parse(text: str):
    """Rows of one narrative file, and its problems as printed."""
    rows, problems = parse_narrative(text, FILE, "Q1 2015/16")
    return rows, [str(problem) for problem in problems]


def test_barnet_narrative():
    frame = load_project(BARNET).narrative
    sections = frame["section"].unique(maintain_order=True).to_list()
    assert sections[:3] == ["achievements", "challenges", "summary"]
    assert {"equalities", "customer_experience"} <= set(sections)
    challenges = frame.filter(frame["section"] == "challenges")
    assert challenges["markdown"][0] == "Recovering the budget position."
    assert challenges["action_markdown"][0].startswith("Budget recovery plan is being put in place")
    assert challenges.height == 3  # 1.2: three key challenges, each with its action
    assert challenges["action_markdown"][2].startswith("The care quality team")


def test_sections_and_pairs():
    rows, problems = parse(
        "# Foreword\n\nWelcome.\n\n# Key challenges\n\n- Budget | Recovery plan\n* DoLS | Recruit\n"
    )
    assert problems == []
    assert [(r["section"], r["item"]) for r in rows] == [
        ("foreword", 1),
        ("challenges", 1),
        ("challenges", 2),
    ]
    assert rows[2]["action_markdown"] == "Recruit"


def test_an_unknown_heading_names_file_and_line():
    rows, problems = parse("# Foreword\nText\n\n# Appendix\nMore\n")
    assert problems == [
        'narrative/q1.md, line 4: "# Appendix" is not a narrative section; use one of '
        "Foreword, Top achievements, Key challenges, Summary of performance, Equalities, "
        "Customer experience, Finance commentary, Risk commentary, Recommendations"
    ]
    _, problems = parse("# Equality\nText\n")
    assert 'did you mean "Equalities"?' in problems[0]


def test_text_before_the_first_heading_and_repeated_sections():
    _, problems = parse("Hello\n# Equalities\nA\n# equalities\nB\n")
    assert problems[0].startswith("narrative/q1.md, line 1: text before the first heading")
    assert problems[1].startswith('narrative/q1.md, line 4: "# equalities" appears twice')


def test_challenges_must_pair_with_actions():
    _, problems = parse("# Key challenges\n\nA paragraph\n- No action\n- | Only action\n")
    assert [p.split(":")[0] for p in problems] == [
        "narrative/q1.md, line 3",
        "narrative/q1.md, line 4",
        "narrative/q1.md, line 5",
    ]
    assert "challenge | action required" in problems[0]


def test_markdown_is_rendered_safely_by_the_pack():
    rows, _ = parse(
        "# Equalities\n\n<script>alert(1)</script>\n\nSee [it](javascript:alert(1)) **now**\n\n"
        "## Detail\n\n```\n# Not a heading\n```\n"
    )
    html = str(narrative(ReportParts(narrative=pl.DataFrame(rows)))["equalities"])
    assert "<script" not in html and "javascript:" not in html
    assert "<strong>now</strong>" in html and "<h4>Detail</h4>" in html
    assert "# Not a heading" in html


def _project(tmp_path: Path, narrative: str, extra: str = "") -> Path:
    (tmp_path / "boardpack.yaml").write_text(
        "organisation: {code: E09000003, name: Barnet}\n"
        f"narrative:\n  - {{period: Q1 2015/16, file: n.md}}\n{extra}"
    )
    (tmp_path / "n.md").write_text(narrative)
    return tmp_path


def test_missing_file(tmp_path):
    _project(tmp_path, "")
    (tmp_path / "n.md").unlink()
    with pytest.raises(BoardpackError, match="n.md: narrative file not found"):
        read_narrative(load_project_file(tmp_path))


def test_every_part_is_checked_before_anything_loads(tmp_path):
    extra = (
        "risks: {file: risks.csv}\n"
        "commitments: {file: commitments.csv}\n"
        "budget: {revenue: {file: revenue.csv}}\n"
    )
    _project(tmp_path, "# Forword\n", extra)
    (tmp_path / "risks.csv").write_text("period,ref,impact,likelihood\nQ1 2015/16,R1,Major 3,2\n")
    (tmp_path / "commitments.csv").write_text("period,title,rating\nQ1 2015/16,T,Purple\n")
    (tmp_path / "revenue.csv").write_text(
        "period,service_area,revised_budget,forecast,variance\nQ1 2015/16,A,10,12,5\n"
    )
    with pytest.raises(BoardpackError) as error:
        load_project(tmp_path)
    text = [str(p) for p in error.value.problems]
    assert len(text) == 4
    assert text[0].startswith('risks.csv, row 2, column "impact"')
    assert text[1].startswith('revenue.csv, row 2, column "variance"')
    assert text[2].startswith('commitments.csv, row 2, column "rating"')
    assert text[3].startswith("n.md, line 1")


def test_a_project_without_the_report_parts(tmp_path):
    (tmp_path / "boardpack.yaml").write_text("organisation: {code: E1, name: X}\n")
    dataset = load_project(tmp_path)
    for name in ("risks", "revenue", "capital", "commitments", "narrative"):
        assert getattr(dataset, name).height == 0
    assert "action_markdown" in dataset.narrative.columns
    assert "latest_budget" in dataset.capital.columns
