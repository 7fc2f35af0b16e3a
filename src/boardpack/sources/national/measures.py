"""The measures of a national publication: unit, scale and polarity, validated from YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from boardpack.dataset.schema import NATIONAL_MEASURES
from boardpack.errors import BoardpackError, Problem

ASCOF_MEASURES = Path(__file__).with_name("ascof_measures.yaml")
COLUMNS = list(NATIONAL_MEASURES.columns)


class MeasureSpec(BaseModel):
    """One measure: how it is expressed and which direction is better, with the reason."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1)
    title: str = Field(min_length=1)
    unit: Literal["percent", "rate_per_100k", "score", "count", "ratio"]
    decimals: int = Field(1, ge=0, le=6, description="Decimal places the publication shows.")
    scale: float | None = None
    population: str | None = Field(
        None, description="The population file's age band this is a rate of, e.g. pop_65_plus."
    )
    polarity: Literal["higher_better", "lower_better", "none"]
    polarity_reason: str = Field(min_length=1)

    @model_validator(mode="after")
    def _scale_fits_unit(self) -> MeasureSpec:
        expected = {"percent": 100.0, "rate_per_100k": 100000.0}.get(self.unit)
        if self.scale is not None and expected is not None and self.scale != expected:
            raise ValueError(f"a {self.unit} measure has scale {expected:g} or null")
        return self


class MeasureFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    measures: list[MeasureSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> MeasureFile:
        codes = [measure.code for measure in self.measures]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise ValueError(f"measure codes repeated: {', '.join(repeated)}")
        return self


def load_measures(path: str | Path | None = None) -> pl.DataFrame:
    """Measures as a frame (`measure, title, unit, decimals, scale, population, polarity,
    polarity_reason`);
    default ASCOF."""
    path = Path(path) if path is not None else ASCOF_MEASURES
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        parsed = MeasureFile.model_validate(data)
    except (OSError, yaml.YAMLError) as error:
        raise BoardpackError([Problem(file=str(path), what=str(error))]) from None
    except ValidationError as error:
        raise BoardpackError(
            [
                Problem(
                    file=str(path),
                    column=".".join(str(part) for part in item["loc"]),
                    what=item["msg"],
                )
                for item in error.errors()
            ]
        ) from None
    rows = [spec.model_dump() for spec in parsed.measures]
    return (
        pl.DataFrame(rows, schema={"code": pl.String} | NATIONAL_MEASURES.columns)
        .drop("measure")
        .rename({"code": "measure"})
        .select(COLUMNS)
    )
