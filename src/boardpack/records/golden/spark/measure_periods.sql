/* Stage 8, the periods measures are reported for: for each council, every quarter a selected */
/* submission supplies ("Q1 2024/25", snapshots at its last day) and every financial year */
/* whose four quarters all are ("2024/25"). */
WITH quarters AS (
  SELECT
    organisation,
    quarter AS period,
    ref_period_start AS start_date,
    ref_period_end AS end_date
  FROM reference_periods
), years AS (
  SELECT
    q.organisation,
    y.label AS period,
    y.start_date,
    y.end_date
  FROM quarters AS q
  JOIN calendar AS y
    ON y.kind = 'year' AND q.start_date >= y.start_date AND q.end_date <= y.end_date
  GROUP BY
    q.organisation,
    y.label,
    y.start_date,
    y.end_date
  HAVING
    COUNT(*) = 4
)
SELECT
  organisation,
  'quarter' AS kind,
  period,
  start_date,
  end_date
FROM quarters
UNION ALL
SELECT
  organisation,
  'year' AS kind,
  period,
  start_date,
  end_date
FROM years
