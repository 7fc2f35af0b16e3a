/* measure: ascof_2d1 | percent | ASCOF 2D(1): older people (65+) discharged from hospital into reablement who remained in the community within 12 weeks of discharge (%) */
/* measure: ascof_2d2 | percent | ASCOF 2D(2): older people (65+) discharged from hospital who went into reablement (%) */
/* Discharges (hospital_discharges: people aged 65 or over, restricted as the measure says by */
/* whoever extracted them from SUS) in the financial year, leaving out people in long-term */
/* residential, nursing or prison support on the day they were admitted. Reablement: ST-Max */
/* services with the component "Reablement", clustered into episodes as for 2A (7 days). An */
/* episode is linked to the latest discharge of the same person (NHS number) from 7 days before */
/* to 3 days after it began. 2D(2): linked discharges of all discharges. 2D(1): of the linked, */
/* those with no emergency readmission, no death and no long-term residential or nursing */
/* service starting within 84 days of discharge (ODS note 14; research notes 1.5). */
WITH reablement AS (
  SELECT
    u.record_id,
    u.organisation,
    u.person_id,
    u.event_start_date,
    COALESCE(u.der_event_end_date, CAST('9999-01-01' AS DATE)) AS end_date
  FROM unique_events AS u
  WHERE
    u.event_type = 'Service'
    AND u.service_type_cleaned = 'Short term support: ST-Max'
    AND u.service_component_cleaned = 'Reablement'
    AND u.client_type_cleaned = 'Service user'
    AND NOT u.event_start_date IS NULL
    AND (
      u.der_event_end_date >= u.event_start_date OR u.der_event_end_date IS NULL
    )
), ordered AS (
  SELECT
    r.*,
    MAX(r.end_date) OVER (
      PARTITION BY r.organisation, r.person_id
      ORDER BY r.event_start_date NULLS LAST, r.end_date NULLS LAST, r.record_id NULLS LAST
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS previous_end
  FROM reablement AS r
), numbered AS (
  SELECT
    o.*,
    SUM(
      CASE
        WHEN NOT o.previous_end IS NULL
        AND DATEDIFF(DAY, o.previous_end, o.event_start_date) <= 7
        THEN 0
        ELSE 1
      END
    ) OVER (
      PARTITION BY o.organisation, o.person_id
      ORDER BY o.event_start_date NULLS LAST, o.end_date NULLS LAST, o.record_id NULLS LAST
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS episode
  FROM ordered AS o
), episodes AS (
  SELECT
    organisation,
    person_id,
    episode,
    MIN(event_start_date) AS episode_start
  FROM numbered
  GROUP BY
    organisation,
    person_id,
    episode
), discharges AS (
  SELECT
    y.organisation,
    y.period,
    d.discharge_id,
    d.nhs_number,
    d.discharge_date,
    d.readmission_date,
    d.date_of_death
  FROM measure_periods AS y
  JOIN hospital_discharges AS d
    ON d.organisation = y.organisation
    AND d.discharge_date BETWEEN y.start_date AND y.end_date
  WHERE
    y.kind = 'year'
    AND d.age >= 65
    AND NOT EXISTS(
      SELECT
        1
      FROM unique_events AS l
      WHERE
        l.organisation = d.organisation
        AND l.person_id = d.nhs_number
        AND l.event_type = 'Service'
        AND l.service_type_cleaned IN (
          'Long term support: Residential care',
          'Long term support: Nursing care',
          'Long term support: Prison'
        )
        AND NOT d.admission_date IS NULL
        AND l.event_start_date <= d.admission_date
        AND (
          l.der_event_end_date >= d.admission_date OR l.der_event_end_date IS NULL
        )
    )
), links AS (
  SELECT
    d.organisation,
    d.period,
    d.discharge_id,
    d.nhs_number,
    d.discharge_date,
    d.readmission_date,
    d.date_of_death,
    ROW_NUMBER() OVER (
      PARTITION BY e.organisation, e.person_id, e.episode
      ORDER BY d.discharge_date DESC, d.discharge_id NULLS LAST
    ) AS pick
  FROM episodes AS e
  JOIN discharges AS d
    ON d.organisation = e.organisation
    AND d.nhs_number = e.person_id
    AND d.discharge_date BETWEEN e.episode_start - 7 AND e.episode_start + 3
), linked AS (
  SELECT DISTINCT
    organisation,
    period,
    discharge_id,
    nhs_number,
    discharge_date,
    readmission_date,
    date_of_death
  FROM links
  WHERE
    pick = 1
), stayed AS (
  SELECT
    k.organisation,
    k.period,
    k.discharge_id
  FROM linked AS k
  WHERE
    (
      k.readmission_date IS NULL OR k.readmission_date > k.discharge_date + 84
    )
    AND (
      k.date_of_death IS NULL OR k.date_of_death > k.discharge_date + 84
    )
    AND NOT EXISTS(
      SELECT
        1
      FROM unique_events AS c
      WHERE
        c.organisation = k.organisation
        AND c.person_id = k.nhs_number
        AND c.event_type = 'Service'
        AND c.service_type_cleaned IN ('Long term support: Residential care', 'Long term support: Nursing care')
        AND c.event_start_date BETWEEN k.discharge_date AND k.discharge_date + 84
    )
), counts AS (
  SELECT
    y.organisation,
    y.period,
    COUNT(DISTINCT d.discharge_id) AS discharged,
    COUNT(DISTINCT k.discharge_id) AS reabled,
    COUNT(DISTINCT s.discharge_id) AS at_home
  FROM measure_periods AS y
  LEFT JOIN discharges AS d
    ON d.organisation = y.organisation AND d.period = y.period
  LEFT JOIN linked AS k
    ON k.organisation = d.organisation
    AND k.period = d.period
    AND k.discharge_id = d.discharge_id
  LEFT JOIN stayed AS s
    ON s.organisation = k.organisation
    AND s.period = k.period
    AND s.discharge_id = k.discharge_id
  WHERE
    y.kind = 'year'
  GROUP BY
    y.organisation,
    y.period
)
SELECT
  organisation,
  'ascof_2d1' AS measure,
  period,
  at_home AS numerator,
  reabled AS denominator,
  CAST(NULL AS DOUBLE) AS value
FROM counts
UNION ALL
SELECT
  organisation,
  'ascof_2d2' AS measure,
  period,
  reabled AS numerator,
  discharged AS denominator,
  CAST(NULL AS DOUBLE) AS value
FROM counts
