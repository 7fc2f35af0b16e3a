"""Direction of travel that is more than noise: a least-squares trend over the last periods of
each series, with its slope, two-sided p-value and a label in words.

Pure and vectorised: the window sums of every row are built from a few whole-array passes (one
per period of the window), and the p-values come from the closed form of Student's t for whole
degrees of freedom. `docs/statistics.md` gives the method, the formulas and the references."""

import math
import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from types import ModuleType

import numpy as np
import polars as pl

MIN_POINTS = 4  # fewer figures than this in the window: no trend is claimed
TREND_LABELS = (
    "improving trend",
    "worsening trend",
    "rising trend",
    "falling trend",
    "no clear trend",
)
TREND_TYPE = pl.Enum(TREND_LABELS)
SUMS = ("n", "x", "xx", "y", "xy", "yy")
# Which way a significant slope reads, by polarity: (label when rising, label when falling).
# In-band and activity measures have no better direction, so their words stay neutral.
TREND_WORDS = {
    "higher_better": ("improving trend", "worsening trend"),
    "lower_better": ("worsening trend", "improving trend"),
    "in_band": ("rising trend", "falling trend"),
    "none": ("rising trend", "falling trend"),
}


@cache
def special() -> ModuleType:
    """`scipy.special`, imported when a confidence interval or a forecast's quantile is first
    worked out, not with the engine (a third of a second; scipy.special alone, as scipy.stats
    takes a second)."""
    from scipy import special as module

    return module


def trend_columns(
    frame: pl.DataFrame, window: int = 8, alpha: float = 0.05, series: str = "series"
) -> pl.DataFrame:
    """`frame` with `trend_n`, `trend_slope` (units per period), `trend_p` (two-sided),
    `trend_label` and `trend_reason` (why there is no label). Each row's trend uses the figures
    of its series within the `window` periods ending at its own; missing figures are skipped.
    Each series' rows must be together and in period order, as `evaluate()` leaves them."""
    _check_settings(window, alpha)
    s, x, y = _arrays(frame, series)
    n, slope, p = _trends(s, x, y, window)
    return frame.with_columns(
        pl.Series("trend_n", n),
        pl.Series("trend_slope", slope, nan_to_null=True),
        pl.Series("trend_p", p, nan_to_null=True),
        trend_labels(slope, p, frame["polarity"], alpha),
    ).with_columns(trend_reason(window))


CHUNK_ROWS = 1 << 16  # rows per piece: a piece's arrays stay in the processor's cache


def _trends(
    s: np.ndarray, x: np.ndarray, y: np.ndarray, window: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count, slope and p-value of every row, worked out in pieces of whole series, the pieces
    side by side on the machine's cores (NumPy releases the GIL): no window crosses a series,
    so the pieces are independent."""

    def piece(bounds: tuple[int, int]) -> tuple[np.ndarray, ...]:
        start, stop = bounds
        sums = window_sums(s[start:stop], x[start:stop], y[start:stop], window)
        return (sums["n"].astype(np.int32), *ols_slope_and_p(sums))

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = list(pool.map(piece, _pieces(s)))
    if not results:
        return np.zeros(0, np.int32), np.zeros(0), np.zeros(0)
    return tuple(np.concatenate(column) for column in zip(*results, strict=True))


def _pieces(s: np.ndarray) -> list[tuple[int, int]]:
    """Row ranges of about `CHUNK_ROWS` rows that start and end on series boundaries."""
    first, _ = _series_starts(s)
    cuts = np.unique(first[np.searchsorted(first, np.arange(0, s.size, CHUNK_ROWS))])
    bounds = np.r_[cuts, s.size]
    return [(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _check_settings(window: int, alpha: float) -> None:
    if not isinstance(window, int) or window < MIN_POINTS:
        raise ValueError(
            f"The trend window must be a whole number of periods, at least {MIN_POINTS}; "
            f"got {window!r}"
        )
    if not 0 < alpha < 1:
        raise ValueError(f"The trend significance level must lie between 0 and 1; got {alpha!r}")


def _arrays(frame: pl.DataFrame, series: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Series number, period index (`end_month // step_months`) and value (NaN when missing)."""
    missing = [
        c
        for c in (series, "end_month", "step_months", "value", "polarity")
        if c not in frame.columns
    ]
    if missing:
        raise ValueError(f"The trend frame lacks column(s) {', '.join(missing)}")
    cols = frame.select(
        pl.col(series).cast(pl.Int64),
        (pl.col("end_month") // pl.col("step_months")).cast(pl.Int64).alias("_x"),
        pl.col("value").cast(pl.Float64).fill_nan(None),
    )
    s, x = cols[series].to_numpy(), cols["_x"].to_numpy()
    _check_sorted(frame, series, s, x)
    return s, x, cols["value"].to_numpy(allow_copy=True)


def _check_sorted(frame: pl.DataFrame, series: str, s: np.ndarray, x: np.ndarray) -> None:
    """Each series' rows must be together and in period order, each period once (the order
    `evaluate()` leaves them in); the series themselves may come in any order."""
    starts = np.r_[True, s[1:] != s[:-1]] if s.size else np.zeros(0, bool)
    backwards = np.flatnonzero(~starts[1:] & (x[1:] <= x[:-1])) + 1
    if backwards.size:
        _refuse(frame, series, int(backwards[0]), "is not after the period before it")
    runs = s[starts]
    if np.unique(runs).size < runs.size:
        again = _first_repeat(runs)
        row = int(np.flatnonzero(starts & (s == again))[1])
        _refuse(frame, series, row, "starts a second run of rows for its series")


def _first_repeat(runs: np.ndarray) -> int:
    _, first_seen = np.unique(runs, return_index=True)
    repeated = np.setdiff1d(np.arange(runs.size), first_seen)
    return runs[repeated.min()]


def _refuse(frame: pl.DataFrame, series: str, row: int, what: str) -> None:
    at = frame.row(row, named=True)
    raise ValueError(
        f"The trend frame needs each series' rows together, in period order, each period "
        f"once; row {row + 1} ({series} {at[series]}, end_month {at['end_month']}) {what}"
    )


def _series_starts(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each series' first row, and each series' row count."""
    first = np.flatnonzero(np.r_[True, s[1:] != s[:-1]]) if s.size else np.zeros(0, np.int64)
    return first, np.diff(np.r_[first, s.size])


def window_sums(s: np.ndarray, x: np.ndarray, y: np.ndarray, window: int) -> dict[str, np.ndarray]:
    """For every row: the count of figures and the sums of x, x², y, xy and y² over the figures
    of its series whose period lies within the `window` periods ending at its own.

    x is counted from the series' first period, so its sums are whole numbers, taken exactly as
    differences of running totals. y is counted from the series' first figure and summed row by
    row over the window, so no other series' figures, however large, touch its rounding."""
    first, lengths = _series_starts(s)
    xr = x - np.repeat(x[first], lengths)
    ok = ~np.isnan(y)
    reach = window_rows(s, x, window)
    sums = {name: _exact_window_sum(term, reach) for name, term in _whole_terms(xr, ok).items()}
    reference = pl.Series(y, nan_to_null=True).backward_fill().to_numpy()[first]
    yc = np.where(ok, y - np.repeat(np.nan_to_num(reference), lengths), 0.0)
    xf = xr.astype(np.float64)
    real = _shifted_window_sums([yc, xf * yc, yc * yc], reach)
    sums.update(zip(("y", "xy", "yy"), real, strict=True))
    return {name: sums[name] for name in SUMS}


def window_rows(s: np.ndarray, x: np.ndarray, window: int) -> np.ndarray:
    """How many rows, ending at each row, belong to its series and its window of periods."""
    reach = np.ones(s.size, np.int64)
    for k in range(1, min(window, s.size)):
        reach[k:] += (s[k:] == s[:-k]) & (x[:-k] > x[k:] - window)
    return reach


def _whole_terms(xr: np.ndarray, ok: np.ndarray) -> dict[str, np.ndarray]:
    count = ok.astype(np.int64)
    shown = xr * count
    return {"n": count, "x": shown, "xx": shown * xr}


def _exact_window_sum(term: np.ndarray, reach: np.ndarray) -> np.ndarray:
    """Window sums of whole numbers as differences of running totals (exact in int64)."""
    running = np.concatenate([[0], np.cumsum(term)])
    ends = np.arange(1, term.size + 1)
    return (running[ends] - running[ends - reach]).astype(np.float64)


def _shifted_window_sums(terms: list[np.ndarray], reach: np.ndarray) -> list[np.ndarray]:
    """Window sums of real numbers, adding each earlier row of the window in turn."""
    totals = [t.copy() for t in terms]
    buffer = np.empty(reach.size)
    for k in range(1, int(reach.max(initial=1))):
        inside = reach[k:] > k
        for total, term in zip(totals, terms, strict=True):
            np.multiply(term[:-k], inside, out=buffer[k:])
            total[k:] += buffer[k:]
    return totals


def least_squares(sums: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The least-squares line through each window from its sums: `slope`, centred `sxx`,
    residual sum of squares `sse`, and the means `mx`, `my`."""
    n, sx, sy = sums["n"], sums["x"], sums["y"]
    with np.errstate(divide="ignore", invalid="ignore"):
        sxx = sums["xx"] - sx * sx / n
        sxy = sums["xy"] - sx * sy / n
        slope = sxy / sxx
        sse = np.maximum(sums["yy"] - sy * sy / n - slope * sxy, 0.0)
        return {"n": n, "slope": slope, "sxx": sxx, "sse": sse, "mx": sx / n, "my": sy / n}


def ols_slope_and_p(sums: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares slope and the two-sided p-value of its t statistic (n - 2 degrees of
    freedom); NaN where fewer than `MIN_POINTS` figures."""
    fit = least_squares(sums)
    n, slope = fit["n"], fit["slope"]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.abs(slope) * np.sqrt(fit["sxx"] * (n - 2) / fit["sse"])
    t[slope == 0] = 0.0  # a flat line has no slope, even with no scatter about it
    few = n < MIN_POINTS
    t[few] = 0.0
    p = two_sided_p(t, np.maximum(n - 2, 1).astype(np.int64))
    slope[few] = np.nan
    p[few] = np.nan
    return slope, p


def two_sided_p(t: np.ndarray, df: np.ndarray) -> np.ndarray:
    """P(|T| >= t) for Student's t with whole degrees of freedom `df` (>= 1), t >= 0 (inf
    allowed), by the finite series of Abramowitz and Stegun 26.7.3-4. Agrees with
    `2 * scipy.stats.t.sf(t, df)` to 13 decimal places and is several times faster on
    millions of rows."""
    with np.errstate(invalid="ignore"):
        q = np.where(np.isinf(t), 0.0, df / (df + t * t))  # cos² theta, theta = atan(t/sqrt(df))
        r = np.where(np.isinf(t), 1.0, t * t / (df + t * t))  # sin² theta, without cancelling
    series = _cos_series(q, df)
    theta = np.arctan2(np.sqrt(r), np.sqrt(q))
    odd = 2 / math.pi * (theta + np.sqrt(q * r) * series)
    even = np.sqrt(r) * series
    return np.clip(1.0 - np.where(df % 2 == 1, odd, even), 0.0, 1.0)


def _cos_series(q: np.ndarray, df: np.ndarray) -> np.ndarray:
    """The polynomial in cos² theta of A&S 26.7.3-4, each row's own coefficients by lookup."""
    most = int(df.max(initial=1))
    coefficients = _coefficient_table(most)
    total = np.zeros_like(q)
    for j in reversed(range(coefficients.shape[1])):
        total = total * q + coefficients[:, j][df]
    return total


def _coefficient_table(most: int) -> np.ndarray:
    """Row nu: the coefficients of the series for nu degrees of freedom (zeros beyond its
    length). Even nu: 1, 1/2, 1·3/(2·4), ...; odd nu: 1, 2/3, 2·4/(3·5), ... (none for nu=1)."""
    table = np.zeros((most + 1, max(most // 2, 1)))
    for nu in range(1, most + 1):
        count = nu // 2 if nu % 2 == 0 else (nu - 1) // 2
        coefficient = 1.0
        for j in range(count):
            table[nu, j] = coefficient
            coefficient *= (2 * j + 1) / (2 * j + 2) if nu % 2 == 0 else (2 * j + 2) / (2 * j + 3)
    return table


def trend_labels(slope: np.ndarray, p: np.ndarray, polarity: pl.Series, alpha: float) -> pl.Series:
    """The words for each row's trend: a significant slope read by polarity, else `no clear
    trend`; null where there is no p-value (too few figures)."""
    rising = slope > 0
    codes = np.full(slope.size, TREND_LABELS.index("no clear trend"), np.int64)
    significant = p < alpha
    for kind, words in TREND_WORDS.items():
        chosen = significant & (polarity == kind).fill_null(False).to_numpy()
        codes[chosen] = np.where(rising[chosen], *(TREND_LABELS.index(w) for w in words))
    labels = pl.Series("trend_label", TREND_LABELS, dtype=TREND_TYPE).gather(codes)
    return labels.scatter(np.flatnonzero(np.isnan(p)), None)


def trend_reason(window: int) -> pl.Expr:
    """Why a row has no trend label: too few figures in the window."""
    words = {
        n: f"{n} figure{'s' if n != 1 else ''} in the last {window} periods; "
        f"a trend needs at least {MIN_POINTS}"
        for n in range(MIN_POINTS)
    }
    return (
        pl.col("trend_n")
        .replace_strict(words, default=None, return_dtype=pl.String)
        .alias("trend_reason")
    )


def p_value_text(p: pl.Expr) -> pl.Expr:
    """A p-value as a pack writes it: two decimals ("p = 0.01", "p = 0.40"), three where two
    would show 0.00 ("p = 0.004"), and "p < 0.001" below that."""
    two, three = _decimals(p, 2), _decimals(p, 3)
    return (
        pl.when(p.round(3) == 0)
        .then(pl.lit("p < 0.001"))
        .when(p.round(2) == 0)
        .then(pl.concat_str(pl.lit("p = "), three))
        .otherwise(pl.concat_str(pl.lit("p = "), two))
    )


def _decimals(number: pl.Expr, places: int) -> pl.Expr:
    """A number from 0 to 1 written with exactly `places` decimals."""
    scaled = (number * 10**places).round().cast(pl.Int64)
    fraction = (scaled % 10**places).cast(pl.String).str.zfill(places)
    return pl.concat_str((scaled // 10**places).cast(pl.String), pl.lit("."), fraction)


def trend_text() -> pl.Expr:
    """`trend_text`: "improving trend (p = 0.01)", "no clear trend (p = 0.40)", or the reason
    there is none. Meant for the few rows a pack shows, after `trend_columns`."""
    label = pl.col("trend_label").cast(pl.String)
    tested = pl.concat_str(label, pl.lit(" ("), p_value_text(pl.col("trend_p")), pl.lit(")"))
    return pl.coalesce(tested, pl.col("trend_reason")).alias("trend_text")
