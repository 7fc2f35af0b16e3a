"""Budget monitoring: figures worked out and checked within rounding; totals; the headline;
finance-table formatting.

Published figures are from the London Borough of Barnet, Adults & Communities Delivery Unit
Report Q1 2015/16: the dashboard (1.1) and tables 4.1 Revenue and 4.2 Capital (seed:
barnet-2015-16-q1-adults-and-communities-delivery-unit-report.txt).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from boardpack import load_project
from boardpack.catalogue import load_project_file
from boardpack.engine.finance import headline
from boardpack.engine.money import UNIT_LABELS, money, money_columns, percent
from boardpack.errors import BoardpackError
from boardpack.sources.budget import read_capital, read_revenue

BARNET = Path(__file__).parents[1] / "examples" / "seeds" / "barnet-2015-16-q1"
PERIOD = "Q1 2015/16"
REVENUE_HEADER = "period,service_area,original_budget,revised_budget,forecast,variance,variance_pct"
CAPITAL_HEADER = "period,scheme,original_budget,slippage_cf,revised_budget,in_year_slippage,latest_budget,forecast,variance"


def project(tmp_path: Path, revenue: list[str] | None = None, capital=None, unit="thousands"):
    yaml = f"organisation: {{code: E09000003, name: Barnet}}\nbudget:\n  unit: {unit}\n"
    if revenue is not None:
        yaml += "  revenue: {file: revenue.csv}\n"
        (tmp_path / "revenue.csv").write_text("\n".join([REVENUE_HEADER, *revenue]) + "\n")
    if capital is not None:
        yaml += "  capital: {file: capital.csv, decimals: 2}\n"
        (tmp_path / "capital.csv").write_text("\n".join([CAPITAL_HEADER, *capital]) + "\n")
    (tmp_path / "boardpack.yaml").write_text(yaml)
    return load_project_file(tmp_path)


def revenue_problems(tmp_path, rows, **kwargs) -> list[str]:
    with pytest.raises(BoardpackError) as error:
        read_revenue(project(tmp_path, rows, **kwargs))
    return [str(p) for p in error.value.problems]


def capital_problems(tmp_path, rows) -> list[str]:
    with pytest.raises(BoardpackError) as error:
        read_capital(project(tmp_path, capital=rows))
    return [str(p) for p in error.value.problems]


# -- Barnet ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def barnet():
    return load_project(BARNET)


def test_barnet_headline_revenue_variance(barnet):
    head = headline(barnet.revenue, barnet.capital, PERIOD)
    # Dashboard 1.1: "Projected year-end revenue budget variance 3,234" (£000); 4.1: "forecast
    # overspend of £3.234m". Worked out from the printed Total line: 84,920 - 81,686.
    assert head["revenue_variance"] == 3234


def test_barnet_lines_add_to_the_total_within_rounding(barnet):
    lines = barnet.revenue.filter(~pl.col("is_total"))
    total = barnet.revenue.filter(pl.col("is_total")).row(0, named=True)
    assert lines.height == 11
    # The eleven lines' variances add to 3,233, one less than the printed totals give: each
    # line is rounded to £000 (within (11 + 1) / 2 of the total, so accepted).
    assert lines["variance"].sum() == 3233
    assert total["revised_budget"] - lines["revised_budget"].sum() == 0
    assert abs(total["forecast"] - lines["forecast"].sum()) <= 6
    # Each printed percentage is kept, and lies within rounding of variance / revised budget.
    worked = lines["variance"] / lines["revised_budget"] * 100
    allowed = 100 / lines["revised_budget"].abs() + 0.05
    assert ((lines["variance_pct"] - worked).abs() <= allowed).all()
    assert lines["variance_pct"].to_list()[:4] == [-2.6, -15.5, 7.4, 26.3]
    assert total["variance_pct"] == 4.0


def test_barnet_capital_headline_is_not_the_dashboards(barnet):
    head = headline(barnet.revenue, barnet.capital, PERIOD)
    scheme = barnet.capital.filter(~pl.col("is_total")).row(0, named=True)
    # Table 4.2: latest budget 3,044.91, forecast 3,044.66 (£000). The dashboard's "Capital
    # actual variance 936" does not follow from the table (see capital.csv).
    assert head["capital_variance"] == pytest.approx(scheme["forecast"] - scheme["latest_budget"])
    assert head["capital_variance"] == pytest.approx(-0.25)
    assert scheme["revised_budget"] == pytest.approx(
        scheme["original_budget"] + scheme["slippage_cf"]
    )
    assert (scheme["slippage"], scheme["new_budget"]) == (0, 0)  # printed "-"


def test_barnet_revenue_table_text(barnet):
    table = money_columns(barnet.revenue, ["original_budget", "forecast", "variance"], "thousands")
    first = table.row(0, named=True)
    assert (first["original_budget_text"], first["variance_pct_text"]) == ("(1,062)", "-2.6%")
    assert table.filter(pl.col("is_total"))["variance_text"].item() == "3,234"


# -- checks ------------------------------------------------------------------------------------


def test_a_variance_beyond_rounding_names_the_line_and_both_figures(tmp_path):
    (problem,) = revenue_problems(tmp_path, [f"{PERIOD},Safeguarding,732,732,924,190,"])
    assert problem.startswith('revenue.csv, row 2, column "variance": "190" ')
    assert "is 190 but forecast less revised budget gives 192" in problem
    assert '(line "Safeguarding")' in problem and "£000" in problem


def test_a_variance_within_rounding_is_kept_as_published(tmp_path):
    frame = read_revenue(project(tmp_path, [f"{PERIOD},Safeguarding,732,732,924,191,"]))
    assert frame["variance"].to_list() == [191, 191]


def test_a_percentage_beyond_rounding(tmp_path):
    (problem,) = revenue_problems(tmp_path, [f"{PERIOD},Safeguarding,732,732,924,,27.5%"])
    assert 'column "variance_pct": "27.5%"' in problem and "26.2%" in problem


def test_a_total_beyond_rounding_of_its_lines(tmp_path):
    rows = [
        f"{PERIOD},A,100,100,110,,",
        f"{PERIOD},B,200,200,190,,",
        f"{PERIOD},Total,300,302,300,,",
    ]
    (problem,) = revenue_problems(tmp_path, rows)
    assert 'row 4, column "revised_budget": "302"' in problem
    assert "is 302 but the sum of the 2 lines gives 300" in problem
    assert "rounding allows (1.5 in £000)" in problem and '(line "Total")' in problem


def test_totals_are_worked_out_when_not_given(tmp_path):
    rows = [f"{PERIOD},A,100,100,110,,", f"{PERIOD},B,(200),(200),(190),,"]
    frame = read_revenue(project(tmp_path, rows))
    total = frame.filter(pl.col("is_total")).row(0, named=True)
    assert (total["revised_budget"], total["forecast"], total["variance"]) == (-100, -80, 20)
    assert total["variance_pct"] == pytest.approx(-20.0)
    assert frame["line"].to_list() == [1, 2, None]


def test_lines_need_a_budget_and_forecast_and_numbers(tmp_path):
    problems = revenue_problems(tmp_path, [f"{PERIOD},A,100,,110,,", f"{PERIOD},B,1OO,100,90,,"])
    assert any('column "revised_budget"' in p and '(line "A")' in p for p in problems)
    assert any('column "original_budget": "1OO" is not a number' in p for p in problems)


def test_two_total_rows(tmp_path):
    rows = [f"{PERIOD},A,1,1,1,,", f"{PERIOD},Total,1,1,1,,", f"{PERIOD},total,1,1,1,,"]
    (problem,) = revenue_problems(tmp_path, rows)
    assert "row 4" in problem and "second total row for Q1 2015/16 (also row 3)" in problem


def test_pounds_are_named_in_messages(tmp_path):
    (problem,) = revenue_problems(tmp_path, [f"{PERIOD},A,100,100,110,5,"], unit="pounds")
    assert "(1 in £)" in problem


def test_capital_revised_budget_is_original_plus_slippage(tmp_path):
    (problem,) = capital_problems(tmp_path, [f"{PERIOD},Scheme,100,50,160,0,160,160,"])
    assert 'column "revised_budget": "160"' in problem
    assert "original budget plus slippage carried forward gives 150" in problem


def test_capital_variance_is_forecast_less_latest_budget(tmp_path):
    # Barnet prints 0.25 for a forecast 0.25 below the latest budget.
    row = f"{PERIOD},Adults & Communities,1400.66,1187.25,2587.91,457.00,3044.91,3044.66,0.25"
    frame = read_capital(project(tmp_path, capital=[row]))
    assert frame["variance"][0] == 0.25  # within rounding of £000, so kept as printed
    (problem,) = capital_problems(tmp_path, [row.replace(",0.25", ",2.25")])
    assert "forecast less latest budget gives (0.25)" in problem


def test_capital_figures_are_worked_out(tmp_path):
    frame = read_capital(project(tmp_path, capital=[f"{PERIOD},S,100,-,,20,,130,"]))
    line = frame.row(0, named=True)
    assert (line["slippage_cf"], line["revised_budget"], line["latest_budget"]) == (0, 100, 120)
    assert line["variance"] == 10


def test_capital_without_budget_figures(tmp_path):
    (problem,) = capital_problems(tmp_path, [f"{PERIOD},S,,,,,,130,"])
    assert 'column "revised_budget"' in problem and "cannot be worked out" in problem


# -- formatting --------------------------------------------------------------------------------


def test_money_as_finance_tables_write_it():
    values = pl.DataFrame({"v": [-1234.4, 1234567.0, 0.0, -0.4, None, -0.5]})
    thousands = values.select(money(pl.col("v")).alias("t"))["t"].to_list()
    assert thousands == ["(1,234)", "1,234,567", "0", "0", None, "(1)"]
    pounds = values.select(money(pl.col("v"), 2, "pounds").alias("t"))["t"].to_list()
    assert pounds[:4] == ["(£1,234.40)", "£1,234,567.00", "£0.00", "(£0.40)"]
    assert UNIT_LABELS == {"pounds": "£", "thousands": "£000"}


def test_percent_of_budget():
    values = pl.DataFrame({"v": [-2.56, 26.25, 4.0]})
    assert values.select(percent(pl.col("v")).alias("t"))["t"].to_list() == [
        "-2.6%",
        "26.3%",
        "4.0%",
    ]
