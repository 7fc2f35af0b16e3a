"""Each fault is in the files where faults.csv says, and expected.csv holds the truth after the
method's documented treatment of it: no change for the faults the method absorbs, the documented
change for the others."""

from __future__ import annotations

import polars as pl
import pytest
from synth_helpers import SMALL, councils_and_views

from boardpack.records.synth import injection, synthesise
from boardpack.records.synth import labels as L
from boardpack.records.synth.injection import PSEUDO

FAULTS = {
    "vanished_service",
    "missing_nhs_number",
    "missing_identifiers",
    "release_1_labels",
    "invalid_label",
    "conflicting_demographics",
    "after_death",
    "resubmission",
}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("faults") / "out"
    synthesise(out, faults=True, **SMALL)
    return out


@pytest.fixture(scope="module")
def faults(out) -> pl.DataFrame:
    return pl.read_csv(out / "faults.csv", infer_schema=False)


def _line(out, file: str, line: str) -> dict:
    frame = pl.read_csv(out / file, infer_schema=False)
    return frame.row(int(line) - 2, named=True)


def test_every_fault_is_listed_for_every_council(out, faults):
    assert faults.columns == [
        "fault",
        "organisation",
        "file",
        "line",
        "la_person_id",
        "event_reference",
        "field",
        "value",
        "treatment",
    ]
    for organisation in pl.read_csv(out / "submissions.csv")["organisation"].unique():
        listed = set(faults.filter(pl.col("organisation") == organisation)["fault"])
        assert listed == FAULTS, organisation


def test_each_listed_row_carries_its_fault_in_the_file(out, faults):
    located = faults.filter(pl.col("line").is_not_null())
    for fault in located.iter_rows(named=True):
        row = _line(out, fault["file"], fault["line"])
        assert row["Event_Reference"] == fault["event_reference"]
        if fault["field"] == "NHS_Number":
            assert row["NHS_Number"] is None
            assert row["LA_Person_Unique_Identifier"] == fault["la_person_id"]
        elif fault["field"] == "NHS_Number, LA_Person_Unique_Identifier":
            assert row["NHS_Number"] is None and row["LA_Person_Unique_Identifier"] is None
        elif fault["fault"] == "after_death" and fault["field"] == "Event_End_Date":
            assert row["Date_of_Death"] is not None and row["Event_End_Date"] is None
        elif fault["fault"] == "after_death":
            assert row["Event_Start_Date"] > row["Date_of_Death"]
        elif fault["field"] in L.FIELDS:
            assert row[fault["field"]] == fault["value"], fault
        else:
            assert row["LA_Person_Unique_Identifier"] == fault["la_person_id"]


def test_a_resubmission_replaces_a_partial_file_and_repeats_rows(out, faults):
    listed = pl.read_csv(out / "submissions.csv", infer_schema=False)
    last = listed.filter(pl.col("quarter_end") == "2025-03-31").sort("la_code", "submitted")
    assert last.height == 2 * SMALL["councils"]
    for la_code in last["la_code"].unique():
        first, again = (
            pl.read_csv(out / f, infer_schema=False)
            for f in last.filter(pl.col("la_code") == la_code)["file"]
        )
        assert first.height < 0.95 * again.height, "the first submission was partial"
        assert again.is_duplicated().any(), "the resubmission repeats some rows exactly"
        assert set(first["Event_Reference"]) < set(again["Event_Reference"])
    notes = faults.filter(pl.col("fault") == "resubmission", pl.col("line").is_null())
    assert notes.height == SMALL["councils"] and notes["value"].str.contains("rows missing").all()


def test_a_vanished_service_is_in_one_submission_and_not_the_next(out, faults):
    vanished = faults.filter(pl.col("fault") == "vanished_service")
    absent = vanished.filter(pl.col("line").is_null())
    assert absent.height > 0
    for row in absent.iter_rows(named=True):
        later = pl.read_csv(out / row["file"], infer_schema=False)
        assert row["event_reference"] not in later["Event_Reference"].to_list()
        before = vanished.filter(
            pl.col("event_reference") == row["event_reference"], pl.col("line").is_not_null()
        )
        assert before.height > 0
        earlier = _line(
            out,
            before["file"].max(),
            before.filter(pl.col("file") == before["file"].max())["line"][0],
        )
        assert earlier["Event_End_Date"] is None, "open when last submitted"


def test_the_first_submission_uses_release_1_labels(out):
    listed = pl.read_csv(out / "submissions.csv", infer_schema=False).sort("quarter_end")
    for la_code in listed["la_code"].unique():
        files = listed.filter(pl.col("la_code") == la_code)["file"]
        first = pl.read_csv(out / files[0], infer_schema=False)
        later = pl.read_csv(out / files[1], infer_schema=False)
        assert set(first["Client_Type"]) == {"Service User"}
        assert "Long Term Support: Community" in set(first["Service_Type"])
        assert "Long term support: Community" not in set(first["Service_Type"])
        assert set(later["Client_Type"]) == {"Service user"}


def test_faults_the_method_absorbs_leave_expected_unchanged(tmp_path, monkeypatch):
    synthesise(tmp_path / "clean", **SMALL)
    absorbed = [
        injection.release_1_labels,
        injection.after_death,
        injection.resubmission_with_duplicates,
    ]
    monkeypatch.setattr(injection, "INJECTORS", absorbed)
    synthesise(tmp_path / "faulty", faults=True, **SMALL)
    assert (tmp_path / "clean" / "expected.csv").read_bytes() == (
        tmp_path / "faulty" / "expected.csv"
    ).read_bytes()
    faults = pl.read_csv(tmp_path / "faulty" / "faults.csv", infer_schema=False)
    assert set(faults["fault"]) == {"release_1_labels", "after_death", "resubmission"}


@pytest.fixture(scope="module")
def treated():
    return councils_and_views(**SMALL, faults=True)


def _marked(faults: pl.DataFrame, fault: str, field: str | None = None) -> set[int]:
    rows = faults.filter(pl.col("fault") == fault, pl.col("event_reference").is_not_null())
    if field is not None:
        rows = rows.filter(pl.col("field") == field)
    return {int(r[2:]) for r in rows["event_reference"]}


def test_each_fault_s_treatment_is_in_the_truth_behind_expected(faults, treated):
    views = pl.concat(
        [view.with_columns(council=pl.lit(code)) for code, (_, view) in treated.items()]
    )
    in_view = dict(
        zip(
            zip(views["council"], views["eid"], strict=True),
            views.iter_rows(named=True),
            strict=True,
        )
    )
    for fault in faults.filter(pl.col("event_reference").is_not_null()).iter_rows(named=True):
        key = (fault["organisation"], int(fault["event_reference"][2:]))
        row = in_view.get(key)
        kind, field, treatment = fault["fault"], fault["field"], fault["treatment"]
        if kind == "missing_identifiers" or "dropped" in treatment or "no record kept" in treatment:
            assert row is None, fault
        elif kind == "missing_nhs_number":
            assert row["person"] >= PSEUDO, "counted as another person"
        elif kind == "vanished_service" and fault["line"] is not None:
            assert row["end"] is not None and row["end"] <= row["ref_end"], (
                "end cropped to a period's end"
            )
        elif kind == "invalid_label" and field in (
            "Service_Type",
            "Delivery_Mechanism",
            "Event_Outcome",
        ):
            column = {
                "Service_Type": "service",
                "Delivery_Mechanism": "mechanism",
                "Event_Outcome": "outcome",
            }[field]
            assert row[column] == L.INVALID
        elif kind == "invalid_label" and field == "Accommodation_Status":
            assert row["accommodation"] == L.INVALID
        elif kind == "conflicting_demographics" and field == "Accommodation_Status":
            assert row["accommodation"] == fault["value"]


def test_vanished_services_take_people_out_of_later_counts(tmp_path, monkeypatch):
    synthesise(tmp_path / "clean", **SMALL)
    monkeypatch.setattr(injection, "INJECTORS", [injection.vanished_services])
    synthesise(tmp_path / "faulty", faults=True, **SMALL)
    clean = pl.read_csv(tmp_path / "clean" / "expected.csv")
    faulty = pl.read_csv(tmp_path / "faulty" / "expected.csv")
    both = clean.join(faulty, on=["organisation", "measure", "period"], suffix="_f")
    counted = both.filter(
        pl.col("measure") == "lts_people", pl.col("period").str.ends_with("2024/25")
    )
    assert (counted["numerator_f"] <= counted["numerator"]).all()
    assert (counted["numerator_f"] < counted["numerator"]).any()
    earlier = both.filter(
        pl.col("measure") == "lts_people", pl.col("period").str.ends_with("2023/24")
    )
    assert (earlier["numerator_f"] == earlier["numerator"]).all()
