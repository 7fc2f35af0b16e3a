"""What a pack for one period shows: the figure due for each indicator, the counts of ratings,
the sentence stating them, and the call-in list."""

import polars as pl
import pytest

from boardpack.engine import EngineSettings, call_in, summarise, summary_sentence
from boardpack.periods import parse_period
from engine_frames import indicator, observation, run

Q2_PACK = parse_period("Q2 2019/20").end_month


def reported(evaluated, report_month=Q2_PACK, organisation=None) -> dict[str, dict]:
    frame = evaluated.report(report_month, organisation)
    return {
        row["indicator"]: row
        for row in frame.with_columns(pl.col(pl.Categorical).cast(pl.String)).to_dicts()
    }


# --- the figure due for a pack -----------------------------------------------------------


def figures(ref: str, values: dict[str, float | None], organisation: str = "E1") -> list[dict]:
    return [
        observation(ref, label, value, organisation=organisation) for label, value in values.items()
    ]


@pytest.fixture
def q2_pack() -> dict[str, dict]:
    catalogue = [
        indicator("QTR"),
        indicator("ARREARS", lag_periods=1),
        indicator("YEAR", step_months=12),
        indicator("MONTH", step_months=1),
        indicator("LATE"),
        indicator("NEVER"),
    ]
    data = [
        *figures("QTR", {"Q1 2019/20": 1.0, "Q2 2019/20": 2.0, "Q3 2019/20": 3.0}),
        *figures("ARREARS", {"Q4 2018/19": 1.0, "Q1 2019/20": 2.0, "Q2 2019/20": 3.0}),
        *figures("YEAR", {"2017/18": 1.0, "2018/19": 2.0, "2019/20": 3.0}),
        *figures("MONTH", {"Aug 2019": 1.0, "Sep 2019": 2.0, "Oct 2019": 3.0}),
        *figures("LATE", {"Q4 2018/19": 1.0, "Q1 2019/20": 2.0, "Q2 2019/20": None}),
        *figures("NEVER", {"Q1 2019/20": None}),
    ]
    return reported(run(catalogue, data))


@pytest.mark.parametrize(
    ("ref", "period", "value", "is_reported", "is_due"),
    [
        ("QTR", "Q2 2019/20", 2.0, True, True),
        ("ARREARS", "Q1 2019/20", 2.0, True, True),  # one quarter in arrears
        ("YEAR", "2018/19", 2.0, False, False),  # the year to the previous March: not due in Q2
        ("MONTH", "Sep 2019", 2.0, True, True),
        (
            "LATE",
            "Q1 2019/20",
            2.0,
            False,
            True,
        ),  # the due figure is missing: the latest earlier one
        ("NEVER", "Q1 2019/20", None, False, True),
    ],
)
def test_report_shows_the_figure_due(q2_pack, ref, period, value, is_reported, is_due):
    row = q2_pack[ref]
    assert (row["period"], row["value"], row["reported"], row["due"]) == (
        period,
        value,
        is_reported,
        is_due,
    )


def test_report_gives_the_due_period_and_the_indicator_labels(q2_pack):
    assert q2_pack["ARREARS"]["due_month"] == parse_period("Q1 2019/20").end_month
    assert q2_pack["YEAR"]["due_month"] == parse_period("2018/19").end_month
    assert q2_pack["QTR"]["title"] == "Indicator QTR"
    assert len(q2_pack) == 6


def test_a_quarterly_indicator_in_a_monthly_pack_shows_the_last_quarter():
    evaluated = run([indicator("QTR")], figures("QTR", {"Q1 2019/20": 1.0, "Q2 2019/20": 2.0}))
    assert reported(evaluated, parse_period("Aug 2019").end_month)["QTR"]["period"] == "Q1 2019/20"


def test_report_for_one_organisation():
    data = [
        *figures("QTR", {"Q2 2019/20": 1.0}),
        *figures("QTR", {"Q2 2019/20": 7.0}, organisation="E2"),
    ]
    evaluated = run([indicator("QTR")], data)
    assert reported(evaluated, organisation="E2")["QTR"]["value"] == 7.0
    assert len(evaluated.report(Q2_PACK)) == 2


# --- summary counts ----------------------------------------------------------------------


def rated_rows(
    rags: list[str],
    directions: list[str] | None = None,
    tiers: list[str | None] | None = None,
    reported_flags: list[bool] | None = None,
) -> pl.DataFrame:
    n = len(rags)
    return pl.DataFrame(
        {
            "indicator": [f"I{i}" for i in range(n)],
            "rag": rags,
            "direction": directions or ["not_applicable"] * n,
            "tier": tiers or ["KPI"] * n,
            "due": [True] * n,
            "reported": reported_flags or [True] * n,
        }
    )


def test_counts_and_shares_over_rated_indicators():
    rags = ["green"] * 7 + ["amber"] * 8 + ["red"] * 5 + ["no_status"] * 3
    row = summarise(rated_rows(rags)).row(0, named=True)
    assert (row["group"], row["green"], row["amber"], row["red"], row["no_status"]) == (
        "Overall",
        7,
        8,
        5,
        3,
    )
    assert (row["rated"], row["indicators"]) == (20, 23)
    assert (row["green_text"], row["amber_text"], row["red_text"]) == (
        "35% (7)",
        "40% (8)",
        "25% (5)",
    )
    assert row["green_amber_text"] == "0% (0)"


def test_direction_counts_improving_or_same_against_worsening():
    directions = ["improving"] * 3 + ["no_change"] * 2 + ["worsening"] * 5 + ["not_applicable"] * 2
    row = summarise(rated_rows(["green"] * 12, directions)).row(0, named=True)
    assert (row["improving_or_same"], row["worsening"]) == (5, 5)
    assert (row["improving_or_same_text"], row["worsening_text"]) == ("50% (5)", "50% (5)")


def test_expected_and_reported():
    row = summarise(rated_rows(["green"] * 4, reported_flags=[True, False, True, True])).row(
        0, named=True
    )
    assert (row["expected"], row["reported"]) == (4, 3)


def test_summary_by_a_column_with_unset_values():
    frame = rated_rows(["green", "red", "green", "amber"], tiers=["Strategic", "KPI", "KPI", None])
    groups = {row["group"]: row for row in summarise(frame, "tier").to_dicts()}
    assert set(groups) == {"Strategic", "KPI", "Not set"}
    assert (groups["KPI"]["green"], groups["KPI"]["red"], groups["KPI"]["green_text"]) == (
        1,
        1,
        "50% (1)",
    )
    assert groups["Not set"]["amber"] == 1


def test_no_rated_indicators_gives_zero_shares():
    row = summarise(rated_rows(["no_status"] * 2)).row(0, named=True)
    assert (row["rated"], row["green_text"]) == (0, "0% (0)")


def test_summary_of_an_evaluated_report():
    catalogue = [indicator(ref) for ref in "ABC"]
    data = [
        observation("A", "Q2 2019/20", 96.0, 95.0, 85.0),
        observation("B", "Q2 2019/20", 90.0, 95.0, 85.0),
        observation("C", "Q2 2019/20", 80.0, 95.0, 85.0),
    ]
    evaluated = run(catalogue, data)
    row = evaluated.summary(evaluated.report(Q2_PACK)).row(0, named=True)
    assert (row["green"], row["amber"], row["red"], row["rated"]) == (1, 1, 1, 3)


def test_a_half_share_rounds_up():
    row = summarise(rated_rows(["green"] + ["red"] * 7)).row(0, named=True)
    assert row["green_text"] == "13% (1)"


# --- the sentence ------------------------------------------------------------------------


def counts(**given: int) -> dict:
    return {
        rag: given.get(rag, 0)
        for rag in ("green", "green_amber", "amber", "red_amber", "red", "no_status")
    }


@pytest.mark.parametrize(
    ("given", "sentence"),
    [
        (
            {"green": 9, "amber": 2, "red": 2},
            "nine are rated Green, two are rated Amber and two are rated Red.",
        ),
        ({"red": 1}, "one is rated Red."),
        ({"green": 3, "red": 1}, "three are rated Green and one is rated Red."),
        (
            {"green": 14, "green_amber": 1, "red_amber": 2},
            "14 are rated Green, one is rated Green Amber and two are rated Red Amber.",
        ),
        ({"no_status": 4}, "No indicators are rated."),
    ],
)
def test_summary_sentence(given, sentence):
    assert summary_sentence(counts(**given)) == sentence


def test_summary_sentence_from_summarise():
    rags = ["green"] * 9 + ["amber"] * 2 + ["red"] * 2
    row = summarise(rated_rows(rags)).row(0, named=True)
    assert (
        summary_sentence(row) == "nine are rated Green, two are rated Amber and two are rated Red."
    )


# --- call-in list ------------------------------------------------------------------------


def called_in(
    values: dict[str, list[float]], settings: EngineSettings | None = None
) -> dict[str, str]:
    """Indicators (and why) on the Q2 2019/20 call-in list; target 95, floor 85: 90 is Amber, 80 Red."""
    labels = ["Q4 2018/19", "Q1 2019/20", "Q2 2019/20"]
    data = [
        observation(ref, label, value, 95.0, 85.0)
        for ref, series in values.items()
        for label, value in zip(labels[-len(series) :], series, strict=True)
    ]
    evaluated = run([indicator(ref) for ref in values], data, settings=settings)
    listed = evaluated.call_in(evaluated.report(Q2_PACK))
    return dict(zip(listed["indicator"].cast(pl.String), listed["call_in_reason"], strict=True))


def test_call_in_list():
    listed = called_in(
        {
            "RED": [96.0, 80.0],
            "AMBER2": [90.0, 90.0],
            "AMBER1": [96.0, 90.0],
            "BROKEN": [90.0, 96.0, 90.0],
            "GREEN": [90.0, 96.0],
        }
    )
    assert listed == {"RED": "Red", "AMBER2": "Amber for 2 consecutive periods"}


def test_call_in_after_three_amber_periods():
    values = {"AMBER2": [96.0, 90.0, 90.0], "AMBER3": [90.0, 90.0, 90.0]}
    listed = called_in(values, EngineSettings(call_in_amber_periods=3))
    assert listed == {"AMBER3": "Amber for 3 consecutive periods"}


def test_call_in_on_plain_rows():
    rows = pl.DataFrame(
        {
            "indicator": ["A", "B", "C"],
            "rag": ["red_amber", "green_amber", "green"],
            "amber_run": [2, 1, 0],
        }
    )
    assert call_in(rows)["indicator"].to_list() == ["A"]
