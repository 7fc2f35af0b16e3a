"""Commitments rated on the project's own scheme, and their counts by rating.

Published figures are from the London Borough of Barnet, Adults & Communities Delivery Unit
Report Q1 2015/16, sections 1.1 (dashboard), 3.1 and 3.2 (seed:
barnet-2015-16-q1-adults-and-communities-delivery-unit-report.txt).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from boardpack import load_project
from boardpack.catalogue import load_project_file
from boardpack.engine.commitments import commitment_summary
from boardpack.errors import BoardpackError
from boardpack.sources.commitments import read_commitments

BARNET = Path(__file__).parents[1] / "examples" / "seeds" / "barnet-2015-16-q1"
PERIOD = "Q1 2015/16"
HEADER = "period,ref,title,due,rating,commentary"


def project(tmp_path: Path, rows: list[str], scheme: str = ""):
    (tmp_path / "boardpack.yaml").write_text(
        "organisation: {code: E09000003, name: Barnet}\n"
        f"commitments:\n  file: commitments.csv\n{scheme}"
    )
    (tmp_path / "commitments.csv").write_text("\n".join([HEADER, *rows]) + "\n")
    return load_project_file(tmp_path)


def problems_of(tmp_path, rows) -> list[str]:
    with pytest.raises(BoardpackError) as error:
        read_commitments(project(tmp_path, rows))
    return [str(p) for p in error.value.problems]


def test_barnet_commissioning_intentions():
    dataset = load_project(BARNET)
    frame = dataset.commitments
    assert frame["rating"].unique().to_list() == ["Commitment Met"]  # 3.2: every RAG "Green"
    summary = commitment_summary(frame, PERIOD, dataset.project.commitments.scheme).row(
        0, named=True
    )
    # 3.1 prints 100% (5) Green and 0% (0) for the rest, of 5 due; 3.2 lists six intentions,
    # all Green, without saying which is not due, so Boardpack counts six (commitments.csv).
    assert (summary["green_text"], summary["commitments"]) == ("100% (6)", 6)
    assert [summary[f"{rag}_text"] for rag in ("green_amber", "red_amber", "red")] == ["0% (0)"] * 3


def test_counts_in_the_indicator_summary_shape(tmp_path):
    rows = [f"{PERIOD},C{n},Commitment {n},,Green," for n in range(5)]
    frame = read_commitments(project(tmp_path, rows))
    summary = commitment_summary(frame, PERIOD).row(0, named=True)
    assert (summary["group"], summary["green"], summary["green_text"]) == (
        "Overall",
        5,
        "100% (5)",
    )
    mixed = rows[:3] + [f"{PERIOD},C9,Late,,Red,", "Q2 2015/16,C1,Later,,Red,"]
    frame = read_commitments(project(tmp_path, mixed))
    summary = commitment_summary(frame, PERIOD).row(0, named=True)
    assert (summary["green_text"], summary["red_text"], summary["commitments"]) == (
        "75% (3)",
        "25% (1)",
        4,
    )


def test_ratings_by_label_or_colour(tmp_path):
    rows = [
        f"{PERIOD},A,One,,Commitment met,",
        f"{PERIOD},B,Two,,green amber,",
        f"{PERIOD},C,Three,,Red-Amber,",
        f"{PERIOD},D,Four,,red,",
    ]
    frame = read_commitments(project(tmp_path, rows))
    assert frame["rag"].to_list() == ["green", "green_amber", "red_amber", "red"]
    assert frame["rating"][1] == "Commitment delayed, low impact"


def test_an_unknown_rating_lists_the_scheme(tmp_path):
    (problem,) = problems_of(tmp_path, [f"{PERIOD},A,One,,Amber,"])
    assert problem.startswith('commitments.csv, row 2, column "rating": "Amber" ')
    assert "Commitment met (Green)" in problem and "Risk of not delivering" in problem


def test_a_project_scheme(tmp_path):
    scheme = "  scheme:\n    - {label: On track, rag: green}\n    - {label: Off track, rag: red}\n"
    frame = read_commitments(project(tmp_path, [f"{PERIOD},A,One,,off track,"], scheme))
    assert frame["rag"].to_list() == ["red"]
    with pytest.raises(BoardpackError, match="On track \\(Green\\), Off track \\(Red\\)"):
        read_commitments(project(tmp_path, [f"{PERIOD},A,One,,Commitment met,"], scheme))


def test_due_dates_and_blank_cells(tmp_path):
    rows = [f"{PERIOD},A,One,31/03/2016,Green,", f"{PERIOD},B,Two,Q2 2015/16,Green,"]
    frame = read_commitments(project(tmp_path, rows))
    assert frame["due"].to_list() == [dt.date(2016, 3, 31), dt.date(2015, 9, 30)]
    problems = problems_of(tmp_path, [f"{PERIOD},A,,soon,Green,", f"{PERIOD},B,Two,,,"])
    assert any('column "title"' in p and "is blank" in p for p in problems)
    assert any('column "due": "soon" is not a date' in p for p in problems)
    assert any("row 3" in p and 'column "rating"' in p for p in problems)


def test_the_scheme_needs_distinct_colours(tmp_path):
    scheme = "  scheme:\n    - {label: A, rag: green}\n    - {label: B, rag: green}\n"
    with pytest.raises(Exception, match="its own rag"):
        project(tmp_path, [], scheme)
