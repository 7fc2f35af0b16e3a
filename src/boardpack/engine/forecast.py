"""Forecast to year end: each row's projection of the figure for March (the last month of the
financial year), a prediction interval, the chance of meeting the year-end target and a RAG.

Pure and vectorised over the results frame (each series' rows together, in period order). Each
measurement type has its own method, chosen from a registry; `docs/forecast.md` gives the
methods and why they differ."""

from collections.abc import Callable, Mapping
from typing import NamedTuple

import numpy as np
import polars as pl
from scipy import special  # scipy.special alone: scipy.stats takes a second to import

from .significance import MIN_POINTS, least_squares, two_sided_p, window_sums

WINDOW = 8  # periods of a series' recent history that the trend line is fitted to
GREEN_FROM = 0.8  # chance of meeting the year-end target at or above this: green
AMBER_FROM = 0.2  # at or above this (and below GREEN_FROM): amber; below it: red
YEAR_END_MONTH = 2  # March, as `end_month % 12`
FORECAST_RAG = pl.Enum(["green", "amber", "red"])
DEFAULT_MEASUREMENT = "snapshot"
POLARITY_SIGN = {"higher_better": 1.0, "lower_better": -1.0}  # which side of the target meets it
FORECAST_COLUMNS = [
    "forecast_value",
    "forecast_lower",
    "forecast_upper",
    "forecast_p_meet_target",
    "forecast_rag",
]


class Rows(NamedTuple):
    """The frame's arrays a method reads: series, end month, step in months and value (NaN when
    missing), plus each row's year-end month."""

    s: np.ndarray
    month: np.ndarray
    step: np.ndarray
    y: np.ndarray
    year_end: np.ndarray


class Projection(NamedTuple):
    """A method's answer for every row: the year-end centre, the standard error of prediction
    (NaN when no interval can be given; 0 when the figure is certain) and the degrees of
    freedom of Student's t that scales it."""

    centre: np.ndarray
    se: np.ndarray
    df: np.ndarray


def forecast_columns(
    frame: pl.DataFrame,
    alpha: float = 0.05,
    measurement: Mapping[str, str] | str | None = None,
) -> pl.DataFrame:
    """`frame` with the `FORECAST_COLUMNS`, each row as at its own period.

    `measurement` says how each indicator is measured (`snapshot`, `during_period`,
    `rolling_12_months`, `year_to_date`): one word for every row, or a mapping from the
    `indicator` column's values (the `series` numbers when there is no `indicator` column).
    Without it, a `measurement` column is used if present, else `snapshot`."""
    if not 0 < alpha < 1:
        raise ValueError(f"The forecast significance level must lie between 0 and 1; got {alpha!r}")
    rows = _rows(frame)
    kinds = _measurements(frame, measurement)
    projection = _project(rows, kinds)
    margin = _quantiles(projection.df, alpha) * projection.se
    p = meet_probability(projection, _year_end_target(frame, rows), frame["polarity"])
    return frame.with_columns(
        pl.Series("forecast_value", projection.centre, nan_to_null=True),
        pl.Series("forecast_lower", projection.centre - margin, nan_to_null=True),
        pl.Series("forecast_upper", projection.centre + margin, nan_to_null=True),
        pl.Series("forecast_p_meet_target", p, nan_to_null=True),
    ).with_columns(forecast_rag(pl.col("forecast_p_meet_target")))


def forecast_rag(p: pl.Expr) -> pl.Expr:
    """`forecast_rag` from the chance of meeting the target: green, amber or red (null when
    there is no chance to read)."""
    return (
        pl.when(p >= GREEN_FROM)
        .then(pl.lit("green"))
        .when(p >= AMBER_FROM)
        .then(pl.lit("amber"))
        .when(p.is_not_null())
        .then(pl.lit("red"))
        .cast(FORECAST_RAG)
        .alias("forecast_rag")
    )


def _rows(frame: pl.DataFrame) -> Rows:
    missing = [
        c
        for c in ("series", "end_month", "step_months", "value", "target", "polarity")
        if c not in frame.columns
    ]
    if missing:
        raise ValueError(f"The forecast frame lacks column(s) {', '.join(missing)}")
    cols = frame.select(
        pl.col("series").cast(pl.Int64),
        pl.col("end_month").cast(pl.Int64),
        pl.col("step_months").cast(pl.Int64),
        pl.col("value").cast(pl.Float64).fill_nan(None),
    )
    s, month = cols["series"].to_numpy(), cols["end_month"].to_numpy()
    _check_sorted(frame, s, month)
    return Rows(
        s, month, cols["step_months"].to_numpy(), cols["value"].to_numpy(), year_end_month(month)
    )


def year_end_month(month: np.ndarray) -> np.ndarray:
    """The March that ends the financial year holding each `end_month`."""
    return month + (YEAR_END_MONTH - month % 12) % 12


def _check_sorted(frame: pl.DataFrame, s: np.ndarray, month: np.ndarray) -> None:
    """Each series' rows together and in period order, each period once."""
    new = np.r_[True, s[1:] != s[:-1]] if s.size else np.zeros(0, bool)
    back = np.flatnonzero(~new[1:] & (month[1:] <= month[:-1])) + 1
    runs = s[new]
    again = np.flatnonzero(new)[
        np.setdiff1d(np.arange(runs.size), np.unique(runs, return_index=True)[1])
    ]
    bad = [(int(back[0]), "is not after the period before it")] if back.size else []
    bad += [(int(again.min()), "starts a second run of rows for its series")] if again.size else []
    if bad:
        row, what = min(bad)
        at = frame.row(row, named=True)
        raise ValueError(
            f"The forecast frame needs each series' rows together, in period order, each "
            f"period once; row {row + 1} (series {at['series']}, end_month {at['end_month']}) "
            f"{what}"
        )


def _measurements(frame: pl.DataFrame, given: Mapping[str, str] | str | None) -> np.ndarray:
    """Each row's measurement word, checked against the methods known."""
    if isinstance(given, str):
        words = pl.Series([given] * frame.height, dtype=pl.String)
    elif given is not None:
        key = "indicator" if "indicator" in frame.columns else "series"
        lookup = {str(k): v for k, v in given.items()}
        words = frame[key].cast(pl.String).replace_strict(lookup, default=DEFAULT_MEASUREMENT)
    elif "measurement" in frame.columns:
        words = frame["measurement"].cast(pl.String).fill_null(DEFAULT_MEASUREMENT)
    else:
        words = pl.Series([DEFAULT_MEASUREMENT] * frame.height, dtype=pl.String)
    unknown = sorted(set(words.unique().to_list()) - set(METHODS))
    if unknown:
        raise ValueError(
            f"Unknown measurement {unknown[0]!r} for the forecast; use one of {', '.join(METHODS)}"
        )
    return words.to_numpy()


def _project(rows: Rows, kinds: np.ndarray) -> Projection:
    """Each row's projection by its measurement's method (each method run once, over all rows
    that use it)."""
    size = rows.s.size
    out = Projection(np.full(size, np.nan), np.full(size, np.nan), np.ones(size, np.int64))
    for method in set(METHODS.values()):
        chosen = np.isin(kinds, [k for k, m in METHODS.items() if m is method])
        if chosen.any():
            found = method(rows)
            for target, values in zip(out, found, strict=True):
                target[chosen] = values[chosen]
    return out


def trend_projection(rows: Rows) -> Projection:
    """Least-squares line over the figures in the `WINDOW` periods ending at each row, read at
    the year-end period, with the standard error of a new observation there (n - 2 degrees of
    freedom). Null with fewer than `MIN_POINTS` figures; a row that is itself the year end with
    a figure gives that figure, with no uncertainty."""
    x = rows.month // rows.step
    sums = window_sums(rows.s, x, rows.y, WINDOW)
    first = np.flatnonzero(np.r_[True, rows.s[1:] != rows.s[:-1]]) if rows.s.size else rows.s
    lengths = np.diff(np.r_[first, rows.s.size])
    reference = pl.Series(rows.y, nan_to_null=True).backward_fill().to_numpy()[first]
    ahead = (rows.year_end // rows.step) - np.repeat(x[first], lengths)
    centre, se = _line_at(sums, ahead.astype(np.float64))
    centre += np.repeat(np.nan_to_num(reference.astype(np.float64)), lengths)
    known = (rows.month == rows.year_end) & ~np.isnan(rows.y)
    centre[known], se[known] = rows.y[known], 0.0
    return Projection(centre, se, np.maximum(sums["n"] - 2, 1).astype(np.int64))


def _line_at(sums: dict[str, np.ndarray], x0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The fitted line at `x0` and the standard error of a new figure there; NaN where the
    window has fewer than `MIN_POINTS` figures."""
    fit = least_squares(sums)
    n = fit["n"]
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = fit["my"] + fit["slope"] * (x0 - fit["mx"])
        se = np.sqrt(fit["sse"] / (n - 2) * (1 + 1 / n + (x0 - fit["mx"]) ** 2 / fit["sxx"]))
    few = n < MIN_POINTS
    centre[few], se[few] = np.nan, np.nan
    return centre, se


def year_to_date_projection(rows: Rows) -> Projection:
    """The year so far at its average rate: value / months elapsed * 12. The interval treats
    the periods still to come as new draws of this year's period-on-period increments: for R
    periods to come and k increments seen, se = sd(increments) * sqrt(R + R² / k), k - 1
    degrees of freedom; null until two increments are known."""
    elapsed = (rows.month % 12 - (YEAR_END_MONTH + 1)) % 12 + 1
    centre = rows.y / elapsed * 12
    increments = _increments(rows, elapsed)
    count, sd = _running_spread(rows, increments)
    remaining = (12 - elapsed) / rows.step
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(count >= 2, sd * np.sqrt(remaining + remaining**2 / count), np.nan)
    se[elapsed == 12] = 0.0
    return Projection(centre, se, np.maximum(count - 1, 1).astype(np.int64))


def _increments(rows: Rows, elapsed: np.ndarray) -> np.ndarray:
    """Each period's addition to the year to date: the value itself in the year's first
    period, else the change from the period before (NaN when that is not known)."""
    previous = np.r_[np.nan, rows.y[:-1]]
    follows = np.r_[
        False, (rows.s[1:] == rows.s[:-1]) & (rows.month[:-1] == rows.month[1:] - rows.step[1:])
    ]
    opening = elapsed == rows.step
    return np.where(opening, rows.y, np.where(follows & ~opening, rows.y - previous, np.nan))


def _running_spread(rows: Rows, increments: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Count and sample standard deviation of the increments known so far in each row's
    series and financial year (centred on the year's first increment, so no other year's
    magnitude touches the rounding)."""
    frame = pl.DataFrame(
        {"g": _year_groups(rows), "d": pl.Series(increments, nan_to_null=True)}
    ).with_columns(pl.col("d") - pl.col("d").drop_nulls().first().over("g"))
    out = frame.select(
        pl.col("d").cum_count().over("g").alias("k"),
        pl.col("d").fill_null(0.0).cum_sum().over("g").alias("sum"),
        (pl.col("d") ** 2).fill_null(0.0).cum_sum().over("g").alias("squares"),
    )
    k = out["k"].to_numpy().astype(np.float64)
    total, squares = out["sum"].to_numpy(), out["squares"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = np.maximum(squares - total * total / k, 0.0) / (k - 1)
    return k, np.sqrt(variance)


def _year_groups(rows: Rows) -> np.ndarray:
    """A number for each run of rows in the same series and financial year."""
    starts = np.r_[True, (rows.s[1:] != rows.s[:-1]) | (rows.year_end[1:] != rows.year_end[:-1])]
    return np.cumsum(starts[: rows.s.size])


METHODS: dict[str, Callable[[Rows], Projection]] = {
    "snapshot": trend_projection,
    "during_period": trend_projection,
    "rolling_12_months": trend_projection,
    "year_to_date": year_to_date_projection,
}


def _quantiles(df: np.ndarray, alpha: float) -> np.ndarray:
    """Student's t quantile at 1 - alpha/2 for each row's degrees of freedom (by lookup)."""
    table = special.stdtrit(np.arange(1, int(df.max(initial=1)) + 1), 1 - alpha / 2)
    return table[np.clip(df, 1, None) - 1]


def _year_end_target(frame: pl.DataFrame, rows: Rows) -> np.ndarray:
    """The target of the series' year-end row where it has one, else the row's own target
    (found by binary search on (run of series, month), which the sorted rows make ascending)."""
    own = frame["target"].cast(pl.Float64).fill_nan(None).to_numpy().astype(np.float64)
    run = np.cumsum(np.r_[True, rows.s[1:] != rows.s[:-1]][: rows.s.size])
    base = rows.month.min(initial=0)
    span = int(rows.month.max(initial=0) - base) + 24
    keys = run * span + (rows.month - base)
    wanted = run * span + (rows.year_end - base)
    at = np.minimum(np.searchsorted(keys, wanted), max(keys.size - 1, 0))
    found = own[at] if keys.size else own
    return np.where((keys[at] == wanted) & ~np.isnan(found), found, own) if keys.size else own


def meet_probability(projection: Projection, target: np.ndarray, polarity: pl.Series) -> np.ndarray:
    """P(year-end figure meets `target`) under the projection's t distribution: P(>= target)
    for higher_better, P(<= target) for lower_better; NaN for other polarities, without a
    target or without an interval."""
    sign = polarity.cast(pl.String).replace_strict(POLARITY_SIGN, default=np.nan).to_numpy()
    margin = sign * (projection.centre - target)  # how far on the meeting side of the target
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(
            projection.se > 0, margin / projection.se, np.where(margin >= 0, np.inf, -np.inf)
        )
    tail = 0.5 * two_sided_p(np.abs(np.where(np.isnan(w), 0.0, w)), projection.df)
    p = np.where(w >= 0, 1.0 - tail, tail)
    return np.where(np.isnan(margin) | np.isnan(projection.se), np.nan, p)
