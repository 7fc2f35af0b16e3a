"""`boardpack init`: a starter project from a council's own table or tracker, each shape read,
every guess marked, the result loading at once, and nothing overwritten."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from boardpack.catalogue import load_project_file
from boardpack.cli import main
from boardpack.errors import BoardpackError
from boardpack.init_project import init_project
from boardpack.sources import load_project
from boardpack.sources.starter import StarterError, starter_from

ROOT = Path(__file__).resolve().parent.parent
KENT = ROOT / "examples" / "seeds" / "kent-2011-12-q2" / "data" / "trend-data.csv"
#: Settings of each indicator that the file never states outright: each needs a comment.
INFERRED = ("polarity", "unit", "decimals", "frequency", "measurement")

TABLE = """Ref,Indicator,Directorate,Quarter,Actual,Target,RAG
CS01,Calls answered within 20 seconds,Customer Services,Q1 2025/26,81.5%,80%,Green
CS01,Calls answered within 20 seconds,Customer Services,Q2 2025/26,66.0%,80%,Red
HS02,Average days to re-let council homes,Housing,Q1 2025/26,31.2,28,Amber
HS02,Average days to re-let council homes,Housing,Q2 2025/26,36.4,28,Red
FN03,Council tax collected,Finance,Q1 2025/26,"£1,311",£1200,Green
FN03,Council tax collected,Finance,Q2 2025/26,"£2,410",£2400,Green
VS04,Visitors to the museum,Culture,Q1 2025/26,"4,020",,N/A
VS04,Visitors to the museum,Culture,Q2 2025/26,"3,880",,N/A
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def indicator_lines(text: str) -> dict[str, dict[str, str]]:
    """Each indicator's settings as written: ref -> key -> the whole line."""
    found: dict[str, dict[str, str]] = {}
    block = text.split("\nindicators:\n", 1)[1].split("\ndata:\n", 1)[0]
    for line in block.splitlines():
        ref = re.match(r"  - ref: (\S+)", line)
        if ref:
            current = found.setdefault(ref.group(1), {})
        elif line.startswith("    "):
            current[line.split(":", 1)[0].strip()] = line
    return found


def unmarked(text: str) -> list[str]:
    """Inferred settings written with no comment, and guesses not marked `guessed`."""
    lines = [line for ind in indicator_lines(text).values() for line in ind.values()]
    lines += [
        line
        for line in text.splitlines()
        if re.match(r"  (code|name|default_rating_scheme):", line)
    ]
    bare = [line for line in lines if line.strip().split(":")[0] in INFERRED and "  # " not in line]
    must_guess = ("polarity", "measurement", "name", "default_rating_scheme")
    unguessed = [
        line for line in lines if line.strip().split(":")[0] in must_guess and "guessed" not in line
    ]
    return bare + unguessed


@pytest.fixture
def table(tmp_path) -> Path:
    return write(tmp_path / "from", "performance.csv", TABLE)


def test_a_table_with_a_period_column_gives_one_indicator_per_reference(tmp_path, table):
    made = init_project(tmp_path / "council", table)
    text = made.path.read_text(encoding="utf-8")
    project = load_project_file(tmp_path / "council")
    assert project.refs() == ["CS01", "HS02", "FN03", "VS04"]
    cs01, hs02, fn03, vs04 = project.indicators
    assert (cs01.title, cs01.directorate) == (
        "Calls answered within 20 seconds",
        "Customer Services",
    )
    assert (cs01.unit, cs01.decimals, cs01.frequency) == ("percent", 1, "quarterly")
    assert (fn03.unit, fn03.decimals) == ("currency", 0)
    assert (hs02.unit, hs02.polarity) == ("days", "lower_better")
    assert vs04.polarity == "none"
    (data,) = project.data
    assert data.file == "data/performance.csv"
    assert data.columns["Actual"] == "value" and data.columns["RAG"] == "published_rag"
    assert unmarked(text) == []
    assert (tmp_path / "council" / "data" / "performance.csv").read_text() == TABLE


def test_each_inference_says_where_it_came_from(tmp_path, table):
    text = init_project(tmp_path / "council", table).path.read_text(encoding="utf-8")
    lines = indicator_lines(text)
    assert lines["CS01"]["unit"].endswith("# from values written like 81.5%")
    assert lines["HS02"]["polarity"].endswith(
        "# higher or lower is better? guessed lower: 2 of 2 published ratings and directions agree"
    )
    assert (
        "guessed" in lines["HS02"]["unit"]
        and '"Average days" in the title' in lines["HS02"]["unit"]
    )
    assert lines["CS01"]["frequency"].endswith("# from the periods Q1 2025/26 to Q2 2025/26")
    assert "activity measure?" in lines["VS04"]["polarity"]


def test_the_starter_loads_at_once_with_every_figure(tmp_path, table):
    init_project(tmp_path / "council", table)
    dataset = load_project(tmp_path / "council")
    assert dataset.observations.height == 8
    assert sorted(dataset.observations["published_rag"].drop_nulls().unique()) == [
        "amber",
        "green",
        "no_status",
        "red",
    ]


def test_a_tracker_gives_its_row_labels_and_indicator_column(tmp_path):
    made = init_project(tmp_path / "kent", KENT)
    project = load_project_file(tmp_path / "kent")
    (data,) = project.data
    assert (data.format, data.indicator_column) == ("tracker", "Indicator")
    assert data.rows == {
        "KCC Result": "value",
        "Target": "target",
        "Client numbers": "numerator",
        "Rag Rating": "published_rag",
        "Target per quarter": "target",
    }
    assert {ind.frequency for ind in project.indicators} == {"quarterly"}
    assert project.indicator("KCC-ASC1").unit == "percent"
    text = made.path.read_text(encoding="utf-8")
    assert "# the indicator's name? guessed: the file gives no title" in text
    assert unmarked(text) == []
    assert load_project(tmp_path / "kent").observations.height > 0


def test_a_table_per_period_takes_its_period_from_the_file_name(tmp_path):
    one = "Ref,Title,Actual,Target\nCS01,Calls answered,81.5%,80%\n"
    starter = starter_from(write(tmp_path, "performance-2025-26-q3.csv", one))
    assert starter.data["period"].value == "Q3 2025/26"
    with pytest.raises(StarterError, match="no period column and its name does not say"):
        starter_from(write(tmp_path, "performance.csv", one))
    assert starter_from(write(tmp_path, "p.csv", one), period="Q1 2024/25").data[
        "period"
    ].value == ("Q1 2024/25")


def test_a_council_column_named_indicator_holding_titles_is_read_as_the_title(tmp_path):
    starter = starter_from(table_path := write(tmp_path, "t.csv", TABLE))
    assert starter.data["ignore"].value == ["Indicator", "Directorate"]
    assert "Indicator" not in starter.data["columns"].value
    assert starter.indicators[0].fields["title"].value == "Calls answered within 20 seconds"
    assert table_path.exists()


def test_a_file_with_no_references_is_refused_with_the_reason(tmp_path):
    source = write(tmp_path, "t.csv", "Title,Quarter,Actual\nCalls answered,Q1 2025/26,80\n")
    with pytest.raises(BoardpackError, match="no column of indicator references"):
        init_project(tmp_path / "council", source)
    assert not (tmp_path / "council").exists()


def test_a_tracker_row_label_it_cannot_place_is_named(tmp_path):
    text = "Indicator,Row,Jun 25,Sep 25\nA1,Result,5,6\n,Target,5,5\n,Banana,1,2\n,Mango,1,2\n"
    with pytest.raises(StarterError) as error:
        starter_from(write(tmp_path, "t.csv", text))
    assert [p.value for p in error.value.problems] == ["Banana", "Mango"]
    assert "is a row label Boardpack cannot place" in str(error.value)


def test_with_no_label_for_the_figures_the_first_unplaced_label_is_a_marked_guess(tmp_path):
    text = "Indicator,Row,Jun 25,Sep 25\nA1,Amount,5,6\n,Target,5,5\n"
    rows = starter_from(write(tmp_path, "t.csv", text)).data["rows"]
    assert rows.value == {"Amount": "value", "Target": "target"}
    assert rows.guessed and '"Amount" holds the figures' in rows.note


def test_an_existing_project_is_never_overwritten(tmp_path, table):
    folder = tmp_path / "council"
    write(folder, "boardpack.yaml", "organisation: {code: E1, name: Mine}\n")
    with pytest.raises(BoardpackError, match="already exists"):
        init_project(folder, table)
    assert (folder / "boardpack.yaml").read_text() == "organisation: {code: E1, name: Mine}\n"
    assert not (folder / "data").exists()


def test_a_file_already_in_the_project_folder_is_used_where_it_is(tmp_path):
    folder = tmp_path / "council"
    source = write(folder / "figures", "performance.csv", TABLE)
    init_project(folder, source)
    assert load_project_file(folder).data[0].file == "figures/performance.csv"
    assert not (folder / "data").exists()


def test_the_command_says_what_it_wrote_and_what_to_check(tmp_path, table):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "council"), "--from", str(table)])
    assert result.exit_code == 0, result.output
    assert "4 indicators from data/performance.csv" in result.output
    assert 'guesses to check (the comments marked "guessed")' in result.output
    again = CliRunner().invoke(main, ["init", str(tmp_path / "council"), "--from", str(table)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_the_yaml_is_the_project_the_comments_describe(tmp_path, table):
    text = init_project(tmp_path / "council", table).path.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["organisation"]["code"] == "E99999999"
    assert text.startswith(
        "# A starter project written by `boardpack init` from data/performance.csv."
    )
