"""`spc()`: XmR charts (NHS "Making Data Count") for many series at once.

One sort by series and period; then shifts, cumulative sums and one group-by over segments.
Missing values are dropped for the calculation (skipped, never zeros) and put back with their
segment's mean and limits. `docs/spc.md` describes every rule and default."""

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from ..errors import BoardpackError
from .spc_options import (
    ASSURANCE_ICON,
    ICON_OF_POINT,
    IMPROVEMENTS,
    LIMIT,
    NEAR,
    POINT_TYPES,
    SCREEN,
    VARIATION_ICON,
    VARIATION_ICONS,
    SpcOptions,
)
from .spc_rules import labelled, rule_columns

NEW_SERIES = (pl.col("_s") != pl.col("_s").shift(1)).fill_null(True)
NEW_SEGMENT = (pl.col("_seg") != pl.col("_seg").shift(1)).fill_null(True)
LAST_OF_SERIES = (pl.col("_s") != pl.col("_s").shift(-1)).fill_null(True)
POINT_COLUMNS = [
    *("series", "period", "value", "target"),
    *("mean", "lower_limit", "upper_limit", "lower_near", "upper_near"),
    *("special_cause", "rule", "point_type", "trial", "segment"),
]


@dataclass(frozen=True)
class SpcResult:
    """`points`: one row per input row, sorted by series and period. `series`: one row per
    series with its icons and how many non-missing points it has."""

    points: pl.DataFrame
    series: pl.DataFrame


def spc(frame: pl.DataFrame, options: SpcOptions | None = None) -> SpcResult:
    """Centre line, process limits, special causes and icons for every series in `frame`
    (columns `series`, `period`, `value`, optional `target`); `SpcOptions()` by default."""
    options = options or SpcOptions()
    data, keys = _sorted(_conform(frame))
    data = _with_segments(data, keys, options.recalculate_at)
    improvement = _improvement(keys, options.improvement)
    valid = data.filter(pl.col("value").is_not_null()).with_columns(
        _position(), improvement.alias("_imp")
    )
    limits = _segment_limits(valid, options, data.height and data["_seg"].max() + 1)
    valid = rule_columns(
        valid.lazy().with_columns(_gathered(limits)), options.run_length, options.trend_length
    ).collect()
    points = _with_missing(data, valid, limits)
    points = points.with_columns(keys["series"].gather(points["_s"]))
    extras = [c for c in frame.columns if c not in POINT_COLUMNS]
    columns = [c for c in POINT_COLUMNS if c in points.columns] + extras
    return SpcResult(points.select(columns), _series_icons(keys, valid, options))


def _conform(frame: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in ("series", "period", "value") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"The SPC frame lacks column(s) {', '.join(missing)}; it needs series, period, value"
        )
    casts = [pl.col("value").cast(pl.Float64).fill_nan(None)]
    if "target" in frame.columns:
        casts.append(pl.col("target").cast(pl.Float64))
    for column in ("series", "period"):
        if frame[column].has_nulls():
            row = frame[column].is_null().arg_true()[0]
            raise BoardpackError(f"Row {row + 1} has no {column}; every point needs one")
    return frame.with_columns(casts)


def _codes(column: pl.Series) -> tuple[pl.Series, int]:
    """Non-negative integers in the order of the column's values, and the largest of them.
    Integers and dates are used as they are (offset from the smallest); other values are
    numbered in sorted order through a join with their distinct values (much faster than
    ranking strings)."""
    if column.dtype.is_integer() or column.dtype.is_temporal():
        physical = column.to_physical().cast(pl.Int64)
        low = physical.min() or 0
        return physical - low, int((physical.max() or 0) - low)
    values = column.to_frame("k")
    numbered = values.group_by("k").agg().sort("k").with_row_index("c")
    found = values.join(numbered, on="k", how="left", maintain_order="left")
    return found["c"].cast(pl.Int64), numbered.height


def _order(frame: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """Row order sorting by series then period (by one integer key where the codes fit), and
    each row's series number in that order."""
    series, most_series = _codes(frame["series"])
    period, most_periods = _codes(frame["period"])
    if (most_series + 1) * (most_periods + 1) >= 1 << 62:
        order = frame.select(pl.arg_sort_by("series", "period")).to_series()
    else:
        order = (series * (most_periods + 1) + period).arg_sort()
    return order, series.gather(order)


def _sorted(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rows sorted by series then period, with `_s` numbering the series and `_row` the
    rows; and the series labels (row i is series i). The labels are put back at the end, so
    the working frame moves integers, not strings."""
    order, codes = _order(frame)
    first = (codes != codes.shift(1)).fill_null(True)
    keys = frame["series"].gather(order.filter(first)).to_frame()
    data = frame.drop("series")[order].with_columns(
        ((first.cum_sum() - 1).cast(pl.Int32)).alias("_s"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"),
    )
    twice = (pl.col("_s") == pl.col("_s").shift(1)) & (
        pl.col("period") == pl.col("period").shift(1)
    )
    repeated = data.filter(twice.fill_null(False))
    if repeated.height:
        series, period = keys["series"][repeated["_s"][0]], repeated["period"][0]
        raise BoardpackError(
            f"Series {series!r} has period {period!r} more than once; give each period one value"
        )
    return data, keys.with_row_index("_s").with_columns(pl.col("_s").cast(pl.Int32))


def _with_segments(data: pl.DataFrame, keys: pl.DataFrame, recalculate_at) -> pl.DataFrame:
    """`_seg` numbers every segment in the frame; `segment` counts them from 0 in a series."""
    starts = NEW_SERIES | _recalculations(data, keys, recalculate_at)
    data = data.with_columns((starts.cum_sum() - 1).cast(pl.Int32).alias("_seg"))
    first = pl.when(NEW_SERIES).then(pl.col("_seg")).forward_fill()
    return data.with_columns((pl.col("_seg") - first).alias("segment"))


def _recalculations(data: pl.DataFrame, keys: pl.DataFrame, recalculate_at) -> pl.Expr:
    """True at the periods where a new segment starts."""
    if not recalculate_at:
        return pl.lit(False)
    period_type = data.schema["period"]
    if not isinstance(recalculate_at, Mapping):
        periods = pl.Series(list(recalculate_at)).cast(period_type)
        return pl.col("period").is_in(periods.implode())
    named = pl.DataFrame(
        [(s, p) for s, periods in recalculate_at.items() for p in periods],
        schema={"series": keys.schema["series"], "period": period_type},
        orient="row",
    ).join(keys, on="series")
    flags = data.select("_s", "period").join(
        named.select("_s", "period", pl.lit(True).alias("_recalc")),
        on=["_s", "period"],
        how="left",
        maintain_order="left",
    )
    return pl.lit(flags["_recalc"].fill_null(False))


def _improvement(keys: pl.DataFrame, improvement) -> pl.Expr:
    """Each row's improvement direction (1, -1 or 0), from one word or a word per series."""
    if isinstance(improvement, str):
        return pl.lit(IMPROVEMENTS[improvement], dtype=pl.Int8)
    words = keys["series"].replace_strict(
        list(improvement), list(improvement.values()), default=None, return_dtype=pl.String
    )
    if words.has_nulls():
        unnamed = keys["series"].filter(words.is_null()).head(5).to_list()
        raise BoardpackError(
            f"improvement names no direction for series {', '.join(map(repr, unnamed))}; "
            "give every series increase, decrease or neutral"
        )
    codes = words.replace_strict(IMPROVEMENTS, return_dtype=pl.Int8)
    return pl.lit(codes).gather(pl.col("_s"))


def _position() -> pl.Expr:
    """`_pos`: which point of its segment this is, counting from 1 (missing values removed)."""
    row = pl.int_range(pl.len(), dtype=pl.Int32)
    return (row - pl.when(NEW_SEGMENT).then(row).forward_fill() + 1).alias("_pos")


def _segment_limits(valid: pl.DataFrame, options: SpcOptions, segments: int) -> pl.DataFrame:
    """One row per segment (row i is `_seg` i): mean, limits and whether they are trial."""
    fixed = pl.lit(True) if options.fix_after is None else pl.col("_pos") <= options.fix_after
    moving_range = pl.when(~NEW_SEGMENT & fixed).then(pl.col("value").diff().abs())
    mr = pl.col("_mr")
    average_mr = (
        mr.filter(mr <= SCREEN * mr.mean()).mean() if options.screen_outliers else mr.mean()
    )
    stats = (
        valid.lazy()
        .select("_seg", "value", fixed.alias("_fixed"), moving_range.alias("_mr"))
        .group_by("_seg")
        .agg(
            pl.col("value").filter("_fixed").mean().alias("mean"),
            average_mr.alias("_amr"),
            pl.col("_fixed").sum().alias("_used"),
        )
    )
    every = pl.LazyFrame({"_seg": pl.int_range(segments, dtype=pl.Int32, eager=True)})
    spread = pl.col("_amr")
    return (
        every.join(stats, on="_seg", how="left", maintain_order="left")
        .select(
            "mean",
            (pl.col("mean") - LIMIT * spread).alias("lower_limit"),
            (pl.col("mean") + LIMIT * spread).alias("upper_limit"),
            (pl.col("mean") - NEAR * spread).alias("lower_near"),
            (pl.col("mean") + NEAR * spread).alias("upper_near"),
            (pl.col("_used").fill_null(0) < options.minimum_points).alias("trial"),
        )
        .collect()
    )


def _gathered(limits: pl.DataFrame) -> list[pl.Expr]:
    return [pl.lit(limits[c]).gather(pl.col("_seg")).alias(c) for c in limits.columns]


def _with_missing(data: pl.DataFrame, valid: pl.DataFrame, limits: pl.DataFrame) -> pl.DataFrame:
    """Every row: rows with a missing value keep their segment's mean and limits, with no
    special cause, rule or point type. Each row of `data` finds its row in `valid` by counting
    the non-missing values before it (both are in the same order)."""
    if valid.height == data.height:
        return valid
    present = pl.col("value").is_not_null()
    at = data.select(pl.when(present).then(present.cum_sum() - 1)).to_series()
    found = ["special_cause", "rule", "point_type"]
    return data.with_columns(*_gathered(limits), *(valid[c].gather(at) for c in found))


def _series_icons(keys: pl.DataFrame, valid: pl.DataFrame, options: SpcOptions) -> pl.DataFrame:
    """Icons from each series' latest non-missing point; none for a series with fewer than
    `icon_minimum` points."""
    target = pl.col("target") if "target" in valid.columns else pl.lit(None, dtype=pl.Float64)
    latest = (
        valid.with_row_index("_i")
        .filter(LAST_OF_SERIES)
        .select(
            "_s",
            (pl.col("_i") - pl.col("_i").shift(1).fill_null(-1)).cast(pl.Int64).alias("points"),
            pl.col("point_type").to_physical().alias("_type"),
            target.alias("_target"),
            "lower_limit",
            "upper_limit",
            "_imp",
        )
    )
    shown = pl.col("points") >= options.icon_minimum
    joined = keys.join(latest, on="_s", how="left", maintain_order="left")
    return joined.select(
        "series",
        labelled(pl.when(shown).then(_variation()), VARIATION_ICON).alias("variation_icon"),
        labelled(pl.when(shown).then(_assurance()), ASSURANCE_ICON).alias("assurance_icon"),
        pl.col("points").fill_null(0),
    )


def _variation() -> pl.Expr:
    """Codes in `VARIATION_ICONS` order from the latest point's type and the series'
    improvement direction (`ICON_OF_POINT`): the point type says improvement or concern, the
    direction whether that signal is high or low."""
    key = pl.col("_type").cast(pl.Int32) * 3 + (pl.col("_imp").cast(pl.Int32) + 1)
    codes = {
        POINT_TYPES.index(point) * 3 + imp + 1: VARIATION_ICONS.index(icon)
        for (point, imp), icon in ICON_OF_POINT.items()
    }
    return key.replace_strict(codes, default=None, return_dtype=pl.UInt32)


def _assurance() -> pl.Expr:
    """Codes in `ASSURANCE_ICONS` order: 0 pass, 1 fail, 2 hit and miss; null without a
    target, for a neutral series, or without limits."""
    imp, target = pl.col("_imp"), pl.col("_target")
    above = target > pl.col("upper_limit")
    below = target < pl.col("lower_limit")
    return (
        pl.when((imp == 0) | target.is_null() | pl.col("upper_limit").is_null())
        .then(None)
        .when(above)
        .then(pl.when(imp > 0).then(1).otherwise(0))
        .when(below)
        .then(pl.when(imp > 0).then(0).otherwise(1))
        .otherwise(2)
    )
