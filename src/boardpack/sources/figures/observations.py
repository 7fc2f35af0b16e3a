"""Read every data file of a project into one observations frame, or report every problem."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from boardpack.catalogue import DataSource, Indicator, Project, closest
from boardpack.dataset.schema import OBSERVATIONS
from boardpack.periods import PeriodError, period_for

from ...errors import BoardpackError, Problem
from ..readers import ReadError, Table, cell_text, read_rows
from ..values import ParsedValue, ValueParseError, parse_value
from .records import Record
from .tidy import tidy_records
from .tracker import tracker_records

NUMBERS = ("value", "numerator", "denominator", "target", "floor")
PERCENT_FIELDS = ("value", "target", "floor")
STATUSES = ("provisional", "final")
NOT_YET_REPORTED = "not yet reported"
#: Columns that must agree when the same indicator, organisation and period appear twice.
COMPARED = ("value", "numerator", "denominator", "target", "floor", "status", "missing_reason")

Format = Callable[[Table, DataSource, list[Problem]], list[Record]]
FORMATS: dict[str, Format] = {
    "tidy": lambda table, source, problems: tidy_records(table, source.columns, problems),
    "tracker": lambda table, source, problems: tracker_records(
        table, source.rows, source.indicator_column, problems
    ),
}


def load_observations(
    project: Project, project_dir: Path, organisation_default: str
) -> pl.DataFrame:
    """Every observation in the project's data files, as the Dataset's `observations` table.

    All files are checked first; if anything is wrong, `BoardpackError` lists every problem and
    nothing is returned.
    """
    problems: list[Problem] = []
    records = [
        r for source in project.data for r in _read_source(source, Path(project_dir), problems)
    ]
    indicators = {ind.ref.lower(): ind for ind in project.indicators}
    built = (
        Observation(record, indicators, organisation_default, problems).build()
        for record in records
    )
    rows = _deduplicate([row for row in built if row is not None], problems)
    if problems:
        raise BoardpackError(_in_file_order(problems, project))
    return OBSERVATIONS.frame(rows)


def _read_source(source: DataSource, project_dir: Path, problems: list[Problem]) -> list[Record]:
    try:
        table = read_rows(
            project_dir / source.file,
            source.sheet,
            source.header_row,
            name=source.file,
        )
    except ReadError as error:
        problems.append(error.problem)
        return []
    return FORMATS[source.format](table, source, problems)


def _in_file_order(problems: list[Problem], project: Project) -> list[Problem]:
    """Distinct problems, by file as the project lists them, then by row."""
    order = {source.file: index for index, source in enumerate(project.data)}
    return sorted(dict.fromkeys(problems), key=lambda p: (order.get(p.file, 0), p.row or 0))


@dataclass
class Observation:
    """Turns one record into an observation row, adding a problem for each bad cell."""

    record: Record
    indicators: dict[str, Indicator]  # by lower-case reference
    organisation_default: str
    problems: list[Problem]

    def build(self) -> dict[str, Any] | None:
        count = len(self.problems)
        indicator = self._indicator()
        row: dict[str, Any] = {
            "indicator": indicator.ref if indicator else None,
            "missing_reason": None,
            "record": self.record,
        }
        row.update(self._period(indicator))
        row.update(self._numbers(indicator))
        row["organisation"] = self._text("organisation") or self.organisation_default
        row["status"] = self._status()
        row["note"] = self._text("note")
        row["published_rag"] = self._text("published_rag")
        row["source"] = self.record.source
        self._check_denominator(row)
        return row if len(self.problems) == count else None

    def _text(self, name: str) -> str | None:
        field = self.record.fields.get(name)
        return (cell_text(field.raw) or None) if field else None

    def _add(self, name: str, reason: str) -> None:
        self.problems.append(self.record.problem(name, reason))

    def _indicator(self) -> Indicator | None:
        ref = self._text("indicator")
        if not ref:
            self._add("indicator", "the indicator is blank; give its reference from boardpack.yaml")
            return None
        indicator = self.indicators.get(ref.lower())
        if indicator is None:
            match = closest(ref, [ind.ref for ind in self.indicators.values()])
            hint = (
                f"; did you mean {match}?"
                if match
                else "; add it to boardpack.yaml or fix the reference"
            )
            self._add("indicator", f"is not an indicator in boardpack.yaml{hint}")
        return indicator

    def _period(self, indicator: Indicator | None) -> dict[str, Any]:
        label = self._text("period") or ""
        try:
            period = period_for(label, indicator.frequency if indicator else None)
        except PeriodError as error:
            why = f" ({error.reason})" if error.reason else ""
            self._add(
                "period",
                f"is not a period{why}; write it like Q2 2019/20, Sep 2019, 2019/20 or 30/09/2019",
            )
            return {}
        return {
            "period": period.label,
            "period_start": period.start,
            "period_end": period.end,
            "end_month": period.end_month,
        }

    def _numbers(self, indicator: Indicator | None) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for name in NUMBERS:
            parsed = self._number(name, indicator)
            row[name] = parsed.value if parsed else None
            if name == "value" and parsed and parsed.missing:
                row["missing_reason"] = (
                    NOT_YET_REPORTED if parsed.missing == "blank" else parsed.missing
                )
        return row

    def _number(self, name: str, indicator: Indicator | None) -> ParsedValue | None:
        field = self.record.fields.get(name)
        try:
            parsed = parse_value(field.raw if field else None)
        except ValueParseError as error:
            self._add(name, error.reason)
            return None
        if (
            parsed.is_percent
            and name in PERCENT_FIELDS
            and indicator
            and indicator.unit != "percent"
        ):
            self._add(
                name,
                f"is a percentage but {indicator.ref} is measured as {indicator.unit}; "
                "remove the % sign or change the indicator's unit",
            )
        return parsed

    def _status(self) -> str | None:
        status = self._text("status")
        if status and status.lower() not in STATUSES:
            self._add("status", f"is not a status; use {' or '.join(STATUSES)}, or leave it blank")
            return None
        return status.lower() if status else None

    def _check_denominator(self, row: dict[str, Any]) -> None:
        if row.get("denominator") == 0 and row.get("numerator") is not None:
            self._add(
                "denominator",
                "is zero but a numerator is given; a rate needs a denominator "
                "above zero (leave both blank if there were no cases)",
            )


def _deduplicate(rows: list[dict[str, Any]], problems: list[Problem]) -> list[dict[str, Any]]:
    """Collapse identical repeats; a repeat with different figures is a problem naming both rows."""
    kept: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        key = (row["indicator"], row["organisation"], row["period"])
        first = kept.setdefault(key, row)
        if first is not row and _figures(first) != _figures(row):
            problems.append(_duplicate_problem(first, row))
    return list(kept.values())


def _figures(row: dict[str, Any]) -> tuple:
    return tuple(row.get(name) for name in COMPARED)


def _duplicate_problem(first: dict[str, Any], second: dict[str, Any]) -> Problem:
    differ = [name for name in COMPARED if first.get(name) != second.get(name)]
    detail = "; ".join(
        f"{name} {_show(second.get(name))} here, {_show(first.get(name))} there" for name in differ
    )
    return second["record"].problem(
        "",
        f"{second['indicator']} for {second['organisation']} in {second['period']} is also given "
        f"at {first['record'].where()} with different figures ({detail}); keep one row",
    )


def _show(value: Any) -> str:
    return (
        "blank" if value is None else cell_text(value) if isinstance(value, float) else str(value)
    )
