/* Stage 10, new admissions to residential or nursing care (ASCOF 2B/2C; ODS note 12). */
/* Long-term residential or nursing services of service users whose birth month is known, */
/* with a long-term residential or nursing component (a service without a component is not */
/* counted, as the published code's condition reads). An admission is such a service that */
/* did not end with "NFA: Self-funded client or under 12wk disregard" and that no earlier */
/* such service of the same person preceded within 365 days (ended less than 365 days */
/* before it started, or still open). Age is at the admission's start. */
WITH build AS (
  SELECT
    u.record_id,
    u.organisation,
    u.person_id,
    u.event_start_date,
    u.der_event_end_date,
    u.event_outcome_cleaned,
    p.birth_month_start,
    p.date_of_death
  FROM unique_events AS u
  JOIN person_details AS p
    ON p.organisation = u.organisation AND p.person_id = u.person_id
  WHERE
    u.event_type = 'Service'
    AND u.client_type_cleaned = 'Service user'
    AND u.service_type_cleaned IN ('Long term support: Residential care', 'Long term support: Nursing care')
    AND NOT p.birth_month_start IS NULL
    AND NOT u.service_component_cleaned IS NULL
    AND (
      LOWER(u.service_component_cleaned) LIKE '%residential%'
      OR LOWER(u.service_component_cleaned) LIKE '%nursing%'
    )
    AND LOWER(u.service_component_cleaned) NOT LIKE '%short%'
)
SELECT DISTINCT
  a.organisation,
  a.person_id,
  a.event_start_date AS admission_date,
  FLOOR(
    CAST((
      CAST(a.event_start_date AS DATE) - CAST(a.birth_month_start AS DATE)
    ) AS DOUBLE PRECISION) / 365.25
  ) AS age,
  a.date_of_death
FROM build AS a
WHERE
  (
    a.event_outcome_cleaned IS NULL
    OR a.event_outcome_cleaned <> 'NFA: Self-funded client or under 12wk disregard'
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM build AS b
    WHERE
      b.organisation = a.organisation
      AND b.person_id = a.person_id
      AND b.event_start_date < a.event_start_date
      AND (
        b.der_event_end_date IS NULL
        OR (
          CAST(a.event_start_date AS DATE) - CAST(b.der_event_end_date AS DATE)
        ) < 365
      )
  )
