"""One figure per indicator, organisation and period from every file's rows: repeats merged,
revisions recorded, and true clashes reported naming both rows.

- A repeat with the same figures is read once; a cell blank in one row and given in the other
  (a target set in one file only) takes the given one.
- A row that revises (from a file marked `revisions: true`, or a previous period's figure
  printed beside a later one) wins over a row that does not, and where the values differ the
  change is recorded as a revision with the revising row as its source.
- Two rows that do not revise and give different figures are a clash: a problem naming both.
"""

from __future__ import annotations

from typing import Any

from ...errors import Problem
from ..readers import cell_text

#: Columns that must agree when the same indicator, organisation and period appear twice.
COMPARED = (
    "value",
    "numerator",
    "denominator",
    "target",
    "floor",
    "baseline",
    "status",
    "missing_reason",
)

Row = dict[str, Any]


def combine(rows: list[Row], problems: list[Problem]) -> tuple[list[Row], list[Row]]:
    """The rows with one per indicator, organisation and period (in the order first given),
    and the revisions among them."""
    kept: dict[tuple, Row] = {}
    revisions: list[Row] = []
    for row in rows:
        key = (row["indicator"], row["organisation"], row["period"])
        first = kept.get(key)
        kept[key] = row if first is None else _merge(first, row, problems, revisions)
    return list(kept.values()), revisions


def _merge(first: Row, second: Row, problems: list[Problem], revisions: list[Row]) -> Row:
    if not (first["revises"] or second["revises"]):
        differ = [name for name in COMPARED if _clash(first, second, name)]
        if differ:
            problems.append(_duplicate_problem(first, second, differ))
            return first
        return _filled(first, second)
    later, earlier = (
        (first, second)
        if first["revises"] and not second["revises"]
        else (
            second,
            first,
        )
    )
    if None not in (later["value"], earlier["value"]) and later["value"] != earlier["value"]:
        revisions.append(_revision(earlier, later))
    merged = _filled(later, earlier)
    merged["record"] = first["record"]  # a clash later names the row first given
    return merged


def _clash(first: Row, second: Row, name: str) -> bool:
    one, other = first.get(name), second.get(name)
    if name == "missing_reason" and (first["value"] is not None or second["value"] is not None):
        return False  # a figure given in one row fills the other's gap
    return one is not None and other is not None and one != other


def _filled(main: Row, other: Row) -> Row:
    """`main` with its blank cells taken from `other`."""
    merged = {name: other.get(name) if value is None else value for name, value in main.items()}
    if merged.get("value") is not None:
        merged["missing_reason"] = None
    return merged


def _revision(earlier: Row, later: Row) -> Row:
    return {
        "indicator": later["indicator"],
        "organisation": later["organisation"],
        "period": later["period"],
        "end_month": later["end_month"],
        "value_before": earlier["value"],
        "value_after": later["value"],
        "source": later["source"],
        "revised_on": later["revised_on"],
    }


def _duplicate_problem(first: Row, second: Row, differ: list[str]) -> Problem:
    detail = "; ".join(
        f"{name} {_show(second.get(name))} here, {_show(first.get(name))} there" for name in differ
    )
    later = (
        ", or mark the later file `revisions: true` if it revises the figure"
        if first["record"].file != second["record"].file
        else ""
    )
    return second["record"].problem(
        "",
        f"{second['indicator']} for {second['organisation']} in {second['period']} is also given "
        f"at {first['record'].where()} with different figures ({detail}); keep one row{later}",
    )


def _show(value: Any) -> str:
    return (
        "blank" if value is None else cell_text(value) if isinstance(value, float) else str(value)
    )
