"""The benchmarking pack and `boardpack benchmark`, on the real ASCOF publication."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from boardpack.api import national as national_picture
from boardpack.benchmarking.charts import spine_rows
from boardpack.benchmarking.site import build_all_sites, build_council_site, current_councils
from boardpack.benchmarking.views import ordinal, rank_change_words
from boardpack.catalogue import load_project_file
from boardpack.cli import main
from boardpack.engine.national import BENCHMARK_COLUMNS, as_at
from boardpack.errors import BoardpackError, NotFound

PROJECT = Path(__file__).resolve().parents[1] / "examples" / "ascof-england"
KENT = "E10000016"


@pytest.fixture(scope="module")
def national():
    return national_picture(PROJECT)


@pytest.fixture(scope="module")
def kent_page(national, tmp_path_factory):
    out = tmp_path_factory.mktemp("kent")
    index = build_council_site(national, KENT, out, ["england", "region"])
    return index.read_text(encoding="utf-8")


def published(national, measure: str, period: str) -> pl.DataFrame:
    return national.values.filter(
        pl.col("measure") == measure, pl.col("period") == period, pl.col("area_kind") == "council"
    )


def test_kent_rank_on_1a_counts_the_councils_with_a_better_published_figure(national, kent_page):
    # Independent of the engine: rank = 1 + councils with a strictly higher 1A score in 2024/25.
    rows = published(national, "1A", "2024/25").filter(pl.col("value").is_not_null())
    kent = rows.filter(pl.col("organisation") == KENT)["value"][0]
    rank = 1 + rows.filter(pl.col("value") > kent).height
    england = national.values.filter(
        pl.col("measure") == "1A", pl.col("period") == "2024/25", pl.col("area_kind") == "england"
    )["value"][0]
    sentence = f"ranked {ordinal(rank)} of {rows.height} councils in England; England {england:.1f}"
    assert sentence in kent_page


def test_kent_page_lists_every_measure_and_states_its_groups(national, kent_page):
    for code in national.measures["measure"]:
        assert f'id="measure-{code.lower()}"' in kent_page
    assert "Compared with:" in kent_page and "South East" in kent_page
    assert "Shire Counties" not in kent_page.split("Compared with:")[1].split("</p>")[0]


def test_kent_page_charts_are_accessible_images(kent_page):
    svgs = re.findall(r"<svg [^>]*>", kent_page)
    assert len(svgs) == 2
    assert all('role="img"' in svg and "aria-labelledby" in svg for svg in svgs)
    assert "Spine chart of Kent" in kent_page  # the text alternative says what it shows


def test_suppressed_figures_are_shown_with_their_marker(national, tmp_path):
    latest = national.statistics.filter(pl.col("value").is_not_null())
    latest = latest.group_by("measure").agg(pl.col("period").max())
    marked = national.values.filter(
        pl.col("area_kind") == "council", pl.col("value_marker") == "[c]"
    ).join(latest, on=["measure", "period"])  # the page shows each measure's latest year
    assert marked.height > 0
    code = marked["organisation"][0]
    html = build_council_site(national, code, tmp_path, ["england"]).read_text(encoding="utf-8")
    assert "[c] suppressed" in html


def test_unknown_organisation_is_refused_with_a_suggestion(national, tmp_path):
    with pytest.raises(NotFound, match=r"did you mean .*E10000016"):
        build_council_site(national, "Kent", tmp_path, ["england"])


def test_as_at_leaves_later_years_out(national):
    earlier = as_at(national, "2019/20")
    assert earlier.statistics["period"].max() == "2019/20"
    assert earlier.title.endswith("2015/16 to 2019/20")
    with pytest.raises(NotFound, match="choose one of: 2015/16"):
        as_at(national, "2030/31")


def test_all_councils_pack_writes_a_page_each_and_an_index(national, tmp_path):
    few = current_councils(national)[:3]
    small = replace(
        national, organisations=national.organisations.filter(pl.col("organisation").is_in(few))
    )
    index = build_all_sites(small, tmp_path, ["england"])
    html = index.read_text(encoding="utf-8")
    for code in few:
        assert (tmp_path / code / "index.html").is_file()
        assert f'href="{code}/index.html"' in html


def test_current_councils_are_those_in_the_latest_year(national):
    councils = current_councils(national)
    latest = national.values.filter(
        pl.col("area_kind") == "council", pl.col("period") == "2024/25"
    )["organisation"].unique()
    assert set(councils) <= set(latest.to_list())
    assert "E10000006" not in councils  # Cumbria: last published 2022/23


def test_spine_positions_put_worst_left_median_centre_best_right():
    rows = pl.DataFrame(
        {
            "label": ["up", "down"],
            "polarity": ["higher_better", "lower_better"],
            "value": [10.0, 10.0],
            "lowest": [0.0, 0.0],
            "q1": [2.0, 2.0],
            "median": [4.0, 4.0],
            "q3": [6.0, 6.0],
            "highest": [10.0, 10.0],
            "group_value": [4.0, 0.0],
            "quartile": ["Best quartile", "Worst quartile"],
        }
    )
    spine = spine_rows(rows)
    assert spine["council"].to_list() == [1.0, 0.0]  # the highest is best, then worst
    assert spine["comparator"].to_list() == [0.5, 1.0]
    assert spine["band_from"].to_list() == pytest.approx([0.5 - 0.5 * 2 / 4, 0.5 - 0.5 * 2 / 6])


@pytest.mark.parametrize(
    ("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (112, "112th")]
)
def test_ordinal(n, text):
    assert ordinal(n) == text


def test_rank_change_words():
    assert rank_change_words(3) == "up 3 places"
    assert rank_change_words(-1) == "down 1 place"
    assert rank_change_words(0) == "no change"
    assert rank_change_words(None) == ""


def test_benchmark_command_writes_the_documented_columns():
    result = CliRunner().invoke(main, ["benchmark", str(PROJECT), "--organisation", KENT])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert tuple(rows[0]) == BENCHMARK_COLUMNS
    assert {row["organisation"] for row in rows} == {KENT}
    groups = {row["group"] for row in rows}
    assert {"England", "South East", "Shire Counties"} <= groups


def test_benchmark_command_json(tmp_path):
    out = tmp_path / "national.json"
    result = CliRunner().invoke(
        main, ["benchmark", str(PROJECT), "--format", "json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text())
    assert len({row["organisation"] for row in rows}) > 150


def test_benchmark_command_needs_a_benchmarking_section(tmp_path):
    (tmp_path / "boardpack.yaml").write_text("organisation: {code: E1, name: Test}\n")
    result = CliRunner().invoke(main, ["benchmark", str(tmp_path)])
    assert result.exit_code != 0
    assert "no benchmarking: section" in result.output


def test_build_all_organisations_refuses_a_period_layout(tmp_path):
    result = CliRunner().invoke(
        main, ["build", str(PROJECT), "--all-organisations", "--layout", "scorecard"]
    )
    assert result.exit_code == 2
    assert "builds the benchmarking layout" in result.output


WORCESTERSHIRE = PROJECT.parent / "seeds" / "worcestershire-2019-20-q2"


def test_linked_indicator_shows_the_latest_national_year_published_by_the_period(national):
    from boardpack.benchmarking.linked import linked_benchmarks
    from boardpack.periods import period_for

    project = load_project_file(WORCESTERSHIRE)
    end = period_for("Q2 2019/20", "quarterly").end_month
    lines = linked_benchmarks(project, national, "E10000034", end)
    # 2019/20 had not ended by September 2019, so the line is for 2018/19.
    rows = published(national, "3A", "2018/19").filter(pl.col("value").is_not_null())
    own = rows.filter(pl.col("organisation") == "E10000034")["value"][0]
    rank = 1 + rows.filter(pl.col("value") > own).height
    text = lines.filter(pl.col("indicator") == "WCC-HW17")["benchmark_text"][0]
    assert text.startswith(
        f"ranked {ordinal(rank)} of {rows.height} councils in England, 2018/19, ASCOF; England "
    )
    assert "councils in the West Midlands region" in text


def test_a_council_not_in_the_national_data_gets_the_spread(national):
    from boardpack.benchmarking.linked import linked_benchmarks

    project = load_project_file(WORCESTERSHIRE)
    lines = linked_benchmarks(project, national, "E99999999", 2020 * 12 + 8)
    assert lines["benchmark_text"][0].endswith("(not in the national data)")
    assert ", ASCOF: England " in lines["benchmark_text"][0]
    assert "councils' median" in lines["benchmark_text"][0]


def test_a_tag_naming_an_unknown_measure_is_refused(national):
    from boardpack.benchmarking.linked import linked_measures

    project = load_project_file(WORCESTERSHIRE)
    project.indicator("WCC-HW17").tags["national_measure"] = "9Z"
    with pytest.raises(BoardpackError, match='WCC-HW17: "9Z".*use one of: 1A'):
        linked_measures(project, national)


def test_period_packs_show_the_benchmark_in_the_summary_and_on_the_page(tmp_path):
    result = CliRunner().invoke(
        main, ["build", str(WORCESTERSHIRE), "--layout", "scorecard", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert '<th scope="col">Benchmarking</th>' in (tmp_path / "index.html").read_text()
    page = (tmp_path / "indicators" / "wcc-hw17.html").read_text()
    assert "National benchmarking" in page
    assert re.search(r"ranked \d+\w\w of \d+ councils in England, 2018/19, ASCOF; England", page)


def test_a_national_rank_gives_its_year_group_size_and_source():
    from boardpack.benchmarking.linked import line, source_words
    from boardpack.benchmarking.views import Comparison

    def comparison(group, kind, rank, n):
        return Comparison(group, kind, n, "77.6%", None, "77.0%", rank, "", None, "")

    assert source_words("the Adult Social Care Outcomes Framework (ASCOF)") == "ASCOF"
    assert source_words("Public Health Outcomes") == "Public Health Outcomes"
    ranks = [
        comparison("England", "england", 48, 151),
        comparison("West Midlands", "region", 5, 14),
        comparison("Shire Counties", "council_type", 12, 24),
    ]
    assert line(ranks, "2023/24", "ASCOF") == (
        "ranked 48th of 151 councils in England, 2023/24, ASCOF; England 77.6%; "
        "5th of 14 councils in the West Midlands region; 12th of 24 among Shire Counties"
    )
    unranked = [comparison("England", "england", None, None)]
    assert line(unranked, "2023/24", "ASCOF") == (
        "not ranked among councils in England, 2023/24, ASCOF; England 77.6%"
    )
