"""Revised figures in packs: marked on the summary row and the indicator page, and listed,
whether a later file or a later import revised them."""

import datetime as dt
from pathlib import Path

import pytest

from boardpack import api, load_project
from boardpack.assemble import pack_input
from boardpack.errors import BoardpackError
from boardpack.periods import parse_period

WEB_TABLE = Path(__file__).parent / "fixtures" / "council-web-table"


@pytest.fixture(scope="module")
def dataset():
    return load_project(WEB_TABLE)


def rows_for(dataset, label: str, since=None) -> dict:
    pack = pack_input(dataset, api.evaluate(dataset), parse_period(label), restated_since=since)
    return pack, {row["indicator"]: row for row in pack.rows.to_dicts()}


def test_the_revised_figure_is_marked_in_its_period_and_the_next(dataset):
    pack, rows = rows_for(dataset, "Q1 2024/25")
    assert rows["HSG03"]["value"] == 166.0
    assert rows["HSG03"]["revised_text"] == "revised from 168 to 166"
    assert rows["ASC01"]["revised_text"] is None
    pack, rows = rows_for(dataset, "Q2 2024/25")
    assert rows["HSG03"]["revised_text"] == "Q1 2024/25 figure revised from 168 to 166"
    assert [item["text"] for item in pack.revisions] == [
        "Q1 2024/25 figure revised from 168 to 166"
    ]


def test_percentages_are_written_as_the_indicator_writes_them(dataset):
    pack, rows = rows_for(dataset, "Q4 2024/25")
    assert rows["ENV04"]["revised_text"] == "Q3 2024/25 figure revised from 45.0% to 44.8%"
    assert {item["indicator"] for item in pack.revisions} == {"HSG03", "ENV04"}


def test_restated_since_lists_only_later_revisions(dataset):
    pack, _ = rows_for(dataset, "Q4 2024/25", since=dt.date.today() + dt.timedelta(days=1))
    assert pack.revisions == []
    pack, _ = rows_for(dataset, "Q4 2024/25", since=api.restated_since_date("Q2 2024/25"))
    assert len(pack.revisions) == 2  # the files were saved after Q2 2024/25 ended


def test_restated_since_must_be_a_date_or_a_period():
    assert api.restated_since_date("2025-01-31") == dt.date(2025, 1, 31)
    assert api.restated_since_date("31/01/2025") == dt.date(2025, 1, 31)
    assert api.restated_since_date("Q3 2024/25") == dt.date(2025, 1, 1)
    with pytest.raises(BoardpackError) as caught:
        api.restated_since_date("last week")
    assert caught.value.problems[0].field == "restated_since"


def test_the_pack_marks_and_lists_them(dataset, tmp_path):
    built = api.build_pack(dataset, period="Q2 2024/25", out=tmp_path)
    index = built.index.read_text(encoding="utf-8")
    assert '<span class="revised">Q1 2024/25 figure revised from 168 to 166</span>' in index
    assert '<h2 id="revisions-heading">Revised figures</h2>' in index
    assert "(data/2024-25-q2.csv:4)" in index
    page = (tmp_path / "indicators" / "hsg03.html").read_text(encoding="utf-8")
    assert "Revised: Q1 2024/25 figure revised from 168 to 166." in page


def test_build_restated_since_on_the_command_line(tmp_path):
    from click.testing import CliRunner

    from boardpack.cli import main

    runner = CliRunner()
    args = ["build", str(WEB_TABLE), "--period", "Q2 2024/25", "--out", str(tmp_path)]
    done = runner.invoke(main, [*args, "--restated-since", "someday"])
    assert done.exit_code == 2
    assert "Invalid value for '--restated-since'" in done.output
    assert '"someday" is neither a date (2025-01-31) nor a period' in done.output
    done = runner.invoke(main, [*args, "--restated-since", "2999-01-01"])
    assert done.exit_code == 0, done.output
    assert 'id="revisions"' not in (tmp_path / "index.html").read_text(encoding="utf-8")
