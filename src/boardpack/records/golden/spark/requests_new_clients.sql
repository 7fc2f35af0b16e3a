/* measure: requests_new_clients | count | Requests for support from new clients in the quarter */
/* measure: request_to_service_median_days | median_days | Days from a new client's request to their first service (median) */
/* requests_new_clients: requests (unique events) from service users starting in the quarter */
/* whose person had no long-term service open on the request's start date. */
/* request_to_service_median_days: for those followed by a service of any type starting on */
/* or after the request's start and within 365 days, the days to the first such service; the */
/* median (the mean of the two middle values for an even count); numerator the requests */
/* with a service, denominator requests_new_clients. */
WITH requests AS (
  SELECT
    q.organisation,
    q.period,
    u.record_id,
    u.person_id,
    u.event_start_date
  FROM measure_periods AS q
  JOIN unique_events AS u
    ON u.organisation = q.organisation
  WHERE
    q.kind = 'quarter'
    AND u.event_type = 'Request'
    AND u.client_type_cleaned = 'Service user'
    AND u.event_start_date BETWEEN q.start_date AND q.end_date
    AND NOT EXISTS(
      SELECT
        1
      FROM unique_events AS l
      WHERE
        l.organisation = u.organisation
        AND l.person_id = u.person_id
        AND l.event_type = 'Service'
        AND l.service_type_cleaned IN (
          'Long term support: Nursing care',
          'Long term support: Residential care',
          'Long term support: Community',
          'Long term support: Prison'
        )
        AND l.event_start_date <= u.event_start_date
        AND (
          l.der_event_end_date >= u.event_start_date OR l.der_event_end_date IS NULL
        )
    )
), waits AS (
  SELECT
    r.organisation,
    r.period,
    r.record_id,
    MIN(DATEDIFF(DAY, r.event_start_date, s.event_start_date)) AS days
  FROM requests AS r
  JOIN unique_events AS s
    ON s.organisation = r.organisation AND s.person_id = r.person_id
  WHERE
    s.event_type = 'Service'
    AND s.event_start_date >= r.event_start_date
    AND s.event_start_date <= r.event_start_date + 365
  GROUP BY
    r.organisation,
    r.period,
    r.record_id
), counts AS (
  SELECT
    q.organisation,
    q.period,
    COUNT(r.record_id) AS requests,
    COUNT(w.record_id) AS served,
    MEDIAN(w.days) AS median_days
  FROM measure_periods AS q
  LEFT JOIN requests AS r
    ON r.organisation = q.organisation AND r.period = q.period
  LEFT JOIN waits AS w
    ON w.organisation = r.organisation
    AND w.period = r.period
    AND w.record_id = r.record_id
  WHERE
    q.kind = 'quarter'
  GROUP BY
    q.organisation,
    q.period
)
SELECT
  organisation,
  'requests_new_clients' AS measure,
  period,
  requests AS numerator,
  CAST(NULL AS BIGINT) AS denominator,
  CAST(NULL AS DOUBLE) AS value
FROM counts
UNION ALL
SELECT
  organisation,
  'request_to_service_median_days' AS measure,
  period,
  served AS numerator,
  requests AS denominator,
  CAST(median_days AS DOUBLE) AS value
FROM counts
