/* Stage 4, the unique-event key of every event in period, cropping, and the record kept for */
/* each unique event (5-data-cleaning.md, 6-deduplication.md steps 1 to 3). */
/* The person is the NHS number where given, else the council's own identifier (prefixed by */
/* the council); rows with neither are dropped. The unique-event key is the method's: council, */
/* person, event type, start date, end date (not for services), client type and the request */
/* route, assessment type or service type and component, as submitted. A service still open */
/* at the end of a quarter that is not the council's last, and not found in the next quarter, */
/* is cropped: its end date becomes that quarter's last day. Of each unique event one record */
/* is kept: the one from the latest quarter, then with no end date (open), else the latest */
/* end date, then the highest outcome in the hierarchy, then flagged as a conversation, then */
/* the latest submitted. Only the key and ordering columns are carried: the mapped values are */
/* added by derived_events and unique_events. */
WITH people AS (
  SELECT
    e.record_id,
    e.organisation,
    e.quarter,
    e.ref_period_start,
    e.ref_period_end,
    e.is_last,
    e.event_type,
    e.dod_end_date,
    e.event_outcome,
    CASE
      WHEN NOT e.nhs_number IS NULL
      THEN e.nhs_number
      WHEN NOT e.la_person_unique_identifier IS NULL
      THEN e.organisation || '_' || e.la_person_unique_identifier
    END AS person_id,
    CASE WHEN LOWER(e.event_description) LIKE '%conversation%' THEN 1 ELSE 0 END AS conversation,
    e.organisation || '|' || e.event_type || '|' || COALESCE(CAST(e.event_start_date AS STRING), '') || '|' || CASE
      WHEN e.event_type = 'Service'
      THEN ''
      ELSE COALESCE(CAST(e.dod_end_date AS STRING), '')
    END || '|' || COALESCE(e.client_type, '') || '|' || CASE e.event_type
      WHEN 'Request'
      THEN COALESCE(e.request_route_of_access, '')
      WHEN 'Assessment'
      THEN COALESCE(e.assessment_type, '')
      WHEN 'Service'
      THEN COALESCE(e.service_type, '') || '|' || COALESCE(e.service_component, '')
      ELSE ''
    END AS event_detail_key
  FROM events_in_period AS e
), keyed AS (
  SELECT
    p.record_id,
    p.organisation,
    p.quarter,
    p.ref_period_start,
    p.ref_period_end,
    p.is_last,
    p.event_type,
    p.dod_end_date,
    p.person_id,
    p.conversation,
    h.hierarchy AS event_outcome_hierarchy,
    p.person_id || '|' || p.event_detail_key AS event_key
  FROM people AS p
  LEFT JOIN value_map AS m
    ON m.field = 'Event_Outcome' AND m.raw_key = LOWER(TRIM(p.event_outcome))
  LEFT JOIN outcome_hierarchy AS h
    ON h.outcome = CASE
      WHEN p.event_outcome IS NULL
      THEN NULL
      ELSE COALESCE(m.cleaned, 'Invalid and not mapped')
    END
  WHERE
    NOT p.person_id IS NULL
), next_quarter AS (
  SELECT DISTINCT
    organisation,
    ref_period_start,
    event_key
  FROM keyed
  WHERE
    event_type = 'Service'
), cropping AS (
  SELECT
    k.*,
    CASE
      WHEN k.event_type = 'Service'
      AND k.is_last = 0
      AND (
        k.dod_end_date IS NULL OR k.dod_end_date > k.ref_period_end
      )
      AND n.event_key IS NULL
      THEN 1
      ELSE 0
    END AS cropped
  FROM keyed AS k
  LEFT JOIN next_quarter AS n
    ON n.organisation = k.organisation
    AND n.event_key = k.event_key
    AND n.ref_period_start = k.ref_period_end + 1
), ended AS (
  SELECT
    c.*,
    CASE WHEN c.cropped = 1 THEN c.ref_period_end ELSE c.dod_end_date END AS der_event_end_date
  FROM cropping AS c
)
SELECT
  record_id,
  quarter,
  ref_period_start,
  ref_period_end,
  person_id,
  event_key,
  der_event_end_date,
  cropped,
  event_outcome_hierarchy,
  conversation,
  CASE
    WHEN ROW_NUMBER() OVER (
      PARTITION BY organisation, event_key
      ORDER BY ref_period_end DESC, COALESCE(der_event_end_date, CAST('9999-01-01' AS DATE)) DESC, COALESCE(event_outcome_hierarchy, 999) ASC NULLS LAST, conversation DESC, record_id DESC
    ) = 1
    THEN 1
    ELSE 0
  END AS kept
FROM ended
