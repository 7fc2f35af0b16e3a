-- measure: community_starts | count | Long-term community services started in the quarter
SELECT q.organisation, 'community_starts' AS measure, q.period,
       COUNT(u.record_id) AS numerator,
       CAST(NULL AS BIGINT) AS denominator,
       CAST(NULL AS DOUBLE) AS value
FROM measure_periods AS q
LEFT JOIN unique_events AS u
  ON u.organisation = q.organisation
 AND u.service_type_cleaned = 'Long term support: Community'
 AND u.event_start_date BETWEEN q.start_date AND q.end_date
WHERE q.kind = 'quarter'
GROUP BY q.organisation, q.period
