"""`boardpack reconcile`: Boardpack's ratings and directions beside a council's published ones.

The council's quarterly web table (tests/fixtures/council-web-table, made up) is one CSV per
quarter with the columns Indicator, Description, Directorate, Last period, This period,
Target, Status and Trend, configured with `period:`, `ignore:`, `previous_value` (under
`columns:`) and `published_words` only."""

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from boardpack import api
from boardpack.cli import main
from boardpack.engine.reconcile import reconciliation_summary
from boardpack.errors import BoardpackError

WEB_TABLE = Path(__file__).parent / "fixtures" / "council-web-table"
SUMMARY = (
    "Boardpack gives 18 of your 20 published ratings and 19 of your 20 published directions; "
    "the 3 that differ: CHS02 Q1 2024/25: rated Amber, published Green (86.0% is 4.0 "
    "percentage points worse than the target of 90.0% (Amber: no more than 10% worse than "
    "target)); ENV04 Q3 2024/25: rated Amber, published Green (44.8% is 0.2 percentage points "
    "worse than the target of 45.0% (Amber: no more than 10% worse than target); Q3 2024/25 "
    "figure revised from 45.0% to 44.8%); REV05 Q1 2024/25: direction Improving, published No "
    "change (compared with the previous period (22.4 days))."
)


def test_the_councils_web_table_reconciles():
    found = api.reconcile(WEB_TABLE)
    assert found.summary == SUMMARY
    table = found.table
    assert table.columns == [
        "indicator",
        "organisation",
        "period",
        "value",
        "target",
        "rag",
        "published_rag",
        "rag_agrees",
        "direction",
        "published_direction",
        "direction_agrees",
        "rag_reason",
        "revised",
        "direction_reason",
    ]
    assert table.height == 20  # five indicators, four quarters; Q4 2023/24 has none published
    hsg = table.filter(indicator="HSG03", period="Q1 2024/25").to_dicts()[0]
    assert (hsg["value"], hsg["rag"], hsg["published_rag"], hsg["rag_agrees"]) == (
        166.0,  # as revised by the Q2 table's "Last period"
        "red",
        "red",
        True,
    )


def test_a_direction_that_differs_says_what_it_compared_with_or_why_there_is_none():
    rows = api.reconcile(WEB_TABLE).table.filter(indicator="REV05").to_dicts()
    assert rows[0]["direction_reason"] == "Improving on the previous period (22.4 days)"
    table = api.reconcile(WEB_TABLE).table.with_columns(
        direction=pl.lit("not_applicable"),
        direction_agrees=pl.lit(False),
        direction_reason=pl.lit("No figure for the same period last year to compare with"),
    )
    assert (
        "direction Not applicable, published Improving (no figure for the same period last "
        "year to compare with)" in reconciliation_summary(table)
    )


def test_reconcile_writes_csv_or_json_with_the_summary(tmp_path):
    runner = CliRunner()
    done = runner.invoke(main, ["reconcile", str(WEB_TABLE), "--out", str(tmp_path / "r.csv")])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == SUMMARY
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("indicator,organisation,period,value,target,rag,published_rag")
    assert len(lines) == 21
    done = runner.invoke(main, ["reconcile", str(WEB_TABLE), "--format", "json"])
    found = json.loads(done.stdout)
    assert found["summary"] == SUMMARY and len(found["rows"]) == 20


def test_nothing_published_is_a_clear_problem(tmp_path):
    (tmp_path / "boardpack.yaml").write_text("organisation: {code: E1, name: X}\n")
    with pytest.raises(BoardpackError, match="no figure has a published rating or direction"):
        api.reconcile(tmp_path)


def test_the_pack_appendix_when_asked_for(tmp_path):
    folder = Path(shutil.copytree(WEB_TABLE, tmp_path / "council"))
    config = folder / "boardpack.yaml"
    config.write_text(
        config.read_text().replace("settings:\n", "settings:\n  show_reconciliation: true\n")
    )
    built = api.build_pack(folder, period="Q1 2024/25", out=tmp_path / "pack")
    index = built.index.read_text(encoding="utf-8")
    assert "Appendix: ratings and directions as published" in index
    assert (
        "Boardpack gives 4 of your 5 published ratings and 4 of your 5 published directions"
        in index
    )
    plain = api.build_pack(WEB_TABLE, period="Q1 2024/25", out=tmp_path / "plain")
    assert 'id="reconciliation"' not in plain.index.read_text(encoding="utf-8")
