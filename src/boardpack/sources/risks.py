"""The risk register: risks scored on a 5x5 matrix, read and checked (the views a report shows
of them, heat map, movement and the risks above a score, are `boardpack.engine.risks`).

Impact and likelihood are 1-5 or their labels or both ("4 Major", "Major (4)"); a label that
does not match its number, a score that is not impact x likelihood, or a rating outside the
project's bands is an error naming the file, row, column, value and the risk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import polars as pl

from ..catalogue import Project
from ..catalogue.errors import did_you_mean
from ..catalogue.models import Risks
from ..dataset.schema import RISKS
from ..errors import BoardpackError, Problem
from .readers import Row
from .tables import Sheet, open_sheet, read_number, read_period, source

STATUSES = ("Treat", "Tolerate", "Transfer", "Terminate")

#: Our column -> other headers accepted for it (Barnet's own words among them).
FIELDS: dict[str, tuple[str, ...]] = {
    "period": (),
    "ref": ("reference", "risk_ref"),
    "title": ("risk",),
    "description": (),
    "owner": ("risk_owner",),
    "category": (),
    "impact": (),
    "likelihood": ("probability",),
    "score": (),
    "rating": (),
    "controls": ("control_actions",),
    "status": ("risk_status",),
    "assurance": ("board_assurance", "board_assurance_(timing)"),
    "target_impact": (),
    "target_likelihood": ("target_probability",),
    "target_score": (),
    "target_rating": (),
    "linked_indicators": ("indicators",),
}
REQUIRED = ("period", "ref", "impact", "likelihood")
TEXT_FIELDS = ("title", "description", "owner", "category", "controls", "assurance")


@dataclass(frozen=True)
class Scale:
    """One axis of the matrix: its name and the labels of 1 to 5."""

    name: str
    labels: tuple[str, ...]

    def number(self, label: str) -> int | None:
        lowered = [item.lower() for item in self.labels]
        key = " ".join(label.split()).lower()
        return lowered.index(key) + 1 if key in lowered else None


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def parse_level(text: str, scale: Scale) -> tuple[int | None, str | None]:
    """`4`, `Major`, `4 Major`, `Major (4)` -> (4, None); a reason when it cannot be read."""
    numbers = _NUMBER.findall(text)
    words = " ".join(re.sub(r"[\d().:\-–]", " ", text).split())
    allowed = ", ".join(f"{n} {label}" for n, label in enumerate(scale.labels, 1))
    if len(numbers) > 1 or (numbers and float(numbers[0]) not in range(1, 6)):
        return None, f"is not 1 to 5; give the {scale.name} as one of {allowed}"
    number = int(float(numbers[0])) if numbers else None
    if not words:
        return number, None
    by_label = scale.number(words)
    if by_label is None:
        hint = did_you_mean(words, scale.labels)
        return (
            None,
            f'"{words}" is not a label of the {scale.name} scale{hint}; use one of {allowed}',
        )
    if number is not None and number != by_label:
        return None, (
            f"{scale.name} {number} is {scale.labels[number - 1]}, but the label says "
            f"{words} ({by_label}); correct the number or the label"
        )
    return by_label, None


def read_risks(project: Project) -> pl.DataFrame:
    """The project's risk register (empty with the right columns when it has none)."""
    config = project.risks
    if config is None:
        return RISKS.empty()
    problems: list[Problem] = []
    sheet = open_sheet(project, config, FIELDS, REQUIRED, problems)
    rows = [] if sheet is None else _rows(sheet, config, project.refs(), problems)
    if problems:
        raise BoardpackError(problems)
    return RISKS.frame(rows)


def _rows(sheet: Sheet, config: Risks, known: list[str], problems: list[Problem]) -> list[dict]:
    impact = Scale("impact", tuple(config.impact_labels))
    likelihood = Scale("likelihood", tuple(config.likelihood_labels))
    rows, seen = [], {}
    for row in sheet.table.rows:
        record = _risk(sheet, row, config, (impact, likelihood), known, problems)
        if record is None:
            continue
        key = (record["ref"].lower(), record["period"])
        if key in seen:
            problems.append(
                sheet.problem(
                    row, "ref", f"is given twice for {record['period']} (also row {seen[key]})"
                )
            )
        seen[key] = row.number
        rows.append(record)
    return rows


def _risk(sheet, row: Row, config: Risks, scales, known, problems) -> dict | None:
    ref = sheet.text(row, "ref")
    if not ref:
        problems.append(sheet.problem(row, "ref", "is blank; every risk needs a reference"))
        return None
    before = len(problems)
    found: list[Problem] = []
    period = read_period(sheet, row, found)
    current = _assessment(sheet, row, "", config, scales, required=True, problems=found)
    target = _assessment(sheet, row, "target_", config, scales, required=False, problems=found)
    status = _status(sheet, row, found)
    linked = _linked(sheet, row, known, found)
    problems.extend(_naming(problem, ref) for problem in found)
    if len(problems) > before or period is None:
        return None
    return {
        "period": period.label,
        "period_end": period.end,
        "end_month": period.end_month,
        "ref": ref,
        **{name: sheet.text(row, name) or None for name in TEXT_FIELDS},
        **current,
        "status": status,
        **target,
        "linked_indicators": linked,
        "source": source(sheet, row),
    }


def _naming(problem: Problem, ref: str) -> Problem:
    """Add the risk's reference to a problem's reason."""
    return replace(problem, what=f"{problem.what} (risk {ref})")


def _assessment(sheet, row, prefix, config, scales, required, problems) -> dict:
    """Impact, likelihood, score and rating (current or target), each checked."""
    levels = {}
    for name, scale in zip(("impact", "likelihood"), scales, strict=True):
        field = prefix + name
        text = sheet.text(row, field)
        level, reason = parse_level(text, scale) if text else (None, None)
        if reason:
            problems.append(sheet.problem(row, field, reason))
        elif level is None and (required or _any_given(sheet, row, prefix)):
            problems.append(sheet.problem(row, field, f"is blank; give the {name} as 1 to 5"))
        levels[name] = level
    score = _checked_score(sheet, row, prefix, levels, problems)
    rating = _checked_rating(sheet, row, prefix, score, config, problems)
    result = {
        f"{prefix}impact": levels["impact"],
        f"{prefix}impact_label": _label(scales[0], levels["impact"]),
        f"{prefix}likelihood": levels["likelihood"],
        f"{prefix}likelihood_label": _label(scales[1], levels["likelihood"]),
        f"{prefix}score": score,
        f"{prefix}rating": rating.label if rating else None,
    }
    if not prefix:
        result["rag"] = rating.rag if rating else None
    return result


def _any_given(sheet, row, prefix) -> bool:
    names = ("impact", "likelihood", "score", "rating")
    return any(sheet.text(row, prefix + name) for name in names)


def _label(scale: Scale, level: int | None) -> str | None:
    return None if level is None else scale.labels[level - 1]


def _checked_score(sheet, row, prefix, levels, problems) -> int | None:
    impact, likelihood = levels["impact"], levels["likelihood"]
    computed = impact * likelihood if impact and likelihood else None
    given = read_number(sheet, row, prefix + "score", problems)
    if given is not None and computed is not None and given != computed:
        problems.append(
            sheet.problem(
                row,
                prefix + "score",
                f"is not impact x likelihood ({impact} x {likelihood} = {computed}); "
                "correct the score or the assessment",
            )
        )
    return computed


def _checked_rating(sheet, row, prefix, score, config: Risks, problems):
    band = config.band_for(score) if score else None
    given = sheet.text(row, prefix + "rating")
    if not given or band is None:
        return band
    labels = [b.label for b in config.bands]
    if given.lower() not in (label.lower() for label in labels):
        hint = did_you_mean(given, labels)
        reason = f"is not one of the project's ratings{hint}; use one of " + ", ".join(labels)
        problems.append(sheet.problem(row, prefix + "rating", reason))
    elif given.lower() != band.label.lower():
        problems.append(
            sheet.problem(
                row,
                prefix + "rating",
                f"does not match the score {score}, which the project's bands rate {band.label}",
            )
        )
    return band


def _status(sheet, row, problems) -> str | None:
    text = sheet.text(row, "status")
    if not text:
        return None
    for status in STATUSES:
        if text.lower() == status.lower():
            return status
    reason = f"is not a risk status{did_you_mean(text, STATUSES)}; use one of " + ", ".join(
        STATUSES
    )
    problems.append(sheet.problem(row, "status", reason))
    return None


def _linked(sheet, row, known: list[str], problems) -> list[str]:
    refs = [part.strip() for part in re.split(r"[;,]", sheet.text(row, "linked_indicators"))]
    refs = [ref for ref in refs if ref]
    by_lower = {ref.lower(): ref for ref in known}
    unknown = [ref for ref in refs if known and ref.lower() not in by_lower]
    for ref in unknown:
        reason = f'names indicator "{ref}", which is not in the catalogue{did_you_mean(ref, known)}'
        problems.append(sheet.problem(row, "linked_indicators", reason))
    return [by_lower.get(ref.lower(), ref) for ref in refs]


__all__ = ["STATUSES", "Scale", "parse_level", "read_risks"]
