"""The JSON Schema of `boardpack.yaml`, for editors and `boardpack schema`.

The committed copy `boardpack.schema.json` is regenerated with
`python -m boardpack.catalogue`; a test fails when it is out of date.
"""

from __future__ import annotations

import json
from pathlib import Path

from .models import Project

SCHEMA_FILE = Path(__file__).with_name("boardpack.schema.json")


def project_json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a project file."""
    schema = Project.model_json_schema()
    schema["title"] = "boardpack.yaml"
    schema["description"] = (
        "A Boardpack project: organisation, settings, rating schemes, indicators, data, commentary and overrides."
    )
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(project_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema_file(path: Path = SCHEMA_FILE) -> Path:
    """Write the schema to `path` (default: the committed copy)."""
    path.write_text(schema_text(), encoding="utf-8")
    return path
