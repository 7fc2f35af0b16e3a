"""The error a project file's problems are raised in, and the words its messages share."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from boardpack.errors import BoardpackError


class CatalogueError(BoardpackError):
    """The project file has problems; `problems` lists every one found, each with the file,
    line and setting (`indicators[3].polarity`)."""


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
