"""What an officer's decision on a figure rests on, as the entry and review pages show it: the
target and floor, the rating the engine computes and its reason, the figure before and its
rating, the direction of travel, the latest figures and the trend chart, all from the same
evaluation the pack is built from."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from boardpack.periods import parse_period

from .live import live

#: The latest figures listed, newest first.
HISTORY = 6
#: The columns of each listed figure.
HISTORY_COLUMNS = ("period", "value", "target", "floor", "rag")


@dataclass
class Basis:
    """`row`: the indicator's row of the period's report (its latest figure at or before the
    period, rated), or None when the evaluation has none; `history`: its latest figures, newest
    first; `chart`: its trend chart as SVG ("" while it is drawn)."""

    row: dict | None = None
    history: list[dict] = field(default_factory=list)
    chart: str = ""


def basis(organisation, period, ref: str, reader=None) -> Basis:
    """The basis of the decision on `ref` in reporting period `period`, as the Store stands."""
    current = live(organisation, reader=reader)
    report = current.report(parse_period(period.label, "quarterly"))
    found = report.filter(pl.col("indicator").cast(pl.String) == ref)
    series = current.series(ref)
    history = series.select(*HISTORY_COLUMNS).reverse().head(HISTORY).to_dicts()
    return Basis(
        row=found.row(0, named=True) if found.height else None,
        history=history,
        chart=current.chart(ref),
    )
