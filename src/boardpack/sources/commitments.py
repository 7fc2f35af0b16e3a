"""Commitments: commissioning intentions, projects or actions rated on the project's own scheme
("Commitment met" green ... "Risk of not delivering" red), read and checked (their counts by
rating are `boardpack.engine.commitments`)."""

from __future__ import annotations

import polars as pl

from ..catalogue import Project
from ..catalogue.errors import did_you_mean
from ..catalogue.models import RAG_LABELS, CommitmentRating
from ..dataset.schema import COMMITMENTS
from ..errors import BoardpackError, Problem
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


def read_commitments(project: Project) -> pl.DataFrame:
    """The project's commitments (empty with the right columns when it has none)."""
    config = project.commitments
    if config is None:
        return COMMITMENTS.empty()
    problems: list[Problem] = []
    sheet = open_sheet(project, config, FIELDS, REQUIRED, problems)
    rows = [] if sheet is None else _rows(sheet, config.scheme, problems)
    if problems:
        raise BoardpackError(problems)
    return COMMITMENTS.frame(rows)


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


__all__ = ["read_commitments"]
