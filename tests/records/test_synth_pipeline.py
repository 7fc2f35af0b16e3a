"""The method run on synthetic submissions gives the simulated truth: every measure equals
expected.csv exactly, without faults and with them (the method's treatment of each fault is
what expected.csv was worked out after); and each fault shows in the data-quality report where
faults.csv says it is."""

from __future__ import annotations

import polars as pl
import pytest
from conftest import differences_from_expected

from boardpack.records import measures_for_project, quality_report, quality_summary


@pytest.fixture(scope="module")
def faulty_measures(synth_faulty):
    return measures_for_project(synth_faulty, suppress=False)[0]


@pytest.fixture(scope="module")
def faults(synth_faulty) -> pl.DataFrame:
    return pl.read_csv(synth_faulty.folder / "faults.csv", infer_schema=False)


@pytest.fixture(scope="module")
def quality(synth_faulty) -> pl.DataFrame:
    return quality_report(synth_faulty)


def test_without_faults_every_measure_equals_expected(synth_clean):
    measures, _ = measures_for_project(synth_clean, suppress=False)
    assert differences_from_expected(synth_clean, measures).is_empty()


def test_with_faults_every_measure_equals_expected_after_their_treatment(
    synth_faulty, faulty_measures
):
    assert differences_from_expected(synth_faulty, faulty_measures).is_empty()


def test_the_faults_change_the_figures(synth_clean, faulty_measures):
    """Not a vacuous comparison: vanished services and missing NHS numbers move counts."""
    assert not differences_from_expected(synth_clean, faulty_measures).is_empty()


def _rows(quality: pl.DataFrame, check: str, file: str, field: str | None = None) -> int:
    found = quality.filter(pl.col("check") == check, pl.col("file") == file)
    if field is not None:
        found = found.filter(pl.col("field") == field)
    return int(found["rows"].sum())


def _listed(faults: pl.DataFrame, fault: str, field: str | None = None) -> pl.DataFrame:
    rows = faults.filter(pl.col("fault") == fault, pl.col("line").is_not_null())
    if field is not None:
        rows = rows.filter(pl.col("field") == field)
    assert rows.height > 0, fault
    return rows.group_by("file").len()


def test_rows_without_identifiers_are_counted_as_dropped(faults, quality):
    for file, listed in _listed(faults, "missing_identifiers").iter_rows():
        assert _rows(quality, "no_person_id", file) >= listed, file


def test_events_after_death_are_counted(faults, quality):
    for file, listed in _listed(faults, "after_death", "Event_Start_Date").iter_rows():
        assert _rows(quality, "after_death", file) >= listed, file


def test_missing_nhs_numbers_lower_its_completeness(faults, quality):
    for file, listed in _listed(faults, "missing_nhs_number").iter_rows():
        complete = quality.filter(
            pl.col("check") == "completeness",
            pl.col("file") == file,
            pl.col("field") == "NHS_Number",
        )
        filled, of = complete.select("rows", "of_rows").row(0)
        assert of - filled >= listed, file


def test_invalid_labels_are_listed_with_their_values(faults, quality):
    invalid = faults.filter(pl.col("fault") == "invalid_label", pl.col("line").is_not_null())
    for file, field, value in invalid.select("file", "field", "value").unique().iter_rows():
        found = quality.filter(
            pl.col("check") == "invalid_value",
            pl.col("file") == file,
            pl.col("field") == field,
            pl.col("value") == value,
        )
        assert found.height == 1, (file, field, value)


def test_release_1_labels_are_mapped_not_invalid(faults, quality):
    for file in faults.filter(pl.col("fault") == "release_1_labels")["file"]:
        for field in ("Client_Type", "Service_Type", "Delivery_Mechanism"):
            assert _rows(quality, "invalid_code", file, field) == 0, (file, field)
        assert _rows(quality, "completeness", file, "Service_Type") > 0


def test_a_resubmission_replaces_the_first_and_its_duplicates_are_counted(
    synth_faulty, faults, quality
):
    summary = quality_summary(synth_faulty)
    superseded = faults.filter(pl.col("fault") == "resubmission", pl.col("line").is_null())
    resent = _listed(faults, "resubmission", "(row)")
    for file in superseded["file"]:
        assert summary.filter(pl.col("file") == file)["used"].to_list() == [False], file
    for file, listed in resent.iter_rows():
        assert summary.filter(pl.col("file") == file)["used"].to_list() == [True], file
        assert _rows(quality, "duplicate", file) >= listed, file


def test_the_summary_names_the_least_complete_required_field(synth_faulty, faults):
    """Blank NHS numbers (some people have none, and the fault blanks more) make it the least
    complete; a blank end date is an open service, not a gap."""
    summary = quality_summary(synth_faulty)
    assert set(summary["least_complete_field"]) == {"NHS_Number"}
    assert (summary["least_complete_pct"] < 100).all()


def test_vanished_services_were_open_in_the_submission_before(faults, quality):
    """They are cropped by the method (the measures equal expected.csv, above); the report
    counts the open services of the submission they last appeared in."""
    vanished = faults.filter(pl.col("fault") == "vanished_service")
    assert vanished.height > 0
    for file in vanished["file"].unique():
        assert _rows(quality, "open_service", file) > 0, file
