"""The `boardpack` command, run as a user runs it, on small projects written for each test."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from boardpack.catalogue import RAGS, project_json_schema
from boardpack.cli import main
from boardpack.engine import CONTRACT_COLUMNS
from test_dataset import HEADER, write_project

KENT = Path(__file__).resolve().parent.parent / "examples" / "seeds" / "kent-2011-12-q2"
DIRECTIONS = {"improving", "no_change", "worsening", "not_applicable"}
CATALOGUE = (
    HEADER
    + """
indicators:
  - ref: ASCH2
    title: Assessments completed within 28 days
    polarity: higher_better
    unit: percent
    frequency: quarterly
    rating_scheme: threshold
    targets: [{period: 2023/24, target: 90, floor: 80}]
  - ref: ADM
    title: Admissions to care homes
    polarity: lower_better
    unit: number
    frequency: quarterly
    targets: [{period: 2023/24, target: 50}]
  - {ref: ACT, title: Contacts received, polarity: none, unit: number, frequency: quarterly}
"""
)
FIGURES = """indicator,period,value
ASCH2,Q1 2023/24,92
ASCH2,Q2 2023/24,85
ASCH2,Q3 2023/24,75
ADM,Q1 2023/24,40
ADM,Q2 2023/24,58
ACT,Q1 2023/24,1200
ACT,Q2 2023/24,1100
"""
BAD_FIGURES = """indicator,period,value
ASCH22,Q1 2023/24,92
ADM,Q1 2023/24,12..5
ACT,Q5 2023/24,1100
"""


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def project(tmp_path) -> Path:
    return write_project(
        tmp_path / "project",
        CATALOGUE,
        FIGURES,
        {"Q2 2023/24": "# ASCH2\n\n## Actions\n\nWeekend clinics.\n"},
    )


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- evaluate -----------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["written", "kent"])
def test_evaluate_csv_starts_with_the_contract_columns_in_order(project, folder):
    result = run("evaluate", project if folder == "written" else KENT, "--format", "csv")
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split(",")
    assert header[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS


@pytest.mark.parametrize("folder", ["written", "kent"])
def test_evaluate_csv_uses_only_the_published_rating_and_direction_words(project, folder):
    rows = read_csv(run("evaluate", project if folder == "written" else KENT).output)
    assert rows
    assert {row["rag"] for row in rows} <= set(RAGS)
    assert {row["previous_rag"] for row in rows} <= set(RAGS) | {""}
    for column in ("direction", "direction_vs_last_year"):
        assert {row[column] for row in rows} <= DIRECTIONS


def test_evaluate_csv_has_one_row_per_figure_with_its_rating(project):
    rows = read_csv(run("evaluate", project).output)
    ratings = {(row["indicator"], row["period"]): row["rag"] for row in rows}
    assert ratings == {
        ("ASCH2", "Q1 2023/24"): "green",
        ("ASCH2", "Q2 2023/24"): "amber",
        ("ASCH2", "Q3 2023/24"): "red",
        ("ADM", "Q1 2023/24"): "green",
        ("ADM", "Q2 2023/24"): "red_amber",  # 16% worse: variance bands
        ("ACT", "Q1 2023/24"): "no_status",
        ("ACT", "Q2 2023/24"): "no_status",
    }
    assert [row["indicator"] for row in rows][:3] == ["ASCH2"] * 3  # catalogue order


def test_evaluate_json_is_a_list_of_objects_with_the_same_keys(project):
    as_csv = read_csv(run("evaluate", project, "--format", "csv").output)
    result = run("evaluate", project, "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert isinstance(records, list) and len(records) == len(as_csv)
    assert all(list(record)[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS for record in records)
    assert all(list(record) == list(as_csv[0]) for record in records)
    assert {record["rag"] for record in records} <= set(RAGS)
    assert records[0]["period_start"] == "2023-04-01"


def test_evaluate_out_writes_the_file_instead_of_printing(project, tmp_path):
    out = tmp_path / "open-data.csv"
    result = run("evaluate", project, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert out.read_text(encoding="utf-8") == run("evaluate", project).output


# --- validate -----------------------------------------------------------------------------------


def test_validate_a_good_project_says_no_problems(project):
    result = run("validate", project)
    assert result.exit_code == 0, result.output
    assert "3 indicators" in result.output
    assert "7 figures" in result.output
    assert "no problems found" in result.output


def test_validate_lists_every_problem_in_a_data_file_and_builds_nothing(tmp_path):
    folder = write_project(tmp_path, CATALOGUE, BAD_FIGURES)
    result = run("validate", folder)
    assert result.exit_code == 1
    assert "3 problems found; nothing was loaded." in result.output
    assert 'data/figures.csv, row 2, column "indicator": "ASCH22"' in result.output
    assert 'data/figures.csv, row 3, column "value": "12..5"' in result.output
    assert 'data/figures.csv, row 4, column "period": "Q5 2023/24"' in result.output
    assert "Traceback" not in result.output


def test_validate_reports_a_catalogue_error_with_its_line(tmp_path):
    catalogue = CATALOGUE.replace("polarity: lower_better", "polarity: lower")
    line = 1 + catalogue[: catalogue.index("polarity: lower")].count("\n")
    result = run("validate", write_project(tmp_path, catalogue, FIGURES))
    assert result.exit_code == 1
    assert f"boardpack.yaml, line {line} (indicators[1].polarity)" in result.output
    assert "lower_better" in result.output
    assert "nothing was loaded" in result.output


def test_validate_reports_commentary_problems(project):
    (project / "commentary" / "1.md").write_text("# ASCH3\n", encoding="utf-8")
    result = run("validate", project)
    assert result.exit_code == 1
    assert 'commentary/1.md, line 1: no indicator "ASCH3"' in result.output


def test_validate_lists_data_and_commentary_problems_together(tmp_path):
    folder = write_project(tmp_path, CATALOGUE, BAD_FIGURES, {"Q2 2023/24": "# ASCH3\n"})
    result = run("validate", folder)
    assert result.exit_code == 1
    assert "4 problems found" in result.output
    assert 'commentary/1.md, line 1: no indicator "ASCH3"' in result.output


# --- build --------------------------------------------------------------------------------------


def test_build_writes_the_pack_and_says_where(project, tmp_path):
    out = tmp_path / "pack"
    result = run("build", project, "--out", out)
    assert result.exit_code == 0, result.output
    index = out / "index.html"
    assert index.is_file()
    assert str(index) in result.output
    assert "Q3 2023/24" in result.output  # the latest quarter with figures
    assert "Assessments completed within 28 days" in index.read_text(encoding="utf-8")


def test_build_for_a_chosen_period_and_layout(project, tmp_path):
    out = tmp_path / "pack"
    result = run("build", project, "--period", "Q2 2023/24", "--layout", "scorecard", "--out", out)
    assert result.exit_code == 0, result.output
    assert "scorecard pack for Q2 2023/24" in result.output
    assert (out / "index.html").is_file()


def test_build_with_an_unreadable_period_is_a_problem_not_a_crash(project, tmp_path):
    result = run("build", project, "--period", "Q5 2023/24", "--out", tmp_path / "pack")
    assert result.exit_code == 1
    assert '"Q5 2023/24"' in result.output
    assert not (tmp_path / "pack").exists()


def test_build_with_an_unknown_layout_lists_the_layouts(project, tmp_path):
    result = run("build", project, "--layout", "nope", "--out", tmp_path / "pack")
    assert result.exit_code == 2  # a usage error, as click reports bad options
    assert isinstance(result.exception, SystemExit)
    assert '"nope"' in result.output
    assert "quarterly-report" in result.output and "scorecard" in result.output


def test_build_without_figures_asks_for_a_period(tmp_path):
    folder = write_project(tmp_path, CATALOGUE, "indicator,period,value\nASCH2,Q1 2023/24,\n")
    result = run("build", folder, "--out", tmp_path / "pack")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "--period" in result.output


# --- schema, periods, layouts -------------------------------------------------------------------


def test_schema_prints_the_project_json_schema():
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.output) == project_json_schema()


def test_periods_prints_kind_and_canonical_label():
    result = run("periods", "Sept 10", "Q2 2011/12")
    assert result.exit_code == 0, result.output
    rows = read_csv(result.output)
    assert [(r["label"], r["kind"], r["period"]) for r in rows] == [
        ("Sept 10", "month", "Sep 2010"),
        ("Q2 2011/12", "quarter", "Q2 2011/12"),
    ]
    assert (rows[1]["start"], rows[1]["end"]) == ("2011-07-01", "2011-09-30")
    assert (rows[1]["previous"], rows[1]["last_year"]) == ("Q1 2011/12", "Q2 2010/11")


def test_periods_reads_a_date_with_the_frequency_given():
    rows = read_csv(run("periods", "30/09/2019", "--frequency", "quarterly").output)
    assert (rows[0]["kind"], rows[0]["period"]) == ("quarter", "Q2 2019/20")


def test_periods_reads_a_month_as_the_data_files_do_for_the_frequency_given():
    rows = read_csv(run("periods", "Sept 10", "--frequency", "quarterly").output)
    assert (rows[0]["kind"], rows[0]["period"]) == ("quarter", "Q2 2010/11")


def test_periods_explains_a_label_it_cannot_read():
    result = run("periods", "Decc 10")
    assert result.exit_code == 1
    assert 'Cannot read the period "Decc 10"' in result.output
    assert "Q2 2019/20" in result.output


def test_layouts_lists_the_registered_layouts():
    result = run("layouts")
    assert result.exit_code == 0
    names = [line.split(":")[0] for line in result.output.splitlines()]
    assert {"quarterly-report", "scorecard"} <= set(names)


def test_build_for_an_organisation_with_no_figures_names_those_there_are(project, tmp_path):
    result = run("build", project, "--organisation", "XYZ", "--out", tmp_path / "pack")
    assert result.exit_code == 1
    assert 'No figures for organisation "XYZ"' in result.output


def test_evaluate_creates_the_folder_it_is_asked_to_write_into(project, tmp_path):
    out = tmp_path / "new" / "folder" / "evaluated.csv"
    assert run("evaluate", project, "--out", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("indicator,organisation,period")
