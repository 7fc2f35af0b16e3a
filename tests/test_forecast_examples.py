"""`boardpack evaluate` on every example project keeps the forecast's guard rails: no forecast
for a financial year already closed, none from fewer figures than docs/forecast.md states, and
no figure or interval outside the range of the indicator's unit. Each is checked from the
published columns themselves (dates, values, units), not from the forecast's own workings."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from boardpack.cli import main
from test_docs_forecast import documented_minimums

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# Every example whose figures are in its folder; one computed from client-level records needs
# them generated and loaded first (examples/records-county/README.md), which its own tests do.
PROJECTS = sorted(
    p.parent
    for p in EXAMPLES.rglob("boardpack.yaml")
    if not re.search(r"^records:", p.read_text(encoding="utf-8"), flags=re.M)
)
WINDOW = 8  # periods: the trend's window (docs/forecast.md)
RANGES = {"percent": (0.0, 100.0), "number": (0.0, None), "rate_per_100k": (0.0, None)}


def month(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def year_end(day: dt.date) -> dt.date:
    """The 31 March that ends the financial year holding `day`."""
    return dt.date(day.year + (day.month > 3), 3, 31)


def evaluated(project: Path) -> pl.DataFrame:
    result = CliRunner().invoke(main, ["evaluate", str(project)])
    assert result.exit_code == 0, result.output
    return pl.read_csv(
        io.StringIO(result.output), try_parse_dates=True, infer_schema_length=None
    ).with_columns(pl.col("period_end").cast(pl.Date))


def test_there_are_examples_with_forecasts():
    forecasts = sum(
        evaluated(p)["forecast_value"].drop_nulls().len()
        for p in PROJECTS
        if p.name == "example-county"
    )
    assert len(PROJECTS) >= 5 and forecasts > 0


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_no_forecast_for_a_closed_year(project):
    table = evaluated(project)
    latest = table.filter(pl.col("value").is_not_null())["period_end"].max()
    forecasts = table.filter(pl.col("forecast_value").is_not_null())
    closed = [
        (row["indicator"], row["period"])
        for row in forecasts.iter_rows(named=True)
        if year_end(row["period_end"]) <= latest
    ]
    assert closed == []


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_no_forecast_from_fewer_figures_than_documented(project):
    minimums = {code: least for code, (_, least) in documented_minimums().items()}
    day = pl.col("period_end")
    table = evaluated(project).with_columns((day.dt.year() * 12 + day.dt.month() - 1).alias("m"))
    too_few = []
    for (indicator, organisation), series in table.group_by("indicator", "organisation"):
        figures = series.filter(pl.col("value").is_not_null())
        step = int(series["m"].sort().diff().drop_nulls().min() or 1)
        for row in series.filter(pl.col("forecast_value").is_not_null()).iter_rows(named=True):
            if row["forecast_method"] == "linear_trend":
                first = row["m"] - WINDOW * step + 1
                held = figures.filter(pl.col("m").is_between(first, row["m"]))
            else:
                start = month(year_end(row["period_end"])) - 11
                held = figures.filter(pl.col("m").is_between(start, row["m"]))
            if not minimums[row["forecast_method"]] <= row["forecast_points"] <= held.height:
                too_few.append((indicator, organisation, row["period"], held.height))
    assert too_few == []


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_forecasts_and_intervals_stay_within_the_units_range(project):
    table = evaluated(project).filter(pl.col("forecast_value").is_not_null())
    outside = []
    for row in table.iter_rows(named=True):
        low, high = RANGES.get(row["unit"], (None, None))
        ends = [row["forecast_value"], row["forecast_lower"], row["forecast_upper"]]
        for figure in (f for f in ends if f is not None):
            if (low is not None and figure < low) or (high is not None and figure > high):
                outside.append((row["indicator"], row["period"], row["unit"], figure))
        if row["forecast_lower"] is not None:
            assert row["forecast_lower"] <= row["forecast_value"] <= row["forecast_upper"]
    assert outside == []
