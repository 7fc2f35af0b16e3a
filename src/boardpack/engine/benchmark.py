"""`benchmark_statistics()`: where each council stands among the groups it belongs to (England,
its region, its council type, named groups such as nearest neighbours), for every measure and
financial year at once. Pure and vectorised: joins, one group-by and window expressions.
`docs/benchmark-statistics.md` gives the method of every column and why."""

import polars as pl

from ..errors import BoardpackError

# The frames the function takes, with each column's type.
SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "values": {
        "organisation": pl.String,
        "measure": pl.String,
        "period": pl.String,
        "value": pl.Float64,
        "numerator": pl.Float64,
        "denominator": pl.Float64,
    },
    "membership": {
        "group": pl.String,
        "group_kind": pl.String,
        "group_code": pl.String,
        "organisation": pl.String,
    },
    "measures": {"measure": pl.String, "polarity": pl.String, "scale": pl.Float64},
    "published": {
        "group_code": pl.String,
        "measure": pl.String,
        "period": pl.String,
        "value": pl.Float64,
    },
}
# Columns that must hold a value on every row.
REQUIRED = {
    "values": ("organisation", "measure", "period"),
    "membership": ("group", "group_kind", "group_code", "organisation"),
    "measures": ("measure", "polarity"),
    "published": ("group_code", "measure", "period"),
}
# The columns that may appear only once together.
UNIQUE_KEYS = {
    "values": ("organisation", "measure", "period"),
    "membership": ("group", "organisation"),
    "measures": ("measure",),
    "published": ("group_code", "measure", "period"),
}
# Polarity -> the sign that turns a value into "smaller is better"; None: no ranking.
POLARITY_SIGN: dict[str, float | None] = {
    "higher_better": -1.0,
    "lower_better": 1.0,
    "none": None,
}
QUARTILES = ("Best quartile", "Second quartile", "Third quartile", "Worst quartile")
PERIOD_PATTERN = r"^\d{4}/\d{2}$"
CELL = ("group", "measure", "period")  # one benchmarking cell: a group's councils in one year
OUTPUT_COLUMNS = [
    *("organisation", "measure", "period", "value", "group", "group_kind"),
    *("group_value", "group_value_source", "median", "q1", "q3", "mad", "distance_mads"),
    *("rank", "n_ranked", "quartile", "rank_change"),
]


class BenchmarkInputError(BoardpackError):
    """A benchmarking input that cannot be used: names the frame, column, row and value."""

    def __init__(self, frame: str, column: str, row: int | None, value: object, problem: str):
        self.frame, self.column, self.row, self.value = frame, column, row, value
        where = "" if row is None else f"row index {row}, "
        shown = "" if row is None else f", value {value!r}"
        super().__init__(f"{frame}: {where}column '{column}'{shown}: {problem}")


def benchmark_statistics(
    values: pl.DataFrame,
    membership: pl.DataFrame,
    measures: pl.DataFrame,
    published: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per organisation, measure, period and group the organisation belongs to, with
    the group's value, median, quartiles, MAD, the council's distance in MADs, rank, quartile
    and change of rank since the measure's previous period. Raises `BenchmarkInputError`."""
    values, membership, measures, published = _validated(values, membership, measures, published)
    rows = _rows(values, membership, measures)
    cells = _group_values(_cell_statistics(rows), measures, published)
    rows = rows.join(cells, on=CELL, how="left", maintain_order="left").with_columns(
        pl.col("_key").rank("min").over(CELL).alias("rank"),
        _distance_mads(),
        _quartile(),
    )
    return rows.with_columns(_rank_change()).select(OUTPUT_COLUMNS)


def _rows(values: pl.DataFrame, membership: pl.DataFrame, measures: pl.DataFrame):
    """Each value once for every group of its organisation, in the output's order (group,
    organisation, measure, period), with the measure's previous period and the turned value."""
    values = values.sort("measure", "period").join(
        _previous_periods(values), on=["measure", "period"], how="left", maintain_order="left"
    )
    return (
        membership.sort("group", "organisation")
        .join(values, on="organisation", how="inner", maintain_order="left_right")
        .join(
            measures.select("measure", "polarity"), on="measure", how="left", maintain_order="left"
        )
        .with_columns(_oriented())
    )


def _validated(values, membership, measures, published):
    """The four frames conformed to `SCHEMAS` and checked; `published` empty when absent."""
    if published is None:
        published = pl.DataFrame(schema=SCHEMAS["published"])
    frames = {
        name: _conform(frame, name)
        for name, frame in zip(SCHEMAS, (values, membership, measures, published), strict=True)
    }
    for name, frame in frames.items():
        _check_unique(frame, name, UNIQUE_KEYS[name])
    for name in ("values", "published"):
        _check_periods(frames[name], name)
    polarities = ", ".join(POLARITY_SIGN)
    _check_in(frames["measures"], "measures", "polarity", list(POLARITY_SIGN), f"use {polarities}")
    _check_in(
        frames["values"],
        "values",
        "measure",
        frames["measures"]["measure"],
        "not in measures; add a row there with its polarity and scale",
    )
    _check_one_per_group(frames["membership"])
    return tuple(frame.drop("_row") for frame in frames.values())


def _conform(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """`frame` cut to its schema's columns and cast; NaN values read as missing."""
    schema = SCHEMAS[name]
    for column in schema:
        if column not in frame.columns:
            raise BenchmarkInputError(
                name, column, None, None, f"missing column; expected {', '.join(schema)}"
            )
    frame = frame.select(list(schema)).with_row_index("_row")
    for column, dtype in schema.items():
        cast = frame[column].cast(dtype, strict=False)
        bad = frame.filter(frame[column].is_not_null() & cast.is_null())
        if bad.height:
            raise BenchmarkInputError(
                name, column, bad["_row"][0], bad[column][0], f"not a {dtype} value"
            )
        frame = frame.with_columns(cast.alias(column))
    for column in REQUIRED[name]:
        _raise_first(frame, name, column, frame[column].is_null(), "missing; every row needs one")
    floats = [c for c, dtype in schema.items() if dtype == pl.Float64]
    return frame.with_columns(pl.col(floats).fill_nan(None))


def _raise_first(frame: pl.DataFrame, name: str, column: str, bad: pl.Series, problem: str):
    """Raise for the first row where `bad` is true, if any."""
    offending = frame.filter(bad)
    if offending.height:
        raise BenchmarkInputError(name, column, offending["_row"][0], offending[column][0], problem)


def _check_unique(frame: pl.DataFrame, name: str, keys: tuple[str, ...]) -> None:
    repeated = frame.select(~pl.struct(keys).is_first_distinct()).to_series()
    offending = frame.filter(repeated)
    if offending.height:
        first = offending.row(0, named=True)
        raise BenchmarkInputError(
            name,
            " × ".join(keys),
            first["_row"],
            tuple(first[k] for k in keys),
            "repeats an earlier row; keep one row for each",
        )


def _check_periods(frame: pl.DataFrame, name: str) -> None:
    bad = ~frame["period"].str.contains(PERIOD_PATTERN)
    _raise_first(frame, name, "period", bad, "not a financial year written like '2023/24'")


def _check_in(frame: pl.DataFrame, name: str, column: str, allowed, problem: str) -> None:
    allowed = pl.Series(allowed, dtype=pl.String)
    bad = frame.select(~pl.col(column).is_in(allowed.implode())).to_series()
    _raise_first(frame, name, column, bad, problem)


def _check_one_per_group(membership: pl.DataFrame) -> None:
    """Each group has one kind and one code (the published values join on the code)."""
    for column in ("group_kind", "group_code"):
        bad = membership.select(pl.col(column).n_unique().over("group") > 1).to_series()
        _raise_first(
            membership, "membership", column, bad, "differs between rows of the same group"
        )


def _oriented() -> list[pl.Expr]:
    """`_sign` from the polarity and `_key`, the value turned so that smaller is better; both
    null for polarity none."""
    sign = pl.col("polarity").replace_strict(POLARITY_SIGN, return_dtype=pl.Float64)
    return [sign.alias("_sign"), (pl.col("value") * sign).alias("_key")]


def _cell_statistics(rows: pl.DataFrame) -> pl.DataFrame:
    """Per group, measure and period: the order statistics over non-missing values, the MAD and
    the sums for a pooled ratio (over councils with a value)."""
    value = pl.col("value")
    has_value = value.is_not_null()
    incomplete = has_value & (pl.col("numerator").is_null() | pl.col("denominator").is_null())
    return rows.group_by(CELL).agg(
        value.median().alias("median"),
        value.quantile(0.25, "linear").alias("q1"),
        value.quantile(0.75, "linear").alias("q3"),
        (value - value.median()).abs().median().alias("mad"),
        value.count().alias("n_ranked"),
        pl.col("numerator").filter(has_value).sum().alias("_num"),
        pl.col("denominator").filter(has_value).sum().alias("_den"),
        (~incomplete.any()).alias("_complete"),
        pl.col("group_code").first(),
    )


def _group_values(cells, measures, published) -> pl.DataFrame:
    """`group_value` and `group_value_source`: published, else the pooled ratio, else median."""
    published = published.filter(pl.col("value").is_not_null()).select(
        "group_code", "measure", "period", pl.col("value").alias("_published")
    )
    cells = cells.join(measures.select("measure", "scale"), on="measure", how="left").join(
        published, on=["group_code", "measure", "period"], how="left"
    )
    pooled = pl.col("scale").is_not_null() & pl.col("_complete") & (pl.col("_den") > 0)
    pooled &= pl.col("n_ranked") > 0
    return cells.with_columns(
        pl.when(pl.col("_published").is_not_null())
        .then(pl.col("_published"))
        .when(pooled)
        .then(pl.col("_num") / pl.col("_den") * pl.col("scale"))
        .otherwise(pl.col("median"))
        .alias("group_value"),
        pl.when(pl.col("_published").is_not_null())
        .then(pl.lit("published"))
        .when(pooled)
        .then(pl.lit("computed"))
        .otherwise(pl.lit("median"))
        .alias("group_value_source"),
    ).drop("_num", "_den", "_complete", "scale", "_published", "group_code")


def _distance_mads() -> pl.Expr:
    """(value - median) / MAD; where the MAD is 0, 0 on the median and null elsewhere."""
    off = pl.col("value") - pl.col("median")
    return (
        pl.when(pl.col("mad") != 0)
        .then(off / pl.col("mad"))
        .when(off == 0)
        .then(pl.lit(0.0))
        .otherwise(pl.lit(None, dtype=pl.Float64))
        .alias("distance_mads")
    )


def _quartile() -> pl.Expr:
    """The quartile from the turned value against the turned cut points; a value on a cut point
    goes to the better side. Null where `_key` is null (no value, or polarity none)."""
    turned = [pl.col(c) * pl.col("_sign") for c in ("q1", "median", "q3")]
    cuts = [
        pl.min_horizontal(turned[0], turned[2]),
        turned[1],
        pl.max_horizontal(turned[0], turned[2]),
    ]
    key = pl.col("_key")
    expr = pl.when(key.is_null()).then(pl.lit(None, dtype=pl.String))
    for label, cut in zip(QUARTILES, cuts, strict=False):
        expr = expr.when(key <= cut).then(pl.lit(label))
    return expr.otherwise(pl.lit(QUARTILES[-1])).alias("quartile")


def _previous_periods(values: pl.DataFrame) -> pl.DataFrame:
    """`_previous`: for each measure and period, the period before it among the distinct periods
    the measure has in `values` (null for its first)."""
    return (
        values.select("measure", "period")
        .unique()
        .sort("measure", "period")
        .with_columns(pl.col("period").shift(1).over("measure").alias("_previous"))
    )


def _rank_change() -> pl.Expr:
    """Rank in the previous period minus rank now (positive: moved up). Rows come in period
    order within group, organisation and measure, so the previous period's row, if the
    organisation has one, is the row just before."""
    same_series = pl.all_horizontal(
        pl.col(c) == pl.col(c).shift(1) for c in ("group", "organisation", "measure")
    )
    follows = same_series & (pl.col("period").shift(1) == pl.col("_previous"))
    previous_rank = pl.when(follows).then(pl.col("rank").shift(1))
    return (previous_rank.cast(pl.Int64) - pl.col("rank").cast(pl.Int64)).alias("rank_change")
