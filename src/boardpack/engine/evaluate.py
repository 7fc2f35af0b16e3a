"""`evaluate()`: one pass over every indicator, organisation and period at once."""

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from ..dataset.schema import INDICATOR_COLUMNS, OBSERVATIONS
from . import history
from .by_scheme import BAND_COLUMNS, by_scheme, edge_rounded, with_widths
from .evaluated import Evaluated
from .measures import (
    compared_value,
    direction,
    direction_basis,
    placeholder_columns,
    rule_columns,
    variance_columns,
)
from .ratings import apply_overrides, known_schemes, rating_columns
from .vocab import RAG_TYPE

# What the engine reads of each observation, typed as the Dataset's schema types them, except
# that repeated labels are categorical: sorting a national frame moves 4-byte codes, not strings.
LABELS = ("indicator", "organisation", "period", "status", "missing_reason")
OBSERVATION_TYPES = {
    name: pl.Categorical if name in LABELS else dtype
    for name, dtype in OBSERVATIONS.columns.items()
    if name not in ("published_rag", "published_direction", "source")
}
# The indicator attributes every row carries while rating; labels (title, tier...) are joined
# on only where a report needs them, so millions of rows never copy them.
ROW_ATTRIBUTES = {
    "polarity": pl.Categorical,
    "unit": pl.Categorical,
    "decimals": pl.Int32,
    "step_months": pl.Int32,
    "scheme": pl.Categorical,
    "lag_periods": pl.Int32,
    "no_change_within": pl.Float64,
    "measurement": pl.Categorical,
    "baseline": pl.Float64,
    "baseline_period": pl.Categorical,
    "target_placeholder": pl.Float64,
    "direction_basis": pl.Categorical,
}
#: Attributes a catalogue frame may leave out (null: the indicator has none).
OPTIONAL_ATTRIBUTES = (
    "measurement",
    "baseline",
    "baseline_period",
    "target_placeholder",
    "direction_basis",
)
#: The indicator columns rating reads (labels and tags are joined on only where a report needs
#: them: `Evaluated.labelled`).
RATED_INDICATOR = {name: INDICATOR_COLUMNS[name] for name in ("indicator", *ROW_ATTRIBUTES)}


@dataclass(frozen=True)
class EngineSettings:
    no_change_within_pct: float = 0.0
    call_in_amber_periods: int = 2
    count_stale: bool = False


#: Observation columns a frame may leave out (null: the figure has none).
OPTIONAL_OBSERVATION = ("baseline",)


def _conform(frame: pl.DataFrame, schema: dict[str, pl.DataType], what: str) -> pl.LazyFrame:
    """Check the columns the engine relies on and cast them to their types (an optional
    observation column left out is null)."""
    absent = [c for c in OPTIONAL_OBSERVATION if c in schema and c not in frame.columns]
    frame = frame.with_columns(pl.lit(None).alias(c) for c in absent)
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} frame lacks column(s) {', '.join(missing)}")
    return frame.lazy().with_columns(pl.col(c).cast(t) for c, t in schema.items())


def _with_targets(frame: pl.LazyFrame, targets: pl.DataFrame | None) -> pl.LazyFrame:
    """Targets and floors given with the figures win over those from the catalogue; an in-band
    target's own `band` and `tolerance` come from the catalogue where any target gives them."""
    if targets is None or targets.is_empty():
        return frame
    given = [c for c in BAND_COLUMNS if c in targets.columns and targets[c].is_not_null().any()]
    catalogue = targets.lazy().select(
        pl.col("indicator").cast(pl.Categorical),
        pl.col("period").cast(pl.Categorical),
        pl.col("target").cast(pl.Float64).alias("_target"),
        pl.col("floor").cast(pl.Float64).alias("_floor"),
        *(pl.col(c).cast(pl.Float64) for c in given),
    )
    return (
        frame.join(catalogue, on=["indicator", "period"], how="left", maintain_order="left")
        .with_columns(
            pl.coalesce("target", "_target").alias("target"),
            pl.coalesce("floor", "_floor").alias("floor"),
        )
        .drop("_target", "_floor")
    )


def _rate_chunk(chunk: pl.DataFrame, scheme) -> pl.DataFrame:
    """A chunk's ratings under one scheme (compared as `edge_rounded` says): just the new
    columns, so joining the chunks back copies only them."""
    return edge_rounded(with_widths(chunk), scheme).select(rating_columns(scheme))


def _coded(column: pl.Series, values: pl.Series) -> pl.Series:
    """The categorical `column` as the position of each entry's value in `values` (null where
    not there). Looked up in a table indexed by category code: one gather, where matching each
    row's value is several times slower over millions of rows."""
    codes = column.to_physical()
    known = values.cast(column.dtype).to_physical()
    table = pl.int_range((codes.max() or 0) + 1, eager=True, dtype=codes.dtype).replace_strict(
        known, pl.int_range(known.len(), eager=True), default=None, return_dtype=pl.Int64
    )
    return table.gather(codes)


def _sorted_with_attributes(observations: pl.LazyFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Observations joined to their indicator's attributes, sorted by rating scheme, indicator,
    organisation and period with one integer key; `_series` numbers each series.

    Sorting first, while the frame is narrow, and by an integer key is several times faster
    than sorting the finished frame by its strings."""
    # One chunk a column: a collected frame comes in many, and gathering rows from many chunks
    # is several times slower than from one.
    frame = observations.collect().rechunk()
    organisations = frame["organisation"].unique().cast(pl.String).sort()
    schemes = indicators["scheme"].cast(pl.Categorical)
    scheme_of = _coded(schemes, schemes.unique(maintain_order=True))
    keyed = frame.with_columns(
        _coded(frame["indicator"], indicators["indicator"]).cast(pl.Int32).alias("_indicator")
    )
    _check_known(keyed)
    keyed = keyed.with_columns(
        (pl.col("_indicator") * organisations.len() + _coded(frame["organisation"], organisations))
        .cast(pl.Int32)
        .alias("_series")
    )
    # The rating order (scheme, series, period) as one integer a row, from 0.
    first_month = frame["end_month"].min() or 0
    months = (frame["end_month"].max() or 0) - first_month + 1
    scheme_rank = pl.lit(scheme_of).gather(pl.col("_indicator"))
    series_rank = scheme_rank * (organisations.len() * len(indicators)) + pl.col("_series")
    key = series_rank * months + pl.col("end_month") - first_month
    ordered = keyed[sorting_order(keyed.select(key).to_series())]
    gathered = _row_attributes(indicators)[ordered["_indicator"].cast(pl.UInt32)]
    return ordered.with_columns(
        _own_or(ordered, name, series) if name in OWN_ROW_VALUES else series
        for name, series in gathered.to_dict().items()
    )


def sorting_order(key: pl.Series) -> pl.Series:
    """The order of rows that sorts `key`, equal keys in row order (as `arg_sort`). Where the
    keys are non-negative and fit in one 64-bit integer with the row number, the two are
    sorted together as one number: over twice as fast as `arg_sort`, which sorts pairs."""
    row_bits = max(key.len() - 1, 1).bit_length()
    if key.is_empty() or key.has_nulls() or key.min() < 0 or key.max() >= 1 << (63 - row_bits):
        return key.arg_sort()
    rows = pl.int_range(key.len(), eager=True, dtype=pl.Int64)
    packed = key.cast(pl.Int64) * (1 << row_bits) + rows
    return (packed.sort() % (1 << row_bits)).cast(pl.get_index_type())


def _row_attributes(indicators: pl.DataFrame) -> pl.DataFrame:
    """The attributes every row of an indicator carries, worked out once per indicator: typed,
    with the `direction_basis` its figures' directions of travel use."""
    typed = indicators.select(pl.col(c).cast(t) for c, t in ROW_ATTRIBUTES.items())
    return typed.with_columns(direction_basis().alias("direction_basis"))


#: Attributes a figure may give for itself (a `baseline` column beside the figures), winning
#: over its indicator's.
OWN_ROW_VALUES = ("baseline",)


def _own_or(frame: pl.DataFrame, name: str, indicator_value: pl.Series) -> pl.Series:
    if name not in frame.columns:
        return indicator_value
    own = frame[name].cast(indicator_value.dtype)
    return own.fill_null(indicator_value).alias(name)


def _check_known(frame: pl.DataFrame) -> None:
    if not frame["_indicator"].has_nulls():
        return
    unknown = frame.filter(pl.col("_indicator").is_null())["indicator"].unique().to_list()
    if unknown:
        raise ValueError(
            f"Observations name indicator(s) not in the catalogue: {', '.join(map(str, unknown))}"
        )


def _directions(tolerance: float) -> list[pl.Expr]:
    return [
        direction(pl.col("value"), compared_value(), tolerance).alias("direction"),
        direction(pl.col("value"), pl.col("last_year_value"), tolerance).alias(
            "direction_vs_last_year"
        ),
    ]


def _with_optional(indicators: pl.DataFrame) -> pl.DataFrame:
    missing = [name for name in OPTIONAL_ATTRIBUTES if name not in indicators.columns]
    return indicators.with_columns(
        pl.lit(None, dtype=INDICATOR_COLUMNS[name]).alias(name) for name in missing
    )


def _looked_back(frame: pl.DataFrame, steps: list[int], tolerance: float) -> pl.DataFrame:
    """The previous period's and last year's figures, and the directions of travel (by each
    row's `direction_basis`): what rating rules may use, so found before rating."""
    found = frame.with_columns(
        *history.previous_columns(["period", "value"]),
        *history.last_year_columns(steps, ["value"]),
    )
    filled = history.fill_last_year(found, ["value"])
    found = found if filled is None else filled
    return with_computed(found, [*_directions(tolerance), *rule_columns()])


def with_computed(frame: pl.DataFrame, columns: list[pl.Expr]) -> pl.DataFrame:
    """`frame.with_columns(columns)`, the columns computed by a lazy query: polars then works
    out what the expressions share once (an eager step works it out again for each use) and
    goes through the rows a morsel at a time, several times faster over millions of rows. The
    new columns are put in one piece each, so the frame stays in one chunk (joining a column in
    many chunks to it would copy the whole frame)."""
    computed = frame.lazy().select(columns).collect().rechunk()
    return frame.with_columns(computed.get_columns())


def _rated(
    frame: pl.DataFrame, schemes: Mapping[str, object], overrides: pl.DataFrame | None
) -> pl.DataFrame:
    """Every row rated, manual ratings applied, and `previous_rag`. Where a scheme's rules use
    the previous rating, rating is repeated, each pass settling one more period of every
    series, until no rating changes."""
    frame = frame.with_columns(pl.lit(None, dtype=RAG_TYPE).alias("previous_rag"))
    passes = max_passes(frame, schemes)
    while True:
        ratings = by_scheme(frame, schemes, _rate_chunk).rechunk()
        rated = apply_overrides(frame.with_columns(ratings.get_columns()), overrides)
        rated = rated.with_columns(*history.previous_columns(["rag"]))
        passes -= 1
        if passes <= 0 or rated["previous_rag"].equals(frame["previous_rag"]):
            # Widths no target gave are the scheme's: the words find them again (`with_widths`).
            unset = [
                c
                for c in BAND_COLUMNS
                if c in rated.columns and rated[c].null_count() == rated.height
            ]
            return rated.drop(unset)
        frame = rated


def max_passes(frame: pl.DataFrame, schemes: Mapping[str, object]) -> int:
    """How many rating passes the schemes need: one, or where a rule uses the previous
    rating, one more than the longest series."""
    looks_back = any("previous_rag" in getattr(s, "fields", ()) for s in schemes.values())
    if not looks_back or frame.is_empty():
        return 1
    return int(frame["_series"].value_counts()["count"].max()) + 1


def _with_scheme_periods(frame: pl.DataFrame, periods: pl.DataFrame | None) -> pl.DataFrame:
    """Each row's scheme: the indicator's, or the one it uses from a period on (the latest
    entry starting on or before the row's period)."""
    if periods is None or periods.is_empty():
        return frame
    chosen = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.String))
    for entry in periods.sort("period_start", descending=True).iter_rows(named=True):
        applies = (pl.col("indicator") == entry["indicator"]) & (
            pl.col("period_start") >= entry["period_start"]
        )
        chosen = chosen.when(applies).then(pl.lit(entry["scheme"]))
    scheme = chosen.otherwise(pl.col("scheme").cast(pl.String)).cast(pl.Categorical)
    return frame.with_columns(scheme.alias("scheme"))


def evaluate(
    observations: pl.DataFrame,
    indicators: pl.DataFrame,
    targets: pl.DataFrame | None = None,
    overrides: pl.DataFrame | None = None,
    schemes: Mapping[str, object] | None = None,
    settings: EngineSettings = EngineSettings(),
    scheme_periods: pl.DataFrame | None = None,
):
    """Rate every observation: variance, RAG with reason, previous and last-year values,
    direction of travel, and runs of Amber. Returns an `Evaluated`. `scheme_periods`
    (indicator, period_start, scheme) gives schemes indicators use from a period on."""
    indicators = _with_optional(indicators)
    indicator_frame = _conform(indicators, RATED_INDICATOR, "Indicators").select(
        list(RATED_INDICATOR)
    )
    named = indicators["scheme"].unique().to_list()
    if scheme_periods is not None:
        named += scheme_periods["scheme"].unique().to_list()
    used = known_schemes(sorted(set(named)), schemes)
    steps = sorted(int(s) for s in indicators["step_months"].unique().to_list())
    observations = _with_targets(_conform(observations, OBSERVATION_TYPES, "Observations"), targets)
    frame = _sorted_with_attributes(observations, indicator_frame.collect())
    frame = _with_scheme_periods(frame, scheme_periods)
    frame = frame.with_columns(*placeholder_columns())
    frame = frame.with_columns(*variance_columns(), *history.series_columns())
    frame = _looked_back(frame, steps, settings.no_change_within_pct)
    result = _rated(frame, used, overrides).with_columns(history.amber_run())
    result = result.drop("_indicator", "_first_month", "_ly_todo").rename({"_series": "series"})
    return Evaluated(result, indicators, settings, used, overrides)
