/* Stage 9, reablement (ST-Max) episodes of new clients and what followed them (ASCOF 2A; */
/* ODS note 11; the DHSC ASCOF measures README). */
/* ST-Max services of service users are clustered per person: a service starting more than */
/* 7 days after every earlier one ended starts a new episode. The episode's outcome is that */
/* of its latest-ending service (ties: highest in the outcome hierarchy). Kept: closed */
/* episodes of people aged 18 or over at the episode's end (or of unknown age) who had not */
/* died before it began and who had no long-term service that started before it and was */
/* open, or ended less than 91 days before it began (new clients). */
/* What followed, first match wins: (1) death within 7 days of the end; (2) the episode's */
/* outcome "Admitted to hospital"; (3) a service starting in the episode or within 7 days of */
/* its end and running past its end, the highest by the service hierarchy; (4) the best */
/* usable outcome (outcomes that cannot classify a sequel ranked after all others) among the */
/* episode's own outcome and the outcomes of requests, assessments and reviews starting in */
/* the window (not "Support ended as planned"), or, with no events in the window, the */
/* episode's own; and of assessments or reviews nested in the episode and ending less than */
/* 14 days before its end; (5) equipment provided within the episode: ongoing low level */
/* support; (6) the episode's own outcome. */
/* Only the events of people with an ST-Max service are read: everything after the episodes */
/* is about those people. */
WITH ranks AS (
  SELECT
    outcome,
    hierarchy + 100 * unable_to_classify AS outcome_rank
  FROM outcome_hierarchy
), build AS (
  SELECT
    u.record_id,
    u.organisation,
    u.person_id,
    u.event_type,
    u.event_start_date,
    COALESCE(u.der_event_end_date, CAST('9999-01-01' AS DATE)) AS end_date,
    u.service_type_cleaned AS service_type,
    u.service_component_cleaned AS service_component,
    COALESCE(u.event_outcome_cleaned, 'Invalid and not mapped') AS outcome,
    COALESCE(r.outcome_rank, 999) AS outcome_rank
  FROM unique_events AS u
  LEFT JOIN ranks AS r
    ON r.outcome = u.event_outcome_cleaned
  WHERE
    u.client_type_cleaned = 'Service user'
    AND NOT u.event_start_date IS NULL
    AND (
      u.der_event_end_date >= u.event_start_date OR u.der_event_end_date IS NULL
    )
    AND EXISTS(
      SELECT
        1
      FROM unique_events AS s
      WHERE
        s.organisation = u.organisation
        AND s.person_id = u.person_id
        AND s.event_type = 'Service'
        AND s.service_type_cleaned = 'Short term support: ST-Max'
    )
), stmax AS (
  SELECT
    b.*,
    MAX(b.end_date) OVER (
      PARTITION BY b.organisation, b.person_id
      ORDER BY b.event_start_date NULLS LAST, b.end_date NULLS LAST, b.outcome_rank NULLS LAST, b.record_id DESC
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS previous_end
  FROM build AS b
  WHERE
    b.event_type = 'Service' AND b.service_type = 'Short term support: ST-Max'
), starts AS (
  SELECT
    s.*,
    CASE
      WHEN NOT s.previous_end IS NULL
      AND DATEDIFF(DAY, s.previous_end, s.event_start_date) <= 7
      THEN 0
      ELSE 1
    END AS starts_episode
  FROM stmax AS s
), numbered AS (
  SELECT
    s.*,
    SUM(s.starts_episode) OVER (
      PARTITION BY s.organisation, s.person_id
      ORDER BY s.event_start_date NULLS LAST, s.end_date NULLS LAST, s.outcome_rank NULLS LAST, s.record_id DESC
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS episode
  FROM starts AS s
), last_outcomes AS (
  SELECT
    organisation,
    person_id,
    episode,
    outcome,
    outcome_rank,
    ROW_NUMBER() OVER (
      PARTITION BY organisation, person_id, episode
      ORDER BY end_date DESC, outcome_rank ASC NULLS LAST, record_id DESC
    ) AS pick
  FROM numbered
), spans AS (
  SELECT
    organisation,
    person_id,
    episode,
    MIN(event_start_date) AS episode_start,
    MAX(end_date) AS episode_end
  FROM numbered
  GROUP BY
    organisation,
    person_id,
    episode
), episodes AS (
  SELECT
    s.organisation,
    s.person_id,
    s.episode,
    s.episode_start,
    s.episode_end,
    o.outcome AS episode_outcome,
    o.outcome_rank AS episode_rank,
    p.date_of_death,
    FLOOR(DATEDIFF(DAY, p.birth_month_start, s.episode_end) / 365.25) AS age
  FROM spans AS s
  JOIN last_outcomes AS o
    ON o.organisation = s.organisation
    AND o.person_id = s.person_id
    AND o.episode = s.episode
    AND o.pick = 1
  LEFT JOIN person_details AS p
    ON p.organisation = s.organisation AND p.person_id = s.person_id
  WHERE
    s.episode_end < CAST('9999-01-01' AS DATE)
), new_clients AS (
  SELECT
    e.*
  FROM episodes AS e
  WHERE
    (
      e.age >= 18 OR e.age IS NULL
    )
    AND (
      e.date_of_death >= e.episode_start OR e.date_of_death IS NULL
    )
    AND NOT EXISTS(
      SELECT
        1
      FROM build AS l
      WHERE
        l.organisation = e.organisation
        AND l.person_id = e.person_id
        AND l.event_type = 'Service'
        AND l.service_type IN (
          'Long term support: Nursing care',
          'Long term support: Residential care',
          'Long term support: Community',
          'Long term support: Prison'
        )
        AND l.event_start_date < e.episode_start
        AND DATEDIFF(DAY, l.end_date, e.episode_start) < 91
    )
), following AS (
  SELECT
    n.organisation,
    n.person_id,
    n.episode,
    b.record_id,
    b.event_type,
    b.service_type,
    b.service_component,
    b.outcome,
    b.outcome_rank,
    CASE b.service_type
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
    END AS service_rank
  FROM new_clients AS n
  JOIN build AS b
    ON b.organisation = n.organisation AND b.person_id = n.person_id
  WHERE
    b.event_start_date >= n.episode_start
    AND b.end_date > n.episode_end
    AND DATEDIFF(DAY, n.episode_end, b.event_start_date) <= 7
    AND NOT (
      b.event_type = 'Service' AND b.service_type = 'Short term support: ST-Max'
    )
), service_sequels AS (
  SELECT
    organisation,
    person_id,
    episode,
    CASE
      WHEN service_type = 'Short term support: Other short term'
      AND service_component IN ('Short term residential care', 'Short term nursing care')
      THEN 'Short term support: Residential or Nursing care'
      ELSE service_type
    END AS sequel,
    ROW_NUMBER() OVER (
      PARTITION BY organisation, person_id, episode
      ORDER BY service_rank NULLS LAST, CASE
        WHEN service_component IN ('Short term residential care', 'Short term nursing care')
        THEN 1
        ELSE 2
      END NULLS LAST, record_id DESC
    ) AS pick
  FROM following
  WHERE
    event_type = 'Service' AND service_rank < 99
), usable_following AS (
  SELECT
    f.organisation,
    f.person_id,
    f.episode,
    f.outcome_rank,
    n.episode_rank
  FROM following AS f
  JOIN new_clients AS n
    ON n.organisation = f.organisation
    AND n.person_id = f.person_id
    AND n.episode = f.episode
  WHERE
    f.event_type <> 'Service'
    AND f.outcome <> 'NFA: Support ended as planned'
    AND (
      n.episode_rank < 100 OR f.outcome_rank < 100
    )
), nested AS (
  SELECT
    n.organisation,
    n.person_id,
    n.episode,
    b.outcome_rank,
    ROW_NUMBER() OVER (
      PARTITION BY n.organisation, n.person_id, n.episode
      ORDER BY b.end_date DESC, b.outcome_rank ASC NULLS LAST, b.record_id DESC
    ) AS pick
  FROM new_clients AS n
  JOIN build AS b
    ON b.organisation = n.organisation AND b.person_id = n.person_id
  WHERE
    b.event_type IN ('Assessment', 'Review')
    AND b.event_start_date >= n.episode_start
    AND b.end_date > n.episode_start
    AND b.end_date <= n.episode_end
    AND DATEDIFF(DAY, b.end_date, n.episode_end) < 14
    AND b.outcome_rank < 100
), candidates AS (
  SELECT
    organisation,
    person_id,
    episode,
    episode_rank AS outcome_rank
  FROM usable_following
  UNION ALL
  SELECT
    organisation,
    person_id,
    episode,
    outcome_rank
  FROM usable_following
  WHERE
    outcome_rank < 100
  UNION ALL
  SELECT
    n.organisation,
    n.person_id,
    n.episode,
    n.episode_rank
  FROM new_clients AS n
  WHERE
    n.episode_rank < 100
    AND NOT EXISTS(
      SELECT
        1
      FROM following AS f
      WHERE
        f.organisation = n.organisation
        AND f.person_id = n.person_id
        AND f.episode = n.episode
    )
  UNION ALL
  SELECT
    organisation,
    person_id,
    episode,
    outcome_rank
  FROM nested
  WHERE
    pick = 1
), best_outcomes AS (
  SELECT
    c.organisation,
    c.person_id,
    c.episode,
    r.outcome
  FROM (
    SELECT
      organisation,
      person_id,
      episode,
      MIN(outcome_rank) AS outcome_rank
    FROM candidates
    GROUP BY
      organisation,
      person_id,
      episode
  ) AS c
  JOIN ranks AS r
    ON r.outcome_rank = c.outcome_rank
), equipment AS (
  SELECT DISTINCT
    n.organisation,
    n.person_id,
    n.episode
  FROM new_clients AS n
  JOIN build AS b
    ON b.organisation = n.organisation AND b.person_id = n.person_id
  WHERE
    b.event_type = 'Service'
    AND b.service_type <> 'Short term support: ST-Max'
    AND b.service_component = 'Equipment'
    AND b.event_start_date >= n.episode_start
    AND b.end_date > n.episode_start
    AND b.end_date <= n.episode_end
), sequels AS (
  SELECT
    n.organisation,
    n.person_id,
    n.episode,
    n.episode_start,
    n.episode_end,
    n.age,
    CASE
      WHEN NOT n.date_of_death IS NULL
      AND DATEDIFF(DAY, n.episode_end, n.date_of_death) <= 7
      THEN 1
      WHEN n.episode_outcome = 'Admitted to hospital'
      THEN 2
      WHEN NOT s.sequel IS NULL
      THEN 3
      WHEN NOT o.outcome IS NULL
      THEN 4
      WHEN NOT q.episode IS NULL
      THEN 5
      ELSE 6
    END AS sequel_step,
    CASE
      WHEN NOT n.date_of_death IS NULL
      AND DATEDIFF(DAY, n.episode_end, n.date_of_death) <= 7
      THEN 'NFA: Deceased'
      WHEN n.episode_outcome = 'Admitted to hospital'
      THEN n.episode_outcome
      WHEN NOT s.sequel IS NULL
      THEN s.sequel
      WHEN NOT o.outcome IS NULL
      THEN o.outcome
      WHEN NOT q.episode IS NULL
      THEN 'Short term support: Ongoing low level'
      ELSE n.episode_outcome
    END AS sequel
  FROM new_clients AS n
  LEFT JOIN service_sequels AS s
    ON s.organisation = n.organisation
    AND s.person_id = n.person_id
    AND s.episode = n.episode
    AND s.pick = 1
  LEFT JOIN best_outcomes AS o
    ON o.organisation = n.organisation
    AND o.person_id = n.person_id
    AND o.episode = n.episode
  LEFT JOIN equipment AS q
    ON q.organisation = n.organisation
    AND q.person_id = n.person_id
    AND q.episode = n.episode
)
SELECT
  organisation,
  person_id,
  episode,
  episode_start,
  episode_end,
  age,
  CASE
    WHEN age BETWEEN 18 AND 64
    THEN '18 to 64'
    WHEN age >= 65
    THEN '65 and above'
    ELSE 'Unknown'
  END AS age_band,
  sequel_step,
  sequel,
  CASE
    WHEN sequel IN (
      'Long term support: Community',
      'Long term support: Nursing care',
      'Long term support: Residential care',
      'Long term support: Prison',
      'Short term support: Ongoing low level',
      'Short term support: Other short term',
      'Short term support: Residential or Nursing care',
      'NFA: Information and advice or signposting',
      'NFA: Support ended as planned',
      'NFA: Responsibility moved to another local authority',
      'NFA: Other',
      'NFA: No services offered for other reason',
      'NFA: Support ended for other reason',
      'NFA: Referral to other service within the local authority'
    )
    THEN 1
    ELSE 0
  END AS in_denominator,
  CASE
    WHEN sequel IN (
      'Short term support: Ongoing low level',
      'Short term support: Other short term',
      'NFA: Information and advice or signposting',
      'NFA: Support ended as planned',
      'NFA: Responsibility moved to another local authority',
      'NFA: Other',
      'NFA: No services offered for other reason',
      'NFA: Support ended for other reason',
      'NFA: Referral to other service within the local authority'
    )
    THEN 1
    ELSE 0
  END AS in_numerator
FROM sequels
