"""The national picture a benchmarking pack is built from: a publication as read (the
Dataset's `national` part) with the benchmark statistics for every measure, year and group."""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from ..dataset import Publication
from ..errors import NotFound
from .benchmark import benchmark_statistics


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


def national_from(publication: Publication) -> National:
    """The publication with its benchmark statistics for every council, measure, year and
    comparator group (published group values where the publication gives them)."""
    values = publication.values
    councils = values.filter(pl.col("area_kind") == "council")
    published = values.filter(pl.col("area_kind") != "council").select(
        pl.col("organisation").alias("group_code"), "measure", "period", "value"
    )
    statistics = benchmark_statistics(
        councils.select("organisation", "measure", "period", "value", "numerator", "denominator"),
        publication.membership,
        publication.measures.select("measure", "polarity", "scale"),
        published,
    )
    return National(
        publication.name,
        values,
        publication.measures,
        publication.organisations,
        publication.membership,
        statistics,
    )


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
        raise NotFound(
            f'"{period}" is not a year of {national.title}; choose one of: {", ".join(years)}'
        )
    upto = pl.col("period") <= period
    return replace(
        national, values=national.values.filter(upto), statistics=national.statistics.filter(upto)
    )
