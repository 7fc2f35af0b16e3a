"""The pack as an Excel workbook: a Cover sheet (the layout's paper: the project's `paper:` with
the layout's own fields in their place, as every document of the layout prints it), then Summary,
Indicators, Trend and Commentary sheets, and a sheet for each other part the pack has:
Revenue, Capital, Risks, Commitments. The Summary sheet is the pack's own counts
(`engine.summary.pack_summary`, the one function every document's counts come from).

Numbers are stored as numbers, formatted by the indicator's unit and decimal places: a
percentage is stored as the figure the pack shows (92.0 for 92.0%) with the format 0.0"%", so
the cell matches the pack and sums or averages of it read as percentages; shares that are
fractions (variance as a share of target, chance of meeting the target) are true percentages
(0.022 shown as 2.2%). Dates are Excel dates. RAG cells hold the word and a fill colour. Every
sheet's header row is frozen and filtered. Text is always written as text, so a title such as
"-5 days" or commentary beginning with "=" can never run as a formula.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from boardpack.engine.forecast import method_words
from boardpack.formulas import neutralise
from boardpack.pack import PackInput, get_layout
from boardpack.pack.paper import (
    long_date,
    paper_recommendations,
    paper_title,
    translation_text,
)
from boardpack.pack.words import ASSURANCE_WORDS, DIRECTION_LABELS, RAG_LABELS, VARIATION_WORDS
from boardpack.pack.writer import narrative_text
from boardpack.sources.commentary import SECTION_TITLES

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "dd/mm/yyyy",
}
RAG_FILLS = {  # rating -> (fill, font colour): the pack's badge colours
    "green": ("#E6F3EC", "#00703C"),
    "green_amber": ("#EEF5DE", "#4B6B00"),
    "amber": ("#FFF4DE", "#A35200"),
    "red_amber": ("#FDEBE4", "#A8340F"),
    "red": ("#FCE8E6", "#B5200D"),
    "no_status": ("#F3F2F1", "#505A5F"),
}
UNIT_FORMATS = {  # unit -> number format, "{n}" being #,##0 with the indicator's decimals
    "percent": '{n}"%"',
    "currency": '"£"{n};-"£"{n}',
    "rate_per_100k": "{n}",
    "days": "{n}",
    "fte": "{n}",
    "ratio": "{n}",
    "number": "{n}",
}
POINTS_FORMAT = '+{n}" pts";-{n}" pts";0'  # a change in a percentage, in percentage points


@dataclass(frozen=True)
class Column:
    """A sheet column: its header, how a row gives its value, and the kind of cell it is."""

    header: str
    value: Callable[[dict], object]
    kind: str = "text"  # text, date, unit, points, share, count, rag, number
    width: float = 14


def field(name: str) -> Callable[[dict], object]:
    return lambda row: row.get(name)


def labelled(name: str, labels: dict[str, str]) -> Callable[[dict], object]:
    return lambda row: labels.get(row.get(name), row.get(name))


def variance_kind(row: dict) -> str:
    return "points" if row.get("unit") == "percent" else "unit"


INDICATOR_SHEET_COLUMNS = [
    Column("Reference", field("indicator"), width=10),
    Column("Title", field("title"), width=50),
    Column("Tier", field("tier"), width=12),
    Column("Directorate", field("directorate"), width=24),
    Column("Period", field("period"), width=12),
    Column("Period end", field("period_end"), "date", 12),
    Column("Unit", field("unit"), width=12),
    Column("Value", field("value"), "unit"),
    Column("Target", field("target"), "unit"),
    Column("Floor", field("floor"), "unit"),
    Column("Variance", field("variance"), "variance"),
    Column("Variance of target", field("variance_pct"), "share"),
    Column("RAG", field("rag"), "rag", 12),
    Column("Reason for rating", field("rag_reason"), width=40),
    Column("Direction of travel", labelled("direction", DIRECTION_LABELS), width=16),
    Column("Previous period", field("previous_period"), width=14),
    Column("Previous value", field("previous_value"), "unit"),
    Column("Previous RAG", field("previous_rag"), "rag", 12),
    Column("Numerator", field("numerator"), "count"),
    Column("Denominator", field("denominator"), "count"),
    Column("SPC variation", labelled("spc_variation", VARIATION_WORDS), width=36),
    Column("SPC assurance", labelled("spc_assurance", ASSURANCE_WORDS), width=36),
    Column("Trend", field("trend_text"), width=24),
    Column("Forecast year end", field("forecast_value"), "unit"),
    Column("Forecast lower", field("forecast_lower"), "unit"),
    Column("Forecast upper", field("forecast_upper"), "unit"),
    Column("Chance of meeting target", field("forecast_p_meet_target"), "share"),
    Column("Forecast RAG", field("forecast_rag"), "rag", 12),
    Column(
        "Forecast method (statistical projection)",
        lambda row: method_words(row.get("forecast_method"), row.get("forecast_points")),
        width=60,
    ),
]
TREND_COLUMNS = [
    Column("Reference", field("indicator"), width=10),
    Column("Title", field("title"), width=50),
    Column("Period", field("period"), width=12),
    Column("Period start", field("period_start"), "date", 12),
    Column("Period end", field("period_end"), "date", 12),
    Column("Value", field("value"), "unit"),
    Column("Target", field("target"), "unit"),
    Column("Floor", field("floor"), "unit"),
    Column("Variance", field("variance"), "variance"),
    Column("Numerator", field("numerator"), "count"),
    Column("Denominator", field("denominator"), "count"),
    Column("RAG", field("rag"), "rag", 12),
    Column("Direction of travel", labelled("direction", DIRECTION_LABELS), width=16),
]
COMMENTARY_COLUMNS = [
    Column("Reference", field("indicator"), width=10),
    Column("Title", field("title"), width=50),
    Column("Period", field("period"), width=12),
    Column("Section", labelled("section", SECTION_TITLES), width=36),
    Column("Text (Markdown)", field("markdown"), width=100),
]
SUMMARY_COLUMNS = [
    Column("Group", field("group"), width=16),
    *[Column(RAG_LABELS[rag], field(rag), "number", 12) for rag in RAG_FILLS],
    Column("Rated", field("rated"), "number", 10),
    Column("Improving or no change", field("improving_or_same"), "number", 14),
    Column("Worsening", field("worsening"), "number", 12),
    Column("Expected to report", field("expected"), "number", 12),
    Column("Reported", field("reported"), "number", 12),
]


COVER_COLUMNS = [
    Column("Item", field("item"), width=24),
    Column("Detail", field("detail"), width=100),
]
#: The report's other parts: sheet name, ReportParts field, and the columns left out.
REPORT_SHEETS = (
    ("Revenue", "revenue", ("end_month", "line", "source")),
    ("Capital", "capital", ("end_month", "line", "source")),
    ("Risks", "risks", ("end_month", "source", "period_end")),
    ("Commitments", "commitments", ("end_month", "source")),
)
WORDS = {"rag": "RAG", "pct": "%", "cf": "carried forward"}


def write_xlsx(pack: PackInput, layout: str, out: Path) -> Path:
    """Write the pack, with the cover of `layout`'s paper, as an Excel workbook to `out` and
    return its path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    paper = pack.project.paper_for(layout)
    title = paper_title(pack, get_layout(layout))
    with xlsxwriter.Workbook(str(out), WORKBOOK_OPTIONS) as book:
        book.set_properties(
            {
                "title": f"{title}, {pack.period_label}: {pack.project.organisation.name}",
                "subject": f"Indicators for {pack.period_label}",
                "author": paper.author.name if paper.author else pack.project.organisation.name,
            }
        )
        cells = CellWriter(book)
        for name, columns, rows in sheets(pack, layout):
            write_sheet(book.add_worksheet(name), columns, rows, cells)
    return out


def sheets(pack: PackInput, layout: str) -> list[tuple[str, list[Column], list[dict]]]:
    """Each sheet's name, columns and rows: the cover, the indicators' sheets, then one per
    other part of the report the pack has."""
    return [
        ("Cover", COVER_COLUMNS, cover_rows(pack, layout)),
        ("Summary", SUMMARY_COLUMNS, pack.summary.to_dicts()),
        ("Indicators", INDICATOR_SHEET_COLUMNS, indicator_rows(pack).to_dicts()),
        ("Trend", TREND_COLUMNS, trend_rows(pack).to_dicts()),
        ("Commentary", COMMENTARY_COLUMNS, commentary_rows(pack).to_dicts()),
        *report_sheets(pack),
    ]


def cover_rows(pack: PackInput, layout: str) -> list[dict]:
    """The layout's paper as item and detail rows, those given: its title and recommendations
    as the layout prints them (its own default where the project gives none)."""
    project, chosen = pack.project, get_layout(layout)
    paper = project.paper_for(layout)
    author = paper.author
    pairs = [
        ("Title", paper_title(pack, chosen)),
        ("Organisation", project.organisation.name),
        ("Directorate", project.organisation.directorate),
        ("Period", pack.period_label),
        ("Committee", paper.committee),
        ("Meeting", paper.meeting),
        ("Date", long_date(paper.date)),
        ("Report author", author.name if author else None),
        ("Role", author.role if author else None),
        ("Contact", ", ".join(v for v in (author.phone, author.email) if v) if author else None),
        ("Version", paper.version),
        ("Status", paper.status),
        ("Classification", paper.classification),
        ("Purpose (Markdown)", paper.purpose),
        (
            "Recommendations (Markdown)",
            paper_recommendations(pack, chosen, narrative_text(pack, "recommendations")),
        ),
        ("Introduction (Markdown)", paper.introduction),
        ("Translation statement (Markdown)", translation_text(paper)),
    ]
    return [{"item": item, "detail": detail} for item, detail in pairs if detail]


def heading(name: str) -> str:
    """A frame's column name as a sheet heading: target_impact -> Target impact."""
    words = [WORDS.get(word, word) for word in name.split("_")]
    text = " ".join(words)
    return text[0].upper() + text[1:]


def frame_columns(frame: pl.DataFrame, left_out: tuple[str, ...]) -> list[Column]:
    """A column per field of a report frame, each of its kind (numbers, dates, ratings)."""
    columns = []
    for name, dtype in zip(frame.columns, frame.dtypes, strict=True):
        if name in left_out:
            continue
        if name == "rag":
            kind = "rag"
        elif dtype == pl.Date:
            kind = "date"
        elif dtype.is_float():
            kind = "amount"
        elif dtype.is_integer():
            kind = "number"
        else:
            kind = "text"
        columns.append(Column(heading(name), field(name), kind, 30 if kind == "text" else 14))
    return columns


def report_sheets(pack: PackInput) -> list[tuple[str, list[Column], list[dict]]]:
    """A sheet for each part of the report the pack has (revenue, capital, risks,
    commitments): the period's rows, as the pack prints them."""
    found = []
    for name, part, left_out in REPORT_SHEETS:
        frame = getattr(pack.report, part)
        if frame.is_empty():
            continue
        frame = frame.with_columns(
            pl.col(c).list.join("; ") for c, t in frame.schema.items() if t == pl.List(pl.String)
        ).with_columns(pl.col(pl.Enum, pl.Categorical).cast(pl.String))
        decimals = getattr(pack.report, f"{part}_decimals", 0)
        rows = [row | {"decimals": decimals} for row in frame.to_dicts()]
        found.append((name, frame_columns(frame, left_out), rows))
    return found


def titles(pack: PackInput) -> pl.DataFrame:
    return pack.rows.select("indicator", "title").unique("indicator", keep="first")


def indicator_rows(pack: PackInput) -> pl.DataFrame:
    """The reported rows with their numeric forecast from the history."""
    wanted = ["forecast_value", "forecast_lower", "forecast_upper"]
    present = [c for c in wanted if c in pack.history.columns]
    rows = pack.rows.drop([c for c in present if c in pack.rows.columns])
    if present:
        rows = rows.join(
            pack.history.select("indicator", "end_month", *present),
            on=["indicator", "end_month"],
            how="left",
            maintain_order="left",
        )
    return rows


def trend_rows(pack: PackInput) -> pl.DataFrame:
    """Every period of every reported indicator, in indicator order then period order."""
    order = pack.rows.select("indicator").unique(maintain_order=True).with_row_index("_order")
    history = pack.history.drop("title", strict=False)
    return (
        history.join(order, on="indicator")
        .join(titles(pack), on="indicator", how="left")
        .sort("_order", "end_month")
        .drop("_order")
    )


def commentary_rows(pack: PackInput) -> pl.DataFrame:
    """The reported indicators' commentary for the period, as written."""
    frame = pack.commentary
    if frame.is_empty() or "indicator" not in frame.columns:
        return pl.DataFrame(schema={c: pl.String for c in ("indicator", "title", "period")})
    periods = pack.rows.select("indicator", pl.col("period").alias("_row_period"))
    return (
        frame.join(periods, on="indicator")
        .filter(
            pl.col("period").is_in([pack.period_label])
            | (pl.col("period") == pl.col("_row_period"))
        )
        .drop("_row_period")
        .unique(maintain_order=True)
        .join(titles(pack), on="indicator", how="left")
    )


class CellWriter:
    """Writes one cell by its kind, with formats made once and kept."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.book = book
        self.cache: dict[tuple, object] = {}

    def format(self, **properties):
        key = tuple(sorted(properties.items()))
        if key not in self.cache:
            self.cache[key] = self.book.add_format(properties)
        return self.cache[key]

    def header(self):
        return self.format(bold=True, bottom=2, text_wrap=True, valign="top", bg_color="#F3F2F1")

    def number_format(self, kind: str, row: dict) -> str:
        decimals = row.get("decimals")
        decimals = int(decimals) if decimals is not None else 0
        n = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        if kind == "variance":
            kind = variance_kind(row)
        if kind == "points":
            return POINTS_FORMAT.format(n=n)
        if kind == "share":
            return "0.0%"
        if kind in ("count", "number"):
            return "#,##0"
        if kind == "amount":
            return f"{n};-{n}"
        return UNIT_FORMATS.get(row.get("unit"), "{n}").format(n=n)

    def write(self, sheet: Worksheet, r: int, c: int, kind: str, value, row: dict) -> None:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            sheet.write_blank(r, c, None)
        elif kind == "rag":
            fill, colour = RAG_FILLS.get(value, RAG_FILLS["no_status"])
            fmt = self.format(bg_color=fill, font_color=colour, bold=True, border=1)
            sheet.write_string(r, c, RAG_LABELS.get(value, str(value)), fmt)
        elif kind == "date" and isinstance(value, dt.date):
            sheet.write_datetime(r, c, value, self.format(num_format="dd/mm/yyyy"))
        elif isinstance(value, bool):
            sheet.write_boolean(r, c, value)
        elif isinstance(value, int | float) and kind != "text":
            sheet.write_number(r, c, value, self.format(num_format=self.number_format(kind, row)))
        else:
            text = neutralise(str(value))
            sheet.write_string(r, c, text, self.format(text_wrap=True, valign="top"))


def write_sheet(sheet: Worksheet, columns: list[Column], rows: list[dict], cells: CellWriter):
    """A header row, frozen and filtered, then one row per item."""
    for c, column in enumerate(columns):
        sheet.write_string(0, c, column.header, cells.header())
        sheet.set_column(c, c, column.width)
    for r, row in enumerate(rows, start=1):
        for c, column in enumerate(columns):
            cells.write(sheet, r, c, column.kind, column.value(row), row)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
