"""The values synthetic submissions carry: the CLD fields in the order of the specification, the
Release 2 labels of each coded field, the Release 1 spellings of some of them and a value no
mapping table can place.

Release 2 labels follow the spellings of DHSC's method documents (event outcomes, service types
and ethnicity are listed in `5-data-cleaning.md`; the event outcome hierarchy in
`6-deduplication.md`). Accommodation, employment, delivery mechanism and client funding status
follow the values DHSC's ASCOF 2E and 3D and person-details procedures test for. Fields no
measure reads (routes of access, methods, review reasons) use the Release 2 style (sentence case,
a colon between group and detail); a reader that does not know one maps it to "Invalid and not
mapped", which changes no measure.
"""

from __future__ import annotations

FIELDS = (
    "LA_Code",
    "Reporting_Period_Start_Date",
    "Reporting_Period_End_Date",
    "NHS_Number",
    "LA_Person_Unique_Identifier",
    "GP_Practice_Code",
    "GP_Practice_Name",
    "Gender",
    "Ethnicity",
    "Date_of_Birth",
    "Date_of_Death",
    "Client_Type",
    "Primary_Support_Reason",
    "Postcode",
    "Accommodation_Status",
    "Employment_Status",
    "Has_Unpaid_Carer",
    "Autism_Spectrum_Disorder_ASD",
    "Visual_Impairment",
    "Hearing_Impairment",
    "Dementia",
    "Client_Funding_Status",
    "Event_Type",
    "Event_Reference",
    "Event_Start_Date",
    "Event_End_Date",
    "Event_Description",
    "Event_Outcome",
    "Request_Route_of_Access",
    "Assessment_Type",
    "Eligible_Needs_Identified",
    "Method_of_Assessment",
    "Total_Hrs_Caring_per_week",
    "No_of_adults_being_cared_for",
    "Adult_1_Linked_Person_ID",
    "Adult_2_Linked_Person_ID",
    "Adult_3_Linked_Person_ID",
    "Service_Type",
    "Service_Component",
    "Delivery_Mechanism",
    "Provider_CQC_Location_ID",
    "Provider_CQC_Location_Name",
    "Review_Reason",
    "Review_Outcomes_Achieved",
    "Method_of_Review",
    "Unit_Cost",
    "Cost_Frequency_Unit_Type",
    "Planned_units_per_week",
)

INVALID = "Invalid and not mapped"

EVENT_TYPES = ("Request", "Assessment", "Service", "Review")
REQUEST, ASSESSMENT, SERVICE, REVIEW = range(4)

CLIENT_TYPE = "Service user"

GENDERS = ("Male", "Female")

ETHNICITIES = (
    "White: English, Welsh, Scottish, Northern Irish or British",
    "White: Irish",
    "White: Any other White background",
    "Mixed or multiple ethnic groups: White and Asian",
    "Mixed or multiple ethnic groups: White and Black Caribbean",
    "Asian or Asian British: Indian",
    "Asian or Asian British: Pakistani",
    "Asian or Asian British: Bangladeshi",
    "Black, Black British, Caribbean or African: African",
    "Black, Black British, Caribbean or African: Caribbean",
    "Other ethnic group: Any other ethnic group",
    "No data: Undeclared or not known",
)
ETHNICITY_WEIGHTS = (0.80, 0.01, 0.04, 0.01, 0.01, 0.03, 0.02, 0.01, 0.02, 0.01, 0.01, 0.03)

# Primary support reasons; index 0 is learning disability support (ASCOF 2E(1)).
SUPPORT_REASONS = (
    "Learning disability support",
    "Mental health support",
    "Physical support: Personal care support",
    "Physical support: Access and mobility only",
    "Support with memory and cognition",
    "Sensory support: Support for visual impairment",
    "Social support: Support for social isolation or other reason",
)
LEARNING_DISABILITY = 0
# Shares for adults 18-64 other than learning disability, and for 65+.
SUPPORT_WEIGHTS_WORKING_AGE = (0.0, 0.30, 0.45, 0.12, 0.03, 0.04, 0.06)
SUPPORT_WEIGHTS_OLDER = (0.0, 0.05, 0.55, 0.12, 0.20, 0.04, 0.04)

# Accommodation: the first nine are settled (ASCOF 2E); then unsettled; then Unknown.
ACCOMMODATION = (
    "Owner occupier or shared ownership scheme",
    "Tenant: Local authority or other social housing provider",
    "Tenant: Private landlord",
    "Settled mainstream housing with family or friends",
    "Supported accommodation, supported lodgings or supported group home",
    "Shared Lives scheme",
    "Approved premises for offenders released from prison or under probation supervision",
    "Sheltered housing, extra care housing or other sheltered housing",
    "Mobile accommodation for Gypsy, Roma and Traveller communities",
    "Rough sleeper or squatting",
    "Night shelter, emergency hostel or direct access hostel",
    "Refuge",
    "Placed in temporary accommodation by the council (inc. homelessness resettlement)",
    "Staying with family or friends as a short term guest",
    "Acute hospital or long term healthcare residential facility",
    "Registered care home",
    "Registered nursing home",
    "Prison, young offenders institution or detention centre",
    "Other temporary accommodation",
    "Unknown",
)
SETTLED = frozenset(ACCOMMODATION[:9]) | {"Unknown: presumed at home"}
CARE_HOME, NURSING_HOME, UNKNOWN_ACCOMMODATION = 15, 16, 19
SETTLED_WEIGHTS = (0.34, 0.20, 0.07, 0.21, 0.10, 0.01, 0.005, 0.06, 0.005)
SETTLED_WEIGHTS_LD = (0.03, 0.08, 0.03, 0.46, 0.34, 0.04, 0.0, 0.02, 0.0)
UNSETTLED_COMMUNITY = (9, 10, 12, 13, 18)  # places a person living in the community may be

EMPLOYMENT = (
    "Paid: Less than 16 hours a week",
    "Paid: 16 or more hours a week",
    "Not in paid employment: Seeking work",
    "Not in paid employment: Voluntary work only",
    "Not in paid employment: Not actively seeking work or retired",
    "Unknown",
)
EMPLOYMENT_WEIGHTS_LD = (0.05, 0.02, 0.05, 0.05, 0.75, 0.08)
EMPLOYMENT_WEIGHTS_OTHER = (0.05, 0.04, 0.08, 0.03, 0.70, 0.10)

HAS_UNPAID_CARER = ("Yes", "No", "Unknown")
FUNDING = ("Fully social care funded", "Joint client and social care funded")

ROUTES = (
    "Community or other route",
    "Discharge from hospital",
    "Diversion from hospital services",
    "Self-funder with depleted funds",
    "Planned entry (transition)",
)
ROUTE_WEIGHTS = (0.62, 0.25, 0.06, 0.03, 0.04)
ASSESSMENT_TYPES = ("Long term assessment", "Short term assessment")
ASSESSMENT_METHODS = ("Face to face", "Telephone")
ELIGIBLE = ("Yes", "No")

SERVICE_TYPES = (
    "Long term support: Community",
    "Long term support: Residential care",
    "Long term support: Nursing care",
    "Long term support: Prison",
    "Short term support: ST-Max",
    "Short term support: Ongoing low level",
    "Short term support: Other short term",
)
COMMUNITY, RESIDENTIAL, NURSING, PRISON, ST_MAX, LOW_LEVEL, OTHER_SHORT = range(7)
LONG_TERM = frozenset(SERVICE_TYPES[:4])
# Service types ranked as DHSC ranks a person's services (nursing first); anything else is 99.
SERVICE_RANK = {
    SERVICE_TYPES[kind]: rank
    for rank, kind in enumerate(
        (NURSING, RESIDENTIAL, COMMUNITY, PRISON, ST_MAX, LOW_LEVEL, OTHER_SHORT), 1
    )
}

COMPONENTS = (
    "Home support or domiciliary care",
    "Day support",
    "Meals",
    "Transport",
    "Equipment",
    "Direct payment",
    "Shared Lives",
    "Community supported living",
    "Extra care housing",
    "Professional support: Other",
    "Long term residential care",
    "Long term nursing care",
    "Reablement",
    "Other short term support",
)
(
    HOME_SUPPORT,
    DAY_SUPPORT,
    MEALS,
    TRANSPORT,
    EQUIPMENT,
    DIRECT_PAYMENT_COMPONENT,
    SHARED_LIVES,
    SUPPORTED_LIVING,
    EXTRA_CARE,
    PROFESSIONAL,
    RESIDENTIAL_COMPONENT,
    NURSING_COMPONENT,
    REABLEMENT,
    OTHER_SHORT_COMPONENT,
) = range(14)
EXTRA_COMPONENTS = (DAY_SUPPORT, MEALS, TRANSPORT, EQUIPMENT, PROFESSIONAL)

MECHANISMS = ("Direct payment", "CASSR managed personal budget", "CASSR commissioned support")
DIRECT_PAYMENT, MANAGED_BUDGET, COMMISSIONED = range(3)

FREQUENCIES = ("Weekly", "Hourly", "Daily")
WEEKLY, HOURLY, DAILY = range(3)

REVIEW_REASONS = ("Planned", "Unplanned: Hospital (planned and unplanned episodes)")
REVIEW_ACHIEVED = ("Fully achieved", "Partially achieved", "Not achieved")
REVIEW_METHODS = ("Service user only", "Service user and carer")

# The event outcome hierarchy of the method (`6-deduplication.md`, step 3), best first.
OUTCOMES = (
    "Progress to reablement/ST-Max",
    "Progress to assessment, review or reassessment",
    "Release 1 specification only: Not mapped",
    "Progress to support planning or services",
    "Continuation of support or services",
    "Admitted to hospital",
    "NFA: Responsibility moved to another local authority",
    "NFA: Referral to NHS services or NHS funded social care",
    "NFA: Self-funded client or under 12wk disregard",
    "NFA: Information and advice or signposting",
    "NFA: Referral to other service within the local authority",
    "NFA: Support declined",
    "NFA: Deceased",
    "NFA: Support ended as planned",
    "NFA: Support ended for other reason",
    "NFA: No services offered for other reason",
    "NFA: Other",
)
(
    TO_REABLEMENT,
    TO_ASSESSMENT,
    _R1_ONLY,
    TO_SERVICES,
    CONTINUATION,
    HOSPITAL,
    MOVED,
    NHS_REFERRAL,
    SELF_FUNDED,
    INFORMATION,
    INTERNAL_REFERRAL,
    DECLINED,
    DECEASED,
    ENDED_AS_PLANNED,
    ENDED_OTHER,
    NO_SERVICES,
    NFA_OTHER,
) = range(17)
NFA_AT_REQUEST = (INFORMATION, INTERNAL_REFERRAL, NHS_REFERRAL, SELF_FUNDED, DECLINED, NO_SERVICES)
NFA_AT_REQUEST_WEIGHTS = (0.55, 0.12, 0.08, 0.10, 0.07, 0.08)

# Release 1 spellings of Release 2 labels, by field: a Release 1 submission carries these and
# the method maps them back (`5-data-cleaning.md`: "Release 1 values are mapped to Release 2
# values"). Only pairs evidenced by the NHS England transformation principles (2023-24, Release
# 1) and DHSC's earlier procedures are listed.
RELEASE_1 = {
    "Client_Type": {"Service user": "Service User"},
    "Service_Type": {
        "Long term support: Community": "Long Term Support: Community",
        "Long term support: Residential care": "Long Term Support: Residential Care",
        "Long term support: Nursing care": "Long Term Support: Nursing Care",
        "Short term support: ST-Max": "Short Term Support: ST-Max",
        "Short term support: Ongoing low level": "Short Term Support: Ongoing Low Level",
        "Short term support: Other short term": "Short Term Support: Other Short Term",
    },
    "Delivery_Mechanism": {
        "Direct payment": "Direct Payment",
        "CASSR managed personal budget": "CASSR Managed Personal Budget",
        "CASSR commissioned support": "CASSR Commissioned Support",
    },
    "Primary_Support_Reason": {"Learning disability support": "Learning Disability Support"},
    "Event_Outcome": {
        "NFA: Information and advice or signposting": "NFA - Information & Advice / Signposting only",
        "NFA: Deceased": "NFA - Deceased",
        "NFA: Responsibility moved to another local authority": "NFA - Moved to another LA",
        "NFA: Self-funded client or under 12wk disregard": "NFA - Self-funded client (Inc. 12wk disregard)",
        "NFA: Support declined": "NFA - Support declined",
        "NFA: Support ended for other reason": "NFA - Support ended: Other reason",
        "NFA: No services offered for other reason": "NFA - No services offered: Other reason",
    },
    "Accommodation_Status": {
        "Tenant: Private landlord": "Tenant - private landlord",
        "Settled mainstream housing with family or friends": "Settled mainstream housing with family / friends",
        "Supported accommodation, supported lodgings or supported group home": "Supported accommodation / supported lodgings / supported group home",
        "Sheltered housing, extra care housing or other sheltered housing": "Sheltered housing / extra care housing / other sheltered housing",
        "Rough sleeper or squatting": "Rough sleeper / squatting",
        "Staying with family or friends as a short term guest": "Staying with family / friends as a short-term guest",
    },
}

# A value outside every list and every mapping table: the method maps it to INVALID.
UNMAPPABLE = {
    "Service_Type": "Care package (see case notes)",
    "Delivery_Mechanism": "Legacy payment code 17",
    "Accommodation_Status": "See case notes",
    "Event_Outcome": "Closed on system",
    "Ethnicity": "Not stated on form",
}
