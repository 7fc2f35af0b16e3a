"""Conditions of a `rules` rating scheme: SQL-style boolean expressions over a figure's fields.

A condition such as `variance_pct >= -0.10 and direction in ('improving', 'no_change')` is
parsed by polars' SQL parser into one expression, so a scheme rates every row of a frame at
once; nothing is ever run as Python. `parse_condition` checks a condition against the fields
it may use (`CONDITION_FIELDS`, the evaluate contract's names and scales) and raises
`ConditionError` with a message an officer can act on.
"""

from __future__ import annotations

import re

import polars as pl

from .errors import did_you_mean
from .models import RAGS

#: Directions of travel, as the evaluate contract writes them.
DIRECTIONS = ("improving", "no_change", "worsening", "not_applicable")

_NUMBER = pl.Float64
#: What a condition may use, each with its type while rating: the evaluate contract's fields
#: with the same meaning and scale.
CONDITION_FIELDS: dict[str, pl.DataType] = {
    "value": _NUMBER,
    "target": _NUMBER,
    "floor": _NUMBER,
    "variance": _NUMBER,
    "variance_pct": _NUMBER,
    "variance_points": _NUMBER,
    "previous_value": _NUMBER,
    "previous_rag": pl.Enum(RAGS),
    "direction": pl.Enum(DIRECTIONS),
    "direction_vs_last_year": pl.Enum(DIRECTIONS),
    "last_year_value": _NUMBER,
    "baseline": _NUMBER,
    "progress": _NUMBER,
    "periods_since_figure": pl.Int32,
}
#: Fields that mean nothing without a target: a scheme using one rates only figures with one.
TARGET_FIELDS = frozenset(
    {"target", "floor", "variance", "variance_pct", "variance_points", "progress"}
)
#: The words a condition may quote: ratings and directions.
WORDS = frozenset(RAGS) | frozenset(DIRECTIONS)
_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ConditionError(ValueError):
    """A condition that cannot be used, with what is wrong and where."""


def parse_condition(text: str) -> pl.Expr:
    """The polars expression for a condition, checked: it parses, names only known fields,
    quotes only ratings and directions, and gives true or false for every row."""
    try:
        expression = pl.sql_expr(text)
    except Exception as error:  # polars raises several SQL error types; all mean "cannot parse"
        detail = _where_parsing_stopped(text) or _first_line(error)
        raise ConditionError(f"cannot read the condition: {detail}") from None
    _check_no_alias(text, expression)
    _check_names(text, expression)
    _check_words(text)
    _check_type(expression)
    return expression


def condition_fields(text: str) -> set[str]:
    """The fields a (valid) condition uses."""
    return set(pl.sql_expr(text).meta.root_names())


def _check_names(text: str, expression: pl.Expr) -> None:
    for name in dict.fromkeys(expression.meta.root_names()):
        if name not in CONDITION_FIELDS:
            raise ConditionError(
                f'unknown field "{name}"{_at(text, name)}'
                f"{did_you_mean(name, list(CONDITION_FIELDS))}; "
                f"a condition may use {', '.join(CONDITION_FIELDS)}"
            )


def _check_words(text: str) -> None:
    for found in _QUOTED.finditer(text):
        word = found.group(1).replace("''", "'")
        if word not in WORDS:
            raise ConditionError(
                f"'{word}' (at character {found.start() + 1}) is not a rating or a direction"
                f"{did_you_mean(word, sorted(WORDS))}; ratings are {', '.join(RAGS)}; "
                f"directions are {', '.join(DIRECTIONS)}"
            )


def _check_type(expression: pl.Expr) -> None:
    sample = pl.DataFrame(
        {name: [None] for name in CONDITION_FIELDS}, schema=CONDITION_FIELDS
    )  # one row of nulls: polars checks the types as it computes
    try:
        result = sample.select(expression.alias("condition"))
    except Exception as error:
        raise ConditionError(
            f"the condition compares things that cannot be compared: {_first_line(error)}"
        ) from None
    dtype = result.schema["condition"]
    if dtype not in (pl.Boolean, pl.Null):
        raise ConditionError(
            f"the condition gives a {dtype} rather than true or false; compare it with "
            "something, e.g. value >= target"
        )


_PARSER = re.compile(r"Expected: (.*?), found: (\S+)(?: at Line: 1, Column: (\d+))?")
_SELECT = "SELECT "


def _where_parsing_stopped(text: str) -> str | None:
    """What the SQL parser expected and where, read as a query's one column (the parser says
    so, where parsing an expression alone does not): "expected ) at the end of the condition",
    "expected an expression, found == at character 9"."""
    try:
        pl.SQLContext().execute(f"{_SELECT}{text}")
    except Exception as error:
        found = _PARSER.search(str(error))
        if found and found.group(2) == "EOF":
            return f"expected {found.group(1)} at the end of the condition"
        if found and found.group(3):
            position = int(found.group(3)) - len(_SELECT)
            return f"expected {found.group(1)}, found {found.group(2)} at character {position}"
    return None


def _check_no_alias(text: str, expression: pl.Expr) -> None:
    """`value > 1 valu` parses as a condition named "valu": a word left over is a mistake."""
    if expression.meta.undo_aliases().meta.eq(expression):
        return
    word = expression.meta.output_name()
    raise ConditionError(f'unexpected word "{word}"{_at(text, word)}; is an "and" or "or" missing?')


def _at(text: str, name: str) -> str:
    for found in _NAME.finditer(text):
        if found.group() == name:
            return f" (at character {found.start() + 1})"
    return ""


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]
