/* Stage 4, the unique event of every event in period, cropping, and the record kept for */
/* each unique event (5-data-cleaning.md, 6-deduplication.md steps 1 to 3). */
/* The person is the NHS number where given, else the council's own identifier (prefixed by */
/* the council); rows with neither are dropped. The unique-event key is the method's: council, */
/* person, event type, start date, end date (not for services), client type and the request */
/* route, assessment type or service type and component, as submitted. A service still open */
/* at the end of a quarter that is not the council's last, and not found in the next quarter, */
/* is cropped: its end date becomes that quarter's last day. Of each unique event one record */
/* is kept: the one from the latest quarter, then with no end date (open), else the latest */
/* end date, then the highest outcome in the hierarchy, then flagged as a conversation, then */
/* the latest submitted. Only the ordering columns are carried: the mapped values (and the */
/* key as text, event_key) are added by derived_events and unique_events. The key's parts are */
/* compared as columns (a missing text part as ''), not joined into one text: the window and */
/* the next-quarter join then hash and sort the parts, and no key text is built for every row. */
WITH people AS (
  SELECT
    e.record_id,
    e.organisation,
    e.quarter,
    e.ref_period_start,
    e.ref_period_end,
    e.is_last,
    e.event_type,
    e.event_start_date,
    e.dod_end_date,
    e.event_outcome,
    CASE
      WHEN NOT e.nhs_number IS NULL
      THEN e.nhs_number
      WHEN NOT e.la_person_unique_identifier IS NULL
      THEN e.organisation || '_' || e.la_person_unique_identifier
    END AS person_id,
    CASE WHEN LOWER(e.event_description) LIKE '%conversation%' THEN 1 ELSE 0 END AS conversation,
    CASE WHEN e.event_type = 'Service' THEN NULL ELSE e.dod_end_date END AS key_end_date,
    COALESCE(e.client_type, '') AS key_client_type,
    CASE e.event_type
      WHEN 'Request'
      THEN COALESCE(e.request_route_of_access, '')
      WHEN 'Assessment'
      THEN COALESCE(e.assessment_type, '')
      WHEN 'Service'
      THEN COALESCE(e.service_type, '')
      ELSE ''
    END AS key_detail,
    CASE
      WHEN e.event_type = 'Service'
      THEN COALESCE(e.service_component, '')
      ELSE ''
    END AS key_component
  FROM events_in_period AS e
), keyed AS (
  SELECT
    p.*,
    h.hierarchy AS event_outcome_hierarchy
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
    person_id,
    event_start_date,
    key_client_type,
    key_detail,
    key_component
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
      AND n.person_id IS NULL
      THEN 1
      ELSE 0
    END AS cropped
  FROM keyed AS k
  LEFT JOIN next_quarter AS n
    ON n.organisation = k.organisation
    AND n.person_id = k.person_id
    AND n.event_start_date = k.event_start_date
    AND n.key_client_type = k.key_client_type
    AND n.key_detail = k.key_detail
    AND n.key_component = k.key_component
    AND n.ref_period_start = k.ref_period_end + 1
    AND k.event_type = 'Service'
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
  der_event_end_date,
  cropped,
  event_outcome_hierarchy,
  conversation,
  CASE
    WHEN ROW_NUMBER() OVER (
      PARTITION BY organisation, person_id, event_type, event_start_date, key_end_date, key_client_type, key_detail, key_component
      ORDER BY ref_period_end DESC, COALESCE(der_event_end_date, CAST('9999-01-01' AS DATE)) DESC, COALESCE(event_outcome_hierarchy, 999) ASC NULLS LAST, conversation DESC, record_id DESC
    ) = 1
    THEN 1
    ELSE 0
  END AS kept
FROM ended
