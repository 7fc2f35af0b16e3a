"""expected.csv: the contract's columns and measures, values consistent with their numerators and
denominators, plausible figures, the same files for the same seed, and councils' volumes in
proportion to their published figures."""

from __future__ import annotations

import filecmp
import re

import polars as pl
import pytest
from synth_helpers import SMALL

from boardpack.records.synth import calibration, synthesise
from boardpack.records.synth.measures import rounded

ASCOF = [
    "ascof_2a",
    "ascof_2a_18_64",
    "ascof_2a_65_plus",
    "ascof_2b",
    "ascof_2c",
    "ascof_2e1",
    "ascof_2e2a",
    "ascof_2e2b",
    "ascof_3d1a",
    "ascof_3d2a",
]
LOCAL = ["lts_people", "lts_reviewed_12m", "requests_new_clients", "request_to_service_median_days"]
PERCENT = [m for m in ASCOF if m not in ("ascof_2b", "ascof_2c")] + ["lts_reviewed_12m"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("expected") / "out"
    synthesise(out, **SMALL)
    return out


@pytest.fixture(scope="module")
def expected(out) -> pl.DataFrame:
    return pl.read_csv(out / "expected.csv")


def test_columns_measures_and_periods_are_the_contract_s(out, expected):
    assert expected.columns == [
        "organisation",
        "measure",
        "period",
        "numerator",
        "denominator",
        "value",
    ]
    organisations = set(pl.read_csv(out / "submissions.csv")["organisation"])
    assert set(expected["organisation"]) == organisations
    assert set(expected["measure"]) == set(ASCOF + LOCAL)
    ascof = expected.filter(pl.col("measure").str.starts_with("ascof"))
    assert set(ascof["period"]) == {"2024/25"}
    local = expected.filter(~pl.col("measure").str.starts_with("ascof"))
    assert all(re.fullmatch(r"Q[1-4] 20\d\d/\d\d", p) for p in local["period"])
    # five submissions cover April 2023 to March 2025: eight quarters; reviews need 12 months
    per = local.group_by("organisation", "measure").agg(pl.len()).sort("measure")
    counts = dict(zip(per["measure"], per["len"], strict=False))
    assert counts["lts_people"] == 8 and counts["lts_reviewed_12m"] == 5


def test_values_follow_from_numerator_and_denominator(expected):
    for row in expected.filter(pl.col("measure").is_in(PERCENT)).iter_rows(named=True):
        assert row["numerator"] <= row["denominator"]
        assert row["value"] == rounded(row["numerator"], row["denominator"], 100)
    for row in expected.filter(pl.col("measure").is_in(["ascof_2b", "ascof_2c"])).iter_rows(
        named=True
    ):
        assert row["value"] == rounded(row["numerator"], row["denominator"], 100_000)
    counts = expected.filter(pl.col("measure").is_in(["lts_people", "requests_new_clients"]))
    assert counts["denominator"].null_count() == counts.height
    assert (counts["value"] == counts["numerator"]).all()


def test_rates_are_per_100000_of_the_published_population(expected):
    population = calibration.councils().select("ons_code", "pop_18_64", "pop_65_plus")
    rates = expected.filter(pl.col("measure") == "ascof_2c").join(
        population, left_on="organisation", right_on="ons_code"
    )
    assert (rates["denominator"] == rates["pop_65_plus"]).all()


def test_figures_are_plausible(expected):
    value = dict(
        ((r["organisation"], r["measure"], r["period"]), r["value"])
        for r in expected.iter_rows(named=True)
    )
    for (_, measure, _), v in value.items():
        if measure in ("ascof_2a", "ascof_2e2a", "ascof_2e2b", "ascof_3d1a", "lts_reviewed_12m"):
            assert 20 <= v <= 100, (measure, v)
        if measure == "request_to_service_median_days" and v is not None:
            assert 7 <= v <= 120
    for organisation in expected["organisation"].unique():
        assert (
            value[(organisation, "ascof_3d2a", "2024/25")]
            <= value[(organisation, "ascof_3d1a", "2024/25")]
        )


def test_the_same_seed_writes_the_same_bytes(tmp_path):
    arguments = {"councils": 2, "people": 120, "quarters": 4, "faults": True}
    synthesise(tmp_path / "a", seed=11, **arguments)
    synthesise(tmp_path / "b", seed=11, **arguments)
    synthesise(tmp_path / "c", seed=12, **arguments)
    names = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert len(names) == 2 * 5 + 4  # a resubmission per council; 4 listings
    assert (
        sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
        == names
    )
    for name in names:
        assert filecmp.cmp(tmp_path / "a" / name, tmp_path / "b" / name, shallow=False), name
    assert not filecmp.cmp(
        tmp_path / "a" / "expected.csv", tmp_path / "c" / "expected.csv", shallow=False
    )


def test_council_volumes_follow_their_published_figures(tmp_path):
    """`--people` sets the mean per council; each keeps its published share, so the ratio of two
    councils' people with long-term support (2E denominators) is the published ratio."""
    result = synthesise(tmp_path / "out", councils=2, people=3000, quarters=5, seed=4)
    e = result.expected.filter(pl.col("period") == "2024/25")
    people = (
        e.filter(pl.col("measure").is_in(["ascof_2e2a", "ascof_2e2b"]))
        .group_by("organisation")
        .agg(pl.col("denominator").sum())
    )
    published = calibration.councils().select(
        pl.col("ons_code").alias("organisation"),
        (pl.col("lts_18_64") + pl.col("lts_65_plus")).alias("published"),
        "admissions_65_plus",
    )
    both = people.join(published, on="organisation").sort("organisation")
    simulated, real = both["denominator"].to_list(), both["published"].to_list()
    assert simulated[0] / simulated[1] == pytest.approx(real[0] / real[1], rel=0.08)
    assert sum(simulated) / 2 == pytest.approx(3000, rel=0.1)
    admitted = (
        e.filter(pl.col("measure") == "ascof_2c").join(both, on="organisation").sort("organisation")
    )
    scale = 3000 * 2 / sum(real)
    for row in admitted.iter_rows(named=True):
        assert row["numerator"] == pytest.approx(row["admissions_65_plus"] * scale, rel=0.35)
