"""Rating schemes: the rating and the reason a reader sees for one figure."""

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from boardpack.engine import DEFAULT_SCHEMES, make_scheme
from engine_frames import (
    BARNET,
    indicator,
    observation,
    one,
    override,
    overrides_frame,
    rated,
    rows,
    run,
    target,
)

Q2 = "Q2 2019/20"
# Best first: a worse figure must never move a rating up this list.
ORDER = ["green", "green_amber", "amber", "red_amber", "red"]


# --- threshold ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rag"),
    [
        (96.0, "green"),
        (95.0, "green"),
        (94.9, "amber"),
        (85.0, "amber"),
        (84.9, "red"),
        (81.8, "red"),
    ],
)
def test_threshold_higher_better(value, rag):
    assert rated(value, 95.0, 85.0)["rag"] == rag


@pytest.mark.parametrize(
    ("value", "rag"),
    [
        (8.0, "green"),
        (10.0, "green"),
        (10.1, "amber"),
        (15.0, "amber"),
        (15.1, "red"),
    ],
)
def test_threshold_lower_better_mirrors(value, rag):
    assert rated(value, 10.0, 15.0, polarity="lower_better", unit="days")["rag"] == rag


@pytest.mark.parametrize(
    ("polarity", "value"), [("higher_better", 200.0), ("lower_better", 5000.0)]
)
def test_threshold_without_a_floor_any_miss_is_amber(polarity, value):
    assert rated(value, 1800.0, polarity=polarity, unit="number", decimals=0)["rag"] == "amber"


@pytest.mark.parametrize(
    ("value", "target", "floor", "attributes", "reason"),
    [
        (81.8, 95.0, 85.0, {}, "Red: 81.8% is below the floor of 85.0% (target 95.0%)"),
        (
            90.0,
            95.0,
            85.0,
            {},
            "Amber: 90.0% is below the target of 95.0% but meets the floor of 85.0%",
        ),
        (96.0, 95.0, 85.0, {}, "Green: 96.0% is at or above the target of 95.0%"),
        (
            1631,
            1800,
            None,
            {"unit": "number", "decimals": 0},
            "Amber: 1,631 is below the target of 1,800; no floor is set, so any miss is Amber",
        ),
        (
            16.0,
            10.0,
            15.0,
            {"polarity": "lower_better", "unit": "days"},
            "Red: 16.0 days is above the floor of 15.0 days (target 10.0 days)",
        ),
        (
            12.0,
            10.0,
            15.0,
            {"polarity": "lower_better", "unit": "days"},
            "Amber: 12.0 days is above the target of 10.0 days but meets the floor of 15.0 days",
        ),
        (
            8.0,
            10.0,
            None,
            {"polarity": "lower_better", "unit": "days"},
            "Green: 8.0 days is at or below the target of 10.0 days",
        ),
        (
            1311192,
            1200000,
            None,
            {"polarity": "lower_better", "unit": "currency", "decimals": 0},
            "Amber: £1,311,192 is above the target of £1,200,000; no floor is set, so any miss is Amber",
        ),
    ],
)
def test_threshold_reason_in_words(value, target, floor, attributes, reason):
    assert rated(value, target, floor, **attributes)["rag_reason"] == reason


# --- variance bands ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "value", "rag"),
    [
        ("higher_better", 104.0, "green"),
        ("higher_better", 100.0, "green"),
        ("higher_better", 95.0, "green_amber"),
        ("higher_better", 90.0, "green_amber"),
        ("higher_better", 85.0, "red_amber"),
        ("higher_better", 80.0, "red_amber"),
        ("higher_better", 79.0, "red"),
        ("lower_better", 96.0, "green"),
        ("lower_better", 105.0, "green_amber"),
        ("lower_better", 115.0, "red_amber"),
        ("lower_better", 121.0, "red"),
    ],
)
def test_barnet_four_levels(polarity, value, rag):
    assert rated(value, 100.0, polarity=polarity, scheme="barnet")["rag"] == rag


def test_built_in_variance_bands_are_barnets():
    assert rated(85.0, 100.0, scheme="variance_bands")["rag"] == "red_amber"
    assert [label for label, _ in DEFAULT_SCHEMES["variance_bands"].key()] == [
        "Green",
        "Green Amber",
        "Red Amber",
        "Red",
    ]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (
            95.0,
            "Green Amber: 95.0% is 5.0% worse than the target of 100.0% "
            "(Green Amber: no more than 10% worse than target)",
        ),
        (105.0, "Green: 105.0% is at or above the target of 100.0% (Green: target met)"),
        (70.0, "Red: 70.0% is 30.0% worse than the target of 100.0% (Red: any other result)"),
    ],
)
def test_variance_bands_reason_in_words(value, reason):
    assert rated(value, 100.0, scheme="barnet")["rag_reason"] == reason


def test_a_named_scheme_uses_its_own_bands():
    strict = make_scheme(
        "strict",
        {
            "kind": "variance_bands",
            "bands": [
                {"rag": "green", "min_pct": 0},
                {"rag": "amber", "min_pct": -2},
                {"rag": "red"},
            ],
        },
    )
    result = one(
        indicator("A", scheme="strict"),
        observation("A", Q2, 97.0, 100.0),
        schemes={"strict": strict},
    )
    assert result["rag"] == "red"


def test_make_scheme_rejects_an_unknown_kind():
    with pytest.raises(
        ValueError, match='Unknown rating scheme kind "traffic_light"; use one of threshold'
    ):
        make_scheme("mine", {"kind": "traffic_light"})


@pytest.mark.parametrize(
    ("value", "target", "attributes", "rag"),
    [
        (29.7, 33.0, {"scheme": "barnet"}, "green_amber"),  # exactly 10% worse
        (36.4, 45.5, {"scheme": "barnet"}, "red_amber"),  # exactly 20% worse
        (8.4, 7.0, {"scheme": "barnet", "polarity": "lower_better"}, "red_amber"),
        (11.3, 6.3, {"polarity": "in_band", "unit": "number"}, "green"),  # exactly 5 from target
        (89.96, 100.0, {"scheme": "barnet"}, "green_amber"),  # 10.04% worse is quoted as 10.0%
    ],
)
def test_a_figure_on_a_band_edge_gets_the_better_band(value, target, attributes, rag):
    assert rated(value, target, **attributes)["rag"] == rag


def test_variance_bands_with_a_zero_target_met():
    result = rated(0.0, 0.0, scheme="barnet", polarity="lower_better", unit="number", decimals=0)
    assert result["rag"] == "green"
    assert result["rag_reason"].startswith("Green: 0 is at or below the target of 0")


# --- in band, none, and no rating -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rag"),
    [
        (42.0, "green"),
        (47.0, "green"),
        (37.0, "green"),
        (47.5, "amber"),
        (32.0, "amber"),
        (52.5, "red"),
        (31.0, "red"),
    ],
)
def test_in_band_default_five_and_ten(value, rag):
    assert rated(value, 42.0, polarity="in_band", unit="number")["rag"] == rag


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (44.0, "Green: 44.0 is within ±5 of the target of 42.0"),
        (50.0, "Amber: 50.0 is outside ±5 but within ±10 of the target of 42.0"),
        (55.0, "Red: 55.0 is more than ±10 away from the target of 42.0"),
    ],
)
def test_in_band_reason_in_words(value, reason):
    assert rated(value, 42.0, polarity="in_band", unit="number")["rag_reason"] == reason


def test_named_in_band_scheme():
    tight = make_scheme("six-weeks", {"kind": "in_band", "band": 2, "tolerance": 5})
    refs = [indicator(ref, polarity="in_band", unit="number", scheme="six-weeks") for ref in "ABC"]
    figures = [
        observation("A", Q2, 44.0, 42.0),
        observation("B", Q2, 46.0, 42.0),
        observation("C", Q2, 48.0, 42.0),
    ]
    assert [r["rag"] for r in rows(run(refs, figures, schemes={"six-weeks": tight}))] == [
        "green",
        "amber",
        "red",
    ]


def test_none_is_never_rated():
    result = rated(1234.0, 1000.0, polarity="none", unit="number", decimals=0)
    assert (result["rag"], result["rag_reason"]) == (
        "no_status",
        "No status: activity measure, no target is set",
    )


@pytest.mark.parametrize(
    ("missing_reason", "reason"),
    [
        ("[c] suppressed", "No status: no figure for this period ([c] suppressed)"),
        (None, "No status: no figure for this period"),
    ],
)
def test_missing_figure_has_no_status(missing_reason, reason):
    result = one(
        indicator("A"), observation("A", Q2, None, 95.0, 85.0, missing_reason=missing_reason)
    )
    assert (result["rag"], result["rag_reason"]) == ("no_status", reason)


@pytest.mark.parametrize("scheme", ["threshold", "barnet"])
def test_no_target_has_no_status(scheme):
    result = rated(81.8, scheme=scheme)
    assert (result["rag"], result["rag_reason"]) == (
        "no_status",
        "No status: no target is set for this period",
    )


def test_unknown_scheme_is_an_error_naming_it():
    with pytest.raises(ValueError, match="Unknown rating scheme.*barnet-5"):
        rated(81.8, 95.0, scheme="barnet-5")


def test_figures_for_an_unknown_indicator_are_an_error_naming_it():
    with pytest.raises(ValueError, match="not in the catalogue: ZZ9"):
        run([indicator("A")], [observation("ZZ9", Q2, 1.0)])


# --- manual override ---------------------------------------------------------------------


def test_manual_rating_wins_and_keeps_the_calculated_one():
    manual = overrides_frame(
        override("A", Q2, "green", "The figure was recorded late; corrected figure is 96%")
    )
    result = one(indicator("A"), observation("A", Q2, 81.8, 95.0, 85.0), overrides=manual)
    assert (result["rag"], result["rag_manual"], result["rag_calculated"]) == ("green", True, "red")
    assert result["rag_reason"] == (
        "Green (manual rating): The figure was recorded late; corrected figure is 96%. "
        "Calculated rating: Red: 81.8% is below the floor of 85.0% (target 95.0%)"
    )


def test_manual_rating_applies_only_to_its_period_and_organisation():
    manual = overrides_frame(override("A", Q2, "green", "Corrected"))
    figures = [
        observation("A", "Q1 2019/20", 81.8, 95.0, 85.0),
        observation("A", Q2, 81.8, 95.0, 85.0),
        observation("A", Q2, 81.8, 95.0, 85.0, organisation="E2"),
    ]
    result = [
        (r["organisation"], r["period"], r["rag"], r["rag_manual"])
        for r in rows(run([indicator("A")], figures, overrides=manual))
    ]
    assert sorted(result) == [
        ("E1", "Q1 2019/20", "red", False),
        ("E1", Q2, "green", True),
        ("E2", Q2, "red", False),
    ]


def test_manual_rating_from_string_keys_as_the_dataset_builds_them():
    manual = overrides_frame(override("A", Q2, "green", "Corrected"), key_type=pl.String)
    assert (
        one(indicator("A"), observation("A", Q2, 81.8, 95.0, 85.0), overrides=manual)["rag"]
        == "green"
    )


# --- catalogue targets ---------------------------------------------------------------------


def test_catalogue_targets_fill_in_and_the_figures_own_target_wins():
    figures = [observation("A", "Q1 2019/20", 90.0), observation("A", Q2, 90.0, 88.0)]
    targets = [target("A", "Q1 2019/20", 95.0, 85.0), target("A", Q2, 95.0, 85.0)]
    result = rows(run([indicator("A")], figures, targets=targets))
    assert [(r["target"], r["rag"]) for r in result] == [(95.0, "amber"), (88.0, "green")]


# --- variance ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "value", "target", "variance", "variance_pct"),
    [
        ("higher_better", 81.8, 95.0, -13.2, -13.2 / 95),
        ("higher_better", 99.0, 90.0, 9.0, 0.1),
        ("lower_better", 8.0, 10.0, -2.0, 0.2),  # under target is better: positive
        ("lower_better", 12.0, 10.0, 2.0, -0.2),
        ("higher_better", -3.0, -4.0, 1.0, 0.25),  # a negative target: still positive when better
    ],
)
def test_variance_sign_positive_is_better(polarity, value, target, variance, variance_pct):
    result = rated(value, target, polarity=polarity, unit="number")
    assert result["variance"] == pytest.approx(variance)
    assert result["variance_pct"] == pytest.approx(variance_pct)


def test_variance_pct_is_empty_for_a_zero_target():
    result = rated(3.0, 0.0, polarity="lower_better", unit="number", decimals=0)
    assert (result["variance"], result["variance_pct"], result["rag"]) == (3.0, None, "amber")


# --- property: a worse figure never gets a better rating ---------------------------------

numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 2))


def _worse_pair(polarity, v1, v2, target):
    """(better or equal, worse or equal) of two figures for this polarity."""
    if polarity == "in_band":
        return sorted((v1, v2), key=lambda v: abs(v - target))
    return sorted((v1, v2), reverse=polarity == "higher_better")


def _ratings_of(indicator_row, better, worse, target, floor):
    figures = [
        observation("A", Q2, value, target, floor, organisation=org)
        for org, value in (("E1", better), ("E2", worse))
    ]
    return [r["rag"] for r in rows(run([indicator_row], figures, schemes=BARNET))]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scheme=st.sampled_from(["threshold", "barnet", "in_band"]),
    polarity=st.sampled_from(["higher_better", "lower_better"]),
    target=numbers,
    gap=st.one_of(st.none(), st.floats(0, 1e5).map(lambda x: round(x, 2))),
    v1=numbers,
    v2=numbers,
)
def test_a_worse_figure_never_gets_a_better_rating(scheme, polarity, target, gap, v1, v2):
    if scheme == "in_band":
        polarity, gap = "in_band", None
    if scheme == "barnet":
        assume(target != 0)  # relative variance has no meaning against zero (see the xfail above)
    floor = (
        None
        if gap is None or scheme != "threshold"
        else (target - gap if polarity == "higher_better" else target + gap)
    )
    better, worse = _worse_pair(polarity, v1, v2, target)
    rags = _ratings_of(
        indicator("A", polarity=polarity, scheme=scheme, unit="number"),
        better,
        worse,
        target,
        floor,
    )
    assert ORDER.index(rags[0]) <= ORDER.index(rags[1]), (better, worse, rags)


def test_a_catalogue_with_no_figures_yet_evaluates_to_an_empty_table():
    evaluated = run([indicator("A")], [])
    assert evaluated.results.height == 0


def test_an_in_band_target_can_carry_its_own_band_and_tolerance():
    """Kent's six-week assessments: a target of 75% with Green within ±2 and Amber within ±5
    given on the target itself, not the scheme (whose defaults are ±5 and ±10)."""
    catalogue_target = {**target("SIX", "Q2 2011/12", 75.0), "band": 2.0, "tolerance": 5.0}
    figures = [observation("SIX", "Q2 2011/12", 78.0)]
    (row,) = rows(run([indicator("SIX", polarity="in_band")], figures, targets=[catalogue_target]))
    assert row["rag"] == "amber"
    assert row["rag_reason"] == "Amber: 78.0% is outside ±2 but within ±5 of the target of 75.0%"


def test_without_its_own_widths_an_in_band_target_uses_the_schemes():
    (row,) = rows(
        run(
            [indicator("SIX", polarity="in_band")],
            [observation("SIX", "Q2 2011/12", 78.0, target=75.0)],
        )
    )
    assert row["rag"] == "green"
    assert row["rag_reason"] == "Green: 78.0% is within ±5 of the target of 75.0%"
