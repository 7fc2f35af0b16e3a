"""What a pack is built from: the evaluated rows for one period, and the catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from boardpack.catalogue.models import Project


def _empty() -> pl.DataFrame:
    return pl.DataFrame()


@dataclass
class ReportParts:
    """The rest of the report for the period, beside its indicators: each frame is the period's
    rows only, and empty when the project has no such part (a layout leaves its section out).

    `risks` is the register with `movement` since the last period; `heat_map` the 5x5 matrix
    (`engine.risks.heat_map`); `high_risks` those scored `risk_threshold` or more. `revenue` and
    `capital` are budget lines with their total rows, in `money_unit` ("pounds" or
    "thousands") to `revenue_decimals` and `capital_decimals` places. `headline` is
    `engine.finance.headline`; `commitment_summary` is `engine.commitments.commitment_summary` and
    `commitment_scheme` the project's pairs of rating label and colour. `narrative` has a row
    per section (and per key challenge) in Markdown, rendered safely by the layouts.
    `records_quality` summarises the client-level records submissions behind the figures
    computed from them (the Dataset's table of that name).
    """

    risks: pl.DataFrame = field(default_factory=_empty)
    heat_map: pl.DataFrame = field(default_factory=_empty)
    high_risks: pl.DataFrame = field(default_factory=_empty)
    risk_threshold: int = 12
    revenue: pl.DataFrame = field(default_factory=_empty)
    capital: pl.DataFrame = field(default_factory=_empty)
    money_unit: str = "thousands"
    revenue_decimals: int = 0
    capital_decimals: int = 0
    headline: dict = field(default_factory=dict)
    commitments: pl.DataFrame = field(default_factory=_empty)
    commitment_summary: pl.DataFrame = field(default_factory=_empty)
    commitment_scheme: list[tuple[str, str]] = field(default_factory=list)
    narrative: pl.DataFrame = field(default_factory=_empty)
    records_quality: pl.DataFrame = field(default_factory=_empty)


@dataclass(frozen=True)
class Reconciled:
    """The appendix comparing published ratings and directions with Boardpack's: `rows` as
    `engine.reconcile.RECONCILE_COLUMNS` for the period, and the `summary` in words."""

    rows: list[dict]
    summary: str


@dataclass
class PackInput:
    """Everything a layout needs. The caller builds it from the engine's results.

    `rows` holds one reported row per indicator for the period; `history` holds every period of
    those indicators up to the end of the current financial year (future periods may carry only
    a target). `summary`, `call_in` and `commentary` are as the engine returns them. `report`
    holds the period's risks, budget, commitments and narrative (empty without them);
    `restatements` the figures revised since the last published pack.
    """

    project: Project
    period_label: str
    rows: pl.DataFrame
    history: pl.DataFrame
    summary: pl.DataFrame
    call_in: pl.DataFrame
    commentary: pl.DataFrame
    scheme_key: list[tuple[str, str]] = field(default_factory=list)
    report: ReportParts = field(default_factory=ReportParts)
    #: Figures revised since the last published pack (`boardpack.web.store.Restatement`: a
    #: pack published from the Store lists them).
    restatements: list = field(default_factory=list)
    #: The Dataset's revisions of figures up to the period, each a dict of the `revisions`
    #: table's columns with its `text` ("Q1 2024/25 figure revised from 168 to 166").
    revisions: list[dict] = field(default_factory=list)
    #: Published ratings and directions beside Boardpack's (`settings.show_reconciliation`).
    reconciliation: Reconciled | None = None
