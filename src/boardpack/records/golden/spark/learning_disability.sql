/* measure: ld_settled_accommodation | percent | Adults aged 18 to 64 with a learning disability receiving long-term support at the quarter's end who live in settled accommodation (%) */
/* measure: ld_paid_employment | percent | Adults aged 18 to 64 with a learning disability receiving long-term support at the quarter's end who are in paid employment (%) */
/* People aged 18 to 64 at the quarter's end whose latest primary support reason is learning */
/* disability, with a long-term service open that day; accommodation and employment are their */
/* latest (person_details), unknowns staying in the denominator. */
WITH people AS (
  SELECT
    l.organisation,
    l.period,
    l.person_id,
    p.accommodation_settled,
    p.employment_paid
  FROM long_term_support AS l
  JOIN person_details AS p
    ON p.organisation = l.organisation AND p.person_id = l.person_id
  WHERE
    p.primary_support_reason = 'Learning Disability Support' AND l.age <= 64
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
