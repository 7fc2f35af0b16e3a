"""What a pack is built from: the evaluated rows for one period, and the catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from boardpack.catalogue.models import Project


@dataclass
class PackInput:
    """Everything a layout needs. The caller builds it from the engine's results.

    `rows` holds one reported row per indicator for the period; `history` holds every period of
    those indicators up to the end of the current financial year (future periods may carry only
    a target). `summary`, `call_in` and `commentary` are as the engine returns them.
    """

    project: Project
    period_label: str
    rows: pl.DataFrame
    history: pl.DataFrame
    summary: pl.DataFrame
    call_in: pl.DataFrame
    commentary: pl.DataFrame
    scheme_key: list[tuple[str, str]] = field(default_factory=list)
