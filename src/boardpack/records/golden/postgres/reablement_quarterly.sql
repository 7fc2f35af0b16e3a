/* measure: reablement_episodes | count | New clients' reablement episodes ending in the quarter with a classified outcome (ASCOF 2A denominator) */
/* measure: reablement_no_ongoing_support | percent | New clients' reablement episodes ending in the quarter with no further request for ongoing support (%) */
/* ASCOF 2A by quarter: the episodes of reablement_episodes ending in the quarter. */
WITH counted AS (
  SELECT
    q.organisation,
    q.period,
    SUM(e.in_numerator) AS numerator,
    SUM(e.in_denominator) AS denominator
  FROM measure_periods AS q
  JOIN reablement_episodes AS e
    ON e.organisation = q.organisation
    AND e.episode_end BETWEEN q.start_date AND q.end_date
  WHERE
    q.kind = 'quarter'
  GROUP BY
    q.organisation,
    q.period
)
SELECT
  q.organisation,
  'reablement_episodes' AS measure,
  q.period,
  COALESCE(c.denominator, 0) AS numerator,
  CAST(NULL AS BIGINT) AS denominator,
  CAST(NULL AS DOUBLE PRECISION) AS value
FROM measure_periods AS q
LEFT JOIN counted AS c
  ON c.organisation = q.organisation AND c.period = q.period
WHERE
  q.kind = 'quarter'
UNION ALL
SELECT
  q.organisation,
  'reablement_no_ongoing_support' AS measure,
  q.period,
  COALESCE(c.numerator, 0) AS numerator,
  COALESCE(c.denominator, 0) AS denominator,
  CAST(NULL AS DOUBLE PRECISION) AS value
FROM measure_periods AS q
LEFT JOIN counted AS c
  ON c.organisation = q.organisation AND c.period = q.period
WHERE
  q.kind = 'quarter'
