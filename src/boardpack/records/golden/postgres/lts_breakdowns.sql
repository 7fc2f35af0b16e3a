/* measure: lts_people_nursing | count | People receiving long-term support at the quarter's end: nursing care */
/* measure: lts_people_residential | count | People receiving long-term support at the quarter's end: residential care */
/* measure: lts_people_community | count | People receiving long-term support at the quarter's end: community */
/* measure: lts_people_prison | count | People receiving long-term support at the quarter's end: prison */
/* measure: lts_people_18_64 | count | People receiving long-term support at the quarter's end, aged 18 to 64 */
/* measure: lts_people_65_plus | count | People receiving long-term support at the quarter's end, aged 65 and over */
/* measure: lts_people_physical_support | count | People receiving long-term support at the quarter's end, primary support reason physical support */
/* measure: lts_people_learning_disability | count | People receiving long-term support at the quarter's end, primary support reason learning disability */
/* measure: lts_people_mental_health | count | People receiving long-term support at the quarter's end, primary support reason mental health */
/* measure: lts_people_memory_cognition | count | People receiving long-term support at the quarter's end, primary support reason memory and cognition */
/* measure: lts_people_other_reason | count | People receiving long-term support at the quarter's end, other or unknown primary support reason */
/* The people counted in lts_people, each in one setting (nursing, then residential, then */
/* community, then prison: the SALT hierarchy), by age at the quarter's end and by the group */
/* of their latest primary support reason. */
WITH people AS (
  SELECT
    l.organisation,
    l.period,
    l.person_id,
    l.setting,
    l.age,
    g.grouped AS reason
  FROM long_term_support AS l
  JOIN person_details AS p
    ON p.organisation = l.organisation AND p.person_id = l.person_id
  LEFT JOIN (
    SELECT DISTINCT
      cleaned,
      grouped
    FROM value_map
    WHERE
      field = 'Primary_Support_Reason'
  ) AS g
    ON g.cleaned = p.primary_support_reason
), groups AS (
  SELECT
    'lts_people_nursing' AS measure,
    'setting' AS kind,
    '1' AS code
  UNION ALL
  SELECT
    'lts_people_residential',
    'setting',
    '2'
  UNION ALL
  SELECT
    'lts_people_community',
    'setting',
    '3'
  UNION ALL
  SELECT
    'lts_people_prison',
    'setting',
    '4'
  UNION ALL
  SELECT
    'lts_people_18_64',
    'age',
    '18 to 64'
  UNION ALL
  SELECT
    'lts_people_65_plus',
    'age',
    '65 and above'
  UNION ALL
  SELECT
    'lts_people_physical_support',
    'reason',
    'Physical support'
  UNION ALL
  SELECT
    'lts_people_learning_disability',
    'reason',
    'Learning disability support'
  UNION ALL
  SELECT
    'lts_people_mental_health',
    'reason',
    'Mental health support'
  UNION ALL
  SELECT
    'lts_people_memory_cognition',
    'reason',
    'Support with memory and cognition'
  UNION ALL
  SELECT
    'lts_people_other_reason',
    'reason',
    'Other'
), labelled AS (
  SELECT
    organisation,
    period,
    person_id,
    CAST(setting AS TEXT) AS setting,
    CASE WHEN age < 65 THEN '18 to 64' ELSE '65 and above' END AS age_band,
    CASE
      WHEN reason IN (
        'Physical support',
        'Learning disability support',
        'Mental health support',
        'Support with memory and cognition'
      )
      THEN reason
      ELSE 'Other'
    END AS reason
  FROM people
)
SELECT
  q.organisation,
  g.measure,
  q.period,
  COUNT(l.person_id) AS numerator,
  CAST(NULL AS BIGINT) AS denominator,
  CAST(NULL AS DOUBLE PRECISION) AS value
FROM measure_periods AS q
CROSS JOIN groups AS g
LEFT JOIN labelled AS l
  ON l.organisation = q.organisation
  AND l.period = q.period
  AND (
    (
      g.kind = 'setting' AND l.setting = g.code
    )
    OR (
      g.kind = 'age' AND l.age_band = g.code
    )
    OR (
      g.kind = 'reason' AND l.reason = g.code
    )
  )
WHERE
  q.kind = 'quarter'
GROUP BY
  q.organisation,
  g.measure,
  q.period
