"""Commentary in Markdown: one file per period, a `# REF` heading per indicator and `## Section`
headings for commentary, actions, risks and mitigations, and the panel's discussion."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from ..catalogue import Project, closest
from ..dataset.schema import COMMENTARY
from ..errors import BoardpackError, Problem
from ..periods import period_for

SECTIONS = {
    "commentary": "commentary",
    "actions": "actions",
    "what actions are we taking": "actions",
    "risks and mitigations": "risks",
    "risks and mitigating actions": "risks",
    "risks": "risks",
    "panel discussion": "panel",
    "discussion and actions agreed by the panel": "panel",
    "panel": "panel",
}
SECTION_TITLES = {
    "commentary": "Commentary",
    "actions": "What actions are we taking to improve performance",
    "risks": "Risks and mitigating actions",
    "panel": "Discussion and actions agreed by the performance assurance panel",
}
HEADING = re.compile(r"^(#{1,2})\s+(.*?)\s*#*\s*$")


@dataclass
class _Section:
    indicator: str
    section: str
    lines: list[str]


def read_commentary(project: Project) -> pl.DataFrame:
    """Every commentary file of the project as rows of indicator, period, section, markdown."""
    rows: list[dict] = []
    problems: list[Problem] = []
    for entry in project.commentary:
        path = project.resolve(entry.file)
        if not path.exists():
            problems.append(
                Problem(
                    file=entry.file,
                    what="commentary file not found",
                    fix="check `commentary:` in boardpack.yaml",
                )
            )
            continue
        for section in _sections(
            path.read_text(encoding="utf-8-sig"), entry.file, project, problems
        ):
            ind = project.indicator(section.indicator)
            period = period_for(entry.period, ind.frequency).label
            text = "\n".join(section.lines).strip()
            if text:
                rows.append(
                    {
                        "indicator": ind.ref,
                        "period": period,
                        "section": section.section,
                        "markdown": text,
                    }
                )
    if problems:
        raise BoardpackError(problems)
    return COMMENTARY.frame(rows)


def _sections(text: str, file: str, project: Project, problems: list[Problem]) -> list[_Section]:
    sections: list[_Section] = []
    known = {ref.lower() for ref in project.refs()}
    for number, line in enumerate(text.splitlines(), start=1):
        heading = HEADING.match(line)
        if heading and len(heading.group(1)) == 1:
            ref = heading.group(2)
            if ref.lower() not in known:
                hint = closest(ref, project.refs())
                problems.append(
                    Problem(
                        file=file,
                        line=number,
                        what=f'no indicator "{ref}" in the catalogue',
                        fix=f"did you mean {hint}?" if hint else None,
                    )
                )
                sections.append(_Section("", "", []))
                continue
            sections.append(_Section(ref, "commentary", []))
        elif heading and sections:
            name = SECTIONS.get(heading.group(2).lower().rstrip(":"))
            if name is None:
                problems.append(
                    Problem(
                        file=file,
                        line=number,
                        what=f'unknown section "{heading.group(2)}"',
                        fix="use one of Commentary, Actions, Risks and mitigations, Panel discussion",
                    )
                )
            sections.append(_Section(sections[-1].indicator, name or "", []))
        elif sections:
            sections[-1].lines.append(line)
        elif line.strip():
            problems.append(
                Problem(
                    file=file,
                    line=number,
                    what="text before the first indicator heading would be lost",
                    fix="start the file with a heading naming the indicator, like # ASCH2",
                )
            )
            sections.append(_Section("", "", []))
    return [s for s in sections if s.indicator and s.section]
