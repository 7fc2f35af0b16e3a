"""Each measure's truth on hand-built journeys whose answer can be stated: the definitions that
expected.csv applies, one situation at a time."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from boardpack.records.synth import labels as L
from boardpack.records.synth.calendar import Quarter, day
from boardpack.records.synth.details import person_details
from boardpack.records.synth.measures import ascof, local_measures, rounded

COMMUNITY, RESIDENTIAL, NURSING = L.SERVICE_TYPES[:3]
ST_MAX = L.SERVICE_TYPES[4]
PLANNED = "NFA: Support ended as planned"
OWNER = L.ACCOMMODATION[0]
LD = L.SUPPORT_REASONS[0]
END = date(2025, 3, 31)
POPULATION = (100_000, 50_000)


def d(text: str) -> int:
    return day(date.fromisoformat(text))


def view(*rows: dict) -> pl.DataFrame:
    """Method-view rows; unstated fields take plain defaults (a service user, open, 2024/25)."""
    base = {
        "etype": L.SERVICE,
        "client_type": L.CLIENT_TYPE,
        "end": None,
        "service": None,
        "component": None,
        "mechanism": None,
        "outcome": None,
        "ref_end": day(END),
        "accommodation": OWNER,
        "support": L.SUPPORT_REASONS[2],
        "dob": d("1950-06-15"),
        "dod": None,
    }
    filled = []
    for eid, row in enumerate(rows):
        row = {**base, **row, "eid": eid}
        row["start"] = d(row["start"])
        for field in ("end", "dod", "dob"):
            if isinstance(row[field], str):
                row[field] = d(row[field])
        filled.append(row)
    schema = {
        "eid": pl.Int64, "person": pl.Int64, "etype": pl.Int8, "client_type": pl.String, "start": pl.Int64,
        "end": pl.Int64, "service": pl.String, "component": pl.String, "mechanism": pl.String,
        "outcome": pl.String, "ref_end": pl.Int64, "accommodation": pl.String, "support": pl.String,
        "dob": pl.Int64, "dod": pl.Int64,
    }  # fmt: skip
    return pl.DataFrame(filled, schema=schema)


def measures(frame: pl.DataFrame) -> dict[str, tuple]:
    rows = ascof(frame, person_details(frame), POPULATION, 2024)
    return {r["measure"]: (r["numerator"], r["denominator"], r["value"]) for r in rows}


def test_one_person_admitted_to_residential_care_counts_once_in_2c():
    frame = view(
        # admitted in the year from the community; the package re-rowed on 1 January
        {"person": 1, "service": COMMUNITY, "start": "2023-01-01", "end": "2024-06-30"},
        {
            "person": 1,
            "service": RESIDENTIAL,
            "start": "2024-07-01",
            "end": "2024-12-31",
            "component": "Long term residential care",
        },
        {
            "person": 1,
            "service": RESIDENTIAL,
            "start": "2025-01-01",
            "component": "Long term residential care",
        },
        # already resident: the new financial year's row is no admission
        {"person": 2, "service": RESIDENTIAL, "start": "2023-05-01", "end": "2024-03-31"},
        {"person": 2, "service": RESIDENTIAL, "start": "2024-04-01"},
        # back in a home more than 365 days after leaving one: a new admission
        {"person": 3, "service": NURSING, "start": "2022-01-01", "end": "2023-05-01"},
        {"person": 3, "service": NURSING, "start": "2024-06-01"},
        # short-term residential care is not an admission; nor is someone 18-64 one for 2C
        {
            "person": 4,
            "service": RESIDENTIAL,
            "start": "2024-08-01",
            "component": "Short term residential care",
        },
        {"person": 5, "service": RESIDENTIAL, "start": "2024-09-01", "dob": "1980-01-01"},
    )
    result = measures(frame)
    assert result["ascof_2c"] == (2, 50_000, 4.0)
    assert result["ascof_2b"] == (1, 100_000, 1.0)


def test_reablement_success_counts_new_clients_episodes_by_what_followed():
    frame = view(
        # two rows two days apart: one episode, ended as planned -> numerator and denominator
        {
            "person": 1,
            "service": ST_MAX,
            "start": "2024-05-01",
            "end": "2024-05-10",
            "outcome": "Continuation of support or services",
        },
        {
            "person": 1,
            "service": ST_MAX,
            "start": "2024-05-12",
            "end": "2024-05-30",
            "outcome": PLANNED,
        },
        # followed by long-term support within 7 days -> denominator only
        {
            "person": 2,
            "service": ST_MAX,
            "start": "2024-06-01",
            "end": "2024-06-20",
            "outcome": "Progress to support planning or services",
        },
        {"person": 2, "service": COMMUNITY, "start": "2024-06-23"},
        # an existing client (long-term support open) -> not counted
        {"person": 3, "service": COMMUNITY, "start": "2023-01-01"},
        {
            "person": 3,
            "service": ST_MAX,
            "start": "2024-07-01",
            "end": "2024-07-20",
            "outcome": PLANNED,
        },
        # admitted to hospital, or died within 7 days -> left out
        {
            "person": 4,
            "service": ST_MAX,
            "start": "2024-08-01",
            "end": "2024-08-20",
            "outcome": "Admitted to hospital",
        },
        {
            "person": 5,
            "service": ST_MAX,
            "start": "2024-09-01",
            "end": "2024-09-20",
            "outcome": PLANNED,
            "dod": "2024-09-25",
        },
        # ended before the year -> not this year's
        {
            "person": 6,
            "service": ST_MAX,
            "start": "2024-03-01",
            "end": "2024-03-20",
            "outcome": PLANNED,
        },
        # an 18-64 client whose episode led to equipment (a low-level service) -> success
        {
            "person": 7,
            "service": ST_MAX,
            "start": "2024-10-01",
            "end": "2024-10-20",
            "outcome": "Progress to support planning or services",
            "dob": "1990-01-01",
        },
        {
            "person": 7,
            "service": L.SERVICE_TYPES[5],
            "start": "2024-10-22",
            "end": "2024-12-01",
            "dob": "1990-01-01",
        },
    )
    result = measures(frame)
    assert result["ascof_2a"] == (2, 3, 66.7)
    assert result["ascof_2a_65_plus"] == (1, 2, 50.0)
    assert result["ascof_2a_18_64"] == (1, 1, 100.0)


def test_settled_accommodation_of_people_with_long_term_support():
    frame = view(
        {"person": 1, "service": COMMUNITY, "start": "2023-01-01", "dob": "1980-01-01"},
        {
            "person": 2,
            "service": RESIDENTIAL,
            "start": "2023-01-01",
            "dob": "1980-01-01",
            "accommodation": "Registered care home",
        },
        {
            "person": 3,
            "service": COMMUNITY,
            "start": "2023-01-01",
            "accommodation": "Unknown",
            "component": "Home support or domiciliary care",
        },
        {
            "person": 4,
            "service": COMMUNITY,
            "start": "2023-01-01",
            "accommodation": "Unknown",
            "component": "Day support",
        },
        {
            "person": 5,
            "service": COMMUNITY,
            "start": "2023-01-01",
            "dob": "1990-01-01",
            "support": LD,
            "accommodation": L.ACCOMMODATION[4],
        },
        # support ended before the year: not counted
        {
            "person": 6,
            "service": COMMUNITY,
            "start": "2022-01-01",
            "end": "2024-03-01",
            "dob": "1980-01-01",
        },
    )
    result = measures(frame)
    assert result["ascof_2e2a"] == (2, 3, 66.7)  # people 1, 2, 5
    assert result["ascof_2e2b"] == (1, 2, 50.0)  # 3 presumed at home, 4 presumed in community
    assert result["ascof_2e1"] == (1, 1, 100.0)


def test_self_directed_support_counts_community_clients_in_their_highest_setting():
    frame = view(
        {"person": 1, "service": COMMUNITY, "start": "2024-01-01", "mechanism": "Direct payment"},
        {
            "person": 2,
            "service": COMMUNITY,
            "start": "2024-01-01",
            "mechanism": "CASSR managed personal budget",
        },
        {"person": 3, "service": COMMUNITY, "start": "2024-01-01", "mechanism": "Direct payment"},
        {
            "person": 3,
            "service": RESIDENTIAL,
            "start": "2025-02-01",
            "mechanism": "CASSR commissioned support",
        },
        {
            "person": 4,
            "service": COMMUNITY,
            "start": "2024-01-01",
            "mechanism": "CASSR commissioned support",
            "component": "Direct payment",
        },
        {
            "person": 4,
            "service": COMMUNITY,
            "start": "2024-01-01",
            "mechanism": "CASSR commissioned support",
            "component": "Meals",
        },
        {
            "person": 5,
            "service": COMMUNITY,
            "start": "2024-01-01",
            "end": "2025-03-30",
            "mechanism": "Direct payment",
        },
        {"person": 6, "service": COMMUNITY, "start": "2024-01-01", "mechanism": L.INVALID},
    )
    result = measures(frame)
    assert result["ascof_3d1a"] == (3, 4, 75.0)  # people 1, 2, 4 of 1, 2, 4, 6
    assert result["ascof_3d2a"] == (2, 4, 50.0)


def _local(frame: pl.DataFrame, quarter: Quarter) -> dict[str, dict]:
    rows = local_measures(frame, person_details(frame), [quarter], window=d("2023-04-01"))
    return {r["measure"]: r for r in rows}


Q1 = Quarter(d("2024-04-01"), d("2024-06-30"))


def test_people_with_long_term_support_and_reviewed_in_12_months():
    frame = view(
        {"person": 1, "service": COMMUNITY, "start": "2023-01-01"},
        {"person": 1, "etype": L.REVIEW, "start": "2023-07-01", "end": "2023-07-02"},
        {
            "person": 2,
            "service": COMMUNITY,
            "start": "2023-01-01",
            "end": "2024-06-30",
        },  # open that day
        {
            "person": 2,
            "etype": L.REVIEW,
            "start": "2023-06-20",
            "end": "2023-06-30",
        },  # 366 days before
        {"person": 3, "service": COMMUNITY, "start": "2023-01-01", "end": "2024-06-29"},  # ended
        {"person": 4, "service": RESIDENTIAL, "start": "2023-01-01", "dod": "2024-06-01"},  # died
        {
            "person": 5,
            "service": COMMUNITY,
            "start": "2024-06-30",
            "dob": "2006-07-15",
        },  # not yet 18
    )
    found = _local(frame, Q1)
    assert found["lts_people"]["numerator"] == 2
    assert (found["lts_reviewed_12m"]["numerator"], found["lts_reviewed_12m"]["denominator"]) == (
        1,
        2,
    )
    assert found["lts_reviewed_12m"]["value"] == 50.0


def test_requests_from_new_clients_and_the_median_wait_for_a_service():
    frame = view(
        {"person": 1, "etype": L.REQUEST, "start": "2024-04-10", "end": "2024-04-11"},
        {"person": 1, "service": ST_MAX, "start": "2024-04-20", "end": "2024-05-10"},
        {"person": 2, "etype": L.REQUEST, "start": "2024-05-01", "end": "2024-05-01"},
        {"person": 2, "service": COMMUNITY, "start": "2024-05-14"},
        {"person": 3, "etype": L.REQUEST, "start": "2024-05-01", "end": "2024-05-03"},  # no service
        {"person": 4, "service": COMMUNITY, "start": "2023-05-01"},
        {
            "person": 4,
            "etype": L.REQUEST,
            "start": "2024-06-01",
            "end": "2024-06-02",
        },  # existing client
        {
            "person": 5,
            "etype": L.REQUEST,
            "start": "2024-07-01",
            "end": "2024-07-01",
        },  # next quarter
    )
    found = _local(frame, Q1)
    assert found["requests_new_clients"]["numerator"] == 3
    waits = found["request_to_service_median_days"]
    assert (waits["numerator"], waits["denominator"], waits["value"]) == (2, 3, 11.5)


def test_latest_person_details_prefer_known_then_latest_and_turn_conflicts_unknown():
    frame = view(
        {
            "person": 1,
            "service": COMMUNITY,
            "start": "2024-01-01",
            "ref_end": d("2024-03-31"),
            "accommodation": OWNER,
            "end": "2024-03-31",
        },
        {
            "person": 1,
            "service": COMMUNITY,
            "start": "2024-04-01",
            "accommodation": "Registered care home",
        },
        {
            "person": 1,
            "etype": L.REQUEST,
            "start": "2024-05-01",
            "end": "2024-05-02",
            "accommodation": "Unknown",
            "support": None,
        },
        {
            "person": 2,
            "service": COMMUNITY,
            "start": "2024-04-01",
            "accommodation": OWNER,
            "component": "Meals",
        },
        {
            "person": 2,
            "service": COMMUNITY,
            "start": "2024-04-01",
            "accommodation": "Refuge",
            "component": "Meals",
            "support": LD,
        },
        {"person": 3, "service": COMMUNITY, "start": "2024-04-01", "dob": "1950-06-15"},
        {"person": 3, "service": COMMUNITY, "start": "2024-05-01", "dob": "1948-02-20"},
    )
    found = person_details(frame).sort("person")
    assert found["accommodation"].to_list() == [
        "Registered care home",
        "Unknown: presumed in community",
        OWNER,
    ]
    assert found["support"].to_list()[:2] == [L.SUPPORT_REASONS[2], "Unknown"]
    assert found["birth"].to_list()[2] == d("1948-02-01"), "the earliest birth month"


@pytest.mark.parametrize(
    ("numerator", "denominator", "per", "value"),
    [
        (1, 3, 100, 33.3),
        (2, 3, 100, 66.7),
        (1, 2000, 100, 0.1),
        (1, 8, 100, 12.5),
        (0, 5, 100, 0.0),
        (3, 0, 100, None),
        (28, 61235, 100_000, 45.7),
    ],
)
def test_values_round_half_away_from_zero_to_one_place(numerator, denominator, per, value):
    assert rounded(numerator, denominator, per) == value
