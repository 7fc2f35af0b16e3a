"""A Dataset built from the Store after an import equals the one `load_project` builds from
the same files, frame by frame, and rates every figure the same."""

from __future__ import annotations

import pytest
from polars.testing import assert_frame_equal

from boardpack import evaluate, load_project
from boardpack.web.store import dataset_from_store, import_project

from .conftest import copy_example, copy_examples

EXAMPLES = ["example-county", "seeds/barnet-2015-16-q1", "seeds/worcestershire-2019-20-q2"]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_frame_matches_the_files(example, tmp_path):
    folder, _ = copy_examples(tmp_path, example, "ascof-england")
    from_files = load_project(folder)
    import_project(folder)
    from_store = dataset_from_store()
    frames = from_files.frames()
    assert list(from_store.frames()) == list(frames)
    for name, frame in frames.items():
        assert_frame_equal(from_store.frames()[name], frame, check_exact=True)
    assert from_store.project.model_dump() == from_files.project.model_dump()
    if from_files.national is not None:  # the national publication comes from the Store too
        assert from_store.national.name == from_files.national.name


def test_the_example_has_what_the_comparison_needs(tmp_path):
    """Guard against a vacuous comparison: the examples carry every kind of record."""
    county = load_project(copy_example("example-county", tmp_path))
    barnet = load_project(copy_example("seeds/barnet-2015-16-q1", tmp_path))
    assert min(len(county.observations), len(county.targets), len(county.commentary)) > 0
    assert len(county.overrides) > 0
    assert all(len(getattr(barnet, name)) > 0 for name in ("risks", "revenue", "narrative"))


def test_evaluation_from_the_store_matches_the_files(tmp_path):
    folder = copy_example("example-county", tmp_path)
    import_project(folder)
    assert_frame_equal(evaluate(dataset_from_store()).results, evaluate(folder).results)


def test_the_small_project_round_trips(small_project):
    import_project(small_project)
    from_files = load_project(small_project)
    from_store = dataset_from_store("E10000099")
    for name in ("indicators", "observations", "targets", "commentary", "overrides"):
        assert_frame_equal(getattr(from_store, name), getattr(from_files, name))


def test_figures_computed_from_records_and_their_quality_round_trip(tmp_path):
    """The Store keeps what the records gave: the figures and the data-quality summary."""
    import importlib.util

    folder, _ = copy_examples(tmp_path, "records-county", "ascof-england")
    spec = importlib.util.spec_from_file_location("records_county", folder / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(folder)
    from_files = load_project(folder)
    assert from_files.records_quality.height > 0
    import_project(folder)
    from_store = dataset_from_store()
    for name in ("observations", "records_quality"):
        assert_frame_equal(getattr(from_store, name), getattr(from_files, name), check_exact=True)
