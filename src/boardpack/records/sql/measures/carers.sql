-- measure: carers_supported | count | Unpaid carers supported in the quarter
-- measure: carers_direct_payment_pct | percent | Unpaid carers receiving support direct to them in the quarter who receive it by direct payment (%)
-- carers_supported: unpaid carers (client type) with a carer support service open at any time
-- in the quarter, or an assessment or review ending in it. carers_direct_payment_pct: of
-- those with support direct to the carer in the quarter, those with any of it by direct
-- payment (delivery mechanism or component).
WITH carers AS (
    SELECT q.organisation, q.period, u.person_id,
           MAX(CASE WHEN u.service_type_cleaned = 'Unpaid carer support: Direct to unpaid carer'
                    THEN 1 ELSE 0 END) AS direct,
           MAX(CASE WHEN u.service_type_cleaned = 'Unpaid carer support: Direct to unpaid carer'
                         AND (u.delivery_mechanism_cleaned = 'Direct payment'
                              OR u.service_component_cleaned = 'Direct payment')
                    THEN 1 ELSE 0 END) AS direct_payment
    FROM measure_periods AS q
    JOIN unique_events AS u ON u.organisation = q.organisation
    WHERE q.kind = 'quarter'
      AND u.client_type_cleaned IN ('Unpaid carer', 'Unpaid carer known by association')
      AND ((u.event_type = 'Service'
            AND u.service_type_grouped = 'Unpaid carer support'
            AND u.event_start_date <= q.end_date
            AND (u.der_event_end_date >= q.start_date OR u.der_event_end_date IS NULL))
        OR (u.event_type IN ('Assessment', 'Review')
            AND u.der_event_end_date BETWEEN q.start_date AND q.end_date))
    GROUP BY q.organisation, q.period, u.person_id
)
SELECT q.organisation, 'carers_supported' AS measure, q.period,
       COUNT(c.person_id) AS numerator, CAST(NULL AS BIGINT) AS denominator,
       CAST(NULL AS DOUBLE) AS value
FROM measure_periods AS q
LEFT JOIN carers AS c ON c.organisation = q.organisation AND c.period = q.period
WHERE q.kind = 'quarter'
GROUP BY q.organisation, q.period
UNION ALL
SELECT q.organisation, 'carers_direct_payment_pct' AS measure, q.period,
       COALESCE(SUM(c.direct_payment), 0) AS numerator, COALESCE(SUM(c.direct), 0) AS denominator,
       CAST(NULL AS DOUBLE) AS value
FROM measure_periods AS q
LEFT JOIN carers AS c ON c.organisation = q.organisation AND c.period = q.period
WHERE q.kind = 'quarter'
GROUP BY q.organisation, q.period
