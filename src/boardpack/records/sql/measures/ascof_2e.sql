-- measure: ascof_2e1 | percent | ASCOF 2E(1): adults aged 18 to 64 with a learning disability receiving long-term support who live in their own home or with family (%)
-- measure: ascof_2e2a | percent | ASCOF 2E(2a): adults aged 18 to 64 receiving long-term support who live in their own home or with family (%)
-- measure: ascof_2e2b | percent | ASCOF 2E(2b): adults aged 65 and over receiving long-term support who live in their own home or with family (%)
-- People (service users) with a long-term service open at any time in the financial year,
-- alive at its start; age at the end of their latest long-term service (capped at the year's
-- end); accommodation and primary support reason from person_details. The numerator counts
-- those in settled accommodation (including "Unknown: presumed at home"); unknown and
-- invalid statuses stay in the denominator.
WITH services AS (
    SELECT y.organisation,
           y.period,
           u.person_id,
           MAX(CASE
                   WHEN u.der_event_end_date IS NULL OR u.der_event_end_date > y.end_date THEN y.end_date
                   ELSE u.der_event_end_date
               END) AS latest_end
    FROM measure_periods AS y
    JOIN unique_events AS u ON u.organisation = y.organisation
    WHERE y.kind = 'year'
      AND u.client_type_cleaned = 'Service user'
      AND u.event_type = 'Service'
      AND u.service_type_cleaned IN ('Long term support: Nursing care', 'Long term support: Residential care',
                                     'Long term support: Community', 'Long term support: Prison')
      AND u.event_start_date IS NOT NULL
      AND (u.der_event_end_date >= u.event_start_date OR u.der_event_end_date IS NULL)
      AND u.event_start_date <= y.end_date
      AND (u.der_event_end_date >= y.start_date OR u.der_event_end_date IS NULL)
    GROUP BY y.organisation, y.period, u.person_id
),
people AS (
    SELECT s.organisation,
           s.period,
           s.person_id,
           p.accommodation_settled,
           p.primary_support_reason,
           FLOOR(DATE_DIFF('day', p.birth_month_start, s.latest_end) / 365.25) AS age
    FROM services AS s
    JOIN measure_periods AS y
      ON y.organisation = s.organisation AND y.period = s.period AND y.kind = 'year'
    JOIN person_details AS p ON p.organisation = s.organisation AND p.person_id = s.person_id
    WHERE p.date_of_death >= y.start_date OR p.date_of_death IS NULL
),
banded AS (
    SELECT organisation, period, person_id, accommodation_settled, primary_support_reason,
           CASE
               WHEN age BETWEEN 18 AND 64 THEN '18 to 64'
               WHEN age >= 65 THEN '65 and above'
           END AS age_band
    FROM people
),
parts AS (
    SELECT 'ascof_2e1' AS measure, '18 to 64' AS age_band, 1 AS learning_disability
    UNION ALL SELECT 'ascof_2e2a', '18 to 64', 0
    UNION ALL SELECT 'ascof_2e2b', '65 and above', 0
)
SELECT y.organisation,
       m.measure,
       y.period,
       COUNT(DISTINCT CASE WHEN b.accommodation_settled = 1 THEN b.person_id END) AS numerator,
       COUNT(DISTINCT b.person_id) AS denominator,
       CAST(NULL AS DOUBLE) AS value
FROM measure_periods AS y
CROSS JOIN parts AS m
LEFT JOIN banded AS b
  ON b.organisation = y.organisation AND b.period = y.period AND b.age_band = m.age_band
 AND (m.learning_disability = 0 OR b.primary_support_reason = 'Learning Disability Support')
WHERE y.kind = 'year'
GROUP BY y.organisation, m.measure, y.period
