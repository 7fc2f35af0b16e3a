"""Benchmark statistics: hand-checked small groups, every input check, and properties on random
groups (ranks, quartiles, and the order statistics against numpy.percentile)."""

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boardpack.engine.benchmark import (
    OUTPUT_COLUMNS,
    QUARTILES,
    BenchmarkInputError,
    benchmark_statistics,
)
from boardpack.errors import BoardpackError

BEST, SECOND, THIRD, WORST = QUARTILES
VALUE_SCHEMA = {
    "organisation": pl.String,
    "measure": pl.String,
    "period": pl.String,
    "value": pl.Float64,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
}


def values_frame(figures, measure="m", period="2023/24", numerators=None, denominators=None):
    """One measure and period: organisation i has figures[i] (None for missing)."""
    n = len(figures)
    return pl.DataFrame(
        {
            "organisation": [f"C{i:03d}" for i in range(n)],
            "measure": [measure] * n,
            "period": [period] * n,
            "value": list(figures),
            "numerator": numerators or [None] * n,
            "denominator": denominators or [None] * n,
        },
        schema=VALUE_SCHEMA,
    )


def membership_frame(organisations, group="England", kind="country", code="E92000001"):
    organisations = list(organisations)
    n = len(organisations)
    return pl.DataFrame(
        {
            "group": [group] * n,
            "group_kind": [kind] * n,
            "group_code": [code] * n,
            "organisation": organisations,
        }
    )


def measures_frame(polarity="higher_better", scale=None, measure="m"):
    return pl.DataFrame(
        {"measure": [measure], "polarity": [polarity], "scale": [scale]},
        schema={"measure": pl.String, "polarity": pl.String, "scale": pl.Float64},
    )


def one_group(figures, polarity="higher_better", **kwargs) -> pl.DataFrame:
    """Statistics for one group holding every organisation, in organisation order."""
    values = values_frame(figures, **kwargs)
    result = benchmark_statistics(
        values, membership_frame(values["organisation"]), measures_frame(polarity)
    )
    return result.sort("organisation")


def column(result: pl.DataFrame, name: str) -> list:
    return result[name].to_list()


# Hand-checked cases. Linear interpolation: position p = q * (n - 1) in the sorted values,
# value = x[floor p] + (p - floor p) * (x[floor p + 1] - x[floor p]).


def test_odd_count_hand_case():
    # sorted 1..5: q1 at position 1 -> 2, median at 2 -> 3, q3 at 3 -> 4.
    # |x - 3| = 2,1,0,1,2 -> MAD 1 (no 1.4826 factor).
    result = one_group([3.0, 1.0, 5.0, 2.0, 4.0])
    assert result.columns == OUTPUT_COLUMNS
    first = result.row(0, named=True)
    assert (first["median"], first["q1"], first["q3"], first["mad"]) == (3.0, 2.0, 4.0, 1.0)
    assert column(result, "distance_mads") == [0.0, -2.0, 2.0, -1.0, 1.0]
    assert column(result, "rank") == [3, 5, 1, 4, 2]
    # 4 is on q3 and 2 on q1: each goes to the better side.
    assert column(result, "quartile") == [SECOND, WORST, BEST, THIRD, BEST]
    assert set(column(result, "n_ranked")) == {5}


def test_even_count_hand_case():
    # sorted 1..4: q1 at 0.75 -> 1.75, median at 1.5 -> 2.5, q3 at 2.25 -> 3.25.
    # |x - 2.5| = 1.5, 0.5, 0.5, 1.5 -> MAD 1.0.
    result = one_group([1.0, 2.0, 3.0, 4.0])
    first = result.row(0, named=True)
    assert (first["median"], first["q1"], first["q3"], first["mad"]) == (2.5, 1.75, 3.25, 1.0)
    assert column(result, "quartile") == [WORST, THIRD, SECOND, BEST]
    assert column(result, "distance_mads") == [-1.5, -0.5, 0.5, 1.5]


def test_ties_share_the_best_rank_both_polarities():
    figures = [20.0, 10.0, 30.0, 20.0]
    assert column(one_group(figures, "higher_better"), "rank") == [2, 4, 1, 2]
    assert column(one_group(figures, "lower_better"), "rank") == [2, 1, 4, 2]


def test_lower_better_quartiles_mirror():
    # Same cut points as the odd hand case; the low values are now the good ones.
    result = one_group([3.0, 1.0, 5.0, 2.0, 4.0], "lower_better")
    assert column(result, "rank") == [3, 1, 5, 2, 4]
    assert column(result, "quartile") == [SECOND, BEST, WORST, BEST, THIRD]
    # distance keeps the raw direction: above the median is positive whatever the polarity
    assert column(result, "distance_mads") == [0.0, -2.0, 2.0, -1.0, 1.0]


def test_missing_values_do_not_count():
    result = one_group([1.0, None, 3.0, None, 5.0])
    assert result.height == 5  # rows without a value are kept, with the group's figures
    assert set(column(result, "n_ranked")) == {3}
    assert set(column(result, "median")) == {3.0}
    assert set(column(result, "q1")) == {2.0}  # 1, 3, 5: position 0.5 -> 2
    assert column(result, "rank") == [3, None, 2, None, 1]
    assert column(result, "quartile") == [WORST, None, SECOND, None, BEST]
    assert column(result, "distance_mads")[1] is None


def test_nan_reads_as_missing():
    result = one_group([1.0, float("nan"), 3.0])
    assert set(column(result, "n_ranked")) == {2}
    assert column(result, "rank") == [2, None, 1]


def test_all_equal_values_mad_zero():
    result = one_group([7.0, 7.0, 7.0])
    assert set(column(result, "mad")) == {0.0}
    assert column(result, "distance_mads") == [0.0, 0.0, 0.0]
    assert column(result, "rank") == [1, 1, 1]
    assert column(result, "quartile") == [BEST] * 3


def test_mad_zero_off_the_median_has_no_distance():
    # |x - 7| = 0, 0, 0, 2 -> MAD 0; the 9 has no finite distance.
    result = one_group([7.0, 7.0, 7.0, 9.0])
    assert set(column(result, "mad")) == {0.0}
    assert column(result, "distance_mads") == [0.0, 0.0, 0.0, None]


def test_one_member_group():
    result = one_group([4.0])
    row = result.row(0, named=True)
    assert (row["median"], row["q1"], row["q3"], row["mad"]) == (4.0, 4.0, 4.0, 0.0)
    assert (row["rank"], row["n_ranked"], row["quartile"]) == (1, 1, BEST)
    assert row["distance_mads"] == 0.0


def test_group_with_no_values():
    result = one_group([None, None])
    assert column(result, "n_ranked") == [0, 0]
    assert column(result, "median") == [None, None]
    assert column(result, "group_value_source") == ["median", "median"]


def test_polarity_none_has_statistics_but_no_rank():
    result = one_group([1.0, 2.0, 3.0], "none")
    assert column(result, "rank") == [None] * 3
    assert column(result, "quartile") == [None] * 3
    assert column(result, "rank_change") == [None] * 3
    assert set(column(result, "median")) == {2.0}
    assert column(result, "distance_mads") == [-1.0, 0.0, 1.0]


# Group value: published, else pooled numerator / denominator, else median.


def group_value_case(numerators, scale=100.0, published=None):
    # values 10% and 30% from 1/10 and 9/30: pooled 10/40 = 25%, median 20%.
    values = values_frame([10.0, 30.0], numerators=numerators, denominators=[10.0, 30.0])
    result = benchmark_statistics(
        values,
        membership_frame(values["organisation"]),
        measures_frame(scale=scale),
        published,
    )
    return result.row(0, named=True)


def test_group_value_computed_from_numerators_and_denominators():
    row = group_value_case([1.0, 9.0])
    assert (row["group_value"], row["group_value_source"]) == (25.0, "computed")


def test_group_value_median_when_a_numerator_is_missing():
    row = group_value_case([1.0, None])
    assert (row["group_value"], row["group_value_source"]) == (20.0, "median")


def test_group_value_median_when_not_a_ratio():
    row = group_value_case([1.0, 9.0], scale=None)
    assert (row["group_value"], row["group_value_source"]) == (20.0, "median")


def test_group_value_published_wins():
    published = pl.DataFrame(
        {"group_code": ["E92000001"], "measure": ["m"], "period": ["2023/24"], "value": [26.5]}
    )
    row = group_value_case([1.0, 9.0], published=published)
    assert (row["group_value"], row["group_value_source"]) == (26.5, "published")


def test_published_for_another_period_or_null_is_not_used():
    published = pl.DataFrame(
        {
            "group_code": ["E92000001", "E92000001"],
            "measure": ["m", "m"],
            "period": ["2022/23", "2023/24"],
            "value": [99.0, None],
        }
    )
    row = group_value_case([1.0, 9.0], published=published)
    assert (row["group_value"], row["group_value_source"]) == (25.0, "computed")


def test_pooled_ratio_counts_only_members_with_a_value():
    # The third council has counts but no value: left out of the sums, as of the median.
    values = values_frame(
        [10.0, 30.0, None], numerators=[1.0, 9.0, 50.0], denominators=[10.0, 30.0, 60.0]
    )
    result = benchmark_statistics(
        values, membership_frame(values["organisation"]), measures_frame(scale=100.0)
    )
    assert set(column(result, "group_value")) == {25.0}


def test_each_group_has_its_own_statistics():
    values = values_frame([1.0, 2.0, 3.0, 10.0])
    membership = pl.concat(
        [
            membership_frame(values["organisation"]),
            membership_frame(["C002", "C003"], "North East", "region", "E12000001"),
        ]
    )
    result = benchmark_statistics(values, membership, measures_frame())
    assert result.height == 6  # four councils in England, two of them in the region too
    region = result.filter(pl.col("group") == "North East")
    assert column(region, "median") == [6.5, 6.5]
    assert column(region, "rank") == [2, 1]
    assert column(region, "group_kind") == ["region", "region"]
    england = result.filter(pl.col("group") == "England")
    assert set(column(england, "median")) == {2.5}
    assert result.select(pl.struct("group", "organisation", "measure", "period").is_sorted()).item()


# Rank change


def series_frame(rows):
    """rows of (organisation, period, value) for measure m."""
    organisation, period, value = zip(*rows, strict=True)
    n = len(rows)
    return pl.DataFrame(
        {
            "organisation": organisation,
            "measure": ["m"] * n,
            "period": period,
            "value": value,
            "numerator": [None] * n,
            "denominator": [None] * n,
        },
        schema=VALUE_SCHEMA,
    )


def rank_changes(rows, polarity="higher_better"):
    values = series_frame(rows)
    result = benchmark_statistics(
        values, membership_frame(["A", "B", "C"]), measures_frame(polarity)
    )
    return {
        (r["organisation"], r["period"]): r["rank_change"] for r in result.iter_rows(named=True)
    }


def test_rank_change_positive_when_moving_up():
    change = rank_changes(
        [
            ("A", "2022/23", 1.0),
            ("B", "2022/23", 2.0),
            ("C", "2022/23", 3.0),
            ("A", "2023/24", 9.0),
            ("B", "2023/24", 2.0),
            ("C", "2023/24", 3.0),
        ]
    )
    assert change[("A", "2022/23")] is None  # the measure's first period
    assert change[("A", "2023/24")] == 2  # rank 3 -> 1
    assert change[("B", "2023/24")] == -1  # rank 2 -> 3
    assert change[("C", "2023/24")] == -1  # rank 1 -> 2


def test_rank_change_across_a_year_the_measure_lacks():
    # No 2022/23 for this measure at all: 2023/24 compares with 2021/22.
    change = rank_changes(
        [
            ("A", "2021/22", 1.0),
            ("B", "2021/22", 2.0),
            ("A", "2023/24", 5.0),
            ("B", "2023/24", 2.0),
        ]
    )
    assert change[("A", "2023/24")] == 1
    assert change[("B", "2023/24")] == -1


def test_rank_change_null_when_the_organisation_lacks_the_previous_year():
    # The measure has 2022/23 (from B and C) but A has no row then: no change for A, not a
    # comparison with 2021/22.
    change = rank_changes(
        [
            ("A", "2021/22", 1.0),
            ("B", "2021/22", 2.0),
            ("C", "2021/22", 3.0),
            ("B", "2022/23", 2.0),
            ("C", "2022/23", 3.0),
            ("A", "2023/24", 5.0),
            ("B", "2023/24", 2.0),
            ("C", "2023/24", 3.0),
        ]
    )
    assert change[("A", "2023/24")] is None
    assert change[("B", "2023/24")] == -1  # 2 of 2 -> 3 of 3
    assert change[("C", "2023/24")] == -1


def test_rank_change_null_when_the_previous_value_is_missing():
    change = rank_changes(
        [
            ("A", "2022/23", None),
            ("B", "2022/23", 2.0),
            ("A", "2023/24", 5.0),
            ("B", "2023/24", 2.0),
        ]
    )
    assert change[("A", "2023/24")] is None
    assert change[("B", "2023/24")] == -1


def test_rank_change_previous_period_is_per_measure():
    values = pl.concat(
        [
            series_frame([("A", "2021/22", 1.0), ("B", "2021/22", 2.0)]),
            series_frame([("A", "2023/24", 3.0), ("B", "2023/24", 2.0)]),
            series_frame([("A", "2022/23", 1.0), ("B", "2022/23", 2.0)]).with_columns(
                measure=pl.lit("n")
            ),
        ]
    )
    measures = pl.concat([measures_frame(), measures_frame(measure="n")])
    result = benchmark_statistics(values, membership_frame(["A", "B"]), measures)
    row = result.filter(pl.col("organisation") == "A", pl.col("period") == "2023/24").row(
        0, named=True
    )
    assert row["rank_change"] == 1  # m's previous period is 2021/22, not n's 2022/23


# Input checks


def base_inputs():
    values = values_frame([1.0, 2.0])
    return values, membership_frame(values["organisation"]), measures_frame()


def raises(match, values=None, membership=None, measures=None, published=None):
    base_values, base_membership, base_measures = base_inputs()
    with pytest.raises(BenchmarkInputError, match=match) as caught:
        benchmark_statistics(
            base_values if values is None else values,
            base_membership if membership is None else membership,
            base_measures if measures is None else measures,
            published,
        )
    assert isinstance(caught.value, BoardpackError)
    return caught.value


def test_missing_column_is_named():
    values, _, _ = base_inputs()
    error = raises("column 'denominator'.*missing column", values=values.drop("denominator"))
    assert error.frame == "values"


def test_unknown_polarity_is_named():
    error = raises(
        r"measures: row index 0, column 'polarity', value 'upwards'",
        measures=measures_frame("upwards"),
    )
    assert error.value == "upwards"


def test_duplicate_value_row_is_named():
    values, _, _ = base_inputs()
    doubled = pl.concat([values, values.head(1)])
    error = raises(r"values: row index 2, column 'organisation × measure × period'", values=doubled)
    assert error.value == ("C000", "m", "2023/24")


def test_measure_without_polarity_is_named():
    values, _, _ = base_inputs()
    raises(r"column 'measure', value 'other'", values=values.with_columns(measure=pl.lit("other")))


def test_period_not_a_financial_year_is_named():
    values, _, _ = base_inputs()
    raises(
        r"column 'period', value '2023-24'", values=values.with_columns(period=pl.lit("2023-24"))
    )


def test_text_that_is_not_a_number_is_named():
    values, _, _ = base_inputs()
    text = values.with_columns(value=pl.Series(["1.5", "n/a"]))
    raises(r"values: row index 1, column 'value', value 'n/a'", values=text)


def test_group_with_two_kinds_is_named():
    _, membership, _ = base_inputs()
    mixed = membership.with_columns(group_kind=pl.Series(["country", "region"]))
    raises(r"membership: row index 0, column 'group_kind'", membership=mixed)


def test_missing_key_is_named():
    values, _, _ = base_inputs()
    raises(
        r"row index 1, column 'organisation', value None",
        values=values.with_columns(organisation=pl.Series(["C000", None])),
    )


def test_duplicate_published_row_is_named():
    published = pl.DataFrame(
        {
            "group_code": ["E"] * 2,
            "measure": ["m"] * 2,
            "period": ["2023/24"] * 2,
            "value": [1.0, 2.0],
        }
    )
    raises(r"published: row index 1", published=published)


# Properties on random groups

figure = st.one_of(
    st.none(),
    st.integers(-5, 5).map(float),  # small integers make ties and values on the cut points
    st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(figure, min_size=1, max_size=40), st.sampled_from(["higher_better", "lower_better"])
)
def test_ranks_are_competition_ranks_respecting_polarity(figures, polarity):
    result = one_group(figures, polarity)
    present = [f for f in figures if f is not None]
    assert set(column(result, "n_ranked")) == {len(present)}
    better = (lambda a, b: a > b) if polarity == "higher_better" else (lambda a, b: a < b)
    for value, rank in zip(column(result, "value"), column(result, "rank"), strict=True):
        if value is None:
            assert rank is None
        else:
            assert rank == 1 + sum(better(other, value) for other in present)
    if present:
        best = max(present) if polarity == "higher_better" else min(present)
        assert set(result.filter(pl.col("rank") == 1)["value"].to_list()) == {best}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False) | st.none(),
        min_size=1,
        max_size=60,
    )
)
def test_order_statistics_match_numpy(figures):
    result = one_group(figures)
    present = np.array([f for f in figures if f is not None])
    row = result.row(0, named=True)
    if present.size == 0:
        assert row["median"] is None
        return
    q1, median, q3 = np.percentile(present, [25, 50, 75])  # linear is numpy's default
    for name, expected in (("q1", q1), ("median", median), ("q3", q3)):
        assert math.isclose(row[name], expected, rel_tol=1e-9, abs_tol=1e-6), name
    mad = np.median(np.abs(present - np.median(present)))
    assert math.isclose(row["mad"], mad, rel_tol=1e-9, abs_tol=1e-6)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-20, 20).map(float), min_size=1, max_size=40))
def test_quartile_consistent_with_order_and_polarity(figures):
    higher = one_group(figures, "higher_better")
    mirrored = one_group([-f for f in figures], "lower_better")
    # a value and its mirror under the opposite polarity land in the same place
    assert column(higher, "quartile") == column(mirrored, "quartile")
    assert column(higher, "rank") == column(mirrored, "rank")
    # a better rank never has a worse quartile
    order = {label: i for i, label in enumerate(QUARTILES)}
    pairs = sorted(zip(column(higher, "rank"), column(higher, "quartile"), strict=True))
    positions = [order[label] for _, label in pairs]
    assert positions == sorted(positions)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False),
        min_size=4,
        max_size=80,
        unique=True,
    )
)
def test_quartiles_roughly_balanced_for_distinct_values(figures):
    counts = one_group(figures)["quartile"].value_counts()
    by_label = dict(zip(counts["quartile"], counts["count"], strict=True))
    quarter = len(figures) / 4
    for label in QUARTILES:
        assert abs(by_label.get(label, 0) - quarter) <= 1, (label, by_label)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 1000), st.integers(1, 1000)).filter(lambda t: t[0] <= t[1]),
        min_size=1,
        max_size=30,
    )
)
def test_pooled_group_value_is_the_ratio_of_sums(counts):
    numerators = [float(n) for n, _ in counts]
    denominators = [float(d) for _, d in counts]
    figures = [100 * n / d for n, d in zip(numerators, denominators, strict=True)]
    values = values_frame(figures, numerators=numerators, denominators=denominators)
    result = benchmark_statistics(
        values, membership_frame(values["organisation"]), measures_frame(scale=100.0)
    )
    expected = 100 * sum(numerators) / sum(denominators)
    assert math.isclose(result["group_value"][0], expected, rel_tol=1e-12)
    assert result["group_value_source"][0] == "computed"
