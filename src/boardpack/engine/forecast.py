"""Forecast to year end: each row's projection of the figure for March (the last month of the
financial year), a prediction interval, the chance of meeting the year-end target and a RAG.

Pure and vectorised over the results frame (each series' rows together, in period order). Each
measurement type has its own method, chosen from a registry; `docs/forecast.md` gives the
methods and why they differ. Guard rails: no forecast for a year already closed, none from
fewer figures than the method's stated minimum, and the interval kept within the range the
unit allows (a percentage within 0 to 100, a count or rate never below 0)."""

from collections.abc import Callable, Mapping
from typing import NamedTuple

import numpy as np
import polars as pl

from .significance import MIN_POINTS, least_squares, special, two_sided_p, window_sums

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
    "forecast_method",
    "forecast_points",
]
# The range each unit's figures can take (None: unbounded); money can fall either side of 0.
UNIT_RANGES: dict[str, tuple[float | None, float | None]] = {
    "percent": (0.0, 100.0),
    "number": (0.0, None),
    "rate_per_100k": (0.0, None),
    "days": (0.0, None),
    "fte": (0.0, None),
    "ratio": (0.0, None),
    "currency": (None, None),
}


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
    (NaN when no interval can be given; 0 when the figure is certain), the degrees of freedom
    of Student's t that scales it, and how many figures it rests on."""

    centre: np.ndarray
    se: np.ndarray
    df: np.ndarray
    points: np.ndarray


class Method(NamedTuple):
    """A forecasting method: its code (the `forecast_method` column), how it projects, the
    fewest figures it forecasts from, and what it does in words for the packs (`{points}` is
    the number of figures used)."""

    code: str
    project: Callable[[Rows], Projection]
    minimum: int
    words: str


def forecast_columns(
    frame: pl.DataFrame,
    alpha: float = 0.05,
    measurement: Mapping[str, str] | str | None = None,
    as_of: int | None = None,
) -> pl.DataFrame:
    """`frame` with the `FORECAST_COLUMNS`, each row as at its own period.

    `measurement` says how each indicator is measured (`snapshot`, `during_period`,
    `rolling_12_months`, `year_to_date`): one word for every row, or a mapping from the
    `indicator` column's values (the `series` numbers when there is no `indicator` column).
    Without it, a `measurement` column is used if present, else `snapshot`.

    `as_of` is the month (`end_month`) the forecasts are read at: a row whose financial year
    has ended by then (or that is itself its year end) has no forecast, since the year's
    outturn is known. Without it, the latest month with a figure in the frame. A `unit` column,
    where present, keeps each forecast within the unit's range (`UNIT_RANGES`)."""
    if not 0 < alpha < 1:
        raise ValueError(f"The forecast significance level must lie between 0 and 1; got {alpha!r}")
    rows = _rows(frame)
    kinds = _measurements(frame, measurement)
    projection, codes = _project(rows, kinds)
    projection = _guarded(projection, rows, codes, _as_of(rows, as_of))
    margin = _quantiles(projection.df, alpha) * projection.se
    p = meet_probability(projection, _year_end_target(frame, rows), frame["polarity"])
    low, high = _unit_ranges(frame)
    centre = np.clip(projection.centre, low, high)
    none = pl.Series(np.isnan(centre))
    return frame.with_columns(
        pl.Series("forecast_value", centre, nan_to_null=True),
        pl.Series(
            "forecast_lower", np.clip(projection.centre - margin, low, high), nan_to_null=True
        ),
        pl.Series(
            "forecast_upper", np.clip(projection.centre + margin, low, high), nan_to_null=True
        ),
        pl.Series("forecast_p_meet_target", p, nan_to_null=True),
    ).with_columns(
        forecast_rag(pl.col("forecast_p_meet_target")),
        pl.Series("forecast_method", codes.tolist(), dtype=pl.String).set(none, None),
        pl.Series("forecast_points", projection.points).cast(pl.Int32).set(none, None),
    )


def _as_of(rows: Rows, given: int | None) -> int:
    """The month forecasts are read at: the one given, else the latest with a figure."""
    if given is not None:
        return given
    known = rows.month[~np.isnan(rows.y)]
    return int(known.max()) if known.size else int(rows.month.max(initial=0))


def _guarded(projection: Projection, rows: Rows, codes: np.ndarray, as_of: int) -> Projection:
    """The projection with no forecast for a closed year (the row is its year end, or the year
    ended by `as_of`) nor from fewer figures than the row's method asks."""
    minimum = pl.Series(codes, dtype=pl.String).replace_strict(
        {m.code: m.minimum for m in METHODS.values()}, return_dtype=pl.Int64
    )
    closed = (rows.month >= rows.year_end) | (rows.year_end <= as_of)
    refused = closed | (projection.points < minimum.to_numpy())
    centre, se = projection.centre.copy(), projection.se.copy()
    centre[refused], se[refused] = np.nan, np.nan
    return projection._replace(centre=centre, se=se)


def _unit_ranges(frame: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's lowest and highest possible figure from its unit (unbounded without one)."""
    if "unit" not in frame.columns:
        return np.full(frame.height, -np.inf), np.full(frame.height, np.inf)
    units = frame["unit"].cast(pl.String)
    ends = [
        units.replace_strict(
            {u: r[i] for u, r in UNIT_RANGES.items()}, default=None, return_dtype=pl.Float64
        )
        for i in (0, 1)
    ]
    return ends[0].fill_null(-np.inf).to_numpy(), ends[1].fill_null(np.inf).to_numpy()


def method_words(code: str | None, points: int | None, level: int = 95) -> str | None:
    """How a forecast was made, in a sentence for the packs (`level`: the interval's
    confidence, in percent); None without a forecast."""
    method = next((m for m in METHODS.values() if m.code == code), None)
    return method.words.format(points=points, level=level) if method and points else None


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


def _project(rows: Rows, kinds: np.ndarray) -> tuple[Projection, np.ndarray]:
    """Each row's projection by its measurement's method (each method run once, over all rows
    that use it), and each row's method code."""
    size = rows.s.size
    out = Projection(
        np.full(size, np.nan), np.full(size, np.nan), np.ones(size, np.int64), np.zeros(size)
    )
    codes = np.array([METHODS[k].code for k in kinds], dtype=object)
    for method in set(METHODS.values()):
        chosen = codes == method.code
        if chosen.any():
            found = method.project(rows)
            for target, values in zip(out, found, strict=True):
                target[chosen] = values[chosen]
    return out, codes


def trend_projection(rows: Rows) -> Projection:
    """Least-squares line over the figures in the `WINDOW` periods ending at each row, read at
    the year-end period, with the standard error of a new observation there (n - 2 degrees of
    freedom). Null with fewer than `MIN_POINTS` figures."""
    x = rows.month // rows.step
    sums = window_sums(rows.s, x, rows.y, WINDOW)
    first = np.flatnonzero(np.r_[True, rows.s[1:] != rows.s[:-1]]) if rows.s.size else rows.s
    lengths = np.diff(np.r_[first, rows.s.size])
    reference = pl.Series(rows.y, nan_to_null=True).backward_fill().to_numpy()[first]
    ahead = (rows.year_end // rows.step) - np.repeat(x[first], lengths)
    centre, se = _line_at(sums, ahead.astype(np.float64))
    centre += np.repeat(np.nan_to_num(reference.astype(np.float64)), lengths)
    n = sums["n"]
    return Projection(centre, se, np.maximum(n - 2, 1).astype(np.int64), n.astype(np.float64))


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
    degrees of freedom; null until two increments are known. It rests on the k increments."""
    elapsed = (rows.month % 12 - (YEAR_END_MONTH + 1)) % 12 + 1
    centre = rows.y / elapsed * 12
    increments = _increments(rows, elapsed)
    count, sd = _running_spread(rows, increments)
    remaining = (12 - elapsed) / rows.step
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(count >= 2, sd * np.sqrt(remaining + remaining**2 / count), np.nan)
    return Projection(centre, se, np.maximum(count - 1, 1).astype(np.int64), count)


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


TREND = Method(
    "linear_trend",
    trend_projection,
    MIN_POINTS,
    "A straight line fitted to the last {points} figures and carried "
    "on to March; the range is its {level}% prediction interval.",
)
RATE_SO_FAR = Method(
    "rate_so_far",
    year_to_date_projection,
    3,
    "The year to date carried on to March at its average rate so "
    "far, from {points} figures this year; the range is its {level}% prediction interval.",
)
# How each measurement is forecast (docs/forecast.md, "Methods").
METHODS: dict[str, Method] = {
    "snapshot": TREND,
    "during_period": TREND,
    "rolling_12_months": TREND,
    "year_to_date": RATE_SO_FAR,
}


def _quantiles(df: np.ndarray, alpha: float) -> np.ndarray:
    """Student's t quantile at 1 - alpha/2 for each row's degrees of freedom (by lookup)."""
    table = special().stdtrit(np.arange(1, int(df.max(initial=1)) + 1), 1 - alpha / 2)
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
