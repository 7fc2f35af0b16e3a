"""The national picture a benchmarking pack is built from: the publication read, organisations
and their comparator groups, and the benchmark statistics for every measure, year and group."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from boardpack.catalogue.models import Benchmarking, Project
from boardpack.engine.benchmark import benchmark_statistics
from boardpack.sources.national.measures import load_measures
from boardpack.sources.national.organisations import (
    group_membership,
    load_organisations,
    read_named_groups,
)
from boardpack.sources.national.publication import read_publication

BUILTIN_FORMATS = {"ascof": None}  # name -> config path (None: the committed ASCOF config)


@dataclass
class National:
    """Everything known nationally: `values` for every area as published, `measures` with
    polarity, `organisations` (councils), `membership` of comparator groups, and
    `statistics` (one row per council, measure, year and group)."""

    name: str
    values: pl.DataFrame
    measures: pl.DataFrame
    organisations: pl.DataFrame
    membership: pl.DataFrame
    statistics: pl.DataFrame

    @property
    def title(self) -> str:
        """ "the Adult Social Care Outcomes Framework (ASCOF), 2015/16 to 2024/25" """
        periods = self.statistics["period"]
        return f"{self.name}, {periods.min()} to {periods.max()}"


def load_national(
    publication: Path,
    lookups: Path,
    format: str = "ascof",
    measures: Path | None = None,
    groups: Iterable[Path] = (),
) -> National:
    """Read a national publication and compute its benchmark statistics."""
    config = BUILTIN_FORMATS.get(format, format)
    data = read_publication(Path(publication), config)
    catalogue = load_measures(measures)
    organisations = load_organisations(Path(lookups), data)
    named = [read_named_groups(Path(path), organisations) for path in groups]
    membership = group_membership(organisations, pl.concat(named) if named else None)
    councils = data.values.filter(pl.col("area_kind") == "council")
    published = data.values.filter(pl.col("area_kind") != "council").select(
        pl.col("organisation").alias("group_code"), "measure", "period", "value"
    )
    statistics = benchmark_statistics(
        councils.select("organisation", "measure", "period", "value", "numerator", "denominator"),
        membership,
        catalogue.select("measure", "polarity", "scale"),
        published,
    )
    name = data.config.title or data.config.name
    return National(name, data.values, catalogue, organisations, membership, statistics)


def national_for_project(project: Project) -> National:
    """The national picture a project's `benchmarking:` section names; the project's own
    council goes by the name the project gives it."""
    settings = require_benchmarking(project)
    national = load_national(
        project.resolve(settings.publication),
        project.resolve(settings.lookups),
        settings.format
        if settings.format in BUILTIN_FORMATS
        else str(project.resolve(settings.format)),
        project.resolve(settings.measures) if settings.measures else None,
        [project.resolve(path) for path in settings.groups],
    )
    own = pl.col("organisation") == project.organisation.code
    named = pl.when(own).then(pl.lit(project.organisation.name)).otherwise("name")
    return replace(national, organisations=national.organisations.with_columns(name=named))


def require_benchmarking(project: Project) -> Benchmarking:
    if project.benchmarking is None:
        raise ValueError(
            "the project has no benchmarking: section; add one naming the national publication "
            "and the lookups folder (see docs/catalogue.md)"
        )
    return project.benchmarking


BENCHMARK_COLUMNS = (
    "organisation", "measure", "period", "value", "group", "group_value", "median", "q1", "q3",
    "mad", "distance_mads", "rank", "n_ranked", "quartile", "rank_change",
)  # fmt: skip


def benchmark_table(national: National, organisations: list[str] | None = None) -> pl.DataFrame:
    """The published benchmark table (`boardpack benchmark`), for some councils or all."""
    rows = national.statistics
    if organisations:
        rows = rows.filter(pl.col("organisation").is_in(organisations))
    rows = rows.select(BENCHMARK_COLUMNS).with_columns(pl.col(pl.Float64).round(6))
    return rows.sort("organisation", "measure", "period", "group")


def as_at(national: National, period: str | None) -> National:
    """The national picture as it stood in year `period` (e.g. "2023/24"): later years left out."""
    if period is None:
        return national
    years = sorted(national.statistics["period"].unique().to_list())
    if period not in years:
        raise ValueError(
            f'"{period}" is not a year of {national.title}; choose one of: {", ".join(years)}'
        )
    upto = pl.col("period") <= period
    return replace(
        national, values=national.values.filter(upto), statistics=national.statistics.filter(upto)
    )
