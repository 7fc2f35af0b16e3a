"""How a national publication is laid out: a pydantic model read from YAML, so a new table is configuration."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from boardpack.errors import BoardpackError, Problem

ASCOF_CONFIG = Path(__file__).with_name("ascof.yaml")
TARGET_FIELDS = ("value", "numerator", "denominator", "margin_of_error", "respondents")
AREA_KINDS = ("england", "region", "council_type", "council", "combined")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _compiles(pattern: str) -> str:
    re.compile(pattern)
    return pattern


class SheetRule(_Model):
    """Which sheets are tables: a regex on the sheet name with a named group `measure`.

    `measure_case: contents` writes the code as the contents sheet does (matched ignoring case).
    """

    pattern: str
    measure_case: Literal["upper", "lower", "as_is", "contents"] = "upper"

    @field_validator("pattern")
    @classmethod
    def _has_measure_group(cls, pattern: str) -> str:
        if "measure" not in re.compile(pattern).groupindex:
            raise ValueError("the pattern needs a named group (?P<measure>...)")
        return pattern


class ContentsRule(_Model):
    """An optional contents sheet listing every measure code and its title."""

    sheet: str
    code_header: str
    title_header: str


class HeaderRule(_Model):
    """The header row is the first row holding all of `contains`, within the first `within_rows`."""

    contains: list[str] = Field(min_length=1)
    within_rows: int = 30


class AreaColumns(_Model):
    """Header texts of the area columns."""

    area_code: str
    area_name: str
    ons_code: str | None = None


class PeriodRule(_Model):
    """`pattern` reads the period part of a header; `label` builds Boardpack's label from its groups.

    `label` may use the named groups plus `end2`, the last two digits of the group `end`.
    """

    pattern: str
    label: str = "{start}/{end2}"

    _check = field_validator("pattern")(_compiles)


class BracketRule(_Model):
    """Cells written `a (b)`: `a` is the figure, `b` is kept as the breakdown `breakdown`."""

    pattern: str = r"^(?P<main>[^()]+?)\s*\((?P<alternative>[^()]+)\)$"
    breakdown: str

    _check = field_validator("pattern")(_compiles)


class AreaKindRule(_Model):
    """Rows whose publisher code is in `area_codes`, or whose ONS code matches `ons_pattern`."""

    kind: Literal["england", "region", "council_type", "council", "combined"]
    area_codes: list[str] = []
    ons_pattern: str | None = None


class AreaOverride(_Model):
    """A row published without codes (e.g. two councils reported together), named by its area name."""

    area_code: str
    organisation: str
    area_kind: Literal["england", "region", "council_type", "council", "combined"] = "combined"


class PublicationConfig(_Model):
    """Everything the importer needs to know about one publication's layout."""

    name: str
    title: str = (
        ""  # how packs name the publication, e.g. "the Adult Social Care Outcomes Framework"
    )
    publisher: str = ""
    sheets: SheetRule
    contents: ContentsRule | None = None
    title_cell: str | None = "A1"
    header: HeaderRule
    columns: AreaColumns
    period_header: str = r"^(?P<period>.+?)\s+-\s+(?P<field>.+)$"
    period: PeriodRule
    fields: dict[str, Literal[TARGET_FIELDS]]
    headline_breakdowns: list[str] = []
    markers: dict[str, str]
    bracketed: BracketRule | None = None
    thousands_separator: str | None = ","
    area_kinds: list[AreaKindRule] = []
    default_area_kind: Literal["england", "region", "council_type", "council", "combined"] = (
        "council"
    )
    area_overrides: dict[str, AreaOverride] = {}
    empty_cells: Literal["error", "missing"] = "error"

    _check = field_validator("period_header")(_compiles)


def load_config(source: str | Path | PublicationConfig | None = None) -> PublicationConfig:
    """Read a publication config from YAML (default: the committed ASCOF one)."""
    if isinstance(source, PublicationConfig):
        return source
    path = Path(source) if source is not None else ASCOF_CONFIG
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise BoardpackError([Problem(file=str(path), what=str(error))]) from None
    try:
        return PublicationConfig.model_validate(data)
    except ValidationError as error:
        raise BoardpackError(_config_problems(path, error)) from None


def _config_problems(path: Path, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        value = item.get("input")
        shown = value if isinstance(value, str | int | float) else None
        problems.append(
            Problem(
                file=str(path),
                column=where,
                value=None if shown is None else str(shown),
                what=item["msg"],
            )
        )
    return problems
