"""Importing a national publication: the real ASCOF time series, a made-up table, and bad input.

Published values are cited as sheet!cell of ascof_timeseries_2015-16_to_2024-25.ods (NHS England /
DHSC, OGL v3.0), the copy in examples/ascof-england/data.
"""

import time
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
import yaml

from boardpack.errors import BoardpackError
from boardpack.sources.national import (
    PublicationConfig,
    load_config,
    load_measures,
    read_publication,
)
from boardpack.sources.readers import ReadError

ROOT = Path(__file__).resolve().parents[1]
ODS = ROOT / "examples/ascof-england/data/ascof_timeseries_2015-16_to_2024-25.ods"
# the derived check file in the shared reference data beside the checkout (../shared)
LONG_CSV = ROOT.parent / "shared/data/ascof/ascof_timeseries_2015-16_to_2024-25_long.csv"
FIELDS = {
    "outcome": "value",
    "numerator": "numerator",
    "denominator": "denominator",
    "margin of error": "margin_of_error",
    "number of respondents": "respondents",
}


@pytest.fixture(scope="module")
def national():
    started = time.perf_counter()
    data = read_publication(ODS)
    print(f"\nASCOF import: {time.perf_counter() - started:.3f} s, {data.values.height} rows")
    return data


def one(values: pl.DataFrame, measure: str, organisation: str, period: str) -> dict:
    rows = values.filter(
        (pl.col("measure") == measure)
        & (pl.col("organisation") == organisation)
        & (pl.col("period") == period)
    )
    assert rows.height == 1
    return rows.row(0, named=True)


def test_frame_columns_and_types(national):
    assert national.values.columns == [
        "measure", "area_code", "area_name", "area_kind", "organisation", "period",
        "value", "numerator", "denominator", "margin_of_error", "respondents",
        "value_marker", "numerator_marker", "denominator_marker",
    ]  # fmt: skip
    for name in ("value", "numerator", "denominator", "margin_of_error", "respondents"):
        assert national.values.schema[name] == pl.Float64
    keys = ["measure", "organisation", "period"]
    assert national.values.select(keys).is_duplicated().sum() == 0
    assert national.measures.columns[:4] == ["measure", "title", "sheet", "fields"]


def test_measures_match_the_contents_sheet(national):
    # Contents sheet, column A "Metric", rows 5-29 (25 measures; "6A " has a trailing space)
    assert national.measures["measure"].to_list() == [
        "1A", "1B", "1C", "1D", "1E", "2A", "2B", "2C", "2D(1)", "2D(2)", "2E(1)", "2E(2a)",
        "2E(2b)", "3A", "3B", "3C(1)", "3C(2)", "3D(1a)", "3D(2a)", "4A", "4B", "5A(1)",
        "5A(2)", "6A", "6B",
    ]  # fmt: skip
    row = national.measures.filter(pl.col("measure") == "2D(1)").row(0, named=True)
    assert row["sheet"] == "Table_2d(1)"
    assert row["title"].startswith("The proportion of people aged 65 and over discharged")
    assert row["fields"] == ["value", "numerator", "denominator"]


def test_periods_are_financial_year_labels(national):
    periods = sorted(national.values["period"].unique())
    assert periods == [f"{year}/{(year + 1) % 100:02d}" for year in range(2015, 2025)]
    # Table_1b starts in 2016 to 2017 (Contents!D6 "2016 to 2017"); Table_2b is CLD, 2024-25 only
    first = national.values.group_by("measure").agg(pl.col("period").min())
    starts = dict(first.iter_rows())
    assert starts["1B"] == "2016/17" and starts["2B"] == "2024/25" and starts["6A"] == "2023/24"


def test_council_counts(national):
    councils = national.values.filter(pl.col("area_kind") == "council")
    # 158 council rows in the 10-year tables (153 councils now plus Cumbria, Northamptonshire,
    # Bournemouth, Poole and Dorset County), 153 in the CLD tables, 154 in 4b
    rows = councils.group_by("measure").agg(pl.col("organisation").n_unique())
    counts = dict(rows.iter_rows())
    assert counts["1A"] == 158 and counts["2B"] == 153 and counts["4B"] == 154
    with_value = councils.filter(pl.col("value").is_not_null())
    per_year = dict(
        with_value.group_by("period").agg(pl.col("organisation").n_unique()).iter_rows()
    )
    # 2020/21: only the 18 councils that ran the voluntary survey (Notes sheet, note 2)
    assert per_year["2020/21"] == 18
    assert per_year["2015/16"] == 150 and per_year["2024/25"] == 154
    kinds = national.values.filter(pl.col("measure") == "1A", pl.col("period") == "2015/16")
    assert dict(kinds.group_by("area_kind").len().iter_rows()) == {
        "england": 1, "council_type": 6, "region": 9, "council": 158,
    }  # fmt: skip


def test_published_cells(national):
    values = national.values
    # Table_1a row 7 (England): D7 0.0 margin, E7 63188 respondents, F7 19.1 outcome (2015 to 2016)
    england = one(values, "1A", "E92000001", "2015/16")
    assert (england["margin_of_error"], england["respondents"], england["value"]) == (
        0.0,
        63188.0,
        19.1,
    )
    assert england["area_kind"] == "england" and england["area_code"] == "England"
    # Table_1a row 180 (H6X4G Cumberland): AF180 285 respondents, AG180 19.5 (2024 to 2025)
    cumberland = one(values, "1A", "E06000063", "2024/25")
    assert (cumberland["respondents"], cumberland["value"]) == (285.0, 19.5)
    assert cumberland["area_code"] == "H6X4G"
    # Table_2b row 8 (England): D8 6035, E8 35455995, F8 17.0
    admissions = one(values, "2B", "E92000001", "2024/25")
    assert (admissions["numerator"], admissions["denominator"], admissions["value"]) == (
        6035.0, 35455995.0, 17.0,
    )  # fmt: skip
    # Table_1a row 8: "S", "Shire Counties", ONS "[z]" -> organisation is the publisher code
    shire = one(values, "1A", "S", "2015/16")
    assert shire["area_kind"] == "council_type" and shire["value"] == 19.2
    # Table_1a row 15: "EM", East Midlands, E12000004
    assert one(values, "1A", "E12000004", "2015/16")["area_code"] == "EM"
    # CASSR codes are numbers in the sheet (102.0) and text here
    assert one(values, "1A", "E10000006", "2015/16")["area_code"] == "102"


def test_a_b_cells_keep_the_official_figure_and_the_bracketed_one(national):
    # Table_1c row 7 (England), 2016 to 2017: G7 "0 (0.5)", H7 "51,230 (35,415)", I7 "7.7 (7.6)"
    england = one(national.values, "1C", "E92000001", "2016/17")
    assert (england["margin_of_error"], england["respondents"], england["value"]) == (
        0.0,
        51230.0,
        7.7,
    )
    original = national.breakdowns.filter(
        (pl.col("measure") == "1C")
        & (pl.col("organisation") == "E92000001")
        & (pl.col("breakdown") == "original eligible population")
    ).row(0, named=True)
    assert (original["margin_of_error"], original["respondents"], original["value"]) == (
        0.5,
        35415.0,
        7.6,
    )


def test_breakdowns_of_6b_are_kept_apart(national):
    # Table_6b row 9 (England), 2023 to 2024: D9..F9 outstanding 605/14105/4.3; S9..U9 "6b" 11331/14105/80.3
    headline = one(national.values, "6B", "E92000001", "2023/24")
    assert (headline["numerator"], headline["denominator"], headline["value"]) == (
        11331.0,
        14105.0,
        80.3,
    )
    outstanding = national.breakdowns.filter(
        (pl.col("measure") == "6B")
        & (pl.col("organisation") == "E92000001")
        & (pl.col("period") == "2023/24")
        & (pl.col("breakdown") == "outstanding")
    ).row(0, named=True)
    assert (outstanding["numerator"], outstanding["value"]) == (605.0, 4.3)


def test_suppression_markers_are_preserved(national):
    # Table_2b row 91 (510 Rutland): D91, E91, F91 are all "[c]"
    rutland = one(national.values, "2B", "E06000017", "2024/25")
    assert rutland["value"] is None and rutland["numerator"] is None
    assert (rutland["value_marker"], rutland["numerator_marker"], rutland["denominator_marker"]) == (
        "[c]", "[c]", "[c]",
    )  # fmt: skip
    # Table_1a row 7 (England), 2020 to 2021: S7..U7 "[x]" (survey not run nationally, note 2)
    assert one(national.values, "1A", "E92000001", "2020/21")["value_marker"] == "[x]"
    # Table_1a row 14 "D" District: "[z]" in 2015 to 2016
    assert one(national.values, "1A", "D", "2015/16")["value_marker"] == "[z]"
    # a marker never sits beside a number
    both = national.values.filter(
        pl.col("value").is_not_null() & pl.col("value_marker").is_not_null()
    )
    assert both.height == 0
    assert set(national.values["value_marker"].drop_nulls().unique()) == {"[c]", "[x]", "[z]"}


def test_every_number_agrees_with_the_long_check_file(national):
    check = (
        pl.read_csv(LONG_CSV, infer_schema=False)
        .filter(pl.col("field").is_in(list(FIELDS)), pl.col("value_numeric").is_not_null())
        .select(
            measure=pl.col("measure").str.to_uppercase(),
            area_name="la_name",
            period=pl.col("year").str.replace(r"^(\d{4}) to \d{2}(\d{2})$", "$1/$2"),
            field=pl.col("field").replace_strict(FIELDS),
            expected=pl.col("value_numeric").cast(pl.Float64),
            shown=pl.col("value_raw").str.extract(r"\.(\d+)$").str.len_chars().fill_null(0),
        )
    )
    ours = national.values.with_columns(measure=pl.col("measure").str.to_uppercase()).unpivot(
        index=["measure", "area_name", "period"],
        on=list(FIELDS.values()),
        variable_name="field",
        value_name="ours",
    )
    joined = check.join(ours, on=["measure", "area_name", "period", "field"], how="left")
    # Dorset and Dorset County share CASSR 809 but differ in name, so the name is a key here
    assert joined["ours"].null_count() == 0
    assert joined.height > 40_000
    # The check file holds the text each cell shows; a few cells store more decimals than their
    # format shows (Table_2d(1)!F23, Northumberland: stores 67.14, shows 67.1), and Boardpack
    # keeps the stored number. So each agrees within half a unit of the last decimal shown.
    difference = (joined["ours"] - joined["expected"]).abs()
    half_unit = 0.5 * 10.0 ** (-joined["shown"].cast(pl.Float64))
    assert (difference <= half_unit + 1e-9).all()
    assert (difference < 1e-9).mean() > 0.99


def test_england_ratios_recompute_from_numerator_and_denominator(national):
    measures = load_measures().filter(pl.col("scale").is_not_null())
    england = (
        national.values.filter(pl.col("area_kind") == "england", pl.col("value").is_not_null())
        .join(measures.select("measure", "scale"), on="measure")
        .with_columns(recomputed=pl.col("numerator") / pl.col("denominator") * pl.col("scale"))
    )
    assert england.height >= 12
    # outcomes are published to one decimal place (Cover sheet, "Further information")
    assert (england["recomputed"] - england["value"]).abs().max() <= 0.05 + 1e-9


# --- a different publication, configured rather than coded -------------------------------

OTHER_CONFIG = {
    "name": "regional-housing",
    "sheets": {"pattern": r"^Measure (?P<measure>H\d+)$", "measure_case": "as_is"},
    "contents": None,
    "title_cell": "A1",
    "header": {"contains": ["Code", "Area"], "within_rows": 10},
    "columns": {"area_code": "Code", "area_name": "Area", "ons_code": None},
    "period_header": r"^(?P<field>.+?) (?P<period>\d{4}-\d{2})$",
    "period": {"pattern": r"^(?P<start>\d{4})-(?P<end>\d{2})$", "label": "{start}/{end2}"},
    "fields": {"rate": "value", "households": "numerator", "population": "denominator"},
    "markers": {"*": "suppressed", "..": "not available"},
    "bracketed": None,
    "area_kinds": [{"kind": "england", "area_codes": ["ENG"]}],
    "default_area_kind": "council",
}


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell is not None:
                    sheet.write(r, c, cell)
    workbook.close()
    return path


def housing_sheet(rate_cell="12.5"):
    return [
        ["Households in temporary accommodation per 1,000"],
        [],
        ["Code", "Area", "households 2022-23", "population 2022-23", "rate 2022-23"],
        ["ENG", "England", 1000, 80000, 12.5],
        ["X1", "Northtown", "*", "*", rate_cell],
        ["X2", "Southby", 30, 1000, 30.0],
    ]


def test_a_different_table_imports_with_configuration_only(tmp_path):
    config_file = tmp_path / "housing.yaml"
    config_file.write_text(yaml.safe_dump(OTHER_CONFIG), encoding="utf-8")
    path = write_xlsx(tmp_path / "housing.xlsx", {"Notes": [["x"]], "Measure H1": housing_sheet()})
    data = read_publication(path, config_file)
    assert data.measures["measure"].to_list() == ["H1"]
    assert data.measures["title"].to_list() == ["Households in temporary accommodation per 1,000"]
    rows = {row["area_code"]: row for row in data.values.iter_rows(named=True)}
    assert rows["ENG"]["area_kind"] == "england" and rows["ENG"]["period"] == "2022/23"
    assert rows["X1"]["numerator_marker"] == "*" and rows["X1"]["value"] == 12.5
    assert rows["X2"]["organisation"] == "X2" and rows["X2"]["area_kind"] == "council"
    assert rows["X2"]["numerator"] == 30.0 and rows["X2"]["respondents"] is None


def test_the_ascof_config_is_the_default_and_loads():
    config = load_config()
    assert isinstance(config, PublicationConfig)
    assert config.fields["margin of error"] == "margin_of_error"
    assert config.markers == {"[c]": "suppressed", "[x]": "not available", "[z]": "not applicable"}


# --- bad input ---------------------------------------------------------------------------


def problems_of(path, config) -> list:
    with pytest.raises(BoardpackError) as caught:
        read_publication(path, PublicationConfig.model_validate(config))
    return caught.value.problems


def test_a_bad_value_names_file_sheet_row_column_and_value(tmp_path):
    path = write_xlsx(tmp_path / "bad.xlsx", {"Measure H1": housing_sheet(rate_cell="n/a")})
    [problem] = problems_of(path, OTHER_CONFIG)
    assert problem.file == str(path) and problem.sheet == "Measure H1"
    assert problem.row == 5 and problem.column == "E (rate 2022-23)" and problem.value == "n/a"
    assert "neither a number nor a known marker" in str(problem)


def test_every_problem_is_listed_together(tmp_path):
    sheets = {
        "Measure H1": housing_sheet(rate_cell="n/a"),
        "Measure H2": [
            ["Code", "Area", "rate 2022-23", "vacancies 2022-23"],
            ["X1", "Northtown", 1, 2],
        ],
        "Measure H3": [["no header here"], ["X1", "Northtown", 1]],
    }
    path = write_xlsx(tmp_path / "bad.xlsx", sheets)
    problems = problems_of(path, OTHER_CONFIG)
    where = {(problem.sheet, problem.row, problem.column) for problem in problems}
    assert ("Measure H1", 5, "E (rate 2022-23)") in where
    assert ("Measure H2", 1, "D") in where  # unknown field "vacancies"
    assert ("Measure H3", None, None) in where  # no header row
    text = "\n".join(str(problem) for problem in problems)
    assert 'unknown field "vacancies"' in text and "no header row" in text


def test_a_missing_sheet_listed_in_the_contents(tmp_path):
    config = {
        **OTHER_CONFIG,
        "contents": {"sheet": "Contents", "code_header": "Metric", "title_header": "Description"},
    }
    contents = [["Metric", "Description"], ["H1", "Temporary accommodation"], ["H2", "Vacancies"]]
    path = write_xlsx(
        tmp_path / "missing.xlsx", {"Contents": contents, "Measure H1": housing_sheet()}
    )
    [problem] = problems_of(path, config)
    assert (problem.sheet, problem.row, problem.value) == ("Contents", 3, "H2")
    assert "missing sheet" in problem.what


def test_a_missing_area_column_and_a_bad_period(tmp_path):
    rows = [["Code", "Name", "rate 2022-24"], ["X1", "Northtown", 1]]
    config = {**OTHER_CONFIG, "header": {"contains": ["Code"], "within_rows": 5}}
    path = write_xlsx(tmp_path / "bad.xlsx", {"Measure H1": rows})
    reasons = [problem.what for problem in problems_of(path, config)]
    assert any('no column headed "Area"' in reason for reason in reasons)
    assert any('period "2022-24"' in reason for reason in reasons)


def test_a_row_without_any_code(tmp_path):
    rows = housing_sheet() + [["", "Nowhere", 1, 2, 3]]
    path = write_xlsx(tmp_path / "bad.xlsx", {"Measure H1": rows})
    [problem] = problems_of(path, OTHER_CONFIG)
    assert (problem.row, problem.value) == (7, "Nowhere") and "area_overrides" in problem.what


def test_no_matching_sheet_and_unreadable_files(tmp_path):
    path = write_xlsx(tmp_path / "other.xlsx", {"Sheet1": [["a"]]})
    problems = problems_of(path, OTHER_CONFIG)
    assert any("no sheet name matches" in problem.what for problem in problems)
    with pytest.raises(ReadError, match="file not found"):
        read_publication(tmp_path / "absent.ods")


def test_a_bad_config_names_the_setting(tmp_path):
    bad = {**OTHER_CONFIG, "fields": {"rate": "score"}}
    config_file = tmp_path / "bad.yaml"
    config_file.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(BoardpackError) as caught:
        load_config(config_file)
    assert "fields.rate" in str(caught.value)
