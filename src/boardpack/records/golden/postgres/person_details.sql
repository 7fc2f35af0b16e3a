/* Stage 7, latest person details: one row per council and person, from every unique event */
/* (ASCOF measures README; the method's person details table). */
/* Each characteristic is taken from the person's latest records: known values before unknown, */
/* then the latest quarter, then the latest end date (open events first), then the latest */
/* start; if the records that tie still disagree, it is Unknown. Birth month: known first, */
/* latest quarter, earliest birth. Date of death: known first, latest quarter, latest date. */
/* An unknown accommodation status is presumed from the person's latest services: nursing or */
/* residential care, Shared Lives, extra care, supported living, prison; long-term community */
/* support with home care is "Unknown: presumed at home" (counted as settled), other */
/* community support "Unknown: presumed in community". */
/* The orderings are written as whole numbers whose greatest value marks each person's latest */
/* records, found by aggregation rather than by sorting (numbers rather than text: built and */
/* compared at a fraction of the cost). Each part has bits of its own, so every key is a */
/* BIGINT under 2^63 on every engine (day counts are cast to BIGINT: PostgreSQL's are 32-bit). */
/* Records: the known flag (0, 1 or 2) * 2^61, the quarter's end (days since 1900, 17 bits) */
/* * 2^44, the end (open: 9999-01-01; days since year 1, 22 bits) * 2^22, the start (days */
/* since year 1 plus 1; none: 0). Services: the end * 2^29, the setting (7 nursing ... 1 other */
/* short term, 0 the rest) * 2^25, a component telling the accommodation * 2^24, the start. */
/* Values that disagree are found as MIN < MAX (cheaper than COUNT(DISTINCT) > 1, same meaning). */
WITH dated AS (
  SELECT
    organisation,
    person_id,
    birth_month_start,
    date_of_death,
    (
      CAST(ref_period_end AS DATE) - CAST('1900-01-01' AS DATE)
    ) AS quarter_days,
    CAST((
      CAST(ref_period_end AS DATE) - CAST('1900-01-01' AS DATE)
    ) AS BIGINT) * 17592186044416 + CAST((
      CAST(COALESCE(der_event_end_date, CAST('9999-01-01' AS DATE)) AS DATE) - CAST('0001-01-01' AS DATE)
    ) AS BIGINT) * 4194304 + COALESCE((
      CAST(event_start_date AS DATE) - CAST('0001-01-01' AS DATE)
    ) + 1, 0) AS recency,
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
), facts AS (
  SELECT
    d.*,
    accommodation_status_known * 2305843009213693952 + recency AS accommodation_status_key,
    employment_status_known * 2305843009213693952 + recency AS employment_status_key,
    gender_known * 2305843009213693952 + recency AS gender_key,
    ethnicity_known * 2305843009213693952 + recency AS ethnicity_key,
    primary_support_reason_known * 2305843009213693952 + recency AS primary_support_reason_key,
    client_funding_status_known * 2305843009213693952 + recency AS client_funding_status_key,
    has_unpaid_carer_known * 2305843009213693952 + recency AS has_unpaid_carer_key,
    CASE WHEN birth_month_start IS NULL THEN 0 ELSE 1048576 END + quarter_days AS birth_key,
    CASE WHEN date_of_death IS NULL THEN 0 ELSE 1048576 END + quarter_days AS death_key
  FROM dated AS d
), best AS (
  SELECT
    organisation,
    person_id,
    MAX(accommodation_status_key) AS accommodation_status_best,
    MAX(employment_status_key) AS employment_status_best,
    MAX(gender_key) AS gender_best,
    MAX(ethnicity_key) AS ethnicity_best,
    MAX(primary_support_reason_key) AS primary_support_reason_best,
    MAX(client_funding_status_key) AS client_funding_status_best,
    MAX(has_unpaid_carer_key) AS has_unpaid_carer_best,
    MAX(birth_key) AS birth_best,
    MAX(death_key) AS death_best
  FROM facts
  GROUP BY
    organisation,
    person_id
), latest AS (
  SELECT
    f.organisation,
    f.person_id,
    MIN(CASE WHEN f.birth_key = b.birth_best THEN f.birth_month_start END) AS birth_month_start,
    MAX(CASE WHEN f.death_key = b.death_best THEN f.date_of_death END) AS date_of_death,
    CASE
      WHEN MIN(
        CASE
          WHEN f.accommodation_status_key = b.accommodation_status_best
          THEN f.accommodation_status
        END
      ) < MAX(
        CASE
          WHEN f.accommodation_status_key = b.accommodation_status_best
          THEN f.accommodation_status
        END
      )
      THEN 'Unknown'
      ELSE MAX(
        CASE
          WHEN f.accommodation_status_key = b.accommodation_status_best
          THEN f.accommodation_status
        END
      )
    END AS accommodation_status,
    CASE
      WHEN MIN(
        CASE
          WHEN f.employment_status_key = b.employment_status_best
          THEN f.employment_status
        END
      ) < MAX(
        CASE
          WHEN f.employment_status_key = b.employment_status_best
          THEN f.employment_status
        END
      )
      THEN 'Unknown'
      ELSE MAX(
        CASE
          WHEN f.employment_status_key = b.employment_status_best
          THEN f.employment_status
        END
      )
    END AS employment_status,
    CASE
      WHEN MIN(CASE WHEN f.gender_key = b.gender_best THEN f.gender END) < MAX(CASE WHEN f.gender_key = b.gender_best THEN f.gender END)
      THEN 'Unknown'
      ELSE MAX(CASE WHEN f.gender_key = b.gender_best THEN f.gender END)
    END AS gender,
    CASE
      WHEN MIN(CASE WHEN f.ethnicity_key = b.ethnicity_best THEN f.ethnicity END) < MAX(CASE WHEN f.ethnicity_key = b.ethnicity_best THEN f.ethnicity END)
      THEN 'No data: Undeclared or not known'
      ELSE MAX(CASE WHEN f.ethnicity_key = b.ethnicity_best THEN f.ethnicity END)
    END AS ethnicity,
    CASE
      WHEN MIN(
        CASE
          WHEN f.primary_support_reason_key = b.primary_support_reason_best
          THEN f.primary_support_reason
        END
      ) < MAX(
        CASE
          WHEN f.primary_support_reason_key = b.primary_support_reason_best
          THEN f.primary_support_reason
        END
      )
      THEN 'Unknown'
      ELSE MAX(
        CASE
          WHEN f.primary_support_reason_key = b.primary_support_reason_best
          THEN f.primary_support_reason
        END
      )
    END AS primary_support_reason,
    CASE
      WHEN MIN(
        CASE
          WHEN f.client_funding_status_key = b.client_funding_status_best
          THEN f.client_funding_status
        END
      ) < MAX(
        CASE
          WHEN f.client_funding_status_key = b.client_funding_status_best
          THEN f.client_funding_status
        END
      )
      THEN 'Unknown'
      ELSE MAX(
        CASE
          WHEN f.client_funding_status_key = b.client_funding_status_best
          THEN f.client_funding_status
        END
      )
    END AS client_funding_status,
    CASE
      WHEN MIN(
        CASE
          WHEN f.has_unpaid_carer_key = b.has_unpaid_carer_best
          THEN f.has_unpaid_carer
        END
      ) < MAX(
        CASE
          WHEN f.has_unpaid_carer_key = b.has_unpaid_carer_best
          THEN f.has_unpaid_carer
        END
      )
      THEN 'Unknown'
      ELSE MAX(
        CASE
          WHEN f.has_unpaid_carer_key = b.has_unpaid_carer_best
          THEN f.has_unpaid_carer
        END
      )
    END AS has_unpaid_carer
  FROM facts AS f
  JOIN best AS b
    ON b.organisation = f.organisation AND b.person_id = f.person_id
  GROUP BY
    f.organisation,
    f.person_id
), services AS (
  SELECT
    organisation,
    person_id,
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
    END AS telling_component,
    CAST((
      CAST(COALESCE(der_event_end_date, CAST('9999-01-01' AS DATE)) AS DATE) - CAST('0001-01-01' AS DATE)
    ) AS BIGINT) AS end_days,
    COALESCE((
      CAST(event_start_date AS DATE) - CAST('0001-01-01' AS DATE)
    ) + 1, 0) AS start_days
  FROM unique_events
  WHERE
    event_type = 'Service'
), service_keys AS (
  SELECT
    s.*,
    s.end_days * 536870912 + CASE s.service_rank
      WHEN 1
      THEN 7
      WHEN 2
      THEN 6
      WHEN 3
      THEN 5
      WHEN 4
      THEN 4
      WHEN 5
      THEN 3
      WHEN 6
      THEN 2
      WHEN 7
      THEN 1
      ELSE 0
    END * 33554432 + CASE WHEN s.telling_component IS NULL THEN 0 ELSE 1 END * 16777216 + s.start_days AS service_key
  FROM services AS s
), latest_services AS (
  SELECT
    k.organisation,
    k.person_id,
    CASE
      WHEN MIN(CASE WHEN k.service_rank < 99 THEN k.service_type_cleaned END) = MAX(CASE WHEN k.service_rank < 99 THEN k.service_type_cleaned END)
      THEN MAX(CASE WHEN k.service_rank < 99 THEN k.service_type_cleaned END)
    END AS service_type,
    CASE
      WHEN MIN(k.telling_component) = MAX(k.telling_component)
      THEN MAX(k.telling_component)
    END AS component
  FROM service_keys AS k
  JOIN (
    SELECT
      organisation,
      person_id,
      MAX(service_key) AS service_best
    FROM service_keys
    GROUP BY
      organisation,
      person_id
  ) AS b
    ON b.organisation = k.organisation
    AND b.person_id = k.person_id
    AND b.service_best = k.service_key
  GROUP BY
    k.organisation,
    k.person_id
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
), presumed AS (
  SELECT
    p.organisation,
    p.person_id,
    CASE
      WHEN p.accommodation_status <> 'Unknown'
      THEN p.accommodation_status
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
  FROM latest AS p
  LEFT JOIN latest_services AS s
    ON s.organisation = p.organisation AND s.person_id = p.person_id
)
SELECT
  p.organisation,
  p.person_id,
  p.birth_month_start,
  p.date_of_death,
  p.gender,
  p.ethnicity,
  p.primary_support_reason,
  a.accommodation_status,
  CASE
    WHEN a.accommodation_status = 'Unknown: presumed at home' OR ag.grouped = 'Settled'
    THEN 1
    ELSE 0
  END AS accommodation_settled,
  p.employment_status,
  CASE WHEN eg.grouped = 'Paid' THEN 1 ELSE 0 END AS employment_paid,
  p.client_funding_status,
  p.has_unpaid_carer
FROM latest AS p
JOIN presumed AS a
  ON a.organisation = p.organisation AND a.person_id = p.person_id
LEFT JOIN accommodation_groups AS ag
  ON ag.cleaned = a.accommodation_status
LEFT JOIN employment_groups AS eg
  ON eg.cleaned = p.employment_status
