"""The made-up councils in examples/ (a unitary's quarterly web table, a county's adult social
care tracker, a district's KPI dashboard): each validates and builds, and `boardpack init` on each one's own file writes a
project that validates and builds at once, with every guess marked."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from boardpack import api
from boardpack.catalogue import load_project_file
from boardpack.init_project import init_project
from boardpack.sources.readers import cell_text, read_rows
from test_init import unmarked

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
#: Example folder -> the council's own files and the sheet they are on.
COUNCILS = {
    "eastvale-district": (["data/kpi-dashboard.csv"], None),
    "northshire-asc": (["data/asc-dashboard.xlsx"], "Dashboard"),
    "riverside-unitary": ([f"data/2025-26-q{q}.csv" for q in range(1, 5)], None),
}

#: What each starter project reconciles, as its README says: the default scheme, not the
#: council's rules (Northshire's are the default's, with floors from its tracker).
STARTERS_AGREE = {
    "eastvale-district": (43, 90, 90, 90),
    "northshire-asc": (58, 60, 0, 0),
    "riverside-unitary": (32, 48, 47, 48),
}


def agreement(folder: Path) -> tuple[int, int, int, int]:
    """Published ratings Boardpack gives, of those published; the same for directions."""
    table = api.reconcile(folder).table
    ratings = table.drop_nulls("published_rag")
    directions = table.drop_nulls("published_direction")
    return (
        ratings["rag_agrees"].sum(),
        ratings.height,
        directions["direction_agrees"].sum(),
        directions.height,
    )


@pytest.mark.parametrize("name", sorted(COUNCILS))
def test_each_example_validates_and_builds(name, tmp_path):
    built = api.build_pack(EXAMPLES / name, out=tmp_path / "pack")
    assert built.index.is_file()


@pytest.mark.parametrize("name", sorted(COUNCILS))
def test_init_on_each_example_file_validates_and_builds_with_every_guess_marked(name, tmp_path):
    files, sheet = COUNCILS[name]
    made = init_project(tmp_path / name, [EXAMPLES / name / f for f in files], sheet=sheet)
    assert unmarked(made.path.read_text(encoding="utf-8")) == []
    built = api.build_pack(tmp_path / name, out=tmp_path / "pack")
    assert built.index.is_file()
    guessed = load_project_file(tmp_path / name)
    written = load_project_file(EXAMPLES / name)
    assert guessed.refs() == written.refs()
    assert [i.polarity for i in guessed.indicators] == [i.polarity for i in written.indicators]
    assert agreement(tmp_path / name) == STARTERS_AGREE[name]


@pytest.mark.parametrize(
    "name, agreed",
    [
        ("eastvale-district", (88, 90, 80, 80)),
        ("northshire-asc", (58, 60, 0, 0)),
        ("riverside-unitary", (46, 48, 47, 48)),
    ],
)
def test_each_example_reconciles_but_for_what_its_readme_explains(name, agreed):
    assert agreement(EXAMPLES / name) == agreed


def generator(name: str):
    """An example's generate.py, as a module."""
    spec = importlib.util.spec_from_file_location(
        f"generate_{name}", EXAMPLES / name / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


def test_the_examples_files_are_what_their_generators_write():
    assert csv_rows(EXAMPLES / "eastvale-district" / "data" / "kpi-dashboard.csv") == (
        generator("eastvale-district").rows()
    )
    riverside = generator("riverside-unitary")
    for quarter, rows in riverside.tables().items():
        assert csv_rows(EXAMPLES / "riverside-unitary" / "data" / riverside.FILES[quarter]) == rows
    sheet = read_rows(EXAMPLES / "northshire-asc" / "data" / "asc-dashboard.xlsx", "Dashboard")
    cells = [sheet.header] + [[cell_text(c) for c in row.cells] for row in sheet.rows]
    assert cells == generator("northshire-asc").rows()
