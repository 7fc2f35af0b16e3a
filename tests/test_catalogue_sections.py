"""A catalogue read section by section, the sections seen before taken from memory: the very
project a whole read gives, nothing shared between reads, and every problem reported by the
whole read with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardpack.catalogue import CatalogueError, load_project_text, loader, sections

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted((ROOT / "examples").glob("*/boardpack.yaml"))


def whole(text: str):
    return loader._load_text(text, "boardpack.yaml")


@pytest.fixture(autouse=True)
def forget():
    sections._KEPT.clear()
    yield
    sections._KEPT.clear()


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.name)
def test_each_example_reads_by_section_as_it_reads_whole(path):
    text = path.read_text(encoding="utf-8-sig")
    first = loader._from_sections(text)
    again = loader._from_sections(text)  # from memory
    assert first is not None and again is not None
    assert first.model_dump() == whole(text).model_dump() == again.model_dump()


def test_a_changed_section_is_read_again_and_the_others_come_from_memory():
    text = (ROOT / "examples" / "example-county" / "boardpack.yaml").read_text(encoding="utf-8")
    load_project_text(text)
    kept = dict(sections._KEPT)
    changed = text.replace("name: ", "name: Renamed ", 1)
    assert load_project_text(changed).model_dump() == whole(changed).model_dump()
    assert len(sections._KEPT) == len(kept) + 1  # only the changed section is new


def test_values_from_memory_are_made_afresh_for_each_read():
    text = "organisation:\n  code: E1\ndata:\n- file: a.csv\n"
    first = sections.values(text, loader._section_alone)
    first["data"].append({"file": "b.csv"})
    first["organisation"]["code"] = "E2"
    assert sections.values(text, loader._section_alone) == {
        "organisation": {"code": "E1"},
        "data": [{"file": "a.csv"}],
    }


def test_a_problem_is_reported_as_the_whole_read_reports_it_even_beside_remembered_sections():
    text = (ROOT / "examples" / "example-county" / "boardpack.yaml").read_text(encoding="utf-8")
    load_project_text(text)
    broken = text.replace("polarity: higher_better", "polarity: higher", 1)
    with pytest.raises(CatalogueError) as by_sections:
        load_project_text(broken)
    with pytest.raises(CatalogueError) as by_whole:
        whole(broken)
    assert str(by_sections.value) == str(by_whole.value)
    assert "line" in str(by_sections.value)


@pytest.mark.parametrize(
    "text",
    [
        "%YAML 1.1\n---\norganisation: {code: E1}\n",  # a directive and a document marker
        '"organisation":\n  code: E1\n',  # a quoted key
        "organisation:\n  code: E1\norganisation:\n  code: E2\n",  # a key given twice
        "- organisation\n",  # not a mapping
        "",
    ],
)
def test_a_document_not_plain_enough_to_split_is_read_whole(text):
    assert sections.split(text) is None


def test_an_alias_of_another_sections_anchor_sends_the_text_to_the_whole_read():
    text = "organisation: &org\n  code: E1\nother: *org\n"
    assert sections.split(text) == [
        ("organisation", "organisation: &org\n  code: E1\n"),
        ("other", "other: *org\n"),
    ]
    assert sections.values(text, loader._section_alone) is None


def test_comments_blank_lines_and_list_items_at_the_edge_stay_in_their_section():
    text = "# a council\norganisation:\n  code: E1\n\n# figures\ndata:\n- file: a.csv\n"
    assert [name for name, _ in sections.split(text)] == ["organisation", "data"]
    assert sections.values(text, loader._section_alone) == {
        "organisation": {"code": "E1"},
        "data": [{"file": "a.csv"}],
    }
