"""Quarterly submissions in the national layout: which events each carries and how they look.

A council's submission for a quarter covers the rolling 12 months ending at the quarter end: the
requests, assessments and reviews that ended in those months, and the services that started by
the quarter end and had not ended before the months began. It shows what the council knew when
it extracted the file: a service still running has no end date (and "Continuation of support or
services" as its outcome), a death after the quarter end is not yet recorded, and every row of a
person carries the person's details as they stood at the quarter end (someone who has moved into
a care home is "Registered care home" on all their rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import numpy as np
import polars as pl

from . import labels as L
from .calendar import day, window_start

SUBMITTED_AFTER = 40  # days from quarter end to submission


@dataclass(frozen=True)
class Submission:
    """One file: a council's submission for the quarter ending `quarter_end`."""

    la_code: str
    organisation: str
    quarter_end: date
    submitted: date

    @property
    def start(self) -> date:
        return window_start(self.quarter_end)

    @property
    def file(self) -> str:
        return f"submissions/{self.la_code}_{self.quarter_end.isoformat()}_{self.submitted.isoformat()}.csv"


def schedule(
    la_code: str, organisation: str, ordinal: int, quarter_ends: list[date]
) -> list[Submission]:
    """One submission per quarter, 40-49 days after the quarter end."""
    delay = timedelta(days=SUBMITTED_AFTER + ordinal % 10)
    return [Submission(la_code, organisation, q, q + delay) for q in quarter_ends]


def visible(events: dict[str, np.ndarray], first: int, last: int) -> np.ndarray:
    """Positions of the events a file covering days `first`..`last` carries, in event order."""
    start, end, etype = events["start"], events["end"], events["etype"]
    service = etype == L.SERVICE
    carried = (start <= last) & (end >= first) & (service | (end <= last))
    return np.flatnonzero(carried)


def csv_text(value: str | None) -> str | None:
    """`value` as it stands in a CSV file: quoted (inner quotes doubled) if it holds a comma,
    a quote or a line break. Files are written with every value already in this form."""
    if value is None or not any(c in value for c in ',"\r\n'):
        return value
    return '"' + value.replace('"', '""') + '"'


@cache
def _csv_labels(values: tuple[str, ...]) -> pl.Series:
    return pl.Series([csv_text(v) for v in values], dtype=pl.String)


def _labels(values: tuple[str, ...], codes: np.ndarray) -> pl.Series:
    """Labels for codes, as written in CSV; null where the code is -1."""
    index = pl.Series(codes, dtype=pl.Int32)
    index = pl.select(pl.when(index >= 0).then(index)).to_series()
    return _csv_labels(values).gather(index)


def references(eids: np.ndarray) -> pl.Series:
    """The council's event reference: `EV` and the event's number."""
    return pl.select(pl.concat_str(pl.lit("EV"), pl.Series(eids).cast(pl.String))).to_series()


def _dates(days: np.ndarray, shown: np.ndarray | None = None) -> pl.Series:
    series = pl.Series(days.astype(np.int32), dtype=pl.Int32)
    if shown is not None:
        series = pl.select(pl.when(pl.Series(shown)).then(series)).to_series()
    return series.cast(pl.Date)


@dataclass
class PersonTable:
    """Per-person columns the writer gathers from; row i is person i of the council."""

    nhs: pl.Series
    la_id: pl.Series
    postcode: pl.Series
    columns: dict[str, np.ndarray]

    def accommodation(self, quarter_end: int) -> np.ndarray:
        """Each person's accommodation as recorded at `quarter_end`."""
        c = self.columns
        status = np.where(
            c["t_home"] <= quarter_end,
            np.where(c["home_type"] == L.NURSING, L.NURSING_HOME, L.CARE_HOME),
            c["accommodation"],
        )
        return np.where(c["t_nursing"] <= quarter_end, L.NURSING_HOME, status)


def rows(
    submission: Submission, events: dict[str, np.ndarray], people: PersonTable, refs: pl.Series
) -> pl.DataFrame:
    """The submission's rows in the national layout, plus `_eid` and `_person` (internal, for
    faults and line numbers), in event order. `refs[i]` is the reference of event i."""
    q = day(submission.quarter_end)
    at = visible(events, day(submission.start), q)
    person = events["person"][at]
    etype = events["etype"][at]
    end = events["end"][at]
    ended = end <= q
    service = etype == L.SERVICE
    c = people.columns
    dod = c["dod"][person]
    outcome = np.where(ended, events["outcome"][at], L.CONTINUATION)
    support = np.where(etype == L.REQUEST, -1, c["support"][person])
    funding = np.where(service | (etype == L.REVIEW), c["funding"][person], -1)
    take = pl.Series(person, dtype=pl.Int64)
    frame = pl.DataFrame(
        {
            "NHS_Number": people.nhs.gather(take),
            "LA_Person_Unique_Identifier": people.la_id.gather(take),
            "Gender": _labels(L.GENDERS, c["gender"][person]),
            "Ethnicity": _labels(L.ETHNICITIES, c["ethnicity"][person]),
            "Date_of_Birth": _dates(c["dob"][person]),
            "Date_of_Death": _dates(dod, dod <= q),
            "Primary_Support_Reason": _labels(L.SUPPORT_REASONS, support),
            "Postcode": people.postcode.gather(take),
            "Accommodation_Status": _labels(L.ACCOMMODATION, people.accommodation(q)[person]),
            "Employment_Status": _labels(L.EMPLOYMENT, c["employment"][person]),
            "Has_Unpaid_Carer": _labels(L.HAS_UNPAID_CARER, c["carer"][person]),
            "Client_Funding_Status": _labels(L.FUNDING, funding),
            "Event_Type": _labels(L.EVENT_TYPES, etype),
            "Event_Reference": refs.gather(pl.Series(at, dtype=pl.Int64)),
            "Event_Start_Date": _dates(events["start"][at]),
            "Event_End_Date": _dates(end, ended),
            "Event_Outcome": _labels(L.OUTCOMES, outcome),
            "Request_Route_of_Access": _labels(L.ROUTES, events["route"][at]),
            "Assessment_Type": _labels(L.ASSESSMENT_TYPES, events["assessment_type"][at]),
            "Eligible_Needs_Identified": _labels(L.ELIGIBLE, events["eligible"][at]),
            "Method_of_Assessment": _labels(L.ASSESSMENT_METHODS, events["method"][at]),
            "Service_Type": _labels(L.SERVICE_TYPES, events["service"][at]),
            "Service_Component": _labels(L.COMPONENTS, events["component"][at]),
            "Delivery_Mechanism": _labels(L.MECHANISMS, events["mechanism"][at]),
            "Review_Reason": _labels(L.REVIEW_REASONS, events["review_reason"][at]),
            "Review_Outcomes_Achieved": _labels(L.REVIEW_ACHIEVED, events["achieved"][at]),
            "Method_of_Review": _labels(L.REVIEW_METHODS, events["review_method"][at]),
            "Unit_Cost": pl.Series(events["unit_cost"][at], dtype=pl.Float64).fill_nan(None),
            "Cost_Frequency_Unit_Type": _labels(L.FREQUENCIES, events["frequency"][at]),
            "Planned_units_per_week": pl.Series(events["units"][at], dtype=pl.Float64).fill_nan(
                None
            ),
            "_eid": pl.Series(events["eid"][at], dtype=pl.Int64),
            "_person": take,
        }
    )
    constants = {
        "LA_Code": submission.la_code,
        "Reporting_Period_Start_Date": submission.start,
        "Reporting_Period_End_Date": submission.quarter_end,
        "Client_Type": L.CLIENT_TYPE,
    }
    blank = [f for f in L.FIELDS if f not in frame.columns and f not in constants]
    return frame.with_columns(
        *(pl.lit(v).alias(k) for k, v in constants.items()),
        *(pl.lit(None, dtype=pl.String).alias(f) for f in blank),
    ).select(*L.FIELDS, "_eid", "_person")


def write(frame: pl.DataFrame, path) -> None:
    """The file as councils send it: UTF-8 CSV, header row, ISO dates, costs to 2 places. Values
    are already CSV text (`csv_text`), so the writer need not look for what to quote."""
    frame.select(L.FIELDS).write_csv(path, float_precision=2, quote_style="never")
