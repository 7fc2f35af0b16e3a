"""What each council's synthetic records are calibrated to: its published 2024-25 ASCOF
numerators and denominators and its population, and the simulation rates derived from them.

`councils.csv` (in this package) holds one row per council with adult social services in
2024-25: its ONS code, its CASSR code (the `LA_Code` of its submissions), and the published
figures. `derive_councils` rebuilds it from the ASCOF long CSV and the population file.
Suppressed or missing figures are filled from England's ratios, so every council can be
simulated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

PACKAGED = Path(__file__).with_name("councils.csv")

# Published figure -> (ASCOF measure, field) in the long CSV.
FIGURES = {
    "reablement_success": ("2a", "numerator"),
    "reablement_episodes": ("2a", "denominator"),
    "admissions_18_64": ("2b", "numerator"),
    "admissions_65_plus": ("2c", "numerator"),
    "ld_settled": ("2e(1)", "numerator"),
    "ld_people": ("2e(1)", "denominator"),
    "settled_18_64": ("2e(2a)", "numerator"),
    "lts_18_64": ("2e(2a)", "denominator"),
    "settled_65_plus": ("2e(2b)", "numerator"),
    "lts_65_plus": ("2e(2b)", "denominator"),
    "self_directed": ("3d(1a)", "numerator"),
    "community_clients": ("3d(1a)", "denominator"),
    "direct_payments": ("3d(2a)", "numerator"),
}
COUNCIL = r"^E(06|08|09|10)"


def derive_councils(long_csv: Path, population_csv: Path) -> pl.DataFrame:
    """One row per council in the population file (the councils of 2024-25), sorted by ONS
    code, with the published figures of `FIGURES` (null where suppressed)."""
    population = (
        pl.read_csv(population_csv, infer_schema=False)
        .filter(pl.col("ons_code").str.contains(COUNCIL))
        .select(
            "ons_code",
            "la_code",
            "la_name",
            pl.col("pop_18_64").cast(pl.Int64, strict=False),
            pl.col("pop_65_plus").cast(pl.Int64, strict=False),
        )
    )
    long = pl.read_csv(long_csv, infer_schema=False).filter(pl.col("year") == "2024 to 2025")
    out = population
    for name, (measure, field) in FIGURES.items():
        figure = long.filter(pl.col("measure") == measure, pl.col("field") == field).select(
            "ons_code", pl.col("value_numeric").cast(pl.Float64).round(0).cast(pl.Int64).alias(name)
        )
        out = out.join(figure, on="ons_code", how="left")
    return out.sort("ons_code")


def councils() -> pl.DataFrame:
    """The packaged council list with published figures."""
    return pl.read_csv(PACKAGED, schema_overrides={"la_code": pl.String})


def choose(table: pl.DataFrame, count: int, seed: int) -> pl.DataFrame:
    """`count` councils drawn from the real list by `seed`, in ONS-code order; the same seed
    and count always give the same councils."""
    order = np.random.default_rng([seed, 7]).permutation(table.height)[:count]
    return table[np.sort(order)]


def _filled(table: pl.DataFrame) -> pl.DataFrame:
    """Suppressed figures replaced by England's ratio to the council's people with long-term
    support; people with long-term support, where suppressed, from the population."""
    total = table.select(pl.col(name).sum() for name in [*FIGURES, "pop_18_64", "pop_65_plus"])
    total = total.row(0, named=True)
    people_fill = {
        group: pl.col(f"pop_{group}") * total[f"lts_{group}"] / total[f"pop_{group}"]
        for group in ("18_64", "65_plus")
    }
    table = table.with_columns(
        pl.col(f"lts_{g}").cast(pl.Float64).fill_null(e).fill_null(20.0)
        for g, e in people_fill.items()
    )
    people = pl.col("lts_18_64") + pl.col("lts_65_plus")
    total_people = total["lts_18_64"] + total["lts_65_plus"]
    return table.with_columns(
        pl.col(name).cast(pl.Float64).fill_null(people * total[name] / total_people)
        for name in FIGURES
        if not name.startswith("lts_")
    )


# Yearly hazards of leaving long-term support, by age group: (community, care home). Each is
# split into death, moving to another council and support ending (`EXIT_SHARES`).
COMMUNITY_EXIT = (0.07, 0.22)
CARE_HOME_EXIT = (0.09, 0.42)
EXIT_SHARES = {  # (death, moved, ended) per setting and age group
    "community": ((0.30, 0.15, 0.55), (0.68, 0.05, 0.27)),
    "care_home": ((0.55, 0.10, 0.35), (0.90, 0.02, 0.08)),
}
TO_CARE_HOME = (0.004, 0.05)  # yearly hazard of a community client moving into a care home
NEW_CLIENT_REQUESTS_PER_PERSON = 2.2  # requests from new clients a year per person with LTS


@dataclass(frozen=True)
class Plan:
    """The simulation rates of one council, per age group (index 0: 18-64, 1: 65+)."""

    ons_code: str
    la_code: str
    name: str
    ordinal: int
    population: tuple[int | None, int | None]  # published; None where suppressed
    entrants: tuple[float, float]  # people starting long-term support a year
    direct_to_care_home: tuple[float, float]  # share of entrants starting in a care home
    to_care_home: tuple[float, float]  # yearly hazard community -> care home
    stock: tuple[tuple[float, float], tuple[float, float]]  # (community, care home) per group
    arrivals: tuple[float, float]  # requests from new clients a year
    reablement_share: float  # share of new clients who get reablement (ST-Max)
    reablement_success: float  # published 2A %, as a share
    learning_disability: float  # share of 18-64 with long-term support who have LD support
    settled: tuple[float, float, float]  # settled share: 18-64, 65+, 18-64 LD
    direct_payment: float  # share of community clients with a direct payment
    managed_budget: float  # ... with a CASSR managed personal budget


def _shares(admission_ratio: float, group: int) -> tuple[float, float, float]:
    """Direct-to-care-home share of entrants, hazard community -> care home, and people a year
    per entrant, so that admissions / people = `admission_ratio` in the steady state."""
    exit_c, exit_r = COMMUNITY_EXIT[group], CARE_HOME_EXIT[group]

    def ratio(direct: float, hazard: float) -> tuple[float, float]:
        admitted = direct + (1 - direct) * hazard / (exit_c + hazard)
        people = (1 - direct) / (exit_c + hazard) + admitted / exit_r + 1
        return admitted / people, people

    hazard = TO_CARE_HOME[group]
    lo, hi = 0.0, 0.95
    if ratio(0.0, hazard)[0] > admission_ratio:  # fewer admissions than transitions alone give
        hazard_lo, hazard_hi = 0.0, hazard
        for _ in range(60):
            mid = (hazard_lo + hazard_hi) / 2
            hazard_lo, hazard_hi = (
                (mid, hazard_hi) if ratio(0.0, mid)[0] < admission_ratio else (hazard_lo, mid)
            )
        return 0.0, hazard_lo, ratio(0.0, hazard_lo)[1]
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if ratio(mid, hazard)[0] < admission_ratio else (lo, mid)
    return lo, hazard, ratio(lo, hazard)[1]


def plan(row: dict, ordinal: int, scale: float) -> Plan:
    """The rates of the council in `row` (a row of the filled table), its volumes x `scale`."""
    people = (row["lts_18_64"] * scale, row["lts_65_plus"] * scale)
    admissions = (row["admissions_18_64"] * scale, row["admissions_65_plus"] * scale)
    direct, hazard, entrants, stock = [], [], [], []
    for g in (0, 1):
        share, to_home, per_entrant = _shares(admissions[g] / max(people[g], 1.0), g)
        e = people[g] / per_entrant
        community = e * (1 - share) / (COMMUNITY_EXIT[g] + to_home)
        care_home = (
            e * (share + (1 - share) * to_home / (COMMUNITY_EXIT[g] + to_home)) / CARE_HOME_EXIT[g]
        )
        direct.append(share)
        hazard.append(to_home)
        entrants.append(e)
        stock.append((community, care_home))
    all_people = sum(people)
    requests = NEW_CLIENT_REQUESTS_PER_PERSON * all_people
    arrivals = tuple(requests * e / sum(entrants) for e in entrants)
    episodes = row["reablement_episodes"] * scale
    community_clients = max(row["community_clients"], 1.0)
    return Plan(
        ons_code=row["ons_code"],
        la_code=str(row["la_code"]),
        name=row["la_name"],
        ordinal=ordinal,
        population=(row["pop_18_64"], row["pop_65_plus"]),
        entrants=tuple(entrants),
        direct_to_care_home=tuple(direct),
        to_care_home=tuple(hazard),
        stock=tuple(stock),
        arrivals=arrivals,
        reablement_share=float(np.clip(episodes / max(requests * 0.91, 1.0), 0.02, 0.45)),
        reablement_success=float(
            np.clip(row["reablement_success"] / max(row["reablement_episodes"], 1.0), 0.3, 0.97)
        ),
        learning_disability=float(
            np.clip(row["ld_people"] / max(row["lts_18_64"], 1.0), 0.05, 0.8)
        ),
        settled=(
            _share(row["settled_18_64"], row["lts_18_64"]),
            _share(row["settled_65_plus"], row["lts_65_plus"]),
            _share(row["ld_settled"], row["ld_people"]),
        ),
        direct_payment=_share(row["direct_payments"], community_clients),
        managed_budget=max(
            0.0,
            _share(row["self_directed"], community_clients)
            - _share(row["direct_payments"], community_clients),
        ),
    )


def _share(part: float, whole: float) -> float:
    return float(np.clip(part / max(whole, 1.0), 0.0, 1.0))


def plans(count: int, people: int | None, seed: int) -> list[Plan]:
    """The plans of `count` councils chosen by `seed`. `people` is the mean number of people with
    long-term support in 2024-25 per chosen council; None keeps the published volumes."""
    table = _filled(councils().with_row_index("ordinal"))
    chosen = choose(table, count, seed)
    published = (chosen["lts_18_64"] + chosen["lts_65_plus"]).mean()
    scale = 1.0 if people is None else people / published
    return [plan(row, int(row["ordinal"]), scale) for row in chosen.iter_rows(named=True)]
