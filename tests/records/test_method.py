"""The method's stages on the faults councils' submissions carry: what each fault becomes."""

from __future__ import annotations

from builder import event, service
from conftest import figure, make_project, stages_of

from boardpack.records import measures_for_project

COMMUNITY = "Long term support: Community"
YEAR = ("2024-04-01", "2025-03-31")


def _rows(con, sql):
    return con.execute(sql).fetchall()


def test_a_resubmission_replaces_the_earlier_file_and_duplicates_count_once(tmp_path):
    first = [service("1", COMMUNITY, "2024-05-01"), service("2", COMMUNITY, "2024-05-01")]
    again = [service("1", COMMUNITY, "2024-05-01")] * 2 + [service("3", COMMUNITY, "2024-06-01")]
    project = make_project(
        tmp_path, {"111": [(*YEAR, "2025-04-20", first), (*YEAR, "2025-04-28", again)]}
    )
    frame, _ = measures_for_project(project, suppress=False)
    # The resubmission supplies every quarter: people 1 and 3; person 1's copies are one event.
    assert figure(frame, "E06000001", "lts_people", "Q4 2024/25")[0] == 2
    con = stages_of(project)
    assert _rows(con, "SELECT DISTINCT submission_id FROM reference_periods") == [(2,)]
    assert _rows(con, "SELECT count(*) FROM unique_events WHERE person_id = '9000000001'") == [(1,)]


def test_a_submission_sent_after_the_as_of_date_is_not_used(tmp_path):
    first = [service("1", COMMUNITY, "2024-05-01")]
    later = [service("2", COMMUNITY, "2024-05-01")]
    project = make_project(
        tmp_path,
        {"111": [(*YEAR, "2025-04-20", first), (*YEAR, "2025-04-28", later)]},
        extra="  as_of: 2025-04-25\n",
    )
    con = stages_of(project)
    assert _rows(con, "SELECT DISTINCT person_id FROM unique_events") == [("9000000001",)]


def test_an_open_service_missing_from_the_next_quarter_is_cropped(tmp_path):
    vanishing = service("1", COMMUNITY, "2023-08-01")
    q1 = (
        "2023-07-01",
        "2024-06-30",
        "2024-07-20",
        [vanishing, service("2", COMMUNITY, "2023-08-01")],
    )
    q2 = ("2023-10-01", "2024-09-30", "2024-10-20", [service("2", COMMUNITY, "2023-08-01")])
    project = make_project(tmp_path, {"111": [q1, q2]})
    con = stages_of(project)
    ends = dict(_rows(con, "SELECT person_id, der_event_end_date FROM unique_events"))
    assert str(ends["9000000001"]) == "2023-09-30"  # cropped to its quarter's end
    assert ends["9000000002"] is None  # still open in the last quarter: left open
    cropped = _rows(con, "SELECT person_id, cropped FROM unique_events ORDER BY person_id")
    assert cropped == [("9000000001", 1), ("9000000002", 0)]


def test_missing_identifiers_fall_back_to_the_council_id_or_drop_the_row(tmp_path):
    rows = [
        service("1", COMMUNITY, "2024-05-01", NHS_Number=""),
        service("2", COMMUNITY, "2024-05-01", NHS_Number="", LA_Person_Unique_Identifier=""),
        service("3", COMMUNITY, "2024-05-01"),
    ]
    project = make_project(tmp_path, {"111": [(*YEAR, "2025-04-20", rows)]})
    con = stages_of(project)
    people = [p for (p,) in _rows(con, "SELECT person_id FROM unique_events ORDER BY 1")]
    assert people == ["9000000003", "E06000001_P1"]


def test_release_1_and_invalid_labels_are_mapped_or_marked_invalid(tmp_path):
    rows = [
        service(
            "1",
            "Long Term Support: Community",
            "2024-05-01",
            Client_Type="Service User",
            Ethnicity="Mixed: White and Asian",
            Service_Component="Home Support",
        ),
        service("2", COMMUNITY, "2024-05-01", Ethnicity="White"),
    ]
    project = make_project(tmp_path, {"111": [(*YEAR, "2025-04-20", rows)]})
    con = stages_of(project)
    found = _rows(
        con,
        """SELECT service_type_cleaned, client_type_cleaned, ethnicity_cleaned,
        service_component_cleaned FROM unique_events ORDER BY person_id""",
    )
    assert found[0] == (
        COMMUNITY,
        "Service user",
        "Mixed or multiple ethnic groups: White and Asian",
        "Home support or domiciliary care",
    )
    assert found[1][2] == "Invalid and not mapped"


def test_a_council_adds_its_own_mapping_rows(tmp_path):
    maps = tmp_path / "mappings"
    maps.mkdir()
    (maps / "ours.csv").write_text(
        "field,raw,cleaned\nEthnicity,White,White: Any other White background\n"
    )
    rows = [service("2", COMMUNITY, "2024-05-01", Ethnicity="White")]
    project = make_project(
        tmp_path, {"111": [(*YEAR, "2025-04-20", rows)]}, extra="  mappings: mappings\n"
    )
    con = stages_of(project)
    assert _rows(con, "SELECT ethnicity_cleaned, ethnicity_grouped FROM unique_events") == [
        ("White: Any other White background", "White")
    ]


def test_conflicting_demographics_become_unknown_and_known_beats_unknown(tmp_path):
    rows = [
        service("1", COMMUNITY, "2024-05-01", Gender="Male"),
        service(
            "1",
            "Short term support: ST-Max",
            "2024-05-01",
            Gender="Female",
            Service_Component="Reablement",
        ),
        service("2", COMMUNITY, "2024-05-01", Gender="Male"),
        event("2", "Review", "2024-06-01", "2024-06-02", Gender="Unknown"),
    ]
    project = make_project(tmp_path, {"111": [(*YEAR, "2025-04-20", rows)]})
    con = stages_of(project)
    genders = _rows(con, "SELECT person_id, gender FROM person_details ORDER BY 1")
    assert genders == [("9000000001", "Unknown"), ("9000000002", "Male")]


def test_events_after_death_are_dropped_and_death_ends_open_services(tmp_path):
    rows = [
        service("1", COMMUNITY, "2024-05-01", Date_of_Death="2024-10-10"),
        event("1", "Review", "2024-11-01", "2024-11-02", Date_of_Death="2024-10-10"),
    ]
    project = make_project(tmp_path, {"111": [(*YEAR, "2025-04-20", rows)]})
    con = stages_of(project)
    events = _rows(con, "SELECT event_type, der_event_end_date FROM unique_events")
    assert [(kind, str(end)) for kind, end in events] == [("Service", "2024-10-10")]


def test_reporting_periods_are_derived_from_the_months_with_events(tmp_path):
    # The file says April to March, but its events end only from July on.
    months = [
        "2024-07",
        "2024-08",
        "2024-09",
        "2024-10",
        "2024-11",
        "2024-12",
        "2025-01",
        "2025-02",
        "2025-03",
    ]
    rows = []
    for number, month in enumerate(months * 12):
        person = str(number)
        rows.append(event(person, "Request", f"{month}-01", f"{month}-02"))
        rows.append(event(person, "Review", f"{month}-03", f"{month}-04"))
    project = make_project(tmp_path, {"111": [(*YEAR, "2025-04-20", rows)]})
    con = stages_of(project)
    period = _rows(con, "SELECT period_start, period_end, derived FROM submission_periods")
    assert [(str(a), str(b), d) for a, b, d in period] == [("2024-07-01", "2025-03-31", 1)]
    quarters = [q for (q,) in _rows(con, "SELECT quarter FROM reference_periods ORDER BY 1")]
    assert quarters == ["Q2 2024/25", "Q3 2024/25", "Q4 2024/25"]
