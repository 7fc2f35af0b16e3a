"""The catalogue's frames of the Dataset: one row per indicator, targets resolved to each
period of an indicator's frequency, and manual ratings keyed like the figures. Wherever the
figures were read from (files, the database), these come from the project the same way."""

from __future__ import annotations

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
    financial years its figures and targets cover (so trend tables can show future targets)."""
    rows = []
    labels = _labels_by_indicator(observations)
    for ind in project.indicators:
        if not ind.targets:
            continue
        for period in _periods_to_cover(ind, labels.get(ind.ref, [])):
            target = _target_for(ind, period)
            if target is not None:
                rows.append(
                    {
                        "indicator": ind.ref,
                        "period": period.label,
                        "period_start": period.start,
                        "period_end": period.end,
                        "end_month": period.end_month,
                        "target": target.target,
                        "floor": target.floor,
                        "band": target.band,
                        "tolerance": target.tolerance,
                    }
                )
    return TARGETS.frame(rows)


def _labels_by_indicator(observations: pl.DataFrame) -> dict[str, list[str]]:
    """Each indicator's distinct period labels in the figures."""
    grouped = observations.group_by("indicator").agg(pl.col("period").unique())
    return dict(zip(grouped["indicator"].to_list(), grouped["period"].to_list(), strict=True))


def _periods_to_cover(ind: Indicator, labels: list[str]) -> list[Period]:
    """The indicator's own periods (`labels`, from its figures), and every period of its
    frequency in the financial years of its figures and targets (a calendar-year figure keeps
    its own period)."""
    own = {parse_period(label) for label in labels}
    ends = [p.end for p in own]
    ends += [period_for(e.period, ind.frequency).end for e in ind.targets if e.period]
    ends += [e.from_ for e in ind.targets if e.from_]
    years = sorted(
        {parse_period(parse_period(f"{d:%Y-%m}", "monthly").financial_year) for d in ends}
    )
    return sorted(own | {p for year in years for p in periods_in(year, ind.frequency)})


def _target_for(ind: Indicator, period: Period):
    """The most specific target entry for a period: the shortest period entry containing it,
    else the latest effective-dated entry starting on or before it."""
    containing = [(period_for(e.period, ind.frequency), e) for e in ind.targets if e.period]
    containing = [(p, e) for p, e in containing if p.contains(period)]
    if containing:
        return min(containing, key=lambda pair: pair[0].months)[1]
    dated = [e for e in ind.targets if e.from_ and e.from_ <= period.start]
    return max(dated, key=lambda e: e.from_) if dated else None


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
