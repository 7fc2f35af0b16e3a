"""Commitments: commissioning intentions, projects or actions rated on the project's own scheme
("Commitment met" green ... "Risk of not delivering" red), and their counts by rating in the
shape of the indicator summary ("100% (5)")."""

from __future__ import annotations

import polars as pl

from ..catalogue import Project
from ..catalogue.errors import did_you_mean
from ..catalogue.models import DEFAULT_COMMITMENT_SCHEME, CommitmentRating
from ..engine.summary import _share_text as share_text
from ..engine.vocab import RAG_LABELS
from .problems import ImportFailed, Problem
from .readers import Row
from .tables import Sheet, open_sheet, read_date, read_period, source

FIELDS: dict[str, tuple[str, ...]] = {
    "period": (),
    "ref": ("reference",),
    "title": ("commitment", "commissioning_intention", "project", "action", "description"),
    "due": ("due_date",),
    "owner": ("lead",),
    "rating": ("rag", "status"),
    "commentary": ("comment", "comments", "update"),
}
REQUIRED = ("period", "title", "rating")

SCHEMA: dict[str, pl.DataType] = {
    "period": pl.String,
    "end_month": pl.Int32,
    "ref": pl.String,
    "title": pl.String,
    "due": pl.Date,
    "owner": pl.String,
    "rating": pl.String,
    "rag": pl.String,
    "commentary": pl.String,
    "source": pl.String,
}


def empty_commitments() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)


def read_commitments(project: Project) -> pl.DataFrame:
    """The project's commitments (empty with the right columns when it has none)."""
    config = project.commitments
    if config is None:
        return empty_commitments()
    problems: list[Problem] = []
    sheet = open_sheet(project, config, FIELDS, REQUIRED, problems)
    rows = [] if sheet is None else _rows(sheet, config.scheme, problems)
    if problems:
        raise ImportFailed(problems)
    return pl.DataFrame(rows, schema=SCHEMA)


def _rows(sheet: Sheet, scheme: list[CommitmentRating], problems: list[Problem]) -> list[dict]:
    words = _words(scheme)
    rows = []
    for row in sheet.table.rows:
        found: list[Problem] = []
        title = sheet.text(row, "title")
        if not title:
            found.append(sheet.problem(row, "title", "is blank; say what was committed to"))
        period = read_period(sheet, row, found)
        rating = _rating(sheet, row, words, scheme, found)
        due = read_date(sheet, row, "due", found)
        problems.extend(found)
        if not found:
            rows.append(_record(sheet, row, period, title, rating, due))
    return rows


def _words(scheme: list[CommitmentRating]) -> dict[str, CommitmentRating]:
    """Each rating by its label and by its colour's name ("Commitment met", "Green")."""
    by_colour = {RAG_LABELS[r.rag].lower(): r for r in scheme}
    by_colour |= {r.rag: r for r in scheme}
    return by_colour | {" ".join(r.label.lower().split()): r for r in scheme}


def _rating(sheet: Sheet, row: Row, words, scheme, problems) -> CommitmentRating | None:
    text = sheet.text(row, "rating")
    if not text:
        problems.append(sheet.problem(row, "rating", "is blank; rate the commitment"))
        return None
    found = words.get(" ".join(text.lower().replace("-", " ").split())) or words.get(
        " ".join(text.lower().split())
    )
    if found is None:
        allowed = [f"{r.label} ({RAG_LABELS[r.rag]})" for r in scheme]
        hint = did_you_mean(text, [r.label for r in scheme] + [RAG_LABELS[r.rag] for r in scheme])
        reason = f"is not a rating of the project's scheme{hint}; use one of " + ", ".join(allowed)
        problems.append(sheet.problem(row, "rating", reason))
    return found


def _record(sheet, row, period, title, rating: CommitmentRating, due) -> dict:
    return {
        "period": period.label,
        "end_month": period.end_month,
        "ref": sheet.text(row, "ref") or None,
        "title": title,
        "due": due,
        "owner": sheet.text(row, "owner") or None,
        "rating": rating.label,
        "rag": rating.rag,
        "commentary": sheet.text(row, "commentary") or None,
        "source": source(sheet, row),
    }


def commitment_summary(
    commitments: pl.DataFrame,
    period: str,
    scheme: list[CommitmentRating] | tuple[CommitmentRating, ...] = DEFAULT_COMMITMENT_SCHEME,
) -> pl.DataFrame:
    """One "Overall" row for a period: the count of each rating's colour, `<rag>_text` such as
    "100% (5)" (whole-number share, then the count), and `commitments`, the number due."""
    rows = commitments.filter(pl.col("period") == period)
    rags = [r.rag for r in scheme]
    counts = rows.select(
        pl.lit("Overall").alias("group"),
        *((pl.col("rag") == rag).sum().cast(pl.Int64).alias(rag) for rag in rags),
        pl.len().cast(pl.Int64).alias("commitments"),
    )
    return counts.with_columns(
        share_text(pl.col(rag), pl.col("commitments")).alias(f"{rag}_text") for rag in rags
    )


__all__ = ["SCHEMA", "commitment_summary", "empty_commitments", "read_commitments"]
