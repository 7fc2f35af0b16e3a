"""Councils, comparator groups and measure definitions for the ASCOF publication."""

from pathlib import Path

import polars as pl
import pytest

from boardpack.errors import BoardpackError
from boardpack.sources.national import (
    group_membership,
    load_measures,
    load_organisations,
    read_named_groups,
    read_publication,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "examples/ascof-england/data"
GROUPS = ROOT / "examples/ascof-england/groups/kent-south-east-shire-counties.csv"


@pytest.fixture(scope="module")
def national():
    return read_publication(DATA / "ascof_timeseries_2015-16_to_2024-25.ods")


@pytest.fixture(scope="module")
def organisations(national):
    return load_organisations(DATA, national)


def council(organisations, code) -> dict:
    return organisations.filter(pl.col("organisation") == code).row(0, named=True)


def test_every_council_in_the_publication_has_a_type_and_region(national, organisations):
    assert organisations.columns[:6] == [
        "organisation", "cassr_code", "name", "type", "region_code", "region_name",
    ]  # fmt: skip
    published = national.values.filter(pl.col("area_kind") == "council")["organisation"].unique()
    assert sorted(organisations["organisation"]) == sorted(published)
    assert organisations.height == 158
    assert organisations.null_count().row(0) == (0,) * organisations.width
    assert organisations["organisation"].is_unique().all()
    assert set(organisations["type"]) == {
        "Shire Counties", "Unitary Authorities", "Metropolitan Districts", "Inner London", "Outer London",
    }  # fmt: skip


def test_councils_newer_than_the_lookup(organisations):
    # Cumberland and Westmorland and Furness (2023) are not in the 152-row CASSR lookup:
    # type from the ONS prefix E06, region from the UTLA lookup (E12000002 North West)
    for code in ("E06000063", "E06000064"):
        row = council(organisations, code)
        assert (row["type"], row["region_code"], row["region_name"]) == (
            "Unitary Authorities", "E12000002", "North West",
        )  # fmt: skip
    assert council(organisations, "E06000063")["cassr_code"] == "H6X4G"
    # Cumbria (E10000006) is in the lookup only: shire county in the North West
    cumbria = council(organisations, "E10000006")
    assert (cumbria["type"], cumbria["region_code"], cumbria["last_period"]) == (
        "Shire Counties", "E12000002", "2022/23",
    )  # fmt: skip
    kent = council(organisations, "E10000016")
    assert (kent["cassr_code"], kent["type"], kent["region_name"]) == (
        "820",
        "Shire Counties",
        "South East",
    )


def test_group_codes_match_the_published_aggregate_rows(national, organisations):
    groups = group_membership(organisations)
    assert groups.columns == ["group", "group_kind", "group_code", "organisation"]
    aggregates = (
        national.values.filter(pl.col("area_kind") != "council")
        .group_by(group_code="organisation")
        .agg(published_names=pl.col("area_name").unique())
    )
    codes = groups.select("group", "group_kind", "group_code").unique()
    joined = codes.join(aggregates, on="group_code", how="left")
    assert joined["published_names"].null_count() == 0
    assert joined.select(pl.col("published_names").list.contains(pl.col("group"))).to_series().all()
    # E12000006 is "Eastern" in 24 tables (Table_1a!B15) and "East of England" in Table_6b;
    # the group takes the name most tables give
    eastern = groups.filter(pl.col("group_code") == "E12000006")["group"].unique().to_list()
    assert eastern == ["Eastern"]
    sizes = dict(groups.group_by("group_code").len().iter_rows())
    assert sizes["E92000001"] == 158
    assert sizes["I"] == 13 and sizes["O"] == 20  # London boroughs: 13 inner, 20 outer
    assert sizes["E12000007"] == 33


def test_named_groups_from_the_example_file(organisations):
    named = read_named_groups(GROUPS, organisations)
    assert named.columns == ["group", "organisation"]
    assert "E10000016" in named["organisation"].to_list()
    groups = group_membership(organisations, named)
    mine = groups.filter(pl.col("group_kind") == "named")
    assert mine.height == named.height and set(mine["group_code"]) == set(named["group"])
    members = organisations.filter(pl.col("organisation").is_in(named["organisation"].to_list()))
    assert set(members["type"]) == {"Shire Counties"} and set(members["region_code"]) == {
        "E12000008"
    }


def test_unknown_codes_in_a_named_group_are_errors(tmp_path, organisations):
    path = tmp_path / "groups.csv"
    path.write_text(
        "group,organisation\nPeers,E10000016\nPeers,Kent\nPeers,E99999999\n", encoding="utf-8"
    )
    with pytest.raises(BoardpackError) as caught:
        read_named_groups(path, organisations)
    first, second = caught.value.problems
    assert (first.row, first.column, first.value) == (3, "organisation", "Kent")
    assert "did you mean E10000016 (Kent)" in first.what
    assert (second.row, second.value) == (4, "E99999999")
    assert "did you mean" not in second.what


def test_measures_file_covers_every_published_measure(national):
    measures = load_measures()
    assert measures.columns == [
        "measure",
        "title",
        "unit",
        "decimals",
        "scale",
        "population",
        "polarity",
        "polarity_reason",
    ]
    assert sorted(measures["measure"]) == sorted(national.measures["measure"])
    titles = national.measures.join(measures, on="measure", suffix="_file")
    assert (titles["title"] == titles["title_file"]).all()
    assert set(measures["polarity"]) <= {"higher_better", "lower_better", "none"}
    lower = set(measures.filter(pl.col("polarity") == "lower_better")["measure"])
    assert lower == {"2B", "2C", "6A"}
    # a scale only where the publication gives numerator and denominator
    with_ratio = set(
        national.measures.filter(pl.col("fields").list.contains("numerator"))["measure"]
    )
    assert set(measures.filter(pl.col("scale").is_not_null())["measure"]) == with_ratio


def test_a_bad_measures_file_names_the_setting(tmp_path):
    path = tmp_path / "measures.yaml"
    entry = "measures:\n  - code: X1\n    title: T\n    unit: percent\n    polarity_reason: r\n"
    path.write_text(entry + "    scale: 100\n    polarity: up\n", encoding="utf-8")
    with pytest.raises(BoardpackError, match="measures.0.polarity"):
        load_measures(path)
    path.write_text(entry + "    scale: 1000\n    polarity: higher_better\n", encoding="utf-8")
    with pytest.raises(BoardpackError, match="a percent measure has scale 100 or null"):
        load_measures(path)
