"""Looking back along a series: previous period, same period last year, direction of travel,
previous rating and runs of Amber."""

import polars as pl
import pytest

from boardpack.engine import EngineSettings, evaluate
from engine_frames import (
    BARNET,
    by_period,
    indicator,
    indicators_frame,
    observation,
    observations_frame,
    rows,
    run,
    series,
)

QUARTERS = ["Q1 2019/20", "Q2 2019/20", "Q3 2019/20", "Q4 2019/20", "Q1 2020/21", "Q2 2020/21"]


def two_quarters(before, now, polarity="higher_better", target=None, **kwargs) -> dict:
    """The second of two consecutive quarters."""
    ind = indicator("A", polarity=polarity, unit="number")
    return series(ind, {"Q1 2019/20": before, "Q2 2019/20": now}, target, **kwargs)[-1]


# --- direction of travel against the previous period -------------------------------------


@pytest.mark.parametrize(
    ("polarity", "before", "now", "direction"),
    [
        ("higher_better", 80.0, 85.0, "improving"),
        ("higher_better", 80.0, 80.0, "no_change"),
        ("higher_better", 80.0, 75.0, "worsening"),
        ("lower_better", 80.0, 75.0, "improving"),
        ("lower_better", 80.0, 80.0, "no_change"),
        ("lower_better", 80.0, 85.0, "worsening"),
        ("none", 80.0, 85.0, "not_applicable"),
        ("higher_better", None, 85.0, "not_applicable"),
        ("higher_better", 80.0, None, "not_applicable"),
    ],
)
def test_direction_respects_polarity(polarity, before, now, direction):
    target = None if polarity == "none" else 90.0
    assert two_quarters(before, now, polarity, target)["direction"] == direction


@pytest.mark.parametrize(
    ("before", "now", "direction"),
    [
        (46.0, 39.0, "improving"),  # 4 above the target, now 3 below: closer
        (39.0, 46.0, "worsening"),
        (44.0, 40.0, "no_change"),  # 2 above, now 2 below
        (50.0, 47.0, "improving"),  # a lower figure is better only while above the target
        (38.0, 35.0, "worsening"),  # ... and worse below it
    ],
)
def test_in_band_improves_by_moving_closer_to_the_target(before, now, direction):
    assert two_quarters(before, now, "in_band", 42.0)["direction"] == direction


def test_in_band_without_a_target_has_no_direction():
    assert two_quarters(46.0, 39.0, "in_band")["direction"] == "not_applicable"


def test_the_first_period_has_no_direction():
    first = series(indicator("A"), {"Q1 2019/20": 80.0, "Q2 2019/20": 85.0})[0]
    assert (first["direction"], first["previous_value"], first["previous_period"]) == (
        "not_applicable",
        None,
        None,
    )


@pytest.mark.parametrize(
    ("now", "direction"),
    [(80.4, "no_change"), (79.5, "no_change"), (80.6, "improving"), (79.4, "worsening")],
)
def test_no_change_within_an_absolute_tolerance(now, direction):
    ind = indicator("A", unit="number", no_change_within=0.5)
    assert series(ind, {"Q1 2019/20": 80.0, "Q2 2019/20": now})[-1]["direction"] == direction


@pytest.mark.parametrize(
    ("now", "direction"),
    [(201.5, "no_change"), (198.0, "no_change"), (203.0, "improving"), (197.0, "worsening")],
)
def test_no_change_within_a_percentage_of_the_previous_value(now, direction):
    settings = EngineSettings(no_change_within_pct=1)
    assert two_quarters(200.0, now, settings=settings)["direction"] == direction


def test_the_indicators_own_tolerance_wins_over_the_percentage():
    ind = indicator("A", unit="number", no_change_within=0.1)
    result = series(
        ind,
        {"Q1 2019/20": 200.0, "Q2 2019/20": 201.0},
        settings=EngineSettings(no_change_within_pct=1),
    )
    assert result[-1]["direction"] == "improving"


# --- previous period ---------------------------------------------------------------------


def test_previous_value_period_and_rating():
    result = series(indicator("A"), {"Q1 2019/20": 81.8, "Q2 2019/20": 96.0}, 95.0)[-1]
    assert (result["previous_period"], result["previous_value"], result["previous_rag"]) == (
        "Q1 2019/20",
        81.8,
        "amber",
    )
    assert result["direction"] == "improving"


def test_a_gap_in_the_series_leaves_no_previous_figure():
    result = by_period(series(indicator("A"), {"Q1 2019/20": 80.0, "Q3 2019/20": 90.0}, 95.0))
    assert result["Q3 2019/20"]["previous_value"] is None
    assert result["Q3 2019/20"]["previous_rag"] is None
    assert result["Q3 2019/20"]["direction"] == "not_applicable"


@pytest.mark.parametrize(
    ("step", "periods"),
    [
        (1, ["Aug 2019", "Sep 2019"]),
        (3, ["Q1 2019/20", "Q2 2019/20"]),
        (12, ["2018/19", "2019/20"]),
    ],
)
def test_previous_period_is_one_step_of_the_frequency(step, periods):
    result = series(
        indicator("A", step_months=step), dict(zip(periods, [80.0, 70.0], strict=True))
    )[-1]
    assert (result["previous_period"], result["direction"]) == (periods[0], "worsening")


def test_a_month_is_not_the_previous_period_of_a_quarterly_indicator():
    # Quarterly figures three months apart are consecutive; one month apart they are not.
    result = by_period(series(indicator("A", step_months=1), {"Jun 2019": 80.0, "Sep 2019": 85.0}))
    assert result["Sep 2019"]["direction"] == "not_applicable"


# --- the same period last year -----------------------------------------------------------


def test_same_quarter_last_year():
    values = dict(zip(QUARTERS, [70.0, 80.0, 60.0, 65.0, 68.0, 75.0], strict=True))
    result = by_period(series(indicator("A"), values))
    assert result["Q2 2020/21"]["last_year_value"] == 80.0
    assert result["Q2 2020/21"]["direction_vs_last_year"] == "worsening"
    assert result["Q1 2020/21"]["last_year_value"] == 70.0
    assert result["Q1 2020/21"]["direction_vs_last_year"] == "worsening"
    assert result["Q4 2019/20"]["last_year_value"] is None
    assert result["Q4 2019/20"]["direction_vs_last_year"] == "not_applicable"


def test_last_year_found_across_gaps():
    values = {"Q2 2019/20": 80.0, "Q4 2019/20": 70.0, "Q2 2020/21": 85.0}
    result = by_period(series(indicator("A"), values))
    assert result["Q2 2020/21"]["last_year_value"] == 80.0
    assert result["Q2 2020/21"]["direction_vs_last_year"] == "improving"
    assert result["Q2 2020/21"]["previous_value"] is None


def test_last_year_absent_in_a_gappy_series():
    values = {"Q1 2019/20": 80.0, "Q4 2019/20": 70.0, "Q2 2020/21": 85.0}
    result = by_period(series(indicator("A"), values))
    assert result["Q2 2020/21"]["last_year_value"] is None
    assert result["Q2 2020/21"]["direction_vs_last_year"] == "not_applicable"


def test_same_month_last_year():
    months = [
        "Sep 2018",
        "Oct 2018",
        "Nov 2018",
        "Dec 2018",
        "Jan 2019",
        "Feb 2019",
        "Mar 2019",
        "Apr 2019",
        "May 2019",
        "Jun 2019",
        "Jul 2019",
        "Aug 2019",
        "Sep 2019",
    ]
    values = {label: 100.0 + i for i, label in enumerate(months)}
    result = by_period(
        series(indicator("A", step_months=1, polarity="lower_better", unit="number"), values)
    )
    assert result["Sep 2019"]["last_year_value"] == 100.0
    assert result["Sep 2019"]["previous_value"] == 111.0
    assert result["Sep 2019"]["direction_vs_last_year"] == "worsening"
    assert result["Aug 2019"]["last_year_value"] is None


def test_last_year_of_an_annual_indicator_is_the_year_before():
    result = series(
        indicator("A", step_months=12), {"2017/18": 60.0, "2018/19": 62.0, "2019/20": 61.0}
    )[-1]
    assert (result["last_year_value"], result["previous_value"]) == (62.0, 62.0)
    assert (result["direction"], result["direction_vs_last_year"]) == ("worsening", "worsening")


def test_in_band_direction_vs_last_year():
    values = {"Q2 2019/20": 50.0, "Q2 2020/21": 44.0}
    result = series(indicator("A", polarity="in_band", unit="number"), values, 42.0)[-1]
    assert result["direction_vs_last_year"] == "improving"


# --- several organisations and indicators ------------------------------------------------


def test_organisations_and_indicators_do_not_mix():
    figures = [
        observation("A", "Q1 2019/20", 50.0, organisation="E2"),
        observation("A", "Q2 2019/20", 90.0, organisation="E1"),
        observation("B", "Q1 2019/20", 10.0, organisation="E1"),
        observation("A", "Q1 2019/20", 95.0, organisation="E1"),
        observation("A", "Q2 2019/20", 60.0, organisation="E2"),
        observation("A", "Q2 2019/20", 70.0, organisation="E3"),
    ]
    result = {
        (r["indicator"], r["organisation"], r["period"]): r
        for r in rows(run([indicator("A"), indicator("B", polarity="lower_better")], figures))
    }
    assert result[("A", "E1", "Q2 2019/20")]["previous_value"] == 95.0
    assert result[("A", "E1", "Q2 2019/20")]["direction"] == "worsening"
    assert result[("A", "E2", "Q2 2019/20")]["previous_value"] == 50.0
    assert result[("A", "E2", "Q2 2019/20")]["direction"] == "improving"
    assert result[("A", "E3", "Q2 2019/20")]["previous_value"] is None
    assert result[("B", "E1", "Q1 2019/20")]["previous_value"] is None


# --- runs of Amber -----------------------------------------------------------------------


def amber_runs(values: list[float | None], labels=QUARTERS) -> list[int]:
    """Ratings against target 95, floor 85: 96 Green, 90 Amber, 80 Red."""
    ind = indicator("A")
    figures = [
        observation("A", label, value, 95.0, 85.0)
        for label, value in zip(labels, values, strict=False)
    ]
    return [r["amber_run"] for r in rows(run([ind], figures))]


@pytest.mark.parametrize(
    ("values", "runs"),
    [
        ([90.0, 90.0, 90.0], [1, 2, 3]),
        ([96.0, 90.0, 90.0], [0, 1, 2]),
        ([90.0, 96.0, 90.0], [1, 0, 1]),
        ([90.0, 80.0, 90.0], [1, 0, 1]),
        ([90.0, None, 90.0], [1, 0, 1]),
        ([80.0, 80.0, 90.0, 90.0], [0, 0, 1, 2]),
    ],
)
def test_amber_run_counts_consecutive_amber_periods(values, runs):
    assert amber_runs(values) == runs


def test_a_gap_breaks_an_amber_run():
    assert amber_runs([90.0, 90.0], ["Q1 2019/20", "Q3 2019/20"]) == [1, 1]


def test_green_amber_and_red_amber_count_as_amber():
    figures = [
        observation("A", label, value, 100.0)
        for label, value in zip(QUARTERS[:4], [95.0, 85.0, 100.0, 95.0], strict=True)
    ]
    result = rows(run([indicator("A", scheme="barnet")], figures, schemes=BARNET))
    assert [(r["rag"], r["amber_run"]) for r in result] == [
        ("green_amber", 1),
        ("red_amber", 2),
        ("green", 0),
        ("green_amber", 1),
    ]


def test_a_change_exactly_the_tolerance_is_no_change():
    ind = indicator("A", unit="ratio", no_change_within=0.1)
    assert series(ind, {"Q1 2019/20": 1.2, "Q2 2019/20": 1.3})[-1]["direction"] == "no_change"


def test_observations_without_a_baseline_column_are_rated_as_with_none():
    """The baseline is optional in a frame given to `evaluate` (most councils have none)."""
    given = [observation("ADM1", "Q1 2024/25", 80.0, target=90.0)]
    ref = indicator("ADM1")
    with_column = evaluate(observations_frame(*given), indicators_frame(ref))
    without = evaluate(observations_frame(*given).drop("baseline"), indicators_frame(ref))
    keep = ["rag", "variance_in_points"]
    assert without.results.select(keep).equals(with_column.results.select(keep))
    assert without.results["rag"].cast(pl.String).to_list() == ["amber"]
