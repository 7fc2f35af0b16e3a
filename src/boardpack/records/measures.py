"""Running the definitions on an engine, and the measures frame they give.

`compute(engine, tables, definitions)` loads the tables, materialises the stages (with
`narrow`, only the columns and stages the measure files read: `plan`) and runs every measure
file; `finalise` turns the rows into the published shape `organisation,
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
import sqlglot
from sqlglot import exp

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
    narrow: bool = False,
) -> pl.DataFrame:
    """Raw measure rows (`MEASURE_COLUMNS`) from every measure file, on one engine. With
    `narrow`, each stage is materialised with only the columns the later stages and the
    measure files read, and not at all when none reads it (`plan`); otherwise whole."""
    stages, measure_files = list(stages), list(measure_files)
    check_definitions([*stages, *measure_files])
    for name, source in tables.items():
        engine.load(name, source)
    planned = plan(stages, measure_files) if narrow else [(s, s.sql) for s in stages]
    for stage, sql in planned:
        if sql is not None:
            engine.materialise(stage.name, transpile(sql, engine.dialect))
    frames = [_rows(engine.query(transpile(d.sql, engine.dialect))) for d in measure_files]
    return pl.concat(frames, how="vertical_relaxed") if frames else _empty()


def plan(
    stages: list[Definition], measure_files: list[Definition]
) -> list[tuple[Definition, str | None]]:
    """Each stage with the SQL that materialises it for these measure files: its own SQL, or
    that SQL narrowed to the columns the later stages and the measure files name (`SELECT
    columns FROM (stage) AS stage`), or None when none of them reads the stage. Worked out
    from the last stage back (a stage not materialised reads nothing). Any name
    a reader uses counts, whatever table it qualifies, and a star over the stage keeps every
    column: so a council's measure reading a documented column always finds it."""
    readers = [sqlglot.parse_one(d.sql, read="duckdb") for d in measure_files]
    planned: list[tuple[Definition, str | None]] = []
    for stage in reversed(stages):
        tree = sqlglot.parse_one(stage.sql, read="duckdb")
        read, needed = _columns_read(stage.name, readers)
        columns = _output_columns(tree)
        if not read:
            planned.append((stage, None))
            continue
        readers.append(tree)
        if needed is None or columns is None or set(columns) <= needed:
            planned.append((stage, stage.sql))
            continue
        kept = ", ".join(c for c in columns if c in needed)
        body = stage.sql.strip().rstrip(";")
        planned.append((stage, f"SELECT {kept}\nFROM (\n{body}\n) AS {stage.name}"))
    return planned[::-1]


def _columns_read(name: str, readers: list[exp.Expression]) -> tuple[bool, set[str] | None]:
    """(whether any reader names the table `name`, the names those readers use: None when one
    reads every column, with `*` or `alias.*` in a SELECT reading the table itself)."""
    read, names = False, set()
    for tree in readers:
        if not any(t.name == name and not t.db for t in tree.find_all(exp.Table)):
            continue
        read = True
        for star in tree.find_all(exp.Star):
            qualified = isinstance(star.parent, exp.Column)
            if not qualified and not isinstance(star.parent, exp.Select):
                continue  # COUNT(*)
            select = star.find_ancestor(exp.Select)
            alias = star.parent.table if qualified else None
            if select is not None and _reads_directly(select, name, alias):
                return True, None
        names |= {i.name for i in tree.find_all(exp.Identifier)}
    return read, names


def _reads_directly(select: exp.Select, name: str, alias: str | None) -> bool:
    """Whether `select` reads the table `name` in its own FROM or JOINs (as `alias`, if given)."""
    sources = [select.args.get("from_"), *(select.args.get("joins") or [])]
    tables = [s.this for s in sources if s is not None and isinstance(s.this, exp.Table)]
    return any(t.name == name and alias in (None, t.alias_or_name) for t in tables)


def _output_columns(tree: exp.Expression) -> list[str] | None:
    """The names a stage's SELECT gives, when it can be narrowed (a plain SELECT, no DISTINCT
    or star, every column named once); else None."""
    if not isinstance(tree, exp.Select) or tree.args.get("distinct"):
        return None
    names = [p.alias_or_name for p in tree.expressions]
    if any(
        isinstance(p, exp.Star) or not n or n == "*"
        for p, n in zip(tree.expressions, names, strict=True)
    ):
        return None
    return names if len(set(names)) == len(names) else None


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
