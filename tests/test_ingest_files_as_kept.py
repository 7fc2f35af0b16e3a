"""Figures files as councils keep them: a table per period, columns to ignore, their own words
for "no figure" and for ratings and directions, the previous period printed beside the latest,
and files that revise earlier figures."""

import pytest

from boardpack.catalogue import CatalogueError, load_project_text
from boardpack.errors import BoardpackError
from boardpack.sources.figures import load_figures

ORG = "E06000001"
CATALOGUE = """
organisation: {code: E06000001, name: Anytown Council}
indicators:
  - {ref: CS01, title: Care leavers in work, polarity: higher_better, unit: percent, frequency: quarterly}
  - {ref: CS02, title: Missed bins, polarity: lower_better, unit: number, frequency: quarterly}
"""


def write(tmp_path, name: str, text: str) -> None:
    path = tmp_path / "data" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def load(tmp_path, data: str, settings: str = ""):
    project = load_project_text(CATALOGUE + settings + "data:\n" + data)
    return load_figures(project, tmp_path, ORG)


def problems(tmp_path, data: str, settings: str = "") -> list[str]:
    with pytest.raises(BoardpackError) as caught:
        load(tmp_path, data, settings)
    return str(caught.value).splitlines()


def by_period(frame) -> dict:
    return {(row["indicator"], row["period"]): row for row in frame.to_dicts()}


def test_a_table_per_period_takes_its_period_from_the_project(tmp_path):
    write(tmp_path, "q1.csv", "indicator,value\nCS01,41%\nCS02,120\n")
    figures = load(tmp_path, "  - {file: data/q1.csv, period: Q1 2024/25}\n")
    assert figures.observations["period"].to_list() == ["Q1 2024/25", "Q1 2024/25"]


def test_a_period_given_twice_is_refused(tmp_path):
    write(tmp_path, "q1.csv", "indicator,period,value\nCS01,Q1 2024/25,41%\n")
    (line,) = problems(tmp_path, "  - {file: data/q1.csv, period: Q1 2024/25}\n")
    assert '`period: Q1 2024/25` is set for this file but column "period" gives periods' in line


def test_a_period_setting_that_is_not_a_period_fails_validation():
    with pytest.raises(CatalogueError) as caught:
        load_project_text(CATALOGUE + "data:\n  - {file: data/q1.csv, period: Qtr 1}\n")
    assert '(data[0].period): "Qtr 1" is not a period' in str(caught.value)


def test_ignored_columns_are_not_read_and_must_exist(tmp_path):
    write(tmp_path, "q1.csv", "indicator,value,Target,Notes\nCS01,41%,40%,old\n")
    figures = load(tmp_path, "  - {file: data/q1.csv, period: Q1 2024/25, ignore: [target]}\n")
    assert figures.observations["target"].to_list() == [None]
    (line,) = problems(tmp_path, "  - {file: data/q1.csv, period: Q1 2024/25, ignore: [Note]}\n")
    assert line.startswith('data/q1.csv: `ignore:` names a column "Note" that the file does not')


def test_a_column_both_mapped_and_ignored_fails_validation():
    data = (
        "data:\n  - {file: f.csv, columns: {Last period: previous_value}, ignore: [last  period]}\n"
    )
    with pytest.raises(CatalogueError, match="both mapped under columns: and listed under ignore"):
        load_project_text(CATALOGUE + data)


def test_a_mapped_column_the_file_lacks_is_a_problem(tmp_path):
    write(tmp_path, "q1.csv", "indicator,value\nCS01,41%\n")
    data = "  - {file: data/q1.csv, period: Q1 2024/25, columns: {This quarter: value}}\n"
    (line,) = problems(tmp_path, data)
    assert '`columns:` names a column "This quarter" that the file does not have' in line


def test_the_files_own_missing_markers_are_no_figure(tmp_path):
    write(tmp_path, "q1.csv", "indicator,value,target\nCS01,0,0\nCS02,-,100\n")
    data = '  - {file: data/q1.csv, period: Q1 2024/25, missing: ["0", "-"]}\n'
    rows = load(tmp_path, data).observations.to_dicts()
    assert [(r["value"], r["target"], r["missing_reason"]) for r in rows] == [
        (None, None, "not available"),
        (None, 100.0, "not available"),
    ]
    write(tmp_path, "q1.csv", "indicator,value,target\nCS01,0,0\n")
    rows = load(tmp_path, "  - {file: data/q1.csv, period: Q1 2024/25}\n").observations
    assert rows["value"].to_list() == [0.0]  # a zero is a figure unless the file says not


def test_a_word_in_place_of_a_figure_points_to_missing(tmp_path):
    write(tmp_path, "q1.csv", "indicator,value\nCS01,tbc\nCS02,12..5\n")
    lines = problems(tmp_path, "  - {file: data/q1.csv, period: Q1 2024/25}\n")
    assert lines[0].endswith(
        '"tbc" is not a number; write it like 37.5, 37.5% or 1,631; if it means no figure, '
        "list it under `missing:` for this file"
    )
    assert lines[1].endswith('"12..5" is not a number; write it like 37.5, 37.5% or 1,631')


def test_a_column_mapped_to_an_unknown_field_fails_validation():
    with pytest.raises(CatalogueError) as caught:
        load_project_text(CATALOGUE + "data:\n  - {file: f.csv, columns: {RAG: publishd_rag}}\n")
    message = str(caught.value)
    assert '"RAG" is mapped to "publishd_rag", which is not a field' in message
    assert '(did you mean "published_rag"?)' in message
    assert "the fields are indicator, period, value" in message


def test_a_councils_status_column_is_not_read_as_provisional_or_final(tmp_path):
    write(tmp_path, "q1.csv", "Indicator,This period,Status\nCS01,41%,On target\n")
    data = "  - {file: data/q1.csv, period: Q1 2024/25, columns: {This period: value}}\n"
    (row,) = load(tmp_path, data).observations.to_dicts()
    assert (row["value"], row["status"], row["published_rag"]) == (41.0, None, None)
    write(tmp_path, "q1.csv", "indicator,value,status\nCS01,41%,Final\n")
    (row,) = load(tmp_path, "  - {file: data/q1.csv, period: Q1 2024/25}\n").observations.to_dicts()
    assert row["status"] == "final"


def test_a_mapped_reference_wins_over_a_column_named_indicator(tmp_path):
    write(tmp_path, "q1.csv", "Ref,Indicator,value\nCS01,Care leavers in work,41%\n")
    data = "  - {file: data/q1.csv, period: Q1 2024/25, columns: {Ref: indicator}}\n"
    assert load(tmp_path, data).observations["indicator"].to_list() == ["CS01"]


def test_rows_with_no_organisation_are_one_problem(tmp_path):
    rows = "".join(
        f"CS02,Q{1 + n % 4} {2000 + n // 4}/{(1 + n // 4) % 100:02},{n},\n" for n in range(40)
    )
    write(
        tmp_path,
        "all.csv",
        "indicator,period,value,organisation\n" + rows + "CS02,Q1 2024/25,7,-\n",
    )
    lines = problems(tmp_path, "  - {file: data/all.csv}\n")
    assert lines == [
        'data/all.csv, column "organisation": the organisation is blank or not given in 41 rows '
        "(row 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...), so those figures belong to no one; give each "
        "row its organisation code, or say whose they are with `organisation:` for this file "
        "in boardpack.yaml"
    ]


def test_a_default_for_blank_organisations_is_explicit(tmp_path):
    write(tmp_path, "all.csv", "indicator,period,value,organisation\nCS02,Q1 2024/25,7,\n")
    data = "  - {file: data/all.csv, organisation: E06000002}\n"
    assert load(tmp_path, data).observations["organisation"].to_list() == ["E06000002"]
    settings = "settings: {default_organisation: E06000003}\n"
    figures = load(tmp_path, "  - {file: data/all.csv}\n", settings)
    assert figures.observations["organisation"].to_list() == ["E06000003"]
    write(tmp_path, "all.csv", "indicator,period,value\nCS02,Q1 2024/25,7\n")
    figures = load(tmp_path, "  - {file: data/all.csv}\n")
    assert figures.observations["organisation"].to_list() == [ORG]  # no column: our own


WORDS = "{Getting better: improving, Worse: worsening, lg: green, On target: green}"


def test_published_words_are_read_into_boardpacks_words(tmp_path):
    write(
        tmp_path,
        "q1.csv",
        "indicator,value,RAG,Trend\nCS01,41%,lg,Getting better\nCS02,120,Amber,worse\n",
    )
    data = (
        "  - {file: data/q1.csv, period: Q1 2024/25, published_words: "
        + WORDS
        + ", columns: {RAG: published_rag, Trend: published_direction}}\n"
    )
    rows = load(tmp_path, data).observations.to_dicts()
    assert [(r["published_rag"], r["published_direction"]) for r in rows] == [
        ("green", "improving"),
        ("amber", "worsening"),
    ]


def test_an_unknown_published_word_names_file_row_and_word(tmp_path):
    write(tmp_path, "q1.csv", "indicator,value,RAG,Trend\nCS01,41%,lg,Sideways\nCS02,9,Purple,\n")
    data = (
        "  - {file: data/q1.csv, period: Q1 2024/25, published_words: "
        + WORDS
        + ", columns: {RAG: published_rag, Trend: published_direction}}\n"
    )
    lines = problems(tmp_path, data)
    assert lines[0].startswith(
        'data/q1.csv, row 2, column "Trend": "Sideways" is not a direction Boardpack knows; '
        "say what it means under `published_words:`"
    )
    assert lines[1].startswith('data/q1.csv, row 3, column "RAG": "Purple" is not a rating')


def test_the_example_for_an_unknown_word_is_the_rating_it_abbreviates(tmp_path):
    write(tmp_path, "q1.csv", "indicator,value,RAG\nCS01,41%,A\n")
    data = "  - {file: data/q1.csv, period: Q1 2024/25, columns: {RAG: published_rag}}\n"
    (line,) = problems(tmp_path, data)
    assert "say what it means under `published_words:` for this file (e.g. {A: amber})" in line


def test_a_published_word_must_mean_a_rating_or_a_direction():
    with pytest.raises(CatalogueError) as caught:
        load_project_text(CATALOGUE + "data:\n  - {file: f.csv, published_words: {G: gren}}\n")
    assert '"G" is given as "gren" (did you mean "green"?)' in str(caught.value)


def test_a_target_blank_in_one_file_and_set_in_another_is_not_a_clash(tmp_path):
    write(tmp_path, "figures.csv", "indicator,period,value,target\nCS01,Q1 2024/25,41%,\n")
    write(tmp_path, "targets.csv", "indicator,period,value,target\nCS01,Q1 2024/25,,40%\n")
    data = "  - {file: data/figures.csv}\n  - {file: data/targets.csv}\n"
    (row,) = load(tmp_path, data).observations.to_dicts()
    assert (row["value"], row["target"], row["missing_reason"]) == (41.0, 40.0, None)


def test_different_figures_in_two_files_are_still_a_clash(tmp_path):
    write(tmp_path, "figures.csv", "indicator,period,value\nCS01,Q1 2024/25,41%\n")
    write(tmp_path, "later.csv", "indicator,period,value\nCS01,Q1 2024/25,43%\n")
    (line,) = problems(tmp_path, "  - {file: data/figures.csv}\n  - {file: data/later.csv}\n")
    assert (
        "(value 43 here, 41 there); keep one row, or mark the later file `revisions: true`" in line
    )


QUARTERS = (
    "  - {file: data/q1.csv, period: Q1 2024/25, columns: {Last: previous_value, This: value}}\n"
    "  - {file: data/q2.csv, period: Q2 2024/25, columns: {Last: previous_value, This: value}}\n"
)


def test_the_previous_figure_printed_beside_the_latest_fills_and_revises(tmp_path):
    write(tmp_path, "q1.csv", "indicator,Last,This\nCS01,38%,41%\n")
    write(tmp_path, "q2.csv", "indicator,Last,This\nCS01,41.5%,44%\n")
    figures = load(tmp_path, QUARTERS)
    values = {period: row["value"] for (_, period), row in by_period(figures.observations).items()}
    assert values == {"Q4 2023/24": 38.0, "Q1 2024/25": 41.5, "Q2 2024/25": 44.0}
    (revision,) = figures.revisions.to_dicts()
    assert revision["period"] == "Q1 2024/25"
    assert (revision["value_before"], revision["value_after"]) == (41.0, 41.5)
    assert revision["source"] == "data/q2.csv:2"
    assert revision["revised_on"] is not None


def test_the_same_previous_figure_is_no_revision(tmp_path):
    write(tmp_path, "q1.csv", "indicator,Last,This\nCS01,38%,41%\n")
    write(tmp_path, "q2.csv", "indicator,Last,This\nCS01,41%,44%\n")
    assert load(tmp_path, QUARTERS).revisions.height == 0


def test_a_file_of_revisions_wins_and_is_recorded_in_any_order(tmp_path):
    write(tmp_path, "figures.csv", "indicator,period,value,target\nCS02,Q1 2024/25,120,100\n")
    write(tmp_path, "revised.csv", "indicator,period,value\nCS02,Q1 2024/25,126\n")
    for data in (
        "  - {file: data/figures.csv}\n  - {file: data/revised.csv, revisions: true}\n",
        "  - {file: data/revised.csv, revisions: true}\n  - {file: data/figures.csv}\n",
    ):
        figures = load(tmp_path, data)
        (row,) = figures.observations.to_dicts()
        assert (row["value"], row["target"]) == (126.0, 100.0)
        (revision,) = figures.revisions.to_dicts()
        assert (revision["value_before"], revision["value_after"]) == (120.0, 126.0)
        assert revision["source"] == "data/revised.csv:2"


EXPORT = (
    "Quarterly Performance Return,,,,\r\n"
    "Prepared by the Performance Team,,,,\r\n"
    ",,,,\r\n"
    "KPI Ref,Qtr End,Actual,Target,RAG\r\n"
    'CS 01,30/06/2025,"61.5",60,G\r\n'
    'cs02,30/06/2025,"1,204","1,150",R\r\n'
    ",,,,\r\n"
    'Grand  Total,,"1,265.5",,\r\n'
)
EXPORT_SOURCE = (
    "  - file: data/export.csv\n"
    "    columns: {KPI Ref: indicator, Qtr End: period, Actual: value, RAG: published_rag}\n"
    "    published_words: {G: green, R: red}\n"
)


def test_an_export_with_a_title_references_as_written_and_a_total_row_is_read(tmp_path):
    write(tmp_path, "export.csv", EXPORT)
    figures = by_period(load(tmp_path, EXPORT_SOURCE).observations)
    assert figures[("CS01", "Q1 2025/26")]["value"] == 61.5  # "CS 01": spaces and case ignored
    assert figures[("CS02", "Q1 2025/26")]["target"] == 1150
    assert len(figures) == 2  # the total row is no figure


def test_a_file_read_row_by_row_passes_over_a_total_too(tmp_path):
    write(tmp_path, "export.csv", EXPORT.replace("\r\n", "\r"))  # old Mac line ends: row by row
    figures = by_period(load(tmp_path, EXPORT_SOURCE).observations)
    assert sorted(figures) == [("CS01", "Q1 2025/26"), ("CS02", "Q1 2025/26")]
