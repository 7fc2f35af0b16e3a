/* Stage 5, unique events (6-deduplication.md steps 1 and 3). */
/* One record is kept for each unique event: the one from the latest quarter, then with no */
/* end date (open), else the latest end date, then the highest outcome in the hierarchy, then */
/* flagged as a conversation, then the latest submitted. */
/* The ranking reads only the key and the ordering columns; the kept rows are then joined */
/* back whole (a record appears once per quarter it supplies, so record and quarter are one */
/* row). */
WITH ranked AS (
  SELECT
    d.record_id,
    d.quarter,
    ROW_NUMBER() OVER (
      PARTITION BY d.organisation, d.event_key
      ORDER BY d.ref_period_end DESC NULLS LAST, COALESCE(d.der_event_end_date, CAST('9999-01-01' AS DATE)) DESC NULLS LAST, COALESCE(d.event_outcome_hierarchy, 999) ASC, d.conversation DESC NULLS LAST, d.record_id DESC NULLS LAST
    ) AS keep
  FROM derived_events AS d
), kept AS (
  SELECT
    d.*
  FROM derived_events AS d
  JOIN ranked AS r
    ON r.record_id = d.record_id AND r.quarter = d.quarter
  WHERE
    r.keep = 1
)
SELECT
  record_id,
  submission_id,
  organisation,
  quarter,
  ref_period_start,
  ref_period_end,
  person_id,
  nhs_number,
  la_person_unique_identifier,
  event_key,
  event_type,
  event_start_date,
  event_end_date,
  der_event_end_date,
  cropped,
  event_outcome_hierarchy,
  conversation,
  birth_month_start,
  date_of_death,
  age_at_start,
  unit_cost,
  planned_units_per_week,
  adult_1_linked_person_id,
  adult_2_linked_person_id,
  adult_3_linked_person_id,
  client_type_cleaned,
  gender_cleaned,
  ethnicity_cleaned,
  ethnicity_grouped,
  primary_support_reason_cleaned,
  primary_support_reason_grouped,
  accommodation_status_cleaned,
  accommodation_status_grouped,
  employment_status_cleaned,
  employment_status_grouped,
  has_unpaid_carer_cleaned,
  client_funding_status_cleaned,
  event_outcome_cleaned,
  event_outcome_grouped,
  request_route_of_access_cleaned,
  assessment_type_cleaned,
  method_of_assessment_cleaned,
  service_type_cleaned,
  service_type_grouped,
  service_component_cleaned,
  delivery_mechanism_cleaned,
  review_reason_cleaned,
  review_reason_grouped,
  review_outcomes_achieved_cleaned,
  method_of_review_cleaned,
  cost_frequency_unit_type_cleaned
FROM kept
