/* measure: wait_first_response_median_days | median_days | Days from a new client's request to the first assessment or service (median) */
/* measure: wait_first_service_median_days | median_days | Days from a new client's request to the first service (median) */
/* After DHSC's waiting-times method: requests from service users aged 25 or over at the */
/* request, starting in the quarter, whose outcome is neither no further action nor admission */
/* to hospital, from people with no service that started before the request and was open or */
/* ended in the 365 days before it. The first response is the first short- or long-term */
/* assessment or service starting on or after the request; the first service the first */
/* service of any of the seven support types. Numerator: requests with one; denominator: the */
/* requests; value: the median wait in days. */
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
    AND u.age_at_start >= 25
    AND u.event_start_date BETWEEN q.start_date AND q.end_date
    AND (
      u.event_outcome_grouped IS NULL
      OR NOT u.event_outcome_grouped IN ('NFA', 'Admitted to hospital')
    )
    AND NOT EXISTS(
      SELECT
        1
      FROM unique_events AS s
      WHERE
        s.organisation = u.organisation
        AND s.person_id = u.person_id
        AND s.event_type = 'Service'
        AND s.service_type_grouped IN ('Long term support', 'Short term support')
        AND s.event_start_date < u.event_start_date
        AND (
          s.der_event_end_date IS NULL OR s.der_event_end_date >= u.event_start_date - 365
        )
    )
), responses AS (
  SELECT
    r.organisation,
    r.period,
    r.record_id,
    MIN(DATEDIFF(DAY, r.event_start_date, e.event_start_date)) AS response_days,
    MIN(
      CASE
        WHEN e.event_type = 'Service'
        THEN DATEDIFF(DAY, r.event_start_date, e.event_start_date)
      END
    ) AS service_days
  FROM requests AS r
  JOIN unique_events AS e
    ON e.organisation = r.organisation AND e.person_id = r.person_id
  WHERE
    e.event_start_date >= r.event_start_date
    AND (
      (
        e.event_type = 'Assessment'
        AND e.assessment_type_cleaned IN ('Short term assessment', 'Long term assessment')
      )
      OR (
        e.event_type = 'Service'
        AND e.service_type_grouped IN ('Long term support', 'Short term support')
      )
    )
  GROUP BY
    r.organisation,
    r.period,
    r.record_id
), counts AS (
  SELECT
    q.organisation,
    q.period,
    COUNT(r.record_id) AS requests,
    COUNT(w.response_days) AS responded,
    COUNT(w.service_days) AS served,
    MEDIAN(w.response_days) AS response_median,
    MEDIAN(w.service_days) AS service_median
  FROM measure_periods AS q
  LEFT JOIN requests AS r
    ON r.organisation = q.organisation AND r.period = q.period
  LEFT JOIN responses AS w
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
  'wait_first_response_median_days' AS measure,
  period,
  responded AS numerator,
  requests AS denominator,
  CAST(response_median AS DOUBLE) AS value
FROM counts
UNION ALL
SELECT
  organisation,
  'wait_first_service_median_days' AS measure,
  period,
  served AS numerator,
  requests AS denominator,
  CAST(service_median AS DOUBLE) AS value
FROM counts
