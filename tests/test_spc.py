"""XmR charts (Making Data Count): limits, the four special-cause rules, point types, icons,
baselines, and reading a CSV."""

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boardpack.engine.spc import SpcOptions, spc
from boardpack.engine.spc_options import ASSURANCE_ICONS, VARIATION_ICONS
from boardpack.errors import BoardpackError
from boardpack.sources.spc_csv import read_spc_csv


def frame(values, series="a", target=None) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "series": [series] * len(values),
            "period": list(range(1, len(values) + 1)),
            "value": pl.Series(values, dtype=pl.Float64),
            **({"target": [target] * len(values)} if target is not None else {}),
        }
    )


def points(values, **options) -> list[dict]:
    return spc(frame(values), SpcOptions(**options)).points.to_dicts()


def icons(values, target=None, **options) -> dict:
    return spc(frame(values, target=target), SpcOptions(**options)).series.row(0, named=True)


def rules(values, **options) -> list[str | None]:
    return [p["rule"] for p in points(values, **options)]


# --- centre line and limits, worked by hand ------------------------------------------------

# 10, 12, 11, 13, 14: mean 60 / 5 = 12; moving ranges 2, 1, 2, 1, average 1.5;
# limits 12 -/+ 2.66 x 1.5 = 8.01 and 15.99; near limits 12 -/+ (2/3 x 2.66) x 1.5 = 9.34, 14.66.
HAND = [10.0, 12.0, 11.0, 13.0, 14.0]


def test_limits_worked_by_hand():
    first = points(HAND)[0]
    assert first["mean"] == pytest.approx(12.0)
    assert first["lower_limit"] == pytest.approx(8.01)
    assert first["upper_limit"] == pytest.approx(15.99)
    assert first["lower_near"] == pytest.approx(9.34)
    assert first["upper_near"] == pytest.approx(14.66)
    assert [p["point_type"] for p in points(HAND)] == ["common_cause"] * 5


def test_missing_values_are_skipped_not_zero():
    # The same figures with a gap: the moving range spans it (10 -> 12), so the limits match.
    result = points([10.0, None, 12.0, 11.0, 13.0, 14.0])
    assert result[0]["mean"] == pytest.approx(12.0)
    assert result[0]["upper_limit"] == pytest.approx(15.99)
    gap = result[1]
    assert gap["value"] is None and gap["upper_limit"] == pytest.approx(15.99)
    assert gap["point_type"] is None and gap["special_cause"] is None


# 10, 11, 10, 11, 10, 30: mean 82 / 6 = 13.6667; moving ranges 1, 1, 1, 1, 20, average 4.8.
# 20 > 3.267 x 4.8 = 15.68, so screening leaves it out: average 1, upper limit
# 13.6667 + 2.66 = 16.3267. Unscreened: upper limit 13.6667 + 2.66 x 4.8 = 26.4347.
SPIKE = [10.0, 11.0, 10.0, 11.0, 10.0, 30.0]


def test_screening_leaves_out_large_moving_ranges():
    assert points(SPIKE)[0]["upper_limit"] == pytest.approx(82 / 6 + 2.66)
    assert points(SPIKE, screen_outliers=False)[0]["upper_limit"] == pytest.approx(
        82 / 6 + 2.66 * 4.8
    )


def test_zero_average_moving_range_gives_limits_on_the_mean():
    # Twelve equal points: all on the mean (no run) and all ties (no trend).
    result = points([5.0] * 12)
    assert {(p["lower_limit"], p["mean"], p["upper_limit"]) for p in result} == {(5.0, 5.0, 5.0)}
    assert {p["point_type"] for p in result} == {"common_cause"}


# --- the rules -----------------------------------------------------------------------------

NOISE = [0.0, 10.0] * 6  # alternates across the mean, so it never makes a run or a trend


def test_a_point_beyond_a_limit():
    result = points([*NOISE, 60.0])
    assert result[-1]["upper_limit"] < 60
    assert result[-1]["rule"] == "beyond_limit" and result[-1]["special_cause"] is True
    assert not any(p["special_cause"] for p in result[:-1])


def test_a_run_on_one_side_of_the_mean():
    # 1, 2, 1... below then 4, 5, 4... above: seven on each side.
    values = [1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 4.0, 5.0, 4.0, 5.0, 4.0, 5.0, 4.0]
    result = points(values)
    assert [p["rule"] for p in result] == ["run"] * 14
    assert [p["point_type"] for p in result] == ["concern"] * 7 + ["improvement"] * 7


def test_six_on_one_side_is_not_a_run():
    values = [1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 4.0, 5.0, 4.0, 5.0, 4.0, 5.0, 1.5]
    assert "run" not in rules(values)


def test_a_point_on_the_mean_breaks_a_run():
    above = [1.0, 2.0, 1.0, 2.0, 1.0, 2.0]
    below = [-1.0, -5.0] * 3
    broken = [*above, 0.0, *above, *below]  # sums to 0, so the 0 sits on the mean
    assert points(broken)[0]["mean"] == 0
    assert "run" not in rules(broken)
    unbroken = [*above, 1.0, *above, *below]  # the same with the 0 just above the mean
    assert rules(unbroken)[:13] == ["run"] * 13


TREND = [1.0, 1.5, 2.1, 2.5, 3.0, 3.5, 3.9]  # crosses the mean, so it is not a run
LOW_NOISE = [0.0, 4.0] * 6  # mean about 2, where the trend crosses it


def test_a_trend_of_seven():
    result = points([*LOW_NOISE, *TREND])
    assert [p["rule"] for p in result[-7:]] == ["trend"] * 7
    assert result[-8]["rule"] is None  # the point before the trend starts is not part of it
    assert {p["point_type"] for p in result[-7:]} == {"improvement"}


def test_a_falling_trend_is_a_concern_when_higher_is_better():
    result = points([*LOW_NOISE, *reversed(TREND)])
    assert [p["point_type"] for p in result[-7:]] == ["concern"] * 7


def test_a_tie_breaks_a_trend():
    tied = [1.0, 1.5, 2.1, 2.1, 2.5, 3.0, 3.5, 3.9]
    assert "trend" not in rules([*LOW_NOISE, *tied])


def test_six_rising_points_are_not_a_trend_of_seven():
    assert "trend" not in rules([*LOW_NOISE, *TREND[1:]])
    assert rules([*LOW_NOISE, *TREND[1:]], trend_length=6)[-6:] == ["trend"] * 6


def near_points(tail: list[float]) -> list[dict]:
    """`NOISE`-like data (mean near 0) with `tail` at the end; checks 5.5 and -5.5 lie between
    the near limits and the limits, the premise of the two-in-three tests."""
    result = points([1.0, -1.0] * 7 + tail)
    last = result[-1]
    assert last["upper_near"] < 5.5 < last["upper_limit"]
    assert last["lower_limit"] < -5.5 < last["lower_near"]
    return result


def test_two_of_three_beyond_the_near_limit_on_the_same_side():
    result = near_points([5.5, 1.0, 5.5])
    assert [p["rule"] for p in result[-3:]] == ["two_in_three", None, "two_in_three"]


def test_two_of_three_on_opposite_sides_is_common_cause():
    # As NHSRplotthedots' test "it only reports special cause for 2 of 3 points close to
    # limits when they are on the same side of the mean" (tests/testthat/
    # test-ptd_spc_standard.R): 1, -1 repeated, then 5.5, -5.5; it expects common cause.
    result = near_points([5.5, -5.5])
    assert [p["point_type"] for p in result[-2:]] == ["common_cause", "common_cause"]


def test_one_beyond_the_near_limit_is_common_cause():
    assert near_points([5.5, 1.0, -1.0])[-3]["rule"] is None


def test_rule_precedence_limit_before_run():
    values = [1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 4.0, 5.0, 4.0, 5.0, 4.0, 5.0, 4.0, 40.0]
    assert rules(values)[-1] == "beyond_limit"


# --- direction of improvement --------------------------------------------------------------


@pytest.mark.parametrize(
    ("improvement", "high", "low"),
    [
        ("increase", "improvement", "concern"),
        ("decrease", "concern", "improvement"),
        ("neutral", "neutral_high", "neutral_low"),
    ],
)
def test_point_type_follows_the_direction_of_improvement(improvement, high, low):
    assert points([*NOISE, 60.0], improvement=improvement)[-1]["point_type"] == high
    assert points([*NOISE, -60.0], improvement=improvement)[-1]["point_type"] == low


def test_improvement_per_series():
    both = pl.concat([frame([*NOISE, 60.0], "up"), frame([*NOISE, 60.0], "down")])
    result = spc(both, SpcOptions(improvement={"up": "increase", "down": "decrease"}))
    assert dict(result.series.select("series", "variation_icon").iter_rows()) == {
        "down": "concern_high",
        "up": "improvement_high",
    }
    with pytest.raises(BoardpackError, match="'down'"):
        spc(both, SpcOptions(improvement={"up": "increase"}))


# --- icons ---------------------------------------------------------------------------------


def test_variation_icon_from_the_latest_point():
    assert icons([*NOISE, 60.0])["variation_icon"] == "improvement_high"
    assert icons([*NOISE, 2.0])["variation_icon"] == "common_cause"
    assert icons([*NOISE, 60.0], improvement="neutral")["variation_icon"] == "neither_high"


@pytest.mark.parametrize(
    ("improvement", "latest", "icon"),
    [
        ("increase", 60.0, "improvement_high"),
        ("increase", -60.0, "concern_low"),
        ("decrease", 60.0, "concern_high"),
        ("decrease", -60.0, "improvement_low"),
        ("neutral", 60.0, "neither_high"),
        ("neutral", -60.0, "neither_low"),
        ("increase", 2.0, "common_cause"),
    ],
)
def test_the_seven_variation_icons_say_high_or_low(improvement, latest, icon):
    assert icons([*NOISE, latest], improvement=improvement)["variation_icon"] == icon


def test_every_variation_icon_is_named():
    assert VARIATION_ICONS == [
        "common_cause",
        "improvement_high",
        "improvement_low",
        "concern_high",
        "concern_low",
        "neither_high",
        "neither_low",
    ]
    assert ASSURANCE_ICONS == ["consistent_pass", "consistent_fail", "hit_and_miss"]


def test_latest_missing_value_uses_the_latest_figure():
    assert icons([*NOISE, 60.0, None])["variation_icon"] == "improvement_high"
    assert icons([*NOISE, 60.0, None])["points"] == 13


@pytest.mark.parametrize(
    ("improvement", "target", "icon"),
    [
        ("increase", 100.0, "consistent_fail"),  # the target is above the upper limit
        ("increase", -100.0, "consistent_pass"),
        ("increase", 2.0, "hit_and_miss"),  # the target is between the limits
        ("decrease", 100.0, "consistent_pass"),
        ("decrease", -100.0, "consistent_fail"),
        ("neutral", 100.0, None),
    ],
)
def test_assurance_icon_compares_the_target_with_the_limits(improvement, target, icon):
    assert icons(NOISE, target=target, improvement=improvement)["assurance_icon"] == icon


def test_no_assurance_without_a_target():
    assert icons(NOISE)["assurance_icon"] is None


def test_no_icons_below_the_minimum_points():
    short = icons(NOISE[:11], target=100.0)
    assert (short["variation_icon"], short["assurance_icon"], short["points"]) == (None, None, 11)
    assert icons(NOISE[:11], icon_minimum=11)["variation_icon"] == "common_cause"


# --- baselines -----------------------------------------------------------------------------


def test_limits_from_fewer_than_twelve_points_are_trial():
    assert {p["trial"] for p in points(NOISE[:11])} == {True}
    assert {p["trial"] for p in points(NOISE)} == {False}


def test_fixed_limits_come_from_the_first_points():
    result = points([*NOISE, 50.0, 60.0, 70.0], fix_after=12)
    assert result[-1]["mean"] == pytest.approx(5.0)  # the mean of 0, 10, 0, 10...
    assert result[-1]["upper_limit"] == pytest.approx(5 + 2.66 * 10)
    assert [p["rule"] for p in result[-3:]] == ["beyond_limit"] * 3


def test_fix_after_needs_twelve_points():
    with pytest.raises(BoardpackError, match="at least 12"):
        SpcOptions(fix_after=11)


def test_recalculation_starts_a_new_segment():
    values = [*NOISE, *(v + 100 for v in NOISE)]
    result = points(values, recalculate_at=[13])
    assert [p["segment"] for p in result] == [0] * 12 + [1] * 12
    assert result[0]["mean"] == pytest.approx(5.0)
    assert result[-1]["mean"] == pytest.approx(105.0)
    assert not any(p["special_cause"] for p in result)
    assert "beyond_limit" in rules(values)  # without the recalculation, a shift


def test_recalculation_for_one_series_only():
    both = pl.concat([frame(NOISE, "a"), frame(NOISE, "b")])
    result = spc(both, SpcOptions(recalculate_at={"b": [7]})).points
    segments = result.group_by("series").agg(pl.col("segment").max()).sort("series")
    assert segments["segment"].to_list() == [0, 1]


def test_one_point_segment_has_no_limits():
    last = points([*NOISE, 9.0], recalculate_at=[13])[-1]
    assert (last["mean"], last["upper_limit"], last["trial"]) == (9.0, None, True)
    assert last["point_type"] == "common_cause"


# --- many series, input checks -------------------------------------------------------------


def test_each_series_is_charted_on_its_own():
    alone = spc(frame([*NOISE, 60.0], "a")).points.drop("series")
    mixed = pl.concat([frame(HAND, "b"), frame([*NOISE, 60.0], "a"), frame(SPIKE, "c")])
    together = spc(mixed.sample(fraction=1.0, shuffle=True, seed=1)).points
    assert together.filter(pl.col("series") == "a").drop("series").equals(alone)
    assert together["series"].unique(maintain_order=True).to_list() == ["a", "b", "c"]


def test_dates_as_periods():
    dated = frame(HAND).with_columns(
        pl.date_range(dt.date(2024, 1, 1), dt.date(2024, 1, 5), eager=True).alias("period")
    )
    assert spc(dated.reverse()).points["value"].to_list() == HAND


def test_a_repeated_period_is_an_error():
    with pytest.raises(BoardpackError, match="period 1 more than once"):
        spc(pl.concat([frame(HAND), frame(HAND).head(1)]))


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="lacks column\\(s\\) value"):
        spc(frame(HAND).drop("value"))


# --- properties ----------------------------------------------------------------------------

figures = st.lists(
    st.floats(-1000, 1000, allow_nan=False).map(lambda x: round(x, 3)), min_size=2, max_size=30
)


def limits(values) -> list[tuple[float, float, float]]:
    return [(p["lower_limit"], p["mean"], p["upper_limit"]) for p in points(values)]


@settings(max_examples=60, deadline=None)
@given(figures)
def test_limits_are_symmetric_about_the_mean(values):
    for lower, mean, upper in limits(values):
        assert upper - mean == pytest.approx(mean - lower, abs=1e-6)
        assert lower <= mean <= upper


@settings(max_examples=60, deadline=None)
@given(figures, st.floats(-1000, 1000).map(lambda x: round(x, 2)))
def test_adding_a_constant_shifts_mean_and_limits(values, constant):
    shifted = limits([v + constant for v in values])
    for before, after in zip(limits(values), shifted, strict=True):
        assert after == pytest.approx(tuple(b + constant for b in before), abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(figures, st.floats(0.01, 100).map(lambda x: round(x, 2)))
def test_multiplying_by_a_positive_constant_scales_them(values, factor):
    scaled = limits([v * factor for v in values])
    for before, after in zip(limits(values), scaled, strict=True):
        assert after == pytest.approx(tuple(b * factor for b in before), rel=1e-6, abs=1e-6)


# --- reading a CSV -------------------------------------------------------------------------


def write(tmp_path, text: str):
    path = tmp_path / "figures.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_period_labels(tmp_path):
    path = write(
        tmp_path,
        'series,period,value,target\nA,Q2 2019/20,"1,200",40%\nA,Q1 2019/20,37%,\nB,Q1 2019/20,[c],\n',
    )
    data = read_spc_csv(path)
    assert data.row(0, named=True) == {
        "series": "A",
        "period": dt.date(2019, 9, 30),
        "period_label": "Q2 2019/20",
        "value": 1200.0,
        "target": 40.0,
    }
    assert data["value"].to_list() == [1200.0, 37.0, None]
    assert spc(data).points["period_label"].to_list() == ["Q1 2019/20", "Q2 2019/20", "Q1 2019/20"]


def test_csv_numbers_and_dates_kept_as_given(tmp_path):
    assert read_spc_csv(write(tmp_path, "series,period,value\nA,3,1\n"))["period"].to_list() == [3]
    dated = read_spc_csv(write(tmp_path, "series,period,value\nA,2024-02-29,1\n"))
    assert dated["period"].to_list() == [dt.date(2024, 2, 29)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("series,period,value\nA,1,3\nA,2,abc\n", 'row 3, column value: "abc" is not a number'),
        ("series,period,value\nA,Q9 2019,3\n", 'row 2, column period: Cannot read the period "Q9'),
        ("series,period,value\n,1,3\n", "row 2, column series is blank"),
        ("series,when,value\nA,1,3\n", "lacks column\\(s\\) period"),
    ],
)
def test_csv_errors_name_row_and_value(tmp_path, text, message):
    with pytest.raises(BoardpackError, match=message):
        read_spc_csv(write(tmp_path, text))


# --- rule edge cases: ties, the mean, opposite sides, one-point groups, zero spread, gaps ----


def test_a_tie_inside_a_run_does_not_break_it():
    # Only a point on the mean breaks a run; equal neighbours on one side do not. The mean is
    # 75 / 19, so the last seven are all below it.
    values = [*NOISE, 3.0, 3.0, 3.0, 1.0, 2.0, 1.0, 2.0]
    assert rules(values)[-8:] == [None, *["run"] * 7]


def test_a_new_trend_starts_at_the_second_of_two_tied_points():
    rising = [2.1, 2.5, 3.0, 3.5, 3.9, 4.3, 4.7]  # seven rising from the second 2.1
    result = rules([*LOW_NOISE, 1.5, 2.1, *rising])
    assert result[-8:] == [None, *["trend"] * 7]


def test_a_point_on_the_mean_inside_a_trend_takes_the_trend_direction():
    values = [*LOW_NOISE, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5]  # the mean is 38 / 19 = 2
    result = points(values)
    on_mean = [p for p in result if p["value"] == p["mean"]]
    assert len(on_mean) == 1
    assert (on_mean[0]["rule"], on_mean[0]["point_type"]) == ("trend", "improvement")


def test_limits_crossed_on_both_sides():
    result = points([*NOISE, 60.0, *NOISE, -60.0])
    assert [p["point_type"] for p in result if p["special_cause"]] == ["improvement", "concern"]


def test_two_of_three_needs_only_the_two_on_one_side():
    # Documented difference from NHSRplotthedots, which asks all three points to sit on the
    # same side of the mean: here the point between may be on the other side.
    result = points([1.0, -1.0] * 7 + [6.0, -1.0, 6.0])
    last = result[-1]
    assert last["mean"] > -1.0 and last["upper_near"] < 6.0 < last["upper_limit"]
    assert [p["rule"] for p in result[-3:]] == ["two_in_three", None, "two_in_three"]


def test_a_point_beyond_the_limit_counts_toward_two_of_three():
    # Documented difference from NHSRplotthedots (whose close_to_limits leaves it out).
    result = points([1.0, -1.0] * 7 + [6.0, 12.0])
    last = result[-1]
    assert last["upper_near"] < 6.0 < last["upper_limit"] < 12.0
    assert [p["rule"] for p in result[-2:]] == ["two_in_three", "beyond_limit"]


def test_a_one_point_group_in_the_middle():
    values = [*NOISE, 50.0, *NOISE]
    result = points(values, recalculate_at=[13, 14])
    middle = result[12]
    assert (middle["segment"], middle["mean"], middle["upper_limit"]) == (1, 50.0, None)
    assert (middle["point_type"], middle["trial"]) == ("common_cause", True)
    assert result[13]["segment"] == 2 and result[13]["mean"] == pytest.approx(5.0)


def test_rules_do_not_run_across_a_recalculation():
    # Seven below the mean; with a new baseline after the fourth, four and three (and a 0).
    values = [*NOISE, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, *NOISE]
    assert "run" in rules(values)
    assert "run" not in rules(values, recalculate_at=[17])


def test_icons_when_the_latest_group_has_one_point():
    result = icons([*NOISE, 9.0], target=100.0, recalculate_at=[13], icon_minimum=1)
    assert (result["variation_icon"], result["assurance_icon"]) == ("common_cause", None)


def test_zero_average_moving_range_after_screening():
    # Moving ranges 0 (ten times) and 4: 4 > 3.267 x 4/11, so it is screened out, the average
    # is 0 and both limits sit on the mean; every point off the mean is beyond a limit.
    result = points([5.0] * 11 + [9.0])
    assert {(p["lower_limit"], p["upper_limit"]) for p in result} == {(64 / 12, 64 / 12)}
    assert {p["rule"] for p in result} == {"beyond_limit"}
    flat = icons([5.0] * 12, target=6.0)
    assert flat["assurance_icon"] == "consistent_fail"  # target above both limits


def test_runs_and_trends_run_across_missing_values():
    below_then_above = [1.0, 2.0, 1.0, None, 2.0, 1.0, 2.0, 1.0, 4.0, 5.0, 4.0, 5.0, 4.0, 5.0, 4.0]
    assert rules(below_then_above) == [*["run"] * 3, None, *["run"] * 11]
    trend = [1.0, 1.5, 2.1, None, 2.5, 3.0, 3.5, 3.9]
    assert rules([*LOW_NOISE, *trend])[-8:] == [*["trend"] * 3, None, *["trend"] * 4]


def test_a_series_of_missing_values_only():
    result = spc(frame([None, None, None]))
    assert result.points["mean"].to_list() == [None] * 3
    assert result.series.row(0, named=True) == {
        "series": "a",
        "variation_icon": None,
        "assurance_icon": None,
        "points": 0,
    }


def test_fix_after_counts_values_not_rows():
    fixed = points([None, *NOISE, 50.0], fix_after=12)
    assert fixed[-1]["mean"] == pytest.approx(5.0)
    assert fixed[-1]["rule"] == "beyond_limit"


def test_a_recalculation_at_a_missing_value_still_starts_the_group():
    result = points([*NOISE, None, *(v + 100 for v in NOISE)], recalculate_at=[13])
    assert [p["segment"] for p in result] == [0] * 12 + [1] * 13
    assert result[12]["mean"] == pytest.approx(105.0)
