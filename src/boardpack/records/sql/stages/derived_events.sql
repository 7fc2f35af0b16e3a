-- Stage 5, cleaned and derived fields (5-data-cleaning.md, 6-deduplication.md step 2): every
-- event in period with its end date and ordering from event_keys, its unique-event key as
-- text (person, council, event type, start, end but for services, client type, route,
-- assessment type or service type and component; the end of an event that is no service is
-- never cropped, so it is der_event_end_date), and every coded field
-- mapped through the value map to its Release 2 value ("_cleaned"; unmapped values become
-- "Invalid and not mapped") and grouping ("_grouped"). `kept` is 1 for the record kept for
-- its unique event (unique_events holds those rows).
SELECT k.record_id,
       e.submission_id,
       e.organisation,
       k.quarter,
       k.ref_period_start,
       k.ref_period_end,
       k.person_id,
       e.nhs_number,
       e.la_person_unique_identifier,
       k.person_id || '|' || e.organisation || '|' || e.event_type
           || '|' || COALESCE(CAST(e.event_start_date AS VARCHAR), '')
           || '|' || CASE WHEN e.event_type = 'Service' THEN '' ELSE COALESCE(CAST(k.der_event_end_date AS VARCHAR), '') END
           || '|' || COALESCE(e.client_type, '')
           || '|' || CASE e.event_type
                         WHEN 'Request' THEN COALESCE(e.request_route_of_access, '')
                         WHEN 'Assessment' THEN COALESCE(e.assessment_type, '')
                         WHEN 'Service' THEN COALESCE(e.service_type, '') || '|' || COALESCE(e.service_component, '')
                         ELSE ''
                     END AS event_key,
       e.event_type,
       e.event_start_date,
       e.event_end_date,
       k.der_event_end_date,
       k.cropped,
       k.event_outcome_hierarchy,
       k.conversation,
       e.birth_month_start,
       e.date_of_death,
       FLOOR(DATE_DIFF('day', e.birth_month_start, e.event_start_date) / 365.25) AS age_at_start,
       e.unit_cost,
       e.planned_units_per_week,
       e.adult_1_linked_person_id,
       e.adult_2_linked_person_id,
       e.adult_3_linked_person_id,
       CASE WHEN e.client_type IS NULL THEN NULL ELSE COALESCE(m00.cleaned, 'Invalid and not mapped') END AS client_type_cleaned,
       CASE WHEN e.gender IS NULL THEN NULL ELSE COALESCE(m01.cleaned, 'Invalid and not mapped') END AS gender_cleaned,
       CASE WHEN e.ethnicity IS NULL THEN NULL ELSE COALESCE(m02.cleaned, 'Invalid and not mapped') END AS ethnicity_cleaned,
       CASE WHEN e.ethnicity IS NULL THEN NULL ELSE COALESCE(m02.grouped, 'Unknown') END AS ethnicity_grouped,
       CASE WHEN e.primary_support_reason IS NULL THEN NULL ELSE COALESCE(m03.cleaned, 'Invalid and not mapped') END AS primary_support_reason_cleaned,
       CASE WHEN e.primary_support_reason IS NULL THEN NULL ELSE COALESCE(m03.grouped, 'Unknown') END AS primary_support_reason_grouped,
       CASE WHEN e.accommodation_status IS NULL THEN NULL ELSE COALESCE(m04.cleaned, 'Invalid and not mapped') END AS accommodation_status_cleaned,
       CASE WHEN e.accommodation_status IS NULL THEN NULL ELSE COALESCE(m04.grouped, 'Unknown') END AS accommodation_status_grouped,
       CASE WHEN e.employment_status IS NULL THEN NULL ELSE COALESCE(m05.cleaned, 'Invalid and not mapped') END AS employment_status_cleaned,
       CASE WHEN e.employment_status IS NULL THEN NULL ELSE COALESCE(m05.grouped, 'Unknown') END AS employment_status_grouped,
       CASE WHEN e.has_unpaid_carer IS NULL THEN NULL ELSE COALESCE(m06.cleaned, 'Invalid and not mapped') END AS has_unpaid_carer_cleaned,
       CASE WHEN e.client_funding_status IS NULL THEN NULL ELSE COALESCE(m07.cleaned, 'Invalid and not mapped') END AS client_funding_status_cleaned,
       CASE WHEN e.event_outcome IS NULL THEN NULL ELSE COALESCE(m08.cleaned, 'Invalid and not mapped') END AS event_outcome_cleaned,
       CASE WHEN e.event_outcome IS NULL THEN NULL ELSE COALESCE(m08.grouped, 'Unknown') END AS event_outcome_grouped,
       CASE WHEN e.request_route_of_access IS NULL THEN NULL ELSE COALESCE(m09.cleaned, 'Invalid and not mapped') END AS request_route_of_access_cleaned,
       CASE WHEN e.assessment_type IS NULL THEN NULL ELSE COALESCE(m10.cleaned, 'Invalid and not mapped') END AS assessment_type_cleaned,
       CASE WHEN e.method_of_assessment IS NULL THEN NULL ELSE COALESCE(m11.cleaned, 'Invalid and not mapped') END AS method_of_assessment_cleaned,
       CASE WHEN e.service_type IS NULL THEN NULL ELSE COALESCE(m12.cleaned, 'Invalid and not mapped') END AS service_type_cleaned,
       CASE WHEN e.service_type IS NULL THEN NULL ELSE COALESCE(m12.grouped, 'Unknown') END AS service_type_grouped,
       CASE WHEN e.service_component IS NULL THEN NULL ELSE COALESCE(m13.cleaned, 'Invalid and not mapped') END AS service_component_cleaned,
       CASE WHEN e.delivery_mechanism IS NULL THEN NULL ELSE COALESCE(m14.cleaned, 'Invalid and not mapped') END AS delivery_mechanism_cleaned,
       CASE WHEN e.review_reason IS NULL THEN NULL ELSE COALESCE(m15.cleaned, 'Invalid and not mapped') END AS review_reason_cleaned,
       CASE WHEN e.review_reason IS NULL THEN NULL ELSE COALESCE(m15.grouped, 'Unknown') END AS review_reason_grouped,
       CASE WHEN e.review_outcomes_achieved IS NULL THEN NULL ELSE COALESCE(m16.cleaned, 'Invalid and not mapped') END AS review_outcomes_achieved_cleaned,
       CASE WHEN e.method_of_review IS NULL THEN NULL ELSE COALESCE(m17.cleaned, 'Invalid and not mapped') END AS method_of_review_cleaned,
       CASE WHEN e.cost_frequency_unit_type IS NULL THEN NULL ELSE COALESCE(m18.cleaned, 'Invalid and not mapped') END AS cost_frequency_unit_type_cleaned,
       k.kept
FROM event_keys AS k
JOIN cld_records AS e ON e.record_id = k.record_id
LEFT JOIN value_map AS m00 ON m00.field = 'Client_Type' AND m00.raw_key = LOWER(TRIM(e.client_type))
LEFT JOIN value_map AS m01 ON m01.field = 'Gender' AND m01.raw_key = LOWER(TRIM(e.gender))
LEFT JOIN value_map AS m02 ON m02.field = 'Ethnicity' AND m02.raw_key = LOWER(TRIM(e.ethnicity))
LEFT JOIN value_map AS m03 ON m03.field = 'Primary_Support_Reason' AND m03.raw_key = LOWER(TRIM(e.primary_support_reason))
LEFT JOIN value_map AS m04 ON m04.field = 'Accommodation_Status' AND m04.raw_key = LOWER(TRIM(e.accommodation_status))
LEFT JOIN value_map AS m05 ON m05.field = 'Employment_Status' AND m05.raw_key = LOWER(TRIM(e.employment_status))
LEFT JOIN value_map AS m06 ON m06.field = 'Has_Unpaid_Carer' AND m06.raw_key = LOWER(TRIM(e.has_unpaid_carer))
LEFT JOIN value_map AS m07 ON m07.field = 'Client_Funding_Status' AND m07.raw_key = LOWER(TRIM(e.client_funding_status))
LEFT JOIN value_map AS m08 ON m08.field = 'Event_Outcome' AND m08.raw_key = LOWER(TRIM(e.event_outcome))
LEFT JOIN value_map AS m09 ON m09.field = 'Request_Route_of_Access' AND m09.raw_key = LOWER(TRIM(e.request_route_of_access))
LEFT JOIN value_map AS m10 ON m10.field = 'Assessment_Type' AND m10.raw_key = LOWER(TRIM(e.assessment_type))
LEFT JOIN value_map AS m11 ON m11.field = 'Method_of_Assessment' AND m11.raw_key = LOWER(TRIM(e.method_of_assessment))
LEFT JOIN value_map AS m12 ON m12.field = 'Service_Type' AND m12.raw_key = LOWER(TRIM(e.service_type))
LEFT JOIN value_map AS m13 ON m13.field = 'Service_Component' AND m13.raw_key = LOWER(TRIM(e.service_component))
LEFT JOIN value_map AS m14 ON m14.field = 'Delivery_Mechanism' AND m14.raw_key = LOWER(TRIM(e.delivery_mechanism))
LEFT JOIN value_map AS m15 ON m15.field = 'Review_Reason' AND m15.raw_key = LOWER(TRIM(e.review_reason))
LEFT JOIN value_map AS m16 ON m16.field = 'Review_Outcomes_Achieved' AND m16.raw_key = LOWER(TRIM(e.review_outcomes_achieved))
LEFT JOIN value_map AS m17 ON m17.field = 'Method_of_Review' AND m17.raw_key = LOWER(TRIM(e.method_of_review))
LEFT JOIN value_map AS m18 ON m18.field = 'Cost_Frequency_Unit_Type' AND m18.raw_key = LOWER(TRIM(e.cost_frequency_unit_type))
