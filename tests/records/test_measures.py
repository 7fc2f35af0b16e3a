"""Every measure on the hand-made scenarios, with figures worked out by hand (scenarios.py)."""

from __future__ import annotations

from conftest import figure
from scenarios import SCENARIOS

from boardpack.records import measures_for_project
from boardpack.records.definitions import builtin_measures, discharge_measures

HARTLEPOOL, MIDDLESBROUGH, REDCAR, STOCKTON = "E06000001", "E06000002", "E06000003", "E06000004"
DURHAM = "E06000047"


def test_ascof_2a_counts_new_clients_reablement_episodes_by_what_followed(duckdb_measures):
    assert figure(duckdb_measures, HARTLEPOOL, "ascof_2a", "2024/25") == (3, 4, 75.0)
    assert figure(duckdb_measures, HARTLEPOOL, "ascof_2a_18_64", "2024/25") == (0, 1, 0.0)
    assert figure(duckdb_measures, HARTLEPOOL, "ascof_2a_65_plus", "2024/25") == (3, 3, 100.0)


def test_ascof_2b_2c_count_people_newly_admitted_per_100000(duckdb_measures):
    assert figure(duckdb_measures, MIDDLESBROUGH, "ascof_2b", "2024/25") == (1, 94563, 1.1)
    assert figure(duckdb_measures, MIDDLESBROUGH, "ascof_2c", "2024/25") == (3, 25981, 11.5)


def test_ascof_2e_counts_people_in_settled_accommodation(duckdb_measures):
    assert figure(duckdb_measures, REDCAR, "ascof_2e2a", "2024/25") == (1, 3, 33.3)
    assert figure(duckdb_measures, REDCAR, "ascof_2e1", "2024/25") == (1, 2, 50.0)
    assert figure(duckdb_measures, REDCAR, "ascof_2e2b", "2024/25") == (2, 3, 66.7)


def test_ascof_3d_places_each_person_in_one_setting(duckdb_measures):
    assert figure(duckdb_measures, REDCAR, "ascof_3d1a", "2024/25") == (2, 3, 66.7)
    assert figure(duckdb_measures, REDCAR, "ascof_3d2a", "2024/25") == (1, 3, 33.3)


def test_long_term_support_at_the_quarter_end_and_reviews(duckdb_measures):
    assert figure(duckdb_measures, STOCKTON, "lts_people", "Q3 2024/25") == (4, None, 4.0)
    assert figure(duckdb_measures, STOCKTON, "lts_reviewed_12m", "Q3 2024/25") == (1, 4, 25.0)


def test_requests_from_new_clients_and_the_median_days_to_a_service(duckdb_measures):
    assert figure(duckdb_measures, STOCKTON, "requests_new_clients", "Q3 2024/25") == (5, None, 5.0)
    assert figure(duckdb_measures, STOCKTON, "request_to_service_median_days", "Q3 2024/25") == (
        4,
        5,
        15.0,
    )


def test_every_measure_is_reported_for_every_council_and_period(duckdb_measures):
    ids = {m.id for f in [*builtin_measures(), *discharge_measures()] for m in f.measures}
    for council in ("E06000001", "E06000004"):
        rows = duckdb_measures.filter(duckdb_measures["organisation"] == council)
        assert set(rows["measure"]) == ids
        years = set(rows.filter(rows["measure"] == "ascof_2a")["period"])
        assert years == {"2023/24", "2024/25"}


def test_small_numbers_are_suppressed_as_the_publication_does(all_scenarios):
    frame, _ = measures_for_project(all_scenarios)
    assert figure(frame, MIDDLESBROUGH, "ascof_2c", "2024/25") == (None, None, 11.5)
    assert figure(frame, STOCKTON, "lts_people", "Q3 2024/25") == (None, None, None)
    hidden = frame.filter(frame["suppressed"])
    assert hidden["numerator"].is_null().all() and hidden["denominator"].is_null().all()


def test_ascof_2d_links_hospital_discharges_to_reablement(duckdb_measures):
    assert figure(duckdb_measures, DURHAM, "ascof_2d2", "2024/25") == (3, 5, 60.0)
    assert figure(duckdb_measures, DURHAM, "ascof_2d1", "2024/25") == (1, 3, 33.3)


def test_ascof_2d_is_stated_as_unavailable_without_hospital_discharges(scenario_project):
    frame, notes = measures_for_project(scenario_project("111"), suppress=False)
    assert not frame.filter(frame["measure"].str.starts_with("ascof_2d")).height
    assert any("2D" in note and "discharges" in note for note in notes)


def test_scenarios_cover_five_councils():
    assert len(SCENARIOS) == 5


def test_the_local_library_breaks_long_term_support_down_by_setting_and_age(duckdb_measures):
    quarter = (STOCKTON, "Q3 2024/25")
    assert figure(duckdb_measures, quarter[0], "lts_people_community", quarter[1])[0] == 3
    assert figure(duckdb_measures, quarter[0], "lts_people_residential", quarter[1])[0] == 1
    assert figure(duckdb_measures, quarter[0], "lts_people_65_plus", quarter[1])[0] == 4
    assert figure(duckdb_measures, quarter[0], "lts_review_overdue", quarter[1]) == (0, 1, 0.0)


def test_reablement_by_quarter_follows_ascof_2a(duckdb_measures):
    assert figure(duckdb_measures, HARTLEPOOL, "reablement_no_ongoing_support", "Q1 2024/25") == (
        1,
        1,
        100.0,
    )
    assert figure(duckdb_measures, HARTLEPOOL, "reablement_episodes", "Q2 2024/25")[0] == 1


def test_direct_payments_by_quarter_follow_ascof_3d(duckdb_measures):
    assert figure(duckdb_measures, REDCAR, "direct_payments_pct", "Q4 2024/25") == (1, 3, 33.3)
    assert figure(duckdb_measures, REDCAR, "ld_settled_accommodation", "Q4 2024/25") == (1, 2, 50.0)


def _council_measure(folder, sql: str):
    from boardpack.records.definitions import project_measures

    folder.mkdir(exist_ok=True)
    header = "-- measure: own_count | count | A council's own count\n"
    (folder / "own.sql").write_text(header + sql, encoding="utf-8")
    return project_measures(folder)


def _planned(measure_files) -> dict:
    from boardpack.records.definitions import stages
    from boardpack.records.measures import plan

    return {stage.name: sql for stage, sql in plan(stages(), measure_files)}


def test_stages_are_materialised_with_only_the_columns_the_measures_name():
    planned = _planned(builtin_measures())
    narrowed = planned["unique_events"].split("FROM (")[0]
    assert "service_type_cleaned" in narrowed and "person_id" in narrowed
    assert "adult_1_linked_person_id" not in narrowed and "review_reason_grouped" not in narrowed
    assert planned["events_in_period"] is not None and planned["long_term_support"] is not None


def test_a_column_a_council_measure_names_is_kept_and_a_star_keeps_them_all(tmp_path):
    from boardpack.records.definitions import stages

    own = _council_measure(
        tmp_path / "named",
        "SELECT u.organisation, 'own_count' AS measure, u.quarter AS period,\n"
        "       COUNT(u.review_reason_grouped) AS numerator, CAST(NULL AS BIGINT) AS denominator,\n"
        "       CAST(NULL AS DOUBLE) AS value\n"
        "FROM unique_events AS u GROUP BY u.organisation, u.quarter\n",
    )
    narrowed = _planned([*builtin_measures(), *own])["unique_events"].split("FROM (")[0]
    assert "review_reason_grouped" in narrowed and "adult_1_linked_person_id" not in narrowed
    starred = _council_measure(
        tmp_path / "star",
        "WITH e AS (SELECT * FROM unique_events)\n"
        "SELECT organisation, 'own_count' AS measure, quarter AS period, COUNT(*) AS numerator,\n"
        "       CAST(NULL AS BIGINT) AS denominator, CAST(NULL AS DOUBLE) AS value\n"
        "FROM e GROUP BY organisation, quarter\n",
    )
    whole = {s.name: s.sql for s in stages()}["unique_events"]
    assert _planned([*builtin_measures(), *starred])["unique_events"] == whole


def test_a_stage_no_measure_reads_is_not_materialised():
    planned = _planned([d for d in builtin_measures() if d.name == "carers"])
    assert planned["reablement_episodes"] is None and planned["care_home_admissions"] is None
    assert planned["person_details"] is None and planned["unique_events"] is not None


def test_a_council_measure_reads_a_column_no_built_in_measure_reads(all_scenarios):
    own = _council_measure(
        all_scenarios.resolve("measures"),
        "SELECT organisation, 'own_count' AS measure, quarter AS period,\n"
        "       COUNT(adult_1_linked_person_id) + COUNT(*) AS numerator,\n"
        "       CAST(NULL AS BIGINT) AS denominator, CAST(NULL AS DOUBLE) AS value\n"
        "FROM unique_events GROUP BY organisation, quarter\n",
    )
    try:
        frame, _ = measures_for_project(all_scenarios, suppress=False)
    finally:
        (all_scenarios.resolve("measures") / "own.sql").unlink()
    assert own and frame.filter(frame["measure"] == "own_count")["numerator"].min() > 0
