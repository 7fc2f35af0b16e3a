"""Between the Dataset's shapes and the Store's rows: a project and its frames to records for
`records.changes.revise`, and stored records back to the project and frames `load_project`
would have produced."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import polars as pl

from boardpack.catalogue import Project
from boardpack.sources.commentary import SCHEMA as COMMENTARY_SCHEMA
from boardpack.sources.figures.observations import SCHEMA as OBSERVATION_SCHEMA
from boardpack.sources.project import REPORT_READERS, Dataset

#: Dataset field -> its empty frame, whose schema rebuilds stored report tables.
REPORT_SCHEMAS = {
    f.name: f.default_factory().schema
    for f in dataclasses.fields(Dataset)
    if f.name in REPORT_READERS
}
#: Catalogue parts stored as their own versioned records, not in the project's config.
SEPARATE = {"indicators", "overrides"}


# --- from the Dataset to records ---------------------------------------------------------


def config_record(project: Project) -> dict:
    config = project.model_dump(mode="json", by_alias=True, exclude=SEPARATE)
    return {"config": config, "folder": str(Path(project.folder).resolve())}


def indicator_records(project: Project, columns) -> list[dict]:
    """One per catalogue entry, its targets left to `target_records`."""
    return [
        {
            "ref": ind.ref,
            "definition": ind.model_dump(mode="json", by_alias=True, exclude={"targets"}),
            "position": position,
            **columns(ind),
        }
        for position, ind in enumerate(project.indicators)
    ]


def target_records(project: Project) -> list[dict]:
    return [
        {
            "indicator": ind.ref,
            "when": entry.period or f"from {entry.from_.isoformat()}",
            "position": position,
            "period": entry.period or "",
            "from_date": entry.from_,
            "target": entry.target,
            "floor": entry.floor,
            "band": entry.band,
            "tolerance": entry.tolerance,
        }
        for ind in project.indicators
        for position, entry in enumerate(ind.targets)
    ]


def observation_records(observations: pl.DataFrame) -> list[dict]:
    rows = observations.rename({"organisation": "area"}).with_row_index("position")
    return rows.to_dicts()


def commentary_records(commentary: pl.DataFrame) -> list[dict]:
    return commentary.with_row_index("position").to_dicts()


def override_records(overrides: pl.DataFrame) -> list[dict]:
    renamed = overrides.rename({"organisation": "area", "reason": "reason_text"})
    return renamed.with_row_index("position").to_dicts()


def report_records(dataset: Dataset) -> list[dict]:
    return [
        {"name": name, "rows": json.loads(getattr(dataset, name).write_json())}
        for name in REPORT_SCHEMAS
    ]


# --- from records back to the Dataset's shapes --------------------------------------------


def project_from(config, indicators, targets, overrides) -> Project:
    """The catalogue as stored: config, entries in catalogue order with their targets, and
    manual ratings, checked again by the catalogue's models."""
    by_indicator: dict[str, list[dict]] = {}
    for t in sorted(targets, key=lambda t: t.position):
        by_indicator.setdefault(t.indicator, []).append(_target_entry(t))
    entries = [
        {**ind.definition, "targets": by_indicator.get(ind.ref, [])}
        for ind in sorted(indicators, key=lambda i: (i.position, i.ref))
    ]
    own = config.config["organisation"]["code"]
    manual = [
        {
            "indicator": o.indicator,
            "period": o.period,
            "rag": o.rag,
            "reason": o.reason_text,
            "approved_by": o.approved_by,
            "organisation": None if o.area == own else o.area,
        }
        for o in sorted(overrides, key=lambda o: o.position)
    ]
    project = Project.model_validate({**config.config, "indicators": entries, "overrides": manual})
    project._folder = Path(config.folder)
    return project


def _target_entry(t) -> dict:
    entry = {"target": t.target, "floor": t.floor, "band": t.band, "tolerance": t.tolerance}
    if t.period:
        return {"period": t.period, **entry}
    return {"from": t.from_date, **entry}


def observation_frame(rows) -> pl.DataFrame:
    """`rows`: tuples of `OBSERVATION_COLUMNS` in the order the files gave them."""
    frame = pl.DataFrame(list(rows), schema=_stored(OBSERVATION_SCHEMA), orient="row")
    return frame.rename({"area": "organisation"}).select(list(OBSERVATION_SCHEMA))


def _stored(schema: dict) -> dict:
    return {("area" if name == "organisation" else name): dtype for name, dtype in schema.items()}


def commentary_frame(rows) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=COMMENTARY_SCHEMA, orient="row")


def report_frame(name: str, rows: list[dict]) -> pl.DataFrame:
    """A stored report table with its own column types (dates were written as ISO text)."""
    schema = REPORT_SCHEMAS[name]
    temporal = [col for col, dtype in schema.items() if dtype.is_temporal()]
    as_text = {col: (pl.String if col in temporal else dtype) for col, dtype in schema.items()}
    frame = pl.DataFrame(rows, schema=as_text)
    return frame.with_columns(pl.col(col).str.to_date() for col in temporal)


#: The stored observation columns, in the Dataset's order (`area` is the organisation code).
OBSERVATION_COLUMNS = list(_stored(OBSERVATION_SCHEMA))
