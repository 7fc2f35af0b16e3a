"""Values as people type them into spreadsheets: `37.0%`, `£1,311,192`, `(1,062)`, `[c]`."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

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
#: A unit after the number: "6.45 (Days)", or a unit of time written out, "31 days".
_UNIT_SUFFIX = re.compile(r"\s*\(\s*[A-Za-z][A-Za-z ]*\)$|\s+(?:days?|weeks?|hours?)$", re.I)
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


# --- whole columns at once -----------------------------------------------------------------

#: The forms read by polars expressions alone: `37.5`, `-1,631`, `£1,311,192`, `37.0%`,
#: `(1,234)`; anything else is read by `parse_value` once per distinct text.
_COLUMN_FORM = (
    r"^(?<open>\()?(?<sign>[-−–])?(?<pound>£)?"
    r"(?<number>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?<percent>%)?(?<close>\))?$"
)


#: A plain number, the common case: read by casting alone.
_COLUMN_PLAIN = r"^-?[0-9]+(?:\.[0-9]+)?$"


def parse_column(texts: pl.Series) -> pl.DataFrame:
    """Every cell of a text column parsed as `parse_value` parses it, as a frame of `value`,
    `missing` (the reason, or null), `is_percent` and `ok` (false where `parse_value` would
    raise). Blank (null) cells are missing as "blank". Plain numbers are cast at once; the
    other cells (usually few) are parsed by `_forms`, then put back in their places."""
    text = texts.cast(pl.String).str.strip_chars()
    plain = text.str.contains(_COLUMN_PLAIN).fill_null(False)
    blank = text.is_null()
    parsed = pl.DataFrame(
        {
            "value": pl.select(
                pl.when(plain).then(text.cast(pl.Float64, strict=False))
            ).to_series(),
            "missing": pl.select(pl.when(blank).then(pl.lit(MISSING_MARKERS[""]))).to_series(),
            "is_percent": pl.repeat(False, len(text), eager=True),
            "ok": plain | blank,
        }
    )
    others = (~parsed["ok"]).arg_true()
    if others.is_empty():
        return parsed
    found = _forms(text.gather(others))
    return parsed.with_columns(parsed[name].scatter(others, found[name]) for name in parsed.columns)


def _forms(texts: pl.Series) -> pl.DataFrame:
    """`parse_column` for cells that are not plain numbers: markers and the forms of
    `_COLUMN_FORM` by expressions, the rest by `parse_value` once per distinct text."""
    frame = pl.DataFrame({"text": texts.cast(pl.String)})
    cleaned = pl.col("text").str.strip_chars()
    found = cleaned.str.extract_groups(_COLUMN_FORM)
    frame = frame.with_columns(
        cleaned.str.to_lowercase().replace_strict(MISSING_MARKERS, default=None).alias("marker"),
        found.alias("form"),
    ).unnest("form")
    number = pl.col("number").str.replace_all(",", "").cast(pl.Float64, strict=False)
    negative = pl.col("open").is_not_null() | pl.col("sign").is_not_null()
    read = (
        pl.col("number").is_not_null()
        & (pl.col("open").is_null() == pl.col("close").is_null())
        & ~(pl.col("open").is_not_null() & pl.col("sign").is_not_null())
        & number.is_finite()
    )
    frame = frame.with_columns(
        pl.when(pl.col("text").is_null())
        .then(pl.lit("fast"))
        .when(pl.col("marker").is_not_null())
        .then(pl.lit("fast"))
        .when(read)
        .then(pl.lit("fast"))
        .alias("how"),
        pl.when(read).then(pl.when(negative).then(-number).otherwise(number)).alias("value"),
        pl.coalesce(
            pl.when(pl.col("text").is_null()).then(pl.lit(MISSING_MARKERS[""])), pl.col("marker")
        ).alias("missing"),
        (read & pl.col("percent").is_not_null()).alias("is_percent"),
    )
    frame = frame.with_columns(pl.col("how").is_not_null().alias("ok"))
    return _others(frame).select("value", "missing", "is_percent", "ok")


def _others(frame: pl.DataFrame) -> pl.DataFrame:
    """Cells in rarer forms (`+5`, `6.45 (Days)`, `- 5`) read by `parse_value`, once each."""
    others = frame.filter(~pl.col("ok"))["text"].unique().to_list()
    if not others:
        return frame
    parsed = {text: _try(text) for text in others}
    looked_up = pl.DataFrame(
        {
            "text": list(parsed),
            "o_value": [p.value if p else None for p in parsed.values()],
            "o_missing": [p.missing if p else None for p in parsed.values()],
            "o_percent": [bool(p and p.is_percent) for p in parsed.values()],
            "o_ok": [p is not None for p in parsed.values()],
        },
        schema_overrides={"o_value": pl.Float64, "o_missing": pl.String},
    )
    joined = frame.join(looked_up, on="text", how="left", maintain_order="left")
    other = ~pl.col("ok")
    return joined.with_columns(
        pl.when(other).then(pl.col("o_value")).otherwise(pl.col("value")).alias("value"),
        pl.when(other).then(pl.col("o_missing")).otherwise(pl.col("missing")).alias("missing"),
        pl.when(other)
        .then(pl.col("o_percent"))
        .otherwise(pl.col("is_percent"))
        .alias("is_percent"),
        (pl.col("ok") | pl.col("o_ok").fill_null(False)).alias("ok"),
    )


def _try(text: str) -> ParsedValue | None:
    try:
        return parse_value(text)
    except ValueParseError:
        return None
