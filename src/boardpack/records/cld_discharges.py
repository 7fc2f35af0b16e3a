"""Hospital discharges for ASCOF 2D: a CSV the council gets from its NHS partners (SUS),
one row per discharge of a person aged 65 or over, already restricted as the ASCOF 2D method
says (last episode of the spell, the admission methods, destinations and treatment functions
the measure counts).

Columns (names matched like the CLD fields): `LA_Code`, `NHS_Number`, `Discharge_Date`,
`Age_At_Discharge`; optional `Admission_Date`, `Emergency_Readmission_Date` (the first
emergency readmission after the discharge) and `Date_of_Death`. Read into `hospital_discharges`
(`discharge_id, organisation, nhs_number, admission_date, discharge_date, age, readmission_date,
date_of_death`), every fault a `Problem` with row, column and value.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from boardpack.errors import BoardpackError, Problem

from .cld import DATE_FIX, SHOWN_PER_CHECK, header_key
from .cld_checks import parsed_date

REQUIRED = ("LA_Code", "NHS_Number", "Discharge_Date", "Age_At_Discharge")
OPTIONAL = ("Admission_Date", "Emergency_Readmission_Date", "Date_of_Death")
DATES = ("Admission_Date", "Discharge_Date", "Emergency_Readmission_Date", "Date_of_Death")


def read_discharges(con: duckdb.DuckDBPyConnection, path: Path, shown: str) -> None:
    """`hospital_discharges` from the file; BoardpackError for what a person must fix."""
    if not path.exists():
        raise BoardpackError(
            Problem(
                file=shown,
                field="records.discharges",
                what="no such file",
                fix="check the path in boardpack.yaml",
            )
        )
    quoted = str(path).replace("'", "''")
    source = f"read_csv('{quoted}', header = true, all_varchar = true)"
    header = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    written = {header_key(name): name for name in header}
    missing = [n for n in REQUIRED if header_key(n) not in written]
    if missing:
        raise BoardpackError(
            Problem(file=shown, row=1, column=n, what="required column is missing", fix="add it")
            for n in missing
        )
    columns = [
        f'"{written[header_key(n)]}" AS {n}' if header_key(n) in written else f"NULL AS {n}"
        for n in (*REQUIRED, *OPTIONAL)
    ]
    con.execute(
        f"CREATE TEMP TABLE discharges_raw AS SELECT row_number() OVER () + 1 AS row_number, "
        f"{', '.join(columns)} FROM {source}"
    )
    problems = _problems(con, shown)
    if problems:
        raise BoardpackError(problems)
    con.execute(
        f"""CREATE TABLE hospital_discharges AS
        SELECT d.row_number AS discharge_id, c.organisation, NULLIF(replace(trim(d.NHS_Number), ' ', ''), '') AS nhs_number,
               {parsed_date("d.Admission_Date")} AS admission_date,
               {parsed_date("d.Discharge_Date")} AS discharge_date,
               CAST(trim(d.Age_At_Discharge) AS INTEGER) AS age,
               {parsed_date("d.Emergency_Readmission_Date")} AS readmission_date,
               {parsed_date("d.Date_of_Death")} AS date_of_death
        FROM discharges_raw d JOIN la_codes c ON c.code = upper(trim(d.LA_Code))"""
    )


def _problems(con: duckdb.DuckDBPyConnection, shown: str) -> list[Problem]:
    checks = [
        (
            n,
            f"NULLIF(trim({n}), '') IS NOT NULL AND {parsed_date(n)} IS NULL",
            "is not a date",
            DATE_FIX,
        )
        for n in DATES
    ]
    checks.append(
        (
            "Discharge_Date",
            "NULLIF(trim(Discharge_Date), '') IS NULL",
            "is blank",
            "give the date of discharge",
        )
    )
    checks.append(
        (
            "Age_At_Discharge",
            "TRY_CAST(trim(Age_At_Discharge) AS INTEGER) IS NULL",
            "is not a whole number of years",
            "write the age, e.g. 81",
        )
    )
    checks.append(
        (
            "LA_Code",
            "upper(trim(LA_Code)) NOT IN (SELECT code FROM la_codes)",
            "is not a council's code",
            "write the three-digit CASSR or ONS code",
        )
    )
    problems = []
    for column, condition, what, fix in checks:
        rows = con.execute(
            f"SELECT row_number, {column} FROM discharges_raw WHERE {condition} "
            f"ORDER BY row_number LIMIT {SHOWN_PER_CHECK}"
        ).fetchall()
        problems += [
            Problem(file=shown, row=row, column=column, value=value, what=what, fix=fix)
            for row, value in rows
        ]
    return problems
