"""National figures in the long format (one row per measure, area and year, as analysts keep
them), read by configuration; and bad national input as clear problems, never a traceback.
The figures are made up; the lookups are the example's."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from boardpack import api, load_project
from boardpack.catalogue import CatalogueError, load_project_text
from boardpack.cli import main
from boardpack.errors import BoardpackError

LOOKUPS = Path(__file__).resolve().parents[1] / "examples/ascof-england/data"
MEASURES = """measures:
  - {code: LT1, title: People helped home, unit: percent, polarity: higher_better, polarity_reason: more is better}
  - {code: LT2, title: Delayed days, unit: count, scale: null, polarity: lower_better, polarity_reason: fewer is better}
"""
COUNCILS = ["E10000016", "E10000011", "E10000014", "E06000035", "E06000043"]
PROJECT = """organisation: {code: E10000016, name: Kent County Council}
benchmarking:
  publication: data/national.csv
  format: long
  columns: {Measure: measure, Council code: organisation, Year: period, Value: value}
  measures: measures.yaml
  lookups: lookups
"""


def national_csv(rows: list[str]) -> str:
    return "Measure,Council code,Year,Value\n" + "".join(f"{row}\n" for row in rows)


def good_rows() -> list[str]:
    return [
        f"{measure},{code},{year},{base + n * step}"
        for measure, base, step in (("LT1", 60.0, 2.5), ("LT2", 120.0, -7.0))
        for year in ("2022/23", "2023-24")
        for n, code in enumerate(COUNCILS)
    ] + ["LT1,E92000001,2023/24,64.0", "LT1,E12000008,2023/24,[c]"]


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "lookups").mkdir()
    for name in ("cassr_la_lookup.csv", "utla_all_codes.csv"):
        shutil.copy(LOOKUPS / name, tmp_path / "lookups" / name)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "national.csv").write_text(national_csv(good_rows()))
    (tmp_path / "measures.yaml").write_text(MEASURES)
    (tmp_path / "boardpack.yaml").write_text(PROJECT)
    return tmp_path


def problems_of(project: Path) -> list[str]:
    with pytest.raises(BoardpackError) as caught:
        load_project(project)
    return str(caught.value).splitlines()


def test_a_long_csv_is_read_by_configuration(project):
    national = load_project(project).national
    assert national.values.height == 22
    kent = national.organisations.filter(organisation="E10000016").to_dicts()[0]
    assert (kent["name"], kent["type"], kent["region_name"]) == (
        "Kent County Council",
        "Shire Counties",
        "South East",
    )
    surrey = national.organisations.filter(organisation="E10000030")
    assert surrey.is_empty()  # only the councils the file gives
    region = national.values.filter(organisation="E12000008").to_dicts()[0]
    assert (region["area_kind"], region["value"], region["value_marker"]) == (
        "region",
        None,
        "[c]",
    )
    table = api.benchmark(project, ["E10000016"])
    england = table.filter(measure="LT1", period="2023/24", group="England").to_dicts()[0]
    assert (england["value"], england["rank"], england["n_ranked"]) == (60.0, 5, 5)


def test_bad_cells_name_the_file_row_column_and_value(project):
    rows = good_rows()
    rows[0] = "LT1,Kent,2022/23,60"
    rows[1] = "LT1,E10000011,last year,62.5"
    rows[2] = "LT1,E10000014,2022/23,sixty"
    rows.append(rows[3])
    (project / "data" / "national.csv").write_text(national_csv(rows))
    assert problems_of(project) == [
        'data/national.csv, row 2, column "Council code": "Kent" is not an ONS area code '
        "(E10000016, E12000008, E92000001)",
        'data/national.csv, row 3, column "Year": "last year" is not a year; write it like 2023/24',
        'data/national.csv, row 4, column "Value": "sixty" is not a number; write it like 37.5, '
        "37.5% or 1,631",
        "data/national.csv, row 24: LT1 for E06000035 in 2022/23 is also given in row 5; keep one row",
    ]


def test_a_missing_column_lists_the_columns_found(project):
    (project / "data" / "national.csv").write_text(
        "Measure,Area,Year,Value\nLT1,E10000016,2023/24,1\n"
    )
    (line,) = problems_of(project)
    assert line.startswith(
        'data/national.csv: no column gives organisation; the columns found are "Measure", '
        '"Area", "Year", "Value"'
    )


def test_measures_without_an_entry_are_named(project):
    rows = [*good_rows(), "LT9,E10000016,2023/24,3"]
    (project / "data" / "national.csv").write_text(national_csv(rows))
    (line,) = problems_of(project)
    assert '"LT9" is a measure of the publication with no entry in this measures file' in line


def test_missing_lookups_are_a_problem_not_a_traceback(project):
    (project / "lookups" / "cassr_la_lookup.csv").unlink()
    done = CliRunner().invoke(main, ["benchmark", str(project)])
    assert done.exit_code == 1
    assert "lookups/cassr_la_lookup.csv: lookup file not found" in done.output
    assert "Traceback" not in done.output


def test_a_csv_without_format_long_says_to_add_it(project):
    config = project / "boardpack.yaml"
    config.write_text(PROJECT.replace("  format: long\n", "").replace("  columns:", "  # "))
    done = CliRunner().invoke(main, ["benchmark", str(project)])
    assert done.exit_code == 1
    assert "data/national.csv: a CSV publication is read only in the long format" in done.output
    assert "add `format: long` under `benchmarking:`" in done.output


def test_validate_checks_the_benchmarking_section():
    with pytest.raises(CatalogueError) as caught:
        load_project_text(PROJECT.replace("  format: long\n", ""))
    assert "columns: applies to the long format; add format: long" in str(caught.value)
    with pytest.raises(CatalogueError) as caught:
        load_project_text(PROJECT.replace("Value: value", "Value: valu"))
    assert '"Value" is mapped to "valu", which is not a field of a long publication' in str(
        caught.value
    )


def test_a_missing_group_file_is_a_problem(project):
    config = project / "boardpack.yaml"
    config.write_text(config.read_text() + "  groups: [groups/nearest.csv]\n")
    (line,) = problems_of(project)
    assert line.endswith(
        "groups/nearest.csv: group file not found; check `groups:` in boardpack.yaml"
    )
