"""Faults in submissions, and what the method does with each.

A fault is injected by `injection.py` as an `Injected`: how it changes the events the council's
system holds (`recorded`), how it changes each file (`edit`), which rows carry it (`marks`, for
`faults.csv`), and how the method's documented treatment changes the view of the truth that the
expected measures are worked out from (`treat`). `FaultPlan` applies a council's faults in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import polars as pl

from .submissions import Submission

FAULT_COLUMNS = [
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
MARK_SCHEMA = {
    "eid": pl.Int64,
    "person": pl.Int64,
    "fault": pl.String,
    "field": pl.String,
    "value": pl.String,
    "treatment": pl.String,
    "where": pl.String,  # "duplicate": only duplicated rows; "died": only rows showing a death
}
RESUBMITTED_AFTER = timedelta(days=21)


def marks(rows: list[dict]) -> pl.DataFrame:
    """Marks of rows carrying a fault: by event (`eid`) or by person (`person`, every row)."""
    return pl.DataFrame(rows, schema=MARK_SCHEMA)


@dataclass
class Injected:
    """One kind of fault injected into one council's submissions."""

    fault: str
    marks: pl.DataFrame = field(default_factory=lambda: marks([]))
    recorded: Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]] | None = None
    edit: Callable[[Submission, pl.DataFrame], pl.DataFrame] | None = None
    treat: Callable[[pl.DataFrame], pl.DataFrame] | None = None
    file_notes: list[dict] = field(default_factory=list)  # faults.csv rows not tied to a line


class FaultPlan:
    """A council's faults, applied in order; with none, every method returns its input."""

    def __init__(self, injected: list[Injected] | None = None, resubmit: date | None = None):
        self.injected = injected or []
        self.resubmit = resubmit

    def recorded(self, events: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        for fault in self.injected:
            if fault.recorded:
                events = fault.recorded(events)
        return events

    def submissions(self, submissions: list[Submission]) -> list[Submission]:
        """The council's submissions, with a resubmission after the one it replaces."""
        out = []
        for submission in submissions:
            out.append(submission)
            if submission.quarter_end == self.resubmit:
                out.append(resubmission(submission))
        return out

    def edit(self, submission: Submission, frame: pl.DataFrame) -> pl.DataFrame:
        frame = frame.with_columns(_dup=pl.lit(0, dtype=pl.Int8))
        for fault in self.injected:
            if fault.edit:
                frame = fault.edit(submission, frame)
        return frame

    def treat(self, view: pl.DataFrame) -> pl.DataFrame:
        for fault in self.injected:
            if fault.treat:
                view = fault.treat(view)
        return view

    def located(
        self, submission: Submission, frame: pl.DataFrame, organisation: str, la_ids: pl.Series
    ) -> list[dict]:
        """faults.csv rows for the marked rows of this file, with their line numbers."""
        if not self.injected:
            return []
        lines = frame.select("_eid", "_person", "_dup", "Date_of_Death").with_row_index(
            "line", offset=2
        )
        found = []
        for fault in self.injected:
            by_event = lines.join(
                fault.marks.filter(pl.col("eid").is_not_null()).drop("person"),
                left_on="_eid",
                right_on="eid",
            )
            by_person = lines.join(
                fault.marks.filter(pl.col("person").is_not_null()).drop("eid"),
                left_on="_person",
                right_on="person",
            )
            for hit in (by_event, by_person):
                hit = hit.filter(
                    pl.col("where").is_null()
                    | ((pl.col("where") == "duplicate") & (pl.col("_dup") == 1))
                    | ((pl.col("where") == "died") & pl.col("Date_of_Death").is_not_null())
                )
                found.append(hit)
        hits = pl.concat(found, how="diagonal_relaxed")
        if hits.is_empty():
            return []
        hits = hits.sort("line", "fault", "field")
        return [
            {
                "fault": row["fault"],
                "organisation": organisation,
                "file": submission.file,
                "line": str(row["line"]),
                "la_person_id": la_ids[row["_person"]],
                "event_reference": f"EV{row['_eid']}",
                "field": row["field"],
                "value": row["value"],
                "treatment": row["treatment"],
            }
            for row in hits.iter_rows(named=True)
        ]

    def notes(self) -> list[dict]:
        """faults.csv rows about whole files or rows absent from a file."""
        return [note for fault in self.injected for note in fault.file_notes]


NO_FAULTS = FaultPlan()


def resubmission(original: Submission) -> Submission:
    return Submission(
        original.la_code,
        original.organisation,
        original.quarter_end,
        original.submitted + RESUBMITTED_AFTER,
    )


def set_values(frame: pl.DataFrame, key: str, keys, column: str, value: str | None) -> pl.DataFrame:
    """`column` set to `value` (CSV text; None blanks it) on rows whose `key` is in `keys`."""
    hit = pl.col(key).is_in(pl.Series(list(keys), dtype=pl.Int64).implode())
    dtype = frame.schema[column]
    new = pl.lit(value, dtype=pl.String)
    if dtype == pl.Date:
        new = new.str.to_date()
    return frame.with_columns(pl.when(hit).then(new).otherwise(pl.col(column)).alias(column))


def set_each(frame: pl.DataFrame, key: str, values: dict, column: str) -> pl.DataFrame:
    """`column` set, on each row whose `key` is in `values`, to that key's value (None blanks
    it); dates given as ISO text where the column holds dates."""
    if not values:
        return frame
    dtype = frame.schema[column]
    given = pl.DataFrame(
        {"__key": list(values), "__value": list(values.values()), "__hit": [True] * len(values)},
        schema={
            "__key": frame.schema[key],
            "__value": pl.String if dtype == pl.Date else dtype,
            "__hit": pl.Boolean,
        },
    )
    if dtype == pl.Date:
        given = given.with_columns(pl.col("__value").str.to_date())
    joined = frame.join(given, left_on=key, right_on="__key", how="left", maintain_order="left")
    new = (
        pl.when(pl.col("__hit").fill_null(False)).then(pl.col("__value")).otherwise(pl.col(column))
    )
    return joined.with_columns(new.alias(column)).drop("__value", "__hit")


def set_view(view: pl.DataFrame, key: str, keys, column: str, value) -> pl.DataFrame:
    """The method view with `column` set to `value` on rows whose `key` is in `keys`."""
    hit = pl.col(key).is_in(pl.Series(list(keys), dtype=pl.Int64).implode())
    return view.with_columns(
        pl.when(hit)
        .then(pl.lit(value, dtype=view.schema[column]))
        .otherwise(pl.col(column))
        .alias(column)
    )
