"""`synth` as a person runs it: what it writes and says, and what it refuses."""

from __future__ import annotations

from click.testing import CliRunner

from boardpack.cli import main


def test_synth_writes_the_records_and_says_where(tmp_path):
    out = tmp_path / "records"
    result = CliRunner().invoke(
        main,
        [
            "records",
            "synth",
            str(out),
            "--councils",
            "1",
            "--people",
            "60",
            "--quarters",
            "2",
            "--seed",
            "3",
            "--faults",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 3 submissions" in result.output  # two quarters and a resubmission
    assert f"Expected measures: {out / 'expected.csv'}" in result.output
    assert "faults.csv" in result.output
    for name in ("expected.csv", "submissions.csv", "faults.csv", "boardpack.yaml"):
        assert (out / name).is_file()


def test_synth_refuses_bad_options_and_a_folder_in_use(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "records",
            "synth",
            str(tmp_path / "x"),
            "--councils",
            "200",
            "--quarters",
            "0",
            "--people",
            "3",
        ],
    )
    assert result.exit_code == 1
    assert "3 problems found; nothing was written." in result.output
    assert '--councils: "200" must be from 1 to 153' in result.output
    assert '--people: "3" must be at least 10' in result.output
    assert '--quarters: "0" must be from 1 to 12' in result.output
    assert not (tmp_path / "x").exists()
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["records", "synth", str(tmp_path / "used")])
    assert result.exit_code == 1
    assert "is not empty; name a new folder" in result.output
    assert (tmp_path / "used" / "notes.txt").read_text() == "mine"
