"""Running the definitions on an engine, and the measures frame they give.

`compute(engine, tables, definitions)` loads the tables, materialises the stages and runs
every measure file; `finalise` turns the rows into the published shape `organisation,
measure, period, numerator, denominator, value, suppressed`: values are worked out here, in
exact arithmetic, so every engine gives the same figures (percentages as percent, rates per
100,000, rounded to one decimal place half away from zero; null when the denominator is 0),
and small numbers are suppressed as the national publication does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import polars as pl

from .definitions import MEASURE_COLUMNS, Definition, Measure
from .engines import Engine, Source, transpile
from .lint import check_definitions

OUTPUT = ["organisation", "measure", "period", "numerator", "denominator", "value", "suppressed"]
SMALL = 5  # ODS note 10: a numerator or denominator under 5 suppresses both
SCALE = {"percent": 100, "rate_per_100k": 100_000}


def compute(
    engine: Engine,
    tables: Mapping[str, Source],
    stages: Iterable[Definition],
    measure_files: Iterable[Definition],
) -> pl.DataFrame:
    """Raw measure rows (`MEASURE_COLUMNS`) from every measure file, on one engine."""
    stages, measure_files = list(stages), list(measure_files)
    check_definitions([*stages, *measure_files])
    for name, source in tables.items():
        engine.load(name, source)
    for stage in stages:
        engine.materialise(stage.name, transpile(stage.sql, engine.dialect))
    frames = [_rows(engine.query(transpile(d.sql, engine.dialect))) for d in measure_files]
    return pl.concat(frames, how="vertical_relaxed") if frames else _empty()


def _rows(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        pl.col("organisation").cast(pl.String),
        pl.col("measure").cast(pl.String),
        pl.col("period").cast(pl.String),
        pl.col("numerator").cast(pl.Int64),
        pl.col("denominator").cast(pl.Int64),
        pl.col("value").cast(pl.Float64),
    )


def _empty() -> pl.DataFrame:
    return pl.DataFrame(
        schema=dict(
            zip(MEASURE_COLUMNS, [pl.String] * 3 + [pl.Int64] * 2 + [pl.Float64], strict=True)
        )
    )


def finalise(raw: pl.DataFrame, measures: Iterable[Measure], suppress: bool = True) -> pl.DataFrame:
    """The published shape, sorted by organisation, measure and period."""
    units = {m.id: m.unit for m in measures}
    rows = []
    for org, measure, period, num, den, value in raw.iter_rows():
        unit = units.get(measure, "count")
        value = _value(unit, num, den, value)
        hidden = suppress and _small(num, den)
        if hidden:
            num, den = None, None
            value = None if unit == "count" else value
        rows.append((org, measure, period, num, den, value, hidden))
    schema = dict(
        zip(OUTPUT, [pl.String] * 3 + [pl.Int64] * 2 + [pl.Float64, pl.Boolean], strict=True)
    )
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.sort("organisation", "measure", "period")


def _value(unit: str, num: int | None, den: int | None, value: float | None) -> float | None:
    if unit == "count":
        return None if num is None else float(num)
    if unit in SCALE:
        if num is None or not den:
            return None
        return round_half_away(Fraction(num * SCALE[unit], den))
    return None if value is None else round_half_away(Fraction(value))


def _small(num: int | None, den: int | None) -> bool:
    return (num is not None and num < SMALL) or (den is not None and den < SMALL)


def round_half_away(number: Fraction, places: int = 1) -> float:
    """To `places` decimal places, halves away from zero (77.05 -> 77.1, -0.25 -> -0.3)."""
    exact = Decimal(number.numerator) / Decimal(number.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
