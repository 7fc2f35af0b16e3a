"""From a Dataset and its evaluation to what a pack for one period shows."""

from __future__ import annotations

import calendar
import datetime as dt

import polars as pl

from .dataset import Dataset
from .engine import DEFAULT_SCHEMES, Evaluated
from .engine.commitments import commitment_summary
from .engine.finance import headline
from .engine.formatting import format_column, format_value
from .engine.national import national_from
from .engine.project import project_schemes
from .engine.reconcile import reconcile, reconciliation_summary
from .engine.risks import filter_by_score, heat_map, movement
from .engine.significance import trend_text
from .engine.statistics import with_statistics
from .engine.summary import pack_summary
from .errors import NotFound
from .pack import PackInput
from .pack.inputs import Reconciled
from .periods import Period, parse_period, period_ending

# The statistics an indicator page shows beside its rating.
PACK_STATISTICS = [
    "forecast_value_text",
    "forecast_lower_text",
    "forecast_upper_text",
    "forecast_p_meet_target",
    "forecast_rag",
    "forecast_method",
    "forecast_points",
    "spc_variation",
    "spc_assurance",
    "trend_text",
    "ci_lower_text",
    "ci_upper_text",
    "change_within_noise",
]


def latest_period(dataset: Dataset) -> Period:
    """The pack period when none is asked for: the quarter holding the latest figure."""
    figures = dataset.observations.filter(pl.col("value").is_not_null())
    if figures.is_empty():
        raise NotFound(
            "The project has no figures yet, so there is no period to report; give --period"
        )
    end = figures["period_end"].max()
    quarter_end = (end.month + 2) // 3 * 3
    last_day = calendar.monthrange(end.year, quarter_end)[1]
    return period_ending(dt.date(end.year, quarter_end, last_day), "quarterly")


def pack_input(
    dataset: Dataset,
    evaluated: Evaluated,
    period: Period,
    organisation: str | None = None,
    restated_since: dt.date | None = None,
) -> PackInput:
    """The rows, history, summary, call-in list, commentary and RAG key for one period, and
    the figures revised up to it (those revised on or after `restated_since`, when given)."""
    organisation = organisation or dataset.project.organisation.code
    rows = _in_catalogue_order(_plain(evaluated.report(period.end_month, organisation)), dataset)
    if rows.is_empty():
        known = ", ".join(dataset.observations["organisation"].unique().sort().to_list()) or "none"
        raise NotFound(
            f'No figures for organisation "{organisation}"; the organisations with figures are {known}'
        )
    history = _history(dataset, evaluated, period, organisation)
    rows = rows.join(
        history.select("indicator", "end_month", *PACK_STATISTICS),
        on=["indicator", "end_month"],
        how="left",
        maintain_order="left",
    )
    rows = rows.join(
        benchmark_lines(dataset, organisation, period),
        on="indicator",
        how="left",
        maintain_order="left",
    )
    revised = revisions_for(dataset, organisation, period, restated_since)
    rows = with_revised_text(rows, revised)
    # the counts every document of the pack prints
    summary = pack_summary(rows, count_stale=dataset.project.settings.count_stale)
    return PackInput(
        project=dataset.project,
        period_label=period.label,
        rows=rows,
        history=history,
        summary=summary,
        call_in=evaluated.call_in(rows),
        commentary=dataset.commentary,
        scheme_key=scheme_key(dataset, rows),
        report=report_parts(dataset, period),
        revisions=revised.to_dicts(),
        reconciliation=reconciliation_for(dataset, evaluated, organisation, period),
    )


def reconciliation_for(
    dataset: Dataset, evaluated: Evaluated, organisation: str, period: Period
) -> Reconciled | None:
    """The period's published ratings and directions beside Boardpack's, for the pack's
    appendix when `settings.show_reconciliation` asks for it (None otherwise)."""
    if not dataset.project.settings.show_reconciliation:
        return None
    shown = evaluated.numbers.filter(
        (pl.col("organisation") == organisation) & (pl.col("period") == period.label)
    )
    table = reconcile(
        evaluated.with_text(shown), dataset.observations, revision_texts(dataset)
    ).filter((pl.col("organisation") == organisation) & (pl.col("period") == period.label))
    if table.is_empty():
        return Reconciled(table.to_dicts(), "No rating or direction was published for the period.")
    return Reconciled(table.to_dicts(), reconciliation_summary(table))


def revisions_for(
    dataset: Dataset, organisation: str, period: Period, since: dt.date | None = None
) -> pl.DataFrame:
    """The organisation's revised figures for periods up to `period` (revised on or after
    `since`, when given), each with its `text`: "Q1 2024/25 figure revised from 168 to 166"."""
    chosen = dataset.revisions.filter(
        (pl.col("organisation") == organisation) & (pl.col("end_month") <= period.end_month)
    )
    if since is not None:
        chosen = chosen.filter(pl.col("revised_on") >= since)
    return revision_texts(dataset, chosen)


def revision_texts(dataset: Dataset, revisions: pl.DataFrame | None = None) -> pl.DataFrame:
    """`revisions` (default: all the Dataset's) with the `text` packs show: "Q1 2024/25 figure
    revised from 168 to 166", each figure written as its indicator writes it."""
    chosen = dataset.revisions if revisions is None else revisions
    units = dataset.indicators.select("indicator", "unit", "decimals")
    chosen = chosen.join(units, on="indicator", how="left", maintain_order="left")
    texts = [
        f"{row['period']} figure revised from {_figure(row, 'value_before')} to "
        f"{_figure(row, 'value_after')}"
        for row in chosen.iter_rows(named=True)
    ]
    return chosen.with_columns(pl.Series("text", texts, dtype=pl.String)).drop("unit", "decimals")


def _figure(row: dict, name: str) -> str:
    return format_value(row[name], row["decimals"] or 0, row["unit"]) or "no figure"


def with_revised_text(rows: pl.DataFrame, revised: pl.DataFrame) -> pl.DataFrame:
    """`revised_text` on each row whose figure, or the previous one it is compared with, was
    revised ("revised from 97.4% to 97.9%"; "Q1 2024/25 figure revised from 168 to 166")."""
    notes = revised.group_by("indicator", "period", maintain_order=True).agg(
        pl.col("text").str.join("; ")
    )
    this = notes.with_columns(pl.col("text").str.replace(r"^.*? figure (revised)", "$1"))
    keyed = rows.with_row_index("_row")
    found = pl.concat(
        [
            keyed.join(this, on=["indicator", "period"]).select("_row", "text"),
            keyed.join(
                notes, left_on=["indicator", "previous_period"], right_on=["indicator", "period"]
            ).select("_row", "text"),
        ]
    )
    joined = found.group_by("_row").agg(pl.col("text").str.join("; ").alias("revised_text"))
    return keyed.join(joined, on="_row", how="left", maintain_order="left").drop("_row")


def benchmark_lines(dataset: Dataset, organisation: str, period: Period) -> pl.DataFrame:
    """`indicator, benchmark_text`: where the council stood nationally on each indicator linked
    to a national measure (none without a `benchmarking:` section)."""
    if dataset.project.benchmarking is None or dataset.national is None:
        return pl.DataFrame(schema={"indicator": pl.String, "benchmark_text": pl.String})
    from .benchmarking.linked import linked_benchmarks

    national = national_from(dataset.national)
    lines = linked_benchmarks(dataset.project, national, organisation, period.end_month)
    return lines.select("indicator", "benchmark_text")


def _plain(frame: pl.DataFrame) -> pl.DataFrame:
    """Categorical columns as plain text, for renderers and joins with other frames."""
    return frame.with_columns(pl.col(pl.Categorical).cast(pl.String))


def _in_catalogue_order(rows: pl.DataFrame, dataset: Dataset) -> pl.DataFrame:
    order = pl.DataFrame({"indicator": dataset.project.refs()}).with_row_index("_order")
    return rows.join(order, on="indicator", how="left").sort("_order").drop("_order")


def _history(
    dataset: Dataset, evaluated: Evaluated, period: Period, organisation: str
) -> pl.DataFrame:
    """Every period up to the end of the pack's financial year, with catalogue targets for
    periods not yet reported so the trend table shows the year's targets ahead."""
    year_end = parse_period(period.financial_year).end_month
    results = evaluated.with_text(
        evaluated.numbers.filter(
            (pl.col("organisation") == organisation) & (pl.col("end_month") <= year_end)
        )
    )
    statistics = with_statistics(
        results.sort("series", "end_month"), evaluated.measurements(), as_of=period.end_month
    )
    results = _plain(_with_statistics_texts(statistics))
    ahead = dataset.targets.filter(pl.col("end_month") <= year_end).join(
        results.select("indicator", "end_month"), on=["indicator", "end_month"], how="anti"
    )
    ahead = ahead.join(dataset.indicators.select("indicator", "unit", "decimals"), on="indicator")
    ahead = _with_target_texts(ahead).with_columns(pl.lit(organisation).alias("organisation"))
    return pl.concat([results, ahead], how="diagonal_relaxed").sort("indicator", "end_month")


def _with_statistics_texts(frame: pl.DataFrame) -> pl.DataFrame:
    """The trend, interval and forecast figures as the pack words them."""
    figures = ("ci_lower", "ci_upper", "forecast_value", "forecast_lower", "forecast_upper")
    return frame.with_columns(trend_text(), *(format_column(frame, c) for c in figures))


def _with_target_texts(frame: pl.DataFrame) -> pl.DataFrame:
    if frame.is_empty():
        return frame.with_columns(
            pl.lit(None, dtype=pl.String).alias("target_text"),
            pl.lit(None, dtype=pl.String).alias("floor_text"),
        )
    return frame.with_columns(format_column(frame, "target"), format_column(frame, "floor"))


def scheme_key(dataset: Dataset, rows: pl.DataFrame) -> list[tuple[str, str]]:
    """The RAG key: each rating the pack's schemes can give, in plain words, once."""
    schemes = project_schemes(dataset.project)
    if "scheme" in rows.columns:  # each row's own: an indicator may change scheme from a period
        used = rows["scheme"].cast(pl.String)
    else:
        shown = pl.col("indicator").is_in(rows["indicator"].cast(pl.String).implode())
        used = dataset.indicators.filter(shown)["scheme"]
    key: dict[str, str] = {}
    for name in used.unique(maintain_order=True).to_list():
        for label, meaning in schemes[name].key():
            key.setdefault(label, meaning)
    if (rows["rag"] == "no_status").any():
        key.setdefault(*DEFAULT_SCHEMES["none"].key()[0])
    return list(key.items())


def report_parts(dataset: Dataset, period: Period):
    """The period's risks, budget, commitments and narrative, as the layouts show them."""
    from .pack.inputs import ReportParts

    project, label = dataset.project, period.label
    this_period = pl.col("period") == label
    budget, commitments = project.budget, project.commitments
    return ReportParts(
        risks=movement(dataset.risks, label) if project.risks else pl.DataFrame(),
        heat_map=heat_map(dataset.risks, label, project.risks) if project.risks else pl.DataFrame(),
        high_risks=filter_by_score(dataset.risks, label, 12),
        revenue=dataset.revenue.filter(this_period),
        capital=dataset.capital.filter(this_period),
        money_unit=budget.unit if budget else "thousands",
        revenue_decimals=budget.revenue.decimals if budget and budget.revenue else 0,
        capital_decimals=budget.capital.decimals if budget and budget.capital else 0,
        headline=headline(dataset.revenue, dataset.capital, label),
        commitments=dataset.commitments.filter(this_period),
        commitment_summary=commitment_summary(dataset.commitments, label, commitments.scheme)
        if commitments
        else pl.DataFrame(),
        commitment_scheme=[(r.label, r.rag) for r in commitments.scheme] if commitments else [],
        narrative=dataset.narrative.filter(this_period),
        records_quality=dataset.records_quality,
    )
