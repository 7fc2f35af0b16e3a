"""Indicators computed from client-level records (`source: {records: measure}`): their figures
are the measures', they are rated, charted, benchmarked and published like any other, and the
pack says where they came from and how good the records were. Built on the demo project
`examples/records-county`, its records generated as `make demo` does."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import polars as pl
import pytest

from boardpack import build_pack, evaluate, load_project
from boardpack.dataset.schema import TABLES
from boardpack.errors import BoardpackError
from boardpack.records import measures_for_project

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "records-county"


def _generate():
    spec = importlib.util.spec_from_file_location("records_county", EXAMPLE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


def copy_example(folder: Path) -> Path:
    """The project without its generated files, beside the national publication it names."""
    (folder.parent / "ascof-england").symlink_to(EXAMPLE.parent / "ascof-england")
    shutil.copytree(
        EXAMPLE, folder, ignore=shutil.ignore_patterns("records", ".boardpack", "expected.csv")
    )
    return folder


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = copy_example(tmp_path_factory.mktemp("records-county") / "project")
    _generate()(folder)
    return folder


@pytest.fixture(scope="module")
def dataset(county):
    return load_project(county)


@pytest.fixture(scope="module")
def pack(county, dataset):
    out = county / "build"
    build_pack(dataset, out=out)
    return out


def test_each_indicator_has_its_measure_s_figures(dataset):
    measures, _ = measures_for_project(dataset.project)
    computed = [ind for ind in dataset.project.indicators if ind.source]
    assert len(computed) == len(dataset.project.indicators) == 9
    for ind in computed:
        figures = dataset.observations.filter(pl.col("indicator") == ind.ref)
        expected = measures.filter(pl.col("measure") == ind.source.records)
        assert figures.height == expected.height > 0, ind.ref
        got = figures.select("period", "numerator", "denominator", "value").sort("period")
        want = expected.select(
            "period", pl.col("numerator", "denominator").cast(pl.Float64), "value"
        ).sort("period")
        assert got.equals(want), ind.ref
        assert set(figures["source"]) == {f"records: {ind.source.records}"}


def test_the_figures_are_the_simulated_truth(county, dataset):
    """The demo's records have no faults: the indicators equal synth's expected.csv."""
    expected = pl.read_csv(county / "expected.csv")
    for ind in dataset.project.indicators:
        want = expected.filter(pl.col("measure") == ind.source.records)
        if want.is_empty():
            continue
        got = dataset.observations.filter(pl.col("indicator") == ind.ref)
        joined = want.join(got, on="period", how="left", suffix="_got")
        unsuppressed = joined.filter(pl.col("numerator_got").is_not_null())
        assert unsuppressed.height > 0, ind.ref
        assert (unsuppressed["numerator"] == unsuppressed["numerator_got"]).all(), ind.ref
        assert (joined["value"] == joined["value_got"]).all(), ind.ref


def test_every_frame_is_as_the_schema_declares(dataset):
    for name, frame in dataset.frames().items():
        assert frame.schema == TABLES[name].columns or name == "indicators", name
    assert dataset.records_quality.height > 0


def test_the_council_s_own_measure_is_an_indicator(dataset):
    starts = dataset.observations.filter(pl.col("indicator") == "COMMUNITY-STARTS")
    assert starts.height >= 8
    assert (starts["value"] > 0).all()
    assert starts["period"].str.starts_with("Q").all()


def test_they_are_rated_against_their_targets(dataset):
    results = evaluate(dataset).results.filter(pl.col("indicator") == "ASCOF-2C")
    for row in results.iter_rows(named=True):
        want = "green" if row["value"] <= 40 else "red" if row["value"] > 50 else "amber"
        assert str(row["rag"]) == want, row["period"]


def test_the_data_quality_summary_lists_every_submission(dataset):
    quality = dataset.records_quality
    assert quality.height == 8
    assert quality["used"].all()
    assert quality["rows"].sum() == 83_402
    assert (quality["no_person_id"] == 0).all()
    assert (quality["invalid_code"] == 0).all()  # synth writes only labels the mappings know


def test_the_pack_says_where_the_figures_came_from(pack):
    page = (pack / "indicators" / "ascof-2c.html").read_text(encoding="utf-8")
    assert "Computed from the Client Level Data submissions as of 14 May 2025" in page
    assert "<dt>Data quality</dt><dd>83,402 rows in 8 submissions" in page
    assert "ranked" in page  # benchmarked against the national publication
    assert "<svg" in page  # charted
    index = (pack / "index.html").read_text(encoding="utf-8")
    assert 'id="data-quality"' in index
    assert index.count("607_2024-12-31_2025-02-13.csv") == 1


def test_an_older_as_of_takes_the_figures_from_the_earlier_submissions(county, tmp_path):
    folder = copy_example(tmp_path / "project")
    shutil.copytree(county / "records", folder / "records")
    shutil.copytree(county / ".boardpack", folder / ".boardpack")
    text = (folder / "boardpack.yaml").read_text(encoding="utf-8")
    (folder / "boardpack.yaml").write_text(text.replace("as_of: 2025-05-31", "as_of: 2025-03-01"))
    dataset = load_project(folder)
    assert dataset.observations["period_end"].max().isoformat() == "2024-12-31"
    assert dataset.records_quality["used"].to_list() == [True] * 7 + [False]


@pytest.fixture
def edited(county, tmp_path):
    """A copy of the loaded demo whose boardpack.yaml is edited."""

    def make(old: str, new: str, loaded: bool = True) -> Path:
        folder = copy_example(tmp_path / "project")
        shutil.copytree(county / "records", folder / "records")
        if loaded:
            shutil.copytree(county / ".boardpack", folder / ".boardpack")
        text = (folder / "boardpack.yaml").read_text(encoding="utf-8")
        assert old in text
        (folder / "boardpack.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
        return folder

    return make


def _problems(folder: Path) -> list[str]:
    with pytest.raises(BoardpackError) as caught:
        load_project(folder)
    return [str(p) for p in caught.value.problems]


def test_a_measure_that_does_not_exist_is_named(edited):
    (problem,) = _problems(edited("{records: ascof_2c}", "{records: ascof_2x}"))
    assert "ascof_2x" in problem and "did you mean ascof_2" in problem


def test_a_unit_that_does_not_fit_the_measure_is_refused(edited):
    folder = edited("unit: rate_per_100k", "unit: percent")
    (problem,) = _problems(folder)
    assert "ASCOF-2C" in problem and "give ASCOF-2C unit: rate_per_100k" in problem


def test_a_frequency_that_does_not_fit_the_measure_is_refused(edited):
    folder = edited(
        "    frequency: annual\n    source: {records: ascof_2a}",
        "    frequency: quarterly\n    source: {records: ascof_2a}",
    )
    problems = _problems(folder)
    assert any("computed for financial years" in p and "ASCOF-2A" in p for p in problems)


def test_records_not_loaded_say_to_load_them(edited):
    problems = _problems(edited("as_of", "as_of", loaded=False))
    assert any("boardpack records load" in p for p in problems)


def test_an_indicator_from_records_needs_the_records_section(edited):
    folder = edited("records:\n  files: [records/*.csv]\n  as_of: 2025-05-31\n", "")
    problems = _problems(folder)
    assert any("records" in p and "add a records: section" in p for p in problems)


def test_figures_for_it_in_a_data_file_are_refused(edited):
    folder = edited("indicators:", "data:\n  - file: figures.csv\n\nindicators:")
    (folder / "figures.csv").write_text("indicator,period,value\nLTS-PEOPLE,Q4 2024/25,5\n")
    problems = _problems(folder)
    assert any("figures.csv" in p and "LTS-PEOPLE" in p for p in problems)


def _small_project(folder: Path, people: int, *, named_quarter: bool = True) -> Path:
    """A council with `people` in long-term community support from May 2024, one submission
    (named without its quarter end when `named_quarter` is false), and one indicator on it."""
    from builder import service, write_project, write_submission

    rows = [service(str(n), "Long term support: Community", "2024-05-01") for n in range(people)]
    path = write_submission(folder / "records", "2024-04-01", "2025-03-31", "2025-04-20", rows)
    files = ""
    if not named_quarter:
        path.rename(path.with_name("hartlepool.csv"))
        files = "    - {file: records/hartlepool.csv, submitted: 2025-04-20}\n"
    write_project(folder)
    text = (folder / "boardpack.yaml").read_text(encoding="utf-8")
    if files:
        text = text.replace("    - records/*.csv\n", files)
    text += (
        "indicators:\n  - ref: LTS\n    title: People in long-term support\n"
        "    polarity: none\n    unit: number\n    frequency: quarterly\n"
        "    source: {records: lts_people}\n"
    )
    (folder / "boardpack.yaml").write_text(text, encoding="utf-8")
    from boardpack.catalogue import load_project_file
    from boardpack.records import load_records

    load_records(load_project_file(folder))
    return folder


def test_small_numbers_are_suppressed_as_the_publication_does(tmp_path):
    dataset = load_project(_small_project(tmp_path, 3))
    last = dataset.observations.filter(pl.col("period") == "Q4 2024/25").row(0, named=True)
    assert (last["value"], last["numerator"], last["missing_reason"]) == (None, None, "suppressed")
    assert last["note"] == "small numbers suppressed"


def test_a_submission_named_without_its_quarter_is_placed_by_its_stated_period(tmp_path):
    dataset = load_project(_small_project(tmp_path, 6, named_quarter=False))
    quality = dataset.records_quality.row(0, named=True)
    assert (quality["quarter_end"].isoformat(), quality["used"]) == ("2025-03-31", True)
    last = dataset.observations.filter(pl.col("period") == "Q4 2024/25").row(0, named=True)
    assert (last["value"], last["numerator"]) == (6.0, 6.0)


def _no_measures(monkeypatch) -> None:
    """Computing any measure fails the test: validating must not run them."""

    def refused(*args, **kwargs):
        raise AssertionError("validate ran the records measures")

    monkeypatch.setattr("boardpack.records.compute", refused)
    monkeypatch.setattr("boardpack.sources.client_records.measures_for_project", refused)


def test_validate_checks_the_records_without_computing_a_measure(county, monkeypatch):
    from click.testing import CliRunner

    from boardpack.cli import main

    _no_measures(monkeypatch)
    result = CliRunner().invoke(main, ["validate", str(county)])
    assert result.exit_code == 0, result.output
    computed = sum(
        bool(ind.source) for ind in load_project(county, measures=False).project.indicators
    )
    assert f"({computed} computed from client-level records" in result.output
    assert "no problems found" in result.output


@pytest.mark.parametrize(
    "old, new, loaded, words",
    [
        ("{records: ascof_2c}", "{records: ascof_2x}", True, "did you mean ascof_2"),
        ("unit: rate_per_100k", "unit: percent", True, "give ASCOF-2C unit: rate_per_100k"),
        ("as_of", "as_of", False, "boardpack records load"),
    ],
)
def test_validate_still_finds_a_wrong_measure_unit_or_unloaded_records(
    edited, monkeypatch, old, new, loaded, words
):
    from click.testing import CliRunner

    from boardpack.cli import main

    _no_measures(monkeypatch)
    result = CliRunner().invoke(main, ["validate", str(edited(old, new, loaded))])
    assert result.exit_code != 0 and words in result.output, result.output


def test_the_figures_are_computed_once_for_the_records_as_they_are(county, tmp_path, monkeypatch):
    import duckdb

    from boardpack.sources import client_records

    folder = copy_example(tmp_path / "project")
    shutil.copytree(county / "records", folder / "records")
    shutil.copytree(county / ".boardpack", folder / ".boardpack")
    shutil.rmtree(folder / ".boardpack" / "measures-cache", ignore_errors=True)
    computed = []
    real = client_records.measures_for_project

    def counted(*args, **kwargs):
        computed.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(client_records, "measures_for_project", counted)
    first = load_project(folder).observations
    again = load_project(folder).observations
    assert len(computed) == 1  # read back: the records and the measures are unchanged
    assert again.equals(first)
    with duckdb.connect(str(folder / ".boardpack" / "records.duckdb")) as con:
        con.execute("CREATE TABLE note_of_a_change (a INTEGER)")  # the content changes
    assert load_project(folder).observations.equals(first)
    assert len(computed) == 2  # computed again
    assert len(list((folder / ".boardpack" / "measures-cache").glob("*.parquet"))) == 1
