"""Structural checks of the rows read from CLD submissions, and the typed table they become.

`structural_problems` looks at `cld_raw` (every field as text) and returns a `Problem` for each
value a person must put right before anything is loaded: dates and numbers that cannot be read,
event types that are not one of the four, council codes that are no council's, files holding
more than one council. `create_records` then types the rows into `cld_records`.
Codes are matched case-insensitively, ignoring spaces at the ends (`raw_key`).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from boardpack.errors import Problem

from .cld import DATE_FIX, SHOWN_PER_CHECK, Submission, fields

CARER_BY_ASSOCIATION = "('carer known by association', 'unpaid carer known by association')"


def raw_key(column: str) -> str:
    """The key a raw code is matched on: lower case, no spaces at the ends."""
    return f"lower(trim({column}))"


def trimmed(column: str) -> str:
    """The text without spaces at the ends, NULL when blank. Most values have none, so trim
    (which copies the text) runs only on those that start or end with a space: half the cost
    of typing the text columns."""
    return (
        f"CASE WHEN {column} = '' OR {column} LIKE ' %' OR {column} LIKE '% ' "
        f"THEN NULLIF(trim({column}), '') ELSE {column} END"
    )


def parsed_date(column: str) -> str:
    """ISO dates, or DD/MM/YYYY as spreadsheets write them; NULL when neither. Each value is
    parsed once, by the form it has."""
    text = trimmed(column)
    return (
        f"CASE WHEN {text} LIKE '____-__-__' THEN TRY_CAST({text} AS DATE) "
        f"WHEN {text} LIKE '%/%' THEN TRY_CAST(TRY_STRPTIME({text}, '%d/%m/%Y') AS DATE) "
        f"ELSE TRY_CAST(TRY_STRPTIME({text}, '%Y-%m-%d %H:%M:%S') AS DATE) END"
    )


def parsed_number(column: str) -> str:
    """A number with any £ sign and thousands separators removed."""
    return f"TRY_CAST(replace(replace({trimmed(column)}, '£', ''), ',', '') AS DOUBLE)"


def _blank(column: str) -> str:
    return f"({trimmed(column)}) IS NULL"


def _checks() -> list[tuple[str, str, str, str]]:
    """(field, condition on a cld_raw row that is a fault, what, fix)."""
    checks = []
    for field in fields():
        column = f'"{field.name}"'
        if field.type == "date":
            bad = f"NOT {_blank(column)} AND {parsed_date(column)} IS NULL"
            checks.append((field.name, bad, "is not a date", DATE_FIX))
        elif field.type == "number":
            bad = f"NOT {_blank(column)} AND {parsed_number(column)} IS NULL"
            checks.append((field.name, bad, "is not a number", "write a number such as 152.40"))
    event, client, la = '"Event_Type"', '"Client_Type"', '"LA_Code"'
    unknown = (
        f"(({_blank(event)} AND {raw_key(client)} NOT IN {CARER_BY_ASSOCIATION}) "
        f"OR (NOT {_blank(event)} AND {raw_key(event)} NOT IN "
        "(SELECT raw_key FROM value_map WHERE field = 'Event_Type')))"
    )
    checks.append(
        (
            "Event_Type",
            unknown,
            "is not an event type",
            "write Request, Assessment, Service or Review",
        )
    )
    council = f"upper(trim({la})) NOT IN (SELECT code FROM la_codes) OR {_blank(la)}"
    checks.append(
        ("LA_Code", council, "is not a council's code", "write the three-digit CASSR or ONS code")
    )
    return checks


def structural_problems(
    con: duckdb.DuckDBPyConnection, submissions: Sequence[Submission]
) -> list[Problem]:
    """Every structural fault in `cld_raw`, at most SHOWN_PER_CHECK rows listed per field and
    file, then one problem counting the rest; and files that mix councils."""
    shown = {number: s.shown for number, s in enumerate(submissions, start=1)}
    problems: list[Problem] = []
    for field, condition, what, fix in _failing(con, _checks()):
        rows = con.execute(
            f"""SELECT submission_id, row_number, "{field}", count(*) OVER (PARTITION BY submission_id)
            FROM cld_raw WHERE {condition}
            QUALIFY row_number() OVER (PARTITION BY submission_id ORDER BY row_number) <= ?
            ORDER BY submission_id, row_number""",
            [SHOWN_PER_CHECK],
        ).fetchall()
        problems.extend(_listed(rows, shown, field, what, fix))
    problems.extend(_mixed_councils(con, shown))
    return problems


def _failing(con: duckdb.DuckDBPyConnection, checks: list[tuple]) -> list[tuple]:
    """The checks some row fails, found in one pass over `cld_raw` (each is then listed)."""
    counts = ", ".join(f"count(*) FILTER (WHERE {condition})" for _, condition, _, _ in checks)
    found = con.execute(f"SELECT {counts} FROM cld_raw").fetchone()
    return [check for check, count in zip(checks, found, strict=True) if count]


def _listed(rows, shown, field, what, fix) -> list[Problem]:
    problems = []
    for number, (submission, row, value, total) in enumerate(rows):
        problems.append(
            Problem(file=shown[submission], row=row, column=field, value=value, what=what, fix=fix)
        )
        last_of_file = number + 1 == len(rows) or rows[number + 1][0] != submission
        if last_of_file and total > SHOWN_PER_CHECK:
            more = total - SHOWN_PER_CHECK
            problems.append(
                Problem(
                    file=shown[submission], column=field, what=f"and {more} more rows like these"
                )
            )
    return problems


def _mixed_councils(con: duckdb.DuckDBPyConnection, shown: dict[int, str]) -> list[Problem]:
    rows = con.execute(
        """SELECT r.submission_id, string_agg(DISTINCT c.organisation, ', ' ORDER BY c.organisation)
        FROM cld_raw r JOIN la_codes c ON c.code = upper(trim(r."LA_Code"))
        GROUP BY r.submission_id HAVING count(DISTINCT c.organisation) > 1"""
    ).fetchall()
    return [
        Problem(
            file=shown[number],
            column="LA_Code",
            value=councils,
            what="holds more than one council's records",
            fix="send one file per council",
        )
        for number, councils in rows
    ]


def create_records(con: duckdb.DuckDBPyConnection) -> None:
    """`cld_records`: one typed row per submitted row. Coded fields keep the value as written
    (the method maps them); `event_type` is the specification's word, `organisation` the
    council's ONS code, `birth_month_start` the 1st of the birth month (the method's proxy
    date of birth) and `record_id` a key that is larger for later submissions."""
    columns = []
    for field in fields():
        column = f'r."{field.name}"'
        name = field.name.lower()
        if field.type == "date":
            columns.append(f"{parsed_date(column)} AS {name}")
        elif field.type == "number":
            columns.append(f"{parsed_number(column)} AS {name}")
        elif field.name != "Event_Type":
            columns.append(f"{trimmed(column)} AS {name}")
    dob = parsed_date('r."Date_of_Birth"')
    con.execute(
        f"""CREATE TABLE cld_records AS
        SELECT CAST(r.submission_id AS BIGINT) * 1000000000 + r.row_number AS record_id,
               r.submission_id, r.row_number, c.organisation,
               e.cleaned AS event_type,
               CAST(date_trunc('month', {dob}) AS DATE) AS birth_month_start,
               {", ".join(columns)}
        FROM cld_raw r
        JOIN la_codes c ON c.code = upper(trim(r."LA_Code"))
        LEFT JOIN value_map e ON e.field = 'Event_Type' AND e.raw_key = {raw_key('r."Event_Type"')}"""
    )
