"""A council's own indicators beside the national picture.

An indicator whose catalogue tags name a national measure (`tags: {national_measure: 3A}`;
the tag's name is `benchmarking.tag`) gets a line in its pack saying where the council stood
in the latest national year published by the end of the pack's period: "ranked 45th of 151
councils in England, 2018/19, ASCOF; England 77.6%; 5th of 19 councils in the South East
region". A rank always gives its year, how many were ranked and the source, so it cannot be
mistaken for a rank the council reports itself. A council that is not in the national data (a
new or fictional one) gets the national figure and the spread of councils.
"""

from __future__ import annotations

import re

import polars as pl

from boardpack.catalogue.models import Project
from boardpack.engine.formatting import format_number
from boardpack.engine.national import National
from boardpack.errors import BoardpackError
from boardpack.periods import period_for

from .views import Comparison, measure_views, not_ranked, ordinal, where, with_texts

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
        lines = spread_lines(texts, latest, source_words(national.name))
    else:
        lines = council_lines(council, latest, national, project.benchmarking.compare_with)
    return links.join(lines, on="measure", how="left")


def source_words(name: str) -> str:
    """The publication as a rank cites it: the short name in its title's brackets ("the Adult
    Social Care Outcomes Framework (ASCOF)" gives "ASCOF"), else the title."""
    short = re.search(r"\(([^()]+)\)\s*$", name)
    return short.group(1) if short else name


def council_lines(
    council: pl.DataFrame, latest: pl.DataFrame, national: National, compare_with: list[str]
) -> pl.DataFrame:
    """The council's rank and each group's value, in words, per measure."""
    no_markers = pl.DataFrame(
        schema={"measure": pl.String, "period": pl.String, "value_marker": pl.String}
    )
    views = measure_views(council, latest, national.measures, no_markers, compare_with)
    source = source_words(national.name)
    return pl.DataFrame(
        [(view.code, line(view.comparisons, view.period, source)) for view in views],
        schema={"measure": pl.String, "benchmark_text": pl.String},
        orient="row",
    )


def line(comparisons: list[Comparison], period: str, source: str) -> str:
    """ "ranked 45th of 151 councils in England, 2018/19, ASCOF; England 77.6%; 5th of 19
    councils in the South East region": the first rank with its year and source."""
    if not comparisons:
        return f"{period}, {source}: no comparison"
    first, *others = comparisons
    parts = [f"{ranked(first)}, {period}, {source}", f"{first.group} {first.group_value_text}"]
    parts += [ranked(c, first=False) for c in others]
    return "; ".join(parts)


def ranked(comparison: Comparison, first: bool = True) -> str:
    """ "ranked 45th of 151 councils in England" ("5th of 19 councils in the South East region"
    after the first; "12th of 24 among Shire Counties"); "not ranked among ..." without a rank."""
    if comparison.rank is None or not comparison.n_ranked:
        return not_ranked(comparison.group, comparison.kind)
    words = f"{ordinal(comparison.rank)} of {comparison.n_ranked} {where(comparison.group, comparison.kind)}"
    return f"ranked {words}" if first else words


def spread_lines(texts: pl.DataFrame, latest: pl.DataFrame, source: str) -> pl.DataFrame:
    """For a council not in the national data: England's figure and the councils' spread."""
    england = texts.filter(pl.col("group_kind") == "england").join(latest, on=["measure", "period"])
    one = england.unique(["measure"], keep="first")
    quartile_texts = with_quartile_texts(one)
    return quartile_texts.select(
        "measure",
        benchmark_text=pl.concat_str(
            [
                pl.col("period"),
                pl.lit(f", {source}: England "),
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
