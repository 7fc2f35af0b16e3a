/* measure: requests_completed | count | Requests for support from service users completed in the quarter */
/* measure: requests_information_advice_pct | percent | Requests completed in the quarter ending in information and advice or signposting (%) */
/* measure: requests_to_assessment_pct | percent | Requests completed in the quarter progressing to assessment, review or reassessment (%) */
/* measure: requests_to_reablement_pct | percent | Requests completed in the quarter progressing to reablement (%) */
/* Requests (unique events) from service users ending in the quarter, by their outcome. */
WITH requests AS (
  SELECT
    q.organisation,
    q.period,
    u.event_outcome_cleaned AS outcome
  FROM measure_periods AS q
  JOIN unique_events AS u
    ON u.organisation = q.organisation
  WHERE
    q.kind = 'quarter'
    AND u.event_type = 'Request'
    AND u.client_type_cleaned = 'Service user'
    AND u.der_event_end_date BETWEEN q.start_date AND q.end_date
), outcomes AS (
  SELECT
    'requests_completed' AS measure,
    CAST(NULL AS STRING) AS outcome
  UNION ALL
  SELECT
    'requests_information_advice_pct',
    'NFA: Information and advice or signposting'
  UNION ALL
  SELECT
    'requests_to_assessment_pct',
    'Progress to assessment, review or reassessment'
  UNION ALL
  SELECT
    'requests_to_reablement_pct',
    'Progress to reablement/ST-Max'
)
SELECT
  q.organisation,
  o.measure,
  q.period,
  CASE
    WHEN o.outcome IS NULL
    THEN COUNT(r.period)
    ELSE COUNT(CASE WHEN r.outcome = o.outcome THEN 1 END)
  END AS numerator,
  CASE WHEN o.outcome IS NULL THEN CAST(NULL AS BIGINT) ELSE COUNT(r.period) END AS denominator,
  CAST(NULL AS DOUBLE) AS value
FROM measure_periods AS q
CROSS JOIN outcomes AS o
LEFT JOIN requests AS r
  ON r.organisation = q.organisation AND r.period = q.period
WHERE
  q.kind = 'quarter'
GROUP BY
  q.organisation,
  o.measure,
  o.outcome,
  q.period
