/* measure: ascof_2a | percent | ASCOF 2A: new clients' reablement episodes with no further request for ongoing support (%) */
/* measure: ascof_2a_18_64 | percent | ASCOF 2A, aged 18 to 64 at the episode's end (%) */
/* measure: ascof_2a_65_plus | percent | ASCOF 2A, aged 65 and over at the episode's end (%) */
/* Episodes (not people) ending in the financial year, from reablement_episodes: the */
/* denominator counts those followed by long-term support, other short-term support or an */
/* outcome with no further request; the numerator those not followed by long-term support. */
/* Deaths, hospital admissions, self-funding, declined support, NHS referrals and outcomes */
/* that cannot classify what followed are in neither. The total includes unknown ages. */
WITH counted AS (
  SELECT
    y.organisation,
    y.period,
    e.age_band,
    e.in_numerator,
    e.in_denominator
  FROM measure_periods AS y
  JOIN reablement_episodes AS e
    ON e.organisation = y.organisation
    AND e.episode_end BETWEEN y.start_date AND y.end_date
  WHERE
    y.kind = 'year'
), bands AS (
  SELECT
    'ascof_2a' AS measure,
    NULL AS age_band
  UNION ALL
  SELECT
    'ascof_2a_18_64',
    '18 to 64'
  UNION ALL
  SELECT
    'ascof_2a_65_plus',
    '65 and above'
)
SELECT
  y.organisation,
  b.measure,
  y.period,
  COALESCE(SUM(c.in_numerator), 0) AS numerator,
  COALESCE(SUM(c.in_denominator), 0) AS denominator,
  CAST(NULL AS DOUBLE) AS value
FROM measure_periods AS y
CROSS JOIN bands AS b
LEFT JOIN counted AS c
  ON c.organisation = y.organisation
  AND c.period = y.period
  AND (
    b.age_band IS NULL OR c.age_band = b.age_band
  )
WHERE
  y.kind = 'year'
GROUP BY
  y.organisation,
  b.measure,
  y.period
