"""Revised figures from the Store: those the files made are kept on import, and a later import
or edit that changes a figure is one too, so a pack built from the database lists them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from boardpack import api, load_project
from boardpack.web.store import dataset_from_store, import_project

from .conftest import rewrite

pytestmark = pytest.mark.django_db
WEB_TABLE = Path(__file__).parents[1] / "fixtures" / "council-web-table"
T0 = dt.datetime(2025, 5, 1, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def web_table(tmp_path) -> Path:
    return Path(shutil.copytree(WEB_TABLE, tmp_path / "council-web-table"))


def test_the_files_revisions_are_kept_in_the_store(web_table):
    import_project(web_table, at=T0)
    from_store = dataset_from_store()
    assert from_store.revisions.height == 2
    assert_frame_equal(from_store.revisions, load_project(web_table).revisions)
    assert from_store.observations["published_direction"].drop_nulls().len() == 20


def test_a_later_import_that_changes_a_figure_is_a_revision(web_table, tmp_path):
    import_project(web_table, at=T0)
    rewrite(web_table / "data" / "2024-25-q4.csv", "80.2%,82.5%", "80.2%,82.7%")
    import_project(web_table, at=LATER)
    revised = dataset_from_store().revisions.filter(indicator="ASC01").to_dicts()
    assert revised == [
        {
            "indicator": "ASC01",
            "organisation": "E06000999",
            "period": "Q4 2024/25",
            "end_month": 2025 * 12 + 2,
            "value_before": 82.5,
            "value_after": 82.7,
            "source": "data/2024-25-q4.csv:2",
            "revised_on": LATER.date(),
        }
    ]
    assert dataset_from_store(as_at=T0).revisions.filter(indicator="ASC01").is_empty()
    built = api.build_pack(dataset_from_store(), period="Q4 2024/25", out=tmp_path / "pack")
    index = built.index.read_text(encoding="utf-8")
    assert (
        "<strong>ASC01</strong>: Q4 2024/25 figure revised from 82.5% to 82.7%, 02 Jun 2025"
        in index
    )
