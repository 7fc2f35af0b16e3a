/* Stage 3, events in period (4-event-filtering.md). */
/* Each selected submission's rows, once for every quarter it supplies. The end date is the */
/* date of death where the person died during the event (or after an open event began). */
/* Requests, assessments and reviews must end within the quarter; services must start by its */
/* end and end within or after it, or be open. Rows whose date of death falls before the */
/* quarter or before the event began are dropped. */
WITH dated AS (
  SELECT
    r.*,
    p.quarter,
    p.ref_period_start,
    p.ref_period_end,
    p.is_last,
    CASE
      WHEN r.date_of_death BETWEEN r.event_start_date AND r.event_end_date
      THEN r.date_of_death
      WHEN r.date_of_death > r.event_start_date AND r.event_end_date IS NULL
      THEN r.date_of_death
      ELSE r.event_end_date
    END AS dod_end_date
  FROM cld_records AS r
  JOIN reference_periods AS p
    ON p.submission_id = r.submission_id
)
SELECT
  *
FROM dated
WHERE
  (
    (
      event_type <> 'Service'
      AND dod_end_date BETWEEN ref_period_start AND ref_period_end
      AND event_start_date <= ref_period_end
    )
    OR (
      event_type = 'Service'
      AND (
        dod_end_date >= ref_period_start OR dod_end_date IS NULL
      )
      AND event_start_date <= ref_period_end
    )
  )
  AND (
    date_of_death IS NULL
    OR (
      date_of_death >= ref_period_start AND date_of_death >= event_start_date
    )
  )
