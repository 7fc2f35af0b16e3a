"""Between the Dataset's shapes and the Store's rows: a project and its frames to records for
`records.changes.revise`, and stored records back to the project and frames `load_project`
would have produced."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl

from boardpack.catalogue import Project, load_project_data
from boardpack.dataset import Publication
from boardpack.dataset.schema import (
    COMMENTARY,
    NATIONAL_PARTS,
    OBSERVATIONS,
    REPORT_PARTS,
    REVISIONS,
    TABLES,
)

#: Catalogue parts stored as their own versioned records, not in the project's config.
SEPARATE = {"indicators", "overrides"}
#: Tables stored whole as rows of JSON: the report's parts, and the revisions the files made.
WHOLE_TABLES = (*REPORT_PARTS, "revisions")


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


def observation_table(observations: pl.DataFrame) -> pl.DataFrame:
    """The figures as `revise` takes them whole: one frame, a column per field."""
    return observations.rename({"organisation": "area"}).with_row_index("position")


def observation_records(observations: pl.DataFrame) -> list[dict]:
    return observation_table(observations).to_dicts()


def commentary_records(commentary: pl.DataFrame) -> list[dict]:
    return commentary.with_row_index("position").to_dicts()


def override_records(overrides: pl.DataFrame) -> list[dict]:
    renamed = overrides.rename({"organisation": "area", "reason": "reason_text"})
    return renamed.with_row_index("position").to_dicts()


def report_records(report: dict[str, pl.DataFrame], revisions: pl.DataFrame | None) -> list[dict]:
    """The report's parts (by name, as `sources.read_project` reads them) and the revisions
    the files made, each one record of its rows."""
    tables = {**report, "revisions": REVISIONS.empty() if revisions is None else revisions}
    return [{"name": name, "rows": json.loads(tables[name].write_json())} for name in WHOLE_TABLES]


def national_records(publication: Publication | None) -> list[dict]:
    """One record per table of the national publication (none without one)."""
    if publication is None:
        return []
    return [
        _national_record(publication.name, part, getattr(publication, part))
        for part in NATIONAL_PARTS
    ]


def _national_record(title: str, part: str, frame: pl.DataFrame) -> dict:
    text = frame.write_json()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return {"name": part, "title": title, "digest": digest, "rows": json.loads(text)}


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
    project = load_project_data({**config.config, "indicators": entries, "overrides": manual})
    project._folder = Path(config.folder)
    return project


def _target_entry(t) -> dict:
    entry = {"target": t.target, "floor": t.floor, "band": t.band, "tolerance": t.tolerance}
    if t.period:
        return {"period": t.period, **entry}
    return {"from": t.from_date, **entry}


def observation_frame(rows) -> pl.DataFrame:
    """`rows`: tuples of `OBSERVATION_COLUMNS` in the order the files gave them."""
    frame = pl.DataFrame(list(rows), schema=_stored(OBSERVATIONS.columns), orient="row")
    return frame.rename({"area": "organisation"}).select(list(OBSERVATIONS.columns))


def _stored(schema: dict) -> dict:
    return {("area" if name == "organisation" else name): dtype for name, dtype in schema.items()}


def revision_frame(versions) -> pl.DataFrame:
    """The revisions in the Store's history: `versions` are tuples of `REVISION_HISTORY` for
    every version of every observation; a version whose value differs from the one before
    (both figures, neither withdrawn) is a revision, dated when it was saved."""
    history = pl.DataFrame(list(versions), schema=REVISION_HISTORY, orient="row")
    key = ["indicator", "area", "period"]
    before = pl.col("value").shift(1).over(key, order_by="version")
    gone = pl.col("withdrawn") | pl.col("withdrawn").shift(1).over(key, order_by="version")
    revised = history.with_columns(before.alias("value_before"), gone.alias("gone")).filter(
        pl.col("value_before").is_not_null()
        & pl.col("value").is_not_null()
        & (pl.col("value_before") != pl.col("value"))
        & ~pl.col("gone").fill_null(False)
    )
    return (
        revised.sort("valid_from", "indicator")
        .select(
            "indicator",
            pl.col("area").alias("organisation"),
            "period",
            "end_month",
            "value_before",
            pl.col("value").alias("value_after"),
            "source",
            pl.col("valid_from").dt.date().alias("revised_on"),
        )
        .cast(REVISIONS.columns)
    )


#: What `revision_frame` reads of each stored version of an observation.
REVISION_HISTORY = {
    "indicator": pl.String,
    "area": pl.String,
    "period": pl.String,
    "end_month": pl.Int32,
    "version": pl.Int64,
    "value": pl.Float64,
    "withdrawn": pl.Boolean,
    "source": pl.String,
    "valid_from": pl.Datetime("us", "UTC"),
}


def commentary_frame(rows) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=COMMENTARY.columns, orient="row")


def report_frame(name: str, rows: list[dict]) -> pl.DataFrame:
    """A stored table with the schema's column types (dates were written as ISO text)."""
    columns = TABLES[name].columns
    temporal = [col for col, dtype in columns.items() if dtype.is_temporal()]
    as_text = {col: (pl.String if col in temporal else dtype) for col, dtype in columns.items()}
    frame = pl.DataFrame(rows, schema=as_text)
    return frame.with_columns(pl.col(col).str.to_date() for col in temporal)


def publication_from(tables: list) -> Publication | None:
    """The national publication as stored (None when the project has none)."""
    by_part = {table.name: table for table in tables}
    if set(by_part) != set(NATIONAL_PARTS):
        return None
    frames = {part: report_frame(f"national.{part}", by_part[part].rows) for part in NATIONAL_PARTS}
    return Publication(name=by_part["values"].title, **frames)


#: The stored observation columns, in the Dataset's order (`area` is the organisation code).
OBSERVATION_COLUMNS = list(_stored(OBSERVATIONS.columns))
