"""Commentary files: `# REF` per indicator, `## Section` per part, every problem with file and line."""

from __future__ import annotations

import pytest

from boardpack import load_project
from boardpack.catalogue import load_project_file
from boardpack.errors import BoardpackError
from boardpack.sources.commentary import read_commentary
from test_dataset import HEADER, INDICATORS, write_project

FULL = """# ASCH2

66% of assessments were completed within 28 days.

## Commentary

Demand rose by a fifth over the summer.

## Actions

1. Weekend assessment clinics.

## Risks and mitigations

Agency staff may leave; we are recruiting.

## Panel discussion

The panel asked for a recovery plan by December.

# ADM

## Commentary

Admissions are below target.
"""


def commentary_of(tmp_path, files: dict[str, str]):
    return read_commentary(
        load_project_file(write_project(tmp_path, HEADER + INDICATORS, None, files))
    )


def problems_of(tmp_path, files: dict[str, str]) -> list[str]:
    with pytest.raises(BoardpackError) as caught:
        commentary_of(tmp_path, files)
    return [str(problem) for problem in caught.value.problems]


def test_sections_are_read_under_each_indicator(tmp_path):
    frame = commentary_of(tmp_path, {"Q2 2023/24": FULL})
    texts = {
        (row["indicator"], row["section"]): row["markdown"] for row in frame.iter_rows(named=True)
    }
    assert texts[("ASCH2", "actions")] == "1. Weekend assessment clinics."
    assert texts[("ASCH2", "risks")] == "Agency staff may leave; we are recruiting."
    assert texts[("ASCH2", "panel")] == "The panel asked for a recovery plan by December."
    assert texts[("ADM", "commentary")] == "Admissions are below target."


def test_text_before_the_first_section_heading_is_commentary(tmp_path):
    frame = commentary_of(tmp_path, {"Q2 2023/24": FULL})
    commentary = frame.filter((frame["indicator"] == "ASCH2") & (frame["section"] == "commentary"))
    assert commentary["markdown"].to_list() == [
        "66% of assessments were completed within 28 days.",
        "Demand rose by a fifth over the summer.",
    ]


def test_rows_carry_the_files_period_and_the_catalogues_spelling_of_the_reference(tmp_path):
    frame = commentary_of(tmp_path, {"Q2 2023/24": "# asch2\n\nOn track.\n"})
    assert frame.rows() == [("ASCH2", "Q2 2023/24", "commentary", "On track.")]


def test_deeper_headings_stay_inside_the_section(tmp_path):
    frame = commentary_of(tmp_path, {"Q2 2023/24": "# ASCH2\n## Actions\n### Short term\nHire.\n"})
    assert frame.rows() == [("ASCH2", "Q2 2023/24", "actions", "### Short term\nHire.")]


def test_an_unknown_indicator_names_file_line_and_the_closest_reference(tmp_path):
    text = "# ASCH2\n\nFine.\n\n# ASCH22\n\nTypo above.\n"
    assert problems_of(tmp_path, {"Q2 2023/24": text}) == [
        'commentary/1.md, line 5: no indicator "ASCH22" in the catalogue; did you mean ASCH2?'
    ]


def test_an_unknown_section_names_file_line_and_the_allowed_sections(tmp_path):
    text = "# ASCH2\n\n## Commentary\n\nFine.\n\n## Progress update\n\nMore.\n"
    [problem] = problems_of(tmp_path, {"Q2 2023/24": text})
    assert problem.startswith('commentary/1.md, line 7: unknown section "Progress update"')
    for allowed in ("Commentary", "Actions", "Risks and mitigations", "Panel discussion"):
        assert allowed in problem


def test_a_missing_file_is_a_problem_naming_it(tmp_path):
    folder = write_project(tmp_path, HEADER + INDICATORS, None, {"Q2 2023/24": FULL})
    (folder / "commentary" / "1.md").unlink()
    with pytest.raises(BoardpackError) as caught:
        read_commentary(load_project_file(folder))
    [problem] = [str(problem) for problem in caught.value.problems]
    assert problem.startswith("commentary/1.md: ")
    assert "not found" in problem


def test_every_problem_in_every_file_is_reported_together(tmp_path):
    files = {
        "Q1 2023/24": "# ASCH2\n## Acts\nHire.\n# ADMS\nText.\n",
        "Q2 2023/24": "# WAITS\n",
    }
    problems = problems_of(tmp_path, files)
    assert [p.split(":")[0] for p in problems] == [
        "commentary/1.md, line 2",
        "commentary/1.md, line 4",
        "commentary/2.md, line 1",
    ]
    assert "did you mean ADM?" in problems[1]
    assert "did you mean WAIT?" in problems[2]


def test_load_project_stops_on_commentary_problems(tmp_path):
    write_project(tmp_path, HEADER + INDICATORS, commentary={"Q2 2023/24": "# NOPE\n"})
    with pytest.raises(BoardpackError, match='no indicator "NOPE"'):
        load_project(tmp_path)


def test_text_before_the_first_indicator_heading_is_an_error_not_lost(tmp_path):
    write_project(
        tmp_path, HEADER + INDICATORS, commentary={"Q2 2023/24": "Some notes\n\n# ASCH2\nText\n"}
    )
    with pytest.raises(BoardpackError, match=r"line 1: text before the first indicator heading"):
        load_project(tmp_path)
