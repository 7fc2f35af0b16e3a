"""The report beside the indicators, ready for templates: narrative sections, the dashboard's
rating counts, budget tables in finance style, the risk heat map and register, commitments,
and the counts of ratings in words for a committee paper. Every part is empty (and its section
left out) when the project has no such data."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
from markupsafe import Markup

from boardpack.engine.money import UNIT_LABELS, money, percent

from .inputs import PackInput, ReportParts
from .markdown import render_markdown
from .words import NUMBER_WORDS, RAG_LABELS, rag_from_label

RAG_ORDER = ("green", "green_amber", "amber", "red_amber", "red")
ALWAYS_COUNTED = ("green", "amber", "red")

REVENUE_COLUMNS = (  # column -> heading, as Barnet's table 4.1 heads them
    ("original_budget", "Original budget"),
    ("revised_budget", "Revised budget"),
    ("forecast", "Forecast outturn"),
    ("variance", "Variance"),
)
CAPITAL_COLUMNS = (  # table 4.2
    ("original_budget", "Original budget"),
    ("slippage_cf", "Slippage carried forward"),
    ("revised_budget", "Revised budget"),
    ("in_year_slippage", "In-year slippage"),
    ("latest_budget", "Latest budget"),
    ("forecast", "Forecast to year end"),
    ("variance", "Variance"),
    ("slippage", "Slippage"),
    ("new_budget", "New budget"),
)
MOVEMENT_WORDS = {"up": "Score up", "down": "Score down", "same": "No change", "new": "New"}


@dataclass
class FinanceTable:
    """A budget table as text: headings, body rows and the total row (None when one line)."""

    caption: str
    label: str
    headings: list[str]
    rows: list[dict] = field(default_factory=list)
    total: dict | None = None


@dataclass
class HeatMap:
    """The 5x5 matrix: impact headings, and per likelihood (highest first) its cells."""

    impacts: list[str]
    rows: list[tuple[str, list[dict]]]
    total: int


def number_words(count: int) -> str:
    """Up to ten in words ("nine", "no" for 0), larger counts in figures, as papers write them."""
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else f"{count:,}"


def narrative(parts: ReportParts) -> dict[str, Markup]:
    """Each narrative section's safe HTML by key (foreword, achievements, summary, ...)."""
    frame = parts.narrative
    if frame.is_empty():
        return {}
    rows = frame.filter(pl.col("section") != "challenges").to_dicts()
    return {row["section"]: render_markdown(row["markdown"]) for row in rows}


def challenges(parts: ReportParts) -> list[tuple[Markup, Markup]]:
    """Key challenges with the action each requires."""
    frame = parts.narrative
    if frame.is_empty():
        return []
    rows = frame.filter(pl.col("section") == "challenges").sort("item").to_dicts()
    return [
        (render_markdown(row["markdown"]), render_markdown(row["action_markdown"])) for row in rows
    ]


def key_ratings(pack: PackInput) -> list[str]:
    """The ratings the pack's key names, in order (Green, Amber and Red without a key)."""
    named = {rag_from_label(label) for label, _ in pack.scheme_key}
    return [rag for rag in RAG_ORDER if rag in named] or list(ALWAYS_COUNTED)


def overall(pack: PackInput) -> dict:
    """The summary's Overall row (empty without one)."""
    rows = (
        pack.summary.filter(pl.col("group") == "Overall").to_dicts()
        if "group" in pack.summary.columns
        else []
    )
    return rows[0] if rows else {}


def by_type(pack: PackInput) -> list[dict]:
    """The summary's rows for each type (tier) of indicator, then Overall."""
    if "group" not in pack.summary.columns:
        return []
    types = pack.summary.filter(pl.col("group") != "Overall").to_dicts()
    return types + ([overall(pack)] if overall(pack) else [])


def rating_counts(pack: PackInput) -> list[dict]:
    """The dashboard's rows: each rating with its share and count of indicators ("35% (7)") and,
    where the project has commitments, of commitments."""
    summary = overall(pack)
    commitments = pack.report.commitment_summary.to_dicts()
    commitments = commitments[0] if commitments else {}
    used = set(key_ratings(pack)) | {r for _, r in pack.report.commitment_scheme}
    used |= {r for r in RAG_ORDER if summary.get(r)}
    return [
        {
            "rag": rag,
            "indicators": summary.get(f"{rag}_text", "0% (0)"),
            "commitments": commitments.get(f"{rag}_text", "0% (0)"),
        }
        for rag in RAG_ORDER
        if rag in used
    ]


def counts_sentence(pack: PackInput, noun: str = "performance indicator") -> str:
    """ "nine performance indicators are rated Green, two Amber and two Red" (no full stop)."""
    summary = overall(pack)
    rags = [r for r in RAG_ORDER if r in key_ratings(pack) or summary.get(r)]
    counts = [(int(summary.get(rag) or 0), RAG_LABELS[rag]) for rag in rags]
    if not any(count for count, _ in counts):
        return f"no {noun}s are rated"
    (first, label), rest = counts[0], counts[1:]
    verb = "is" if first == 1 else "are"
    head = f"{number_words(first)} {noun}{'' if first == 1 else 's'} {verb} rated {label}"
    parts = [head] + [f"{number_words(count)} {label}" for count, label in rest]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else head


def finance_table(frame: pl.DataFrame, kind: str, parts: ReportParts) -> FinanceTable | None:
    """Revenue or capital lines as finance tables write them, or None without any."""
    if frame.is_empty():
        return None
    unit = parts.money_unit
    revenue = kind == "revenue"
    columns = REVENUE_COLUMNS if revenue else CAPITAL_COLUMNS
    decimals = parts.revenue_decimals if revenue else parts.capital_decimals
    label = "service_area" if revenue else "scheme"
    texts = [money(pl.col(c), decimals, unit).alias(c) for c, _ in columns if c in frame.columns]
    if revenue and "variance_pct" in frame.columns:
        texts.append(percent(pl.col("variance_pct")).alias("variance_pct"))
    shown = frame.select(label, "is_total", "comment", *texts)
    rows = shown.filter(~pl.col("is_total")).to_dicts()
    totals = shown.filter(pl.col("is_total")).to_dicts()
    headings = [f"{heading} ({UNIT_LABELS[unit]})" for c, heading in columns if c in frame.columns]
    if revenue and "variance_pct" in frame.columns:
        headings.append("Variance as % of revised budget")
    caption = f"{'Revenue' if revenue else 'Capital'} budget monitoring ({UNIT_LABELS[unit]})"
    return FinanceTable(
        caption=caption,
        label="Service area" if revenue else "Scheme",
        headings=headings,
        rows=[_cells(row, label) for row in rows],
        total=_cells(totals[0], label) if totals and len(rows) > 1 else None,
    )


def _cells(row: dict, label: str) -> dict:
    skip = {label, "is_total", "comment"}
    return {
        "label": row[label],
        "cells": [value or "" for key, value in row.items() if key not in skip],
        "comment": row.get("comment") or "",
    }


def headline(parts: ReportParts) -> list[tuple[str, str]]:
    """The dashboard's financial headline: (heading, figure) for each budget the project has."""
    found = parts.headline or {}
    unit = parts.money_unit
    pairs = [
        (
            "Projected year-end revenue budget variance",
            found.get("revenue_variance"),
            parts.revenue_decimals,
        ),
        ("Capital variance", found.get("capital_variance"), parts.capital_decimals),
    ]
    return [
        (f"{heading} ({UNIT_LABELS[unit]})", _money_text(value, decimals, unit))
        for heading, value, decimals in pairs
        if value is not None
    ]


def _money_text(value: float, decimals: int, unit: str) -> str:
    frame = pl.DataFrame({"v": [float(value)]})
    return frame.select(money(pl.col("v"), decimals, unit).alias("v"))["v"][0]


def heat_map(parts: ReportParts) -> HeatMap | None:
    """The period's heat map, or None when there are no risks for the period."""
    if parts.risks.is_empty() or parts.heat_map.is_empty():
        return None
    cells = parts.heat_map.to_dicts()
    impacts = [f"{c['impact']} {c['impact_label']}" for c in cells if c["likelihood"] == 5]
    rows: dict[str, list[dict]] = {}
    for cell in cells:
        rows.setdefault(f"{cell['likelihood']} {cell['likelihood_label']}", []).append(cell)
    return HeatMap(impacts, list(rows.items()), sum(c["count"] for c in cells))


def risk_register(parts: ReportParts) -> list[dict]:
    """The risks scored at or above the threshold, highest first, with their movement."""
    if parts.high_risks.is_empty():
        return []
    moved = {}
    if "movement" in parts.risks.columns:
        moved = dict(zip(parts.risks["ref"], parts.risks["movement"].cast(pl.String), strict=True))
    rows = parts.high_risks.to_dicts()
    for row in rows:
        row["movement_text"] = MOVEMENT_WORDS.get(moved.get(row["ref"]), "")
    return rows


def commitments(parts: ReportParts) -> list[dict]:
    """The period's commitments, in the order given."""
    return [] if parts.commitments.is_empty() else parts.commitments.to_dicts()


def report_context(pack: PackInput, views: dict) -> dict:
    """What the delivery-unit and committee layouts show beside the indicators."""
    parts = pack.report
    return {
        "narrative": narrative(parts),
        "challenges": challenges(parts),
        "headline": headline(parts),
        "rating_counts": rating_counts(pack),
        "by_type": by_type(pack),
        "type_ratings": [r for r in RAG_ORDER if r in key_ratings(pack) or overall(pack).get(r)],
        "counts_sentence": counts_sentence(pack),
        "measure_count": number_words(len(views)),
        "revenue": finance_table(parts.revenue, "revenue", parts),
        "capital": finance_table(parts.capital, "capital", parts),
        "heat_map": heat_map(parts),
        "risk_register": risk_register(parts),
        "risk_threshold": parts.risk_threshold,
        "commitments": commitments(parts),
        "commitment_scheme": parts.commitment_scheme,
        "commitment_summary": (parts.commitment_summary.to_dicts() or [{}])[0],
    }
