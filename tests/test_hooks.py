"""docs/hooks.md stays true: every hook is documented with a worked example, and the examples,
installed as a council's own package, give a pack its layout, scheme kind and format."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

import boardpack
from boardpack import plugins
from boardpack.catalogue import load_project_file, scheme_kinds
from boardpack.errors import BoardpackError
from boardpack.pack import layouts
from test_dataset import HEADER, INDICATORS, write_project

DOC = (Path(__file__).parent.parent / "docs" / "hooks.md").read_text(encoding="utf-8")
PLUGIN = "our_council_boardpack"


def hook_sections() -> dict[str, str]:
    """Each `### \\`name\\`` section under "## Hooks", by name."""
    hooks = DOC.split("\n## Hooks\n", 1)[1]
    parts = re.split(r"^### `([a-z_]+)`\n", hooks, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{re.escape(language)}\n(.*?)```", text, flags=re.S)


def test_every_hook_is_documented_with_a_worked_example():
    sections = hook_sections()
    assert list(sections) == list(plugins.HOOKS)
    for name, text in sections.items():
        assert plugins.HOOKS[name].what in text, f"{name}: its contract is not named"
        assert any(f"def {name}():" in code for code in blocks(text, "python")), name


def install(folder: Path, module: str, files: dict[str, str]) -> None:
    """A package on `folder` with its .dist-info, naming `module` in the boardpack group."""
    for name, text in files.items():
        path = folder / PLUGIN / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    info = folder / "our_council_boardpack-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: our-council-boardpack\nVersion: 1.0\n"
    )
    (info / "entry_points.txt").write_text(f"[boardpack]\nour_council = {module}\n")


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """The worked examples of docs/hooks.md, installed as one plugin package."""
    sections = hook_sections()
    code = "\n\n".join(block for text in sections.values() for block in blocks(text, "python"))
    template = blocks(sections["layouts"], "html+jinja")[0]
    install(
        tmp_path / "site",
        PLUGIN,
        {"__init__.py": code, "templates/one_page/index.html": template},
    )
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    importlib.invalidate_caches()
    plugins.forget()
    yield tmp_path
    monkeypatch.undo()
    sys.modules.pop(PLUGIN, None)
    plugins.forget()


STRETCH_PROJECT = (
    HEADER
    + """
rating_schemes:
  stretch-5: {kind: stretch, margin: 5}
indicators:
  - {ref: ASCH2, title: Assessments completed within 28 days, polarity: higher_better,
     unit: percent, frequency: quarterly, rating_scheme: stretch-5,
     targets: [{period: 2023/24, target: 80}]}
  - {ref: ADM, title: Admissions to care homes, polarity: lower_better, unit: number,
     frequency: quarterly, rating_scheme: stretch-5, targets: [{period: 2023/24, target: 50}]}
"""
)
FIGURES = "indicator,period,value\nASCH2,Q1 2023/24,85\nADM,Q1 2023/24,49\n"
PAPERS = """
paper: {title: Performance Report}
layouts:
  one-page: {paper: {title: Adult Social Care on One Page}}
"""


def test_a_plugin_gives_a_pack_its_layout_scheme_kind_and_format(plugin):
    folder = write_project(plugin / "project", STRETCH_PROJECT + PAPERS, FIGURES)
    assert "stretch" in scheme_kinds() and "one-page" in layouts()
    built = boardpack.build_pack(
        folder, layout="one-page", formats=["html", "ratings-csv"], out=plugin / "pack"
    )
    page = built.index.read_text(encoding="utf-8")
    assert "Performance on One Page: Q1 2023/24" in page
    assert "Green: 85.0% beats by at least 5% the target of 80.0%" in page
    assert "Amber: 49 meets the target of 50" in page
    assert (plugin / "pack" / "indicators").is_dir()  # Boardpack's own indicator pages
    assert built.documents == (plugin / "pack" / "ratings.csv",)
    written = built.documents[0].read_text()
    assert "ASCH2,Q1 2023/24,85.0,green," in written
    # the format is told the layout, so it prints the layout's paper, not the project's
    assert written.startswith("# Adult Social Care on One Page, Q1 2023/24\n")


def test_every_format_is_told_the_layout(tmp_path):
    """Each format's write() gets the layout's name; Boardpack's own Excel cover sheet then
    carries the layout's paper title."""
    from python_calamine import CalamineWorkbook

    from boardpack.documents import FORMATS, Format, register_format

    told = []
    register_format(
        Format("told", "told.txt", lambda pack, document, out, layout: told.append(layout) or out)
    )
    try:
        folder = write_project(
            tmp_path / "project",
            HEADER + INDICATORS + PAPERS.replace("one-page", "member-summary"),
            FIGURES,
        )
        built = boardpack.build_pack(
            folder, layout="member-summary", formats=["xlsx", "told"], out=tmp_path / "pack"
        )
    finally:
        FORMATS.pop("told")
    assert told == ["member-summary"]
    cover = CalamineWorkbook.from_path(str(built.documents[0])).get_sheet_by_name("Cover")
    assert ["Title", "Adult Social Care on One Page"] in cover.to_python()


def test_a_format_that_is_not_told_the_layout_is_named(tmp_path):
    """A format written for the old contract, write(pack, document, out), is an error naming
    it and saying what to define, not a TypeError from deep inside the build."""
    from boardpack.documents import FORMATS, register_format

    class Old:
        name, filename = "old-csv", "old.csv"

        def write(self, pack, document, out):
            return out

    register_format(Old())
    try:
        folder = write_project(tmp_path / "project", HEADER + INDICATORS, FIGURES)
        with pytest.raises(BoardpackError) as raised:
            boardpack.build_pack(folder, formats=["old-csv"], out=tmp_path / "pack")
    finally:
        FORMATS.pop("old-csv")
    (problem,) = raised.value.problems
    assert problem.field == "output format old-csv"
    assert "takes no layout keyword" in problem.what
    assert "write(self, pack, document, out, *, layout)" in problem.fix


def test_a_plugin_kind_is_checked_by_its_own_model(plugin):
    folder = write_project(
        plugin / "project", STRETCH_PROJECT.replace("margin: 5", "margin: -5"), FIGURES
    )
    with pytest.raises(BoardpackError) as raised:
        load_project_file(folder)
    (problem,) = raised.value.problems
    assert problem.field == "rating_schemes.stretch-5.margin"
    assert problem.what == "-5 is too small; use 0 or more"


def test_without_the_plugin_the_kind_is_unknown(tmp_path):
    folder = write_project(tmp_path, STRETCH_PROJECT, FIGURES)
    with pytest.raises(BoardpackError, match='"stretch" is not a kind of rating scheme; use one'):
        load_project_file(folder)


def test_a_hook_returning_something_else_is_named(tmp_path, monkeypatch):
    install(tmp_path, PLUGIN, {"__init__.py": "def layouts():\n    return ['one-page']\n"})
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    plugins.forget()
    try:
        with pytest.raises(BoardpackError, match="plugin our_council, layouts()"):
            layouts()
    finally:
        monkeypatch.undo()
        sys.modules.pop(PLUGIN, None)
        plugins.forget()
