"""docs/ratings.md stays true: its list of scheme kinds and its example of a new kind."""

import re
from pathlib import Path
from typing import Literal

import pytest

from boardpack.catalogue import BUILTIN_SCHEMES, load_project_text
from boardpack.catalogue import SCHEME_KINDS as CATALOGUE_KINDS
from boardpack.engine import SCHEME_KINDS, make_scheme
from engine_frames import indicator, observation, one, rated

DOC = (Path(__file__).parent.parent / "docs" / "ratings.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """The text under a level-2 heading, up to the next one."""
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", DOC, flags=re.S | re.M)
    assert found, f'docs/ratings.md has no "## {title}" section'
    return found.group(1)


def documented_kinds() -> list[str]:
    """The first cell of each row of the kinds table."""
    return re.findall(r"^\| `([a-z_]+)` \|", section("Scheme kinds"), flags=re.M)


def test_documented_kinds_are_the_registered_kinds():
    assert documented_kinds() == list(SCHEME_KINDS)


def test_each_kind_has_its_own_subsection():
    kinds_text = section("Scheme kinds")
    assert [k for k in SCHEME_KINDS if f"### `{k}`" not in kinds_text] == []


def test_each_kind_is_checked_by_a_model_of_its_own_name():
    for name, kind in CATALOGUE_KINDS.items():
        assert kind.config.model_fields["kind"].annotation == Literal[name]
        built_in = next(s for s in BUILTIN_SCHEMES.values() if s.kind == name)
        assert kind.config.model_validate(built_in.model_dump()).kind == name


def test_the_example_kind_works(monkeypatch):
    code = re.search(r"```python\n(.*?)```", section("Adding a kind in code"), flags=re.S).group(1)
    monkeypatch.setitem(SCHEME_KINDS, "met_or_missed", None)  # undone after the test
    exec(compile(code, "docs/ratings.md", "exec"), {})
    catalogue = load_project_text(
        "organisation: {code: E1, name: X}\n"
        "rating_schemes:\n  never-events: {kind: met_or_missed}\n"
        "indicators:\n  - {ref: NE1, title: Never events, polarity: lower_better, unit: number,"
        " frequency: quarterly, rating_scheme: never-events}\n"
    )
    assert catalogue.rating_schemes["never-events"].kind == "met_or_missed"
    scheme = make_scheme("never-events", {"kind": "met_or_missed"})
    ind = indicator(
        "NE1", polarity="lower_better", unit="number", decimals=0, scheme="never-events"
    )
    schemes = {"never-events": scheme}
    missed = one(ind, observation("NE1", "Q2 2019/20", 2.0, 0.0), schemes=schemes)
    met = one(ind, observation("NE1", "Q2 2019/20", 0.0, 0.0), schemes=schemes)
    assert (missed["rag"], missed["rag_reason"]) == ("red", "Red: 2 is above the target of 0")
    assert (met["rag"], met["rag_reason"]) == ("green", "Green: 0 is at or below the target of 0")


# Each example reason in the doc, with the figures that produce it: (value, target, floor), attributes.
REASONS = {
    "Green: 96.0% is at or above the target of 95.0%": ((96.0, 95.0, 85.0), {}),
    "Amber: 90.0% is below the target of 95.0% but meets the floor of 85.0%": (
        (90.0, 95.0, 85.0),
        {},
    ),
    "Amber: 1,631 is below the target of 1,800; no floor is set, so any miss is Amber": (
        (1631, 1800, None),
        {"unit": "number", "decimals": 0},
    ),
    "Red: 81.8% is below the floor of 85.0% (target 95.0%)": ((81.8, 95.0, 85.0), {}),
    "Red: 16.0 days is above the floor of 15.0 days (target 10.0 days)": (
        (16.0, 10.0, 15.0),
        {"polarity": "lower_better", "unit": "days"},
    ),
    "Green Amber: 95.0% is 5.0% worse than the target of 100.0% (Green Amber: no more than 10% worse than target)": (
        (95.0, 100.0, None),
        {"scheme": "barnet"},
    ),
    "Red: 59.5% is 25.5 percentage points worse than the target of 34.0% (Red: any other result)": (
        (59.5, 34.0, None),
        {"scheme": "variance_bands", "polarity": "lower_better"},
    ),
    "Amber: 50.0 is outside ±5 but within ±10 of the target of 42.0": (
        (50.0, 42.0, None),
        {"polarity": "in_band", "unit": "number"},
    ),
}


def test_the_documented_reasons_are_the_examples_here():
    documented = re.findall(r"^\| [a-z_, ]+\| `(.+)` \|$", section("The reason"), flags=re.M)
    assert sorted(documented) == sorted(REASONS)


@pytest.mark.parametrize("reason", list(REASONS))
def test_documented_reasons_are_what_the_engine_writes(reason):
    figures, attributes = REASONS[reason]
    assert rated(*figures, **attributes)["rag_reason"] == reason


def test_the_catalogues_built_in_schemes_are_the_engines():
    """The defaults a project gets by naming a built-in scheme are the ones the engine applies."""
    from boardpack.catalogue import BUILTIN_SCHEMES
    from boardpack.engine import DEFAULT_SCHEMES, make_scheme

    for name, config in BUILTIN_SCHEMES.items():
        assert make_scheme(name, config.model_dump()) == DEFAULT_SCHEMES[name]
