"""The expected measures of one council, worked out in polars from the method view of its true
events (`view`) and its people's latest details (`details`), definition by definition.

ASCOF 2A, 2B, 2C, 2E and 3D follow DHSC's 2024-25 definitions (`ASCOF_measures_README.md`,
summarised with their rules in `RESEARCH.md` §1.5); the local measures follow
`notes/records-contract.md`. Each function returns rows `measure, period, numerator,
denominator, value` for one council.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from math import floor
from statistics import median

import polars as pl

from . import labels as L
from .calendar import Quarter, day, year_label
from .details import age_at

FAR = day(date(9999, 1, 1))  # the method's end date for what has not ended
LONG_TERM = sorted(L.LONG_TERM)
CARE_HOMES = ["Long term support: Residential care", "Long term support: Nursing care"]
SHORT_SEQUELS = ["Short term support: Ongoing low level", "Short term support: Other short term"]
SEQUEL_RANK = L.SERVICE_RANK  # 2A: the service that follows reablement, highest first
# 2A outcomes counted as "no further request for ongoing support" (numerator and denominator).
REABLEMENT_SUCCESS = [
    "NFA: Information and advice or signposting",
    "NFA: Support ended as planned",
    "NFA: Responsibility moved to another local authority",
    "NFA: Other",
    "NFA: No services offered for other reason",
    "NFA: Support ended for other reason",
    "NFA: Referral to other service within the local authority",
]
OUTCOME_RANK = {label: rank for rank, label in enumerate(L.OUTCOMES, start=1)}
LEARNING_DISABILITY = L.SUPPORT_REASONS[L.LEARNING_DISABILITY]
PER_100K = 100_000


def rounded(numerator: int, denominator: int | None, per: int) -> float | None:
    """numerator / denominator x per to one decimal place, half away from zero; None when the
    denominator is 0 or unknown. Exact (no floating point before the rounding)."""
    if not denominator:
        return None
    scaled = Fraction(numerator * per, denominator) * 10
    return floor(scaled + Fraction(1, 2)) / 10


def _row(measure: str, period: str, numerator, denominator, per: int | None) -> dict:
    value = numerator if per is None else rounded(numerator, denominator, per)
    return {
        "measure": measure,
        "period": period,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
    }


def _services(view: pl.DataFrame, types: list[str]) -> pl.DataFrame:
    """Service records of service users of the given types, end not before start."""
    return view.filter(
        pl.col("etype") == L.SERVICE,
        pl.col("client_type") == L.CLIENT_TYPE,
        pl.col("service").is_in(types),
        pl.col("end").is_null() | (pl.col("end") >= pl.col("start")),
    )


def _count(frame: pl.DataFrame, condition: pl.Expr | bool = True) -> int:
    return frame.filter(condition).select(pl.col("person").n_unique()).item()


# -- local quarterly measures ---------------------------------------------------------------


def _with_support(view: pl.DataFrame, details: pl.DataFrame, on: int) -> pl.DataFrame:
    """People with long-term support open on day `on`, alive that day and 18 or over."""
    open_rows = _services(view, LONG_TERM).filter(
        pl.col("start") <= on, pl.col("end").is_null() | (pl.col("end") >= on)
    )
    people = open_rows.select("person").unique().join(details, on="person")
    alive = pl.col("dod").is_null() | (pl.col("dod") >= on)
    adult = age_at(pl.col("birth"), pl.lit(on)) >= 18
    return people.filter(alive, adult.fill_null(False)).select("person")


def local_measures(
    view: pl.DataFrame, details: pl.DataFrame, quarters: list[Quarter], window: int
) -> list[dict]:
    """`lts_people`, `lts_reviewed_12m`, `requests_new_clients`, `request_to_service_median_days`
    for each quarter; the 12-month review measure only where its 12 months are covered."""
    out = []
    reviews = view.filter(pl.col("etype") == L.REVIEW, pl.col("end").is_not_null())
    for quarter in quarters:
        people = _with_support(view, details, quarter.end)
        out.append(_row("lts_people", quarter.label, people.height, None, None))
        if quarter.end - 364 >= window:
            reviewed = reviews.filter(pl.col("end").is_between(quarter.end - 364, quarter.end))
            count = people.join(reviewed.select("person").unique(), on="person").height
            out.append(_row("lts_reviewed_12m", quarter.label, count, people.height, 100))
        out += _requests(view, quarter)
    return out


def _requests(view: pl.DataFrame, quarter: Quarter) -> list[dict]:
    requests = view.filter(
        pl.col("etype") == L.REQUEST,
        pl.col("client_type") == L.CLIENT_TYPE,
        pl.col("start").is_between(quarter.start, quarter.end),
    ).select("eid", "person", "start")
    support = _services(view, LONG_TERM).select(
        "person", pl.col("start").alias("s"), pl.col("end").alias("e")
    )
    existing = requests.join(support, on="person").filter(
        pl.col("s") <= pl.col("start"), pl.col("e").is_null() | (pl.col("e") >= pl.col("start"))
    )
    new = requests.join(existing.select("eid").unique(), on="eid", how="anti")
    services = view.filter(pl.col("etype") == L.SERVICE).select(
        "person", pl.col("start").alias("s")
    )
    waits = (
        new.join(services, on="person")
        .filter(pl.col("s").is_between(pl.col("start"), pl.col("start") + 365))
        .group_by("eid")
        .agg((pl.col("s").min() - pl.col("start").first()).alias("days"))
    )
    days = waits["days"].to_list()
    return [
        _row("requests_new_clients", quarter.label, new.height, None, None),
        {
            "measure": "request_to_service_median_days",
            "period": quarter.label,
            "numerator": len(days),
            "denominator": new.height,
            "value": _half_up(median(days)) if days else None,
        },
    ]


def _half_up(value: float) -> float:
    """A median (a whole or half number of days) to one decimal place."""
    return floor(Fraction(value) * 10 + Fraction(1, 2)) / 10


# -- ASCOF ----------------------------------------------------------------------------------


def ascof(view: pl.DataFrame, details: pl.DataFrame, population: tuple, year: int) -> list[dict]:
    """Every ASCOF measure for the financial year starting 1 April `year`."""
    first, last = day(date(year, 4, 1)), day(date(year + 1, 3, 31))
    period = year_label(year)
    return [
        *_reablement(view, details, first, last, period),
        *_admissions(view, details, first, last, period, population),
        *_settled(view, details, first, last, period),
        *_self_directed(view, details, last, period),
    ]


def _clusters(view: pl.DataFrame) -> pl.DataFrame:
    """2A: reablement (ST-Max) records grouped per person into episodes: a record starting more
    than 7 days after every earlier one has ended starts a new episode. Columns: person, start,
    end (9999-01-01 if open), outcome (of the record ending last; ties by the hierarchy)."""
    rows = _services(view, ["Short term support: ST-Max"]).with_columns(
        e=pl.col("end").fill_null(FAR),
        rank=pl.col("outcome").replace_strict(OUTCOME_RANK, default=999, return_dtype=pl.Int64),
    )
    rows = rows.sort("person", "start", "e", "rank", "eid").with_columns(
        before=pl.col("e").cum_max().shift(1).over("person")
    )
    rows = rows.with_columns(
        episode=(pl.col("before").is_null() | (pl.col("start") - pl.col("before") > 7))
        .cast(pl.Int32)
        .cum_sum()
        .over("person")
    )
    return (
        rows.sort(
            "person", "episode", pl.col("e"), pl.col("rank"), descending=[False, False, True, False]
        )
        .group_by("person", "episode", maintain_order=True)
        .agg(pl.col("start").min(), pl.col("e").max().alias("end"), pl.col("outcome").first())
    )


def _reablement(view, details, first, last, period) -> list[dict]:
    """2A: new clients' reablement episodes ending in the year, by what followed them."""
    episodes = (
        _clusters(view)
        .filter(pl.col("end").is_between(first, last))
        .join(details, on="person", how="left")
    )
    age = age_at(pl.col("birth"), pl.col("end"))
    episodes = episodes.with_columns(age=age).filter(
        pl.col("age").is_null() | (pl.col("age") >= 18),
        pl.col("dod").is_null() | (pl.col("dod") >= pl.col("start")),
    )
    support = _services(view, LONG_TERM).select(
        "person", pl.col("start").alias("s"), pl.col("end").alias("e")
    )
    existing = episodes.join(support, on="person").filter(
        pl.col("s") < pl.col("start"), pl.col("e").is_null() | (pl.col("start") - pl.col("e") < 91)
    )
    episodes = episodes.join(
        existing.select("person", "start").unique(), on=["person", "start"], how="anti"
    )
    sequel = _sequel_services(view, episodes)
    episodes = episodes.join(sequel, on=["person", "start"], how="left")
    deceased = pl.col("dod").is_not_null() & (pl.col("dod") <= pl.col("end") + 7)
    hospital = pl.col("outcome") == "Admitted to hospital"
    long_term = pl.col("sequel") <= 4
    short = pl.col("sequel").is_in([6, 7])
    success = pl.col("sequel").is_null() & pl.col("outcome").is_in(REABLEMENT_SUCCESS)
    counted = episodes.with_columns(
        den=~deceased & ~hospital & (long_term | short | success),
        num=~deceased & ~hospital & (short | success),
    )
    out = []
    for measure, band in (
        ("ascof_2a", None),
        ("ascof_2a_18_64", (18, 64)),
        ("ascof_2a_65_plus", (65, 200)),
    ):
        rows = counted if band is None else counted.filter(pl.col("age").is_between(*band))
        numerator, denominator = int(rows["num"].sum()), int(rows["den"].sum())
        out.append(_row(measure, period, numerator, denominator, 100))
    return out


def _sequel_services(view: pl.DataFrame, episodes: pl.DataFrame) -> pl.DataFrame:
    """2A: the highest-ranked service starting within the episode or 7 days after its end and
    still running after its end; `person, start, sequel` (rank of `SEQUEL_RANK`)."""
    services = view.filter(
        pl.col("etype") == L.SERVICE, pl.col("service").is_in(list(SEQUEL_RANK))
    ).select(
        "person",
        pl.col("start").alias("s"),
        pl.col("end").fill_null(FAR).alias("e"),
        pl.col("service").replace_strict(SEQUEL_RANK, return_dtype=pl.Int64).alias("rank"),
    )
    return (
        episodes.select("person", "start", "end")
        .join(services, on="person")
        .filter(
            pl.col("s").is_between(pl.col("start"), pl.col("end") + 7), pl.col("e") > pl.col("end")
        )
        .group_by("person", "start")
        .agg(pl.col("rank").min().alias("sequel"))
    )


def _admissions(view, details, first, last, period, population) -> list[dict]:
    """2B and 2C: people newly admitted to residential or nursing care in the year, per 100,000
    of the age group; age at admission; someone admitted twice counts once, in 18-64 if either
    admission was then."""
    component = pl.col("component").str.to_lowercase()
    homes = (
        _services(view, CARE_HOMES)
        .join(details, on="person", how="left")
        .filter(
            pl.col("birth").is_not_null(),
            pl.col("dod").is_null() | (pl.col("dod") >= first),
            pl.col("component").is_null()
            | component.str.contains("residential")
            | component.str.contains("nursing"),
            ~component.str.contains("short").fill_null(False),
            pl.col("outcome").is_null()
            | (pl.col("outcome") != "NFA: Self-funded client or under 12wk disregard"),
        )
        .select("person", "eid", "start", "end", "birth")
    )
    admitted = homes.filter(pl.col("start").is_between(first, last))
    earlier = admitted.join(
        homes.select("person", pl.col("start").alias("s"), pl.col("end").alias("e")), on="person"
    ).filter(
        pl.col("s") < pl.col("start"), pl.col("e").is_null() | (pl.col("start") - pl.col("e") < 365)
    )
    new = admitted.join(earlier.select("eid").unique(), on="eid", how="anti").with_columns(
        age=age_at(pl.col("birth"), pl.col("start"))
    )
    bands = (
        new.filter(pl.col("age") >= 18)
        .group_by("person")
        .agg((pl.col("age").min() <= 64).alias("working_age"))
    )
    younger = bands.filter(pl.col("working_age")).height
    older = bands.height - younger
    return [
        _row("ascof_2b", period, younger, population[0], PER_100K),
        _row("ascof_2c", period, older, population[1], PER_100K),
    ]


def _settled(view, details, first, last, period) -> list[dict]:
    """2E: people with long-term support in the year living in their own home or with family,
    by age at the end of their latest long-term service in the year."""
    rows = _services(view, LONG_TERM).filter(
        pl.col("start") <= last, pl.col("end").is_null() | (pl.col("end") >= first)
    )
    people = (
        rows.group_by("person")
        .agg(pl.min_horizontal(pl.col("end").fill_null(FAR), pl.lit(last)).max().alias("until"))
        .join(details, on="person", how="left")
        .filter(pl.col("dod").is_null() | (pl.col("dod") >= first))
        .with_columns(age=age_at(pl.col("birth"), pl.col("until")))
    )
    working = people.filter(pl.col("age").is_between(18, 64))
    older = people.filter(pl.col("age") >= 65)
    ld = working.filter(pl.col("support") == LEARNING_DISABILITY)
    return [
        _row(measure, period, _count(group, pl.col("settled")), _count(group), 100)
        for measure, group in (("ascof_2e1", ld), ("ascof_2e2a", working), ("ascof_2e2b", older))
    ]


SETTING_RANK = {
    ("Long term support: Nursing care", ""): 1,
    ("Long term support: Residential care", ""): 2,
    ("Long term support: Community", "Direct payment"): 3,
    ("Long term support: Community", "CASSR managed personal budget"): 4,
    ("Long term support: Community", "CASSR commissioned support"): 5,
    ("Long term support: Community", ""): 6,
    ("Long term support: Prison", "CASSR managed personal budget"): 7,
    ("Long term support: Prison", "CASSR commissioned support"): 8,
    ("Long term support: Prison", ""): 9,
}


def _self_directed(view, details, last, period) -> list[dict]:
    """3D: of clients with long-term community support on the year's last day (each placed in
    their highest setting), those with self-directed support (direct payment or managed
    personal budget) and with direct payments."""
    rows = _services(view, LONG_TERM).filter(
        pl.col("start") <= last, pl.col("end").is_null() | (pl.col("end") >= last)
    )
    rows = rows.join(details, on="person", how="left").filter(
        pl.col("dod").is_null() | (pl.col("dod") >= last)
    )
    mechanism = (
        pl.when(pl.col("component") == "Direct payment")
        .then(pl.lit("Direct payment"))
        .otherwise(pl.col("mechanism"))
    )
    community_like = pl.col("service").is_in(
        ["Long term support: Community", "Long term support: Prison"]
    )
    valid = mechanism.is_in(list(L.MECHANISMS)) & community_like
    rows = rows.with_columns(key=pl.when(valid).then(mechanism).otherwise(pl.lit("")))
    ranks = pl.DataFrame(
        {
            "service": [k[0] for k in SETTING_RANK],
            "key": [k[1] for k in SETTING_RANK],
            "rank": list(SETTING_RANK.values()),
        }
    )
    ranked = rows.join(ranks, on=["service", "key"], how="inner")
    people = ranked.group_by("person").agg(pl.col("rank").min(), pl.col("birth").first())
    people = people.with_columns(age=age_at(pl.col("birth"), pl.lit(last))).filter(
        pl.col("age").is_null() | (pl.col("age") >= 18)
    )
    community = people.filter(pl.col("rank").is_between(3, 6))
    return [
        _row("ascof_3d1a", period, _count(community, pl.col("rank") <= 4), community.height, 100),
        _row("ascof_3d2a", period, _count(community, pl.col("rank") == 3), community.height, 100),
    ]
