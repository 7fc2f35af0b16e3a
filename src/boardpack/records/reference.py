"""Reference tables the stage and measure SQL join with, kept as data in the package.

- `value_map(field, raw, raw_key, cleaned, grouped)`: every value written in a coded field
  (Release 2, Release 1 and V5 labels) to its Release 2 value and grouping
  (`mappings/values.csv`, plus any CSVs in the project's `records.mappings` folder, which win).
- `outcome_hierarchy(outcome, hierarchy, unable_to_classify)`: the event outcome hierarchy of
  the method (6-deduplication.md).
- `la_codes(code, organisation)`: CASSR and ONS codes to the council's ONS code.
- `population(organisation, band, population)`: the ASCOF 2024-25 denominators.
- `calendar(kind, label, start_date, end_date)`: months, quarters (`Q1 2024/25`) and financial
  years (`2024/25`), so the SQL needs no date arithmetic beyond whole days.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from boardpack.errors import BoardpackError, Problem

HERE = Path(__file__).parent
VALUES = HERE / "mappings" / "values.csv"
HIERARCHY = HERE / "mappings" / "outcome_hierarchy.csv"
POPULATION = HERE / "reference" / "population.csv"
FIRST_YEAR, LAST_YEAR = 2015, 2040
BANDS = {"pop_18_64": "18 to 64", "pop_65_plus": "65 and above"}


def value_map(extra_folder: Path | None = None) -> pl.DataFrame:
    """The package's mappings with the project's own rows laid over them."""
    values = _read_map(VALUES)
    if extra_folder is not None:
        extra = [_read_map(path, values) for path in sorted(extra_folder.glob("*.csv"))]
        values = pl.concat([*extra, values], how="vertical_relaxed")
    return values.unique(["field", "raw_key"], keep="first", maintain_order=True)


def _read_map(path: Path, package: pl.DataFrame | None = None) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema=False)
    missing = {"field", "raw", "cleaned"} - set(frame.columns)
    if missing:
        raise BoardpackError(
            Problem(
                file=str(path),
                row=1,
                what=f"a mapping file needs the columns field, raw, cleaned; {', '.join(sorted(missing))} missing",
                fix="write a header row field,raw,cleaned[,grouped]",
            )
        )
    if "grouped" not in frame.columns:
        groups = package.select("field", "cleaned", "grouped").unique(["field", "cleaned"])
        frame = frame.join(groups, on=["field", "cleaned"], how="left")
    return frame.select(
        "field",
        "raw",
        pl.col("raw").str.strip_chars().str.to_lowercase().alias("raw_key"),
        "cleaned",
        "grouped",
    )


def outcome_hierarchy() -> pl.DataFrame:
    frame = pl.read_csv(HIERARCHY)
    return frame.with_columns(pl.col("unable_to_classify").cast(pl.Int32))


def population() -> pl.DataFrame:
    frame = pl.read_csv(POPULATION, infer_schema=False)
    long = frame.unpivot(index="organisation", on=list(BANDS), variable_name="band")
    return long.select(
        "organisation",
        pl.col("band").replace_strict(BANDS),
        pl.col("value").cast(pl.Int64, strict=False).alias("population"),
    )


def la_codes() -> pl.DataFrame:
    frame = pl.read_csv(POPULATION, infer_schema=False)
    both = [
        frame.select(pl.col("cassr_code").alias("code"), "organisation"),
        frame.select(pl.col("organisation").alias("code"), "organisation"),
    ]
    return pl.concat(both).unique(maintain_order=True)


def calendar() -> pl.DataFrame:
    rows = []
    for year in range(FIRST_YEAR, LAST_YEAR):
        label = f"{year}/{(year + 1) % 100:02d}"
        rows.append(("year", label, dt.date(year, 4, 1), dt.date(year + 1, 3, 31)))
        for quarter in range(4):
            start = _month(year, 4 + 3 * quarter)
            rows.append(("quarter", f"Q{quarter + 1} {label}", start, _month_end(start, 3)))
        for month in range(12):
            start = _month(year, 4 + month)
            rows.append(("month", start.strftime("%b %Y"), start, _month_end(start, 1)))
    return pl.DataFrame(
        rows, schema=["kind", "label", "start_date", "end_date"], orient="row"
    ).with_columns(pl.col("start_date", "end_date").cast(pl.Date))


def _month(year: int, month: int) -> dt.date:
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _month_end(start: dt.date, months: int) -> dt.date:
    return _month(start.year, start.month + months) - dt.timedelta(days=1)


def run_parameters(as_of: dt.date | None) -> pl.DataFrame:
    return pl.DataFrame({"as_of": [as_of or dt.date(9999, 12, 31)]})


def tables(as_of: dt.date | None = None, mappings: Path | None = None) -> dict[str, pl.DataFrame]:
    """Every reference table by name."""
    return {
        "value_map": value_map(mappings),
        "outcome_hierarchy": outcome_hierarchy(),
        "la_codes": la_codes(),
        "population": population(),
        "calendar": calendar(),
        "run_parameters": run_parameters(as_of),
    }
