"""A pack's narrative in Markdown, one file per period: `# Foreword`, `# Top achievements`,
`# Key challenges` (a list of `- challenge | action required`), `# Summary of performance`,
`# Equalities`, `# Customer experience` (and `# Finance commentary`, `# Risk commentary`,
`# Recommendations`).

Each section is kept as Markdown; the pack renders it as safe HTML.
"""

from __future__ import annotations

import re

import polars as pl

from ..catalogue import Project
from ..catalogue.errors import did_you_mean
from ..dataset.schema import NARRATIVE
from ..errors import BoardpackError, Problem
from ..periods import PeriodError, parse_period

#: Heading (lower case) -> section key, in the order a pack shows them.
SECTIONS: dict[str, str] = {
    "foreword": "foreword",
    "top achievements": "achievements",
    "key challenges": "challenges",
    "summary of performance": "summary",
    "equalities": "equalities",
    "customer experience": "customer_experience",
    "finance commentary": "finance",
    "risk commentary": "risks",
    "recommendations": "recommendations",
}
SECTION_TITLES = {key: heading.capitalize() for heading, key in SECTIONS.items()}
#: Sections written as a list of `challenge | action` items.
PAIRED = {"challenges"}

HEADING = re.compile(r"^#\s+(.*?)\s*#*\s*$")
ITEM = re.compile(r"^\s*[-*+]\s+(.*)$")


def read_narrative(project: Project) -> pl.DataFrame:
    """Every narrative file of the project: one row per section (per challenge in Key
    challenges, with its action)."""
    rows: list[dict] = []
    problems: list[Problem] = []
    for entry in project.narrative:
        period = _period(entry.period, entry.file, problems)
        path = project.resolve(entry.file)
        if not path.is_file():
            problems.append(
                Problem(file=entry.file, what="narrative file not found", fix="check `narrative:`")
            )
            continue
        text = path.read_text(encoding="utf-8-sig")
        found = parse_narrative(text, entry.file, period or entry.period)
        rows += found[0]
        problems += found[1]
    if problems:
        raise BoardpackError(problems)
    return NARRATIVE.frame(rows)


def _period(label: str, file: str, problems: list[Problem]) -> str | None:
    try:
        return parse_period(label).label
    except PeriodError as error:
        problems.append(
            Problem(file=file, what=f'period "{label}" is not a period Boardpack reads ({error})')
        )
        return None


def parse_narrative(text: str, file: str, period: str) -> tuple[list[dict], list[Problem]]:
    """Rows for one file, and its problems (`file, line N: ...`)."""
    problems: list[Problem] = []
    blocks = _blocks(text.splitlines(), file, problems)
    rows = []
    for section, start, lines in blocks:
        if section in PAIRED:
            rows += _paired(period, section, start, lines, file, problems)
        elif "\n".join(lines).strip():
            rows.append(_row(period, section, 1, "\n".join(lines).strip(), None))
    return rows, problems


def _blocks(
    lines: list[str], file: str, problems: list[Problem]
) -> list[tuple[str, int, list[str]]]:
    """(section, line of its first text line, lines) for each level-1 heading."""
    blocks: list[tuple[str, int, list[str]]] = []
    seen: dict[str, int] = {}
    fenced = False
    for number, line in enumerate(lines, start=1):
        fenced ^= line.lstrip().startswith(("```", "~~~"))
        match = None if fenced else HEADING.match(line)
        if match:
            section = _section(match.group(1), file, number, seen, problems)
            blocks.append((section or "", number + 1, []))
        elif blocks:
            blocks[-1][2].append(line)
        elif line.strip():
            problems.append(
                Problem(
                    file=file,
                    line=number,
                    what="text before the first heading",
                    fix="start with a heading such as # Foreword",
                )
            )
    return [block for block in blocks if block[0]]


def _section(
    heading: str, file: str, number: int, seen: dict, problems: list[Problem]
) -> str | None:
    key = SECTIONS.get(" ".join(heading.lower().split()))
    if key is None:
        known = [SECTION_TITLES[k] for k in SECTIONS.values()]
        problems.append(
            Problem(
                file=file,
                line=number,
                what=f'"# {heading}" is not a narrative section{did_you_mean(heading, known)}',
                fix="use one of " + ", ".join(known),
            )
        )
        return None
    if key in seen:
        problems.append(
            Problem(
                file=file,
                line=number,
                what=f'"# {heading}" appears twice (also line {seen[key]})',
                fix="keep one",
            )
        )
        return None
    seen[key] = number
    return key


def _paired(period, section, start, lines, file, problems) -> list[dict]:
    """`- challenge | action required`, one item per line."""
    rows = []
    for number, line in enumerate(lines, start=start):
        if not line.strip():
            continue
        item = ITEM.match(line)
        if item is None or "|" not in item.group(1):
            problems.append(
                Problem(
                    file=file,
                    line=number,
                    what='write each key challenge as a list item "- challenge | action required"',
                )
            )
            continue
        challenge, action = (part.strip() for part in item.group(1).split("|", 1))
        if not challenge or not action:
            problems.append(
                Problem(
                    file=file,
                    line=number,
                    what='give both the challenge and the action required, either side of "|"',
                )
            )
            continue
        rows.append(_row(period, section, len(rows) + 1, challenge, action))
    return rows


def _row(period: str, section: str, item: int, markdown: str, action: str | None) -> dict:
    return {
        "period": period,
        "section": section,
        "item": item,
        "markdown": markdown,
        "action_markdown": action,
    }


__all__ = [
    "SECTIONS",
    "SECTION_TITLES",
    "parse_narrative",
    "read_narrative",
]
