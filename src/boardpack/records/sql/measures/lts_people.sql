-- measure: lts_people | count | People receiving long-term support at the quarter's end
-- measure: lts_reviewed_12m | percent | People receiving long-term support at the quarter's end who had a review in the 12 months before (%)
-- lts_people: people with a long-term service (any of the four settings) open on the
-- quarter's last day (started by it, ending on or after it or open), alive that day and
-- aged 18 or over. lts_reviewed_12m: of them, those with a review ending in the 365 days
-- ending that day.
WITH people AS (
    SELECT organisation, period, end_date, person_id
    FROM long_term_support
),
reviewed AS (
    SELECT DISTINCT l.organisation, l.period, l.person_id
    FROM people AS l
    JOIN unique_events AS r ON r.organisation = l.organisation AND r.person_id = l.person_id
    WHERE r.event_type = 'Review'
      AND r.der_event_end_date <= l.end_date
      AND r.der_event_end_date >= l.end_date - 364
),
counts AS (
    SELECT q.organisation,
           q.period,
           COUNT(DISTINCT l.person_id) AS people,
           COUNT(DISTINCT r.person_id) AS reviewed
    FROM measure_periods AS q
    LEFT JOIN people AS l ON l.organisation = q.organisation AND l.period = q.period
    LEFT JOIN reviewed AS r
      ON r.organisation = l.organisation AND r.period = l.period AND r.person_id = l.person_id
    WHERE q.kind = 'quarter'
    GROUP BY q.organisation, q.period
)
SELECT organisation, 'lts_people' AS measure, period, people AS numerator,
       CAST(NULL AS BIGINT) AS denominator, CAST(NULL AS DOUBLE) AS value
FROM counts
UNION ALL
SELECT organisation, 'lts_reviewed_12m' AS measure, period, reviewed AS numerator,
       people AS denominator, CAST(NULL AS DOUBLE) AS value
FROM counts
