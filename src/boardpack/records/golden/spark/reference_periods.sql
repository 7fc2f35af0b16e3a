/* Stage 2, submission selection as of a date (3-submission-selection.md). */
/* The period to date is cut into quarters ("reference periods"); for each council and */
/* quarter the latest submission whose derived period covers the whole quarter, sent after */
/* the quarter ended and on or before the as-of date, supplies that quarter's events. */
WITH covering AS (
  SELECT
    p.organisation,
    q.label AS quarter,
    q.start_date AS ref_period_start,
    q.end_date AS ref_period_end,
    p.submission_id,
    ROW_NUMBER() OVER (
      PARTITION BY p.organisation, q.start_date
      ORDER BY p.submitted DESC, p.submission_id DESC
    ) AS latest
  FROM submission_periods AS p
  JOIN calendar AS q
    ON q.kind = 'quarter'
    AND q.start_date >= p.period_start
    AND q.end_date <= p.period_end
  CROSS JOIN run_parameters AS a
  WHERE
    p.submitted > q.end_date AND p.submitted <= a.as_of
), chosen AS (
  SELECT
    organisation,
    quarter,
    ref_period_start,
    ref_period_end,
    submission_id
  FROM covering
  WHERE
    latest = 1
)
SELECT
  organisation,
  quarter,
  ref_period_start,
  ref_period_end,
  submission_id,
  CASE
    WHEN ref_period_start = MAX(ref_period_start) OVER (PARTITION BY organisation)
    THEN 1
    ELSE 0
  END AS is_last
FROM chosen
