"""The hand-made fixtures: each scenario is one council's submissions, its people's events
written out, with the figures worked out by hand in the tests that use it. All scenarios
together form one project (several councils) that every engine runs."""

from __future__ import annotations

from builder import event, service

YEAR_2023 = ("2023-04-01", "2024-03-31", "2024-04-20")
YEAR_2024 = ("2024-04-01", "2025-03-31", "2025-04-20")
OLD = "1940-06-15"
ST_MAX = "Short term support: ST-Max"
COMMUNITY = "Long term support: Community"
RESIDENTIAL = "Long term support: Residential care"
NURSING = "Long term support: Nursing care"


def stmax(person, start, end, outcome, **values):
    return service(
        person, ST_MAX, start, end, Service_Component="Reablement", Event_Outcome=outcome, **values
    )


def reablement() -> list[tuple]:
    """ASCOF 2A, Hartlepool (111), 2024/25: numerator 3 (people 1, 5, 7), denominator 4
    (1, 2, 5, 7); 18-64: 0 of 1 (person 2); 65+: 3 of 3."""
    rows = [
        stmax("1", "2024-05-10", "2024-06-20", "NFA: Support ended as planned"),
        stmax(
            "2",
            "2024-07-01",
            "2024-07-20",
            "Continuation of support or services",
            Date_of_Birth="1970-03-01",
        ),
        stmax(
            "2",
            "2024-07-25",
            "2024-08-10",
            "NFA: Support ended as planned",
            Date_of_Birth="1970-03-01",
        ),
        service("2", COMMUNITY, "2024-08-12", Date_of_Birth="1970-03-01"),
        service("3", COMMUNITY, "2024-01-01", "2024-08-01"),
        stmax("3", "2024-09-01", "2024-09-30", "NFA: Support ended as planned"),
        stmax("4", "2024-10-01", "2024-10-31", "Admitted to hospital"),
        stmax("5", "2024-11-01", "2024-11-20", "Progress to support planning or services"),
        event(
            "5",
            "Review",
            "2024-11-05",
            "2024-11-15",
            Review_Reason="Unplanned: Other reason",
            Event_Outcome="NFA: Information and advice or signposting",
        ),
        stmax("6", "2025-03-20", None, "Continuation of support or services"),
        stmax("7", "2024-12-01", "2024-12-15", "Progress to assessment, review or reassessment"),
        service(
            "7",
            "Short term support: Ongoing low level",
            "2024-12-02",
            "2024-12-10",
            Service_Component="Equipment",
        ),
        stmax("8", "2025-01-05", "2025-01-20", "Continuation of support or services"),
        event(
            "8",
            "Request",
            "2025-01-22",
            "2025-01-23",
            Event_Outcome="NFA: Support declined",
            Request_Route_of_Access="Community or other route",
        ),
        stmax(
            "9",
            "2025-02-01",
            "2025-02-20",
            "NFA: Support ended as planned",
            Date_of_Death="2025-02-25",
        ),
    ]
    old = [service("3", COMMUNITY, "2024-01-01")]
    return [(*YEAR_2023, old), (*YEAR_2024, rows)]


def admissions() -> list[tuple]:
    """ASCOF 2B/2C, Middlesbrough (112), 2024/25: 2B 1 person (2), 2C 3 people (1, 4, 7)."""

    def home(person, start, end=None, kind=RESIDENTIAL, **values):
        component = "Long term nursing care" if kind == NURSING else "Long term residential care"
        values.setdefault("Service_Component", component)
        return service(person, kind, start, end, **values)

    rows = [
        home("1", "2024-06-01"),
        home("2", "2024-09-01", kind=NURSING, Date_of_Birth="1975-01-10"),
        home("3", "2023-05-01", "2023-12-31"),
        home("3", "2024-10-01"),
        home("4", "2024-08-01"),
        home(
            "5",
            "2024-07-01",
            "2024-08-01",
            Event_Outcome="NFA: Self-funded client or under 12wk disregard",
        ),
        home("6", "2024-07-15", "2024-08-15", Service_Component="Short term residential care"),
        home("7", "2024-05-01"),
        home("7", "2024-11-01"),
    ]
    old = [home("3", "2023-05-01", "2023-12-31"), home("4", "2023-01-01", "2023-06-30")]
    return [(*YEAR_2023, old), (*YEAR_2024, rows)]


def settings() -> list[tuple]:
    """ASCOF 2E and 3D, Redcar and Cleveland (113), 2024/25: 2E(2a) 1 of 3, 2E(1) 1 of 2,
    2E(2b) 2 of 3; 3D(1a) 2 of 3, 3D(2a) 1 of 3."""
    ld = "Learning Disability Support"
    rows = [
        service(
            "1",
            COMMUNITY,
            "2023-06-01",
            Date_of_Birth="1950-02-01",
            Delivery_Mechanism="Direct payment",
        ),
        service(
            "2",
            COMMUNITY,
            "2023-06-01",
            Date_of_Birth="1980-02-01",
            Accommodation_Status="",
            Primary_Support_Reason=ld,
            Delivery_Mechanism="CASSR commissioned support",
        ),
        service(
            "3",
            RESIDENTIAL,
            "2024-02-01",
            Date_of_Birth="1985-02-01",
            Service_Component="Long term residential care",
            Accommodation_Status="Registered care home",
            Primary_Support_Reason=ld,
        ),
        service(
            "4",
            COMMUNITY,
            "2024-04-01",
            "2024-09-30",
            Date_of_Birth="1945-02-01",
            Accommodation_Status="Tenant: Private landlord",
            Delivery_Mechanism="CASSR managed personal budget",
        ),
        service(
            "5",
            COMMUNITY,
            "2023-09-01",
            Date_of_Birth="1990-02-01",
            Accommodation_Status="Rough sleeper or squatting",
            Delivery_Mechanism="CASSR managed personal budget",
        ),
        service(
            "6",
            COMMUNITY,
            "2023-09-01",
            Service_Component="Direct payment",
            Accommodation_Status="Registered nursing home",
        ),
        service(
            "6",
            NURSING,
            "2024-06-01",
            Service_Component="Long term nursing care",
            Accommodation_Status="Registered nursing home",
        ),
    ]
    old = [service("7", COMMUNITY, "2023-05-01", "2024-01-15", Date_of_Death="2024-01-15")]
    return [(*YEAR_2023, old), (*YEAR_2024, rows)]


def local() -> list[tuple]:
    """Local measures, Stockton-on-Tees (114), Q3 2024/25: lts_people 4, reviewed 1 (25%);
    requests_new_clients 5; request to service: 4 served, median 15 days (7, 10, 20, 30)."""
    young = {"Date_of_Birth": "2010-01-01"}
    rows = [
        service("1", COMMUNITY, "2024-01-01"),
        service("2", RESIDENTIAL, "2024-06-01", Service_Component="Long term residential care"),
        service("3", COMMUNITY, "2024-04-01", **young),
        service("4", COMMUNITY, "2024-04-01", "2024-11-30"),
        service("5", COMMUNITY, "2024-04-01", Date_of_Death="2024-12-20"),
        event("6", "Request", "2024-10-05", "2024-10-06"),
        stmax("6", "2024-10-15", "2024-11-10", "NFA: Support ended as planned"),
        event("7", "Request", "2024-11-01", "2024-11-01"),
        service("7", "Short term support: Other short term", "2024-12-01", "2024-12-05"),
        stmax("7", "2024-11-21", "2024-11-30", "NFA: Support ended as planned"),
        event("8", "Request", "2024-12-10", "2024-12-12"),
        event("1", "Request", "2024-10-20", "2024-10-21"),
        event("9", "Request", "2024-10-20", "2024-10-21", Client_Type="Unpaid carer"),
        event("10", "Request", "2024-11-15", "2024-11-15"),
        service("10", COMMUNITY, "2024-11-22", "2025-01-31"),
        event("11", "Request", "2024-12-01", "2024-12-02"),
        service("11", COMMUNITY, "2024-12-31", "2025-02-01"),
    ]
    old = [
        service("1", COMMUNITY, "2024-01-01"),
        event("1", "Review", "2024-02-20", "2024-03-01", Review_Reason="Planned"),
    ]
    return [(*YEAR_2023, old), (*YEAR_2024, rows)]


def hospital() -> list[tuple]:
    """ASCOF 2D, Durham (116), 2024/25: 2D(2) 3 of 5 discharges went into reablement (people
    1, 2, 6); 2D(1) 1 of those 3 stayed in the community for 84 days (person 1). See
    DISCHARGES."""
    rows = [
        stmax("1", "2024-06-03", "2024-06-30", "NFA: Support ended as planned"),
        stmax("2", "2024-07-02", "2024-07-30", "NFA: Support ended as planned"),
        stmax("5", "2024-10-20", "2024-11-10", "NFA: Support ended as planned"),
        stmax("6", "2024-10-30", "2024-11-20", "NFA: Support ended as planned"),
        service("6", RESIDENTIAL, "2024-12-15", Service_Component="Long term residential care"),
    ]
    return [(*YEAR_2023, [service("9", COMMUNITY, "2023-05-01")]), (*YEAR_2024, rows)]


# Council, NHS number, discharged, age, emergency readmission.
DISCHARGES = [
    ("116", "9000000001", "2024-06-01", "80", ""),
    ("116", "9000000002", "2024-07-01", "82", "2024-08-15"),
    ("116", "9000000003", "2024-08-01", "79", ""),
    ("116", "9000000004", "2024-09-01", "60", ""),
    ("116", "9000000005", "2024-10-01", "85", ""),
    ("116", "9000000006", "2024-11-01", "90", ""),
]

SCENARIOS = {
    "111": reablement,
    "112": admissions,
    "113": settings,
    "114": local,
    "116": hospital,
}
