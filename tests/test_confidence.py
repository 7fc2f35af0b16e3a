"""95% confidence intervals for figures built from small counts, and changes inside the noise."""

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from boardpack.engine.confidence import change_is_noise, confidence_columns

Z95 = 1.959963984540054  # the 97.5th centile of the standard normal


def rows(*figures: tuple, step: int = 3) -> pl.DataFrame:
    """Figures of (unit, numerator, denominator), one series, consecutive quarters."""
    units, numerators, denominators = zip(*figures, strict=True)
    return pl.DataFrame(
        {
            "series": [0] * len(figures),
            "end_month": [24326 + step * i for i in range(len(figures))],
            "step_months": [step] * len(figures),
            "unit": list(units),
            "numerator": list(numerators),
            "denominator": list(denominators),
        },
        schema_overrides={"numerator": pl.Float64, "denominator": pl.Float64},
    )


def interval(unit: str, numerator, denominator, level: float = 0.95) -> tuple:
    row = confidence_columns(rows((unit, numerator, denominator)), level).row(0, named=True)
    return row["ci_lower"], row["ci_upper"]


def wilson_by_hand(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson (1927) as Newcombe (1998) writes it: (2np + z² ± z√(z² + 4npq)) / 2(n + z²)."""
    p, q = k / n, 1 - k / n
    root = z * math.sqrt(z * z + 4 * n * p * q)
    base, scale = 2 * n * p + z * z, 2 * (n + z * z)
    return (base - root) / scale, (base + root) / scale


# --- Wilson score interval for percentages ------------------------------------------------


def test_wilson_matches_newcombes_worked_example():
    # Newcombe (1998), Statistics in Medicine 17:857-872: 81 of 263, Wilson 0.2553 to 0.3662.
    lower, upper = interval("percent", 81, 263)
    assert (round(lower, 2), round(upper, 2)) == (25.53, 36.62)
    by_hand = wilson_by_hand(81, 263)
    assert (lower, upper) == pytest.approx((100 * by_hand[0], 100 * by_hand[1]), rel=1e-12)


@pytest.mark.parametrize(("k", "n"), [(0, 10), (10, 10), (1, 3), (15, 20), (999, 1000)])
def test_wilson_at_the_edges_stays_within_0_to_100(k, n):
    lower, upper = interval("percent", k, n)
    by_hand = wilson_by_hand(k, n)
    assert (lower, upper) == pytest.approx((100 * by_hand[0], 100 * by_hand[1]), abs=1e-10)
    assert 0 <= lower <= 100 * k / n <= upper <= 100


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_limits_are_where_the_score_test_reaches_z(counts):
    k, n = counts
    p_hat = k / n
    for limit in interval("percent", k, n):
        p = limit / 100
        if 0 < p < 1:
            assert abs(p_hat - p) / math.sqrt(p * (1 - p) / n) == pytest.approx(Z95, rel=1e-7)


def test_a_higher_level_gives_a_wider_interval():
    lower95, upper95 = interval("percent", 30, 120)
    lower99, upper99 = interval("percent", 30, 120, level=0.99)
    assert lower99 < lower95 < upper95 < upper99


# --- exact Poisson interval for rates per 100,000 -----------------------------------------


def test_poisson_for_no_events_has_the_published_upper_limit():
    # Garwood (1936); epitools pois.exact documents 3.689 as the exact upper limit for 0 events.
    lower, upper = interval("rate_per_100k", 0, 100_000)
    assert lower == 0.0 and round(upper, 3) == 3.689


def test_poisson_for_ten_events_has_the_published_limits():
    # The exact 95% limits for an observed count of 10, as tabulated: 4.795 to 18.39.
    lower, upper = interval("rate_per_100k", 10, 100_000)
    assert (round(lower, 3), round(upper, 2)) == (4.795, 18.39)


@pytest.mark.parametrize("k", [1, 2, 5, 17, 60, 400])
def test_poisson_limits_solve_the_defining_tail_equations(k):
    lower, upper = interval("rate_per_100k", k, 100_000)
    assert stats.poisson.sf(k - 1, lower) == pytest.approx(0.025, rel=1e-9)  # P(X >= k)
    assert stats.poisson.cdf(k, upper) == pytest.approx(0.025, rel=1e-9)  # P(X <= k)


def test_a_rate_interval_is_scaled_by_its_population():
    lower, upper = interval("rate_per_100k", 10, 50_000)  # a rate of 20 per 100,000
    assert (lower, upper) == pytest.approx((2 * 4.795389, 2 * 18.390356), rel=1e-6)


# --- rows with no interval ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "numerator", "denominator"),
    [
        ("percent", None, 100),
        ("percent", 5, None),
        ("percent", 5, 0),
        ("percent", 120, 100),
        ("percent", -1, 100),
        ("rate_per_100k", 3, 0),
        ("days", 3, 4),
        ("number", 40, 100),
    ],
)
def test_no_interval_without_usable_counts(unit, numerator, denominator):
    assert interval(unit, numerator, denominator) == (None, None)


def test_categorical_units_are_read_too():
    data = rows(("percent", 81, 263)).with_columns(pl.col("unit").cast(pl.Categorical))
    assert confidence_columns(data)["ci_lower"][0] == pytest.approx(25.5289, abs=1e-4)


def test_a_level_outside_0_to_1_is_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        confidence_columns(rows(("percent", 1, 2)), level=95)


# --- is the change inside the noise? ------------------------------------------------------


def noise(*figures: tuple, step: int = 3) -> list:
    checked = change_is_noise(confidence_columns(rows(*figures, step=step)))
    return checked["change_within_noise"].to_list()


def test_a_small_change_on_small_counts_is_within_the_noise():
    # 12 of 20 then 15 of 20: 60% to 75%, but the intervals overlap widely.
    assert noise(("percent", 12, 20), ("percent", 15, 20)) == [None, True]


def test_a_large_change_on_large_counts_is_not():
    assert noise(("percent", 600, 1000), ("percent", 750, 1000)) == [None, False]


def test_rates_compare_their_exact_intervals():
    assert noise(("rate_per_100k", 10, 100_000), ("rate_per_100k", 14, 100_000)) == [None, True]
    assert noise(("rate_per_100k", 10, 100_000), ("rate_per_100k", 60, 100_000)) == [None, False]


def test_no_answer_without_intervals_or_a_previous_period():
    unknown = noise(("percent", 12, 20), ("percent", None, 20), ("percent", 15, 20))
    assert unknown == [None, None, None]
    assert noise(("days", 3, 4), ("days", 5, 4)) == [None, None]


def test_a_gap_or_a_new_series_has_no_previous_period():
    data = confidence_columns(rows(("percent", 12, 20), ("percent", 13, 20), ("percent", 14, 20)))
    gap = data.with_columns(pl.Series("end_month", [24326, 24332, 24335]))
    assert change_is_noise(gap)["change_within_noise"].to_list() == [None, None, True]
    split = data.with_columns(pl.Series("series", [0, 1, 1]))
    assert change_is_noise(split)["change_within_noise"].to_list() == [None, None, True]


def test_change_is_noise_asks_for_the_intervals_first():
    with pytest.raises(ValueError, match="confidence_columns"):
        change_is_noise(rows(("percent", 1, 2)))
