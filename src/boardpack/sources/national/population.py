"""Population denominators: rates per 100,000 worked out from counts and the population, and
checked against the rates the publication gives.

The population file has one row per area and year, columns `la_code, la_name, ons_code, year`
and one column per age band (`pop_18_64`, `pop_65_plus`); suppressed cells hold `[c]`. Which
band a measure is a rate of is said in the measures file (`population: pop_65_plus`).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from boardpack.errors import BoardpackError, Problem

YEAR = r"^(\d{4}) to \d{2}(\d{2})$"  # "2024 to 2025" -> "2024/25"
PER = 100_000


def read_population(path: str | Path) -> pl.DataFrame:
    """`organisation, period, band, population`, one row per area, year and age band; the
    organisation is the ONS code, or the publisher's code for rows without one (council types).
    A population that is neither a number nor a marker is an error naming row and column."""
    path = Path(path)
    raw = pl.read_csv(path, infer_schema=False)
    bands = [name for name in raw.columns if name.startswith("pop_")]
    missing = {"la_code", "ons_code", "year"} - set(raw.columns)
    if missing or not bands:
        need = ", ".join(sorted(missing)) or "a pop_<age band> column"
        raise BoardpackError([Problem(file=str(path), row=1, what=f"no {need} in the header")])
    long = raw.with_row_index("row", offset=2).unpivot(
        index=["row", "la_code", "ons_code", "year"], on=bands, variable_name="band"
    )
    number = pl.col("value").str.replace_all(",", "").cast(pl.Float64, strict=False)
    long = long.with_columns(population=number)
    bad = long.filter(pl.col("population").is_null(), ~pl.col("value").str.contains(r"^\[.\]$"))
    if bad.height:
        raise BoardpackError(
            [
                Problem(
                    file=str(path),
                    row=row,
                    column=band,
                    value=value,
                    what="is not a number or a marker like [c]",
                )
                for row, band, value in bad.select("row", "band", "value").iter_rows()
            ]
        )
    code = pl.when(pl.col("ons_code").str.starts_with("E")).then("ons_code").otherwise("la_code")
    period = pl.col("year").str.replace(YEAR, "$1/$2")
    return long.select(organisation=code, period=period, band="band", population="population")


def rates_checked(
    values: pl.DataFrame, population: pl.DataFrame, measures: pl.DataFrame
) -> pl.DataFrame:
    """For each measure that is a rate of a population band: `organisation, measure, period,
    numerator, population, computed, published, difference` (computed minus published), where
    computed = numerator / population x 100,000."""
    rated = measures.filter(pl.col("population").is_not_null()).select(
        "measure", pl.col("population").alias("band")
    )
    rows = values.join(rated, on="measure").join(
        population, on=["organisation", "period", "band"], how="inner"
    )
    computed = pl.col("numerator") / pl.col("population") * PER
    return rows.select(
        "organisation",
        "measure",
        "period",
        "numerator",
        "population",
        computed=computed,
        published=pl.col("value"),
        difference=computed - pl.col("value"),
    ).sort("measure", "organisation")
