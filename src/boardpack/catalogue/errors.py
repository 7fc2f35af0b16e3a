"""Issues found in a project file, and the error that carries them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Issue:
    """One problem in a project file: where it is and what to do about it."""

    file: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}, line {self.line}"
        if self.where:
            place += f" ({self.where})"
        return f"{place}: {self.message}"


class CatalogueError(Exception):
    """The project file has problems; `issues` lists every one found."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


def closest(name: str, choices: Iterable[str]) -> str | None:
    """The choice most like `name` (ignoring case), or None when nothing is close."""
    by_lower = {str(choice).lower(): str(choice) for choice in choices}
    found = difflib.get_close_matches(str(name).lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[found[0]] if found else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' when a choice is close to `name`, else ''."""
    match = closest(name, choices)
    return f' (did you mean "{match}"?)' if match else ""


def describe(value: Any) -> str:
    """A value as a message quotes it."""
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)
