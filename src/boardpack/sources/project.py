"""The Dataset: one in-memory shape where every source meets, and the engine's only input.

`load_project(path)` reads a project folder: the catalogue, every data file, commentary and
manual ratings. Anything wrong is reported in full before anything is returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ..catalogue import Indicator, Project, load_project_file
from ..engine import DEFAULT_SCHEMES, EngineSettings, Evaluated, evaluate, make_scheme
from ..engine.evaluate import INDICATOR_COLUMNS
from ..periods import STEP_MONTHS, Period, parse_period, period_for, periods_in
from .budget import CAPITAL, REVENUE, empty_budget, read_capital, read_revenue
from .commentary import CommentaryError, read_commentary
from .commitments import empty_commitments, read_commitments
from .figures import ImportFailed, load_observations
from .narrative import NarrativeError, empty_narrative, read_narrative
from .risks import empty_register, read_risks

TARGET_SCHEMA = {
    "indicator": pl.String,
    "period": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "end_month": pl.Int32,
    "target": pl.Float64,
    "floor": pl.Float64,
    "band": pl.Float64,
    "tolerance": pl.Float64,
}
OVERRIDE_SCHEMA = {
    "indicator": pl.String,
    "organisation": pl.String,
    "period": pl.String,
    "rag": pl.String,
    "reason": pl.String,
    "approved_by": pl.String,
}


@dataclass(frozen=True)
class Dataset:
    project: Project
    indicators: pl.DataFrame
    observations: pl.DataFrame
    targets: pl.DataFrame
    commentary: pl.DataFrame
    overrides: pl.DataFrame
    risks: pl.DataFrame = field(default_factory=empty_register)
    revenue: pl.DataFrame = field(default_factory=lambda: empty_budget(REVENUE))
    capital: pl.DataFrame = field(default_factory=lambda: empty_budget(CAPITAL))
    commitments: pl.DataFrame = field(default_factory=empty_commitments)
    narrative: pl.DataFrame = field(default_factory=empty_narrative)

    def schemes(self) -> dict[str, object]:
        """The engine's rating schemes: built-in ones plus those the project names."""
        named = {
            name: make_scheme(name, config.model_dump())
            for name, config in self.project.rating_schemes.items()
        }
        return {**DEFAULT_SCHEMES, **named}

    def settings(self) -> EngineSettings:
        s = self.project.settings
        return EngineSettings(s.no_change_within_pct, s.call_in_amber_periods)

    def evaluate(self) -> Evaluated:
        return evaluate(
            self.observations,
            self.indicators,
            self.targets,
            self.overrides,
            self.schemes(),
            self.settings(),
        )


class ProjectProblems(ValueError):
    """Every problem found in a project's data files and commentary, reported together."""

    def __init__(self, problems: list):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_project(path: str | Path) -> Dataset:
    """Read a project folder (or its `boardpack.yaml`) into a Dataset. Data files and
    commentary are both checked before anything is returned; all their problems are raised
    together as `ProjectProblems`."""
    project = load_project_file(path)
    problems: list = []
    observations = _collect(
        problems, lambda: load_observations(project, project.folder, project.organisation.code)
    )
    commentary = _collect(problems, lambda: read_commentary(project))
    report = {
        name: _collect(problems, lambda read=read: read(project))
        for name, read in REPORT_READERS.items()
    }
    if observations is not None:
        problems.extend(mixed_period_kinds(observations))
    if problems:
        raise ProjectProblems(problems)
    return make_dataset(project, observations, commentary, report)


def make_dataset(
    project: Project,
    observations: pl.DataFrame,
    commentary: pl.DataFrame,
    report: dict[str, pl.DataFrame],
) -> Dataset:
    """A Dataset from a project and its figures, wherever they were read from (files, the
    database): indicators, targets and overrides are resolved from the catalogue here."""
    return Dataset(
        project=project,
        indicators=indicator_frame(project),
        observations=observations,
        targets=target_frame(project, observations),
        commentary=commentary,
        overrides=override_frame(project),
        **report,
    )


#: The report's other parts: Dataset field -> reader (each raises with all its problems).
REPORT_READERS = {
    "risks": read_risks,
    "revenue": read_revenue,
    "capital": read_capital,
    "commitments": read_commitments,
    "narrative": read_narrative,
}


def mixed_period_kinds(observations: pl.DataFrame) -> list[str]:
    """An indicator's figures must all cover periods of one length (all quarters, or all
    rolling years...): previous period and direction of travel compare like with like."""
    months = (
        (pl.col("period_end").dt.year() * 12 + pl.col("period_end").dt.month())
        - (pl.col("period_start").dt.year() * 12 + pl.col("period_start").dt.month())
        + 1
    )
    kinds = (
        observations.with_columns(months.alias("months"))
        .group_by("indicator", "months", maintain_order=True)
        .first()
    )
    mixed = kinds.filter(pl.col("indicator").is_duplicated())
    return [
        f"{first['source']} and {second['source']}: {ref} has figures for periods of different lengths "
        f'("{first["period"]}", {first["months"]} months; "{second["period"]}", {second["months"]} months); '
        "give each indicator's figures for one kind of period"
        for (ref,), group in mixed.group_by("indicator", maintain_order=True)
        for first, second in [group.head(2).to_dicts()]
    ]


def _collect(problems: list, read):
    try:
        return read()
    except (ImportFailed, CommentaryError, NarrativeError) as error:
        problems.extend(error.problems)
        return None


def indicator_frame(project: Project) -> pl.DataFrame:
    """One row per indicator with what the engine needs, plus a `tag_<name>` column per tag."""
    settings = project.settings
    rows = [_indicator_row(ind, ind.scheme_name(settings)) for ind in project.indicators]
    tags = sorted({name for ind in project.indicators for name in ind.tags})
    frame = pl.DataFrame(rows, schema=INDICATOR_COLUMNS)
    tag_columns = {
        f"tag_{name}": [_tag_text(ind.tags.get(name)) for ind in project.indicators]
        for name in tags
    }
    measurement = pl.Series(
        "measurement", [ind.measurement for ind in project.indicators], dtype=pl.String
    )
    return frame.with_columns(
        measurement,
        *(pl.Series(name, values, dtype=pl.String) for name, values in tag_columns.items()),
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
    return pl.DataFrame(rows, schema=TARGET_SCHEMA)


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
    return pl.DataFrame(rows, schema=OVERRIDE_SCHEMA)
