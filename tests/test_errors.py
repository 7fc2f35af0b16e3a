"""The one error type and its Problem: every place and the fix printed in one line."""

from boardpack.errors import BoardpackError, Problem


def test_a_cell_problem_names_file_sheet_row_column_and_value():
    problem = Problem(
        file="data/figures.csv",
        sheet="Trend",
        row=14,
        column="value",
        value="abc",
        what="is not a number",
        fix="write it like 37.0% or 1,234",
    )
    assert str(problem) == (
        'data/figures.csv, sheet "Trend", row 14, column "value": "abc" is not a number; '
        "write it like 37.0% or 1,234"
    )


def test_a_line_problem_names_the_setting():
    problem = Problem(file="boardpack.yaml", line=3, field="indicators[0].unit", what="is wrong")
    assert str(problem) == "boardpack.yaml, line 3 (indicators[0].unit): is wrong"


def test_an_error_carries_every_problem_and_counts_them():
    error = BoardpackError([Problem(what="one"), Problem(what="two")])
    assert str(error) == "one\ntwo"
    assert error.count_text() == "2 problems found"
    assert BoardpackError("alone").count_text() == "1 problem found"
