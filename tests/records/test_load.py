"""Loading submissions: structural faults refused with file, row, column and value, nothing
half-loaded; the data-quality report of what the method tolerates."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from builder import event, service, write_project, write_submission
from conftest import make_project

from boardpack.catalogue import load_project_file
from boardpack.errors import BoardpackError
from boardpack.records import load_records, quality_report
from boardpack.records.store import database_path

YEAR = ("2024-04-01", "2025-03-31", "2025-04-20")
COMMUNITY = "Long term support: Community"


def _load(folder, rows, **kwargs):
    write_submission(folder / "records", *YEAR, rows, **kwargs)
    write_project(folder)
    project = load_project_file(folder)
    return project, load_records(project)


def test_a_load_reads_every_file_and_says_what_it_read(tmp_path):
    project, loaded = _load(tmp_path, [service("1", COMMUNITY, "2024-05-01")])
    assert (loaded.files, loaded.rows, loaded.organisations) == (1, 1, ("E06000001",))
    assert "1 rows from 1 submission files (E06000001)" in str(loaded)
    assert database_path(project).exists()


def test_unreadable_dates_and_unknown_event_types_are_refused_with_their_place(tmp_path):
    rows = [
        service("1", COMMUNITY, "2024-05-01"),
        event("2", "Visit", "2024-06-01", "2024-06-02"),
        service("3", COMMUNITY, "31st May"),
    ]
    with pytest.raises(BoardpackError) as raised:
        _load(tmp_path, rows)
    found = {(p.row, p.column, p.value) for p in raised.value.problems}
    assert (3, "Event_Type", "Visit") in found
    assert (4, "Event_Start_Date", "31st May") in found
    assert all(p.file.endswith(".csv") and p.fix for p in raised.value.problems)
    assert not database_path(load_project_file(tmp_path)).exists()


def test_a_council_code_that_is_no_council_is_refused(tmp_path):
    with pytest.raises(BoardpackError) as raised:
        _load(tmp_path, [service("1", COMMUNITY, "2024-05-01")], council="999")
    assert raised.value.problems[0].column == "LA_Code"
    assert "999" in str(raised.value)


def test_numbers_that_are_not_numbers_are_refused_with_their_place(tmp_path):
    rows = [
        service("1", COMMUNITY, "2024-05-01", Unit_Cost="£1,234.50"),
        service("2", COMMUNITY, "2024-05-01", Unit_Cost="a lot"),
    ]
    with pytest.raises(BoardpackError) as raised:
        _load(tmp_path, rows)
    found = [(p.row, p.column, p.value, p.what) for p in raised.value.problems]
    assert found == [(3, "Unit_Cost", "a lot", "is not a number")]


def test_a_file_of_two_councils_and_a_file_with_no_rows_are_refused(tmp_path):
    """Every value is readable here: the faults are found in the typed rows."""
    write_submission(tmp_path / "records", *YEAR, [])
    two = [service("1", COMMUNITY, "2024-05-01"), service("2", COMMUNITY, "2024-05-01")]
    two[1]["LA_Code"] = "E06000002"
    write_submission(tmp_path / "records", "2024-07-01", "2025-06-30", "2025-07-20", two)
    write_project(tmp_path)
    with pytest.raises(BoardpackError) as raised:
        load_records(load_project_file(tmp_path))
    found = [(p.file, p.value, p.what) for p in raised.value.problems]
    assert found == [
        (
            "records/111_2025-06-30_2025-07-20.csv",
            "E06000001, E06000002",
            "holds more than one council's records",
        ),
        ("records/111_2025-03-31_2025-04-20.csv", None, "has no rows of records"),
    ]


def test_each_record_is_numbered_by_its_line_in_its_file(tmp_path):
    first = [service(str(n), COMMUNITY, "2024-05-01") for n in range(1, 4)]
    second = [service(str(n), COMMUNITY, "2024-08-01") for n in range(4, 6)]
    write_submission(tmp_path / "records", *YEAR, first)
    write_submission(tmp_path / "records", "2024-07-01", "2025-06-30", "2025-07-20", second)
    project = load_project_file(write_project(tmp_path))
    load_records(project)
    with duckdb.connect(str(database_path(project)), read_only=True) as con:
        read = con.execute(
            "SELECT record_id, submission_id, row_number, la_person_unique_identifier "
            "FROM cld_records ORDER BY record_id"
        ).fetchall()
    assert read == [
        (1_000_000_002, 1, 2, "P1"),
        (1_000_000_003, 1, 3, "P2"),
        (1_000_000_004, 1, 4, "P3"),
        (2_000_000_002, 2, 2, "P4"),
        (2_000_000_003, 2, 3, "P5"),
    ]


def test_a_missing_required_column_is_refused(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "111_2025-03-31_2025-04-20.csv").write_text("LA_Code,Event_Type\n111,Service\n")
    write_project(tmp_path)
    with pytest.raises(BoardpackError) as raised:
        load_records(load_project_file(tmp_path))
    missing = {p.column for p in raised.value.problems}
    assert {"Event_Start_Date", "NHS_Number", "Date_of_Birth"} <= missing


def test_a_failed_load_leaves_the_previous_records_in_place(tmp_path):
    project, _ = _load(tmp_path, [service("1", COMMUNITY, "2024-05-01")])
    before = database_path(project).read_bytes()
    write_submission(
        tmp_path / "records",
        "2024-07-01",
        "2025-06-30",
        "2025-07-20",
        [event("2", "Visit", "2024-08-01", "2024-08-02")],
    )
    with pytest.raises(BoardpackError):
        load_records(project)
    assert database_path(project).read_bytes() == before


def test_release_1_headers_written_with_spaces_are_read(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    header = (
        "LA code,Reporting period start date,Reporting period end date,NHS number,"
        "LA person unique identifier,Date of birth,Client type,Event type,"
        "Event start date,Event end date,Service type,Local notes\n"
    )
    row = (
        "111,2024-04-01,2025-03-31,9000000001,P1,15/06/1940,Service User,Service,"
        "01/05/2024,,Long Term Support: Community,x\n"
    )
    (folder / "111_2025-03-31_2025-04-20.csv").write_text(header + row)
    write_project(tmp_path)
    project = load_project_file(tmp_path)
    assert load_records(project).rows == 1
    report = quality_report(project)
    ignored = report.filter(report["check"] == "ignored_column")
    assert ignored["value"].to_list() == ["Local notes"]


def test_the_quality_report_counts_what_the_method_tolerates(tmp_path):
    rows = [
        service("1", COMMUNITY, "2024-05-01"),
        service("1", COMMUNITY, "2024-05-01"),
        service("2", COMMUNITY, "2024-06-01", "2024-05-01", Ethnicity="Martian"),
        event("3", "Review", "2024-09-01", "2024-09-02", Date_of_Death="2024-08-01"),
        event(
            "4", "Review", "2024-09-01", "2024-09-02", NHS_Number="", LA_Person_Unique_Identifier=""
        ),
    ]
    project, _ = _load(tmp_path, rows)
    report = quality_report(project)

    def count(check, field=None, value=None):
        found = report.filter(report["check"] == check)
        if field:
            found = found.filter(found["field"] == field)
        if value:
            found = found.filter(found["value"] == value)
        return found.select("rows", "of_rows").row(0)

    assert count("open_service") == (2, 3)
    opened = report.filter(report["check"] == "open_service")
    assert opened["percent"].to_list() == [66.7]
    assert count("end_before_start") == (1, 3)
    assert count("duplicate") == (1, 5)
    assert count("after_death") == (1, 1)
    assert count("no_person_id") == (1, 5)
    assert count("invalid_code", "Ethnicity") == (1, 5)
    assert count("invalid_value", "Ethnicity", "Martian") == (1, 5)
    assert count("completeness", "NHS_Number") == (4, 5)


def test_workbooks_are_read_like_csv(tmp_path):
    import xlsxwriter

    from boardpack.records.cld import fields

    folder = tmp_path / "records"
    folder.mkdir()
    book = xlsxwriter.Workbook(folder / "111_2025-03-31_2025-04-20.xlsx")
    sheet = book.add_worksheet()
    names = [f.name for f in fields()]
    values = {
        "LA_Code": "111",
        "Reporting_Period_Start_Date": "2024-04-01",
        "Reporting_Period_End_Date": "2025-03-31",
    }
    values |= service("1", COMMUNITY, "2024-05-01")
    sheet.write_row(0, 0, names)
    sheet.write_row(1, 0, [values.get(n, "") for n in names])
    book.close()
    (tmp_path / "boardpack.yaml").write_text(
        "organisation: {code: E06000001, name: Hartlepool}\nrecords: [records/*.xlsx]\n"
    )
    assert load_records(load_project_file(tmp_path)).rows == 1


def test_a_workbook_field_blank_in_its_first_rows_is_read(tmp_path):
    """A field left blank for the first few hundred rows and filled later is read as text."""
    import xlsxwriter

    from boardpack.records.cld import fields

    folder = tmp_path / "records"
    folder.mkdir()
    book = xlsxwriter.Workbook(folder / "111_2025-03-31_2025-04-20.xlsx")
    sheet = book.add_worksheet()
    names = [f.name for f in fields()]
    sheet.write_row(0, 0, names)
    period = {
        "LA_Code": "111",
        "Reporting_Period_Start_Date": "2024-04-01",
        "Reporting_Period_End_Date": "2025-03-31",
    }
    for number in range(1, 302):
        end = "2025-01-19" if number == 301 else ""
        values = period | service(str(number), COMMUNITY, "2024-05-01", end or None)
        sheet.write_row(number, 0, [values.get(n, "") for n in names])
    book.close()
    (tmp_path / "boardpack.yaml").write_text(
        "organisation: {code: E06000001, name: Hartlepool}\nrecords: [records/*.xlsx]\n"
    )
    assert load_records(load_project_file(tmp_path)).rows == 301


def test_records_named_in_the_project_must_exist(tmp_path):
    (tmp_path / "boardpack.yaml").write_text(
        "organisation: {code: E06000001, name: Hartlepool}\nrecords: [records/*.csv]\n"
    )
    with pytest.raises(BoardpackError) as raised:
        load_records(load_project_file(tmp_path))
    assert "no such submission file" in str(raised.value)


def test_make_project_loads_several_councils(tmp_path):
    project = make_project(
        tmp_path,
        {
            "111": [(*YEAR, [service("1", COMMUNITY, "2024-05-01")])],
            "112": [(*YEAR, [service("1", COMMUNITY, "2024-05-01")])],
        },
    )
    assert database_path(project).exists()


def test_a_discharges_file_with_faults_is_refused_with_their_place(tmp_path):
    write_submission(tmp_path / "records", *YEAR, [service("1", COMMUNITY, "2024-05-01")])
    (tmp_path / "hospital").mkdir()
    (tmp_path / "hospital" / "discharges.csv").write_text(
        "LA_Code,NHS_Number,Discharge_Date,Age_At_Discharge\n"
        "111,9000000001,2024-06-01,80\n111,9000000002,June,eighty\n"
    )
    write_project(tmp_path, "  discharges: hospital/discharges.csv\n")
    with pytest.raises(BoardpackError) as raised:
        load_records(load_project_file(tmp_path))
    found = {(p.row, p.column, p.value) for p in raised.value.problems}
    assert found == {(3, "Discharge_Date", "June"), (3, "Age_At_Discharge", "eighty")}


def test_headers_written_twice_or_with_quotes_are_read_by_position(tmp_path):
    """The first column naming a field is read; a repeated or quoted header is not a fault."""
    folder = tmp_path / "records"
    folder.mkdir()
    header = (
        "LA_Code,Reporting_Period_Start_Date,Reporting_Period_End_Date,NHS_Number,"
        'LA_Person_Unique_Identifier,Date_of_Birth,Client_Type,Event_Type,"Local ""notes""",'
        "Event_Start_Date,Event_End_Date,Service_Type,Event_Type\n"
    )
    row = (
        "111,2024-04-01,2025-03-31,9000000001,P1,1940-06-15,Service User,Service,x,"
        "2024-05-01,,Long Term Support: Community,Review\n"
    )
    (folder / "111_2025-03-31_2025-04-20.csv").write_text(header + row)
    write_project(tmp_path)
    project = load_project_file(tmp_path)
    assert load_records(project).rows == 1
    with duckdb.connect(str(database_path(project)), read_only=True) as con:
        read = con.execute("SELECT event_type, event_start_date FROM cld_records").fetchall()
    assert [(kind, str(day)) for kind, day in read] == [("Service", "2024-05-01")]
    ignored = quality_report(project).filter(pl.col("check") == "ignored_column")
    assert ignored["value"].to_list() == ['Local "notes"']


def test_the_duckdb_engine_is_capped_and_keeps_no_insertion_order():
    """Without a cap DuckDB takes 80% of the machine (19 GB here at 10M rows)."""
    from boardpack.records.engines import DuckDBEngine

    engine = DuckDBEngine()
    try:
        limit, order = engine.con.execute(
            "SELECT current_setting('memory_limit'), current_setting('preserve_insertion_order')"
        ).fetchall()[0]
    finally:
        engine.close()
    assert limit == "2.7 GiB"  # 3 GB
    assert order is False
