"""Rates per 100,000 from the population denominators, checked against the published rates."""

from pathlib import Path

import polars as pl
import pytest

from boardpack.errors import BoardpackError
from boardpack.sources.national import load_measures, read_publication
from boardpack.sources.national.population import rates_checked, read_population

DATA = Path(__file__).resolve().parents[1] / "examples/ascof-england/data"
ODS = DATA / "ascof_timeseries_2015-16_to_2024-25.ods"
POPULATION = DATA / "population_18-64_65plus_ascof_2024-25_denominators.csv"


@pytest.fixture(scope="module")
def checked():
    national = read_publication(ODS)
    kinds = national.values.select("organisation", "area_kind").unique()
    rates = rates_checked(national.values, read_population(POPULATION), load_measures())
    return rates.join(kinds, on="organisation")


def test_population_file_reads_every_band_with_suppressed_cells_missing():
    population = read_population(POPULATION)
    assert set(population["band"]) == {"pop_18_64", "pop_65_plus"}
    assert population["period"].unique().to_list() == ["2024/25"]
    rutland = population.filter(pl.col("organisation") == "E06000017")
    # the population CSV, row "510,Rutland": 18-64 suppressed [c], 65+ 10,949
    assert rutland.sort("band")["population"].to_list() == [None, 10949.0]


def test_council_rates_recompute_to_the_published_one_decimal_figure(checked):
    councils = checked.filter(pl.col("area_kind") == "council")
    assert councils.height > 280  # 2B and 2C for the councils whose figures are not suppressed
    assert councils["difference"].abs().max() <= 0.05 + 1e-9


def test_aggregate_rates_agree_within_the_rounding_of_their_counts(checked):
    # England, regions and council types publish counts rounded to the nearest 5, so the rate
    # from the rounded count may differ from the published one by up to 2.5 / population.
    aggregates = checked.filter(pl.col("area_kind") != "council")
    allowed = 2.5 / aggregates["population"] * 100_000 + 0.05
    assert (aggregates["difference"].abs() <= allowed).all()


def test_a_population_that_is_not_a_number_names_its_row_and_column(tmp_path):
    bad = tmp_path / "population.csv"
    bad.write_text(
        "la_code,la_name,ons_code,year,pop_18_64\n510,Rutland,E06000017,2024 to 2025,lots\n",
        encoding="utf-8",
    )
    with pytest.raises(BoardpackError, match=r"lots.*not a number") as error:
        read_population(bad)
    assert "pop_18_64" in str(error.value) and "2" in str(error.value)
