/* Stage 11, people receiving long-term support at each quarter's end (the snapshot of the */
/* local measures; SALT LTS001b): a long-term service in any of the four settings open on the */
/* quarter's last day (started by it, ending on or after it, or open), the person alive that */
/* day and aged 18 or over. One row per person: their setting by the SALT hierarchy (1 nursing, */
/* 2 residential, 3 community, 4 prison), the earliest start of the services open that day, */
/* and their age. */
SELECT
  q.organisation,
  q.period,
  q.end_date,
  u.person_id,
  MIN(
    CASE u.service_type_cleaned
      WHEN 'Long term support: Nursing care'
      THEN 1
      WHEN 'Long term support: Residential care'
      THEN 2
      WHEN 'Long term support: Community'
      THEN 3
      ELSE 4
    END
  ) AS setting,
  MIN(u.event_start_date) AS earliest_start,
  MAX(FLOOR(DATEDIFF(DAY, p.birth_month_start, q.end_date) / 365.25)) AS age
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
