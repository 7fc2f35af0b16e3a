"""Every reader conforms to the Dataset's schema: each frame a project loads has exactly the
columns and types `boardpack.dataset.schema` declares, in its order, whether the project has
the part or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardpack import load_project
from boardpack.dataset.schema import INDICATORS, TABLES, TAG_PREFIX

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PROJECTS = [
    "example-county",
    "seeds/barnet-2015-16-q1",
    "seeds/kent-2011-12-q2",
    "seeds/worcestershire-2019-20-q2",
    "../tests/fixtures/council-web-table",  # a council's quarterly tables, with revisions
]


def columns(name: str, frame) -> list:
    """The frame's columns and types (the indicators' own, before their tag columns)."""
    found = list(frame.schema.items())
    if name == INDICATORS.name:
        found = [(column, dtype) for column, dtype in found if not column.startswith(TAG_PREFIX)]
    return found


@pytest.fixture(scope="module", params=PROJECTS)
def dataset(request):
    return load_project(EXAMPLES / request.param)


def test_every_frame_is_as_the_schema_declares(dataset):
    for name, frame in dataset.frames().items():
        assert columns(name, frame) == list(TABLES[name].columns.items()), name


def test_between_them_the_examples_have_every_table():
    """Not a vacuous comparison: every table is read with rows from some example."""
    seen = set()
    for project in PROJECTS:
        frames = load_project(EXAMPLES / project).frames()
        seen |= {name for name, frame in frames.items() if frame.height > 0}
    # records_quality needs records generated and loaded: tests/records/test_indicators.py
    assert seen == set(TABLES) - {"records_quality"}


def test_a_bare_project_has_every_table_empty(tmp_path):
    (tmp_path / "boardpack.yaml").write_text("organisation: {code: E1, name: X}\n")
    dataset = load_project(tmp_path)
    assert dataset.national is None
    for name, frame in dataset.frames().items():
        assert frame.height == 0
        assert columns(name, frame) == list(TABLES[name].columns.items()), name
