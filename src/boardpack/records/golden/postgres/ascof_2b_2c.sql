/* measure: ascof_2b | rate_per_100k | ASCOF 2B: adults aged 18 to 64 whose long-term support needs are met by admission to residential and nursing care homes (per 100,000 population) */
/* measure: ascof_2c | rate_per_100k | ASCOF 2C: adults aged 65 and over whose long-term support needs are met by admission to residential and nursing care homes (per 100,000 population) */
/* People with a new admission (care_home_admissions) starting in the financial year, alive */
/* at the year's start, aged 18 or over at admission; a person with new admissions in both age */
/* bands counts once, in 18 to 64. The denominator is the ONS mid-2024 population of the age */
/* band used by the 2024-25 publication. */
WITH admitted AS (
  SELECT
    y.organisation,
    y.period,
    a.person_id,
    MIN(CASE WHEN a.age BETWEEN 18 AND 64 THEN '18 to 64' ELSE '65 and above' END) AS age_band
  FROM measure_periods AS y
  JOIN care_home_admissions AS a
    ON a.organisation = y.organisation
    AND a.admission_date BETWEEN y.start_date AND y.end_date
  WHERE
    y.kind = 'year'
    AND a.age >= 18
    AND (
      a.date_of_death >= y.start_date OR a.date_of_death IS NULL
    )
  GROUP BY
    y.organisation,
    y.period,
    a.person_id
), bands AS (
  SELECT
    'ascof_2b' AS measure,
    '18 to 64' AS age_band
  UNION ALL
  SELECT
    'ascof_2c',
    '65 and above'
)
SELECT
  y.organisation,
  b.measure,
  y.period,
  COUNT(a.person_id) AS numerator,
  MAX(p.population) AS denominator,
  CAST(NULL AS DOUBLE PRECISION) AS value
FROM measure_periods AS y
CROSS JOIN bands AS b
LEFT JOIN admitted AS a
  ON a.organisation = y.organisation
  AND a.period = y.period
  AND a.age_band = b.age_band
LEFT JOIN population AS p
  ON p.organisation = y.organisation AND p.band = b.age_band
WHERE
  y.kind = 'year'
GROUP BY
  y.organisation,
  b.measure,
  y.period
