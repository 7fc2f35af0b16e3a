/* Stage 1, reporting periods derived from the data (2-reporting-periods.md). */
/* For each submission: count the events ending in each month before the month it was sent; */
/* keep the months holding at least 2% of those events and at least three of the four event */
/* types (or as many as the file has); the period runs from the first kept month's first day */
/* to the last kept month's last day. Files with fewer than 100 such events keep the period */
/* they state. */
WITH ended AS (
  SELECT
    r.submission_id,
    r.event_type,
    CAST(DATE_TRUNC('MONTH', r.event_end_date) AS DATE) AS month_start
  FROM cld_records AS r
  JOIN submissions AS s
    ON s.submission_id = r.submission_id
  WHERE
    NOT r.event_end_date IS NULL
    AND NOT r.event_type IS NULL
    AND r.event_end_date < s.submitted_month_start
), totals AS (
  SELECT
    submission_id,
    COUNT(*) AS events,
    COUNT(DISTINCT event_type) AS event_types
  FROM ended
  GROUP BY
    submission_id
), monthly AS (
  SELECT
    submission_id,
    month_start,
    COUNT(*) AS events,
    COUNT(DISTINCT event_type) AS event_types
  FROM ended
  GROUP BY
    submission_id,
    month_start
), kept AS (
  SELECT
    m.submission_id,
    MIN(m.month_start) AS first_month,
    MAX(m.month_start) AS last_month
  FROM monthly AS m
  JOIN totals AS t
    ON t.submission_id = m.submission_id
  WHERE
    CAST(m.events AS DOUBLE PRECISION) >= 0.02 * t.events
    AND m.event_types >= LEAST(3, t.event_types)
  GROUP BY
    m.submission_id
), derived AS (
  SELECT
    s.submission_id,
    s.organisation,
    s.submitted,
    s.stated_start,
    s.stated_end,
    k.first_month,
    c.end_date AS last_month_end,
    CASE
      WHEN COALESCE(t.events, 0) >= 100 AND NOT k.first_month IS NULL
      THEN 1
      ELSE 0
    END AS derived
  FROM submissions AS s
  LEFT JOIN totals AS t
    ON t.submission_id = s.submission_id
  LEFT JOIN kept AS k
    ON k.submission_id = s.submission_id
  LEFT JOIN calendar AS c
    ON c.kind = 'month' AND c.start_date = k.last_month
)
SELECT
  submission_id,
  organisation,
  submitted,
  CASE WHEN derived = 1 THEN first_month ELSE stated_start END AS period_start,
  CASE WHEN derived = 1 THEN last_month_end ELSE stated_end END AS period_end,
  derived
FROM derived
