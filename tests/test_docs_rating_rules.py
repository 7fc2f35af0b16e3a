"""docs/rating-rules.md stays true: its examples parse and give the ratings its tables state."""

import re
from pathlib import Path

import pytest
import yaml

from boardpack.api import evaluate
from boardpack.catalogue import CatalogueError, load_project_text
from boardpack.engine import make_scheme
from engine_frames import rows

DOC = (Path(__file__).parent.parent / "docs" / "rating-rules.md").read_text(encoding="utf-8")
ORGANISATION = "organisation: {code: E09000016, name: A London borough}\n"
LABELS = {"Green": "green", "Amber": "amber", "Red": "red", "No status": "no_status"}


def section(title: str) -> str:
    found = re.search(rf"^#+ {re.escape(title)}\n(.*?)(?=^#+ |\Z)", DOC, flags=re.S | re.M)
    assert found, f'docs/rating-rules.md has no "{title}" section'
    return found.group(1)


def blocks(text: str, language: str = "yaml") -> list[str]:
    """The fenced blocks of `text` in `language` ("" for plain ones), in order."""
    found, current, inside = [], [], None
    for line in text.splitlines():
        if line.startswith("```"):
            if inside is None:
                inside, current = line[3:].strip(), []
                continue
            if inside == language:
                found.append("\n".join(current) + "\n")
            inside = None
        elif inside is not None:
            current.append(line)
    return found


def table(text: str) -> list[list[str]]:
    """The body rows of the first table in `text`, cell by cell."""
    lines = [line for line in text.splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def rating(cell: str) -> str:
    """ "Amber (the project's default...)" -> amber."""
    return LABELS[re.match(r"(No status|Green|Amber|Red)", cell).group(1)]


def project_rows(tmp_path, catalogue: str, ref: str, figures: list[tuple[str, str]]) -> list[dict]:
    (tmp_path / "boardpack.yaml").write_text(
        ORGANISATION + catalogue + "data:\n  - file: figures.csv\n", encoding="utf-8"
    )
    lines = ["indicator,period,value"] + [f"{ref},{period},{value}" for period, value in figures]
    (tmp_path / "figures.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rows(evaluate(str(tmp_path)))


def test_the_london_borough_example_gives_the_stated_ratings(tmp_path):
    [scheme_yaml] = blocks(section("A scheme of rules"))
    config = yaml.safe_load(scheme_yaml)["rating_schemes"]["havering"]
    stated = table(section("The London borough: 10% and direction"))
    catalogue = scheme_yaml + (
        "indicators:\n  - {ref: R1, title: Reviews, polarity: higher_better, unit: number,"
        " frequency: quarterly, rating_scheme: havering,"
        " targets: [{period: 2023/24, target: 100}]}\n"
    )
    figures = [(f"{quarter} 2023/24", value) for quarter, value, _, _ in stated]
    got = project_rows(tmp_path, catalogue, "R1", figures)
    assert [r["rag"] for r in got] == [rating(row[2]) for row in stated]
    assert make_scheme("havering", config).key()[0] == ("Green", "On target or within 10%")
    reason = blocks(section("A scheme of rules"), "")[0].strip()
    assert got[-1]["rag_reason"] == reason


def test_the_baseline_example_gives_the_stated_progress_and_ratings(tmp_path):
    section_text = section('From a baseline: "reduce from 390 in March to zero"')
    [catalogue] = blocks(section_text)
    stated = table(section_text)
    got = project_rows(tmp_path, catalogue, "DTOC", [(row[0], row[1]) for row in stated])
    assert [round(r["progress"], 2) for r in got] == [float(row[2]) for row in stated]
    assert [r["rag"] for r in got] == [rating(row[3]) for row in stated]
    reason = re.search(r"The reason says how far it has come: `(.*?)`", section_text, re.S)
    assert got[1]["rag_reason"] == " ".join(reason.group(1).split())


def test_the_information_only_example_gives_the_stated_ratings(tmp_path):
    section_text = section("For information only, from a period")
    [catalogue] = blocks(section_text)
    stated = table(section_text)
    got = project_rows(tmp_path, catalogue, "CARERS", [(row[0], row[1]) for row in stated])
    assert [r["rag"] for r in got] == [rating(row[2]) for row in stated]


def test_the_validate_example_is_what_validate_says():
    [scheme_yaml] = blocks(section("A scheme of rules"))
    text = ORGANISATION + scheme_yaml.replace("direction in", "directon in")
    with pytest.raises(CatalogueError) as caught:
        load_project_text(text)
    documented = blocks(section("Conditions"), "")[0].strip()
    shown = documented.removesuffix("...")
    assert str(caught.value).startswith(shown)
