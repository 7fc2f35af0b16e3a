/* measure: packages_community | count | Long-term community support packages open at the quarter's end with a cost */
/* measure: packages_residential | count | Long-term residential care packages open at the quarter's end with a cost */
/* measure: packages_nursing | count | Long-term nursing care packages open at the quarter's end with a cost */
/* measure: weekly_cost_community | money | Weekly cost of long-term community support packages open at the quarter's end (£) */
/* measure: weekly_cost_residential | money | Weekly cost of long-term residential care packages open at the quarter's end (£) */
/* measure: weekly_cost_nursing | money | Weekly cost of long-term nursing care packages open at the quarter's end (£) */
/* Services open at the quarter's end with a unit cost, from the records of the submission that */
/* supplied that quarter (costs are uplifted over time, so each quarter's own figures are */
/* used). The weekly cost is the unit cost (made positive) times its weekly share: weekly 1, */
/* fortnightly 1/2, 4-weekly 1/4, monthly 12/52, quarterly 4/52, annually 1/52, otherwise the */
/* planned units per week (after DHSC's costs table). Summed in whole pence. */
WITH costed AS (
  SELECT
    q.organisation,
    q.period,
    d.service_type_cleaned AS service_type,
    FLOOR(
      ABS(d.unit_cost) * 100 * CASE d.cost_frequency_unit_type_cleaned
        WHEN 'Weekly'
        THEN 1.0
        WHEN 'Fortnightly'
        THEN 0.5
        WHEN '4-weekly'
        THEN 0.25
        WHEN 'Monthly'
        THEN CAST(12.0 AS DOUBLE PRECISION) / 52
        WHEN 'Quarterly'
        THEN CAST(4.0 AS DOUBLE PRECISION) / 52
        WHEN 'Annually'
        THEN CAST(1.0 AS DOUBLE PRECISION) / 52
        ELSE COALESCE(d.planned_units_per_week, 0.0)
      END + 0.5
    ) AS pence
  FROM measure_periods AS q
  JOIN derived_events AS d
    ON d.organisation = q.organisation AND d.ref_period_start = q.start_date
  WHERE
    q.kind = 'quarter'
    AND d.event_type = 'Service'
    AND d.service_type_cleaned IN (
      'Long term support: Community',
      'Long term support: Residential care',
      'Long term support: Nursing care'
    )
    AND NOT d.unit_cost IS NULL
    AND d.event_start_date <= q.end_date
    AND (
      d.der_event_end_date >= q.end_date OR d.der_event_end_date IS NULL
    )
), types AS (
  SELECT
    'community' AS name,
    'Long term support: Community' AS service_type
  UNION ALL
  SELECT
    'residential',
    'Long term support: Residential care'
  UNION ALL
  SELECT
    'nursing',
    'Long term support: Nursing care'
), totals AS (
  SELECT
    q.organisation,
    q.period,
    t.name,
    COUNT(c.pence) AS packages,
    CAST(COALESCE(SUM(c.pence), 0) AS DOUBLE PRECISION) / 100 AS pounds
  FROM measure_periods AS q
  CROSS JOIN types AS t
  LEFT JOIN costed AS c
    ON c.organisation = q.organisation
    AND c.period = q.period
    AND c.service_type = t.service_type
  WHERE
    q.kind = 'quarter'
  GROUP BY
    q.organisation,
    q.period,
    t.name
)
SELECT
  organisation,
  'packages_' || name AS measure,
  period,
  packages AS numerator,
  CAST(NULL AS BIGINT) AS denominator,
  CAST(NULL AS DOUBLE PRECISION) AS value
FROM totals
UNION ALL
SELECT
  organisation,
  'weekly_cost_' || name AS measure,
  period,
  packages AS numerator,
  CAST(NULL AS BIGINT) AS denominator,
  pounds AS value
FROM totals
