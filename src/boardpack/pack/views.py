"""What a page shows about one indicator, gathered from its row, history, catalogue entry and
commentary, so templates only lay it out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl
from markupsafe import Markup

from boardpack.catalogue.models import Indicator
from boardpack.engine.forecast import method_words

from .chart_memo import ChartMemo, IndicatorCharts
from .charts import Chart, floor_name, has_interval, indicator_chart
from .inputs import PackInput
from .markdown import render_markdown
from .records_quality import records_notes
from .spc_chart import SpcChart, spc_chart
from .trend import TrendTable, as_date, trend_table
from .words import (
    ASSURANCE_WORDS,
    FREQUENCY_WORDS,
    MEASUREMENT_WORDS,
    POLARITY_WORDS,
    RAG_LABELS,
    UNIT_WORDS,
    VARIATION_WORDS,
    Icon,
    assurance_icon,
    direction_key,
    lag_words,
    rag_key,
    variation_icon,
)

OWNER_LABELS = {
    "cabinet_member": "Cabinet member",
    "director": "Director",
    "portfolio": "Portfolio",
    "division": "Division",
    "lead_officer": "Lead officer",
}
TAG_LABELS = {
    "priority": "Priority",
    "ambition": "Ambition",
    "ascof": "ASCOF measure",
    "better_care_fund": "Better Care Fund",
    "corporate_risk": "Corporate risk",
    "kpi": "KPI",
}


@dataclass
class IndicatorView:
    ref: str
    slug: str
    indicator: Indicator
    row: dict
    trend: TrendTable
    chart: Chart
    metadata: list[tuple[str, str]]
    data_notes: list[tuple[str, str]]
    sections: dict[str, Markup] = field(default_factory=dict)
    call_in_reason: str | None = None
    spc: SpcChart | None = None

    def charts(self) -> list[Chart]:
        """The page's charts, to be rendered together with every other page's."""
        return [self.chart] + ([self.spc.chart] if self.spc else [])

    @property
    def has_interval(self) -> bool:
        """Whether the trend chart shows 95% confidence intervals."""
        frame = self.trend.frame
        return frame is not None and has_interval(frame)

    @property
    def floor_label(self) -> str:
        """What the floor is called: "Upper threshold" where lower is better."""
        return floor_name(self.indicator.polarity)

    @property
    def variation_icon(self) -> Icon | None:
        return variation_icon(self.row.get("spc_variation"))

    @property
    def assurance_icon(self) -> Icon | None:
        return assurance_icon(self.row.get("spc_assurance"))

    @property
    def title(self) -> str:
        return self.indicator.title

    @property
    def statistics(self) -> list[tuple[str, str]]:
        """The statistical view in words: SPC variation and assurance, trend, interval, noise."""
        row, lines = self.row, []
        if row.get("spc_variation"):
            lines.append(("Variation (SPC)", VARIATION_WORDS[row["spc_variation"]]))
        elif row.get("trend_text"):
            lines.append(("Variation (SPC)", VARIATION_WORDS["too_few"]))
        if row.get("spc_assurance"):
            lines.append(("Assurance (SPC)", ASSURANCE_WORDS[row["spc_assurance"]]))
        if row.get("trend_text"):
            lines.append(("Trend over the last 8 periods", row["trend_text"].capitalize()))
        if row.get("ci_lower_text"):
            interval = f"{row['ci_lower_text']} to {row['ci_upper_text']}"
            noise = {
                True: "; the change since the previous period is within the noise",
                False: "; the change since the previous period is beyond the noise",
            }
            lines.append(
                (
                    "95% confidence interval",
                    interval + noise.get(row.get("change_within_noise"), ""),
                )
            )
        return lines

    @property
    def projection(self) -> list[tuple[str, str]]:
        """The year-end forecast in words and how it was made, for a section of its own that
        marks it as a statistical projection; empty without a forecast."""
        row = self.row
        if not row.get("forecast_value_text"):
            return []
        method = method_words(row.get("forecast_method"), row.get("forecast_points"))
        return [("Projected year-end figure", forecast_words(row)), ("Method", method or "")]

    @property
    def rag(self) -> str:
        return rag_key(self.row.get("rag"))

    @property
    def previous_rag(self) -> str:
        return rag_key(self.row.get("previous_rag"))

    @property
    def direction(self) -> str:
        return direction_key(self.row.get("direction"))

    @property
    def forecast_rag(self) -> str:
        return rag_key(self.row.get("forecast_rag"))

    @property
    def variation(self) -> str:
        """The SPC variation in a few words, for summary tables."""
        icon = self.variation_icon
        return icon.short if icon else "Too few figures"

    @property
    def href(self) -> str:
        return f"indicators/{self.slug}.html"

    @property
    def data_period(self) -> str:
        """The end of the period reported, as dd/mm/yyyy."""
        end = as_date(self.row.get("period_end"))
        return end.strftime("%d/%m/%Y") if end else ""


# The statistic columns of summary tables (macros in macros.html), each shown only when some
# row of the table has it, so no column reads "Too few figures" all the way down.
STATISTIC_COLUMNS = {
    "variation_column": lambda view: view.variation_icon is not None,
    "assurance_column": lambda view: view.assurance_icon is not None,
    "forecast_column": lambda view: view.row.get("forecast_rag") is not None,
}


def shown_statistics(views) -> set[str]:
    """The statistic columns a table of `views` shows: those at least one of its rows has."""
    views = list(views)
    return {name for name, has in STATISTIC_COLUMNS.items() if any(has(v) for v in views)}


def forecast_words(row: dict) -> str:
    """ "93.0% (91.1% to 95.0%); a 99% chance of meeting the year-end target: Green"; the
    figure alone without an interval, and without the chance when there is none."""
    words = row["forecast_value_text"]
    if row.get("forecast_lower_text"):
        words += f" ({row['forecast_lower_text']} to {row['forecast_upper_text']})"
    if row.get("forecast_p_meet_target") is None:
        return words
    chance = round(row["forecast_p_meet_target"] * 100)
    return (
        f"{words}; a {chance}% chance of meeting the year-end target: "
        f"{RAG_LABELS[row['forecast_rag']]}"
    )


def slugify(ref: str, taken: set[str]) -> str:
    """A file name for an indicator reference: lower case, hyphens, unique within the pack."""
    base = re.sub(r"[^a-z0-9]+", "-", ref.lower()).strip("-") or "indicator"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def tag_text(value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def metadata(ind: Indicator, row: dict) -> list[tuple[str, str]]:
    """Who owns the indicator and what it serves, as label and value pairs; blanks left out."""
    pairs = [
        (TAG_LABELS.get(k, k.replace("_", " ").capitalize()), tag_text(v))
        for k, v in ind.tags.items()
    ]
    pairs += [(label, getattr(ind.owners, key)) for key, label in OWNER_LABELS.items()]
    pairs += [
        ("Directorate", ind.directorate or row.get("directorate")),
        ("Tier", ind.tier),
        ("Reference", ind.ref),
    ]
    return [(label, value) for label, value in pairs if value]


def data_notes(ind: Indicator, computed: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """How to read the figures: tolerance, unit, source, measurement and lag; `computed`, for
    an indicator computed from client-level records, replaces the data source."""
    pairs = [
        ("Tolerance", POLARITY_WORDS.get(ind.polarity, ind.polarity)),
        ("Unit of measure", UNIT_WORDS.get(ind.unit, ind.unit)),
        ("Frequency", FREQUENCY_WORDS.get(ind.frequency, ind.frequency)),
        ("Measurement", MEASUREMENT_WORDS.get(ind.measurement, ind.measurement)),
        ("Lag", lag_words(ind.lag_periods)),
        *(computed or [("Data source", ind.data_source)]),
    ]
    return [(label, value) for label, value in pairs if value]


def _computed_notes(pack: PackInput, ind: Indicator, row: dict) -> list[tuple[str, str]]:
    if ind.source is None:
        return []
    organisation = row.get("organisation") or pack.project.organisation.code
    return records_notes(pack, ind.source.records, organisation)


def commentary_sections(
    pack: PackInput, ref: str, period: str | None, frame: pl.DataFrame | None = None
) -> dict[str, Markup]:
    """The indicator's commentary for the period, one rendered block per section; `frame`:
    the commentary's rows of the indicator, where the caller has them (`by_indicator`)."""
    if frame is None:
        frame = pack.commentary
        if frame.is_empty() or "indicator" not in frame.columns:
            return {}
        frame = frame.filter(pl.col("indicator") == ref)
    if frame.is_empty():
        return {}
    if "period" in frame.columns:
        frame = frame.filter(pl.col("period").is_in([p for p in (period, pack.period_label) if p]))
    texts: dict[str, list[str]] = {}
    for item in frame.iter_rows(named=True):
        texts.setdefault(item["section"], []).append(item["markdown"] or "")
    return {section: render_markdown("\n\n".join(parts)) for section, parts in texts.items()}


def call_in_reasons(pack: PackInput) -> dict[str, str]:
    """Why each called-in indicator is on the panel's list."""
    frame = pack.call_in
    return dict(zip(frame["indicator"].to_list(), frame["call_in_reason"].to_list(), strict=True))


@dataclass(frozen=True)
class IndicatorRows:
    """An indicator's catalogue entry and its rows of the pack's history and commentary (all of
    them: every period and organisation), so each page's tables and charts search its own few
    rows, not the pack's."""

    indicator: Indicator
    history: pl.DataFrame
    commentary: pl.DataFrame


def by_indicator(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """`frame`'s rows by indicator, in one pass; nothing for a frame without indicators."""
    if "indicator" not in frame.columns or frame.is_empty():
        return {}
    parts = frame.partition_by("indicator", as_dict=True, maintain_order=True)
    return {str(key[0]): part for key, part in parts.items() if key[0] is not None}


def indicator_rows(pack: PackInput) -> Callable[[str], IndicatorRows]:
    """Each indicator's `IndicatorRows`, the pack's history and commentary cut up once (and the
    catalogue's entries found by reference, as `Project.indicator` finds them, the first of
    a reference in any case)."""
    history, commentary = by_indicator(pack.history), by_indicator(pack.commentary)
    no_history, no_commentary = pack.history.clear(), pack.commentary.clear()
    entries = {ind.ref.lower(): ind for ind in reversed(pack.project.indicators)}

    def rows(ref: str) -> IndicatorRows:
        entry = entries.get(ref.lower()) or pack.project.indicator(ref)
        return IndicatorRows(
            entry, history.get(ref, no_history), commentary.get(ref, no_commentary)
        )

    return rows


def indicator_view(
    pack: PackInput,
    row: dict,
    slug: str,
    reasons: dict[str, str],
    rows: IndicatorRows | None = None,
    memo: ChartMemo | None = None,
) -> IndicatorView:
    """Everything one indicator's page shows; `rows`: its own rows of the pack's history and
    commentary, where the caller has cut them out (`indicator_rows`); with a `memo`, charts
    noted there are taken drawn, the others built and kept to be noted."""
    ind = pack.project.indicator(row["indicator"]) if rows is None else rows.indicator
    history = pack.history if rows is None else rows.history
    trend = trend_table(
        history,
        row,
        ind.frequency,
        ind.numerator_label,
        ind.denominator_label,
        floor_label=floor_name(ind.polarity),
    )
    band = getattr(pack.project.indicator_scheme(ind), "band", None)
    ids = (f"chart-{slug}", f"spc-{slug}")
    key = None if memo is None else memo.key(row, ind, band)
    charts = None if memo is None else memo.recall(key, *ids)
    if charts is None:
        charts = IndicatorCharts(
            indicator_chart(trend.frame, ind, chart_id=ids[0], band=band),
            spc_chart(history, row, ind, chart_id=ids[1]),
        )
        if memo is not None:
            memo.keep(key, charts)
    return IndicatorView(
        ref=row["indicator"],
        slug=slug,
        indicator=ind,
        row=row,
        trend=trend,
        chart=charts.chart,
        spc=charts.spc,
        metadata=metadata(ind, row),
        data_notes=data_notes(ind, _computed_notes(pack, ind, row)),
        sections=commentary_sections(
            pack, row["indicator"], row.get("period"), None if rows is None else rows.commentary
        ),
        call_in_reason=reasons.get(row["indicator"]),
    )


def indicator_views(
    pack: PackInput,
    refs: list[str],
    memo: ChartMemo | None = None,
    built: Callable[[IndicatorView], object] | None = None,
) -> dict[str, IndicatorView]:
    """A view per reported indicator, keyed by reference, in the order of `refs`; with a
    `memo`, the charts it has noted are not built again (`chart_memo.py`); `built` is called
    with each view as it is made (a build starts drawing its charts meanwhile)."""
    first_rows = {r["indicator"]: r for r in reversed(pack.rows.to_dicts())}
    reasons, taken, rows = call_in_reasons(pack), set(), indicator_rows(pack)
    if memo is not None:
        memo.read(pack.history)
    views = {}
    for ref in refs:
        view = indicator_view(pack, first_rows[ref], slugify(ref, taken), reasons, rows(ref), memo)
        views[ref] = view
        if built is not None:
            built(view)
    return views
