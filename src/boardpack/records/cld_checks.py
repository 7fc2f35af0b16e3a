"""Structural checks of the rows read from CLD submissions, and the typed table they become.

`type_records` types the rows of `cld_text` (every field as text, read from the files) into
`cld_records` in one pass, checking them as it goes: a value a person must put right before
anything is loaded (a date or number that cannot be read, an event type that is not one of the
four, a council code that is no council's) stops the typing, and so does a file holding more
than one council or no rows. Only then are the rows kept as text (`cld_raw`) and read again by
`structural_problems`, which returns a `Problem` for each fault with its file, row and value.
Codes are matched case-insensitively, ignoring spaces at the ends (`raw_key`).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from boardpack.errors import BoardpackError, Problem

from .cld import DATE_FIX, SHOWN_PER_CHECK, Submission, fields, keep_text

CARER_BY_ASSOCIATION = "('carer known by association', 'unpaid carer known by association')"
#: What a row failing a structural check raises while it is typed (DuckDB's `error()`).
FAULT = "structural fault"


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


def type_records(con: duckdb.DuckDBPyConnection, submissions: Sequence[Submission]) -> None:
    """`cld_records` from `cld_text`, read once; BoardpackError listing every structural fault
    (`structural_problems`, then files with no rows) when there is one."""
    failure = None
    try:
        create_records(con)
        if _whole(con, len(submissions)):
            return
    except duckdb.Error as error:  # a fault met while typing, or a file DuckDB cannot read
        failure = error
    con.execute("DROP TABLE IF EXISTS cld_records")
    keep_text(con)
    problems = structural_problems(con, submissions) + _empty_files(con, submissions)
    if problems:
        raise BoardpackError(problems)
    if failure is not None:
        raise failure
    raise RuntimeError("cld_records: a file mixes councils or has no rows, yet none is listed")


def _whole(con: duckdb.DuckDBPyConnection, files: int) -> bool:
    """Every file has rows, each of one council."""
    found = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE councils > 1) FROM (SELECT submission_id, "
        "count(DISTINCT organisation) AS councils FROM cld_records GROUP BY submission_id)"
    ).fetchone()
    return found == (files, 0)


def _empty_files(con: duckdb.DuckDBPyConnection, submissions: Sequence[Submission]) -> list:
    counted = dict(con.execute("SELECT submission_id, count(*) FROM cld_raw GROUP BY 1").fetchall())
    return [
        Problem(file=s.shown, what="has no rows of records", fix="check it is the right file")
        for number, s in enumerate(submissions, start=1)
        if not counted.get(number)
    ]


def _checked(column: str, typed: str, field: str) -> str:
    """The typed value; a value written but not read (typed NULL) stops the typing."""
    return f"coalesce({typed}, CASE WHEN NOT {_blank(column)} THEN error('{FAULT}: {field}') END)"


def create_records(con: duckdb.DuckDBPyConnection) -> None:
    """`cld_records`: one typed row per submitted row, read from `cld_text` in one pass that
    stops (a DuckDB error) at the first row failing a check of `_checks`. Coded fields keep the
    value as written (the method maps them); `event_type` is the specification's word,
    `organisation` the council's ONS code, `birth_month_start` the 1st of the birth month (the
    method's proxy date of birth) and `record_id` a key that is larger for later submissions.

    Council and event type are looked up in maps made once from `la_codes` and `value_map`,
    not joined: with a join DuckDB writes the table from each thread unordered and merges it
    when the database is closed, a third of the load's time at 1M rows."""
    columns = []
    for field in fields():
        column = f'r."{field.name}"'
        name = field.name.lower()
        if field.type == "date":
            columns.append(f"{_checked(column, parsed_date(column), field.name)} AS {name}")
        elif field.type == "number":
            columns.append(f"{_checked(column, parsed_number(column), field.name)} AS {name}")
        elif field.name != "Event_Type":
            columns.append(f"{trimmed(column)} AS {name}")
    dob = parsed_date('r."Date_of_Birth"')
    event, client, la = 'r."Event_Type"', 'r."Client_Type"', 'r."LA_Code"'
    code, event_key = f"upper(trim({la}))", raw_key(event)
    # As `_checks` words them: the council code must be one (every code has a council), and an
    # event type must be known, or blank only for a carer known by association.
    organisation = (
        f"CASE WHEN {_blank(la)} THEN error('{FAULT}: LA_Code') "
        f"ELSE coalesce(m.councils[{code}], error('{FAULT}: LA_Code')) END"
    )
    event_type = (
        f"CASE WHEN {_blank(event)} THEN CASE WHEN {raw_key(client)} NOT IN "
        f"{CARER_BY_ASSOCIATION} THEN error('{FAULT}: Event_Type') END "
        f"WHEN map_contains(m.events, {event_key}) THEN m.events[{event_key}] "
        f"ELSE error('{FAULT}: Event_Type') END"
    )
    con.execute(
        f"""CREATE TABLE cld_records AS
        SELECT CAST(r.submission_id AS BIGINT) * 1000000000 + r.row_number AS record_id,
               r.submission_id, r.row_number, {organisation} AS organisation,
               {event_type} AS event_type,
               CAST(date_trunc('month', {dob}) AS DATE) AS birth_month_start,
               {", ".join(columns)}
        FROM cld_text r CROSS JOIN (
            SELECT (SELECT map(list(code), list(organisation)) FROM la_codes) AS councils,
                   (SELECT map(list(raw_key), list(cleaned)) FROM value_map
                    WHERE field = 'Event_Type' AND raw_key IS NOT NULL) AS events) m"""
    )
