"""A national publication (ASCOF and tables like it) read and checked: its figures for every
area, its measures, the councils and their comparator groups, as the Dataset's `national`
part (`boardpack.dataset.Publication`). The benchmark statistics are the engine's."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import polars as pl

from boardpack.catalogue.models import Benchmarking, Project
from boardpack.dataset import Publication, schema
from boardpack.errors import BoardpackError, NotFound, Problem, attempt

from .config import PublicationConfig, load_config
from .long import read_long_publication
from .measures import load_measures
from .organisations import group_membership, load_organisations, read_named_groups
from .publication import NationalData, read_publication

BUILTIN_FORMATS = {"ascof": None, "long": None}  # name -> config path (None: built in)


def read_national_files(
    publication: Path,
    lookups: Path,
    format: str = "ascof",
    measures: Path | None = None,
    groups: Iterable[Path] = (),
    columns: Mapping[str, str] | None = None,
    name: str | None = None,
) -> Publication:
    """Read a national publication, its measures, councils and comparator groups. `columns`
    maps a long publication's headers to its fields; `name` is how problems name the file."""
    if format == "long":
        data = read_long_publication(Path(publication), columns or {}, name or str(publication))
        title = f"the national figures in {Path(publication).name}"
    else:
        data = read_publication(Path(publication), BUILTIN_FORMATS.get(format, format))
        title = data.config.title or data.config.name
    problems: list[Problem] = []
    organisations = attempt(lambda: load_organisations(Path(lookups), data), problems)
    named = [
        attempt(lambda p=path: read_named_groups(Path(p), organisations), problems)
        for path in groups
    ]
    measure_table = attempt(lambda: load_measures(measures), problems)
    if measure_table is not None:
        problems.extend(_unknown_measures(data.values, measure_table, measures))
    if problems:
        raise BoardpackError(problems)
    membership = group_membership(organisations, pl.concat(named) if named else None)
    return Publication(
        name=title,
        values=schema.NATIONAL_VALUES.conform(data.values),
        measures=schema.NATIONAL_MEASURES.conform(measure_table),
        organisations=schema.NATIONAL_ORGANISATIONS.conform(organisations),
        membership=schema.NATIONAL_MEMBERSHIP.conform(membership),
    )


def _unknown_measures(
    values: pl.DataFrame, measures: pl.DataFrame, file: Path | None
) -> list[Problem]:
    """A problem when a measure published has no unit and polarity in the measures file."""
    unknown = sorted(set(values["measure"].unique()) - set(measures["measure"]))
    if not unknown:
        return []
    return [
        Problem(
            file=str(file) if file else None,
            value=", ".join(unknown),
            what=("is a measure" if len(unknown) == 1 else "are measures")
            + " of the publication with no entry in "
            + ("this measures file" if file else "the built-in ASCOF measures"),
            fix="add each with its title, unit and polarity to a measures file "
            "(docs/benchmarking.md), named under `measures:` in the benchmarking section",
        )
    ]


def read_national(project: Project) -> Publication | None:
    """The publication a project's `benchmarking:` section names (None without one); the
    project's own council goes by the name the project gives it."""
    if project.benchmarking is None:
        return None
    settings = project.benchmarking
    national = read_national_files(
        project.resolve(settings.publication),
        project.resolve(settings.lookups),
        settings.format
        if settings.format in BUILTIN_FORMATS
        else str(project.resolve(settings.format)),
        project.resolve(settings.measures) if settings.measures else None,
        [project.resolve(path) for path in settings.groups],
        settings.columns,
        settings.publication,
    )
    own = pl.col("organisation") == project.organisation.code
    named = pl.when(own).then(pl.lit(project.organisation.name)).otherwise("name")
    organisations = national.organisations.with_columns(name=named)
    return Publication(
        national.name, national.values, national.measures, organisations, national.membership
    )


def require_benchmarking(project: Project) -> Benchmarking:
    """The project's `benchmarking:` section, or an error saying to add one."""
    if project.benchmarking is None:
        raise NotFound(
            "the project has no benchmarking: section; add one naming the national publication "
            "and the lookups folder (see docs/catalogue.md)"
        )
    return project.benchmarking


__all__ = [
    "BUILTIN_FORMATS",
    "NationalData",
    "PublicationConfig",
    "group_membership",
    "load_config",
    "load_measures",
    "load_organisations",
    "read_named_groups",
    "read_national",
    "read_national_files",
    "read_publication",
    "require_benchmarking",
]
