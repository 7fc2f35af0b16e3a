"""Boardpack's XmR results against `abspc` (a published Python implementation of Making Data
Count) on the same seeded series with matched options, point by point, and the reason for every
difference. Used by `bench_abspc.py` (printed with the timings) and `tests/test_spc_abspc.py`.

abspc does not screen moving ranges and hard-codes a shift of 8 and a trend of 6, so Boardpack
runs with `screen_outliers=False, run_length=8, trend_length=6`. Each point where the special
cause flags differ is put down to the first of these that removes it:

1. `missing_value`: abspc keeps a missing value in the series (its moving ranges become missing
   and it breaks runs and trends); Boardpack skips it. Removed by giving abspc the series
   without its missing rows.
2. `limit_constant`: abspc puts the limits at 3 / 1.128 = 2.6596 average moving ranges,
   Boardpack at 2.66 (as Making Data Count and NHSRplotthedots). Removed by giving abspc's
   rules Boardpack's mean and limits.
3. `two_in_three_beyond_limit`: a point beyond the process limit counts toward Boardpack's two
   of three beyond the near limit; abspc (as NHSRplotthedots) counts only points between the
   near and process limits.
4. `two_in_three_opposite_third`: Boardpack asks only the two points beyond the near limit to
   be on one side; abspc (as NHSRplotthedots) asks all three points to be on that side.

Anything else is `unexplained`."""

from collections import Counter
from dataclasses import dataclass, field

import abspc
import numpy as np
import pandas as pd
import polars as pl

from boardpack.engine.spc import SpcOptions, spc

OPTIONS = SpcOptions(
    screen_outliers=False, run_length=8, trend_length=6, minimum_points=1, icon_minimum=1
)
ABSPC_LIMIT = 3 / 1.128
VARIATION = {  # improvement is always "increase" here, so improvement is high, concern low
    "improvement_high": "improvement_high",
    "concern_low": "concern_low",
    "common_cause": "common_cause",
}
ASSURANCE = {
    "consistent_pass": "pass",
    "consistent_fail": "fail",
    "hit_and_miss": "hit_or_miss",
}


def seeded_series(count: int = 300, seed: int = 4) -> pl.DataFrame:
    """`count` series of 15 to 60 points: noise, shifts, trends, spikes, whole numbers (so ties
    and points on the mean happen) and, in one series in ten, a missing value."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(count):
        n = int(rng.integers(15, 61))
        level, sd = rng.uniform(10, 100), rng.uniform(1, 5)
        values = level + rng.normal(0, sd, n)
        kind = s % 5
        if kind == 1:
            values[int(rng.integers(5, n)) :] += rng.choice([-1, 1]) * rng.uniform(1, 3) * sd
        elif kind == 2:
            start = int(rng.integers(0, n - 6))
            values[start : start + 8] += np.arange(len(values[start : start + 8])) * sd * 0.8
        elif kind == 3:
            values[int(rng.integers(0, n))] += rng.choice([-1, 1]) * 6 * sd
        elif kind == 4:
            values = np.round(values / sd) * sd if s % 2 else np.round(values)
        if s % 10 == 9:
            values[int(rng.integers(1, n - 1))] = np.nan
        target = level + rng.normal(0, 3 * sd)
        rows += [(f"s{s:03d}", p, float(v), float(target)) for p, v in enumerate(values, 1)]
    frame = pl.DataFrame(rows, schema=["series", "period", "value", "target"], orient="row")
    return frame.with_columns(pl.col("value").fill_nan(None))


@dataclass
class Comparison:
    """Counts over every series and non-missing point, and the differences by class."""

    series: int = 0
    points: int = 0
    mean_agrees: int = 0
    moving_range_agrees: int = 0
    limits_within_constant: int = 0
    flags_agree: int = 0
    flag_differences: Counter = field(default_factory=Counter)
    variation_agrees: int = 0
    variation_differences: Counter = field(default_factory=Counter)
    assurance_agrees: int = 0
    assurance_differences: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {k: dict(v) if isinstance(v, Counter) else v for k, v in self.__dict__.items()}


def compare(frame: pl.DataFrame) -> Comparison:
    """Boardpack (`OPTIONS`) and abspc on every series of `frame`, point by point."""
    result = spc(frame, OPTIONS)
    icons = {r["series"]: r for r in result.series.iter_rows(named=True)}
    out = Comparison()
    with np.errstate(invalid="ignore"):  # abspc casts the sign of a missing value to int
        for key, ours in result.points.partition_by("series", as_dict=True).items():
            _compare_series(ours.sort("period"), icons[key[0]], out)
    return out


def _flags(table: pd.DataFrame) -> np.ndarray:
    return abspc.detect_special_causes(table)["special_cause"].to_numpy(dtype=bool)


def _with_limits(table: pd.DataFrame, mean, lower, upper, lower_near, upper_near):
    return table.assign(mean=mean, lcl=lower, ucl=upper, lwl=lower_near, uwl=upper_near)


def _compare_series(ours: pl.DataFrame, icons: dict, out: Comparison) -> None:
    raw = pd.DataFrame({"value": ours["value"].fill_null(np.nan).to_numpy()})
    present = ours["value"].is_not_null().to_numpy()
    given = abspc.calculate_control_limits(raw, "XmR", value_col="value", subgroup_col=None)
    dropped = abspc.calculate_control_limits(
        raw[present].reset_index(drop=True), "XmR", value_col="value", subgroup_col=None
    )
    ours_present = ours.filter(pl.col("value").is_not_null())
    columns = ("mean", "lower_limit", "upper_limit", "lower_near", "upper_near")
    injected = _with_limits(dropped, *(ours_present[c].to_numpy() for c in columns))
    stages = {
        "missing_value": _flags(given)[present],
        "limit_constant": _flags(dropped),
        "two_in_three": _flags(injected),
    }
    flags = ours_present["special_cause"].to_numpy()
    out.series += 1
    out.points += len(flags)
    out.flags_agree += int((stages["missing_value"] == flags).sum())
    _count_limits(ours_present, dropped, given[present], out)
    _explain_flags(stages, flags, ours_present, out)
    _compare_icons(given, ours_present, icons, out)


def _count_limits(ours: pl.DataFrame, dropped, given, out: Comparison) -> None:
    mean, upper = ours["mean"].to_numpy(), ours["upper_limit"].to_numpy()
    scale = np.maximum(np.abs(mean), 1.0)
    out.mean_agrees += int((np.abs(given["mean"].to_numpy() - mean) <= 1e-9 * scale).sum())
    our_amr = (upper - mean) / 2.66
    their_amr = (given["ucl"].to_numpy() - given["mean"].to_numpy()) / ABSPC_LIMIT
    out.moving_range_agrees += int((np.abs(our_amr - their_amr) <= 1e-9 * scale).sum())
    # With abspc's average moving range, limits differ only by the constant: half-widths
    # in the ratio 2.66 : 2.6596.
    their_width = dropped["ucl"].to_numpy() - dropped["mean"].to_numpy()
    ratio_ok = np.isclose((upper - mean), their_width * 2.66 / ABSPC_LIMIT, rtol=1e-9, atol=1e-12)
    out.limits_within_constant += int(ratio_ok.sum())


def _explain_flags(stages: dict, flags: np.ndarray, ours: pl.DataFrame, out: Comparison) -> None:
    reference = stages["missing_value"]
    explained = np.zeros(len(flags), dtype=bool)
    for name, later in (("missing_value", "limit_constant"), ("limit_constant", "two_in_three")):
        gone = (stages[name] != flags) & (stages[later] == flags) & ~explained
        out.flag_differences[name] += int(gone.sum())
        explained |= gone
    rest = np.flatnonzero((reference != flags) & ~explained)
    for i in rest:
        out.flag_differences[_two_in_three_reason(ours, int(i))] += 1
    for key in [k for k, v in out.flag_differences.items() if v == 0]:
        del out.flag_differences[key]


def _two_in_three_reason(ours: pl.DataFrame, i: int) -> str:
    """Why Boardpack's two-of-three flag at point `i` is not abspc's, or `unexplained`."""
    row = ours.row(i, named=True)
    if row["rule"] != "two_in_three":
        return "unexplained"
    value = ours["value"].to_numpy()
    mean, near = ours["mean"].to_numpy(), ours["upper_near"].to_numpy()
    low_near, upper, lower = (
        ours["lower_near"].to_numpy(),
        *(ours[c].to_numpy() for c in ("upper_limit", "lower_limit")),
    )
    high = value[i] > mean[i]
    beyond = value > near if high else value < low_near
    between = beyond & ~((value > upper) | (value < lower))
    side = np.sign(value - mean) == (1 if high else -1)
    for start in range(max(0, i - 2), min(i, len(value) - 3) + 1):
        window = slice(start, start + 3)
        if beyond[window].sum() >= 2 and between[window].sum() < 2:
            return "two_in_three_beyond_limit"
        if between[window].sum() >= 2 and not side[window].all():
            return "two_in_three_opposite_third"
    return "unexplained"


def _compare_icons(given, ours: pl.DataFrame, icons: dict, out: Comparison) -> None:
    flagged = abspc.detect_special_causes(given)
    theirs = abspc.determine_variation_type(flagged, improvement_direction="high")
    if VARIATION[icons["variation_icon"]] == theirs:
        out.variation_agrees += 1
    else:
        out.variation_differences[_variation_reason(ours, flagged, theirs)] += 1
    target = float(ours["target"][0])
    theirs = abspc.determine_assurance_type(given, target=target, improvement_direction="high")
    if ASSURANCE[icons["assurance_icon"]] == theirs:
        out.assurance_agrees += 1
    else:
        out.assurance_differences[_assurance_reason(ours, given, target)] += 1


def _variation_reason(ours: pl.DataFrame, flagged: pd.DataFrame, theirs: str) -> str:
    last_ours = ours["special_cause"][-1]
    last_theirs = bool(flagged["special_cause"].to_numpy()[-1])
    if last_ours != last_theirs:
        return "latest_point_flag_differs"
    if not last_ours and theirs != "common_cause":
        return "abspc_reads_latest_special_cause_not_latest_point"
    if last_ours and ours["rule"][-1] == "trend":
        return "abspc_takes_trend_direction_from_side_of_mean"
    return "unexplained"


def _assurance_reason(ours: pl.DataFrame, given: pd.DataFrame, target: float) -> str:
    lower, upper = ours["lower_limit"][-1], ours["upper_limit"][-1]
    their_lower, their_upper = float(given["lcl"].iloc[-1]), float(given["ucl"].iloc[-1])
    if target in (lower, upper):
        return "target_on_a_limit"
    if min(lower, their_lower) <= target <= max(lower, their_lower) or min(
        upper, their_upper
    ) <= target <= max(upper, their_upper):
        return "limit_constant"
    if ours["value"].null_count():
        return "missing_value"
    return "unexplained"
