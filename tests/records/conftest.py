from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from builder import write_project, write_submission  # noqa: E402
from scenarios import DISCHARGES, SCENARIOS  # noqa: E402

from boardpack.catalogue import load_project_file  # noqa: E402
from boardpack.records import load_records, measures_for_project  # noqa: E402


def make_project(
    folder: Path, submissions: dict[str, list[tuple]], extra: str = "", discharges=None
):
    """A project whose records are these submissions (council -> [(start, end, submitted,
    rows)]) and hospital discharges, loaded."""
    for council, files in submissions.items():
        for start, end, submitted, rows in files:
            write_submission(folder / "records", start, end, submitted, rows, council)
    if discharges:
        (folder / "hospital").mkdir()
        lines = ["LA_Code,NHS_Number,Discharge_Date,Age_At_Discharge,Emergency_Readmission_Date"]
        lines += [",".join(row) for row in discharges]
        (folder / "hospital" / "discharges.csv").write_text("\n".join(lines) + "\n")
        extra += "  discharges: hospital/discharges.csv\n"
    write_project(folder, extra)
    project = load_project_file(folder)
    load_records(project)
    return project


@pytest.fixture
def scenario_project(tmp_path):
    def make(*councils: str, extra: str = ""):
        return make_project(tmp_path, {c: SCENARIOS[c]() for c in councils}, extra)

    return make


@pytest.fixture(scope="session")
def all_scenarios(tmp_path_factory):
    """Every scenario in one project, loaded once."""
    folder = tmp_path_factory.mktemp("scenarios")
    return make_project(folder, {c: make() for c, make in SCENARIOS.items()}, discharges=DISCHARGES)


@pytest.fixture(scope="session")
def duckdb_measures(all_scenarios):
    return measures_for_project(all_scenarios, suppress=False)[0]


def figure(frame, organisation: str, measure: str, period: str) -> tuple:
    row = frame.filter(
        (frame["organisation"] == organisation)
        & (frame["measure"] == measure)
        & (frame["period"] == period)
    )
    assert row.height == 1, f"{organisation} {measure} {period}: {row.height} rows"
    return row.select("numerator", "denominator", "value").row(0)


def stages_of(project):
    """A DuckDB connection holding every stage table of the project's loaded records."""
    from boardpack.records import definitions, reference
    from boardpack.records.engines import DuckDBEngine, Source
    from boardpack.records.measures import compute
    from boardpack.records.store import database_path, mappings_folder

    engine = DuckDBEngine()
    tables = {n: Source(database=database_path(project)) for n in definitions.BASE_TABLES}
    tables |= {
        n: Source(frame=f)
        for n, f in reference.tables(project.records.as_of, mappings_folder(project)).items()
    }
    compute(engine, tables, definitions.stages(), [])
    return engine.con


def _synth_project(folder: Path, faults: bool):
    """A small synthetic run (synth_helpers.SMALL) as written, loaded."""
    from synth_helpers import SMALL

    from boardpack.records.synth import synthesise

    synthesise(folder, faults=faults, **SMALL)
    project = load_project_file(folder)
    load_records(project)
    return project


@pytest.fixture(scope="session")
def synth_clean(tmp_path_factory):
    return _synth_project(tmp_path_factory.mktemp("synth") / "clean", faults=False)


@pytest.fixture(scope="session")
def synth_faulty(tmp_path_factory):
    return _synth_project(tmp_path_factory.mktemp("synth") / "faulty", faults=True)


def differences_from_expected(project, measures):
    """The rows of the project's expected.csv that `measures` (unsuppressed) do not equal."""
    import polars as pl

    expected = pl.read_csv(
        project.folder / "expected.csv",
        schema_overrides={"numerator": pl.Int64, "denominator": pl.Int64, "value": pl.Float64},
    )
    assert expected.height > 0
    joined = expected.join(
        measures, on=["organisation", "measure", "period"], how="left", suffix="_got"
    )
    return joined.filter(
        pl.col("numerator").ne_missing(pl.col("numerator_got"))
        | pl.col("denominator").ne_missing(pl.col("denominator_got"))
        | pl.col("value").ne_missing(pl.col("value_got"))
    )
