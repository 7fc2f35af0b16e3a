/* measure: ld_settled_accommodation | percent | Adults aged 18 to 64 with a learning disability receiving long-term support at the quarter's end who live in settled accommodation (%) */
/* measure: ld_paid_employment | percent | Adults aged 18 to 64 with a learning disability receiving long-term support at the quarter's end who are in paid employment (%) */
/* People aged 18 to 64 at the quarter's end whose latest primary support reason is learning */
/* disability, with a long-term service open that day; accommodation and employment are their */
/* latest (person_details), unknowns staying in the denominator. */
WITH people AS (
  SELECT DISTINCT
    q.organisation,
    q.period,
    u.person_id,
    p.accommodation_settled,
    p.employment_paid
  FROM measure_periods AS q
  JOIN unique_events AS u
    ON u.organisation = q.organisation
  JOIN person_details AS p
    ON p.organisation = u.organisation AND p.person_id = u.person_id
  WHERE
    q.kind = 'quarter'
    AND u.event_type = 'Service'
    AND u.service_type_cleaned IN (
      'Long term support: Nursing care',
      'Long term support: Residential care',
      'Long term support: Community',
      'Long term support: Prison'
    )
    AND u.event_start_date <= q.end_date
    AND (
      u.der_event_end_date >= q.end_date OR u.der_event_end_date IS NULL
    )
    AND (
      p.date_of_death >= q.end_date OR p.date_of_death IS NULL
    )
    AND p.primary_support_reason = 'Learning Disability Support'
    AND FLOOR(DATEDIFF(DAY, p.birth_month_start, q.end_date) / 365.25) BETWEEN 18 AND 64
)
SELECT
  q.organisation,
  'ld_settled_accommodation' AS measure,
  q.period,
  COALESCE(SUM(p.accommodation_settled), 0) AS numerator,
  COUNT(p.person_id) AS denominator,
  CAST(NULL AS DOUBLE) AS value
FROM measure_periods AS q
LEFT JOIN people AS p
  ON p.organisation = q.organisation AND p.period = q.period
WHERE
  q.kind = 'quarter'
GROUP BY
  q.organisation,
  q.period
UNION ALL
SELECT
  q.organisation,
  'ld_paid_employment' AS measure,
  q.period,
  COALESCE(SUM(p.employment_paid), 0) AS numerator,
  COUNT(p.person_id) AS denominator,
  CAST(NULL AS DOUBLE) AS value
FROM measure_periods AS q
LEFT JOIN people AS p
  ON p.organisation = q.organisation AND p.period = q.period
WHERE
  q.kind = 'quarter'
GROUP BY
  q.organisation,
  q.period
