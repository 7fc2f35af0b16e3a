"""Boardpack against `abspc` (PyPI, a published Python implementation of Making Data Count) on
300 seeded series with matched options: every difference in mean, limits, special causes and
icons must belong to a documented class (docs/spc.md, "Agreement with the reference
implementations"). abspc is a development dependency, so this runs wherever the tests do."""

import sys
from pathlib import Path

import polars as pl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from abspc_compare import compare, seeded_series  # noqa: E402

FLAG_CLASSES = {
    "missing_value",
    "limit_constant",
    "two_in_three_beyond_limit",
    "two_in_three_opposite_third",
}
VARIATION_CLASSES = {
    "latest_point_flag_differs",
    "abspc_reads_latest_special_cause_not_latest_point",
    "abspc_takes_trend_direction_from_side_of_mean",
}
ASSURANCE_CLASSES = {"target_on_a_limit", "limit_constant", "missing_value"}


@pytest.fixture(scope="module")
def seeded():
    frame = seeded_series()
    return frame, compare(frame)


def test_every_series_and_point_is_compared(seeded):
    frame, result = seeded
    assert result.series == frame["series"].n_unique() == 300
    assert result.points == frame["value"].is_not_null().sum()


def test_means_agree_everywhere(seeded):
    _, result = seeded
    assert result.mean_agrees == result.points


def test_limits_differ_only_by_the_constant(seeded):
    # Same average moving range, limits at 2.66 here and 3 / 1.128 in abspc.
    _, result = seeded
    assert result.limits_within_constant == result.points


def test_average_moving_ranges_agree_except_across_missing_values(seeded):
    frame, result = seeded
    gappy = frame.group_by("series").agg(
        pl.col("value").null_count().alias("gaps"), pl.col("value").count().alias("n")
    )
    in_gappy_series = gappy.filter(pl.col("gaps") > 0)["n"].sum()
    assert in_gappy_series > 0
    assert result.moving_range_agrees >= result.points - in_gappy_series


def test_every_flag_difference_is_explained(seeded):
    _, result = seeded
    differences = sum(result.flag_differences.values())
    assert result.flags_agree + differences == result.points
    assert set(result.flag_differences) <= FLAG_CLASSES
    assert result.flags_agree / result.points > 0.99
    # The rule choices documented in docs/spc.md do show up in these series.
    assert result.flag_differences["two_in_three_beyond_limit"] > 0
    assert result.flag_differences["missing_value"] > 0


def test_every_icon_difference_is_explained(seeded):
    _, result = seeded
    assert set(result.variation_differences) <= VARIATION_CLASSES
    assert result.variation_agrees + sum(result.variation_differences.values()) == 300
    assert set(result.assurance_differences) <= ASSURANCE_CLASSES
    assert result.assurance_agrees + sum(result.assurance_differences.values()) == 300
    assert result.assurance_agrees >= 295


def test_a_point_beyond_the_limit_counts_toward_two_of_three_here_only():
    # Noise around 0, then 5 (between the near and process limits, 4.69 and 6.72) and 9
    # (beyond the process limit): abspc's two-of-three counts only the first.
    values = [1.0, -1.0] * 10 + [5.0, 9.0]
    frame = pl.DataFrame({"series": "a", "period": range(1, 23), "value": values, "target": 0.0})
    result = compare(frame)
    assert dict(result.flag_differences) == {"two_in_three_beyond_limit": 1}
