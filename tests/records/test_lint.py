"""The lint refuses what breaks between engines; the built-in definitions pass it, and the
golden transpiled files are up to date."""

from __future__ import annotations

import pytest

from boardpack.errors import BoardpackError
from boardpack.records import golden
from boardpack.records.definitions import builtin_measures, stages
from boardpack.records.lint import check_definitions, lint

REFUSED = {
    "qualify": "SELECT a FROM t QUALIFY ROW_NUMBER() OVER (ORDER BY record_id) = 1",
    "interval": "SELECT d + INTERVAL 7 DAY FROM t",
    "month difference": "SELECT DATE_DIFF('month', a, b) FROM t",
    "make_date": "SELECT MAKE_DATE(2024, 1, 1) FROM t",
    "distinct window": "SELECT COUNT(DISTINCT a) OVER (PARTITION BY b) FROM t",
    "ignore nulls": "SELECT LAST_VALUE(a IGNORE NULLS) OVER (ORDER BY record_id) FROM t",
    "any_value": "SELECT ANY_VALUE(a) FROM t",
    "generate_series": "SELECT * FROM generate_series(1, 3)",
    "integer division": "SELECT a / b FROM t",
    "floor division": "SELECT a // b FROM t",
    "engine function": "SELECT strftime(a, '%Y') FROM t",
    "concat": "SELECT CONCAT(a, b) FROM t",
    "window without unique key": "SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY b) FROM t",
    "update": "UPDATE t SET a = 1",
    "temporary table": "CREATE TEMP TABLE x AS SELECT 1",
}


@pytest.mark.parametrize("sql", REFUSED.values(), ids=REFUSED.keys())
def test_constructs_that_differ_between_engines_are_refused(sql):
    assert lint(sql)


def test_portable_sql_passes():
    sql = """WITH x AS (SELECT a, CAST(b AS DOUBLE) / c AS share, d + 7 AS later,
        DATE_DIFF('day', d, e) AS days,
        ROW_NUMBER() OVER (PARTITION BY a ORDER BY d DESC, record_id) AS pick,
        DENSE_RANK() OVER (PARTITION BY a ORDER BY d) AS tier FROM t)
        SELECT a, COUNT(DISTINCT share), MEDIAN(days) FROM x WHERE pick = 1 GROUP BY a"""
    assert lint(sql) == []


def test_every_built_in_definition_passes_the_lint():
    check_definitions([*stages(), *builtin_measures()])


def test_a_refused_definition_names_its_file_and_says_how_to_fix_it(tmp_path):
    path = tmp_path / "mine.sql"
    path.write_text("-- measure: mine | count | Mine\nSELECT a / b FROM t")
    from boardpack.records.definitions import project_measures

    with pytest.raises(BoardpackError) as raised:
        check_definitions(project_measures(tmp_path))
    problem = raised.value.problems[0]
    assert problem.file == "mine.sql" and "division" in problem.what and problem.fix


def test_golden_transpiled_sql_is_up_to_date():
    assert golden.stale() == [], "run python -m boardpack.records.golden and review the diff"
