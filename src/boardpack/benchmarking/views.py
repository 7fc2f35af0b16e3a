"""What a benchmarking page says about one council: its figure, group values and ranks in words.

Everything is computed over whole frames first (number texts, rank texts) and only the few
rows of one council become Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from boardpack.engine.formatting import format_number

KIND_ORDER = {"england": 0, "region": 1, "council_type": 2, "named": 3}
MARKER_WORDS = {"[c]": "suppressed", "[x]": "not available", "[z]": "not applicable"}


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st, 112th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_words(rank: int | None, n_ranked: int | None) -> str:
    return f"{ordinal(rank)} of {n_ranked}" if rank is not None and n_ranked else "not ranked"


def rank_change_words(change: int | None) -> str:
    if change is None:
        return ""
    if change == 0:
        return "no change"
    places = "place" if abs(change) == 1 else "places"
    return f"{'up' if change > 0 else 'down'} {abs(change)} {places}"


# kind -> whom a rank is among, so the group's size reads as a count of councils
PLACES = {"england": "councils in {group}", "region": "councils in the {group} region"}


def where(group: str, kind: str) -> str:
    """Whom a rank is among: "councils in England", "councils in the Eastern region", "among
    Shire Counties"."""
    return PLACES.get(kind, "among {group}").format(group=group)


def not_ranked(group: str, kind: str) -> str:
    """ "not ranked among councils in England" """
    among = where(group, kind)
    return f"not ranked {among if among.startswith('among') else 'among ' + among}"


@dataclass
class Comparison:
    group: str
    kind: str
    n_ranked: int | None
    group_value_text: str
    group_value_source: str | None
    median_text: str
    rank: int | None
    rank_text: str
    quartile: str | None
    rank_change_text: str

    @property
    def sentence(self) -> str:
        """ "ranked 4th of 152 councils in England; England 69.9%" """
        ranked = (
            f"ranked {self.rank_text} {where(self.group, self.kind)}"
            if self.rank is not None
            else not_ranked(self.group, self.kind)
        )
        return f"{ranked}; {self.group} {self.group_value_text}"


@dataclass
class MeasureView:
    code: str
    title: str
    period: str
    polarity: str
    value_text: str
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def headline(self) -> str:
        return "; ".join(c.sentence for c in self.comparisons[:1])


def with_texts(stats: pl.DataFrame, measures: pl.DataFrame) -> pl.DataFrame:
    """Statistics rows with number texts in the measure's unit."""
    units = measures.select("measure", "unit", "decimals")
    decimals = pl.col("decimals")
    framed = stats.join(units, on="measure", how="left")
    return framed.with_columns(
        value_text=format_number(pl.col("value"), decimals, pl.col("unit")),
        group_value_text=format_number(pl.col("group_value"), decimals, pl.col("unit")),
        median_text=format_number(pl.col("median"), decimals, pl.col("unit")),
    )


def shown_groups(council: pl.DataFrame, compare_with: list[str]) -> pl.DataFrame:
    """The council's groups named in `compare_with` (a kind or a group's name), in that order."""
    wanted = {name.lower(): i for i, name in enumerate(compare_with)}
    groups = council.select("group", "group_kind").unique()
    order = [
        wanted.get(kind.lower(), wanted.get(group.lower())) for group, kind in groups.iter_rows()
    ]
    return (
        groups.with_columns(order=pl.Series(order, dtype=pl.Int64))
        .filter(pl.col("order").is_not_null())
        .sort("order")
    )


def measure_views(
    council: pl.DataFrame,
    latest: pl.DataFrame,
    measures: pl.DataFrame,
    markers: pl.DataFrame,
    compare_with: list[str],
) -> list[MeasureView]:
    """One view per measure for the council's latest period of each measure.

    `council`: its statistics rows with texts; `latest`: `measure, period` of each measure's
    latest year; `markers`: `measure, period, value_marker` of the council's suppressed cells.
    """
    groups = shown_groups(council, compare_with)
    rows = council.join(latest, on=["measure", "period"]).join(
        groups.select("group", "order"), on="group"
    )
    rows = rows.join(markers, on=["measure", "period"], how="left").sort("order")
    by_measure = rows.partition_by("measure", as_dict=True, maintain_order=True)
    views = []
    for measure in measures.to_dicts():
        part = by_measure.get((measure["measure"],))
        if part is None:
            continue
        views.append(measure_view(measure, part.to_dicts()))
    return views


def measure_view(measure: dict, rows: list[dict]) -> MeasureView:
    first = rows[0]
    marker = first.get("value_marker")
    value_text = first["value_text"] or (
        f"{marker} {MARKER_WORDS.get(marker, '')}".strip() if marker else "no figure"
    )
    return MeasureView(
        code=measure["measure"],
        title=measure["title"],
        period=first["period"],
        polarity=measure["polarity"],
        value_text=value_text,
        comparisons=[comparison(row) for row in rows],
    )


def comparison(row: dict) -> Comparison:
    return Comparison(
        group=row["group"],
        kind=row["group_kind"],
        n_ranked=row["n_ranked"],
        group_value_text=row["group_value_text"] or "no figure",
        group_value_source=row["group_value_source"],
        median_text=row["median_text"] or "no figure",
        rank=row["rank"],
        rank_text=rank_words(row["rank"], row["n_ranked"]),
        quartile=row["quartile"],
        rank_change_text=rank_change_words(row["rank_change"]),
    )


def quartile_counts(views: list[MeasureView]) -> dict[str, int]:
    """How many measures fall in each quartile of the first comparison group."""
    counts: dict[str, int] = {}
    for view in views:
        if view.comparisons and view.comparisons[0].quartile:
            quartile = view.comparisons[0].quartile
            counts[quartile] = counts.get(quartile, 0) + 1
    return counts
