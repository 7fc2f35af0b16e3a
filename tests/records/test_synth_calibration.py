"""The council figures shipped with the generator are the published ones, and --people scales
every council alike."""

from __future__ import annotations

import polars as pl
import pytest
from synth_helpers import ROOT

from boardpack.records.synth import calibration

SHARED = ROOT.parent / "shared" / "data"


def test_the_packaged_council_figures_are_the_published_2024_25_ones():
    long_csv = SHARED / "ascof" / "ascof_timeseries_2015-16_to_2024-25_long.csv"
    population = SHARED / "population" / "population_18-64_65plus_ascof_2024-25_denominators.csv"
    if not long_csv.exists():
        pytest.skip("the shared ASCOF data are not here")
    derived = calibration.derive_councils(long_csv, population)
    packaged = calibration.councils()
    assert packaged.height == 153
    assert packaged.equals(derived.with_columns(pl.col("la_code").cast(pl.String)))
    kent = packaged.filter(pl.col("ons_code") == "E10000016").row(0, named=True)
    assert kent["la_code"] == "820"  # the CASSR code, as in cassr_la_lookup.csv


def test_councils_are_drawn_by_seed_and_scaled_alike():
    first = calibration.plans(4, 1000, seed=3)
    again = calibration.plans(4, 1000, seed=3)
    other = calibration.plans(4, 1000, seed=4)
    assert [p.ons_code for p in first] == [p.ons_code for p in again]
    assert [p.ons_code for p in first] != [p.ons_code for p in other]
    assert [p.ons_code for p in first] == sorted(p.ons_code for p in first)
    published = calibration.councils().set_sorted("ons_code")
    shares = []
    for plan in first:
        row = published.filter(pl.col("ons_code") == plan.ons_code).row(0, named=True)
        if row["lts_18_64"] is None:  # suppressed (Isles of Scilly): filled from England's ratios
            continue
        stock = sum(sum(group) for group in plan.stock) + sum(plan.entrants)
        shares.append(stock / (row["lts_18_64"] + row["lts_65_plus"]))
    assert max(shares) == pytest.approx(min(shares), rel=0.02)
    assert len(calibration.plans(153, None, seed=1)) == 153
