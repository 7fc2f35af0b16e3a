"""The Dataset: one in-memory shape where every source meets, and the engine's only input.

A plain holder of the catalogue and the frames `schema` declares; it reads nothing and computes
nothing. `boardpack.sources.load_project` builds one from a project's files,
`boardpack.web.store.dataset_from_store` from the database; `boardpack.evaluate` rates it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ..catalogue import Project
from . import schema
from .schema import TABLES, Table


@dataclass(frozen=True)
class Publication:
    """A national publication as read: `values` for every area as published, its `measures`
    with polarity, the `organisations` (councils) and their `membership` of comparator groups.
    `name` is the publication's title, e.g. "the Adult Social Care Outcomes Framework (ASCOF)"."""

    name: str
    values: pl.DataFrame
    measures: pl.DataFrame
    organisations: pl.DataFrame
    membership: pl.DataFrame


def _empty(name: str):
    return field(default_factory=TABLES[name].empty)


@dataclass(frozen=True)
class Dataset:
    """The catalogue (`project`) and its frames, each as `schema.TABLES` declares it; a part
    the project does not have is an empty frame (`national` is None without a `benchmarking:`
    section)."""

    project: Project
    indicators: pl.DataFrame
    observations: pl.DataFrame
    targets: pl.DataFrame
    commentary: pl.DataFrame
    overrides: pl.DataFrame
    risks: pl.DataFrame = _empty("risks")
    revenue: pl.DataFrame = _empty("revenue")
    capital: pl.DataFrame = _empty("capital")
    commitments: pl.DataFrame = _empty("commitments")
    narrative: pl.DataFrame = _empty("narrative")
    revisions: pl.DataFrame = _empty("revisions")
    records_quality: pl.DataFrame = _empty("records_quality")
    national: Publication | None = None

    def frames(self) -> dict[str, pl.DataFrame]:
        """Every frame by its table's name (`national.values`... with a publication)."""
        own = {name: getattr(self, name) for name in TABLES if "." not in name}
        if self.national is None:
            return own
        parts = {f"national.{part}": getattr(self.national, part) for part in schema.NATIONAL_PARTS}
        return own | parts


__all__ = ["Dataset", "Publication", "TABLES", "Table", "schema"]
