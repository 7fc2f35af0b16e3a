"""Helpers for the synthetic-records tests: small runs, the truth behind them, and the method's
records rebuilt from the written files (submission selection, events in each reference period,
person IDs, unique events, cropping), written here independently of the generator's own view."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from boardpack.records.synth import calibration, generate
from boardpack.records.synth import labels as L
from boardpack.records.synth.calendar import LAST_QUARTER_END, quarter_ends
from boardpack.records.synth.injection import plan_faults
from boardpack.records.synth.view import method_view

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data" / "cld"
SMALL = {"councils": 2, "people": 300, "quarters": 5, "seed": 7}


def councils_and_views(councils: int, people: int | None, quarters: int, seed: int, faults: bool):
    """Per council (ONS code): the simulated council and its method view after fault treatment,
    rebuilt with the generator's own steps (the same seed gives the same truth)."""
    ends = quarter_ends(quarters, LAST_QUARTER_END)
    frame = generate.frame_for(ends)
    plans = calibration.plans(councils, people, seed)
    arriving = generate.movers(plans, frame, seed)
    out = {}
    for plan in plans:
        council = generate.build(plan, frame, seed, arriving[plan.ordinal], ends)
        faults_ = plan_faults(council, frame, seed) if faults else generate.NO_FAULTS
        view = faults_.treat(method_view(council.events, council.persons, council.submissions))
        out[plan.ons_code] = (council, view)
    return out


# -- the method, from the files -------------------------------------------------------------


def _quarters(first: date, last: date) -> list[tuple[date, date]]:
    out, start = [], first
    while start <= last:
        month = start.month + 2
        end = date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        end = (date(end.year + end.month // 12, end.month % 12 + 1, 1)) - timedelta(days=1)
        out.append((start, end))
        start = end + timedelta(days=1)
    return out


RELEASE_2 = {
    "Service_Type": set(L.SERVICE_TYPES),
    "Delivery_Mechanism": set(L.MECHANISMS),
    "Event_Outcome": set(L.OUTCOMES),
    "Accommodation_Status": set(L.ACCOMMODATION),
    "Primary_Support_Reason": set(L.SUPPORT_REASONS),
    "Client_Type": {L.CLIENT_TYPE},
}
BACK = {field: {r1: r2 for r2, r1 in pairs.items()} for field, pairs in L.RELEASE_1.items()}


def _cleaned(frame: pl.DataFrame) -> pl.DataFrame:
    """Release 1 values mapped to Release 2, values in neither mapped to "Invalid and not
    mapped" (`5-data-cleaning.md`)."""
    out = []
    for field, valid in RELEASE_2.items():
        column = pl.col(field).replace(BACK.get(field, {}))
        out.append(
            pl.when(column.is_null() | column.is_in(list(valid)))
            .then(column)
            .otherwise(pl.lit(L.INVALID))
            .alias(field)
        )
    return frame.with_columns(out)


def method_records(out: Path, la_code: str) -> pl.DataFrame:
    """One council's records as the method keeps them, from its files: per reference period the
    latest submission covering it; events in the period (rows whose death precedes the period or
    the event dropped, ends corrected to the death); combined person ID; one record per unique
    event, services from the latest period, cropped where not found in the next."""
    listed = pl.read_csv(out / "submissions.csv", infer_schema=False).filter(
        pl.col("la_code") == la_code
    )
    files = [
        (date.fromisoformat(r["quarter_end"]), date.fromisoformat(r["submitted"]), r["file"])
        for r in listed.iter_rows(named=True)
    ]
    first = min(date(q.year - 1, q.month, q.day) + timedelta(days=1) for q, _, _ in files)
    periods = _quarters(first, max(q for q, _, _ in files))
    parts = []
    for start, end in periods:
        covering = [
            f for f in files if date(f[0].year - 1, f[0].month, f[0].day) < start and f[0] >= end
        ]
        _, _, name = max(covering)
        parts.append(_in_period(out / name, start, end))
    rows = _cleaned(pl.concat(parts).with_row_index("record"))
    person = pl.coalesce(
        pl.col("NHS_Number"), pl.lit("LA:") + pl.col("LA_Person_Unique_Identifier")
    )
    rows = rows.with_columns(person=person).filter(pl.col("person").is_not_null())
    return _unique_events(rows, periods[-1][1])


def _in_period(path: Path, start: date, end: date) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema=False).with_columns(
        pl.col("Event_Start_Date", "Event_End_Date", "Date_of_Death", "Date_of_Birth").str.to_date()
    )
    service = pl.col("Event_Type") == "Service"
    died = pl.col("Date_of_Death")
    frame = frame.filter(
        pl.col("Event_Start_Date") <= end,
        pl.when(service)
        .then(pl.col("Event_End_Date").is_null() | (pl.col("Event_End_Date") >= start))
        .otherwise(pl.col("Event_End_Date").is_between(start, end)),
        died.is_null() | ((died >= start) & (died >= pl.col("Event_Start_Date"))),
    )
    corrected = pl.when(
        died.is_not_null()
        & (pl.col("Event_End_Date").is_null() | (died < pl.col("Event_End_Date")))
    ).then(died)
    return frame.with_columns(
        end=corrected.otherwise(pl.col("Event_End_Date")),
        ref_end=pl.lit(end),
        ref_start=pl.lit(start),
    )


def _unique_events(rows: pl.DataFrame, last_end: date) -> pl.DataFrame:
    service = pl.col("Event_Type") == "Service"
    key_end = pl.when(service).then(pl.lit(None, dtype=pl.Date)).otherwise(pl.col("end"))
    rows = rows.with_columns(
        key_end=key_end,
        rank=pl.col("Event_Outcome").replace_strict(
            {o: i for i, o in enumerate(L.OUTCOMES, 1)}, default=999, return_dtype=pl.Int64
        ),
    )
    key = [
        "person",
        "Event_Start_Date",
        "key_end",
        "Client_Type",
        "Event_Type",
        "Request_Route_of_Access",
        "Assessment_Type",
        "Service_Type",
        "Service_Component",
    ]
    latest = rows.filter(
        pl.col("ref_end") == pl.col("ref_end").max().over(key, mapping_strategy="group_to_rows")
    )
    open_at_end = (
        service
        & (pl.col("end").is_null() | (pl.col("end") > pl.col("ref_end")))
        & (pl.col("ref_end") < last_end)
    )
    latest = latest.with_columns(
        end=pl.when(open_at_end).then(pl.col("ref_end")).otherwise(pl.col("end"))
    )
    ordered = latest.sort(
        [*key, "end", "rank", "record"],
        descending=[False] * len(key) + [True, False, True],
        nulls_last=False,
    )
    return (
        ordered.group_by(key, maintain_order=True)
        .first()
        .with_columns(eid=pl.col("Event_Reference").str.slice(2).cast(pl.Int64))
    )


def truth_identity(council) -> pl.DataFrame:
    """`person, id`: each simulated person's ID as the method forms it from the files."""
    nhs = council.persons.nhs
    la = council.persons.la_id
    frame = pl.DataFrame({"person": np.arange(len(nhs), dtype=np.int64), "nhs": nhs, "la": la})
    return frame.select("person", id=pl.coalesce("nhs", pl.lit("LA:") + pl.col("la")))
