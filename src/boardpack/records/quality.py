"""The data-quality report: the faults the method tolerates, counted per submission.

One row per submission, check and field (and value, for invalid codes):
`file, organisation, submitted, check, field, value, rows, of_rows, percent`.

Checks: `completeness` (rows with the field filled, of the rows it applies to), `invalid_code`
(rows whose value is in no mapping, so the method reads it as "Invalid and not mapped"),
`invalid_value` (each such value and its count), `open_service` (services with no end date),
`end_before_start`, `duplicate` (rows repeating an earlier row's unique-event fields),
`after_death` (events starting after the date of death), `no_person_id` (neither NHS number nor
LA identifier: the method drops the row) and `ignored_column` (columns not in the
specification, not read).
"""

from __future__ import annotations

import duckdb
import polars as pl

from boardpack.records.cld import fields

COLUMNS = ["file", "organisation", "submitted", "check", "field", "value", "rows", "of_rows"]

#: The rows each field applies to (`applies_to` in cld_fields.csv), over the columns a row is
#: grouped by for the completeness counts: `event_type`, `client` (the client type in lower
#: case) and `ld_18_64` (`LEARNING_DISABILITY_18_64` of the row, false when unknown).
SERVICE_USER = "client IN ('service user')"
CARER = "client IN ('carer', 'unpaid carer')"
APPLIES = {
    "all": "TRUE",
    "not requests": "event_type IS DISTINCT FROM 'Request'",
    "requests": "event_type = 'Request'",
    "assessments": "event_type = 'Assessment'",
    "services": "event_type = 'Service'",
    "reviews": "event_type = 'Review'",
    "service users": SERVICE_USER,
    "carers": CARER,
    "services and reviews": f"{SERVICE_USER} AND event_type IN ('Service', 'Review')",
    "service users aged 18-64 with learning disability support": f"{SERVICE_USER} AND ld_18_64",
}
LEARNING_DISABILITY_18_64 = (
    "lower(primary_support_reason) LIKE 'learning disability%' "
    "AND date_diff('day', birth_month_start, reporting_period_end_date) / 365.25 BETWEEN 18 AND 65"
)
EVENT_KEY = """coalesce(nhs_number, la_person_unique_identifier), event_type, event_start_date,
    CASE WHEN event_type <> 'Service' THEN event_end_date END, client_type,
    CASE event_type WHEN 'Request' THEN request_route_of_access
        WHEN 'Assessment' THEN assessment_type
        WHEN 'Service' THEN service_type || '|' || coalesce(service_component, '') END"""
ROW_CHECKS = {
    "open_service": ("event_type = 'Service'", "event_end_date IS NULL"),
    "end_before_start": ("event_end_date IS NOT NULL", "event_end_date < event_start_date"),
    "after_death": ("date_of_death IS NOT NULL", "event_start_date > date_of_death"),
    "no_person_id": ("TRUE", "nhs_number IS NULL AND la_person_unique_identifier IS NULL"),
}


def create_quality(con: duckdb.DuckDBPyConnection) -> None:
    """`quality` in the records database, from `cld_records`, `submissions`, `value_map` and
    `ignored_columns`."""
    parts = [_completeness(con), _invalid(con), _row_checks(con), _duplicates(con), _ignored(con)]
    long = pl.concat([p for p in parts if p.height], how="vertical_relaxed")
    files = con.sql("SELECT submission_id, file, organisation, submitted FROM submissions").pl()
    report = (
        long.join(files, on="submission_id")
        .sort("submission_id", "check", "field", "value", nulls_last=False)
        .select(COLUMNS)
        .with_columns(pl.col("rows", "of_rows").cast(pl.Int64))
    )
    con.register("quality_frame", report)
    con.sql("CREATE TABLE quality AS SELECT * FROM quality_frame")
    con.unregister("quality_frame")


def _completeness(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Filled rows of each field, of the rows it applies to, per submission: the fields'
    filled values counted in one pass over `cld_records` grouped by what the scopes look at
    (a few hundred groups), the scopes then applied to the groups."""
    filled = ", ".join(f'count({f.name.lower()}) AS "filled {f.name}"' for f in fields())
    sums = []
    for field in fields():
        where = APPLIES[field.applies_to]
        sums.append(
            f'CAST(coalesce(sum(n) FILTER (WHERE {where}), 0) AS BIGINT) AS "{field.name}|of"'
        )
        sums.append(
            f'CAST(coalesce(sum("filled {field.name}") FILTER (WHERE {where}), 0) AS BIGINT) '
            f'AS "{field.name}|rows"'
        )
    wide = con.sql(
        f"""WITH groups AS (
            SELECT submission_id, event_type, lower(client_type) AS client,
                   coalesce({LEARNING_DISABILITY_18_64}, false) AS ld_18_64,
                   count(*) AS n, {filled}
            FROM cld_records GROUP BY ALL)
        SELECT submission_id, {", ".join(sums)} FROM groups GROUP BY submission_id"""
    ).pl()
    long = (
        wide.unpivot(index="submission_id", variable_name="key")
        .with_columns(pl.col("key").str.split_exact("|", 1).struct.rename_fields(["field", "part"]))
        .unnest("key")
    )
    counts = long.pivot("part", index=["submission_id", "field"], values="value")
    return counts.filter(pl.col("of") > 0).select(
        "submission_id",
        pl.lit("completeness").alias("check"),
        "field",
        pl.lit(None, pl.String).alias("value"),
        "rows",
        pl.col("of").alias("of_rows"),
    )


def _invalid(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    coded = [f for f in fields() if f.type == "code" and f.name != "Event_Type"]
    counts = " UNION ALL ".join(
        f"""SELECT submission_id, '{f.name}' AS field, {f.name.lower()} AS value, count(*) AS rows
        FROM cld_records WHERE {f.name.lower()} IS NOT NULL GROUP BY submission_id, value"""
        for f in coded
    )
    totals = con.sql(
        "SELECT submission_id, count(*) AS of_rows FROM cld_records GROUP BY submission_id"
    ).pl()
    values = con.sql(
        f"""SELECT c.* FROM ({counts}) c
        LEFT JOIN value_map m ON m.field = c.field AND m.raw_key = lower(trim(c.value))
        WHERE m.field IS NULL"""
    ).pl()
    each = values.join(totals, on="submission_id").with_columns(check=pl.lit("invalid_value"))
    by_field = (
        each.group_by("submission_id", "field")
        .agg(pl.col("rows").sum(), pl.col("of_rows").first())
        .with_columns(check=pl.lit("invalid_code"), value=pl.lit(None, pl.String))
    )
    columns = ["submission_id", "check", "field", "value", "rows", "of_rows"]
    return pl.concat([by_field.select(columns), each.select(columns)])


def _row_checks(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every row check counted in one pass over `cld_records`."""
    counts = ", ".join(
        f'count(*) FILTER (WHERE {fault}) AS "{check}|rows", '
        f'count(*) FILTER (WHERE {scope}) AS "{check}|of"'
        for check, (scope, fault) in ROW_CHECKS.items()
    )
    parts = " UNION ALL ".join(
        f"""SELECT submission_id, '{check}' AS "check", NULL AS field, NULL AS value,
        "{check}|rows" AS rows, "{check}|of" AS of_rows FROM counts"""
        for check in ROW_CHECKS
    )
    return con.sql(
        f"WITH counts AS MATERIALIZED (SELECT submission_id, {counts} FROM cld_records GROUP BY submission_id) "
        f"{parts}"
    ).pl()


def _duplicates(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return con.sql(
        f"""SELECT submission_id, 'duplicate' AS "check", NULL AS field, NULL AS value,
            sum(copies - 1) AS rows, sum(copies) AS of_rows
        FROM (SELECT submission_id, count(*) AS copies FROM cld_records
              GROUP BY submission_id, {EVENT_KEY})
        GROUP BY submission_id"""
    ).pl()


def _ignored(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return con.sql(
        """SELECT submission_id, 'ignored_column' AS "check", NULL AS field, "column" AS value,
            0 AS rows, 0 AS of_rows FROM ignored_columns"""
    ).pl()


def report(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The stored report, with `percent` (rows of of_rows, one decimal place)."""
    quoted = ", ".join(f'"{c}"' for c in COLUMNS)
    frame = con.sql(f"SELECT {quoted} FROM quality").pl()
    frame = frame.with_columns(pl.col("rows", "of_rows").cast(pl.Int64))
    percent = (pl.col("rows") * 100 / pl.col("of_rows")).round(1)
    return frame.with_columns(percent=pl.when(pl.col("of_rows") > 0).then(percent).otherwise(None))
