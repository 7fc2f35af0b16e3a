"""Rating rules: a council's own rules as data (`kind: rules`), checked and applied."""

from __future__ import annotations

import textwrap

import polars as pl
import pytest

from boardpack.catalogue import CatalogueError, load_project_text
from boardpack.catalogue.conditions import ConditionError, parse_condition
from boardpack.engine import make_scheme
from engine_frames import indicator, series

# The London borough's published rule.
HAVERING = {
    "kind": "rules",
    "rules": [
        {"rag": "green", "when": "variance_pct >= -0.10", "meaning": "On target or within 10%"},
        {
            "rag": "amber",
            "when": "direction in ('improving', 'no_change')",
            "meaning": "More than 10% off target but improved or maintained",
        },
        {"rag": "red", "meaning": "More than 10% off target and worse"},
    ],
}
QUARTERS = ["Q1 2023/24", "Q2 2023/24", "Q3 2023/24", "Q4 2023/24"]


def rules_series(scheme: dict, values: list[float | None], target: float | None = 100, **kwargs):
    schemes = {"council": make_scheme("council", scheme)}
    ind = indicator("A", scheme="council", unit="number", decimals=0, **kwargs)
    return series(ind, dict(zip(QUARTERS, values, strict=True)), target, schemes=schemes)


def test_the_london_borough_rule_rates_red_amber_green_red():
    rows = rules_series(HAVERING, [80, 85, 95, 84])
    assert [r["rag"] for r in rows] == ["red", "amber", "green", "red"]


def test_every_reason_names_the_rule_that_gave_it():
    rows = rules_series(HAVERING, [80, 85, 95, 84])
    assert [r["rag_reason"] for r in rows] == [
        "Red: 80 is 20.0% worse than the target of 100 (rule 3: More than 10% off target and worse)",
        "Amber: 85 is 15.0% worse than the target of 100 "
        "(rule 2: More than 10% off target but improved or maintained)",
        "Green: 95 is 5.0% worse than the target of 100 (rule 1: On target or within 10%)",
        "Red: 84 is 16.0% worse than the target of 100 (rule 3: More than 10% off target and worse)",
    ]


def test_lower_is_better_turns_the_variance_round():
    rows = rules_series(HAVERING, [120, 115, 105, 116], polarity="lower_better")
    assert [r["rag"] for r in rows] == ["red", "amber", "green", "red"]


def test_a_scheme_using_the_target_gives_no_status_without_one():
    rows = rules_series(HAVERING, [80, 85, 95, 84], target=None)
    assert {r["rag"] for r in rows} == {"no_status"}
    assert rows[0]["rag_reason"] == "No status: no target is set for this period"


def test_when_no_rule_applies_the_figure_has_no_status():
    scheme = {"kind": "rules", "rules": [{"rag": "green", "when": "value > 90", "meaning": "Hi"}]}
    rows = rules_series(scheme, [80, 85, 95, 84], target=None)
    assert [r["rag"] for r in rows] == ["no_status", "no_status", "green", "no_status"]
    assert rows[0]["rag_reason"] == "No status: 80 (no rule applies)"
    assert rows[2]["rag_reason"] == "Green: 95 (rule 1: Hi)"


def test_rules_may_use_the_previous_rating():
    """Red after two misses in a row: each period's rating depends on the one before."""
    scheme = {
        "kind": "rules",
        "rules": [
            {"rag": "green", "when": "value >= target", "meaning": "Met"},
            {"rag": "red", "when": "previous_rag in ('amber', 'red')", "meaning": "Missed again"},
            {"rag": "amber", "meaning": "Missed once"},
        ],
    }
    rows = rules_series(scheme, [90, 95, 100, 90])
    assert [r["rag"] for r in rows] == ["amber", "red", "green", "amber"]
    assert [r["previous_rag"] for r in rows] == [None, "amber", "red", "green"]


def test_the_key_shows_each_rules_meaning():
    assert make_scheme("havering", HAVERING).key() == [
        ("Green", "On target or within 10%"),
        ("Amber", "More than 10% off target but improved or maintained"),
        ("Red", "More than 10% off target and worse"),
    ]


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("variance_pct >= ", "expected an expression at the end of the condition"),
        ("value ==== 2", "expected an expression, found == at character 9"),
        ("value > 1 valu", 'unexpected word "valu" (at character 11)'),
        ("varience_pct >= -0.1", 'unknown field "varience_pct" (at character 1)'),
        ("direction = 'improvng'", "'improvng' (at character 13) is not a rating or a direction"),
        ("direction > 5", "cannot be compared"),
        ("value + 1", "rather than true or false"),
        ("shell('ls') = 1", "cannot read the condition"),
    ],
)
def test_a_bad_condition_says_what_is_wrong(condition, message):
    with pytest.raises(ConditionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_condition(condition)


PROJECT = """\
organisation: {code: E09000016, name: Havering}
rating_schemes:
  havering:
    kind: rules
    rules:
      - {rag: green, when: "variance_pct >= -0.10", meaning: "On target or within 10%"}
      - {rag: amber, when: "direction in ('improving', 'no_change')", meaning: "Improved"}
      - {rag: red, meaning: "Worse"}
indicators:
  - {ref: A1, title: Reviews, polarity: higher_better, unit: number, frequency: quarterly,
     rating_scheme: havering}
"""


def test_a_project_names_a_rules_scheme():
    project = load_project_text(PROJECT)
    assert project.scheme("havering").kind == "rules"


def test_validate_names_the_scheme_the_rule_and_the_problem():
    text = PROJECT.replace("direction in", "directon in")
    with pytest.raises(CatalogueError) as caught:
        load_project_text(text)
    [problem] = caught.value.problems
    assert problem.field == "rating_schemes.havering.rules[1].when"
    assert problem.line == 7
    assert problem.what.startswith(
        'rule 2 of the rating scheme "havering": unknown field "directon" (at character 1)'
    )


def test_only_the_last_rule_may_leave_out_its_condition():
    text = PROJECT.replace('when: "variance_pct >= -0.10", ', "")
    with pytest.raises(CatalogueError, match="only the last rule may leave it out"):
        load_project_text(textwrap.dedent(text))


# "Reduce from 390 in March to zero": rated by the share of the way from baseline to target.
REDUCE = {
    "kind": "rules",
    "rules": [
        {"rag": "green", "when": "progress >= 1", "meaning": "Target reached"},
        {"rag": "amber", "when": "progress >= 0.5", "meaning": "At least half way"},
        {"rag": "red", "meaning": "Less than half way from the baseline to the target"},
    ],
}


def with_baseline(values: list[float], baseline: float | None = 390, **kwargs):
    from boardpack.engine import evaluate
    from engine_frames import indicators_frame, observation, observations_frame, rows

    row = indicator("B", polarity="lower_better", scheme="council", unit="number", decimals=0)
    frame = indicators_frame(row).with_columns(
        pl.lit(baseline, dtype=pl.Float64).alias("baseline"),
        pl.lit("Mar 2023").alias("baseline_period"),
    )
    figures = [observation("B", q, v, 0) for q, v in zip(QUARTERS, values, strict=True)]
    evaluated = evaluate(
        observations_frame(*figures), frame, schemes={"council": make_scheme("council", REDUCE)}
    )
    return rows(evaluated)


def test_progress_from_a_baseline_to_a_target_of_zero():
    rows = with_baseline([300, 195, 120, 0])
    assert [r["progress"] for r in rows] == pytest.approx([90 / 390, 0.5, 270 / 390, 1])
    assert [r["rag"] for r in rows] == ["red", "amber", "amber", "green"]
    assert rows[1]["rag_reason"] == (
        "Amber: 195 is above the target of 0, 50% of the way from 390 in Mar 2023 "
        "(rule 2: At least half way)"
    )


def test_without_a_baseline_progress_is_empty_and_the_rule_does_not_hold():
    rows = with_baseline([300, 195, 120, 0], baseline=None)
    assert [r["progress"] for r in rows] == [None] * 4
    assert {r["rag"] for r in rows} == {"red"}


def test_a_baseline_is_given_on_the_indicator():
    text = PROJECT.replace(
        "rating_scheme: havering}",
        "rating_scheme: havering, baseline: {period: Mar 2024, value: 390}}",
    )
    assert load_project_text(text).indicator("A1").baseline.value == 390
    with pytest.raises(CatalogueError) as caught:
        load_project_text(text.replace("Mar 2024", "Marchember"))
    assert [p.field for p in caught.value.problems] == ["indicators[0].baseline.period"]


# -- whole projects ----------------------------------------------------------------------------


def project_folder(tmp_path, catalogue: str, figures: list[tuple]) -> str:
    """A project folder: `catalogue` as boardpack.yaml, and (indicator, period, value, target)
    rows as its data file."""
    (tmp_path / "boardpack.yaml").write_text(
        catalogue + "data:\n  - file: figures.csv\n", encoding="utf-8"
    )
    lines = ["indicator,period,value,target"]
    lines += [",".join("" if v is None else str(v) for v in row) for row in figures]
    (tmp_path / "figures.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(tmp_path)


def evaluated_rows(folder: str) -> list[dict]:
    from boardpack.api import evaluate
    from engine_frames import rows

    return rows(evaluate(folder))


INFO_ONLY = """\
organisation: {code: E09000016, name: Havering}
indicators:
  - ref: C1
    title: Contacts
    polarity: higher_better
    unit: number
    frequency: quarterly
    targets: [{period: 2014/15, target: 100}]
    schemes: [{from: Q2 2014/15, scheme: info_only}]
"""


def test_an_indicator_is_for_information_only_from_a_period(tmp_path):
    figures = [("C1", q, v, None) for q, v in [("Q1 2014/15", 90), ("Q2 2014/15", 95)]]
    figures.append(("C1", "Q3 2014/15", 120, None))
    rows = evaluated_rows(project_folder(tmp_path, INFO_ONLY, figures))
    assert [r["rag"] for r in rows] == ["amber", "no_status", "no_status"]
    assert rows[1]["rag_reason"] == (
        "No status: 95 is 5.0% worse than the target of 100 (rule 1: For information only)"
    )


def test_the_key_shows_the_schemes_of_the_rows_shown(tmp_path):
    from boardpack.api import dataset_of, evaluate
    from boardpack.assemble import scheme_key

    folder = project_folder(tmp_path, INFO_ONLY, [("C1", "Q2 2014/15", 95, None)])
    rows = evaluate(folder).results
    assert scheme_key(dataset_of(folder), rows) == [("No status", "For information only")]


def test_a_scheme_from_a_period_is_checked():
    text = INFO_ONLY.replace("from: Q2 2014/15, scheme: info_only", "from: Q5, scheme: info_ony")
    with pytest.raises(CatalogueError) as caught:
        load_project_text(text)
    fields = [p.field for p in caught.value.problems]
    assert fields == ["indicators[0].schemes[0].scheme", "indicators[0].schemes[0].from"]
    assert 'did you mean "info_only"' in caught.value.problems[0].what


# -- percentages in points -------------------------------------------------------------------


def percent_figure(percentages: str | None) -> dict:
    from engine_frames import observation, one

    config = {"kind": "variance_bands", "bands": [{"rag": "green", "min_pct": 0}, {"rag": "red"}]}
    if percentages:
        config["percentages"] = percentages
    schemes = {"council": make_scheme("council", config)}
    ind = indicator("P", polarity="lower_better", scheme="council")
    return one(ind, observation("P", "Q2 2019/20", 59.5, 34.0), schemes=schemes)


def test_percentages_are_told_in_points_unless_the_scheme_says_relative():
    points, relative = percent_figure(None), percent_figure("relative")
    assert points["rag_reason"] == (
        "Red: 59.5% is 25.5 percentage points worse than the target of 34.0% "
        "(Red: any other result)"
    )
    assert relative["rag_reason"] == (
        "Red: 59.5% is 75.0% worse than the target of 34.0% (Red: any other result)"
    )
    assert points["variance_points"] == pytest.approx(-25.5)


def test_the_target_variance_column_follows_the_scheme():
    from boardpack.engine.formatting import variance_pct_text

    rows = pl.DataFrame([percent_figure(None), percent_figure("relative")])
    assert variance_pct_text(rows).to_list() == ["-25.5 points", "-75.0%"]


# -- placeholder targets -----------------------------------------------------------------------

PLACEHOLDER = """\
organisation: {code: E09000016, name: Havering}
settings: {target_placeholder: 0}
indicators:
  - {ref: D1, title: Delays, polarity: lower_better, unit: number, frequency: quarterly}
  - {ref: D2, title: Never events, polarity: lower_better, unit: number, frequency: quarterly,
     target_placeholder: -1}
"""


def test_a_placeholder_target_is_not_rated_against(tmp_path):
    figures = [("D1", "Q1 2023/24", 12, 0), ("D1", "Q2 2023/24", 12, 10)]
    figures += [("D2", "Q1 2023/24", 2, 0)]
    rows = evaluated_rows(project_folder(tmp_path, PLACEHOLDER, figures))
    assert [(r["indicator"], r["rag"], r["target"]) for r in rows] == [
        ("D1", "no_status", None),
        ("D1", "amber", 10),
        ("D2", "amber", 0),  # its own placeholder is -1: a target of 0 is real
    ]
    assert rows[0]["rag_reason"] == (
        "No status: the target of 0 is a placeholder (no target yet), so the figure is not rated"
    )


# -- like for like -------------------------------------------------------------------------------


def ytd_rows(measurement: str, direction_basis: str | None = None):
    from boardpack.engine import evaluate
    from engine_frames import indicators_frame, observation, observations_frame

    row = indicator("Y", polarity="lower_better", unit="number", decimals=2)
    frame = indicators_frame(row).with_columns(
        pl.lit(measurement).alias("measurement"),
        pl.lit(direction_basis, dtype=pl.String).alias("direction_basis"),
    )
    figures = {"Q1 2022/23": 2.4, "Q4 2022/23": 8.1, "Q1 2023/24": 2.6}
    observations = [observation("Y", q, v, 3.0) for q, v in figures.items()]
    evaluated = evaluate(observations_frame(*observations), frame)
    return evaluated.report(evaluated.results["end_month"].max())


def test_a_year_to_date_figure_is_compared_with_the_same_period_last_year():
    """Q1's 2.60 is not "improving" on last year's full-year 8.10: it is worse than 2.40."""
    [row] = ytd_rows("year_to_date").to_dicts()
    assert (row["direction"], row["direction_basis"]) == ("worsening", "same_period_last_year")
    assert row["direction_reason"] == (
        "Worsening on the same period last year (2.40); "
        "a year-to-date figure is compared like with like"
    )


def test_other_measures_are_compared_with_the_previous_period():
    [row] = ytd_rows("rolling_12_months").to_dicts()
    assert (row["direction"], row["direction_basis"]) == ("improving", "previous_period")
    assert row["direction_reason"] == "Improving on the previous period (8.10)"


def test_an_indicator_may_say_what_its_direction_compares_with():
    [row] = ytd_rows("year_to_date", "previous_period").to_dicts()
    assert row["direction"] == "improving"


# -- stale figures -------------------------------------------------------------------------------


def stale_report(count_stale: bool):
    from boardpack.engine import EngineSettings
    from boardpack.periods import parse_period
    from engine_frames import observation, run

    indicators = [indicator("NEW", unit="number", decimals=0), indicator("OLD", unit="number")]
    indicators[1]["decimals"] = 0
    figures = [observation("NEW", "Q2 2023/24", 90, 100), observation("OLD", "Q4 2022/23", 80, 100)]
    evaluated = run(indicators, figures, settings=EngineSettings(count_stale=count_stale))
    rows = evaluated.report(parse_period("Q2 2023/24").end_month)
    return rows, evaluated.summary(rows.filter("due"))


def test_a_stale_figure_shows_its_period_and_is_not_counted_as_current():
    rows, summary = stale_report(count_stale=False)
    old = rows.filter(pl.col("indicator") == "OLD").row(0, named=True)
    assert (old["stale"], old["value_text"]) == (True, "80 (Q4 2022/23)")
    assert rows.filter(pl.col("indicator") == "NEW")["value_text"].to_list() == ["90"]
    counts = summary.row(0, named=True)
    assert (counts["amber"], counts["rated"], counts["stale"]) == (1, 1, 1)


def test_settings_may_count_stale_figures():
    _, summary = stale_report(count_stale=True)
    counts = summary.row(0, named=True)
    assert (counts["amber"], counts["rated"], counts["stale"]) == (2, 2, 1)


def test_rules_sharing_a_rating_share_its_line_of_the_key():
    scheme = {
        "kind": "rules",
        "rules": [
            {"rag": "red", "when": "variance_pct < -0.20", "meaning": "More than 20% off"},
            {"rag": "red", "when": "direction = 'worsening'", "meaning": "Worse than before"},
            {"rag": "green", "meaning": "Otherwise"},
        ],
    }
    assert make_scheme("s", scheme).key() == [
        ("Red", "More than 20% off; or worse than before"),
        ("Green", "Otherwise"),
    ]


def test_a_baseline_given_with_the_figures_wins_over_the_indicators():
    from boardpack.engine import evaluate
    from engine_frames import indicators_frame, observation, observations_frame, rows

    row = indicator("B", polarity="lower_better", scheme="council", unit="number", decimals=0)
    frame = indicators_frame(row).with_columns(pl.lit(390.0).alias("baseline"))
    figures = observations_frame(*(observation("B", q, 195, 0) for q in QUARTERS[:2]))
    figures = figures.with_columns(pl.Series("baseline", [None, 200.0]))
    schemes = {"council": make_scheme("council", REDUCE)}
    got = rows(evaluate(figures, frame, schemes=schemes))
    assert [r["progress"] for r in got] == pytest.approx([0.5, 0.025])


BASELINE_COLUMN = """\
organisation: {code: E09000016, name: Havering}
settings: {default_rating_scheme: reduce}
rating_schemes:
  reduce:
    kind: rules
    rules:
      - {rag: green, when: "progress >= 1", meaning: "Target reached"}
      - {rag: amber, when: "progress >= 0.5", meaning: "At least half way"}
      - {rag: red, meaning: "Less than half way"}
indicators:
  - {ref: B1, title: Rough sleepers, polarity: lower_better, unit: number, frequency: quarterly}
data:
  - file: figures.csv
    period: Q1 2025/26
    columns: {Ref: indicator, Now: value, Aim: target, Start (Mar 2025): baseline}
"""


def test_a_baseline_column_of_a_data_file_is_read(tmp_path):
    (tmp_path / "boardpack.yaml").write_text(BASELINE_COLUMN, encoding="utf-8")
    (tmp_path / "figures.csv").write_text(
        "Ref,Now,Aim,Start (Mar 2025)\nB1,195,0,390\n", encoding="utf-8"
    )
    (row,) = evaluated_rows(str(tmp_path))
    assert (row["baseline"], row["progress"], row["rag"]) == (390.0, 0.5, "amber")


@pytest.mark.parametrize(("value", "target"), [(6.3, 7), (8.1, 9), (29.7, 33), (90, 100)])
def test_exactly_ten_percent_off_is_within_ten_percent(value, target):
    scheme = {"kind": "rules", "rules": HAVERING["rules"][:1] + [{"rag": "red", "meaning": "No"}]}
    schemes = {"council": make_scheme("council", scheme)}
    ind = indicator("A", scheme="council", unit="number", decimals=1)
    [row] = series(ind, {QUARTERS[0]: value}, target, schemes=schemes)
    assert row["rag"] == "green"
    assert row["variance_pct"] == pytest.approx(-0.1)
