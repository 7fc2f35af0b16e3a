"""The risk register: levels, scores and ratings checked on import; heat map, filter, movement.

Published figures are from the London Borough of Barnet, Adults & Communities Delivery Unit
Report Q1 2015/16, section 5 (seed: barnet-2015-16-q1-adults-and-communities-delivery-unit-report.txt).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from boardpack import load_project
from boardpack.catalogue import load_project_file
from boardpack.catalogue.models import IMPACT_LABELS, LIKELIHOOD_LABELS
from boardpack.engine.risks import filter_by_score, heat_map, movement
from boardpack.errors import BoardpackError
from boardpack.sources.risks import Scale, parse_level, read_risks

BARNET = Path(__file__).parents[1] / "examples" / "seeds" / "barnet-2015-16-q1"
PERIOD = "Q1 2015/16"
IMPACT = Scale("impact", IMPACT_LABELS)
LIKELIHOOD = Scale("likelihood", LIKELIHOOD_LABELS)
HEADER = (
    "period,ref,impact,likelihood,score,rating,status,target_impact,target_likelihood,target_score"
)
BANDS = """\
  bands:
    - {label: Low, min_score: 1}
    - {label: Medium Low, min_score: 4}
    - {label: Medium High, min_score: 8}
    - {label: High, min_score: 15}
"""


def project(tmp_path: Path, rows: list[str], header: str = HEADER, extra: str = ""):
    (tmp_path / "boardpack.yaml").write_text(
        "organisation: {code: E09000003, name: Barnet}\n"
        f"risks:\n  file: risks.csv\n{BANDS}{extra}",
        encoding="utf-8",
    )
    (tmp_path / "risks.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return load_project_file(tmp_path)


def problems_of(tmp_path: Path, rows: list[str], **kwargs) -> list[str]:
    with pytest.raises(BoardpackError) as error:
        read_risks(project(tmp_path, rows, **kwargs))
    return [str(p) for p in error.value.problems]


# -- impact and likelihood ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "scale", "level"),
    [
        ("4", IMPACT, 4),
        ("Major", IMPACT, 4),
        ("4 Major", IMPACT, 4),
        ("Major (4)", IMPACT, 4),
        ("  catastrophic ", IMPACT, 5),
        ("Almost Certain 5", LIKELIHOOD, 5),
        ("almost  certain", LIKELIHOOD, 5),
        ("Rare (1)", LIKELIHOOD, 1),
    ],
)
def test_levels_read_as_numbers_labels_or_both(text, scale, level):
    assert parse_level(text, scale) == (level, None)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Moderate 4", "impact 4 is Major, but the label says Moderate (3)"),
        ("6", "is not 1 to 5; give the impact as one of 1 Negligible"),
        ("2.5", "is not 1 to 5; give the impact as one of 1 Negligible"),
        ("4 5", "is not 1 to 5; give the impact as one of 1 Negligible"),
        ("Huge", '"Huge" is not a label of the impact scale'),
        ("Majr", 'did you mean "Major"?'),
    ],
)
def test_levels_that_cannot_be_read(text, words):
    level, reason = parse_level(text, IMPACT)
    assert level is None
    assert words in reason


# -- errors on import --------------------------------------------------------------------------


def test_a_label_that_does_not_match_its_number(tmp_path):
    (problem,) = problems_of(tmp_path, ["Q1 2015/16,AS0089,Moderate 4,Possible 3,12,,,,,"])
    assert problem.startswith('risks.csv, row 2, column "impact": "Moderate 4" ')
    assert "Moderate (3)" in problem and "(risk AS0089)" in problem


def test_a_score_that_is_not_impact_times_likelihood(tmp_path):
    (problem,) = problems_of(tmp_path, ["Q1 2015/16,AS0087,Moderate 3,Likely 4,20,,,,,"])
    assert problem.startswith('risks.csv, row 2, column "score": "20" ')
    assert "3 x 4 = 12" in problem and "(risk AS0087)" in problem


def test_a_rating_outside_the_bands_of_its_score(tmp_path):
    (problem,) = problems_of(tmp_path, ["Q1 2015/16,AS0044,4,3,12,High,,,,"])
    assert problem.startswith('risks.csv, row 2, column "rating": "High" ')
    assert "the score 12, which the project's bands rate Medium High" in problem
    assert "(risk AS0044)" in problem


def test_a_rating_the_project_does_not_have(tmp_path):
    (problem,) = problems_of(tmp_path, ["Q1 2015/16,AS0044,4,3,12,Medium Hi,,,,"])
    assert '"Medium Hi"' in problem and 'did you mean "Medium High"?' in problem


def test_target_assessment_is_checked_too(tmp_path):
    (problem,) = problems_of(tmp_path, ["Q1 2015/16,AS0007,4,5,20,High,Treat,3,2,5"])
    assert 'column "target_score": "5"' in problem and "3 x 2 = 6" in problem


def test_a_target_score_without_its_impact(tmp_path):
    (problem,) = problems_of(tmp_path, ["Q1 2015/16,AS0007,4,5,20,High,Treat,,2,6"])
    assert 'column "target_impact"' in problem and "is blank" in problem


def test_status_is_one_of_the_four_ts(tmp_path):
    (problem,) = problems_of(tmp_path, ["Q1 2015/16,AS0007,4,5,20,High,Treated,,,"])
    assert '"Treated"' in problem and "Treat, Tolerate, Transfer, Terminate" in problem


def test_a_risk_given_twice_in_a_period(tmp_path):
    rows = ["Q1 2015/16,AS0007,4,5,,,,,,", "Q1 2015/16,as0007,4,5,,,,,,"]
    (problem,) = problems_of(tmp_path, rows)
    assert "row 3" in problem and "twice for Q1 2015/16 (also row 2)" in problem


def test_blank_impact_and_unknown_period(tmp_path):
    problems = problems_of(tmp_path, ["Q9 2015/16,AS0007,,5,,,,,,"])
    assert any('column "period": "Q9 2015/16"' in p for p in problems)
    assert any('column "impact"' in p and "is blank" in p for p in problems)


def test_linked_indicators_must_be_in_the_catalogue(tmp_path):
    extra = textwrap.dedent(
        """\
        indicators:
          - {ref: AC/C7, title: DoLS, polarity: higher_better, unit: percent, frequency: quarterly}
        """
    )
    header = "period,ref,impact,likelihood,linked_indicators"
    (problem,) = problems_of(
        tmp_path, ["Q1 2015/16,AS0091,3,5,ac/c7; AC/C8"], header=header, extra=extra
    )
    assert '"AC/C8"' in problem and 'did you mean "AC/C7"?' in problem
    (tmp_path / "risks.csv").write_text(f"{header}\nQ1 2015/16,AS0091,3,5,ac/c7\n")
    frame = read_risks(load_project_file(tmp_path))
    assert frame["linked_indicators"].to_list() == [["AC/C7"]]


def test_unknown_and_missing_columns(tmp_path):
    problems = problems_of(tmp_path, ["Q1 2015/16,AS0007,4"], header="period,ref,impcat")
    assert any('column "impcat"' in p and 'did you mean "impact"?' in p for p in problems)
    assert any("has no column impact, likelihood" in p for p in problems)


def test_score_and_rating_are_worked_out_when_blank(tmp_path):
    frame = read_risks(project(tmp_path, ["Q1 2015/16,AS0091,Moderate 3,Almost Certain 5,,,,,,"]))
    row = frame.row(0, named=True)
    assert (row["score"], row["rating"], row["impact_label"]) == (15, "High", "Moderate")


def test_bands_must_start_at_one_and_rise(tmp_path):
    (tmp_path / "boardpack.yaml").write_text(
        "organisation: {code: E09000003, name: Barnet}\n"
        "risks: {file: r.csv, bands: [{label: Low, min_score: 1}, {label: High, min_score: 1}]}\n"
    )
    with pytest.raises(Exception, match="lowest to highest"):
        load_project_file(tmp_path)


# -- Barnet ------------------------------------------------------------------------------------

# Section 5 heat map as printed: likelihood 5 to 1 (rows) by impact 1 to 5 (columns), all 30 risks
# at directorate level.
PUBLISHED_HEAT_MAP = {
    5: [0, 1, 1, 3, 0],
    4: [0, 0, 2, 0, 0],
    3: [0, 2, 10, 3, 0],
    2: [1, 1, 1, 4, 1],
    1: [0, 0, 0, 0, 0],
}


def barnet():
    return load_project(BARNET)


def test_barnet_register_loads_with_its_printed_ratings():
    register = barnet().risks
    assert register.height == 9  # the nine risks of the register "rated as 12 and above"
    # Ratings printed in the register, where the score agrees with impact x likelihood.
    printed = {"AS0007": "High", "AS0044": "Medium High", "AS0083": "Medium High"}
    printed |= {"AS0089": "Medium High", "AS0090": "Medium High", "AS0094": "Medium High"}
    rated = dict(zip(register["ref"], register["rating"], strict=True))
    assert {ref: rated[ref] for ref in printed} == printed
    assert dict(zip(register["ref"], register["target_rating"], strict=True))["AS0094"] == (
        "Medium Low"  # printed "Medium Low 4": Barnet's Medium Low starts at 4
    )


def test_barnet_heat_map_against_the_published_one():
    dataset = barnet()
    cells = heat_map(dataset.risks, PERIOD, dataset.project.risks)
    assert cells.height == 25
    counts = {(r["likelihood"], r["impact"]): r["count"] for r in cells.iter_rows(named=True)}
    # The published map counts all 30 directorate risks; the register lists those scored 12+,
    # so below 12 the fixture's map is empty.
    expected = {
        (likelihood, impact): count if likelihood * impact >= 12 else 0
        for likelihood, row in PUBLISHED_HEAT_MAP.items()
        for impact, count in enumerate(row, start=1)
    }
    # AS0087 and AS0088 are rated High 20 (and counted at 20 on the map) but printed 3 x 4 and
    # 3 x 3: Boardpack places them where their impact and likelihood say (see risks.csv).
    expected[(5, 4)] -= 2
    expected[(4, 3)] += 1
    expected[(3, 3)] += 1
    assert counts == expected
    assert sum(counts.values()) == 9
    top = cells.row(0, named=True)
    assert (top["likelihood_label"], top["impact_label"], top["rating"]) == (
        "Almost Certain",
        "Negligible",
        "Medium Low",
    )


def test_barnet_risks_rated_12_and_above():
    register = barnet().risks
    rated = filter_by_score(register, PERIOD, 12)
    # All nine but AS0088, whose printed impact and likelihood give 9.
    assert sorted(rated["ref"]) == sorted(set(register["ref"]) - {"AS0088"})
    assert rated["score"].to_list() == sorted(rated["score"].to_list(), reverse=True)
    assert filter_by_score(register, "Q2 2015/16", 1).height == 0


def test_movement_since_the_previous_period(tmp_path):
    rows = [
        "Q4 2014/15,R1,3,3,,,,,,",
        "Q4 2014/15,R2,4,4,,,,,,",
        "Q4 2014/15,R3,2,2,,,,,,",
        "Q3 2014/15,R4,5,5,,,,,,",
        "Q1 2015/16,R1,3,4,,,,,,",
        "Q1 2015/16,R2,2,4,,,,,,",
        "Q1 2015/16,R3,2,2,,,,,,",
        "Q1 2015/16,R4,1,1,,,,,,",
        "Q1 2015/16,R5,1,1,,,,,,",
    ]
    register = read_risks(project(tmp_path, rows))
    moved = movement(register, PERIOD).sort("ref")
    assert moved["movement"].cast(str).to_list() == ["up", "down", "same", "down", "new"]
    assert moved["previous_score"].to_list() == [9, 16, 4, 25, None]
    assert moved["previous_period"].to_list()[3] == "Q3 2014/15"


def test_no_risks_section_gives_an_empty_register(tmp_path):
    (tmp_path / "boardpack.yaml").write_text("organisation: {code: E1, name: X}\n")
    frame = read_risks(load_project_file(tmp_path))
    assert frame.height == 0 and "linked_indicators" in frame.columns
