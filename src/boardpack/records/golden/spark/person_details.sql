/* Stage 6, latest person details: one row per council and person, from every unique event */
/* (ASCOF measures README; the method's person details table). */
/* Each characteristic is taken from the person's latest records: known values before unknown, */
/* then the latest quarter, then the latest end date (open events first), then the latest */
/* start; if the records that tie still disagree, it is Unknown. Birth month: known first, */
/* latest quarter, earliest birth. Date of death: known first, latest quarter, latest date. */
/* An unknown accommodation status is presumed from the person's latest services: nursing or */
/* residential care, Shared Lives, extra care, supported living, prison; long-term community */
/* support with home care is "Unknown: presumed at home" (counted as settled), other */
/* community support "Unknown: presumed in community". */
WITH facts AS (
  SELECT
    organisation,
    person_id,
    record_id,
    ref_period_end,
    event_type,
    event_start_date,
    COALESCE(der_event_end_date, CAST('9999-01-01' AS DATE)) AS end_or_open,
    birth_month_start,
    date_of_death,
    service_type_cleaned,
    service_component_cleaned,
    CASE
      WHEN accommodation_status_cleaned IS NULL
      OR accommodation_status_cleaned IN ('Unknown', 'Invalid and not mapped')
      THEN 'Unknown'
      ELSE accommodation_status_cleaned
    END AS accommodation_status,
    CASE
      WHEN accommodation_status_cleaned IS NULL
      OR accommodation_status_cleaned IN ('Unknown', 'Invalid and not mapped')
      THEN 0
      ELSE 1
    END AS accommodation_status_known,
    CASE
      WHEN employment_status_cleaned IS NULL
      OR employment_status_cleaned IN ('Unknown', 'Invalid and not mapped')
      THEN 'Unknown'
      ELSE employment_status_cleaned
    END AS employment_status,
    CASE
      WHEN employment_status_cleaned IS NULL
      OR employment_status_cleaned IN ('Unknown', 'Invalid and not mapped')
      THEN 0
      ELSE 1
    END AS employment_status_known,
    CASE
      WHEN gender_cleaned IS NULL OR gender_cleaned IN ('Unknown', 'Invalid and not mapped')
      THEN 'Unknown'
      ELSE gender_cleaned
    END AS gender,
    CASE
      WHEN gender_cleaned IS NULL OR gender_cleaned IN ('Unknown', 'Invalid and not mapped')
      THEN 0
      ELSE 1
    END AS gender_known,
    CASE
      WHEN ethnicity_cleaned IS NULL OR ethnicity_cleaned = 'Invalid and not mapped'
      THEN 'No data: Undeclared or not known'
      ELSE ethnicity_cleaned
    END AS ethnicity,
    CASE
      WHEN ethnicity_cleaned IS NULL
      OR ethnicity_cleaned IN ('Invalid and not mapped', 'No data: Undeclared or not known')
      THEN 0
      WHEN ethnicity_cleaned = 'No data: Refused'
      THEN 1
      ELSE 2
    END AS ethnicity_known,
    CASE
      WHEN primary_support_reason_cleaned IS NULL
      OR primary_support_reason_cleaned = 'Invalid and not mapped'
      THEN 'Unknown'
      ELSE primary_support_reason_cleaned
    END AS primary_support_reason,
    CASE
      WHEN primary_support_reason_cleaned IS NULL
      OR primary_support_reason_cleaned IN ('Unknown', 'Invalid and not mapped', 'Social support: Support to unpaid carer')
      THEN 0
      ELSE 1
    END AS primary_support_reason_known,
    CASE
      WHEN client_funding_status_cleaned IN (
        'Fully social care funded',
        'Joint client and social care funded',
        'Fully client funded'
      )
      THEN client_funding_status_cleaned
      ELSE 'Unknown'
    END AS client_funding_status,
    CASE
      WHEN client_funding_status_cleaned IN (
        'Fully social care funded',
        'Joint client and social care funded',
        'Fully client funded'
      )
      THEN 1
      ELSE 0
    END AS client_funding_status_known,
    CASE
      WHEN has_unpaid_carer_cleaned IS NULL
      OR has_unpaid_carer_cleaned IN ('Unknown', 'Invalid and not mapped')
      THEN 'Unknown'
      ELSE has_unpaid_carer_cleaned
    END AS has_unpaid_carer,
    CASE
      WHEN has_unpaid_carer_cleaned IS NULL
      OR has_unpaid_carer_cleaned IN ('Unknown', 'Invalid and not mapped')
      THEN 0
      ELSE 1
    END AS has_unpaid_carer_known
  FROM unique_events
), accommodation_status_tiers AS (
  SELECT
    organisation,
    person_id,
    accommodation_status AS value,
    DENSE_RANK() OVER (
      PARTITION BY organisation, person_id
      ORDER BY accommodation_status_known DESC, ref_period_end DESC, end_or_open DESC, event_start_date DESC
    ) AS tier
  FROM facts
), accommodation_status_latest AS (
  SELECT
    organisation,
    person_id,
    CASE WHEN COUNT(DISTINCT value) > 1 THEN 'Unknown' ELSE MAX(value) END AS accommodation_status
  FROM accommodation_status_tiers
  WHERE
    tier = 1
  GROUP BY
    organisation,
    person_id
), employment_status_tiers AS (
  SELECT
    organisation,
    person_id,
    employment_status AS value,
    DENSE_RANK() OVER (
      PARTITION BY organisation, person_id
      ORDER BY employment_status_known DESC, ref_period_end DESC, end_or_open DESC, event_start_date DESC
    ) AS tier
  FROM facts
), employment_status_latest AS (
  SELECT
    organisation,
    person_id,
    CASE WHEN COUNT(DISTINCT value) > 1 THEN 'Unknown' ELSE MAX(value) END AS employment_status
  FROM employment_status_tiers
  WHERE
    tier = 1
  GROUP BY
    organisation,
    person_id
), gender_tiers AS (
  SELECT
    organisation,
    person_id,
    gender AS value,
    DENSE_RANK() OVER (
      PARTITION BY organisation, person_id
      ORDER BY gender_known DESC, ref_period_end DESC, end_or_open DESC, event_start_date DESC
    ) AS tier
  FROM facts
), gender_latest AS (
  SELECT
    organisation,
    person_id,
    CASE WHEN COUNT(DISTINCT value) > 1 THEN 'Unknown' ELSE MAX(value) END AS gender
  FROM gender_tiers
  WHERE
    tier = 1
  GROUP BY
    organisation,
    person_id
), ethnicity_tiers AS (
  SELECT
    organisation,
    person_id,
    ethnicity AS value,
    DENSE_RANK() OVER (
      PARTITION BY organisation, person_id
      ORDER BY ethnicity_known DESC, ref_period_end DESC, end_or_open DESC, event_start_date DESC
    ) AS tier
  FROM facts
), ethnicity_latest AS (
  SELECT
    organisation,
    person_id,
    CASE
      WHEN COUNT(DISTINCT value) > 1
      THEN 'No data: Undeclared or not known'
      ELSE MAX(value)
    END AS ethnicity
  FROM ethnicity_tiers
  WHERE
    tier = 1
  GROUP BY
    organisation,
    person_id
), primary_support_reason_tiers AS (
  SELECT
    organisation,
    person_id,
    primary_support_reason AS value,
    DENSE_RANK() OVER (
      PARTITION BY organisation, person_id
      ORDER BY primary_support_reason_known DESC, ref_period_end DESC, end_or_open DESC, event_start_date DESC
    ) AS tier
  FROM facts
), primary_support_reason_latest AS (
  SELECT
    organisation,
    person_id,
    CASE WHEN COUNT(DISTINCT value) > 1 THEN 'Unknown' ELSE MAX(value) END AS primary_support_reason
  FROM primary_support_reason_tiers
  WHERE
    tier = 1
  GROUP BY
    organisation,
    person_id
), client_funding_status_tiers AS (
  SELECT
    organisation,
    person_id,
    client_funding_status AS value,
    DENSE_RANK() OVER (
      PARTITION BY organisation, person_id
      ORDER BY client_funding_status_known DESC, ref_period_end DESC, end_or_open DESC, event_start_date DESC
    ) AS tier
  FROM facts
), client_funding_status_latest AS (
  SELECT
    organisation,
    person_id,
    CASE WHEN COUNT(DISTINCT value) > 1 THEN 'Unknown' ELSE MAX(value) END AS client_funding_status
  FROM client_funding_status_tiers
  WHERE
    tier = 1
  GROUP BY
    organisation,
    person_id
), has_unpaid_carer_tiers AS (
  SELECT
    organisation,
    person_id,
    has_unpaid_carer AS value,
    DENSE_RANK() OVER (
      PARTITION BY organisation, person_id
      ORDER BY has_unpaid_carer_known DESC, ref_period_end DESC, end_or_open DESC, event_start_date DESC
    ) AS tier
  FROM facts
), has_unpaid_carer_latest AS (
  SELECT
    organisation,
    person_id,
    CASE WHEN COUNT(DISTINCT value) > 1 THEN 'Unknown' ELSE MAX(value) END AS has_unpaid_carer
  FROM has_unpaid_carer_tiers
  WHERE
    tier = 1
  GROUP BY
    organisation,
    person_id
), births AS (
  SELECT
    organisation,
    person_id,
    birth_month_start,
    ROW_NUMBER() OVER (
      PARTITION BY organisation, person_id
      ORDER BY CASE WHEN birth_month_start IS NULL THEN 1 ELSE 0 END NULLS LAST, ref_period_end DESC, birth_month_start ASC NULLS LAST, record_id DESC
    ) AS pick
  FROM facts
), deaths AS (
  SELECT
    organisation,
    person_id,
    date_of_death,
    ROW_NUMBER() OVER (
      PARTITION BY organisation, person_id
      ORDER BY CASE WHEN date_of_death IS NULL THEN 1 ELSE 0 END NULLS LAST, ref_period_end DESC, date_of_death DESC, record_id DESC
    ) AS pick
  FROM facts
), services AS (
  SELECT
    organisation,
    person_id,
    end_or_open,
    event_start_date,
    service_type_cleaned,
    CASE service_type_cleaned
      WHEN 'Long term support: Nursing care'
      THEN 1
      WHEN 'Long term support: Residential care'
      THEN 2
      WHEN 'Long term support: Community'
      THEN 3
      WHEN 'Long term support: Prison'
      THEN 4
      WHEN 'Short term support: ST-Max'
      THEN 5
      WHEN 'Short term support: Ongoing low level'
      THEN 6
      WHEN 'Short term support: Other short term'
      THEN 7
      ELSE 99
    END AS service_rank,
    CASE
      WHEN service_component_cleaned IN (
        'Shared Lives',
        'Community supported living',
        'Extra care housing',
        'Home support or domiciliary care'
      )
      THEN service_component_cleaned
    END AS telling_component
  FROM facts
  WHERE
    event_type = 'Service'
), service_tiers AS (
  SELECT
    s.*,
    DENSE_RANK() OVER (
      PARTITION BY organisation, person_id
      ORDER BY end_or_open DESC, service_rank ASC NULLS LAST, CASE WHEN telling_component IS NULL THEN 0 ELSE 1 END DESC, event_start_date DESC
    ) AS tier
  FROM services AS s
), latest_services AS (
  SELECT
    organisation,
    person_id,
    CASE
      WHEN COUNT(DISTINCT CASE WHEN service_rank < 99 THEN service_type_cleaned END) = 1
      THEN MAX(CASE WHEN service_rank < 99 THEN service_type_cleaned END)
    END AS service_type,
    CASE WHEN COUNT(DISTINCT telling_component) = 1 THEN MAX(telling_component) END AS component
  FROM service_tiers
  WHERE
    tier = 1
  GROUP BY
    organisation,
    person_id
), accommodation_groups AS (
  SELECT DISTINCT
    cleaned,
    grouped
  FROM value_map
  WHERE
    field = 'Accommodation_Status'
), employment_groups AS (
  SELECT DISTINCT
    cleaned,
    grouped
  FROM value_map
  WHERE
    field = 'Employment_Status'
), people AS (
  SELECT DISTINCT
    organisation,
    person_id
  FROM facts
), presumed AS (
  SELECT
    p.organisation,
    p.person_id,
    CASE
      WHEN a.accommodation_status <> 'Unknown'
      THEN a.accommodation_status
      WHEN s.service_type = 'Long term support: Nursing care'
      THEN 'Registered nursing home'
      WHEN s.service_type = 'Long term support: Residential care'
      THEN 'Registered care home'
      WHEN s.component = 'Shared Lives'
      THEN 'Shared Lives scheme'
      WHEN s.component = 'Extra care housing'
      THEN 'Sheltered housing, extra care housing or other sheltered housing'
      WHEN s.component = 'Community supported living'
      THEN 'Supported accommodation, supported lodgings or supported group home'
      WHEN s.service_type = 'Long term support: Community'
      AND s.component = 'Home support or domiciliary care'
      THEN 'Unknown: presumed at home'
      WHEN s.service_type = 'Long term support: Community' AND s.component IS NULL
      THEN 'Unknown: presumed in community'
      WHEN s.service_type = 'Long term support: Prison'
      THEN 'Prison, young offenders institution or detention centre'
      ELSE 'Unknown'
    END AS accommodation_status
  FROM people AS p
  JOIN accommodation_status_latest AS a
    ON a.organisation = p.organisation AND a.person_id = p.person_id
  LEFT JOIN latest_services AS s
    ON s.organisation = p.organisation AND s.person_id = p.person_id
)
SELECT
  p.organisation,
  p.person_id,
  b.birth_month_start,
  d.date_of_death,
  g.gender,
  e.ethnicity,
  r.primary_support_reason,
  a.accommodation_status,
  CASE
    WHEN a.accommodation_status = 'Unknown: presumed at home' OR ag.grouped = 'Settled'
    THEN 1
    ELSE 0
  END AS accommodation_settled,
  m.employment_status,
  CASE WHEN eg.grouped = 'Paid' THEN 1 ELSE 0 END AS employment_paid,
  f.client_funding_status,
  c.has_unpaid_carer
FROM people AS p
JOIN births AS b
  ON b.organisation = p.organisation AND b.person_id = p.person_id AND b.pick = 1
JOIN deaths AS d
  ON d.organisation = p.organisation AND d.person_id = p.person_id AND d.pick = 1
JOIN presumed AS a
  ON a.organisation = p.organisation AND a.person_id = p.person_id
LEFT JOIN accommodation_groups AS ag
  ON ag.cleaned = a.accommodation_status
JOIN gender_latest AS g
  ON g.organisation = p.organisation AND g.person_id = p.person_id
JOIN ethnicity_latest AS e
  ON e.organisation = p.organisation AND e.person_id = p.person_id
JOIN primary_support_reason_latest AS r
  ON r.organisation = p.organisation AND r.person_id = p.person_id
JOIN employment_status_latest AS m
  ON m.organisation = p.organisation AND m.person_id = p.person_id
LEFT JOIN employment_groups AS eg
  ON eg.cleaned = m.employment_status
JOIN client_funding_status_latest AS f
  ON f.organisation = p.organisation AND f.person_id = p.person_id
JOIN has_unpaid_carer_latest AS c
  ON c.organisation = p.organisation AND c.person_id = p.person_id
