"""The files and the truth agree: the records the method keeps from the written submissions (rebuilt
here from the files alone) are exactly the simulated events the expected measures are worked out
from, with the same people, dates, labels and details, with and without faults."""

from __future__ import annotations

import polars as pl
import pytest
from synth_helpers import SMALL, councils_and_views, method_records, truth_identity

from boardpack.records.synth import synthesise
from boardpack.records.synth.injection import PSEUDO


@pytest.fixture(scope="module", params=[False, True], ids=["clean", "faults"])
def run(request, tmp_path_factory):
    out = tmp_path_factory.mktemp("method") / "out"
    synthesise(out, faults=request.param, **SMALL)
    return out, councils_and_views(**SMALL, faults=request.param)


def _expected_rows(council, view: pl.DataFrame) -> pl.DataFrame:
    """The truth view in the files' terms: person IDs as the method forms them, dates as dates."""
    ids = truth_identity(council)
    la_ids = pl.DataFrame({"own": council.persons.la_id}).with_row_index("local", offset=PSEUDO)
    pseudo = (
        view.filter(pl.col("person") >= PSEUDO)
        .join(
            la_ids.with_columns(pl.col("local").cast(pl.Int64)), left_on="person", right_on="local"
        )
        .with_columns(id=pl.lit("LA:") + pl.col("own"))
    )
    known = view.filter(pl.col("person") < PSEUDO).join(ids, on="person", how="left")
    rows = pl.concat([known, pseudo], how="diagonal_relaxed")
    return rows.select(
        "eid",
        "id",
        start=pl.col("start").cast(pl.Date),
        end=pl.col("end").cast(pl.Date),
        ref_end=pl.col("ref_end").cast(pl.Date),
        service="service",
        outcome="outcome",
        mechanism="mechanism",
        accommodation="accommodation",
        birth=pl.col("dob").cast(pl.Date),
        death=pl.col("dod").cast(pl.Date),
    )


def _file_rows(records: pl.DataFrame) -> pl.DataFrame:
    return records.select(
        "eid",
        pl.col("person").alias("id"),
        pl.col("Event_Start_Date").alias("start"),
        "end",
        "ref_end",
        pl.col("Service_Type").alias("service"),
        pl.col("Event_Outcome").alias("outcome"),
        pl.col("Delivery_Mechanism").alias("mechanism"),
        pl.col("Accommodation_Status").alias("accommodation"),
        pl.col("Date_of_Birth").alias("birth"),
        pl.col("Date_of_Death").alias("death"),
    )


def test_the_method_keeps_exactly_the_truth_behind_expected(run):
    out, councils = run
    for council, view in councils.values():
        expected = _expected_rows(council, view).sort("eid")
        kept = _file_rows(method_records(out, council.plan.la_code)).sort("eid")
        assert kept["eid"].is_unique().all(), "the method would keep one record per event"
        missing = expected.join(kept, on="eid", how="anti")
        extra = kept.join(expected, on="eid", how="anti")
        assert missing.is_empty(), f"in the truth, not kept from the files: {missing.head()}"
        assert extra.is_empty(), f"kept from the files, not in the truth: {extra.head()}"
        differ = expected.join(kept, on="eid", suffix="_file").filter(
            pl.any_horizontal(
                ~pl.col(c).eq_missing(pl.col(f"{c}_file")) for c in expected.columns if c != "eid"
            )
        )
        assert differ.is_empty(), (
            f"{council.plan.name}: truth and files disagree:\n{differ.head(5)}"
        )
