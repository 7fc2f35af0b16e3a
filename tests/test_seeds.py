"""The example projects: the demo council and the published seed reports transcribed.

Each seed folder has a `published.csv` of the ratings the council printed; `load_published`
reads it into our vocabulary so tests can compare Boardpack's ratings with the published ones.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from boardpack import evaluate
from boardpack.catalogue import Project, load_project_file
from boardpack.periods import parse_period
from boardpack.sources.figures import load_observations

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DEMO = EXAMPLES / "example-county"
SEEDS = {
    "kent-2011-12-q2": EXAMPLES / "seeds" / "kent-2011-12-q2",
    "worcestershire-2019-20-q2": EXAMPLES / "seeds" / "worcestershire-2019-20-q2",
}
PROJECTS = {"example-county": DEMO, **SEEDS}

#: Ratings as councils print them -> our words.
PUBLISHED_RAGS = {
    "green": "green",
    "green amber": "green_amber",
    "amber": "amber",
    "red amber": "red_amber",
    "red": "red",
    "n/a": "no_status",
    "no status": "no_status",
}
#: Direction of travel as printed -> our words; blank when the report shows only an icon.
PUBLISHED_DIRECTIONS = {"↑": "improving", "↓": "worsening", "↔": "no_change", "": None}


def load_published(path: Path) -> list[dict]:
    """The rows of a `published.csv`: indicator, period, rag, and previous_rag and direction
    where the report gives them, in our words (`green`, `no_status`, `improving`, None)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            _published_row(row, path, number)
            for number, row in enumerate(csv.DictReader(handle), 2)
        ]


def _published_row(row: dict, path: Path, number: int) -> dict:
    where = f"{path}:{number}"
    rag = PUBLISHED_RAGS.get(row["rag"].strip().lower())
    assert rag, f'{where}: rating "{row["rag"]}" is not one of {", ".join(PUBLISHED_RAGS)}'
    found = {"indicator": row["indicator"].strip(), "period": row["period"].strip(), "rag": rag}
    if "previous_rag" in row:
        found["previous_rag"] = PUBLISHED_RAGS.get(row["previous_rag"].strip().lower())
        assert found["previous_rag"], f'{where}: previous rating "{row["previous_rag"]}" is unknown'
    direction = (row.get("direction") or "").strip()
    assert direction in PUBLISHED_DIRECTIONS, f'{where}: direction "{direction}" is unknown'
    found["direction"] = PUBLISHED_DIRECTIONS[direction]
    return found


def project(name: str) -> Project:
    return load_project_file(PROJECTS[name])


@pytest.mark.parametrize("name", PROJECTS)
def test_project_loads_with_its_data(name):
    loaded = project(name)
    observations = load_observations(loaded, loaded.folder, loaded.organisation.code)
    assert loaded.indicators
    assert set(observations["indicator"]) == set(loaded.refs())


@pytest.mark.parametrize("name", SEEDS)
def test_published_ratings_cover_every_indicator_once(name):
    rows = load_published(SEEDS[name] / "published.csv")
    refs = [row["indicator"] for row in rows]
    assert sorted(refs) == sorted(project(name).refs())


@pytest.mark.parametrize("name", SEEDS)
def test_published_periods_are_periods_with_figures(name):
    loaded = project(name)
    observations = load_observations(loaded, loaded.folder, loaded.organisation.code)
    reported = set(zip(observations["indicator"], observations["period"], strict=True))
    for row in load_published(SEEDS[name] / "published.csv"):
        frequency = loaded.indicator(row["indicator"]).frequency
        assert parse_period(row["period"], frequency).label == row["period"]
        assert (row["indicator"], row["period"]) in reported


def test_kent_summary_table_as_published():
    rows = {
        row["indicator"]: row for row in load_published(SEEDS["kent-2011-12-q2"] / "published.csv")
    }
    assert rows["KCC-ASC3"]["rag"] == rows["KCC-ASC3"]["previous_rag"] == "amber"
    assert {row["direction"] for row in rows.values()} == {"improving"}
    assert [ref for ref, row in rows.items() if row["rag"] != "green"] == ["KCC-ASC3"]


def test_demo_files_match_the_generator():
    result = subprocess.run(
        [sys.executable, str(DEMO / "generate.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_demo_commentary_covers_every_indicator():
    loaded = project("example-county")
    (entry,) = loaded.commentary
    text = loaded.resolve(entry.file).read_text(encoding="utf-8")
    assert re.findall(r"^# (\S+)$", text, flags=re.MULTILINE) == loaded.refs()


def test_demo_has_suppressed_and_missing_figures():
    loaded = project("example-county")
    observations = load_observations(loaded, loaded.folder, loaded.organisation.code)
    reasons = set(observations["missing_reason"].drop_nulls())
    assert {"suppressed", "not available"} <= reasons


# --- Boardpack reproduces what the councils published --------------------------------------


def evaluated_rows(name: str) -> dict[tuple[str, str], dict]:
    """The engine's results for a seed, keyed by indicator and period."""

    table = evaluate(PROJECTS[name]).contract()
    return {(row["indicator"], row["period"]): row for row in table.iter_rows(named=True)}


def published_cases():
    for name in SEEDS:
        for row in load_published(SEEDS[name] / "published.csv"):
            yield pytest.param(name, row, id=f"{name}-{row['indicator']}")


@pytest.fixture(scope="module")
def seed_results():
    return {name: evaluated_rows(name) for name in SEEDS}


@pytest.mark.parametrize(("name", "published"), list(published_cases()))
def test_seed_rating_reproduces_the_published_one(name, published, seed_results):
    ours = seed_results[name][(published["indicator"], published["period"])]
    assert ours["rag"] == published["rag"], ours["rag_reason"]
    if published.get("previous_rag"):
        assert ours["previous_rag"] == published["previous_rag"]
    if published.get("direction"):
        assert ours["direction"] == published["direction"]


@pytest.mark.parametrize("name", SEEDS)
def test_seed_overrides_only_where_the_rule_cannot_give_the_published_rating(name, seed_results):
    """A published rating the stated rule cannot produce is a manual override with a reason;
    an override is never used where the rule already agrees."""
    manual = [row for row in seed_results[name].values() if row["rag_manual"]]
    for row in manual:
        assert row["rag_calculated"] != row["rag"], (
            f"{row['indicator']}: the rule already gives {row['rag']}"
        )
        assert "(manual rating):" in row["rag_reason"]
    expected = {"kent-2011-12-q2": 0, "worcestershire-2019-20-q2": len(project(name).overrides)}
    assert len(manual) == expected[name]


def test_kent_ratings_follow_from_the_rules_with_no_overrides(seed_results):
    rows = seed_results["kent-2011-12-q2"]
    assert not any(row["rag_manual"] for row in rows.values())
    # The seed's trend table: satisfaction was Amber at 66% against 70% in March 2011.
    assert rows[("KCC-ASC5", "Q4 2010/11")]["rag"] == "amber"
    assert rows[("KCC-ASC3", "Q2 2011/12")]["rag_reason"].startswith(
        "Amber: 1,631 is below the target of 1,800"
    )


@pytest.mark.parametrize("name", SEEDS)
def test_every_published_figure_appears_in_the_built_pack(name, tmp_path, seed_results):
    from click.testing import CliRunner

    from boardpack.cli import main

    layout = {"kent-2011-12-q2": "quarterly-report", "worcestershire-2019-20-q2": "scorecard"}[name]
    period = {"kent-2011-12-q2": "Q2 2011/12", "worcestershire-2019-20-q2": "Q2 2019/20"}[name]
    result = CliRunner().invoke(
        main,
        ["build", str(SEEDS[name]), "--layout", layout, "--period", period, "--out", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    pages = " ".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.html"))
    published = {
        (row["indicator"], row["period"]) for row in load_published(SEEDS[name] / "published.csv")
    }
    for key in published:
        row = seed_results[name][key]
        if row["value"] is not None:
            figure = _digits(row["value"], project(name).indicator(key[0]).decimals)
            assert figure in pages, f"{key}: {figure} is not in the pack"


def _digits(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def test_kent_trend_table_ratings_reproduced_for_every_period(seed_results):
    """The tracker's "Rag Rating" row gives the published rating of each past quarter."""
    from boardpack import load_project

    observations = load_project(SEEDS["kent-2011-12-q2"]).observations
    published = observations.filter(observations["published_rag"].is_not_null())
    assert published.height >= 12
    for row in published.iter_rows(named=True):
        ours = seed_results["kent-2011-12-q2"][(row["indicator"], row["period"])]
        assert ours["rag"] == PUBLISHED_RAGS[row["published_rag"].lower()], (
            row,
            ours["rag_reason"],
        )
