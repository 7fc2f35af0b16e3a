"""The Barnet Adults & Communities Delivery Unit Report, Q1 2015/16, transcribed.

Expected values come from the seed's `published.csv` (sections 2.2a and Appendix A of the
report, one row per indicator) and `published-summary.csv` (the table in section 2.1). Where
the report disagrees with itself, the tests assert what Boardpack shows instead; each case is
explained in the seed's README.md ("Where the published figures disagree with themselves").
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from boardpack import evaluate, load_project
from boardpack.assemble import pack_input
from boardpack.periods import parse_period

SEED = Path(__file__).resolve().parent.parent / "examples" / "seeds" / "barnet-2015-16-q1"
PERIOD = "Q1 2015/16"
DIRECTIONS = {"Improving": "improving", "Worsening": "worsening"}
#: The published figures Boardpack does not reproduce (see README.md).
VARIANCE_MISPRINTS = {"AC/C12"}  # ".05%" for a variance of 0.52%
RATIO_MISMATCHES = {"AC/S9"}  # 47/51576 per 100,000 is 91.13, printed result 98.59
SCALE = {"percent": 100, "rate_per_100k": 100_000}


def _read(name: str) -> list[dict]:
    with (SEED / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float:
    return float(text.rstrip("%").replace(",", ""))


def _places(text: str) -> int:
    """Decimal places as printed: "12.2%" -> 1, ".05%" -> 2, "119" -> 0."""
    match = re.search(r"\.(\d+)", text)
    return len(match.group(1)) if match else 0


@pytest.fixture(scope="module")
def dataset():
    return load_project(SEED)


@pytest.fixture(scope="module")
def pack(dataset):
    return pack_input(dataset, evaluate(dataset), parse_period(PERIOD))


@pytest.fixture(scope="module")
def rows(pack):
    """The rows the Q1 2015/16 pack shows, keyed by indicator."""
    return {row["indicator"]: row for row in pack.rows.iter_rows(named=True)}


@pytest.fixture(scope="module")
def summary(pack):
    return {row["group"]: row for row in pack.summary.iter_rows(named=True)}


PUBLISHED = _read("published.csv")
PUBLISHED_SUMMARY = {row["row"]: row for row in _read("published-summary.csv")}


def by_ref(test):
    return pytest.mark.parametrize("published", PUBLISHED, ids=[r["ref"] for r in PUBLISHED])(test)


def test_every_indicator_published_once(dataset):
    refs = [row["ref"] for row in PUBLISHED]
    assert sorted(refs) == sorted(dataset.project.refs())
    assert len(refs) == int(PUBLISHED_SUMMARY["Overall"]["expected"]) == 20


@by_ref
def test_pack_shows_the_period_covered(published, rows, dataset):
    row = rows[published["ref"]]
    assert row["period"] == published["period"]
    assert row["due"] and row["reported"]
    printed = published["period_covered"]
    if printed:  # AC/S19 leaves it blank; it is taken as the quarter reported
        frequency = dataset.project.indicator(published["ref"]).frequency
        assert parse_period(printed, frequency).label == published["period"]


@by_ref
def test_result_target_and_previous_result_as_printed(published, rows):
    row = rows[published["ref"]]
    result = published["result"]
    assert round(row["value"], _places(result)) == pytest.approx(_number(result))
    # As the pack writes it: the printed result, with thousands separators and the unit.
    assert row["value_text"].replace(",", "").removesuffix(" days") == result
    assert row["target"] == pytest.approx(_number(published["target"]))
    assert row["previous_value"] == pytest.approx(_number(published["previous_result"]))


@by_ref
def test_numerator_and_denominator_as_printed(published, rows, dataset):
    row = rows[published["ref"]]
    printed = published["numerator_denominator"]
    if printed == "N/A":
        assert row["numerator"] is None and row["denominator"] is None
        return
    numerator, _, denominator = printed.partition("/")
    if not denominator:  # "119/", "22.59/": the result itself, no denominator
        assert row["value"] == pytest.approx(_number(numerator))
        return
    assert (row["numerator"], row["denominator"]) == (float(numerator), float(denominator))
    ratio = row["numerator"] / row["denominator"] * SCALE[row["unit"]]
    if published["ref"] in RATIO_MISMATCHES:
        assert round(ratio, 2) != round(row["value"], 2)
    else:
        assert row["value"] == pytest.approx(ratio, abs=5e-5)


@by_ref
def test_rating_as_published(published, rows):
    """Appendix A lists the indicators that met or exceeded target: Green. Section 2.2a lists
    those that did not; the report prints no rating for each (see the summary test)."""
    rag = rows[published["ref"]]["rag"]
    if published["section"] == "Appendix A":
        assert published["rag"] == "Green" and rag == "green"
    else:
        assert rag in {"green_amber", "red_amber", "red"}


@by_ref
def test_direction_of_travel_as_published(published, rows):
    assert rows[published["ref"]]["direction"] == DIRECTIONS[published["direction"]]


@by_ref
def test_target_variance_as_published(published, rows):
    """The printed variance is unsigned; below target for 2.2a, at or above for Appendix A."""
    row = rows[published["ref"]]
    printed = published["target_variance"]
    places = _places(printed)
    ours = abs(row["variance_pct"]) * 100
    met = published["section"] == "Appendix A"
    assert (row["variance_pct"] >= 0) is met
    assert row["variance_pct_text"] == f"{'' if met else '-'}{ours:.1f}%"
    if published["ref"] in VARIANCE_MISPRINTS:
        assert f"{ours:.{places}f}" != f"{_number(printed):.{places}f}"
    else:
        assert f"{ours:.{places}f}" == f"{_number(printed):.{places}f}", row["rag_reason"]


def test_c12_variance_is_half_a_percent_not_the_printed_005(rows):
    """5.84 against a target of 5.81 (lower is better) is 0.52% worse: printed ".05%"."""
    row = rows["AC/C12"]
    assert row["variance_pct_text"] == "-0.5%"
    assert f"{abs(row['variance_pct']) * 100:.2f}" == "0.52"
    assert row["rag"] == "green_amber"


def test_s9_result_does_not_follow_from_its_numerator_and_denominator(rows):
    row = rows["AC/S9"]
    assert f"{row['numerator'] / row['denominator'] * 100_000:.2f}" == "91.13"
    # The printed variance (1.4%) follows from the printed result, which is kept.
    assert row["variance_pct_text"] == "1.4%"


@pytest.mark.parametrize("tier", ["Strategic", "Critical"])
def test_summary_rating_counts_as_published(tier, summary):
    published = PUBLISHED_SUMMARY[tier]
    ours = summary[tier]
    for rag in ("green", "green_amber", "red_amber", "red"):
        assert ours[rag] == int(published[rag]), rag
    assert ours["amber"] == ours["no_status"] == 0
    assert ours["expected"] == int(published["expected"])


def test_summary_overall_shares_as_published(summary):
    published = PUBLISHED_SUMMARY["Overall"]
    for rag in ("green", "green_amber", "red_amber", "red"):
        assert summary["Overall"][f"{rag}_text"] == published[rag]
    assert summary["Overall"]["expected"] == int(published["expected"])


def _published_direction_counts(tier: str | None) -> tuple[int, int]:
    chosen = [r for r in PUBLISHED if tier is None or r["type"] == tier]
    improving = sum(r["direction"] == "Improving" for r in chosen)
    return improving, len(chosen) - improving


@pytest.mark.parametrize("tier", ["Strategic", "Critical", "Overall"])
def test_summary_directions_follow_the_published_rows_not_the_table(tier, summary):
    """Table 2.1's improving and worsening counts agree with neither the rows nor themselves:
    Strategic 12 + 8 = 20 of 12 indicators, Overall "90% (18)" and "75% (15)" of 20. Boardpack
    counts the directions printed against each indicator."""
    improving, worsening = _published_direction_counts(None if tier == "Overall" else tier)
    ours = summary[tier]
    assert (ours["improving_or_same"], ours["worsening"]) == (improving, worsening)
    table = PUBLISHED_SUMMARY[tier]
    assert (table["improving_or_same"], table["worsening"]) != (str(improving), str(worsening))
    if tier == "Overall":
        assert (ours["improving_or_same_text"], ours["worsening_text"]) == ("55% (11)", "45% (9)")
        shares = [
            re.match(r"(\d+)% \((\d+)\)", table[c]).groups()
            for c in ("improving_or_same", "worsening")
        ]
        assert sum(int(count) for _, count in shares) != int(table["expected"])
        assert sum(int(pct) for pct, _ in shares) != 100


def test_one_override_where_no_band_gives_the_critical_counts(rows, dataset):
    """The bands give every Strategic count; for the Critical ones, AC/C2 (0.6% worse) and
    AC/C12 (0.5% worse) both fall in Green Amber, as AC/S3 (0.8% worse) does, but the table
    counts one Green Amber and five Red: one is rated by hand, as published."""
    manual = [row for row in rows.values() if row["rag_manual"]]
    assert [row["indicator"] for row in manual] == ["AC/C2"]
    (row,) = manual
    assert (row["rag_calculated"], row["rag"]) == ("green_amber", "red")
    assert row["rag_reason"].startswith("Red (manual rating): As published")
    assert len(dataset.project.overrides) == 1
    assert rows["AC/S3"]["variance_pct"] < rows["AC/C2"]["variance_pct"]
    assert rows["AC/C2"]["variance_pct"] < rows["AC/C12"]["variance_pct"] < 0


def test_commentary_covers_the_indicators_that_missed_target(dataset):
    """Section 2.2b comments on each indicator of 2.2a, and on no other."""
    commented = set(dataset.commentary["indicator"].cast(str))
    assert commented == {row["ref"] for row in PUBLISHED if row["section"] == "2.2a"}
    assert set(dataset.commentary["period"].cast(str)) == {PERIOD}


def test_built_pack_shows_every_published_result_and_share(tmp_path, rows):
    from click.testing import CliRunner

    from boardpack.cli import main

    args = ["build", str(SEED), "--layout", "quarterly-report", "--period", PERIOD]
    result = CliRunner().invoke(main, [*args, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pages = " ".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.html"))
    for published in PUBLISHED:
        assert rows[published["ref"]]["value_text"] in pages, published["ref"]
    for rag in ("green", "green_amber", "red_amber", "red"):
        assert PUBLISHED_SUMMARY["Overall"][rag] in pages, rag
