"""The indicators of the Example County Council demo, as data.

Each entry is one indicator: its catalogue fields, how its figures run (`start` is the first
period's value, `last` the two most recent reported values, `noise` the spread around the
trend), its targets per financial year 2021/22 to 2025/26 (one number for all five years, or
five numbers with None for no target), the gap to the floor (None for no floor), and the
officer's words that the commentary templates weave in.
"""

YEARS = ("2021/22", "2022/23", "2023/24", "2024/25", "2025/26")

OWNERS = {
    "op": ("Older People and Physical Disability", "Sarah Okafor, Head of Adult Operations"),
    "ld": ("Learning Disability, Autism and Mental Health", "Tom Brennan, Head of Specialist Services"),
    "sq": ("Safeguarding, Quality and Practice", "Priya Nair, Principal Social Worker"),
    "co": ("Commissioning and Market Development", "Gareth Lewis, Head of Commissioning"),
    "fi": ("Business Delivery", "Helen McBride, Finance Business Partner (Adults)"),
    "wf": ("Business Delivery", "Daniel Hughes, Workforce Development Manager"),
    "cc": ("Business Delivery", "Ruth Ellis, Customer Care and Complaints Manager"),
}

SUPPRESSED = "[c]"
NOT_AVAILABLE = "[x]"
NOTES = {
    SUPPRESSED: "Suppressed: fewer than five people",
    NOT_AVAILABLE: "Not available: telephony system replacement",
}

HW, FI, PE, CU, FU = "Health & Wellbeing", "Our Finance", "Our People", "Our Customer", "Our Future"

INDICATORS = [
    # -- Health & Wellbeing --------------------------------------------------------------------
    dict(
        ref="HW01", title="Percentage of people receiving community-based services who have a "
        "personal budget and/or a direct payment", tier="Strategic", perspective=HW,
        polarity="higher_better", unit="percent", frequency="monthly", measurement="snapshot",
        area="op", ascof="1C(1A)", start=86.5, last=(91.4, 92.0), noise=0.5, targets=90, floor=5,
        den=5400, num_label="People with a personal budget or direct payment",
        den_label="People receiving community-based services",
        context="Almost everyone new to long-term support now starts with a personal budget, and "
        "the remaining gap is mostly people with long-standing council-arranged care.",
        action="Review teams will offer a personal budget at every annual review where one is not "
        "yet in place.",
        risk=("Recording lags where budgets are agreed but not yet entered on the case record.",
              "A weekly exception report goes to team managers to close open budgets."),
    ),
    dict(
        ref="HW02", title="Percentage of people receiving community-based services who receive a "
        "direct payment", tier="KPI", perspective=HW, polarity="higher_better", unit="percent",
        frequency="quarterly", measurement="snapshot", area="op", ascof="1C(2A)", start=24.3,
        last=(27.6, 27.1), noise=0.4, targets=(27, 28, 29, 30, 30), floor=6, den=4900,
        num_label="People receiving a direct payment",
        den_label="People receiving community-based services",
        context="Take-up of direct payments has levelled off: a shortage of personal assistants "
        "in the rural districts means some people choose a commissioned service instead.",
        action="The new direct payment support service will run a personal assistant recruitment "
        "campaign in the rural districts from November.",
        risk=("People hand back direct payments when they cannot recruit or keep a personal "
              "assistant.", "A personal assistant register and a back-up agency are being set up "
              "with the support provider."),
    ),
    dict(
        ref="HW03", title="Number of people receiving a telecare service", tier="KPI",
        perspective=HW, polarity="higher_better", unit="number", frequency="monthly",
        measurement="snapshot", area="op", start=1880, last=(2641, 2668), noise=18,
        targets=(2000, 2150, 2300, 2450, 2600), floor=None,
        context="Referrals from the hospital discharge teams account for most of the growth, "
        "alongside people finishing a period of reablement.",
        action="Telecare will be offered as standard at every reablement closure visit.",
        risk=("The analogue telephone switch-off may leave some alarms unsupported.",
              "All users have been contacted and digital units are being fitted by March 2026."),
    ),
    dict(
        ref="HW04", title="Number of people provided with an enablement service in the quarter",
        tier="KPI", perspective=HW, polarity="higher_better", unit="number",
        frequency="quarterly", measurement="during_period", area="op", start=1420,
        last=(1702, 1744), noise=35, targets=1800, floor=300,
        context="Enablement capacity is the limiting factor: the in-house service has been "
        "carrying vacancies of around 12% of its care hours.",
        action="A recruitment drive for enablement support workers started in September, with "
        "twelve offers made.",
        risk=("Care hours lost to vacancies and sickness reduce the number of people who can "
              "start the service.", "Commissioned enablement hours are used to cover gaps while "
              "recruitment completes."),
    ),
    dict(
        ref="HW05", title="Percentage of new Care Needs Assessments completed within 28 days",
        tier="Critical", perspective=HW, polarity="higher_better", unit="percent",
        frequency="quarterly", measurement="during_period", lag=1, area="op",
        corporate_risk="CRR0002", start=72.0, last=(84.1, 78.6), noise=2.0, targets=90,
        floor=10, den=4800, num_label="Assessments completed within 28 days",
        den_label="Assessments completed",
        context="Demand rose through the spring and two locality teams carried social worker "
        "vacancies, so more assessments ran beyond 28 days.",
        action="Assessments waiting longest are being allocated through a weekly county-wide "
        "allocation meeting.",
        risk=("People wait longer for an assessment and their needs escalate while they wait.",
              "Everyone waiting is risk-rated and contacted at least every four weeks."),
        panel=("An assessment recovery plan with weekly trajectories to the end of the year, "
               "reported to the Director monthly.",
               "Agency social workers for the two locality teams with the longest waits, "
               "funded from the workforce reserve until March 2026."),
    ),
    dict(
        ref="HW06", title="Number of Care Needs Assessments completed", tier="Activity",
        perspective=HW, polarity="none", unit="number", frequency="quarterly",
        measurement="during_period", area="op", start=4300, last=(4880, 4491), noise=120,
        context="Completions include assessments started in an earlier quarter.",
        action="Incoming and completed assessments are tracked weekly by locality.",
        risk=("Incoming demand exceeds the number of assessments the teams can complete.",
              "Demand is forecast monthly and staffing moved between localities as needed."),
    ),
    dict(
        ref="HW07", title="Long-term support needs of older people (65 and over) met by admission "
        "to residential and nursing care homes, per 100,000 population", tier="Strategic",
        perspective=HW, polarity="lower_better", unit="rate_per_100k", frequency="quarterly",
        measurement="rolling_12_months", lag=1, area="op", ascof="2A(2)", bcf=True, start=655,
        last=(603.5, 611.2), noise=8, targets=(620, 605, 590, 590, 590), floor=30, den=148200,
        den_growth=0.06, num_label="Permanent admissions aged 65 and over (12 months)",
        den_label="Population aged 65 and over",
        context="Admissions from hospital discharge pathways remain higher than before the "
        "pandemic, with more people leaving hospital with complex needs.",
        action="Every permanent admission is reviewed at the weekly placement panel to check that "
        "extra care or support at home was considered.",
        risk=("Short-term beds turn into permanent placements without a planned review.",
              "Every short-term bed is reviewed by day 28 and tracked on a single list."),
    ),
    dict(
        ref="HW08", title="Long-term support needs of younger adults (18 to 64) met by admission "
        "to residential and nursing care homes, per 100,000 population", tier="KPI",
        perspective=HW, polarity="lower_better", unit="rate_per_100k", frequency="quarterly",
        measurement="rolling_12_months", lag=1, area="ld", ascof="2A(1)", start=15.8,
        last=(13.1, 12.6), noise=0.5, targets=14.0, floor=2.0, den=452000, den_growth=0.02,
        num_label="Permanent admissions aged 18 to 64 (12 months)",
        den_label="Population aged 18 to 64",
        context="New supported living schemes have given an alternative to residential care for "
        "younger adults with a learning disability.",
        action="Two further supported living schemes open in the spring, with nine flats "
        "already allocated.",
        risk=("Delays in new schemes opening leave few alternatives to a care home.",
              "Scheme timetables are reviewed monthly with the housing providers."),
    ),
    dict(
        ref="HW09", title="Days delayed in hospital attributable to adult social care, per "
        "100,000 population aged 18 and over", tier="Critical", perspective=HW,
        polarity="lower_better", unit="rate_per_100k", frequency="monthly",
        measurement="during_period", area="op", bcf=True, start=128, last=(104.2, 118.6),
        noise=6, targets=(100, 95, 90, 90, 90), floor=20, den=600000, den_growth=0.02,
        num_label="Days delayed attributable to adult social care",
        den_label="Population aged 18 and over",
        context="Most of the delays were for people waiting for home care in the north of the "
        "county, where two providers handed back packages in August.",
        action="A bridging service in the north of the county takes people home while a "
        "long-term provider is found.",
        risk=("Home care capacity in rural areas does not meet demand, keeping people in "
              "hospital.", "New rural rates were agreed with providers in September."),
        panel=("A daily review of every person delayed for home care, chaired by the Head of "
               "Adult Operations, until delays fall below the floor.",
               "Commissioning to report on the bridging service's capacity to the next panel."),
    ),
    dict(
        ref="HW10", title="Proportion of older people (65 and over) who were still at home 91 days "
        "after discharge from hospital into reablement", tier="Strategic", perspective=HW,
        polarity="higher_better", unit="percent", frequency="quarterly",
        measurement="during_period", lag=1, area="op", ascof="2B(1)", bcf=True, start=79.2,
        last=(84.3, 85.6), noise=1.2, targets=(82, 83, 84, 85, 85), floor=5, den=310,
        num_label="People at home 91 days after discharge",
        den_label="People discharged into reablement",
        context="Closer working between the hospital discharge team and reablement means people "
        "are matched to the right service on the day they leave hospital.",
        action="Follow-up calls at 30 and 60 days will continue for everyone leaving reablement.",
        risk=("Readmissions rise over winter as acuity increases.",
              "Winter plans include extra therapy capacity in reablement."),
    ),
    dict(
        ref="HW11", title="Percentage of Deprivation of Liberty Safeguards applications completed "
        "within the statutory timeframe", tier="KPI", perspective=HW, polarity="higher_better",
        unit="percent", frequency="monthly", measurement="during_period", area="sq",
        start=34.0, last=(60.8, 53.1), noise=2.5, targets=(40, 45, 50, 55, 60), floor=10,
        den=260, num_label="Applications completed in the timeframe",
        den_label="Applications completed",
        context="Two best interests assessors left in August and applications completed in "
        "September included a backlog of urgent authorisations.",
        action="Independent best interests assessors have been commissioned to cover the "
        "vacancies until the posts are filled.",
        risk=("People are deprived of their liberty without a valid authorisation.",
              "Applications are prioritised with the national screening tool."),
    ),
    dict(
        ref="HW12", title="Number of safeguarding enquiries open at the end of the month",
        tier="Activity", perspective=HW, polarity="none", unit="number", frequency="monthly",
        measurement="snapshot", area="sq", start=380, last=(436, 421), noise=14,
        context="Enquiries open longer than six months are reviewed by a team manager every "
        "month.",
        action="The safeguarding hub will report the age profile of open enquiries to the "
        "Safeguarding Adults Board.",
        risk=("A rise in concerns from care homes increases open enquiries.",
              "Provider concerns are handled through the quality assurance process where "
              "appropriate."),
    ),
    dict(
        ref="HW13", title="Percentage of safeguarding enquiries where the person's desired "
        "outcomes were fully or partially met", tier="KPI", perspective=HW,
        polarity="higher_better", unit="percent", frequency="quarterly",
        measurement="during_period", area="sq", start=89.0, last=(93.1, 95.6), noise=1.2,
        targets=95, floor=5, den=380, num_label="Enquiries with outcomes fully or partially met",
        den_label="Enquiries where outcomes were expressed",
        context="Practice guidance on Making Safeguarding Personal was refreshed in the spring "
        "and is now used in every enquiry.",
        action="Audits of closed enquiries will check that the person's own words are recorded.",
        risk=("Outcomes are recorded inconsistently between teams.",
              "Quarterly case file audits check recording."),
    ),
    dict(
        ref="HW14", title="Percentage of people receiving long-term support who have been reviewed "
        "in the last 12 months", tier="Critical", perspective=HW, polarity="higher_better",
        unit="percent", frequency="monthly", measurement="snapshot", area="op", start=58.0,
        last=(70.4, 69.4), noise=0.8, targets=(70, 72, 75, 78, 80), floor=10, den=7800,
        num_label="People reviewed in the last 12 months",
        den_label="People receiving long-term support",
        context="Reviews have been prioritised for people whose needs are most likely to have "
        "changed, so overdue reviews for people in stable placements have grown.",
        action="A dedicated review team started in October and will focus on reviews overdue "
        "by more than six months.",
        risk=("Changes in people's needs and care quality go unnoticed between reviews.",
              "Providers report changes in need, and overdue reviews are risk-rated."),
        panel=("The review team's trajectory to reach 75% by March 2026 to be reported monthly.",
               "Lighter-touch telephone reviews for people in stable placements, with practice "
               "guidance from the Principal Social Worker."),
    ),
    dict(
        ref="HW15", title="Number of carers' assessments completed", tier="KPI", perspective=HW,
        polarity="higher_better", unit="number", frequency="quarterly",
        measurement="during_period", area="co", start=880, last=(1198, 1238), noise=40,
        targets=(1000, 1050, 1100, 1200, 1250), floor=None,
        context="The carers' support service now completes assessments on the council's behalf, "
        "which has raised numbers over the year.",
        action="Assessments completed by the carers' support service will be entered directly "
        "on the case record from November.",
        risk=("Assessments completed by partners are recorded late.",
              "A monthly reconciliation with the carers' support service."),
    ),
    dict(
        ref="HW16", title="Proportion of adults with a learning disability in paid employment",
        tier="KPI", perspective=HW, polarity="higher_better", unit="percent",
        frequency="quarterly", measurement="snapshot", area="ld", ascof="1E", start=5.1,
        last=(6.0, 6.5), noise=0.15, targets=(5.6, 5.8, 6.0, 6.2, 6.2), floor=0.7, den=1480,
        num_label="Adults with a learning disability in paid employment",
        den_label="Adults with a learning disability receiving long-term support",
        context="The supported employment service found work for eleven people this quarter, "
        "mostly in retail and hospitality.",
        action="The supported employment service will run two job fairs with local employers "
        "before March.",
        risk=("People lose work when their support changes.",
              "In-work support continues for six months after a job starts."),
    ),
    dict(
        ref="HW17", title="Proportion of adults with a learning disability who live in their own "
        "home or with their family", tier="KPI", perspective=HW, polarity="higher_better",
        unit="percent", frequency="quarterly", measurement="snapshot", area="ld", ascof="1G",
        start=76.4, last=(79.6, 80.3), noise=0.5, targets=80, floor=5, den=1480,
        num_label="Adults in their own home or with family",
        den_label="Adults with a learning disability receiving long-term support",
        context="Moves from residential care into supported living have continued, with six "
        "people moving this quarter.",
        action="Planning for each person aged 17 moving to adult services now starts a year "
        "earlier.",
        risk=("Family carers' circumstances change suddenly, leading to emergency placements.",
              "Contingency plans are agreed with older family carers."),
    ),
    dict(
        ref="HW18", title="Proportion of adults in contact with secondary mental health services "
        "in paid employment", tier="KPI", perspective=HW, polarity="higher_better",
        unit="percent", frequency="monthly", measurement="snapshot", lag=1, area="ld",
        ascof="1F", start=6.9, last=(6.3, 5.7), noise=0.25, targets=7.0, floor=1.0, den=3900,
        num_label="Adults in paid employment",
        den_label="Adults in contact with secondary mental health services",
        context="The fall follows the end of the individual placement and support pilot in June, "
        "when the employment specialists left the community mental health teams.",
        action="The Trust has agreed to fund two employment specialists from January pending a "
        "bid to the Integrated Care Board.",
        risk=("Without employment specialists, people are not supported into or to stay in work.",
              "The Trust's vocational service takes referrals in the meantime."),
        panel=("The Head of Specialist Services to bring a joint plan with the Trust to the "
               "December panel.", "Employment status to be recorded at every care programme "
               "approach review so the figures are complete."),
    ),
    dict(
        ref="HW19", title="Proportion of people who use services who say they have control over "
        "their daily life", tier="Strategic", perspective=HW, polarity="higher_better",
        unit="percent", frequency="annual", area="sq", ascof="1B",
        source="Adult Social Care Survey", start=74.8, last=(76.9, 78.4), noise=0.5,
        targets=(76, 76, 77, 77, 78), floor=3, den=480,
        num_label="Respondents who say they have as much or adequate control",
        den_label="Survey respondents",
        context="The survey result is above the national average and has improved for three "
        "years running.",
        action="The survey results will be shared with providers alongside their own "
        "feedback.",
        risk=("A low response rate makes the result less reliable.",
              "Easy-read versions and telephone support are offered to every person sampled."),
    ),
    dict(
        ref="HW20", title="Proportion of people who use services who say that those services have "
        "made them feel safe and secure", tier="KPI", perspective=HW, polarity="higher_better",
        unit="percent", frequency="annual", area="sq", ascof="4B",
        source="Adult Social Care Survey", start=85.1, last=(86.4, 86.9), noise=0.5,
        targets=88, floor=4, den=480, num_label="Respondents who say services make them feel safe",
        den_label="Survey respondents",
        context="The result is close to the national average; people receiving home care were "
        "less likely to feel safe than those in care homes.",
        action="Home care providers will be asked to act on missed and late calls reported in "
        "the survey.",
        risk=("Missed and late home care calls undermine people's confidence.",
              "Electronic call monitoring data is reviewed monthly with providers."),
    ),
    dict(
        ref="HW21", title="Percentage of people whose contact was resolved by adult social care "
        "who make contact again within 3 months", tier="KPI", perspective=HW,
        polarity="lower_better", unit="percent", frequency="quarterly",
        measurement="during_period", lag=1, area="cc", start=6.1, last=(4.2, 4.0), noise=0.3,
        targets=5, floor=2, den=9500, num_label="People who made contact again within 3 months",
        den_label="Contacts resolved",
        context="Repeat contacts are mostly people who were signposted to community support "
        "that had a waiting list.",
        action="The community directory is being refreshed so that signposting is to services "
        "with capacity.",
        risk=("Signposting to services without capacity brings people back.",
              "Directory entries are checked every six months."),
    ),
    dict(
        ref="HW22", title="Number of contacts received by adult social care", tier="Activity",
        perspective=HW, polarity="none", unit="number", frequency="monthly",
        measurement="during_period", area="cc", start=7100, last=(7420, 7215), noise=260,
        missing={"Aug 2023": NOT_AVAILABLE},
        context="Contacts were lower than in August, as is usual in early autumn.",
        action="Contact volumes are monitored daily by the front door service.",
        risk=("Peaks in contacts lengthen call waiting times.",
              "Staff from the assessment teams support the front door at peak times."),
    ),
    dict(
        ref="HW23", title="Percentage of adult social care assessments completed within six weeks",
        tier="KPI", perspective=HW, polarity="in_band", unit="percent", frequency="quarterly",
        measurement="during_period", area="op", scheme="six-weeks-band", start=79.0,
        last=(78.1, 81.2), noise=1.5, targets=75, floor=None, den=1900,
        num_label="Assessments completed within six weeks", den_label="Assessments completed",
        context="A result well above 75% can mean people are being assessed before a period of "
        "enablement has finished; the aim is balance, not speed alone.",
        action="Team managers will check that enablement has finished before the assessment is "
        "closed.",
        risk=("Assessing too quickly sets care packages before people have regained "
              "independence.", "The enablement outcome is required before an assessment closes."),
    ),
    dict(
        ref="HW24", title="Percentage of people in residential or nursing care in a home rated "
        "Good or Outstanding by the Care Quality Commission", tier="KPI", perspective=HW,
        polarity="higher_better", unit="percent", frequency="monthly", measurement="snapshot",
        area="co", start=81.0, last=(84.6, 85.3), noise=0.6, targets=85, floor=5, den=2900,
        num_label="People in homes rated Good or Outstanding",
        den_label="People in residential or nursing care",
        context="Two large nursing homes were re-rated Good in September after improvement "
        "support from the quality team.",
        action="The quality team will continue monthly visits to the four homes rated Requires "
        "Improvement.",
        risk=("A home rated Inadequate must close to new placements at short notice.",
              "Market position statements identify alternative capacity in each district."),
    ),
    dict(
        ref="HW25", title="Number of adults with a learning disability and/or autism in specialist "
        "inpatient hospital placements", tier="KPI", perspective=HW, polarity="lower_better",
        unit="number", frequency="quarterly", measurement="snapshot", area="ld", start=9,
        last=(6, 5), noise=0.8, targets=(8, 7, 7, 6, 6), floor=None,
        missing={"Q3 2023/24": SUPPRESSED, "Q1 2024/25": SUPPRESSED},
        context="One person was discharged to a new supported living placement in August after "
        "a care and treatment review.",
        action="Care and treatment reviews continue for everyone in hospital, with discharge "
        "plans agreed with the Integrated Care Board.",
        risk=("Placements for people with complex needs break down, leading to admission.",
              "People at risk of admission are reviewed monthly on the dynamic support register."),
    ),
    # -- Our Finance ---------------------------------------------------------------------------
    dict(
        ref="FI01", title="Forecast variance against the adult social care net budget "
        "(overspend positive)", tier="Strategic", perspective=FI, polarity="lower_better",
        unit="currency", frequency="monthly", measurement="snapshot", area="fi", start=650000,
        last=(1870000, 2430000), noise=400000, round_to=1000, targets=0, floor=1000000,
        context="The forecast overspend is driven by the cost of new residential placements for "
        "older people and by home care fee uplifts above the budgeted rate.",
        action="A spending panel now approves every new placement costing more than the "
        "guide rate.",
        risk=("Demand over winter increases the overspend further.",
              "The winter plan is costed and part-funded by the discharge fund."),
        panel=("A recovery plan of £1.5 million to be brought to Cabinet in November.",
               "Monthly reporting of placement numbers and unit costs to the panel until the "
               "forecast is within £1 million of budget."),
    ),
    dict(
        ref="FI02", title="Percentage of the year's planned savings delivered or on track",
        tier="KPI", perspective=FI, polarity="higher_better", unit="percent",
        frequency="quarterly", measurement="year_to_date", area="fi", start=88.0,
        last=(96.2, 91.2), noise=3.0, targets=95, floor=10,
        context="The savings from the new home care framework will arrive later than planned "
        "because the framework started in August rather than April.",
        action="The framework savings have been re-profiled and the shortfall covered by "
        "one-off vacancy savings.",
        risk=("Delayed savings become a recurring budget pressure.",
              "Savings delivery is reviewed monthly by the directorate leadership team."),
    ),
    dict(
        ref="FI03", title="Average weekly cost of new home care packages", tier="Activity",
        perspective=FI, polarity="none", unit="currency", frequency="quarterly",
        measurement="during_period", area="fi", start=318, last=(402, 409), noise=4,
        context="The rise reflects the fee uplift in April and more people leaving hospital "
        "with two carers.",
        action="Package costs are reviewed at the weekly placement panel.",
        risk=("Rising package sizes add to the budget pressure.",
              "Reablement is offered before any long-term package is set."),
    ),
    dict(
        ref="FI04", title="Client contribution debt outstanding more than 90 days",
        tier="KPI", perspective=FI, polarity="lower_better", unit="currency",
        frequency="monthly", measurement="snapshot", area="fi", start=3100000,
        last=(2548000, 2512000), noise=60000, round_to=1000, targets=2600000, floor=400000,
        context="Direct debit take-up for new clients has reduced the growth in older debt.",
        action="Financial assessment officers now offer direct debit at every visit.",
        risk=("The rising cost of living increases arrears.",
              "Payment plans and benefit checks are offered before recovery action."),
    ),
    # -- Our People ----------------------------------------------------------------------------
    dict(
        ref="PE01", title="Average working days lost to sickness per full-time equivalent "
        "(rolling 12 months)", tier="KPI", perspective=PE, polarity="lower_better", unit="days",
        frequency="monthly", measurement="rolling_12_months", area="wf", start=11.2,
        last=(10.2, 10.4), noise=0.15, targets=9.0, floor=1.5,
        context="Long-term absence for stress and musculoskeletal conditions accounts for most "
        "days lost, concentrated in the in-house care services.",
        action="Occupational health now sees staff in the care services within five working "
        "days of referral.",
        risk=("High absence in the care services reduces capacity and raises agency use.",
              "Return-to-work interviews and wellbeing checks are audited monthly."),
    ),
    dict(
        ref="PE02", title="Agency staff spend in the month", tier="KPI", perspective=PE,
        polarity="lower_better", unit="currency", frequency="monthly",
        measurement="during_period", area="wf", start=262000, last=(186400, 178300),
        noise=9000, round_to=100, targets=(220000, 210000, 195000, 185000, 180000), floor=40000,
        context="Agency social workers in two locality teams were replaced by permanent staff "
        "from the September recruitment round.",
        action="Every agency placement longer than 12 weeks is approved by the Director.",
        risk=("Vacancies in hard-to-recruit teams push agency use back up.",
              "A market supplement for experienced social workers was agreed in July."),
    ),
    dict(
        ref="PE03", title="Staff turnover (rolling 12 months)", tier="KPI", perspective=PE,
        polarity="lower_better", unit="percent", frequency="quarterly",
        measurement="rolling_12_months", area="wf", start=14.6, last=(12.8, 11.9), noise=0.4,
        targets=12, floor=3, den=1150, num_label="Leavers (12 months)",
        den_label="Average headcount",
        context="Turnover among newly qualified social workers has fallen since the assessed "
        "year programme was extended.",
        action="Exit interviews will be offered to every leaver and themes reported quarterly.",
        risk=("Experienced staff leave for neighbouring councils offering higher pay.",
              "Pay benchmarking with neighbouring councils is updated each year."),
    ),
    dict(
        ref="PE04", title="Employees: actual full-time equivalents against the budgeted "
        "establishment", tier="KPI", perspective=PE, polarity="in_band", unit="fte",
        decimals=1, frequency="monthly", measurement="snapshot", area="wf",
        scheme="establishment-band", start=985.0, last=(1049.6, 1058.2), noise=4.0,
        targets=(1020, 1035, 1050, 1060, 1072), floor=None,
        context="The gap to the establishment is mostly unfilled posts in the in-house care "
        "services.",
        action="Rolling recruitment for care and support workers continues.",
        risk=("Staffing well below establishment limits service capacity.",
              "Vacancy levels are reviewed monthly with the finance business partner."),
    ),
    dict(
        ref="PE05", title="Social worker vacancy rate", tier="KPI", perspective=PE,
        polarity="lower_better", unit="percent", frequency="monthly", measurement="snapshot",
        area="wf", start=16.5, last=(9.8, 10.6), noise=0.6, targets=10, floor=5, den=310,
        num_label="Vacant social worker posts", den_label="Social worker posts",
        context="Three social workers left in September; two of the posts have been offered to "
        "newly qualified staff starting in October.",
        action="The next recruitment round for experienced social workers closes in November.",
        risk=("Vacancies increase caseloads and waiting times.",
              "Caseloads are monitored weekly and agency cover approved where needed."),
    ),
    dict(
        ref="PE06", title="Percentage of staff with a supervision recorded in the last 8 weeks",
        tier="KPI", perspective=PE, polarity="higher_better", unit="percent",
        frequency="monthly", measurement="snapshot", area="sq", start=78.0, last=(91.2, 92.4),
        noise=1.2, targets=90, floor=10, den=640, num_label="Staff with a recent supervision",
        den_label="Staff who should receive supervision",
        context="Recording supervision on the case record system has made gaps easier to see "
        "and follow up.",
        action="Team managers receive a monthly list of supervisions due.",
        risk=("Supervision slips when teams are under pressure.",
              "Overdue supervision is escalated to the service manager."),
    ),
    # -- Our Customer --------------------------------------------------------------------------
    dict(
        ref="CU01", title="Number of statutory adult social care complaints received",
        tier="Activity", perspective=CU, polarity="none", unit="number", frequency="monthly",
        measurement="during_period", area="cc", start=34, last=(41, 38), noise=5,
        context="Complaints about charging and financial assessments were the most common "
        "theme.",
        action="The themes of complaints are reported to the leadership team each quarter.",
        risk=("Complaints about charging rise after the annual uplift letters.",
              "Letters were rewritten in plain English this year."),
    ),
    dict(
        ref="CU02", title="Percentage of complaints fully or partially upheld", tier="KPI",
        perspective=CU, polarity="lower_better", unit="percent", frequency="quarterly",
        measurement="during_period", area="cc", start=46.0, last=(41.8, 37.6), noise=3.0,
        targets=40, floor=10, den=110, num_label="Complaints fully or partially upheld",
        den_label="Complaints closed",
        context="Fewer complaints about communication were upheld after the training for "
        "duty workers in the summer.",
        action="Learning from upheld complaints is shared at the monthly practice forum.",
        risk=("Upheld complaints escalate to the Ombudsman.",
              "Senior managers review every complaint before the final response."),
    ),
    dict(
        ref="CU03", title="Percentage of complaints responded to within 20 working days",
        tier="KPI", perspective=CU, polarity="higher_better", unit="percent",
        frequency="monthly", measurement="during_period", area="cc", start=72.0,
        last=(82.9, 86.1), noise=3.0, targets=85, floor=10, den=36,
        num_label="Complaints responded to within 20 working days",
        den_label="Complaints responded to",
        context="Complaints are now allocated to an investigating manager on the day they "
        "arrive.",
        action="Responses due within five days are chased by the complaints team.",
        risk=("Complex complaints involving health partners take longer.",
              "Joint responses are agreed with the Trust's complaints team at the outset."),
    ),
    dict(
        ref="CU04", title="Percentage of contacts resolved at the first point of contact",
        tier="KPI", perspective=CU, polarity="higher_better", unit="percent",
        frequency="monthly", measurement="during_period", area="cc", start=58.0,
        last=(66.1, 64.3), noise=1.0, targets=65, floor=5, den=7300,
        num_label="Contacts resolved at first contact", den_label="Contacts received",
        context="More contacts in September needed a referral to a locality team, mostly "
        "people seeking help after a hospital stay.",
        action="Front door staff will be trained to arrange equipment directly.",
        risk=("More referrals to locality teams add to assessment waiting lists.",
              "Front door staff can now order simple equipment without a referral."),
    ),
    # -- Our Future ----------------------------------------------------------------------------
    dict(
        ref="FU01", title="Percentage of audited case records rated good or better",
        tier="KPI", perspective=FU, polarity="higher_better", unit="percent",
        frequency="quarterly", measurement="during_period", area="sq", start=78.0,
        last=(86.2, 88.3), noise=2.0, targets=90, floor=10, den=120,
        num_label="Audited records rated good or outstanding", den_label="Case records audited",
        context="Recording of the person's own views has improved; care plans that are not "
        "updated after a review remain the most common gap.",
        action="Practice workshops on care and support planning run through the autumn.",
        risk=("Recording standards slip under caseload pressure.",
              "Each team manager audits two records a month."),
    ),
    dict(
        ref="FU02", title="Percentage of audited case records rated inadequate", tier="KPI",
        perspective=FU, polarity="lower_better", unit="percent", frequency="quarterly",
        measurement="during_period", area="sq", start=4.5, last=(1.7, 0.8), noise=0.6,
        targets=2, floor=3, den=120, num_label="Audited records rated inadequate",
        den_label="Case records audited",
        context="One record was rated inadequate this quarter; the findings were shared with the "
        "worker's manager the same week.",
        action="Records rated inadequate are re-audited within a month.",
        risk=("Poor recording hides risks to the person.",
              "The audit tool flags safeguarding concerns for immediate action."),
    ),
    dict(
        ref="FU03", title="Percentage of social care staff who have completed mandatory Care Act "
        "training", tier="KPI", perspective=FU, polarity="higher_better", unit="percent",
        frequency="quarterly", measurement="snapshot", area="wf", start=84.0, last=(92.4, 96.1),
        noise=1.5, targets=95, floor=10, den=870, num_label="Staff with training completed",
        den_label="Staff required to complete the training",
        context="The e-learning module was shortened and now takes under an hour.",
        action="New starters complete the module in their first month.",
        risk=("Staff without up-to-date training apply the law inconsistently.",
              "Completion is checked at supervision."),
    ),
    dict(
        ref="FU04", title="Percentage of financial assessments completed online", tier="KPI",
        perspective=FU, polarity="higher_better", unit="percent", frequency="quarterly",
        measurement="during_period", area="fi", start=12.0, last=(38.2, 42.5), noise=1.5,
        targets=(None, None, 30, 35, 40), floor=10, den=1350,
        num_label="Financial assessments completed online",
        den_label="Financial assessments completed",
        context="The online form was redesigned with people who use services in the spring.",
        action="Assessment officers will help people complete the form online at home visits.",
        risk=("People without internet access are disadvantaged.",
              "Paper and telephone assessments remain available to anyone who asks."),
    ),
]
