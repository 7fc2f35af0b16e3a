"""One error type for everything a person can get wrong, and one shape for each problem.

Every reader, validator and check reports `Problem`s: where (file, sheet, row, column, value,
or line and field of a text file), what is wrong, and how to fix it. A `BoardpackError` carries
every problem found, so a person fixes them all in one go; the command line, the web pages and
the API each print any of them the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong, where it is, and how to fix it. Location fields are None where they do
    not apply: a spreadsheet cell has `sheet`, `row` and `column`; a line of `boardpack.yaml`
    has `line` and `field` (the setting, e.g. `indicators[2].polarity`)."""

    what: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    line: int | None = None
    field: str | None = None
    fix: str | None = None

    def where(self) -> str:
        """`data/figures.csv, sheet "Trend", row 14, column "value"`; `boardpack.yaml, line 3
        (indicators[0].unit)`; empty when the problem has no place."""
        parts = [self.file] if self.file else []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.sheet:
            parts.append(f'sheet "{self.sheet}"')
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f'column "{self.column}"')
        place = ", ".join(parts)
        if self.field:
            place = f"{place} ({self.field})" if place else self.field
        return place

    def message(self) -> str:
        """What is wrong and how to fix it, without the place: `"x" is not a period; write it
        like Q2 2019/20`."""
        shown = f'"{self.value}" ' if self.value else ""
        fix = f"; {self.fix}" if self.fix else ""
        return f"{shown}{self.what}{fix}"

    def __str__(self) -> str:
        place = self.where()
        return f"{place}: {self.message()}" if place else self.message()

    def as_dict(self) -> dict:
        """The problem as the API and JSON output give it."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "line": self.line,
            "field": self.field,
            "what": self.what,
            "fix": self.fix,
            "message": str(self),
        }


class BoardpackError(Exception):
    """Something a person can put right: every problem found, reported together. Nothing was
    loaded or changed when one is raised."""

    #: What the problems stopped, said after their count: "3 problems found; nothing was
    #: loaded." (None for a question the data cannot answer: "1 problem found.").
    outcome: str | None = "nothing was loaded"

    def __init__(
        self,
        problems: Iterable[Problem] | Problem | str,
        *,
        outcome: str | None = "",
    ):
        if isinstance(problems, str):
            problems = [Problem(what=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        if outcome != "":
            self.outcome = outcome
        super().__init__(self.report())

    def report(self) -> str:
        """One line per problem."""
        return "\n".join(str(problem) for problem in self.problems)

    def __str__(self) -> str:
        return self.report()

    def count_text(self) -> str:
        """`1 problem found` or `3 problems found`."""
        count = len(self.problems)
        return f"{count} problem{'' if count == 1 else 's'} found"

    def headline(self) -> str:
        """The line above the problems: how many, and what they stopped."""
        return f"{self.count_text()}{f'; {self.outcome}.' if self.outcome else '.'}"

    def printed(self) -> str:
        """The headline, then one line per problem: as the command line prints any of them."""
        return f"{self.headline()}\n{self.report()}"


class NotFound(BoardpackError):
    """What was asked for is not in the data (a period with no figures, an organisation, a
    year or a record that is not there); the message names it and what there is instead."""

    outcome = None


def attempt(read: Callable[[], T], problems: list[Problem]) -> T | None:
    """`read()`; or, when it raises a `BoardpackError`, None with its problems added to
    `problems`, so every part is tried and all the problems are reported together."""
    try:
        return read()
    except BoardpackError as error:
        problems.extend(error.problems)
        return None
