"""`load_project`: a project folder read into the Dataset the engine works from.

`write_project` writes a small project into a folder; the commentary and command-line tests
use it too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from boardpack import evaluate, load_project
from boardpack.assemble import latest_period, pack_input
from boardpack.errors import BoardpackError, NotFound
from boardpack.periods import parse_period

ORG = "E10000016"
HEADER = f"""
organisation: {{code: {ORG}, name: Kent County Council, directorate: Adult Social Care}}
settings: {{default_rating_scheme: variance_bands}}
"""
INDICATORS = """
indicators:
  - ref: ASCH2
    title: Assessments completed within 28 days
    polarity: higher_better
    unit: percent
    frequency: quarterly
    tags: {ascof: 2B(1), better_care_fund: true}
  - {ref: ADM, title: Admissions to care homes, polarity: lower_better, unit: number,
     frequency: monthly, rating_scheme: threshold}
  - {ref: ACT, title: Contacts received, polarity: none, unit: number, frequency: annual,
     tags: {ascof: 1A}}
  - {ref: WAIT, title: Assessments within six weeks, polarity: in_band, unit: percent,
     frequency: quarterly}
"""
FIGURES = """indicator,period,value
ASCH2,Q1 2023/24,85
ADM,Apr 2023,40
ACT,2023/24,100
WAIT,Q1 2023/24,76
"""
ASCH2_Q1 = "indicator,period,value\nASCH2,Q1 2023/24,85\n"


def write_project(
    folder: Path,
    catalogue: str,
    figures: str | None = FIGURES,
    commentary: dict[str, str] | None = None,
) -> Path:
    """A project folder: `boardpack.yaml`, `data/figures.csv` (named under `data:` when given)
    and one commentary file per period label (`commentary/<n>.md`, named under `commentary:`)."""
    text = catalogue
    if figures is not None:
        (folder / "data").mkdir(parents=True, exist_ok=True)
        (folder / "data" / "figures.csv").write_text(figures, encoding="utf-8")
        text += "\ndata:\n  - file: data/figures.csv\n"
    if commentary:
        (folder / "commentary").mkdir(parents=True, exist_ok=True)
        text += "\ncommentary:\n"
        for number, (period, markdown) in enumerate(commentary.items(), start=1):
            (folder / "commentary" / f"{number}.md").write_text(markdown, encoding="utf-8")
            text += f"  - {{period: '{period}', file: commentary/{number}.md}}\n"
    (folder / "boardpack.yaml").write_text(text, encoding="utf-8")
    return folder


def one_indicator(targets: str, frequency: str = "quarterly", extra: str = "") -> str:
    """A catalogue of one higher-is-better percentage indicator, ASCH2, with these targets."""
    return (
        HEADER
        + f"""
indicators:
  - ref: ASCH2
    title: Assessments completed within 28 days
    polarity: higher_better
    unit: percent
    frequency: {frequency}
    targets:
{targets}
"""
        + extra
    )


def targets_by_period(dataset) -> dict[str, tuple[float, float | None]]:
    rows = dataset.targets.filter(pl.col("indicator") == "ASCH2").to_dicts()
    return {row["period"]: (row["target"], row["floor"]) for row in rows}


# --- indicators ---------------------------------------------------------------------------------


def test_indicators_frame_has_one_row_per_indicator_in_catalogue_order(tmp_path):
    frame = load_project(write_project(tmp_path, HEADER + INDICATORS)).indicators
    assert frame["indicator"].to_list() == ["ASCH2", "ADM", "ACT", "WAIT"]
    assert frame["title"][0] == "Assessments completed within 28 days"


def test_step_months_follow_the_frequency(tmp_path):
    frame = load_project(write_project(tmp_path, HEADER + INDICATORS)).indicators
    steps = dict(zip(frame["frequency"], frame["step_months"], strict=False))
    assert steps == {"quarterly": 3, "monthly": 1, "annual": 12}


def test_scheme_is_resolved_from_indicator_polarity_and_settings(tmp_path):
    frame = load_project(write_project(tmp_path, HEADER + INDICATORS)).indicators
    schemes = dict(zip(frame["indicator"], frame["scheme"], strict=True))
    assert schemes == {
        "ASCH2": "variance_bands",  # settings.default_rating_scheme
        "ADM": "threshold",  # named on the indicator
        "ACT": "none",  # polarity none is not rated
        "WAIT": "in_band",  # polarity in_band
    }


def test_each_tag_becomes_a_text_column(tmp_path):
    frame = load_project(write_project(tmp_path, HEADER + INDICATORS)).indicators
    tags = frame.select("indicator", "tag_ascof", "tag_better_care_fund").rows()
    assert tags == [
        ("ASCH2", "2B(1)", "Yes"),
        ("ADM", None, None),
        ("ACT", "1A", None),
        ("WAIT", None, None),
    ]


def test_directorate_defaults_to_the_organisations(tmp_path):
    frame = load_project(write_project(tmp_path, HEADER + INDICATORS)).indicators
    assert set(frame["directorate"]) == {"Adult Social Care"}


def test_load_project_accepts_the_project_file_itself(tmp_path):
    folder = write_project(tmp_path, HEADER + INDICATORS)
    dataset = load_project(folder / "boardpack.yaml")
    assert dataset.observations.height == 4
    assert set(dataset.observations["organisation"]) == {ORG}


# --- targets from the catalogue -----------------------------------------------------------------


def test_a_years_target_applies_to_each_quarter_of_it(tmp_path):
    catalogue = one_indicator("      - {period: 2023/24, target: 90, floor: 80}")
    targets = targets_by_period(load_project(write_project(tmp_path, catalogue, ASCH2_Q1)))
    assert targets == {f"Q{q} 2023/24": (90.0, 80.0) for q in (1, 2, 3, 4)}


def test_a_years_target_applies_to_each_month_of_a_monthly_indicator(tmp_path):
    figures = "indicator,period,value\nASCH2,Apr 2023,85\n"
    catalogue = one_indicator("      - {period: 2023/24, target: 90}", frequency="monthly")
    dataset = load_project(write_project(tmp_path, catalogue, figures))
    targets = dataset.targets.sort("end_month")
    assert targets["period"].to_list()[0] == "Apr 2023"
    assert targets["period"].to_list()[-1] == "Mar 2024"
    assert targets.height == 12
    assert set(targets["target"]) == {90.0}


def test_a_quarters_target_applies_to_each_of_its_months(tmp_path):
    figures = "indicator,period,value\nASCH2,Jul 2023,85\n"
    catalogue = one_indicator("      - {period: Q2 2023/24, target: 90}", frequency="monthly")
    targets = targets_by_period(load_project(write_project(tmp_path, catalogue, figures)))
    assert targets == {"Jul 2023": (90.0, None), "Aug 2023": (90.0, None), "Sep 2023": (90.0, None)}


def test_a_quarters_own_target_wins_over_its_years(tmp_path):
    catalogue = one_indicator(
        "      - {period: 2023/24, target: 90, floor: 80}\n"
        "      - {period: Q4 2023/24, target: 92, floor: 85}"
    )
    targets = targets_by_period(load_project(write_project(tmp_path, catalogue, ASCH2_Q1)))
    assert targets["Q3 2023/24"] == (90.0, 80.0)
    assert targets["Q4 2023/24"] == (92.0, 85.0)


def test_effective_dated_targets_apply_from_their_date_until_the_next(tmp_path):
    figures = "indicator,period,value\nASCH2,Q1 2024/25,85\n"
    catalogue = one_indicator(
        "      - {from: 2024-04-01, target: 91, floor: 82}\n"
        "      - {from: 2024-10-01, target: 93, floor: 85}"
    )
    targets = targets_by_period(load_project(write_project(tmp_path, catalogue, figures)))
    assert targets == {
        "Q1 2024/25": (91.0, 82.0),
        "Q2 2024/25": (91.0, 82.0),
        "Q3 2024/25": (93.0, 85.0),
        "Q4 2024/25": (93.0, 85.0),
    }


def test_an_effective_dated_target_carries_on_into_later_years_with_figures(tmp_path):
    figures = "indicator,period,value\nASCH2,Q1 2024/25,85\nASCH2,Q2 2025/26,88\n"
    catalogue = one_indicator("      - {from: 2024-04-01, target: 91}")
    targets = targets_by_period(load_project(write_project(tmp_path, catalogue, figures)))
    assert targets["Q2 2025/26"] == (91.0, None)
    assert targets["Q4 2025/26"] == (91.0, None)


def test_no_target_before_the_first_effective_date(tmp_path):
    figures = "indicator,period,value\nASCH2,Q1 2024/25,85\n"
    catalogue = one_indicator("      - {from: 2024-07-01, target: 91}")
    targets = targets_by_period(load_project(write_project(tmp_path, catalogue, figures)))
    assert "Q1 2024/25" not in targets
    assert targets["Q2 2024/25"] == (91.0, None)


def test_each_period_takes_the_most_specific_entry_period_entries_before_dated_ones(tmp_path):
    """A month takes the shortest period entry containing it, else the latest dated entry
    starting on or before it; the periods run over the financial years of the figures and of
    every entry."""
    figures = "indicator,period,value\nASCH2,Apr 2024,85\n"
    catalogue = one_indicator(
        "      - {period: 2024/25, target: 10, floor: 1}\n"
        "      - {period: Q2 2024/25, target: 20}\n"
        "      - {from: 2024-01-01, target: 5, floor: 4}\n"
        "      - {from: 2025-06-01, target: 7}",
        frequency="monthly",
    )
    dataset = load_project(write_project(tmp_path, catalogue, figures))
    targets = targets_by_period(dataset)
    assert "Dec 2023" not in targets
    assert [targets[m] for m in ("Jan 2024", "Mar 2024")] == [(5.0, 4.0)] * 2
    assert [targets[m] for m in ("Apr 2024", "Jun 2024", "Oct 2024", "Mar 2025")] == [
        (10.0, 1.0)
    ] * 4
    assert [targets[m] for m in ("Jul 2024", "Sep 2024")] == [(20.0, None)] * 2
    assert [targets[m] for m in ("Apr 2025", "May 2025")] == [(5.0, 4.0)] * 2
    assert [targets[m] for m in ("Jun 2025", "Mar 2026")] == [(7.0, None)] * 2
    assert len(targets) == 27  # Jan 2024 to Mar 2026
    months = dataset.targets["period_start"].to_list()
    assert months == sorted(months)
    assert dataset.targets["end_month"][0] == 2024 * 12


def test_future_periods_of_the_current_year_get_targets(tmp_path):
    """Figures only up to Q2, but the trend table shows the targets for Q3 and Q4 ahead."""
    figures = "indicator,period,value\nASCH2,Q1 2023/24,85\nASCH2,Q2 2023/24,88\n"
    catalogue = one_indicator(
        "      - {period: 2023/24, target: 90}\n      - {period: 2024/25, target: 95}"
    )
    dataset = load_project(write_project(tmp_path, catalogue, figures))
    targets = targets_by_period(dataset)
    assert targets["Q3 2023/24"] == (90.0, None)
    assert targets["Q4 2023/24"] == (90.0, None)
    assert targets["Q4 2024/25"] == (95.0, None)
    row = dataset.targets.filter(pl.col("period") == "Q3 2023/24").row(0, named=True)
    assert (row["period_start"], row["period_end"]) == (dt.date(2023, 10, 1), dt.date(2023, 12, 31))


def test_the_packs_trend_table_shows_the_targets_ahead_to_the_end_of_the_year(tmp_path):
    figures = "indicator,period,value\nASCH2,Q1 2023/24,85\nASCH2,Q2 2023/24,88\n"
    catalogue = one_indicator(
        "      - {period: 2023/24, target: 90, floor: 80}\n      - {period: 2024/25, target: 95}"
    )
    dataset = load_project(write_project(tmp_path, catalogue, figures))
    pack = pack_input(dataset, evaluate(dataset), parse_period("Q2 2023/24"))
    history = pack.history.select("period", "value", "target_text", "floor_text").rows()
    assert history == [
        ("Q1 2023/24", 85.0, "90.0%", "80.0%"),
        ("Q2 2023/24", 88.0, "90.0%", "80.0%"),
        ("Q3 2023/24", None, "90.0%", "80.0%"),
        ("Q4 2023/24", None, "90.0%", "80.0%"),
    ]


def test_the_counts_are_by_tier_only_where_an_indicator_has_one(tmp_path):
    figures = "indicator,period,value\nASCH2,Q1 2023/24,85\n"
    dataset = load_project(
        write_project(tmp_path, one_indicator("      - {period: 2023/24, target: 90}"), figures)
    )
    pack = pack_input(dataset, evaluate(dataset), parse_period("Q1 2023/24"))
    assert pack.summary["group"].to_list() == ["Overall"]  # no "Not set" beside it


def test_a_target_for_exactly_the_period_of_a_figure_applies_to_it(tmp_path):
    figures = "indicator,period,value\nASCH2,Dec 2023,95\n"  # annual: the 12 months to Dec 2023
    catalogue = one_indicator(
        "      - {period: Jan 2023 - Dec 2023, target: 90}", frequency="annual"
    )
    results = evaluate(write_project(tmp_path, catalogue, figures)).contract()
    assert results.select("period", "target").rows() == [("Jan 2023 - Dec 2023", 90.0)]


def test_an_indicator_without_targets_has_none(tmp_path):
    dataset = load_project(write_project(tmp_path, HEADER + INDICATORS))
    assert dataset.targets.is_empty()


def test_a_target_in_the_data_file_wins_over_the_catalogues(tmp_path):
    figures = "indicator,period,value,target\nASCH2,Q1 2023/24,85,\nASCH2,Q2 2023/24,88,70\n"
    catalogue = one_indicator("      - {period: 2023/24, target: 90, floor: 80}")
    results = evaluate(write_project(tmp_path, catalogue, figures)).contract()
    targets = dict(zip(results["period"].cast(pl.String), results["target"], strict=True))
    assert targets == {"Q1 2023/24": 90.0, "Q2 2023/24": 70.0}
    q2 = results.filter(pl.col("period").cast(pl.String) == "Q2 2023/24").row(0, named=True)
    assert q2["rag"] == "green"  # 88 against the file's 70, not the catalogue's 90


# --- overrides ----------------------------------------------------------------------------------


def test_override_periods_become_canonical_labels_of_the_indicators_frequency(tmp_path):
    figures = "indicator,period,value\nASCH2,Q2 2019/20,60\n"
    overrides = """
overrides:
  - {indicator: asch2, period: 30/09/2019, rag: green, reason: Data arrived late, approved_by: Panel}
"""
    catalogue = one_indicator("      - {period: 2019/20, target: 90, floor: 80}", extra=overrides)
    dataset = load_project(write_project(tmp_path, catalogue, figures))
    assert dataset.overrides.rows(named=True) == [
        {
            "indicator": "ASCH2",
            "organisation": ORG,
            "period": "Q2 2019/20",
            "rag": "green",
            "reason": "Data arrived late",
            "approved_by": "Panel",
        }
    ]
    row = evaluate(dataset).contract().row(0, named=True)
    assert (row["rag"], row["rag_manual"], row["rag_calculated"]) == ("green", True, "red")


# --- the period a pack reports ------------------------------------------------------------------


def test_latest_period_is_the_quarter_holding_the_latest_figure(tmp_path):
    figures = "indicator,period,value\nADM,Jul 2023,40\nADM,Aug 2023,42\nADM,Sep 2023,\n"
    catalogue = HEADER + INDICATORS
    period = latest_period(load_project(write_project(tmp_path, catalogue, figures)))
    assert period.label == "Q2 2023/24"  # Sep 2023 has no figure yet, Aug 2023 does


def test_latest_period_of_a_year_is_its_last_quarter(tmp_path):
    figures = "indicator,period,value\nACT,2022/23,90\nACT,2023/24,100\n"
    period = latest_period(load_project(write_project(tmp_path, HEADER + INDICATORS, figures)))
    assert period.label == "Q4 2023/24"


def test_latest_period_without_figures_asks_for_a_period(tmp_path):
    figures = "indicator,period,value\nASCH2,Q1 2023/24,\n"
    dataset = load_project(write_project(tmp_path, HEADER + INDICATORS, figures))
    with pytest.raises(NotFound, match="--period"):
        latest_period(dataset)


def test_an_indicator_with_figures_for_periods_of_different_lengths_is_refused(tmp_path):
    figures = FIGURES + "ASCH2,2023/24 to Sep 2023,84\n"
    write_project(tmp_path, HEADER + INDICATORS, figures)
    with pytest.raises(BoardpackError) as raised:
        load_project(tmp_path)
    (problem,) = raised.value.problems
    assert (
        "data/figures.csv:2 and data/figures.csv:6: ASCH2 has figures for periods of different lengths"
        in str(problem)
    )


def test_a_rolling_year_does_not_take_the_financial_years_target(tmp_path):
    """A figure for the 12 months to September ends in the same month as Q2 but is not Q2: the
    2023/24 target (a financial year's) does not cover it."""
    catalogue = (
        HEADER
        + """
indicators:
  - {ref: DTOC, title: Delays per 100000, polarity: lower_better, unit: rate_per_100k,
     frequency: monthly, targets: [{period: 2023/24, target: 9}]}
"""
    )
    write_project(tmp_path, catalogue, "indicator,period,value\nDTOC,Oct 2022 - Sep 2023,10\n")
    (row,) = evaluate(tmp_path).contract().to_dicts()
    assert (row["target"], row["rag"]) == (None, "no_status")
