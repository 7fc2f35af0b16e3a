/* measure: lts_review_overdue | percent | People in long-term support for 12 months or more at the quarter's end with no review in the last 12 months (%) */
/* Of the people counted in lts_people whose earliest long-term service still open at the */
/* quarter's end started 365 days or more before it, those with no review ending in the 365 */
/* days ending that day. */
WITH long_standing AS (
  SELECT
    organisation,
    period,
    end_date,
    person_id
  FROM long_term_support
  WHERE
    earliest_start <= end_date - 365
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
