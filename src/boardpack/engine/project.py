"""The engine run on a Dataset: the project's own rating schemes and settings, then `evaluate`."""

from __future__ import annotations

import polars as pl

from ..catalogue import Project
from ..dataset import Dataset
from ..periods import period_for
from .evaluate import EngineSettings, evaluate
from .evaluated import Evaluated
from .schemes import DEFAULT_SCHEMES, make_scheme


def project_schemes(project: Project) -> dict[str, object]:
    """The rating schemes a project can name: the built-in ones and its `rating_schemes:`."""
    named = {
        name: make_scheme(name, config.model_dump())
        for name, config in project.rating_schemes.items()
    }
    return {**DEFAULT_SCHEMES, **named}


def project_settings(project: Project) -> EngineSettings:
    settings = project.settings
    return EngineSettings(
        settings.no_change_within_pct, settings.call_in_amber_periods, settings.count_stale
    )


def scheme_periods(project: Project) -> pl.DataFrame:
    """The rating schemes indicators use from a period on: indicator, period_start, scheme."""
    rows = [
        {
            "indicator": ind.ref,
            "period_start": period_for(entry.from_, ind.frequency).start,
            "scheme": entry.scheme,
        }
        for ind in project.indicators
        for entry in ind.schemes
    ]
    schema = {"indicator": pl.String, "period_start": pl.Date, "scheme": pl.String}
    return pl.DataFrame(rows, schema=schema)


def evaluate_dataset(dataset: Dataset) -> Evaluated:
    """Every figure of the Dataset rated, with its reason, look-backs and direction."""
    return evaluate(
        dataset.observations,
        dataset.indicators,
        dataset.targets,
        dataset.overrides,
        project_schemes(dataset.project),
        project_settings(dataset.project),
        scheme_periods(dataset.project),
    )
