"""The public API is small and pinned: a name added to or taken from `boardpack.__all__` is a
decision, made here as well."""

import boardpack
from test_dataset import HEADER, INDICATORS, write_project

PUBLIC = [
    "BoardpackError",
    "Dataset",
    "Problem",
    "benchmark",
    "build_pack",
    "evaluate",
    "load_project",
    "reconcile",
]


def test_the_public_names():
    assert sorted(boardpack.__all__) == PUBLIC
    assert all(getattr(boardpack, name, None) is not None for name in PUBLIC)


def test_a_project_folder_is_evaluated_and_built_through_the_public_names(tmp_path):
    folder = write_project(tmp_path / "project", HEADER + INDICATORS)
    dataset = boardpack.load_project(folder)
    assert isinstance(dataset, boardpack.Dataset)
    assert (
        boardpack.evaluate(folder).contract().height
        == boardpack.evaluate(dataset).contract().height
        == 4
    )
    built = boardpack.build_pack(dataset, period="Q1 2023/24", out=tmp_path / "pack")
    assert built.what == "for Q1 2023/24" and built.index.is_file()
