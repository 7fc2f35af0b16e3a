"""Each person's latest details, as the ASCOF measures take them: one date of birth, date of
death, accommodation status and primary support reason per person.

The rule (DHSC's person-details table, summarised in `RESEARCH.md` §1.4): among a person's
records, known values before unknown ones, then the latest reference period, then the latest end
date (a record still open first), then the latest start; if the records ranked first disagree,
the value is "Unknown". Date of birth: the earliest of the latest reference period's records; date
of death: the latest. A person whose accommodation is unknown is placed by their latest service:
a care home, Shared Lives, extra care, supported living, or, for community support at home,
"Unknown: presumed at home" (counted as settled); other community support is "Unknown: presumed
in community".
"""

from __future__ import annotations

import polars as pl

from . import labels as L

OPEN = 99_999_999  # the rank of a record with no end date: before every dated one
UNKNOWN = "Unknown"
NOT_KNOWN = (UNKNOWN, L.INVALID, "Social support: Support to unpaid carer")

PLACED_BY = (
    "Shared Lives",
    "Community supported living",
    "Extra care housing",
    "Home support or domiciliary care",
)


def proxy_birth(dob: pl.Expr) -> pl.Expr:
    """The first day of the birth month, as whole days (the method knows month and year only)."""
    return dob.cast(pl.Date).dt.truncate("1mo").cast(pl.Int64)


def age_at(proxy: pl.Expr, when: pl.Expr) -> pl.Expr:
    """Whole years from the proxy date of birth: floor(days / 365.25)."""
    return ((when - proxy) / 365.25).floor().cast(pl.Int64)


def _latest(view: pl.DataFrame, column: str) -> pl.DataFrame:
    """`person, <column>`: the latest known value, "Unknown" where the first-ranked records
    disagree or nothing is known."""
    value = (
        pl.when(pl.col(column).is_in(NOT_KNOWN) | pl.col(column).is_null())
        .then(pl.lit(UNKNOWN))
        .otherwise(pl.col(column))
    )
    ranked = view.select(
        "person",
        "ref_end",
        "start",
        value.alias("value"),
        (value != UNKNOWN).cast(pl.Int8).alias("known"),
        pl.col("end").fill_null(OPEN).alias("rank_end"),
    )
    keys = ["known", "ref_end", "rank_end", "start"]
    top = ranked
    for k in keys:  # rows ranked first: the max of each key in turn
        top = top.filter(pl.col(k) == pl.col(k).max().over("person"))
    return top.group_by("person").agg(
        pl.when(pl.col("value").n_unique() > 1)
        .then(pl.lit(UNKNOWN))
        .otherwise(pl.col("value").first())
        .alias(column)
    )


def _placed_by_services(view: pl.DataFrame) -> pl.DataFrame:
    """`person, placed`: where a person of unknown accommodation is taken to live, from their
    latest service records."""
    services = view.filter(pl.col("etype") == L.SERVICE).select(
        "person",
        "start",
        "service",
        "component",
        pl.col("end").fill_null(OPEN).alias("rank_end"),
        pl.col("service")
        .replace_strict(L.SERVICE_RANK, default=99, return_dtype=pl.Int64)
        .alias("hier"),
        pl.col("component").is_in(PLACED_BY).fill_null(False).cast(pl.Int8).alias("placeable"),
    )
    top = services.filter(pl.col("rank_end") == pl.col("rank_end").max().over("person"))
    top = top.filter(pl.col("hier") == pl.col("hier").min().over("person"))
    top = top.filter(pl.col("placeable") == pl.col("placeable").max().over("person"))
    top = top.filter(pl.col("start") == pl.col("start").max().over("person"))
    useful_type = pl.when(pl.col("hier") < 99).then(pl.col("service"))
    useful_component = pl.when(pl.col("placeable") == 1).then(pl.col("component"))
    one = top.group_by("person").agg(
        pl.when(useful_type.drop_nulls().n_unique() == 1)
        .then(useful_type.drop_nulls().first())
        .alias("service"),
        pl.when(useful_component.drop_nulls().n_unique() == 1)
        .then(useful_component.drop_nulls().first())
        .alias("component"),
    )
    service, component = pl.col("service"), pl.col("component")
    placed = (
        pl.when(service == "Long term support: Nursing care")
        .then(pl.lit("Registered nursing home"))
        .when(service == "Long term support: Residential care")
        .then(pl.lit("Registered care home"))
        .when(component == "Shared Lives")
        .then(pl.lit("Shared Lives scheme"))
        .when(component == "Extra care housing")
        .then(pl.lit(L.ACCOMMODATION[7]))
        .when(component == "Community supported living")
        .then(pl.lit(L.ACCOMMODATION[4]))
        .when(
            (service == "Long term support: Community")
            & (component == "Home support or domiciliary care")
        )
        .then(pl.lit("Unknown: presumed at home"))
        .when((service == "Long term support: Community") & component.is_null())
        .then(pl.lit("Unknown: presumed in community"))
        .when(service == "Long term support: Prison")
        .then(pl.lit(L.ACCOMMODATION[17]))
        .otherwise(pl.lit(UNKNOWN))
    )
    return one.select("person", placed.alias("placed"))


def _birth_and_death(view: pl.DataFrame) -> pl.DataFrame:
    latest = view.filter(pl.col("ref_end") == pl.col("ref_end").max().over("person"))
    birth = latest.group_by("person").agg(proxy_birth(pl.col("dob")).min().alias("birth"))
    deaths = view.filter(pl.col("dod").is_not_null())
    deaths = deaths.filter(pl.col("ref_end") == pl.col("ref_end").max().over("person"))
    death = deaths.group_by("person").agg(pl.col("dod").max().alias("dod"))
    return birth.join(death, on="person", how="left")


def person_details(view: pl.DataFrame) -> pl.DataFrame:
    """`person, birth (proxy, days), dod, accommodation, settled, support`."""
    accommodation = _latest(view, "accommodation").join(
        _placed_by_services(view), on="person", how="left"
    )
    accommodation = accommodation.with_columns(
        accommodation=pl.when(pl.col("accommodation") == UNKNOWN)
        .then(pl.col("placed").fill_null(UNKNOWN))
        .otherwise(pl.col("accommodation"))
    ).drop("placed")
    return (
        _birth_and_death(view)
        .join(accommodation, on="person", how="left")
        .join(_latest(view, "support"), on="person", how="left")
        .with_columns(settled=pl.col("accommodation").is_in(list(L.SETTLED)))
        .sort("person")
    )
