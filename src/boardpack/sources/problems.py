"""The validation report: every problem in the data files, each with where it is and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file. Location fields are None when they do not apply."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def where(self) -> str:
        """`data/figures.csv, sheet "Trend", row 14, column "value"`."""
        parts = [self.file]
        if self.sheet:
            parts.append(f'sheet "{self.sheet}"')
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts)

    def __str__(self) -> str:
        shown = f'"{self.value}" ' if self.value else ""
        return f"{self.where()}: {shown}{self.reason}"


class ImportFailed(Exception):
    """Raised with every problem found, after all files were checked; nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        """One line per problem."""
        return "\n".join(str(problem) for problem in self.problems)

    def __str__(self) -> str:
        return self.report()


class ReadError(Exception):
    """A file could not be read at all (missing, empty, unknown sheet or format)."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))
