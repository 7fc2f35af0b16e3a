"""`load_project(path)`: a project folder read into the Dataset, the catalogue, every data file,
commentary, the report's parts and the national publication. Anything wrong is reported in
full before anything is returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ..catalogue import Project, load_project_file
from ..dataset import Dataset, Publication
from ..dataset.schema import REVISIONS
from ..errors import BoardpackError, Problem, attempt
from .budget import read_capital, read_revenue
from .catalogue import indicator_frame, override_frame, target_frame
from .client_records import (
    given_twice,
    read_records_quality,
    records_checked,
    records_observations,
)
from .commentary import read_commentary
from .commitments import read_commitments
from .figures import load_figures
from .narrative import read_narrative
from .national import read_national
from .risks import read_risks


@dataclass(frozen=True)
class ProjectFiles:
    """A project's files read and checked, before the catalogue's indicators and targets are
    resolved into frames (`make_dataset`): what the Store keeps of an import."""

    project: Project
    observations: pl.DataFrame
    commentary: pl.DataFrame
    report: dict[str, pl.DataFrame]
    national: Publication | None
    revisions: pl.DataFrame | None

    def dataset(self) -> Dataset:
        return make_dataset(
            self.project,
            self.observations,
            self.commentary,
            self.report,
            self.national,
            self.revisions,
        )


def load_project(path: str | Path, *, measures: bool = True) -> Dataset:
    """Read a project folder (or its `boardpack.yaml`) into a Dataset. Data files and
    commentary are both checked before anything is returned; all their problems are raised
    together in one `BoardpackError`. With `measures` False the indicators computed from
    client-level records are checked (measure, unit, records loaded) but not computed, so the
    Dataset has none of their figures: what validating needs, at a fraction of the cost."""
    return read_project(path, measures=measures).dataset()


def read_project(path: str | Path, *, measures: bool = True) -> ProjectFiles:
    """Read and check a project folder as `load_project` does (the same problems, raised
    together), stopping short of the Dataset's resolved frames."""
    project = load_project_file(path)
    problems: list = []
    figures = attempt(
        lambda: load_figures(project, project.folder, project.organisation.code), problems
    )
    observations = figures.observations if figures else None
    from_records = records_observations if measures else records_checked
    computed = attempt(lambda: from_records(project), problems)
    if observations is not None and computed is not None:
        problems.extend(given_twice(observations, computed))
        observations = pl.concat([observations, computed])
    commentary = attempt(lambda: read_commentary(project), problems)
    report = {
        name: attempt(lambda read=read: read(project), problems)
        for name, read in REPORT_READERS.items()
    }
    national = attempt(lambda: read_national(project), problems)
    if observations is not None:
        problems.extend(mixed_period_kinds(observations))
    if problems:
        raise BoardpackError(problems)
    return ProjectFiles(project, observations, commentary, report, national, figures.revisions)


def make_dataset(
    project: Project,
    observations: pl.DataFrame,
    commentary: pl.DataFrame,
    report: dict[str, pl.DataFrame],
    national: Publication | None = None,
    revisions: pl.DataFrame | None = None,
) -> Dataset:
    """A Dataset from a project and its figures, wherever they were read from (files, the
    database): indicators, targets and overrides are resolved from the catalogue here.
    `revisions` are the earlier figures later ones revised (none when not given)."""
    return Dataset(
        project=project,
        indicators=indicator_frame(project),
        observations=observations,
        targets=target_frame(project, observations),
        commentary=commentary,
        overrides=override_frame(project),
        **report,
        national=national,
        revisions=REVISIONS.empty() if revisions is None else revisions,
    )


#: The report's other parts: Dataset field -> reader (each raises with all its problems).
REPORT_READERS = {
    "risks": read_risks,
    "revenue": read_revenue,
    "capital": read_capital,
    "commitments": read_commitments,
    "narrative": read_narrative,
    "records_quality": read_records_quality,
}


def mixed_period_kinds(observations: pl.DataFrame) -> list[Problem]:
    """An indicator's figures must all cover periods of one length (all quarters, or all
    rolling years...): previous period and direction of travel compare like with like."""
    months = (
        (pl.col("period_end").dt.year() * 12 + pl.col("period_end").dt.month())
        - (pl.col("period_start").dt.year() * 12 + pl.col("period_start").dt.month())
        + 1
    )
    kinds = (
        observations.with_columns(months.alias("months"))
        .group_by("indicator", "months", maintain_order=True)
        .first()
    )
    mixed = kinds.filter(pl.col("indicator").is_duplicated())
    return [
        Problem(
            what=f"{first['source']} and {second['source']}: {ref} has figures for periods of "
            f'different lengths ("{first["period"]}", {first["months"]} months; '
            f'"{second["period"]}", {second["months"]} months)',
            fix="give each indicator's figures for one kind of period",
        )
        for (ref,), group in mixed.group_by("indicator", maintain_order=True)
        for first, second in [group.head(2).to_dicts()]
    ]
