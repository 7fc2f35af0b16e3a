-- measure: ascof_3d1a | percent | ASCOF 3D(1a): people receiving long-term community support who receive self-directed support (%)
-- measure: ascof_3d2a | percent | ASCOF 3D(2a): people receiving long-term community support who receive direct payments (%)
-- A snapshot at the financial year's last day: service users with a long-term service open
-- that day and not dead before it, each placed in one setting by the hierarchy nursing,
-- residential, community by direct payment, by managed personal budget, by commissioned
-- support, by an unknown mechanism, then prison. A service whose component is "Direct
-- payment" is delivered by direct payment; other mechanisms a setting cannot have are
-- unknown. The denominator is people whose setting is long-term community support; 1a
-- counts those by direct payment or managed personal budget, 2a by direct payment.
WITH open_services AS (
    SELECT y.organisation,
           y.period,
           u.person_id,
           u.service_type_cleaned AS service_type,
           CASE
               WHEN u.service_component_cleaned = 'Direct payment' THEN 'Direct payment'
               ELSE u.delivery_mechanism_cleaned
           END AS mechanism,
           p.birth_month_start,
           y.end_date
    FROM measure_periods AS y
    JOIN unique_events AS u ON u.organisation = y.organisation
    JOIN person_details AS p ON p.organisation = u.organisation AND p.person_id = u.person_id
    WHERE y.kind = 'year'
      AND u.client_type_cleaned = 'Service user'
      AND u.event_type = 'Service'
      AND u.service_type_cleaned IN ('Long term support: Nursing care', 'Long term support: Residential care',
                                     'Long term support: Community', 'Long term support: Prison')
      AND u.event_start_date IS NOT NULL
      AND u.event_start_date <= y.end_date
      AND (u.der_event_end_date >= u.event_start_date OR u.der_event_end_date IS NULL)
      AND (u.der_event_end_date >= y.end_date OR u.der_event_end_date IS NULL)
      AND (p.date_of_death >= y.end_date OR p.date_of_death IS NULL)
),
ranked AS (
    SELECT organisation,
           period,
           person_id,
           FLOOR(DATE_DIFF('day', birth_month_start, end_date) / 365.25) AS age,
           CASE
               WHEN service_type = 'Long term support: Nursing care' THEN 1
               WHEN service_type = 'Long term support: Residential care' THEN 2
               WHEN service_type = 'Long term support: Community' AND mechanism = 'Direct payment' THEN 3
               WHEN service_type = 'Long term support: Community' AND mechanism = 'CASSR managed personal budget' THEN 4
               WHEN service_type = 'Long term support: Community' AND mechanism = 'CASSR commissioned support' THEN 5
               WHEN service_type = 'Long term support: Community' THEN 6
               WHEN mechanism = 'CASSR managed personal budget' THEN 7
               WHEN mechanism = 'CASSR commissioned support' THEN 8
               ELSE 9
           END AS setting
    FROM open_services
),
people AS (
    SELECT organisation, period, person_id, MIN(setting) AS setting, MAX(age) AS age
    FROM ranked
    GROUP BY organisation, period, person_id
),
community AS (
    SELECT organisation, period, person_id, setting
    FROM people
    WHERE setting BETWEEN 3 AND 6
      AND (age >= 18 OR age IS NULL)
),
parts AS (
    SELECT 'ascof_3d1a' AS measure, 4 AS last_setting
    UNION ALL SELECT 'ascof_3d2a', 3
)
SELECT y.organisation,
       m.measure,
       y.period,
       COUNT(CASE WHEN c.setting <= m.last_setting THEN 1 END) AS numerator,
       COUNT(c.person_id) AS denominator,
       CAST(NULL AS DOUBLE) AS value
FROM measure_periods AS y
CROSS JOIN parts AS m
LEFT JOIN community AS c ON c.organisation = y.organisation AND c.period = y.period
WHERE y.kind = 'year'
GROUP BY y.organisation, m.measure, y.period
