"""`boardpack init`: a starter project from a council's own table or tracker, each shape read,
every guess marked, the result loading at once, and nothing overwritten."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import xlsxwriter
import yaml
from click.testing import CliRunner

from boardpack import api
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
    assert starter.data[0]["period"].value == "Q3 2025/26"
    with pytest.raises(StarterError, match="no period column and its name does not say"):
        starter_from(write(tmp_path, "performance.csv", one))
    given = starter_from(write(tmp_path, "p.csv", one), period="Q1 2024/25")
    assert given.data[0]["period"].value == "Q1 2024/25"


def test_a_council_column_named_indicator_holding_titles_is_read_as_the_title(tmp_path):
    starter = starter_from(table_path := write(tmp_path, "t.csv", TABLE))
    assert starter.data[0]["ignore"].value == ["Indicator", "Directorate"]
    assert "Indicator" not in starter.data[0]["columns"].value
    assert starter.indicators[0].fields["title"].value == "Calls answered within 20 seconds"
    assert table_path.exists()


def test_a_file_with_no_references_is_refused_with_the_reason(tmp_path):
    source = write(tmp_path, "t.csv", "Title,Quarter,Actual\nCalls answered,Q1 2025/26,80\n")
    with pytest.raises(BoardpackError, match="no column of indicator references"):
        init_project(tmp_path / "council", source)
    assert not (tmp_path / "council").exists()


def test_references_written_with_a_space_are_read_as_the_code_without_it(tmp_path):
    text = "Ref,Indicator,Quarter,Actual\nKPI 1,Calls answered,Q1 2025/26,80\n"
    init_project(tmp_path / "council", write(tmp_path, "t.csv", text))
    dataset = api.dataset_of(tmp_path / "council")
    assert [ind.ref for ind in dataset.project.indicators] == ["KPI1"]
    assert dataset.observations["indicator"].to_list() == ["KPI1"]


def test_a_tracker_row_label_it_cannot_place_is_named(tmp_path):
    text = "Indicator,Row,Jun 25,Sep 25\nA1,Result,5,6\n,Target,5,5\n,Banana,1,2\n,Mango,1,2\n"
    with pytest.raises(StarterError) as error:
        starter_from(write(tmp_path, "t.csv", text))
    assert [p.value for p in error.value.problems] == ["Banana", "Mango"]
    assert "is a row label Boardpack cannot place" in str(error.value)


def test_with_no_label_for_the_figures_the_first_unplaced_label_is_a_marked_guess(tmp_path):
    text = "Indicator,Row,Jun 25,Sep 25\nA1,Amount,5,6\n,Target,5,5\n"
    rows = starter_from(write(tmp_path, "t.csv", text)).data[0]["rows"]
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


def test_a_trackers_own_words_for_ratings_and_directions_are_written_for_it(tmp_path):
    text = (
        "Ref,Row,Jun 25,Sep 25,Dec 25\n"
        "A1,Actual,50%,55%,61%\n,Target,60%,60%,60%\n,RAG,R,A,G\n,Trend,-,Up,Up\n"
        "B2,Actual,12,9,8\n,Target,10,10,10\n,RAG,-,G,G\n,Trend,-,Up,Up\n"
    )
    made = init_project(tmp_path / "council", write(tmp_path, "t.csv", text))
    (data,) = load_project_file(tmp_path / "council").data
    assert data.rows == {
        "Actual": "value",
        "Target": "target",
        "RAG": "published_rag",
        "Trend": "published_direction",
    }
    assert data.published_words == {"A": "amber", "G": "green", "R": "red", "Up": "improving"}
    assert data.missing == ["-"]  # no rating and no direction alike
    written = made.path.read_text(encoding="utf-8")
    assert "Up: improving  # better or worse? guessed: an arrow may say which way" in written
    assert load_project(tmp_path / "council").observations["published_rag"].to_list() == [
        "red",
        "amber",
        "green",
        None,
        "green",
        "green",
    ]


def test_a_word_it_cannot_place_is_marked_for_the_officer(tmp_path):
    one = "Ref,Title,Quarter,Actual,Target,RAG\nCS01,Calls,Q1 2025/26,81%,80%,Sparkly\n"
    written = init_project(tmp_path / "c", write(tmp_path, "t.csv", one)).path.read_text()
    assert (
        'Sparkly: no_status  # what rating is "Sparkly"? guessed: not a word Boardpack knows'
        in written
    )


def test_one_row_per_indicator_with_periods_across_the_top_is_a_wide_file(tmp_path):
    text = "Ref,Apr 25,May 25,Jun 25\nA1,5,6,7\nB2,8,9,9\n"
    starter = starter_from(write(tmp_path, "t.csv", text))
    assert starter.data[0]["format"].value == "wide"
    assert [ind.ref for ind in starter.indicators] == ["A1", "B2"]
    assert starter.indicators[0].fields["frequency"].value == "monthly"


def test_a_file_too_costly_to_read_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("BOARDPACK_MAX_ROWS", "3")
    with pytest.raises(BoardpackError, match="BOARDPACK_MAX_ROWS"):
        init_project(tmp_path / "council", write(tmp_path / "from", "t.csv", TABLE))
    assert not (tmp_path / "council").exists()


def test_percentages_a_workbook_stores_as_fractions_are_pointed_out(tmp_path):
    path = tmp_path / "kpis.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("KPIs")
    for r, row in enumerate(
        [
            ["Ref", "Title", "Quarter", "Actual", "Target"],
            ["CS01", "Percentage of calls answered", "Q1 2025/26", 0.815, 0.8],
        ]
    ):
        sheet.write_row(r, 0, row)
    book.close()
    unit = starter_from(path, sheet="KPIs").indicators[0].fields["unit"]
    assert unit.value == "percent" and unit.guessed
    assert "the values look like fractions (0.37 for 37%)" in unit.note


def test_a_table_per_quarter_gives_one_project_with_a_file_for_each(tmp_path):
    riverside = ROOT / "examples" / "riverside-unitary" / "data"
    quarters = sorted(riverside.glob("2025-26-q*.csv"))
    made = init_project(tmp_path / "riverside", quarters)
    assert made.sources == tuple(f"data/{path.name}" for path in quarters)
    project = load_project_file(tmp_path / "riverside")
    assert [(d.file, d.period) for d in project.data] == [
        (f"data/2025-26-q{q}.csv", f"Q{q} 2025/26") for q in range(1, 5)
    ]
    assert {ind.frequency for ind in project.indicators} == {"quarterly"}
    assert "from the periods Q1 2025/26 to Q4 2025/26" in made.path.read_text(encoding="utf-8")
    assert load_project(tmp_path / "riverside").revisions.height == 1


def test_a_period_is_given_for_one_file_only(tmp_path, table):
    other = write(tmp_path / "other", "more.csv", TABLE)
    with pytest.raises(StarterError, match="a period is given for one file"):
        starter_from(table, other, period="Q1 2025/26")


def test_two_files_of_one_name_are_refused(tmp_path, table):
    other = write(tmp_path / "other", "performance.csv", TABLE)
    with pytest.raises(BoardpackError, match="would be copied from two files of that name"):
        init_project(tmp_path / "council", [table, other])
    assert not (tmp_path / "council").exists()


def test_headers_that_say_more_than_the_field_are_read(tmp_path):
    text = "PI,Measure,2025/26 Target,Q2 Actual,RAG status\nCS01,Calls answered,80%,81%,Green\n"
    starter = starter_from(write(tmp_path, "kpis-2025-26-q2.csv", text))
    assert starter.data[0]["columns"].value == {
        "PI": "indicator",
        "2025/26 Target": "target",
        "Q2 Actual": "value",
        "RAG status": "published_rag",
    }


def test_a_table_whose_figures_are_headed_by_their_period_takes_it(tmp_path):
    text = "Ref,Title,Q2 2025/26,Target\nCS01,Calls answered,81%,80%\n"
    starter = starter_from(write(tmp_path, "kpis.csv", text))
    assert starter.data[0]["period"].value == "Q2 2025/26"
    assert starter.data[0]["columns"].value == {"Ref": "indicator", "Q2 2025/26": "value"}
    init_project(tmp_path / "council", tmp_path / "kpis.csv")
    assert load_project(tmp_path / "council").observations["value"].to_list() == [81.0]


def test_a_trackers_published_directions_tell_its_polarity(tmp_path):
    text = (
        "Ref,Row,Jun 25,Sep 25,Dec 25\nW1,Result,40,35,38\n,Target,30,30,30\n"
        ",Direction,,Improving,Worsening\n"
    )
    polarity = starter_from(write(tmp_path, "t.csv", text)).indicators[0].fields["polarity"]
    assert polarity.value == "lower_better"
    assert "2 of 2 published ratings and directions agree" in polarity.note


def test_the_published_ratings_are_summed_up_by_distance_from_target(tmp_path, table):
    spread = starter_from(table).spread
    # CS01 Green at +1.9%, Red at -17.5%; HS02 (lower is better) Amber -11.4%, Red -30.0%;
    # FN03 Green +9.25% and +0.4%
    assert spread == {
        "green": (0.004, 0.092, 3),
        "amber": (-0.114, -0.114, 1),
        "red": (-0.3, -0.175, 2),
    }
    written = init_project(tmp_path / "council", table).path.read_text(encoding="utf-8")
    assert "#   Green +0.4% to +9.2% (3); Amber -11.4% to -11.4% (1); Red -30.0% to -17.5% (2)" in (
        written
    )


def test_a_tracker_whose_references_head_their_blocks_needs_no_indicator_column(tmp_path):
    text = (
        "Measure,Jun 25,Sep 25\nHW1,,\nResult,61.0%,64.5%\nTarget,60%,60%\n"
        "HW2,,\nResult,12,9\nTarget,10,10\n"
    )
    init_project(tmp_path / "council", write(tmp_path, "t.csv", text))
    (data,) = load_project_file(tmp_path / "council").data
    assert (data.format, data.indicator_column) == ("tracker", None)
    assert data.rows == {"Result": "value", "Target": "target"}
    observations = load_project(tmp_path / "council").observations
    assert observations["indicator"].to_list() == ["HW1", "HW1", "HW2", "HW2"]
    assert observations["value"].to_list() == [61.0, 64.5, 12.0, 9.0]


def test_a_workbook_with_dates_for_periods_gives_their_frequency(tmp_path):
    path = tmp_path / "kpis.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Data")
    dated = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["Code", "Name", "Date", "Value", "Target"])
    for row, (day, value) in enumerate(
        [(dt.datetime(2025, 6, 30), 12), (dt.datetime(2025, 9, 30), 14)], start=1
    ):
        sheet.write_row(row, 0, ["CS01", "Complaints resolved"])
        sheet.write_datetime(row, 2, day, dated)
        sheet.write_row(row, 3, [value, 15])
    book.close()
    made = init_project(tmp_path / "council", path)
    assert load_project_file(tmp_path / "council").indicators[0].frequency == "quarterly"
    assert "from the periods Jun 2025 to Sep 2025" in made.path.read_text(encoding="utf-8")
    periods = load_project(tmp_path / "council").observations["period"].cast(str).to_list()
    assert periods == ["Q1 2025/26", "Q2 2025/26"]


def test_a_figure_given_with_its_counts_tells_its_unit(tmp_path):
    text = (
        "indicator,period,value,numerator,denominator\n"
        "AC1,Q1 2025/26,59.5205,422,709\nAC1,Q2 2025/26,60.1,430,715\n"
        "DT2,Q1 2025/26,0.8721,2,229329\nDT2,Q2 2025/26,1.3,3,229400\n"
    )
    first, second = starter_from(write(tmp_path, "t.csv", text)).indicators
    assert (first.fields["unit"].value, first.fields["unit"].guessed) == ("percent", False)
    assert first.fields["unit"].note == (
        "from the numerators and denominators: 422 / 709 is 59.5205 as a percentage"
    )
    assert second.fields["unit"].value == "rate_per_100k"


def test_a_file_with_no_targets_at_all_does_not_make_every_indicator_an_activity_measure(
    tmp_path,
):
    text = "indicator,period,value\nA1,Q1 2025/26,5\nA1,Q2 2025/26,6\n"
    (only,) = starter_from(write(tmp_path, "t.csv", text)).indicators
    assert only.fields["polarity"].value == "higher_better"


def test_titles_are_written_as_one_line_and_quoted_where_yaml_needs_it(tmp_path):
    text = (
        "Ref,Title,Directorate,Quarter,Actual,Target\n"
        'A1,"Rate: per 1,000 # of people",yes,Q1 2025/26,5,6\n'
        'A2,"- starts with a dash\nand goes on",123,Q1 2025/26,5,6\n'
    )
    made = init_project(tmp_path / "council", write(tmp_path, "t.csv", text))
    first, second = load_project_file(tmp_path / "council").indicators
    assert (first.title, first.directorate) == ("Rate: per 1,000 # of people", "yes")
    assert (second.title, second.directorate) == ("- starts with a dash and goes on", "123")
    assert "    title: '- starts with a dash and goes on'\n" in made.path.read_text()


def test_the_bands_the_published_ratings_fit_are_offered_and_give_them(tmp_path):
    riverside = ROOT / "examples" / "riverside-unitary" / "data"
    made = init_project(tmp_path / "riverside", sorted(riverside.glob("2025-26-q*.csv")))
    text = made.path.read_text(encoding="utf-8")
    assert "# The published ratings fit these bands (Green from 0%, Amber from -5%)" in text
    assert "#     bands: [{rag: green, min_pct: 0}, {rag: amber, min_pct: -5}, {rag: red}]" in text
    assert api.reconcile(tmp_path / "riverside").table["rag_agrees"].sum() == 32
    offered = re.sub(r"(?m)^# (rating_schemes:|  )", r"\1", text).replace(
        "default_rating_scheme: threshold", "default_rating_scheme: published"
    )
    made.path.write_text(offered, encoding="utf-8")
    assert api.reconcile(tmp_path / "riverside").table["rag_agrees"].sum() == 46


def test_overlapping_amber_and_red_point_to_a_rule_on_direction(tmp_path):
    source = ROOT / "examples" / "eastvale-district" / "data" / "kpi-dashboard.csv"
    text = init_project(tmp_path / "eastvale", source).path.read_text(encoding="utf-8")
    assert "# Amber and Red overlap in distance from target" in text
    assert "kind: variance_bands" not in text


def test_rows_with_a_blank_organisation_are_given_one_marked_to_check(tmp_path):
    text = (
        "Ref,Council,Quarter,Actual,Target\n"
        "A1,E06000001,Q1 2025/26,5,6\nA1,-,Q2 2025/26,6,6\nA1,E06000001,Q3 2025/26,7,6\n"
    )
    made = init_project(tmp_path / "council", write(tmp_path, "t.csv", text))
    written = made.path.read_text(encoding="utf-8")
    assert (
        "    organisation: E06000001  # whose figures are the rows with a blank organisation? "
        "guessed: the code most rows give"
    ) in written
    assert "  code: E06000001  # the file's organisation column" in written
    assert load_project(tmp_path / "council").observations["organisation"].unique().to_list() == [
        "E06000001"
    ]
