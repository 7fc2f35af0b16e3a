/* measure: direct_payments_pct | percent | People receiving long-term community support at the quarter's end who receive direct payments (%) */
/* measure: self_directed_support_pct | percent | People receiving long-term community support at the quarter's end who receive self-directed support (%) */
/* ASCOF 3D(2a) and 3D(1a) at each quarter's end, with the same setting hierarchy. */
WITH open_services AS (
  SELECT
    q.organisation,
    q.period,
    u.person_id,
    FLOOR(DATEDIFF(DAY, p.birth_month_start, q.end_date) / 365.25) AS age,
    CASE
      WHEN u.service_type_cleaned = 'Long term support: Nursing care'
      THEN 1
      WHEN u.service_type_cleaned = 'Long term support: Residential care'
      THEN 2
      WHEN u.service_type_cleaned = 'Long term support: Community'
      AND (
        u.service_component_cleaned = 'Direct payment'
        OR u.delivery_mechanism_cleaned = 'Direct payment'
      )
      THEN 3
      WHEN u.service_type_cleaned = 'Long term support: Community'
      AND u.delivery_mechanism_cleaned = 'CASSR managed personal budget'
      THEN 4
      WHEN u.service_type_cleaned = 'Long term support: Community'
      AND u.delivery_mechanism_cleaned = 'CASSR commissioned support'
      THEN 5
      WHEN u.service_type_cleaned = 'Long term support: Community'
      THEN 6
      ELSE 7
    END AS setting
  FROM measure_periods AS q
  JOIN unique_events AS u
    ON u.organisation = q.organisation
  JOIN person_details AS p
    ON p.organisation = u.organisation AND p.person_id = u.person_id
  WHERE
    q.kind = 'quarter'
    AND u.client_type_cleaned = 'Service user'
    AND u.event_type = 'Service'
    AND u.service_type_cleaned IN (
      'Long term support: Nursing care',
      'Long term support: Residential care',
      'Long term support: Community',
      'Long term support: Prison'
    )
    AND u.event_start_date <= q.end_date
    AND (
      u.der_event_end_date >= u.event_start_date OR u.der_event_end_date IS NULL
    )
    AND (
      u.der_event_end_date >= q.end_date OR u.der_event_end_date IS NULL
    )
    AND (
      p.date_of_death >= q.end_date OR p.date_of_death IS NULL
    )
), people AS (
  SELECT
    organisation,
    period,
    person_id,
    MIN(setting) AS setting,
    MAX(age) AS age
  FROM open_services
  GROUP BY
    organisation,
    period,
    person_id
), parts AS (
  SELECT
    'direct_payments_pct' AS measure,
    3 AS last_setting
  UNION ALL
  SELECT
    'self_directed_support_pct',
    4
)
SELECT
  q.organisation,
  m.measure,
  q.period,
  COUNT(CASE WHEN p.setting <= m.last_setting THEN 1 END) AS numerator,
  COUNT(p.person_id) AS denominator,
  CAST(NULL AS DOUBLE) AS value
FROM measure_periods AS q
CROSS JOIN parts AS m
LEFT JOIN people AS p
  ON p.organisation = q.organisation
  AND p.period = q.period
  AND p.setting BETWEEN 3 AND 6
  AND (
    p.age >= 18 OR p.age IS NULL
  )
WHERE
  q.kind = 'quarter'
GROUP BY
  q.organisation,
  m.measure,
  q.period
