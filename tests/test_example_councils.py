"""The made-up councils in examples/ (a unitary's quarterly web table, a county's adult social
care tracker, a district's KPI dashboard): each validates and builds, and `boardpack init` on each one's own file writes a
project that validates and builds at once, with every guess marked."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from boardpack import api
from boardpack.catalogue import load_project_file
from boardpack.init_project import init_project
from boardpack.sources import load_project
from test_init import unmarked

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
#: Example folder -> the council's own file and the sheet it is on.
COUNCILS = {
    "eastvale-district": ("data/kpi-dashboard.csv", None),
    "northshire-asc": ("data/asc-dashboard.xlsx", "Dashboard"),
    "riverside-unitary": ("data/2025-26-q1.csv", None),
}


def agreement(folder: Path) -> tuple[int, int]:
    """How many published ratings Boardpack gives, of how many published."""
    dataset = load_project(folder)
    text = pl.col("period").cast(pl.String)
    rated = api.evaluate(dataset).contract().select("indicator", text, "rag")
    published = dataset.observations.select("indicator", text, "published_rag")
    both = rated.join(published, on=["indicator", "period"]).drop_nulls("published_rag")
    agree = both.filter(pl.col("rag").cast(pl.String) == pl.col("published_rag").str.to_lowercase())
    return agree.height, both.height


@pytest.mark.parametrize("name", sorted(COUNCILS))
def test_each_example_validates_and_builds(name, tmp_path):
    built = api.build_pack(EXAMPLES / name, out=tmp_path / "pack")
    assert built.index.is_file()


@pytest.mark.parametrize("name", sorted(COUNCILS))
def test_init_on_each_example_file_validates_and_builds_with_every_guess_marked(name, tmp_path):
    file, sheet = COUNCILS[name]
    made = init_project(tmp_path / name, EXAMPLES / name / file, sheet=sheet)
    assert unmarked(made.path.read_text(encoding="utf-8")) == []
    built = api.build_pack(tmp_path / name, out=tmp_path / "pack")
    assert built.index.is_file()
    guessed = load_project_file(tmp_path / name)
    written = load_project_file(EXAMPLES / name)
    assert guessed.refs() == written.refs()
    assert [i.polarity for i in guessed.indicators] == [i.polarity for i in written.indicators]


@pytest.mark.parametrize(
    "name, agreed",
    [
        ("eastvale-district", (88, 90)),
        ("northshire-asc", (58, 60)),
        ("riverside-unitary", (46, 48)),
    ],
)
def test_each_example_gives_all_but_the_published_ratings_its_readme_explains(name, agreed):
    assert agreement(EXAMPLES / name) == agreed
