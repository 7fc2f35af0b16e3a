"""The lint every definition passes: constructs that break, or silently change meaning,
between DuckDB, PostgreSQL and Spark are refused (research notes §4).

A definition is one SELECT (CTEs and UNION allowed), with no QUALIFY, no INTERVAL (date plus
a whole number of days instead), date differences in days only, no IGNORE NULLS, ANY_VALUE,
generate_series, CONCAT (write ||) or integer division (`//`, or `/` without a DOUBLE operand:
DuckDB divides exactly, PostgreSQL truncates), no COUNT(DISTINCT) in a window, only the
functions in `FUNCTIONS` (those the three engines share), and every ordered window (but RANK
and DENSE_RANK, whose ties are the point) ends its ORDER BY with a unique key (`UNIQUE_KEYS`),
so ties are broken the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlglot
from sqlglot import exp

from boardpack.errors import BoardpackError, Problem

from .definitions import Definition

FUNCTIONS: tuple[type[exp.Expression], ...] = (
    exp.Count,
    exp.Sum,
    exp.Min,
    exp.Max,
    exp.Avg,
    exp.Coalesce,
    exp.Cast,
    exp.Floor,
    exp.Abs,
    exp.Lower,
    exp.Upper,
    exp.Trim,
    exp.Length,
    exp.Substring,
    exp.Nullif,
    exp.Greatest,
    exp.Least,
    exp.DateDiff,
    exp.DateTrunc,
    exp.TimestampTrunc,
    exp.RowNumber,
    exp.Rank,
    exp.DenseRank,
    exp.Median,
    exp.Case,
    exp.If,
)
DENIED: dict[type[exp.Expression], str] = {
    exp.Qualify: "QUALIFY is not in PostgreSQL or Spark; filter a ROW_NUMBER() in an outer query",
    exp.Interval: "INTERVAL arithmetic turns dates into timestamps; add a whole number of days",
    exp.IgnoreNulls: "IGNORE NULLS is not in PostgreSQL; pick the row with ROW_NUMBER()",
    exp.AnyValue: "ANY_VALUE differs between engines; use MIN or MAX",
    exp.GenerateSeries: "generate_series differs between engines; join the calendar table",
    exp.IntDiv: "integer division differs between engines; use FLOOR(CAST(a AS DOUBLE) / b)",
    exp.Concat: "CONCAT treats NULL differently between engines; use ||",
}
STATEMENTS = (exp.Select, exp.Union)
UNIQUE_KEYS = ("record_id", "submission_id", "discharge_id")
TIE_KEEPING = (exp.Rank, exp.DenseRank)


def lint(sql: str) -> list[str]:
    """What is wrong with one definition, in words; empty when it passes."""
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except sqlglot.errors.ParseError as error:
        return [f"does not parse as DuckDB SQL: {error}"]
    if len(statements) != 1 or not isinstance(statements[0], STATEMENTS):
        return ["must be exactly one SELECT (CTEs allowed): no CREATE, INSERT, UPDATE or DELETE"]
    faults = []
    for node in statements[0].walk():
        fault = _fault(node)
        if fault:
            faults.append(fault)
    return list(dict.fromkeys(faults))


def _fault(node: exp.Expression) -> str | None:
    for kind, why in DENIED.items():
        if isinstance(node, kind):
            return why
    if _called(node) and not isinstance(node, FUNCTIONS):
        return f"{node.sql(dialect='duckdb').split('(')[0]}() is not a function every engine shares"
    if isinstance(node, exp.DateDiff):
        return _date_diff(node)
    if isinstance(node, exp.Div):
        return _division(node)
    if isinstance(node, exp.Window):
        return _window(node)
    return None


def _called(node: exp.Expression) -> bool:
    """A function call, not an operator or predicate SQLGlot also models as a function."""
    operators = (exp.Binary, exp.Unary, exp.Predicate, exp.Exists, exp.Paren)
    return isinstance(node, exp.Func) and not isinstance(node, operators)


def _date_diff(node: exp.DateDiff) -> str | None:
    unit = node.args.get("unit")
    name = (unit.name if unit is not None else "day").lower()
    if name not in ("day", "days", "'day'"):
        return f"DATE_DIFF in {name}: month and year differences differ between engines; use days"
    return None


def _division(node: exp.Div) -> str | None:
    if any(_exact(side) for side in (node.this, node.expression)):
        return None
    return f"{node.sql(dialect='duckdb')}: integer division in PostgreSQL; CAST one side AS DOUBLE"


def _exact(side: exp.Expression) -> bool:
    if isinstance(side, exp.Paren):
        return _exact(side.this)
    if isinstance(side, exp.Cast):
        return side.to.this in (exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT)
    if isinstance(side, exp.Literal):
        return not side.is_string and "." in side.this
    if isinstance(side, exp.Div | exp.Mul | exp.Add | exp.Sub):
        return any(_exact(part) for part in (side.this, side.expression))
    return False


def _window(node: exp.Window) -> str | None:
    function = node.this
    if isinstance(function, exp.Count) and isinstance(function.this, exp.Distinct):
        return "COUNT(DISTINCT ...) OVER is not in PostgreSQL or Spark; aggregate first"
    order = node.args.get("order")
    if order is None or isinstance(function, TIE_KEEPING):
        return None
    last = order.expressions[-1].this
    if isinstance(last, exp.Column) and last.name in UNIQUE_KEYS:
        return None
    return (
        f"the window {node.sql(dialect='duckdb')[:60]}... must end its ORDER BY with a unique key "
        f"({', '.join(UNIQUE_KEYS)}) so ties break the same way on every engine"
    )


def check_definitions(definitions: Iterable[Definition]) -> None:
    """BoardpackError listing every fault of every definition."""
    problems = [
        Problem(file=d.shown, what=fault, fix="see docs/records.md, Writing a local measure")
        for d in definitions
        for fault in lint(d.sql)
    ]
    if problems:
        raise BoardpackError(problems)
