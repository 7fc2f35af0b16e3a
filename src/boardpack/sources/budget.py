"""Budget monitoring: revenue lines and capital schemes, their totals and the headline.

Figures are in the project's unit (pounds or £000). A figure that follows from others
(variance, revised and latest budgets, totals) is computed; when the file supplies it too, the
two must agree within rounding of the unit, else the line, column and both figures are
reported. A supplied figure that agrees is kept as published.

Rounding allowed: 1 unit for a figure worked from two others (each rounded to the unit, as
printed); for a total of n lines, (n + 1) / 2 units (each line and the total rounded by at most
half a unit); for a percentage of budget, the 1 unit's share of the budget plus half the last
printed decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from ..catalogue import Project
from ..catalogue.models import BudgetFile
from ..dataset import schema
from ..dataset.schema import Table
from ..errors import BoardpackError, Problem
from .readers import Row
from .tables import Sheet, open_sheet, read_number, read_period, source

NIL = {"-", "–", "—"}
TOTAL_WORDS = {"total", "grand total", "totals"}


@dataclass(frozen=True)
class Rule:
    """`target` = sum of `parts` times their `signs`, in words for messages."""

    target: str
    parts: tuple[str, ...]
    signs: tuple[int, ...]
    words: str


@dataclass(frozen=True)
class Kind:
    """A budget table: its label column, figures, derived figures and accepted headers."""

    name: str
    label: str
    figures: tuple[str, ...]
    required: tuple[str, ...]
    zero_when_blank: tuple[str, ...]
    rules: tuple[Rule, ...]
    fields: dict[str, tuple[str, ...]]
    percent: bool
    table: Table


REVENUE = Kind(
    name="revenue",
    label="service_area",
    figures=("original_budget", "revised_budget", "forecast", "variance"),
    required=("revised_budget", "forecast"),
    zero_when_blank=(),
    rules=(
        Rule("variance", ("forecast", "revised_budget"), (1, -1), "forecast less revised budget"),
    ),
    fields={
        "period": (),
        "service_area": ("description", "service", "line"),
        "original_budget": ("original",),
        "revised_budget": ("revised", "budget"),
        "forecast": ("forecast_outturn", "outturn"),
        "variance": ("variation",),
        "variance_pct": ("variance_%", "variation_%", "%_variation_of_revised_budget"),
        "comment": ("comments",),
    },
    percent=True,
    table=schema.REVENUE,
)

CAPITAL = Kind(
    name="capital",
    label="scheme",
    figures=(
        "original_budget",
        "slippage_cf",
        "revised_budget",
        "in_year_slippage",
        "latest_budget",
        "forecast",
        "variance",
        "slippage",
        "new_budget",
    ),
    required=("forecast",),
    zero_when_blank=("slippage_cf", "in_year_slippage"),
    rules=(
        Rule(
            "revised_budget",
            ("original_budget", "slippage_cf"),
            (1, 1),
            "original budget plus slippage carried forward",
        ),
        Rule(
            "latest_budget",
            ("revised_budget", "in_year_slippage"),
            (1, 1),
            "revised budget plus in-year slippage",
        ),
        Rule("variance", ("forecast", "latest_budget"), (1, -1), "forecast less latest budget"),
    ),
    fields={
        "period": (),
        "scheme": ("service_area", "description", "project"),
        "original_budget": ("original",),
        "slippage_cf": ("slippage_c_fwd", "slippage_carried_forward"),
        "revised_budget": ("revised",),
        "in_year_slippage": ("in_year_slippage_(+_)",),
        "latest_budget": ("latest",),
        "forecast": ("forecast_outturn", "outturn"),
        "variance": ("variation",),
        "slippage": (),
        "new_budget": (),
        "comment": ("comments",),
    },
    percent=False,
    table=schema.CAPITAL,
)


def read_revenue(project: Project) -> pl.DataFrame:
    """Revenue lines with a total row per period (empty when the project has none)."""
    budget = project.budget
    return _read(project, budget.revenue if budget else None, REVENUE)


def read_capital(project: Project) -> pl.DataFrame:
    """Capital schemes with a total row per period (empty when the project has none)."""
    budget = project.budget
    return _read(project, budget.capital if budget else None, CAPITAL)


def _read(project: Project, config: BudgetFile | None, kind: Kind) -> pl.DataFrame:
    if config is None:
        return kind.table.empty()
    problems: list[Problem] = []
    unit = project.budget.unit
    sheet = open_sheet(project, config, kind.fields, ("period", kind.label), problems)
    rows = [] if sheet is None else _table(sheet, kind, unit, problems)
    if problems:
        raise BoardpackError(problems)
    return kind.table.frame(rows)


# -- one line ---------------------------------------------------------------------------------


@dataclass
class Line:
    """One row's figures with where they came from."""

    row: Row | None
    period: object
    label: str
    values: dict[str, float | None]
    comment: str | None
    is_total: bool


def _line(sheet: Sheet, row: Row, kind: Kind, problems: list[Problem]) -> Line | None:
    label = sheet.text(row, kind.label)
    if not label:
        problems.append(sheet.problem(row, kind.label, "is blank; name the line"))
        return None
    found: list[Problem] = []
    period = read_period(sheet, row, found)
    names = kind.figures + (("variance_pct",) if kind.percent else ())
    values = {name: _figure(sheet, row, name, found) for name in names}
    problems.extend(_named(p, label) for p in found)
    if found or period is None:
        return None
    is_total = " ".join(label.lower().split()) in TOTAL_WORDS
    return Line(row, period, label, values, sheet.text(row, "comment") or None, is_total)


def _figure(sheet: Sheet, row: Row, name: str, problems: list[Problem]) -> float | None:
    """A figure; `-` is nil (0) as finance tables write it, blank is not given."""
    if sheet.text(row, name) in NIL:
        return 0.0
    return read_number(sheet, row, name, problems)


def _named(problem: Problem, label: str) -> Problem:
    return replace(problem, what=f'{problem.what} (line "{label}")')


# -- checks -----------------------------------------------------------------------------------


def _derive(sheet, line: Line, kind: Kind, unit: str, problems: list[Problem]) -> None:
    """Fill or check each derived figure of a line, in order."""
    values = line.values
    for rule in kind.rules:
        parts = [_part(values, p, kind) for p in rule.parts]
        if any(part is None for part in parts):
            if values[rule.target] is None:
                reason = f"is blank and cannot be worked out: give it, or {rule.words}"
                problems.append(_named(sheet.problem(line.row, rule.target, reason), line.label))
                return  # the figures after it would only repeat the gap
            continue
        computed = sum(sign * part for sign, part in zip(rule.signs, parts, strict=True))
        given = values[rule.target]
        if given is None:
            values[rule.target] = computed
        elif abs(given - computed) > 1 + 1e-9:
            problems.append(
                _mismatch(sheet, line, rule.target, given, computed, rule.words, 1, unit)
            )
    if kind.percent:
        _check_percent(sheet, line, unit, problems)


def _part(values: dict, name: str, kind: Kind) -> float | None:
    if values[name] is None and name in kind.zero_when_blank:
        return 0.0
    return values[name]


def _check_percent(sheet, line: Line, unit: str, problems: list[Problem]) -> None:
    values = line.values
    budget, variance = values["revised_budget"], values["variance"]
    if not budget or variance is None:
        return
    computed = variance / budget * 100
    given = values["variance_pct"]
    if given is None:
        values["variance_pct"] = computed
        return
    text = sheet.text(line.row, "variance_pct")
    allowed = 100 / abs(budget) + 0.5 * 10 ** -_decimals(text)
    if abs(given - computed) > allowed + 1e-9:
        reason = (
            f"is not the variance as a percentage of the revised budget "
            f"({figure(variance)} / {figure(budget)} = {computed:.1f}%), beyond rounding; "
            f"correct the percentage or the figures"
        )
        problems.append(_named(sheet.problem(line.row, "variance_pct", reason), line.label))


def figure(value: float) -> str:
    """A figure in a message, as the table prints it: `(1,062)`, `3,044.91`."""
    text = f"{abs(value):,.2f}".rstrip("0").rstrip(".")
    return f"({text})" if value < 0 else text


def _decimals(text: str) -> int:
    digits = text.rstrip("%").strip()
    return len(digits.split(".", 1)[1]) if "." in digits else 0


def _mismatch(sheet, line, name, given, computed, words, allowed, unit) -> Problem:
    label = "£000" if unit == "thousands" else "£"
    reason = (
        f"is {figure(given)} but {words} gives {figure(computed)}; they differ by more than "
        f"rounding allows ({allowed:g} in {label}); correct one of them"
    )
    return _named(sheet.problem(line.row, name, reason), line.label)


# -- the table and its totals -----------------------------------------------------------------


def _table(sheet: Sheet, kind: Kind, unit: str, problems: list[Problem]) -> list[dict]:
    lines = [line for row in sheet.table.rows if (line := _line(sheet, row, kind, problems))]
    unreadable = bool(problems)  # totals are not checked against lines that could not be read
    rows: list[dict] = []
    for period in dict.fromkeys(line.period for line in lines):
        own = [line for line in lines if line.period == period]
        body = [line for line in own if not line.is_total]
        totals = [line for line in own if line.is_total]
        for extra in totals[1:]:
            reason = f"is a second total row for {period.label} (also row {totals[0].row.number})"
            problems.append(sheet.problem(extra.row, kind.label, reason))
        for line in body:
            if _required(sheet, line, kind, problems):
                _derive(sheet, line, kind, unit, problems)
        checks = [] if unreadable else problems
        total = _total(sheet, body, totals[0] if totals else None, kind, unit, checks)
        rows += [_record(sheet, kind, line, n) for n, line in enumerate(body, start=1)]
        rows.append(_record(sheet, kind, total, None))
    return rows


def _required(sheet, line: Line, kind: Kind, problems) -> bool:
    missing = [name for name in kind.required if line.values[name] is None]
    for name in missing:
        reason = f"is blank; every {kind.name} line needs its {name.replace('_', ' ')}"
        problems.append(_named(sheet.problem(line.row, name, reason), line.label))
    return not missing


def _total(sheet, body: list[Line], given: Line | None, kind: Kind, unit: str, problems) -> Line:
    """The period's total: the supplied total row (checked against the lines) or the sums."""
    sums = {name: _sum(line.values[name] for line in body) for name in kind.figures}
    if given is None:
        values = sums | ({"variance_pct": None} if kind.percent else {})
        period = body[0].period if body else None
        total = Line(None, period, "Total", values, None, True)
        if kind.percent:
            _check_percent(sheet, total, unit, [])
        return total
    derived = {rule.target for rule in kind.rules}
    allowed = (len(body) + 1) / 2
    for name in kind.figures:
        value, expected = given.values[name], sums[name]
        if name in derived or value is None or expected is None:
            continue
        if abs(value - expected) > allowed + 1e-9:
            words = f"the sum of the {len(body)} lines"
            problems.append(_mismatch(sheet, given, name, value, expected, words, allowed, unit))
    for name in derived:
        if given.values[name] is None and not _parts_given(given, kind, name):
            given.values[name] = sums[name]
    _derive(sheet, given, kind, unit, problems)
    return given


def _parts_given(line: Line, kind: Kind, name: str) -> bool:
    rule = next(rule for rule in kind.rules if rule.target == name)
    return all(_part(line.values, p, kind) is not None for p in rule.parts)


def _sum(values) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def _record(sheet, kind: Kind, line: Line, number: int | None) -> dict:
    return {
        "period": line.period.label,
        "end_month": line.period.end_month,
        "line": number,
        kind.label: line.label,
        **line.values,
        "comment": line.comment,
        "is_total": line.is_total,
        "source": None if line.row is None else source(sheet, line.row),
    }


__all__ = ["CAPITAL", "REVENUE", "read_capital", "read_revenue"]
