"""The statistics columns of the open-data table: SPC, trend significance and intervals,
computed for every indicator of the demo council."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from boardpack import evaluate
from boardpack.engine.significance import TREND_LABELS
from boardpack.engine.spc_options import ASSURANCE_ICONS, VARIATION_ICONS
from boardpack.engine.statistics import STATISTICS_COLUMNS

DEMO = Path(__file__).resolve().parent.parent / "examples" / "example-county"


@pytest.fixture(scope="module")
def table() -> pl.DataFrame:
    return evaluate(DEMO).contract()


def test_statistics_come_after_the_contract_columns(table):
    assert table.columns[-len(STATISTICS_COLUMNS) :] == STATISTICS_COLUMNS


def test_spc_limits_enclose_the_mean_and_icons_are_known_words(table):
    charted = table.filter(pl.col("spc_mean").is_not_null())
    assert charted.height > 1000
    assert (charted["spc_lower"] <= charted["spc_mean"]).all()
    assert (charted["spc_mean"] <= charted["spc_upper"]).all()
    assert set(charted["spc_variation"].drop_nulls().cast(pl.String)) <= set(VARIATION_ICONS)
    assert set(charted["spc_assurance"].drop_nulls().cast(pl.String)) <= set(ASSURANCE_ICONS)


def test_no_assurance_icon_for_activity_measures(table):
    activity = table.filter(pl.col("polarity").cast(pl.String) == "none")
    assert activity.height and activity["spc_assurance"].null_count() == activity.height


def test_intervals_hold_the_figure_they_are_for(table):
    with_interval = table.filter(pl.col("ci_lower").is_not_null())
    assert with_interval.height > 100
    assert (with_interval["ci_lower"] <= with_interval["value"] + 1e-9).all()
    assert (with_interval["value"] <= with_interval["ci_upper"] + 1e-9).all()


def test_trend_labels_follow_polarity(table):
    labelled = table.filter(pl.col("trend_label").is_not_null())
    assert set(labelled["trend_label"].cast(pl.String)) <= set(TREND_LABELS)
    improving = labelled.filter(pl.col("trend_label").cast(pl.String) == "improving trend")
    for row in improving.iter_rows(named=True):
        assert row["trend_p"] < 0.05
        assert (row["trend_slope"] > 0) == (row["polarity"] == "higher_better")
