/* measure: lts_review_overdue | percent | People in long-term support for 12 months or more at the quarter's end with no review in the last 12 months (%) */
/* Of the people counted in lts_people whose earliest long-term service still open at the */
/* quarter's end started 365 days or more before it, those with no review ending in the 365 */
/* days ending that day. */
WITH long_standing AS (
  SELECT
    q.organisation,
    q.period,
    q.end_date,
    u.person_id
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
    AND FLOOR(DATEDIFF(DAY, p.birth_month_start, q.end_date) / 365.25) >= 18
  GROUP BY
    q.organisation,
    q.period,
    q.end_date,
    u.person_id
  HAVING
    MIN(u.event_start_date) <= q.end_date - 365
), reviewed AS (
  SELECT DISTINCT
    l.organisation,
    l.period,
    l.person_id
  FROM long_standing AS l
  JOIN unique_events AS r
    ON r.organisation = l.organisation AND r.person_id = l.person_id
  WHERE
    r.event_type = 'Review'
    AND r.der_event_end_date <= l.end_date
    AND r.der_event_end_date >= l.end_date - 364
)
SELECT
  q.organisation,
  'lts_review_overdue' AS measure,
  q.period,
  COUNT(l.person_id) - COUNT(r.person_id) AS numerator,
  COUNT(l.person_id) AS denominator,
  CAST(NULL AS DOUBLE) AS value
FROM measure_periods AS q
LEFT JOIN long_standing AS l
  ON l.organisation = q.organisation AND l.period = q.period
LEFT JOIN reviewed AS r
  ON r.organisation = l.organisation
  AND r.period = l.period
  AND r.person_id = l.person_id
WHERE
  q.kind = 'quarter'
GROUP BY
  q.organisation,
  q.period
