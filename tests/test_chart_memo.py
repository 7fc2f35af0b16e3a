"""Notes of an indicator's charts: a warm build takes the charts from the chart store without
building their specs, gives the same pack, and builds them again when anything they are made
from changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from boardpack import api
from boardpack.pack import chart_memo, views
from boardpack.pack.chart_store import CACHE_VARIABLE
from test_chart_store import CATALOGUE, FIGURES, pack_files
from test_dataset import write_project

BUILDERS = ("indicator_chart", "spc_chart")


@pytest.fixture
def project(tmp_path) -> Path:
    figures = FIGURES + "".join(  # enough figures for an SPC chart too
        f"ASCH2,Q{q} {year}/{(year + 1) % 100:02d},{80 + (q * 7 + year) % 11}\n"
        for year in range(2015, 2023)
        for q in range(1, 5)
    )
    return write_project(tmp_path / "project", CATALOGUE, figures)


@pytest.fixture
def built(monkeypatch) -> list[str]:
    """The references of the indicators whose charts were built (by either builder)."""
    monkeypatch.setenv("BOARDPACK_CHART_WORKERS", "1")
    made: list[str] = []
    for name in BUILDERS:
        original = getattr(views, name)

        def counted(*args, _original=original, **kwargs):
            indicator = args[1] if _original.__name__ == "indicator_chart" else args[2]
            made.append(indicator.ref)
            return _original(*args, **kwargs)

        monkeypatch.setattr(views, name, counted)
    return made


def build(project: Path, out: Path, cache: str, monkeypatch) -> dict[str, bytes]:
    monkeypatch.setenv(CACHE_VARIABLE, cache)
    api.build_pack(project, out=out, formats=("html",))
    return pack_files(out)


def test_a_warm_build_builds_no_chart_and_writes_the_same_pack(
    project, tmp_path, monkeypatch, built
):
    cache = str(tmp_path / "cache")
    without = build(project, tmp_path / "without", "off", monkeypatch)
    cold = build(project, tmp_path / "cold", cache, monkeypatch)
    assert sorted(set(built)) == ["ADM", "ASCH2"]
    count = len(built)
    warm = build(project, tmp_path / "warm", cache, monkeypatch)
    assert len(built) == count  # every chart came from its note
    assert any("spc-" in data.decode() for data in warm.values() if b"<svg" in data)
    assert cold == without and warm == without


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("ADM,Q3 2023/24,52", "ADM,Q3 2023/24,47", "data/figures.csv"),
        ("title: Admissions to care homes", "title: Admissions to residential care", None),
        (
            "targets: [{period: 2023/24, target: 50}]",
            "targets: [{period: 2023/24, target: 45}]",
            None,
        ),
    ],
)
def test_a_change_builds_that_indicators_charts_again_and_only_them(
    project, tmp_path, monkeypatch, built, old, new, where
):
    cache = str(tmp_path / "cache")
    build(project, tmp_path / "before", cache, monkeypatch)
    count = len(built)
    file = project / (where or "boardpack.yaml")
    file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    after = build(project, tmp_path / "after", cache, monkeypatch)
    assert set(built[count:]) == {"ADM"}
    assert after == build(project, tmp_path / "fresh", "off", monkeypatch)


def test_a_change_to_boardpacks_code_builds_every_chart_again(
    project, tmp_path, monkeypatch, built
):
    cache = str(tmp_path / "cache")
    build(project, tmp_path / "before", cache, monkeypatch)
    count = len(built)
    monkeypatch.setattr(chart_memo, "code_fingerprint", lambda: "another version")
    build(project, tmp_path / "after", cache, monkeypatch)
    assert sorted(set(built[count:])) == ["ADM", "ASCH2"]


def test_a_note_whose_drawing_is_gone_is_not_used(project, tmp_path, monkeypatch, built):
    cache = tmp_path / "cache"
    before = build(project, tmp_path / "before", str(cache), monkeypatch)
    count = len(built)
    for svg in (cache / "charts").glob("*/*.svg"):
        svg.unlink()
    assert build(project, tmp_path / "after", str(cache), monkeypatch) == before
    assert sorted(set(built[count:])) == ["ADM", "ASCH2"]


def test_a_damaged_note_is_not_used(project, tmp_path, monkeypatch, built):
    cache = tmp_path / "cache"
    before = build(project, tmp_path / "before", str(cache), monkeypatch)
    count = len(built)
    for note in (cache / "charts").glob("*/*.json"):
        note.write_text('{"trend": [', encoding="utf-8")
    assert build(project, tmp_path / "after", str(cache), monkeypatch) == before
    assert sorted(set(built[count:])) == ["ADM", "ASCH2"]
    shutil.rmtree(cache)
