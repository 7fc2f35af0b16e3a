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
    columns = {**_person_columns(people, events, at, q), **_event_columns(events, at, q, refs)}
    frame = pl.DataFrame(columns)
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


def _person_columns(people: PersonTable, events: dict, at: np.ndarray, q: int) -> dict:
    """The person fields of each row, as recorded at the quarter end `q`: support reason not on
    requests, funding status on services and reviews only, employment for 18-64."""
    person = events["person"][at]
    etype = events["etype"][at]
    c = people.columns
    dod = c["dod"][person]
    support = np.where(etype == L.REQUEST, -1, c["support"][person])
    funding = np.where((etype == L.SERVICE) | (etype == L.REVIEW), c["funding"][person], -1)
    take = pl.Series(person, dtype=pl.Int64)
    return {
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
        "_person": take,
    }


CODED = {  # event field -> (labels, column of the event table)
    "Event_Type": (L.EVENT_TYPES, "etype"),
    "Request_Route_of_Access": (L.ROUTES, "route"),
    "Assessment_Type": (L.ASSESSMENT_TYPES, "assessment_type"),
    "Eligible_Needs_Identified": (L.ELIGIBLE, "eligible"),
    "Method_of_Assessment": (L.ASSESSMENT_METHODS, "method"),
    "Service_Type": (L.SERVICE_TYPES, "service"),
    "Service_Component": (L.COMPONENTS, "component"),
    "Delivery_Mechanism": (L.MECHANISMS, "mechanism"),
    "Review_Reason": (L.REVIEW_REASONS, "review_reason"),
    "Review_Outcomes_Achieved": (L.REVIEW_ACHIEVED, "achieved"),
    "Method_of_Review": (L.REVIEW_METHODS, "review_method"),
    "Cost_Frequency_Unit_Type": (L.FREQUENCIES, "frequency"),
}


def _event_columns(events: dict, at: np.ndarray, q: int, refs: pl.Series) -> dict:
    """The event fields of each row: what has not ended by the quarter end `q` shows no end
    date and the outcome "Continuation of support or services"."""
    end = events["end"][at]
    ended = end <= q
    outcome = np.where(ended, events["outcome"][at], L.CONTINUATION)
    coded = {
        field: _labels(values, events[column][at]) for field, (values, column) in CODED.items()
    }
    return {
        **coded,
        "Event_Reference": refs.gather(pl.Series(at, dtype=pl.Int64)),
        "Event_Start_Date": _dates(events["start"][at]),
        "Event_End_Date": _dates(end, ended),
        "Event_Outcome": _labels(L.OUTCOMES, outcome),
        "Unit_Cost": _amounts(events["unit_cost"][at]),
        "Planned_units_per_week": _amounts(events["units"][at]),
        "_eid": pl.Series(events["eid"][at], dtype=pl.Int64),
    }


def _amounts(values: np.ndarray) -> pl.Series:
    return pl.Series(values, dtype=pl.Float64).fill_nan(None)


def write(frame: pl.DataFrame, path) -> None:
    """The file as councils send it: UTF-8 CSV, header row, ISO dates, costs to 2 places. Values
    are already CSV text (`csv_text`), so the writer need not look for what to quote."""
    frame.select(L.FIELDS).write_csv(path, float_precision=2, quote_style="never")
