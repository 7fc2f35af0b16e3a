"""The submission files look like councils' Client Level Data returns: the specification's fields in
its order, Release 2 labels from the method documents, one file per council and quarter covering
the rolling 12 months to the quarter end, listed in submissions.csv and boardpack.yaml."""

from __future__ import annotations

import re
from datetime import date, timedelta

import polars as pl
import pytest
from synth_helpers import SHARED, SMALL

from boardpack.catalogue import load_project_file
from boardpack.records.synth import labels as L
from boardpack.records.synth import synthesise


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("files") / "out"
    synthesise(out, **SMALL)
    return out


@pytest.fixture(scope="module")
def files(out) -> dict[str, pl.DataFrame]:
    listed = pl.read_csv(out / "submissions.csv", infer_schema=False)
    return {name: pl.read_csv(out / name, infer_schema=False) for name in listed["file"]}


def _cleaned_list(name: str) -> set[str]:
    """A `<name>_Cleaned` list from the method's cleaning document."""
    text = (SHARED / "dhsc_cld_methodology" / "5-data-cleaning.md").read_text(encoding="utf-8")
    block = text.split(f"{name}_Cleaned\t{name}_Grouped")[1].split("```")[0]
    return {line.strip().split("\t")[0] for line in block.strip().splitlines()}


def test_every_quarter_of_every_council_has_one_file_named_for_it(out, files):
    listed = pl.read_csv(out / "submissions.csv", infer_schema=False)
    assert listed.columns == ["file", "la_code", "organisation", "quarter_end", "submitted"]
    assert listed.height == SMALL["councils"] * SMALL["quarters"]
    for row in listed.iter_rows(named=True):
        assert (
            row["file"]
            == f"submissions/{row['la_code']}_{row['quarter_end']}_{row['submitted']}.csv"
        )
        assert re.fullmatch(r"E(06|08|09|10)\d{6}", row["organisation"])
    assert sorted(listed["quarter_end"].unique()) == [
        "2024-03-31",
        "2024-06-30",
        "2024-09-30",
        "2024-12-31",
        "2025-03-31",
    ]


def test_fields_are_the_specification_s_in_its_order(files):
    spec = SHARED / "cld_release1_fields_summary.csv"
    if not spec.exists():
        pytest.skip("the shared CLD field summary is not here")
    fields = pl.read_csv(spec)["field"].to_list()
    assert list(L.FIELDS) == fields
    for frame in files.values():
        assert frame.columns == fields


def test_each_file_covers_the_12_months_to_its_quarter_end(files):
    for frame in files.values():
        start = date.fromisoformat(frame["Reporting_Period_Start_Date"][0])
        end = date.fromisoformat(frame["Reporting_Period_End_Date"][0])
        assert start == date(end.year - 1, end.month, end.day) + timedelta(days=1)
        dated = frame.with_columns(pl.col("Event_Start_Date", "Event_End_Date").str.to_date())
        assert (dated["Event_Start_Date"] <= end).all()
        done = dated.filter(pl.col("Event_Type") != "Service")
        assert done["Event_End_Date"].is_between(start, end).all(), (
            "requests, assessments, reviews end in the window"
        )
        services = dated.filter(pl.col("Event_Type") == "Service")
        assert (
            services["Event_End_Date"].is_null() | services["Event_End_Date"].is_between(start, end)
        ).all()
        assert services["Event_End_Date"].null_count() > 0, (
            "services still running have no end date"
        )


def test_each_month_has_enough_events_for_the_method_to_derive_the_stated_period(files):
    """`2-reporting-periods.md`: a month with under 2% of the events ending, or under three of
    the four event types, is cut from the derived period."""
    for name, frame in files.items():
        months = (
            frame.filter(pl.col("Event_End_Date").is_not_null())
            .group_by(pl.col("Event_End_Date").str.slice(0, 7))
            .agg(pl.len().alias("n"), pl.col("Event_Type").n_unique().alias("types"))
        )
        assert months.height == 12, name
        assert (months["n"] >= 0.02 * months["n"].sum()).all(), name
        assert (months["types"] >= 3).all(), name


def test_coded_values_are_release_2_labels_of_the_method_documents(files):
    if not SHARED.exists():
        pytest.skip("the shared method documents are not here")
    rows = pl.concat(files.values())
    assert set(rows["Service_Type"].drop_nulls()) <= _cleaned_list("Service_Type")
    assert set(rows["Event_Outcome"].drop_nulls()) <= _cleaned_list("Event_Outcome")
    assert set(rows["Ethnicity"].drop_nulls()) <= _cleaned_list("Ethnicity")
    assert set(rows["Event_Type"]) == set(L.EVENT_TYPES)
    assert set(rows["Client_Type"]) == {"Service user"}
    assert set(rows["Accommodation_Status"]) <= set(L.ACCOMMODATION)
    assert set(rows["Delivery_Mechanism"].drop_nulls()) == set(L.MECHANISMS)
    assert set(rows["Service_Type"].drop_nulls()) == set(L.SERVICE_TYPES) - {
        "Long term support: Prison"
    }


def test_people_are_identified_as_councils_identify_them(files):
    rows = pl.concat(files.values())
    assert rows["LA_Person_Unique_Identifier"].null_count() == 0
    numbers = rows["NHS_Number"].drop_nulls().unique()
    assert numbers.str.contains(r"^\d{10}$").all()
    for number in numbers.to_list()[:500]:
        digits = [int(d) for d in number]
        check = (
            11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
        ) % 11
        assert check == digits[9], f"{number} fails the NHS number check digit"
    per_person = rows.group_by("LA_Code", "LA_Person_Unique_Identifier").agg(
        pl.col("NHS_Number").n_unique(), pl.col("Date_of_Birth").n_unique()
    )
    assert (per_person["NHS_Number"] == 1).all(), (
        "a person's NHS number (or its blank) on every row"
    )
    assert (per_person["Date_of_Birth"] == 1).all()
    assert rows["NHS_Number"].null_count() > 0, "some people have no NHS number"


def test_everyone_is_an_adult_of_at_most_100(files):
    for frame in files.values():
        end = date.fromisoformat(frame["Reporting_Period_End_Date"][0])
        ages = frame.select(
            at_start=(
                pl.col("Event_Start_Date").str.to_date() - pl.col("Date_of_Birth").str.to_date()
            ),
            at_end=(pl.lit(end) - pl.col("Date_of_Birth").str.to_date()),
        )
        assert (ages["at_start"].dt.total_days() / 365.25 >= 18).all()
        assert (ages["at_end"].dt.total_days() / 365.25 <= 101).all()


def test_the_project_names_every_submission(out):
    text = (out / "boardpack.yaml").read_text(encoding="utf-8")
    listed = pl.read_csv(out / "submissions.csv", infer_schema=False)
    assert "records:" in text
    records = load_project_file(out).records  # a project Boardpack can load as written
    assert records.as_of.isoformat() == listed["submitted"].max()
    assert [f.file for f in records.files] == listed["file"].to_list()
    assert f"as_of: {listed['submitted'].max()}" in text
    for name in listed["file"]:
        assert f"- {name}" in text
    assert (
        (out / "faults.csv").read_text(encoding="utf-8").startswith("fault,organisation,file,line")
    )


def test_nothing_happens_after_a_death_and_every_row_with_one_has_an_end(files):
    """The specification makes the end date mandatory on any row with a date of death."""
    rows = pl.concat(files.values()).with_columns(
        pl.col("Event_Start_Date", "Event_End_Date", "Date_of_Death").str.to_date()
    )
    died = rows.filter(pl.col("Date_of_Death").is_not_null())
    assert died.height > 0
    assert died["Event_End_Date"].null_count() == 0
    assert (died["Event_End_Date"] <= died["Date_of_Death"]).all()
