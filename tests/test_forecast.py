"""Forecast to year end: projection, prediction interval, chance of meeting the target, RAG."""

import numpy as np
import polars as pl
import pytest
from scipy import stats

from boardpack.engine.forecast import AMBER_FROM, GREEN_FROM, forecast_columns, method_words

APRIL_2026 = 2026 * 12 + 3  # first month of 2026/27
MARCH_2027 = 2027 * 12 + 2  # its year end


def frame(values, target=None, polarity="higher_better", start=APRIL_2026, step=1, series=0):
    """One series of figures, one period apart from `start`."""
    n = len(values)
    targets = target if isinstance(target, list) else [target] * n
    return pl.DataFrame(
        {
            "series": [series] * n,
            "end_month": [start + step * i for i in range(n)],
            "step_months": [step] * n,
            "value": values,
            "target": targets,
            "polarity": [polarity] * n,
        },
        schema_overrides={"value": pl.Float64, "target": pl.Float64},
    )


def at(result: pl.DataFrame, month: int) -> dict:
    return result.filter(pl.col("end_month") == month).row(0, named=True)


def test_a_straight_line_is_forecast_exactly_with_a_tiny_interval():
    values = [10.0 + 2.0 * i for i in range(6)]  # April to September
    row = at(forecast_columns(frame(values, target=30.0)), APRIL_2026 + 5)
    assert row["forecast_value"] == pytest.approx(10.0 + 2.0 * 11)  # March: 6 months on
    assert row["forecast_upper"] - row["forecast_lower"] < 1e-6
    assert row["forecast_p_meet_target"] == pytest.approx(1.0)
    assert row["forecast_rag"] == "green"


def test_noisy_series_interval_covers_the_true_year_end_about_95_percent():
    rng = np.random.default_rng(20261122)
    frames, truths = [], []
    for s in range(400):
        line = 50 + rng.normal(0, 3) * np.arange(12) + rng.normal(0, 4, 12)
        frames.append(frame(list(line), target=50.0, series=s))
        truths.append(line[11])
    as_at_november = forecast_columns(pl.concat(frames), as_of=APRIL_2026 + 7)
    result = as_at_november.filter(pl.col("end_month") == APRIL_2026 + 7)
    lower, upper = result["forecast_lower"].to_numpy(), result["forecast_upper"].to_numpy()
    coverage = np.mean((lower <= truths) & (truths <= upper))
    assert 0.92 <= coverage <= 0.98  # 95% give or take 2.7 binomial standard errors


def test_year_to_date_projects_the_average_rate_to_twelve_months():
    cumulative = [10.0, 22.0, 30.0, 41.0]  # April to July
    result = forecast_columns(frame(cumulative, target=100.0), measurement="year_to_date")
    july = at(result, APRIL_2026 + 3)
    assert july["forecast_value"] == pytest.approx(41.0 / 4 * 12)
    increments = np.array([10.0, 12.0, 8.0, 11.0])
    remaining, k = 8, 4
    half_width = (
        stats.t.ppf(0.975, k - 1) * increments.std(ddof=1) * np.sqrt(remaining + remaining**2 / k)
    )
    assert july["forecast_upper"] - july["forecast_value"] == pytest.approx(half_width)
    assert (july["forecast_method"], july["forecast_points"]) == ("rate_so_far", 4)
    for month in (APRIL_2026, APRIL_2026 + 1):  # one and two figures: fewer than three
        assert at(result, month)["forecast_value"] is None
    assert at(result, APRIL_2026 + 2)["forecast_value"] == pytest.approx(120.0)


def test_year_to_date_starts_again_each_financial_year():
    cumulative = [10.0 * (i + 1) for i in range(12)] + [5.0, 10.0]  # Apr 2026 to May 2027
    cumulative += [15.0]  # June 2027: the third figure of the new year
    result = forecast_columns(frame(cumulative), measurement={"0": "year_to_date"})
    assert at(result, MARCH_2027 + 3)["forecast_value"] == pytest.approx(60.0)
    assert at(result, MARCH_2027 + 3)["forecast_points"] == 3  # the old year's figures unused


def test_chance_of_meeting_follows_polarity():
    values = [40.0, 41.5, 41.0, 43.0, 42.5, 44.0]
    higher = at(forecast_columns(frame(values, target=45.0)), APRIL_2026 + 5)
    lower = at(forecast_columns(frame(values, 45.0, "lower_better")), APRIL_2026 + 5)
    assert higher["forecast_value"] > 45  # rising: likely above the target by March
    assert higher["forecast_p_meet_target"] > 0.5
    assert lower["forecast_p_meet_target"] == pytest.approx(1 - higher["forecast_p_meet_target"])
    rag = {"green": GREEN_FROM, "amber": AMBER_FROM}
    for row in (higher, lower):
        p, colour = row["forecast_p_meet_target"], row["forecast_rag"]
        expected = "green" if p >= rag["green"] else "amber" if p >= rag["amber"] else "red"
        assert colour == expected


@pytest.mark.parametrize("polarity", ["in_band", "none"])
def test_no_chance_or_rag_without_a_better_direction(polarity):
    row = at(forecast_columns(frame([1.0, 2.0, 3.0, 5.0], 4.0, polarity)), APRIL_2026 + 3)
    assert row["forecast_value"] is not None
    assert row["forecast_p_meet_target"] is None and row["forecast_rag"] is None


def test_no_chance_without_a_target():
    row = at(forecast_columns(frame([1.0, 2.0, 3.0, 5.0])), APRIL_2026 + 3)
    assert row["forecast_value"] is not None and row["forecast_p_meet_target"] is None


def test_fewer_than_four_figures_gives_no_trend_forecast():
    result = forecast_columns(frame([1.0, 2.0, None, 4.0, 5.0], target=3.0))
    assert at(result, APRIL_2026 + 3)["forecast_value"] is None  # three figures so far
    assert at(result, APRIL_2026 + 4)["forecast_value"] == pytest.approx(12.0)


def test_series_never_mix():
    rising = frame([1.0, 2.0, 3.0, 4.0, 5.0], series=1)
    falling = frame([100.0, 90.0, 80.0, 70.0, 60.0], series=2)
    result = forecast_columns(pl.concat([rising, falling]))
    assert at(result.filter(series=1), APRIL_2026 + 4)["forecast_value"] == pytest.approx(12.0)
    assert at(result.filter(series=2), APRIL_2026 + 4)["forecast_value"] == pytest.approx(-10.0)
    assert result.filter(series=2).head(3)["forecast_value"].null_count() == 3


def test_the_year_end_target_is_the_march_rows_target():
    values = [40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0]
    targets = [100.0] * 11 + [45.0]  # only March's target is within reach
    result = forecast_columns(frame(values[:6], target=targets[:6]))
    assert at(result, APRIL_2026 + 5)["forecast_p_meet_target"] == pytest.approx(0.0, abs=1e-9)
    with_march = forecast_columns(frame(values[:6] + [None] * 5 + [None], target=targets))
    assert at(with_march, APRIL_2026 + 5)["forecast_p_meet_target"] == pytest.approx(1.0)


def test_quarterly_series_project_to_the_march_quarter():
    values = [10.0, 12.0, 14.0, 16.0]  # Q1 2026/27 to Q4 2026/27, then Q1 of the next year
    result = forecast_columns(frame(values + [18.0], start=APRIL_2026 + 2, step=3))
    assert at(result, MARCH_2027 + 3)["forecast_value"] == pytest.approx(24.0)
    assert result["forecast_value"].null_count() == 4  # too few figures, then a closed year


def test_rows_out_of_order_are_refused_by_row():
    backwards = frame([1.0, 2.0, 3.0]).reverse()
    with pytest.raises(ValueError, match="row 2 .* is not after the period before it"):
        forecast_columns(backwards)


def test_unknown_measurement_is_refused():
    with pytest.raises(ValueError, match="Unknown measurement 'monthly'"):
        forecast_columns(frame([1.0]), measurement="monthly")


def test_year_to_date_spread_skips_a_missing_month():
    cumulative = [10.0, 22.0, None, 41.0, 50.0]  # June missing: July's increment is unknown
    row = at(forecast_columns(frame(cumulative), measurement="year_to_date"), APRIL_2026 + 4)
    increments = np.array([10.0, 12.0, 9.0])  # April, May, August
    remaining, k = 7, 3
    se = increments.std(ddof=1) * np.sqrt(remaining + remaining**2 / k)
    assert row["forecast_value"] == pytest.approx(50.0 / 5 * 12)
    assert row["forecast_upper"] - row["forecast_value"] == pytest.approx(
        stats.t.ppf(0.975, k - 1) * se
    )


def test_an_empty_frame_gains_the_columns():
    result = forecast_columns(frame([]))
    assert result.height == 0 and "forecast_rag" in result.columns


def test_year_to_date_interval_covers_the_true_year_end_about_95_percent():
    rng = np.random.default_rng(31)
    frames, truths = [], []
    for s in range(400):
        cumulative = np.cumsum(rng.normal(rng.uniform(5, 50), 4, 12))
        frames.append(frame(list(cumulative), series=s))
        truths.append(cumulative[11])
    result = forecast_columns(pl.concat(frames), measurement="year_to_date", as_of=APRIL_2026 + 5)
    september = result.filter(pl.col("end_month") == APRIL_2026 + 5)
    lower, upper = september["forecast_lower"].to_numpy(), september["forecast_upper"].to_numpy()
    assert 0.92 <= np.mean((lower <= truths) & (truths <= upper)) <= 0.98


# --- guard rails ---------------------------------------------------------------------------


def test_no_forecast_for_the_year_end_itself():
    values = [40.0 + i for i in range(12)]  # April to March: the year is closed
    result = forecast_columns(frame(values, target=45.0))
    assert result["forecast_value"].null_count() == 12
    assert result["forecast_p_meet_target"].null_count() == 12


def test_no_forecast_for_a_year_closed_by_the_month_read_at():
    values = [40.0 + i for i in range(8)]  # April to November 2026
    open_year = forecast_columns(frame(values), as_of=APRIL_2026 + 7)
    assert open_year["forecast_value"].drop_nulls().len() == 5  # from the fourth figure on
    closed = forecast_columns(frame(values), as_of=MARCH_2027)
    assert closed["forecast_value"].null_count() == 8
    assert closed["forecast_method"].null_count() == 8


def test_a_later_year_in_the_frame_closes_the_earlier_one():
    series = frame([40.0 + i for i in range(14)])  # to May 2027: 2026/27 is closed
    result = forecast_columns(series)
    assert result.filter(pl.col("end_month") <= MARCH_2027)["forecast_value"].null_count() == 12


def test_each_forecast_names_its_method_and_the_figures_it_rests_on():
    result = forecast_columns(frame([1.0, 2.0, None, 4.0, 5.0, 6.0]))
    rows = result.filter(pl.col("forecast_value").is_not_null())
    assert rows["forecast_method"].to_list() == ["linear_trend"] * 2
    assert rows["forecast_points"].to_list() == [4, 5]
    words = method_words("linear_trend", 5)
    assert words.startswith("A straight line fitted") and "last 5 figures" in words
    assert "95% prediction interval" in words
    assert method_words(None, None) is None


@pytest.mark.parametrize(
    ("unit", "values", "low", "high"),
    [
        ("percent", [80.0, 88.0, 93.0, 97.0, 99.0], 0.0, 100.0),  # rising towards 100%
        ("number", [900.0, 500.0, 700.0, 200.0, 150.0], 0.0, np.inf),  # a count falling fast
        ("rate_per_100k", [90.0, 60.0, 75.0, 20.0, 15.0], 0.0, np.inf),
    ],
)
def test_forecasts_and_intervals_stay_within_the_units_range(unit, values, low, high):
    series = frame(values).with_columns(pl.lit(unit).alias("unit"))
    plain = at(forecast_columns(frame(values)), APRIL_2026 + 4)
    assert plain["forecast_lower"] < low or plain["forecast_upper"] > high  # would stray
    row = at(forecast_columns(series), APRIL_2026 + 4)
    for column in ("forecast_value", "forecast_lower", "forecast_upper"):
        assert low <= row[column] <= high
        assert row[column] == pytest.approx(min(max(plain[column], low), high))


def test_money_may_be_forecast_below_zero():
    series = frame([50.0, 30.0, 20.0, 0.0, -10.0]).with_columns(pl.lit("currency").alias("unit"))
    assert at(forecast_columns(series), APRIL_2026 + 4)["forecast_value"] < 0
