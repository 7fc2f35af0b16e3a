"""Confidence intervals for figures built from counts, and whether a change between periods is
inside the noise. Pure and vectorised; `docs/statistics.md` gives the formulas and references.

- `percent` with numerator and denominator: the Wilson score interval for the proportion.
- `rate_per_100k` with numerator (events) and denominator (population): the exact (Garwood)
  Poisson interval for the count, scaled to the rate.
- Any other unit, or a row without usable counts: no interval (null)."""

from collections.abc import Callable

import numpy as np
import polars as pl

from .significance import special

Interval = Callable[[np.ndarray, np.ndarray, float], tuple[np.ndarray, np.ndarray]]


def wilson_interval(
    successes: np.ndarray, trials: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for the proportion successes / trials, as proportions."""
    z = special().ndtri(0.5 + level / 2)
    p = successes / trials
    z2n = z * z / trials
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * np.sqrt(p * (1 - p) / trials + z2n / (4 * trials))
    lower = np.where(successes == 0, 0.0, centre - half)  # exact at the ends, not rounded
    upper = np.where(successes == trials, 1.0, centre + half)
    return lower, upper


def poisson_interval(events: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for a Poisson count: chi-square quantiles with 2k and 2k + 2
    degrees of freedom, halved (computed as the gamma quantiles they equal); the lower limit of
    0 events is 0. Each distinct count is worked out once."""
    distinct, where = np.unique(events, return_inverse=True)
    tail = (1 - level) / 2
    with np.errstate(invalid="ignore"):
        lower = np.where(distinct > 0, special().gammaincinv(distinct, tail), 0.0)
    upper = special().gammaincinv(distinct + 1, 1 - tail)
    return lower[where], upper[where]


def _percent(numerator, denominator, level):
    lower, upper = wilson_interval(numerator, denominator, level)
    return 100 * lower, 100 * upper


def _rate_per_100k(numerator, denominator, level):
    lower, upper = poisson_interval(numerator, level)
    scale = 100_000 / denominator
    return lower * scale, upper * scale


# The units with an interval, and how each is worked out from (numerator, denominator, level).
INTERVALS: dict[str, Interval] = {"percent": _percent, "rate_per_100k": _rate_per_100k}
# Which rows' counts make sense for each unit.
USABLE = {
    "percent": (pl.col("numerator") <= pl.col("denominator")),
    "rate_per_100k": pl.lit(True),
}


def confidence_columns(frame: pl.DataFrame, level: float = 0.95) -> pl.DataFrame:
    """`frame` with `ci_lower` and `ci_upper` (in the figure's own unit) at confidence `level`,
    null where the unit has no interval or the row lacks usable counts (a missing or
    non-positive denominator, a negative numerator, a percentage above 100)."""
    _check(frame, level)
    lower = np.full(frame.height, np.nan)
    upper = np.full(frame.height, np.nan)
    counts = _usable_counts(frame)
    for unit, interval in INTERVALS.items():
        rows = np.flatnonzero(counts.select(pl.col("_ok") & (pl.col("unit") == unit)).to_series())
        if rows.size:
            numerator = counts["numerator"].to_numpy()[rows]
            denominator = counts["denominator"].to_numpy()[rows]
            lower[rows], upper[rows] = interval(numerator, denominator, level)
    return frame.with_columns(
        pl.Series("ci_lower", lower, nan_to_null=True),
        pl.Series("ci_upper", upper, nan_to_null=True),
    )


def _check(frame: pl.DataFrame, level: float) -> None:
    missing = [c for c in ("unit", "numerator", "denominator") if c not in frame.columns]
    if missing:
        raise ValueError(f"The confidence frame lacks column(s) {', '.join(missing)}")
    if not 0 < level < 1:
        raise ValueError(
            f"The confidence level must lie between 0 and 1 (e.g. 0.95); got {level!r}"
        )


def _usable_counts(frame: pl.DataFrame) -> pl.DataFrame:
    """Numerator, denominator and unit, with `_ok` where the counts can carry an interval."""
    unit = pl.col("unit").cast(pl.String)
    usable = pl.lit(False)
    for name, rule in USABLE.items():
        usable = pl.when(unit == name).then(rule).otherwise(usable)
    numerator, denominator = pl.col("numerator"), pl.col("denominator")
    ok = (numerator >= 0) & (denominator > 0) & numerator.is_finite() & denominator.is_finite()
    return frame.select(
        unit.alias("unit"),
        numerator.cast(pl.Float64),
        denominator.cast(pl.Float64),
    ).with_columns((ok & usable).fill_null(False).alias("_ok"))


def within_noise(series: str = "series") -> pl.Expr:
    """True when this period's interval and the previous period's (same series, exactly one
    period earlier) overlap; null when either has no interval or there is no previous period.
    The frame must be sorted by `series` then `end_month`."""
    previous = (pl.col(series).shift(1) == pl.col(series)) & (
        pl.col("end_month").shift(1) == pl.col("end_month") - pl.col("step_months")
    )
    before_lower, before_upper = pl.col("ci_lower").shift(1), pl.col("ci_upper").shift(1)
    overlap = (before_lower <= pl.col("ci_upper")) & (pl.col("ci_lower") <= before_upper)
    return pl.when(previous).then(overlap).alias("change_within_noise")


def change_is_noise(frame: pl.DataFrame, series: str = "series") -> pl.DataFrame:
    """`frame` (with `ci_lower`, `ci_upper` from `confidence_columns`) and `change_within_noise`:
    the change from the previous period is within the noise when the two intervals overlap."""
    missing = [
        c
        for c in (series, "end_month", "step_months", "ci_lower", "ci_upper")
        if c not in frame.columns
    ]
    if missing:
        raise ValueError(
            f"change_is_noise needs column(s) {', '.join(missing)}; "
            "add the intervals with confidence_columns() first"
        )
    return frame.with_columns(within_noise(series))
