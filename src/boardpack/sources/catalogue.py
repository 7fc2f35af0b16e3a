"""The catalogue's frames of the Dataset: one row per indicator, targets resolved to each
period of an indicator's frequency, and manual ratings keyed like the figures. Wherever the
figures were read from (files, the database), these come from the project the same way."""

from __future__ import annotations

from datetime import date

import polars as pl

from ..catalogue import Indicator, Project
from ..dataset.schema import INDICATORS, OVERRIDES, TAG_PREFIX, TARGETS
from ..periods import STEP_MONTHS, Period, parse_period, period_for, periods_in


def indicator_frame(project: Project) -> pl.DataFrame:
    """One row per indicator with what the engine needs, plus a `tag_<name>` column per tag."""
    settings = project.settings
    rows = [
        _indicator_row(ind, ind.scheme_name(settings))
        | _placeholder(ind, settings.target_placeholder)
        for ind in project.indicators
    ]
    tags = sorted({name for ind in project.indicators for name in ind.tags})
    frame = INDICATORS.frame(rows)
    tag_columns = {
        f"{TAG_PREFIX}{name}": [_tag_text(ind.tags.get(name)) for ind in project.indicators]
        for name in tags
    }
    return frame.with_columns(
        pl.Series(name, values, dtype=pl.String) for name, values in tag_columns.items()
    )


def _indicator_row(ind: Indicator, scheme: str) -> dict:
    return {
        "indicator": ind.ref,
        "title": ind.title,
        "tier": ind.tier,
        "polarity": ind.polarity,
        "unit": ind.unit,
        "decimals": ind.decimals,
        "frequency": ind.frequency,
        "step_months": STEP_MONTHS[ind.frequency],
        "scheme": scheme,
        "lag_periods": ind.lag_periods,
        "no_change_within": ind.no_change_within,
        "directorate": ind.directorate,
        "perspective": ind.perspective,
        "measurement": ind.measurement,
        "baseline": ind.baseline.value if ind.baseline else None,
        "baseline_period": parse_period(ind.baseline.period).label if ind.baseline else None,
    }


def _placeholder(ind: Indicator, default: float | None) -> dict:
    given = ind.target_placeholder
    return {
        "target_placeholder": default if given is None else given,
        "direction_basis": ind.direction_basis,
    }


def _tag_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def target_frame(project: Project, observations: pl.DataFrame) -> pl.DataFrame:
    """Catalogue targets resolved to every period of each indicator's frequency, over the
    financial years its figures and targets cover (so trend tables can show future targets).

    For each period the most specific entry applies: the shortest period entry containing it,
    else the latest effective-dated entry starting on or before it. Worked out by joins over
    whole frames: each distinct period label and financial year is read once in Python."""
    entries = _target_entries(project)
    if entries.is_empty():
        return TARGETS.frame([])
    periods = _periods_to_cover(project, entries, observations)
    key = ["indicator", "start", "end", "kind"]
    picked = [
        _pick(periods, entries.filter(pl.col("entry_start").is_not_null()), "period"),
        _pick(periods, entries.filter(pl.col("from_").is_not_null()), "dated"),
    ]
    values = ("target", "floor", "band", "tolerance")
    resolved = (
        periods.join(picked[0], on=key, how="left")
        .join(picked[1], on=key, how="left", suffix="_dated")
        .filter(pl.col("position").is_not_null() | pl.col("position_dated").is_not_null())
        .with_columns(
            pl.when(pl.col("position").is_not_null())
            .then(pl.col(name))
            .otherwise(pl.col(f"{name}_dated"))
            .alias(name)
            for name in values
        )
        .sort("order", "start", "end", "kind")
    )
    frame = resolved.select(
        "indicator",
        pl.col("label").alias("period"),
        pl.col("start").alias("period_start"),
        pl.col("end").alias("period_end"),
        "end_month",
        *values,
    )
    return TARGETS.frame(frame)


def _target_entries(project: Project) -> pl.DataFrame:
    """Every target entry: a period entry's period (read for the indicator's frequency), a
    dated entry's date, and the indicator's place in the catalogue (`order`)."""
    rows = []
    for order, ind in enumerate(project.indicators):
        for position, e in enumerate(ind.targets):
            within = period_for(e.period, ind.frequency) if e.period else None
            rows.append(
                {
                    "indicator": ind.ref,
                    "frequency": ind.frequency,
                    "order": order,
                    "position": position,
                    "entry_start": within.start if within else None,
                    "entry_end": within.end if within else None,
                    "entry_months": within.months if within else None,
                    "from_": e.from_,
                    "target": e.target,
                    "floor": e.floor,
                    "band": e.band,
                    "tolerance": e.tolerance,
                }
            )
    schema = {
        "indicator": pl.String,
        "frequency": pl.String,
        "order": pl.Int64,
        "position": pl.Int64,
        "entry_start": pl.Date,
        "entry_end": pl.Date,
        "entry_months": pl.Int64,
        "from_": pl.Date,
        "target": pl.Float64,
        "floor": pl.Float64,
        "band": pl.Float64,
        "tolerance": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def _periods_to_cover(
    project: Project, entries: pl.DataFrame, observations: pl.DataFrame
) -> pl.DataFrame:
    """For each indicator with targets, its own periods (from its figures) and every period of
    its frequency in the financial years of its figures and targets (a calendar-year figure
    keeps its own period): indicator, order, start, end, kind, label, end_month."""
    indicators = entries.select("indicator", "frequency", "order").unique("indicator")
    own = (
        observations.select("indicator", "period")
        .unique()
        .join(indicators, on="indicator")
        .join(_periods_of(observations["period"].unique()), left_on="period", right_on="label")
        .drop("period")
    )
    ends = pl.concat(
        [
            own.select("indicator", pl.col("end").alias("day")),
            entries.select("indicator", pl.coalesce("entry_end", "from_").alias("day")),
        ]
    )
    year_start = pl.date(
        pl.col("day").dt.year() - (pl.col("day").dt.month() < 4).cast(pl.Int32), 4, 1
    )
    years = (
        ends.select("indicator", year_start.alias("year")).unique().join(indicators, on="indicator")
    )
    spread = years.join(
        _periods_in_years(years.select("year", "frequency").unique()), on=["year", "frequency"]
    )
    columns = ["indicator", "order", "start", "end", "kind"]
    periods = pl.concat([own.select(columns), spread.select(columns)]).unique()
    names = _period_names(periods.select("start", "end", "kind").unique())
    return periods.join(names, on=["start", "end", "kind"])


def _periods_of(labels: pl.Series) -> pl.DataFrame:
    """Each distinct period label read once: label, start, end, kind."""
    found = [(label, parse_period(label)) for label in labels.to_list() if label is not None]
    return pl.DataFrame(
        {
            "label": [label for label, _ in found],
            "start": [p.start for _, p in found],
            "end": [p.end for _, p in found],
            "kind": [p.kind for _, p in found],
        },
        schema={"label": pl.String, "start": pl.Date, "end": pl.Date, "kind": pl.String},
    )


def _periods_in_years(years: pl.DataFrame) -> pl.DataFrame:
    """The periods of each frequency in each financial year (starting 1 April `year`)."""
    rows = [
        (start, frequency, p.start, p.end, p.kind)
        for start, frequency in years.iter_rows()
        for p in periods_in(Period(start, date(start.year + 1, 3, 31), "year"), frequency)
    ]
    schema = {
        "year": pl.Date,
        "frequency": pl.String,
        "start": pl.Date,
        "end": pl.Date,
        "kind": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _period_names(periods: pl.DataFrame) -> pl.DataFrame:
    """The canonical label and end month of each distinct period."""
    made = [Period(start, end, kind) for start, end, kind in periods.iter_rows()]
    return periods.with_columns(
        pl.Series("label", [p.label for p in made], dtype=pl.String),
        pl.Series("end_month", [p.end_month for p in made], dtype=pl.Int32),
    )


def _pick(periods: pl.DataFrame, entries: pl.DataFrame, kind: str) -> pl.DataFrame:
    """For each period the entry that applies, of one kind: the shortest period entry that
    contains it (the first given on a tie), or the latest dated entry starting on or before it
    (the first given on a tie)."""
    key = ["indicator", "start", "end", "kind"]
    pairs = periods.select(key).join(entries.drop("order", "frequency"), on="indicator")
    if kind == "period":
        pairs = pairs.filter(
            (pl.col("entry_start") <= pl.col("start")) & (pl.col("end") <= pl.col("entry_end"))
        ).sort("entry_months", "position")
    else:
        pairs = pairs.filter(pl.col("from_") <= pl.col("start")).sort(
            "from_", "position", descending=[True, False]
        )
    return pairs.unique(key, keep="first", maintain_order=True).select(
        *key, "position", "target", "floor", "band", "tolerance"
    )


def override_frame(project: Project) -> pl.DataFrame:
    """Manual ratings keyed like the observations: canonical period labels and organisation codes."""
    rows = []
    for o in project.overrides:
        ind = project.indicator(o.indicator)
        rows.append(
            {
                "indicator": ind.ref,
                "organisation": o.organisation or project.organisation.code,
                "period": period_for(o.period, ind.frequency).label,
                "rag": o.rag,
                "reason": o.reason,
                "approved_by": o.approved_by,
            }
        )
    return OVERRIDES.frame(rows)
