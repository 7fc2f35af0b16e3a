"""A national publication (ASCOF and tables like it) read and checked: its figures for every
area, its measures, the councils and their comparator groups, as the Dataset's `national`
part (`boardpack.dataset.Publication`). The benchmark statistics are the engine's."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polars as pl

from boardpack.catalogue.models import Benchmarking, Project
from boardpack.dataset import Publication, schema
from boardpack.errors import NotFound

from .config import PublicationConfig, load_config
from .measures import load_measures
from .organisations import group_membership, load_organisations, read_named_groups
from .publication import NationalData, read_publication

BUILTIN_FORMATS = {"ascof": None}  # name -> config path (None: the committed ASCOF config)


def read_national_files(
    publication: Path,
    lookups: Path,
    format: str = "ascof",
    measures: Path | None = None,
    groups: Iterable[Path] = (),
) -> Publication:
    """Read a national publication, its measures, councils and comparator groups."""
    data = read_publication(Path(publication), BUILTIN_FORMATS.get(format, format))
    organisations = load_organisations(Path(lookups), data)
    named = [read_named_groups(Path(path), organisations) for path in groups]
    membership = group_membership(organisations, pl.concat(named) if named else None)
    return Publication(
        name=data.config.title or data.config.name,
        values=schema.NATIONAL_VALUES.conform(data.values),
        measures=schema.NATIONAL_MEASURES.conform(load_measures(measures)),
        organisations=schema.NATIONAL_ORGANISATIONS.conform(organisations),
        membership=schema.NATIONAL_MEMBERSHIP.conform(membership),
    )


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
