/* measure: care_home_admissions_18_64_ytd | rate_per_100k | New admissions to residential and nursing care, aged 18 to 64, financial year to date (per 100,000 population) */
/* measure: care_home_admissions_65_plus_ytd | rate_per_100k | New admissions to residential and nursing care, aged 65 and over, financial year to date (per 100,000 population) */
/* ASCOF 2B/2C counted from the start of the financial year to the quarter's end: the run rate */
/* councils watch through the year. */
WITH admitted AS (
  SELECT
    q.organisation,
    q.period,
    a.person_id,
    MIN(CASE WHEN a.age BETWEEN 18 AND 64 THEN '18 to 64' ELSE '65 and above' END) AS age_band
  FROM measure_periods AS q
  JOIN calendar AS y
    ON y.kind = 'year' AND q.end_date BETWEEN y.start_date AND y.end_date
  JOIN care_home_admissions AS a
    ON a.organisation = q.organisation
    AND a.admission_date BETWEEN y.start_date AND q.end_date
  WHERE
    q.kind = 'quarter'
    AND a.age >= 18
    AND (
      a.date_of_death >= y.start_date OR a.date_of_death IS NULL
    )
  GROUP BY
    q.organisation,
    q.period,
    a.person_id
), bands AS (
  SELECT
    'care_home_admissions_18_64_ytd' AS measure,
    '18 to 64' AS age_band
  UNION ALL
  SELECT
    'care_home_admissions_65_plus_ytd',
    '65 and above'
)
SELECT
  q.organisation,
  b.measure,
  q.period,
  COUNT(a.person_id) AS numerator,
  MAX(p.population) AS denominator,
  CAST(NULL AS DOUBLE) AS value
FROM measure_periods AS q
CROSS JOIN bands AS b
LEFT JOIN admitted AS a
  ON a.organisation = q.organisation
  AND a.period = q.period
  AND a.age_band = b.age_band
LEFT JOIN population AS p
  ON p.organisation = q.organisation AND p.band = b.age_band
WHERE
  q.kind = 'quarter'
GROUP BY
  q.organisation,
  b.measure,
  q.period
