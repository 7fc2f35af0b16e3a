"""The special-cause rules, as expressions over the non-missing points of every series at once.

The frame is sorted by series and period, missing values are already dropped (so they are
skipped, never zeros), `_seg` numbers each segment (a series, or the part of one after a
recalculation) and `_pos` counts points from 1 within it. Look-backs are `shift`s checked
against `_seg`; runs are found by marking where each run starts."""

import polars as pl

from .spc_options import POINT_TYPE, RULE

SAME_SEGMENT = pl.col("_seg") == pl.col("_seg").shift(1)


def run_length(starts: str) -> pl.Expr:
    """The length of the run each row belongs to, given a boolean column marking where runs
    start: the row count from the start, carried back from each run's last row."""
    row = pl.int_range(pl.len(), dtype=pl.Int32)
    first = pl.when(pl.col(starts)).then(row).forward_fill()
    last = pl.col(starts).shift(-1).fill_null(True)
    return pl.when(last).then(row - first + 1).backward_fill()


def stage_marks() -> list[pl.Expr]:
    """Side of the mean, step direction, and where runs of each start."""
    side = (pl.col("value") - pl.col("mean")).sign().cast(pl.Int8)
    step = pl.when(SAME_SEGMENT).then((pl.col("value") - pl.col("value").shift(1)).sign())
    return [
        side.alias("_side"),
        step.cast(pl.Int8).alias("_step"),
        (~SAME_SEGMENT | (side != side.shift(1))).fill_null(True).alias("_side_starts"),
        (~SAME_SEGMENT | (step != step.shift(1))).fill_null(True).alias("_step_starts"),
        (pl.col("value") > pl.col("upper_near")).fill_null(False).alias("_high"),
        (pl.col("value") < pl.col("lower_near")).fill_null(False).alias("_low"),
    ]


def stage_runs(run: int, trend: int) -> list[pl.Expr]:
    """A run of `run` points on one side of the mean (a point on the mean breaks it), and
    `trend - 1` steps the same way in a row (a tie breaks it)."""
    in_trend = (pl.col("_step") != 0) & (run_length("_step_starts") >= trend - 1)
    return [
        ((pl.col("_side") != 0) & (run_length("_side_starts") >= run)).alias("_run"),
        in_trend.fill_null(False).alias("_trend_step"),
    ]


def two_in_three(beyond: str) -> pl.Expr:
    """Points beyond a near limit (on the side `beyond` names) that are one of at least two
    such points in some three consecutive points of the segment."""
    flag = pl.col(beyond)
    count = flag.cast(pl.Int8) + flag.shift(1).cast(pl.Int8) + flag.shift(2).cast(pl.Int8)
    window = (pl.col("_pos") >= 3) & (count >= 2)
    # Windows ending one or two rows later start in the same segment only if their _pos >= 3.
    return flag & (window | window.shift(-1) | window.shift(-2)).fill_null(False)


def stage_flags() -> list[pl.Expr]:
    """Which rule flags each point (first by precedence) and which way the signal points."""
    beyond = (pl.col("value") > pl.col("upper_limit")) | (pl.col("value") < pl.col("lower_limit"))
    trend = pl.col("_trend_step") | pl.col("_trend_step").shift(-1).fill_null(False)
    trend_way = (
        pl.when(pl.col("_trend_step")).then(pl.col("_step")).otherwise(pl.col("_step").shift(-1))
    )
    rule = (
        pl.when(beyond.fill_null(False))
        .then(0)
        .when(pl.col("_run"))
        .then(1)
        .when(trend)
        .then(2)
        .when(two_in_three("_high") | two_in_three("_low"))
        .then(3)
    )
    way = pl.when(rule == 2).then(trend_way).otherwise(pl.col("_side"))
    return [rule.cast(pl.Int8).alias("_rule"), way.cast(pl.Int8).alias("_way")]


def labelled(codes: pl.Expr, enum: pl.Enum) -> pl.Expr:
    """Small integer codes as the enum's labels (null stays null); no strings per row."""
    return pl.lit(pl.Series(enum.categories, dtype=enum)).gather(codes)


def stage_labels() -> list[pl.Expr]:
    """`special_cause`, `rule` and `point_type` for each point. `_imp` is the series'
    improvement direction: 1 increase, -1 decrease, 0 neutral. Point types are coded in the
    order of `POINT_TYPES`."""
    special = pl.col("_rule").is_not_null()
    way, imp = pl.col("_way"), pl.col("_imp")
    point = (
        pl.when(~special)
        .then(0)
        .when(imp == 0)
        .then(pl.when(way > 0).then(3).otherwise(4))
        .when(way == imp)
        .then(1)
        .otherwise(2)
    )
    return [
        special.alias("special_cause"),
        labelled(pl.col("_rule"), RULE).alias("rule"),
        labelled(point, POINT_TYPE).alias("point_type"),
    ]


def rule_columns(frame: pl.LazyFrame, run: int, trend: int) -> pl.LazyFrame:
    """The rules, stage by stage (each stage reads the columns the one before wrote)."""
    return (
        frame.with_columns(stage_marks())
        .with_columns(stage_runs(run, trend))
        .with_columns(stage_flags())
        .with_columns(stage_labels())
    )
