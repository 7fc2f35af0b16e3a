"""The true events as the method comes to hold them: one row per event the submissions cover,
with the details the latest submission covering it showed.

The method takes each three-month reference period from the latest submission covering it and
keeps one record per event, from the latest reference period the event falls in
(`3-submission-selection.md`, `6-deduplication.md`). So an event's record is the one in the
reference period holding its end (a service still running: the last period), from that period's
submission: its end date if it had ended by then, the person's accommodation and date of death as
recorded then. This module builds that view straight from the simulated truth, without reading
the files, so the expected measures are worked out independently of the method's SQL. Faults
then change the view as the method's documented treatment of each fault says.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from . import labels as L
from .calendar import Quarter, day, quarters_between
from .submissions import PersonTable, Submission


def reference_periods(submissions: list[Submission]) -> list[tuple[Quarter, Submission]]:
    """Every three-month period the submissions cover, with the submission the method takes
    it from: the latest quarter end covering it, and of those the latest submitted."""
    first = min(day(s.start) for s in submissions)
    last = max(day(s.quarter_end) for s in submissions)
    out = []
    for quarter in quarters_between(first, last):
        covering = [
            s
            for s in submissions
            if day(s.start) <= quarter.start and day(s.quarter_end) >= quarter.end
        ]
        out.append((quarter, max(covering, key=lambda s: (s.quarter_end, s.submitted))))
    return out


def _labelled(frame: pl.DataFrame, column: str, values: tuple[str, ...]) -> pl.Series:
    index = frame[column].cast(pl.Int32)
    index = pl.select(pl.when(index >= 0).then(index)).to_series()
    return pl.Series(values, dtype=pl.String).gather(index).alias(column)


def method_view(
    events: pl.DataFrame, people: PersonTable, submissions: list[Submission]
) -> pl.DataFrame:
    """Columns: eid, person, etype, start, end (null: still running), service, component,
    mechanism, outcome (labels), ref_end (the reference period's last day), and the person's
    accommodation, support reason, date of birth and date of death as that record showed them."""
    periods = reference_periods(submissions)
    window, horizon = periods[0][0].start, periods[-1][0].end
    ends = [q.end for q, _ in periods]
    provider_end = np.array([day(s.quarter_end) for _, s in periods], dtype=np.int64)
    service = pl.col("etype") == L.SERVICE
    covered = events.filter(
        pl.col("start") <= horizon,
        pl.col("end") >= window,
        service | (pl.col("end") <= horizon),
    )
    last = np.minimum(covered["end"].to_numpy(), horizon)
    period = np.searchsorted(np.array(ends), last, side="left")
    person = covered["person"].to_numpy()
    as_of = provider_end[period]
    c = people.columns
    accommodation = _accommodation_as_of(people, person, as_of)
    dod = c["dod"][person]
    etype = covered["etype"].to_numpy()
    support = np.where(etype == L.REQUEST, -1, c["support"][person])
    view = covered.with_columns(
        end=pl.when(pl.col("end") <= horizon).then(pl.col("end")),
        outcome=pl.when(pl.col("end") <= horizon).then(pl.col("outcome")).otherwise(L.CONTINUATION),
        ref_end=pl.Series(np.array(ends, dtype=np.int64)[period]),
        accommodation=pl.Series(accommodation),
        support=pl.Series(support),
        dob=pl.Series(c["dob"][person]),
        dod=pl.Series(np.where(dod <= as_of, dod, -1)),
    )
    return _as_labels(view)


def _accommodation_as_of(people: PersonTable, person: np.ndarray, as_of: np.ndarray) -> np.ndarray:
    c = people.columns
    home = np.where(c["home_type"][person] == L.NURSING, L.NURSING_HOME, L.CARE_HOME)
    status = np.where(c["t_home"][person] <= as_of, home, c["accommodation"][person])
    return np.where(c["t_nursing"][person] <= as_of, L.NURSING_HOME, status)


def _as_labels(view: pl.DataFrame) -> pl.DataFrame:
    labelled = [
        _labelled(view, "service", L.SERVICE_TYPES),
        _labelled(view, "component", L.COMPONENTS),
        _labelled(view, "mechanism", L.MECHANISMS),
        _labelled(view, "outcome", L.OUTCOMES),
        _labelled(view, "accommodation", L.ACCOMMODATION),
        _labelled(view, "support", L.SUPPORT_REASONS),
    ]
    return view.with_columns(
        *labelled,
        person=pl.col("person").cast(pl.Int64),
        end=pl.col("end").cast(pl.Int64),
        start=pl.col("start").cast(pl.Int64),
        dob=pl.col("dob").cast(pl.Int64),
        dod=pl.when(pl.col("dod") >= 0).then(pl.col("dod")).cast(pl.Int64),
        client_type=pl.lit(L.CLIENT_TYPE),
    ).select(
        "eid",
        "person",
        "etype",
        "client_type",
        "start",
        "end",
        "service",
        "component",
        "mechanism",
        "outcome",
        "ref_end",
        "accommodation",
        "support",
        "dob",
        "dod",
    )
