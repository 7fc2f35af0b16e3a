"""A council's own indicators beside the national picture.

An indicator whose catalogue tags name a national measure (`tags: {national_measure: 3A}`;
the tag's name is `benchmarking.tag`) gets a line in its pack saying where the council stood
in the latest national year published by the end of the pack's period: "2018/19: ranked 45th
of 151 nationally; England 77.6%; 5th of 19 in the South East region". A council that is not in the
national data (a new or fictional one) gets the national figure and the spread of councils.
"""

from __future__ import annotations

import polars as pl

from boardpack.catalogue.models import Project
from boardpack.engine.formatting import format_number
from boardpack.engine.national import National
from boardpack.errors import BoardpackError
from boardpack.periods import period_for

from .views import Comparison, measure_views, rank_words, where, with_texts

LINK_COLUMNS = {"indicator": pl.String, "measure": pl.String, "benchmark_text": pl.String}


def linked_measures(project: Project, national: National) -> pl.DataFrame:
    """`indicator, measure` for every indicator tagged with a national measure; a code the
    publication does not have is an error naming the indicator."""
    tag = project.benchmarking.tag
    pairs = [
        (ind.ref, str(ind.tags[tag])) for ind in project.indicators if ind.tags.get(tag) is not None
    ]
    known = national.measures["measure"].to_list()
    unknown = [(ref, code) for ref, code in pairs if code not in known]
    if unknown:
        listed = "; ".join(f'{ref}: "{code}"' for ref, code in unknown)
        raise BoardpackError(
            f"tags.{tag} names a measure the national publication does not have ({listed}); "
            f"use one of: {', '.join(known)}"
        )
    return pl.DataFrame(pairs, schema=["indicator", "measure"], orient="row")


def published_by(national: National, end_month: int) -> pl.DataFrame:
    """Each measure's latest year with council figures that ended by `end_month`."""
    years = national.statistics.filter(pl.col("value").is_not_null())["period"].unique()
    ended = [year for year in years if period_for(year, "annual").end_month <= end_month]
    published = national.statistics.filter(
        pl.col("value").is_not_null(), pl.col("period").is_in(ended)
    )
    return published.group_by("measure").agg(pl.col("period").max())


def linked_benchmarks(
    project: Project, national: National, organisation: str, end_month: int
) -> pl.DataFrame:
    """`indicator, measure, benchmark_text` for the linked indicators of a pack."""
    links = linked_measures(project, national)
    if links.is_empty():
        return pl.DataFrame(schema=LINK_COLUMNS)
    latest = published_by(national, end_month)
    texts = with_texts(
        national.statistics.filter(pl.col("measure").is_in(links["measure"].implode())),
        national.measures,
    )
    council = texts.filter(pl.col("organisation") == organisation)
    if council.is_empty():
        lines = spread_lines(texts, latest)
    else:
        lines = council_lines(council, latest, national, project.benchmarking.compare_with)
    return links.join(lines, on="measure", how="left")


def council_lines(
    council: pl.DataFrame, latest: pl.DataFrame, national: National, compare_with: list[str]
) -> pl.DataFrame:
    """The council's rank and each group's value, in words, per measure."""
    no_markers = pl.DataFrame(
        schema={"measure": pl.String, "period": pl.String, "value_marker": pl.String}
    )
    views = measure_views(council, latest, national.measures, no_markers, compare_with)
    return pl.DataFrame(
        [(view.code, f"{view.period}: {line(view.comparisons)}") for view in views],
        schema={"measure": pl.String, "benchmark_text": pl.String},
        orient="row",
    )


def line(comparisons: list[Comparison]) -> str:
    """ "ranked 45th of 151 nationally; England 77.6%; 5th of 19 in the South East region" """
    if not comparisons:
        return "no comparison"
    first, *others = comparisons
    parts = [first.sentence]
    parts += [f"{rank_words(c.rank, c.n_ranked)} {where(c.group, c.kind)}" for c in others]
    return "; ".join(parts)


def spread_lines(texts: pl.DataFrame, latest: pl.DataFrame) -> pl.DataFrame:
    """For a council not in the national data: England's figure and the councils' spread."""
    england = texts.filter(pl.col("group_kind") == "england").join(latest, on=["measure", "period"])
    one = england.unique(["measure"], keep="first")
    quartile_texts = with_quartile_texts(one)
    return quartile_texts.select(
        "measure",
        benchmark_text=pl.concat_str(
            [
                pl.col("period"),
                pl.lit(": England "),
                pl.col("group_value_text"),
                pl.lit("; councils' median "),
                pl.col("median_text"),
                pl.lit(", middle half "),
                pl.col("q1_text"),
                pl.lit(" to "),
                pl.col("q3_text"),
                pl.lit(" (not in the national data)"),
            ]
        ),
    )


def with_quartile_texts(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.with_columns(
        q1_text=format_number(pl.col("q1"), pl.col("decimals"), pl.col("unit")),
        q3_text=format_number(pl.col("q3"), pl.col("decimals"), pl.col("unit")),
    )
