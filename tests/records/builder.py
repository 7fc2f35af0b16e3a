"""Hand-made Client Level Data submissions for the tests: each test lists its people's events
and writes them as the national return would, one CSV per council per submission."""

from __future__ import annotations

import csv
from pathlib import Path

from boardpack.records.cld import fields

COUNCIL = "111"  # Hartlepool's CASSR code; ONS E06000001
ORGANISATION = "E06000001"
PERSON = {
    "Gender": "Female",
    "Ethnicity": "White: Irish",
    "Date_of_Birth": "1940-06-15",
    "Client_Type": "Service user",
    "Primary_Support_Reason": "Physical support: Personal care support",
    "Accommodation_Status": "Owner occupier or shared ownership scheme",
    "Has_Unpaid_Carer": "No",
    "Postcode": "TS24 7AA",
}


def event(person: str, kind: str, start: str, end: str | None = None, **values: str) -> dict:
    """One row: person (used as both NHS number and LA identifier unless given), event type,
    dates; any other field by its national name."""
    row = {**PERSON, "NHS_Number": f"9{int(person):09d}" if person.isdigit() else person}
    row |= {"LA_Person_Unique_Identifier": f"P{person}", "Event_Type": kind}
    row |= {"Event_Start_Date": start, "Event_End_Date": end or ""}
    row.update(values)
    return row


def service(person: str, service_type: str, start: str, end: str | None = None, **values) -> dict:
    component = values.pop("Service_Component", "Home support or domiciliary care")
    return event(
        person,
        "Service",
        start,
        end,
        Service_Type=service_type,
        Service_Component=component,
        Event_Outcome=values.pop("Event_Outcome", ""),
        **values,
    )


def write_submission(
    folder: Path, start: str, end: str, submitted: str, rows: list[dict], council: str = COUNCIL
) -> Path:
    """`<council>_<end>_<submitted>.csv` with every field of the specification."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{council}_{end}_{submitted}.csv"
    names = [f.name for f in fields()]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=names, extrasaction="raise")
        writer.writeheader()
        for row in rows:
            full = dict.fromkeys(names, "")
            full |= {
                "LA_Code": council,
                "Reporting_Period_Start_Date": start,
                "Reporting_Period_End_Date": end,
            }
            full.update(row)
            writer.writerow(full)
    return path


def write_project(folder: Path, extra: str = "") -> Path:
    (folder / "boardpack.yaml").write_text(
        "organisation:\n  code: E06000001\n  name: Hartlepool\n"
        "records:\n  files:\n    - records/*.csv\n" + extra,
        encoding="utf-8",
    )
    return folder
