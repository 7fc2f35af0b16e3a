"""Values as people type them into spreadsheets: `37.0%`, `£1,311,192`, `(1,062)`, `[c]`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import BoardpackError, Problem

NUMBER_HINT = "write it like 37.5, 37.5% or 1,631"

#: Markers that stand for "no figure", with the reason kept (GSS conventions first).
MISSING_MARKERS: dict[str, str] = {
    "": "blank",
    "[c]": "suppressed",
    "[x]": "not available",
    "[z]": "not applicable",
    "n/a": "not available",
    "na": "not available",
    "-": "not available",
    "–": "not available",
    "—": "not available",
    "..": "not available",
}

_PLAIN = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)  # the common case, read without further checks
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+", re.ASCII)
_UNIT_SUFFIX = re.compile(r"\s*\(\s*[A-Za-z][A-Za-z ]*\)$")  # "6.45 (Days)"
_MINUS = ("-", "−", "–")


@dataclass(frozen=True)
class ParsedValue:
    """A parsed cell: a number, or missing with the reason why."""

    value: float | None
    missing: str | None = None
    is_percent: bool = False
    is_currency: bool = False


class ValueParseError(BoardpackError):
    """The text is neither a number nor a known missing-value marker."""

    def __init__(self, text: str):
        self.text = text
        self.reason = f"is not a number; {NUMBER_HINT}"
        super().__init__(Problem(value=text, what="is not a number", fix=NUMBER_HINT))


def parse_value(text: str | float | int | None) -> ParsedValue:
    """Parse one cell. Numbers from spreadsheets pass through; text is read as typed."""
    if text is None:
        return ParsedValue(None, MISSING_MARKERS[""])
    if isinstance(text, bool):
        raise ValueParseError(str(text).upper())
    if isinstance(text, int | float):
        return _from_number(float(text), str(text))
    if _PLAIN.fullmatch(text):
        return ParsedValue(float(text))
    cleaned = text.strip()
    marker = MISSING_MARKERS.get(cleaned.lower())
    if marker is not None:
        return ParsedValue(None, marker)
    return _parse_text(text, cleaned)


def _from_number(number: float, text: str) -> ParsedValue:
    if number != number:  # NaN from a spreadsheet error cell
        return ParsedValue(None, "not available")
    if number in (float("inf"), float("-inf")):
        raise ValueParseError(text)
    return ParsedValue(number)


def _parse_text(original: str, text: str) -> ParsedValue:
    text = _UNIT_SUFFIX.sub("", text)
    negative, text = _strip_brackets(text)
    sign, text = _strip_sign(text)
    is_currency, text = _strip_prefix(text, "£")
    if not sign:
        sign, text = _strip_sign(text)  # "£-14" as well as "-£14"
    is_percent, text = _strip_suffix(text, "%")
    number = float(text.replace(",", "")) if _NUMBER.fullmatch(text) else None
    if number is None or number == float("inf") or (negative and sign):
        raise ValueParseError(original)
    return ParsedValue(-number if negative or sign else number, None, is_percent, is_currency)


def _strip_brackets(text: str) -> tuple[bool, str]:
    if len(text) > 2 and text.startswith("(") and text.endswith(")"):
        return True, text[1:-1].strip()
    return False, text


def _strip_sign(text: str) -> tuple[bool, str]:
    if text[:1] == "+":
        return False, text[1:].strip()
    if text[:1] in _MINUS:
        return True, text[1:].strip()
    return False, text


def _strip_prefix(text: str, prefix: str) -> tuple[bool, str]:
    if text.startswith(prefix):
        return True, text[len(prefix) :].strip()
    return False, text


def _strip_suffix(text: str, suffix: str) -> tuple[bool, str]:
    if text.endswith(suffix):
        return True, text[: -len(suffix)].strip()
    return False, text
