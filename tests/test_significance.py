"""Trend over the periods shown: least-squares slope, its p-value and the words a pack prints."""

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from boardpack.engine.significance import (
    MIN_POINTS,
    p_value_text,
    trend_columns,
    trend_text,
    two_sided_p,
)

QUARTER_ENDS = [2027 * 12 + 2 + 3 * i for i in range(40)]  # Q4 2026/27 onwards


def frame(rows: list[tuple], polarity: str = "higher_better", step: int = 3) -> pl.DataFrame:
    """Rows of (series, end_month, value), already in order."""
    series, months, values = zip(*rows, strict=True)
    return pl.DataFrame(
        {
            "series": list(series),
            "end_month": list(months),
            "value": list(values),
            "step_months": [step] * len(rows),
            "polarity": [polarity] * len(rows),
        },
        schema_overrides={"value": pl.Float64, "end_month": pl.Int32, "series": pl.Int32},
    )


def one_series(values: list, polarity: str = "higher_better") -> pl.DataFrame:
    return frame([(0, QUARTER_ENDS[i], v) for i, v in enumerate(values)], polarity)


def latest(result: pl.DataFrame) -> dict:
    return result.row(-1, named=True)


def expected_trend(data: pl.DataFrame, row: int, window: int) -> tuple[int, float, float]:
    """Brute force: the figures of the row's series in its window, fitted by scipy."""
    here = data.row(row, named=True)
    x_now = here["end_month"] // here["step_months"]
    points = data.filter(
        (pl.col("series") == here["series"])
        & (pl.col("end_month") // pl.col("step_months") > x_now - window)
        & (pl.col("end_month") <= here["end_month"])
        & pl.col("value").is_not_null()
    )
    x = (points["end_month"] // points["step_months"]).to_numpy().astype(float)
    if len(x) < MIN_POINTS:
        return len(x), None, None
    fit = stats.linregress(x, points["value"].to_numpy())
    return len(x), fit.slope, fit.pvalue


# --- the p-value --------------------------------------------------------------------------


@pytest.mark.parametrize("df", range(1, 31))
def test_p_value_matches_students_t(df):
    t = np.r_[np.linspace(1e-3, 12, 400), 0.0, 40.0, np.inf]
    expected = 2 * stats.t.sf(t, df)
    assert np.allclose(two_sided_p(t, np.full(t.size, df)), expected, rtol=0, atol=1e-13)


# --- slope and p against scipy's linregress -----------------------------------------------

series_values = st.lists(
    st.one_of(st.none(), st.floats(-1e4, 1e4, allow_nan=False)), min_size=1, max_size=14
)
kept_quarters = st.lists(st.booleans(), min_size=14, max_size=14)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(series_values, kept_quarters), min_size=1, max_size=4),
    st.integers(MIN_POINTS, 9),
)
def test_slope_and_p_match_linregress_on_every_row(many, window):
    rows = []
    for number, (values, kept) in enumerate(many):
        months = [m for m, keep in zip(QUARTER_ENDS, kept, strict=False) if keep]
        months = months or QUARTER_ENDS[:1]
        rows += [(number, m, v) for m, v in zip(months, values, strict=False)]
    data = frame(rows)
    result = trend_columns(data, window=window)
    for row in range(data.height):
        n, slope, p = expected_trend(data, row, window)
        got = result.row(row, named=True)
        assert got["trend_n"] == n
        if slope is None:
            assert got["trend_slope"] is None and got["trend_p"] is None
            continue
        scale = max(1.0, np.abs(data["value"].drop_nulls().to_numpy()).max())
        assert got["trend_slope"] == pytest.approx(slope, rel=1e-8, abs=1e-9 * scale)
        if not np.isnan(p):  # linregress gives NaN p for a line through identical figures
            assert got["trend_p"] == pytest.approx(p, rel=1e-6, abs=1e-9)


def test_small_figures_after_large_ones_keep_their_precision():
    rng = np.random.default_rng(7)
    months = QUARTER_ENDS[:12]
    large = [(0, m, v) for m, v in zip(months, 2e9 + rng.normal(0, 5e6, 12), strict=True)]
    small = [(1, m, v) for m, v in zip(months, rng.normal(0, 1e-3, 12), strict=True)]
    data = frame(large + small)
    result = trend_columns(data)
    for row in [*range(3, 12), *range(15, 24)]:
        _, slope, p = expected_trend(data, row, 8)
        assert result["trend_slope"][row] == pytest.approx(slope, rel=1e-9)
        assert result["trend_p"][row] == pytest.approx(p, rel=1e-7)


# --- windows: series never mix, gaps keep their spacing -----------------------------------


def test_a_series_gets_the_same_trend_whatever_series_come_before_it():
    flat = [(5, m, v) for m, v in zip(QUARTER_ENDS, [10, 11, 10, 11, 10, 11], strict=False)]
    alone = trend_columns(frame(flat))
    steep = [(1, m, 1000.0 * i) for i, m in enumerate(QUARTER_ENDS[:8])]
    together = trend_columns(frame(steep + flat)).filter(pl.col("series") == 5)
    columns = ["trend_n", "trend_slope", "trend_p", "trend_label"]
    assert together.select(columns).equals(alone.select(columns))
    assert together["trend_n"].to_list() == [1, 2, 3, 4, 5, 6]


def test_a_missing_quarter_keeps_its_place_on_the_time_axis():
    months = [QUARTER_ENDS[i] for i in (0, 1, 2, 4, 5)]  # the fourth quarter has no row
    data = frame([(0, m, 2.0 * (m // 3)) for m in months])
    assert latest(trend_columns(data))["trend_slope"] == pytest.approx(2.0)


def test_the_window_counts_periods_not_rows():
    months = [QUARTER_ENDS[i] for i in (0, 1, 2, 3, 9, 10)]  # a year and a half with no rows
    result = trend_columns(frame([(0, m, float(i)) for i, m in enumerate(months)]), window=8)
    # eight quarters back from the fifth row reach the second; from the sixth, the fourth
    assert result["trend_n"].to_list() == [1, 2, 3, 4, 3, 3]


def test_missing_figures_are_skipped_not_counted_as_zero():
    result = trend_columns(one_series([10.0, 20.0, None, 40.0, 50.0]))
    assert latest(result)["trend_n"] == 4
    assert latest(result)["trend_slope"] == pytest.approx(10.0)


# --- words --------------------------------------------------------------------------------

RISING = [10.0, 12.0, 13.5, 15.0, 17.2, 18.0, 20.1, 22.0]


@pytest.mark.parametrize(
    ("polarity", "values", "label"),
    [
        ("higher_better", RISING, "improving trend"),
        ("higher_better", RISING[::-1], "worsening trend"),
        ("lower_better", RISING, "worsening trend"),
        ("lower_better", RISING[::-1], "improving trend"),
        ("in_band", RISING, "rising trend"),
        ("none", RISING[::-1], "falling trend"),
        ("higher_better", [10.0, 14.0, 9.0, 13.0, 10.0, 14.0, 9.0, 13.0], "no clear trend"),
        ("lower_better", [5.0] * 8, "no clear trend"),
    ],
)
def test_labels_read_the_slope_by_polarity(polarity, values, label):
    assert latest(trend_columns(one_series(values, polarity)))["trend_label"] == label


def test_a_significant_slope_needs_p_below_alpha():
    values = [10.0, 12.0, 11.0, 13.0, 12.5, 14.0]
    row = latest(trend_columns(one_series(values)))
    assert row["trend_label"] == "improving trend"
    strict = latest(trend_columns(one_series(values), alpha=row["trend_p"] / 2))
    assert strict["trend_label"] == "no clear trend"


def test_a_flat_series_has_p_of_one():
    row = latest(trend_columns(one_series([7.0] * 6)))
    assert (row["trend_slope"], row["trend_p"]) == (0.0, 1.0)


def test_fewer_than_four_figures_give_no_label_and_say_why():
    result = trend_columns(one_series([10.0, None, 30.0, 40.0]))
    row = latest(result)
    assert row["trend_label"] is None and row["trend_slope"] is None and row["trend_p"] is None
    assert row["trend_reason"] == "3 figures in the last 8 periods; a trend needs at least 4"
    assert result["trend_reason"][0] == "1 figure in the last 8 periods; a trend needs at least 4"


def test_labelled_rows_have_no_reason():
    assert latest(trend_columns(one_series(RISING)))["trend_reason"] is None


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.0123, "p = 0.01"),
        (0.4, "p = 0.40"),
        (0.0095, "p = 0.01"),
        (0.004, "p = 0.004"),
        (0.0004, "p < 0.001"),
        (1.0, "p = 1.00"),
    ],
)
def test_p_values_are_written_as_a_pack_prints_them(p, text):
    assert pl.select(p_value_text(pl.lit(p))).item() == text


def test_the_trend_text_gives_the_label_and_p_or_the_reason():
    gentle = [10.0, 12.0, 11.0, 13.0, 12.5, 14.0]  # linregress: p = 0.021
    result = trend_columns(one_series(gentle)).with_columns(trend_text())
    assert latest(result)["trend_text"] == "improving trend (p = 0.02)"
    assert result["trend_text"][1] == "2 figures in the last 8 periods; a trend needs at least 4"
    steep = trend_columns(one_series(RISING)).with_columns(trend_text())
    assert latest(steep)["trend_text"] == "improving trend (p < 0.001)"


# --- what the caller must get right -------------------------------------------------------


def test_periods_out_of_order_are_refused_with_the_row():
    data = frame([(0, QUARTER_ENDS[1], 1.0), (0, QUARTER_ENDS[0], 2.0)])
    with pytest.raises(ValueError, match=r"in period order.*row 2 \(series 0.*not after"):
        trend_columns(data)


def test_a_series_split_in_two_is_refused():
    data = frame([(0, QUARTER_ENDS[0], 1.0), (1, QUARTER_ENDS[0], 2.0), (0, QUARTER_ENDS[1], 3.0)])
    with pytest.raises(ValueError, match=r"row 3 \(series 0.*second run"):
        trend_columns(data)


def test_series_may_come_in_any_order():
    rising = [(7, m, float(i)) for i, m in enumerate(QUARTER_ENDS[:6])]
    falling = [(2, m, -float(i)) for i, m in enumerate(QUARTER_ENDS[:6])]
    result = trend_columns(frame(rising + falling))
    assert result["trend_slope"].to_list()[5::6] == pytest.approx([1.0, -1.0])


@pytest.mark.parametrize(("window", "alpha"), [(3, 0.05), (8, 0.0), (8, 1.5)])
def test_settings_out_of_range_are_refused(window, alpha):
    with pytest.raises(ValueError, match="trend"):
        trend_columns(one_series(RISING), window=window, alpha=alpha)


def test_an_empty_frame_gets_the_columns():
    result = trend_columns(one_series(RISING).head(0))
    added = {"trend_n", "trend_slope", "trend_p", "trend_label", "trend_reason"}
    assert added <= set(result.columns) and result.height == 0
