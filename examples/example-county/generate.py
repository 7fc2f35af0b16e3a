"""Write the Example County Council demo project: boardpack.yaml, data/figures.csv, the
workforce tracker data/workforce-2025-26.csv (this year's workforce figures, laid out wide) and
the commentary for the reporting period, from the indicator table in indicators.py.

    python generate.py           rewrite the committed files
    python generate.py --check   regenerate into a temporary folder; exit 1 if any differ

Figures are made up but shaped like real ones: a trend with noise from a fixed random seed,
numerators and denominators where the indicator has them, a few suppressed and missing values.
Each indicator draws from its own generator seeded from SEED and its reference, so adding an
indicator leaves the others' figures unchanged.
"""

from __future__ import annotations

import csv
import filecmp
import io
import random
import sys
import tempfile
from pathlib import Path

import yaml
from indicators import INDICATORS, NOTES, OWNERS, YEARS

SEED = 20261122
HERE = Path(__file__).resolve().parent
ORGANISATION = {
    "code": "E99999999",
    "name": "Example County Council",
    "directorate": "Adult Social Care and Health",
}
CABINET_MEMBER = "Cllr Margaret Holloway"
DIRECTOR = "Paul Fenwick"
PORTFOLIO = "Adult Social Care and Health"
REPORT_PERIOD = "Q2 2025/26"
COMMENTARY_FILE = "commentary/2025-26-q2.md"
PANEL_DATE = "14 October 2025"
LAST_MONTH = (2025, 9)
RATING_SCHEMES = {
    "six-weeks-band": {"kind": "in_band", "band": 5, "tolerance": 10},
    "establishment-band": {"kind": "in_band", "band": 20, "tolerance": 40},
}
OVERRIDES = [
    {
        "indicator": "HW15",
        "period": "Q2 2025/26",
        "rag": "green",
        "reason": "41 assessments completed by the carers' support service in September were "
        "entered after the figures were taken; with them the quarter's target of 1,250 was met",
        "approved_by": "Performance Assurance Panel, 14 October 2025",
    },
    {
        "indicator": "HW16",
        "period": "Q1 2025/26",
        "rag": "green",
        "reason": "The fall followed a data cleanse that closed 11 employment records for people who "
        "left work before April 2024; on a like-for-like basis the figure was 6.6%, above target",
        "approved_by": "Paul Fenwick, Corporate Director",
    },
]
COLUMNS = [
    "indicator",
    "organisation",
    "period",
    "value",
    "numerator",
    "denominator",
    "target",
    "floor",
    "status",
    "note",
]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
#: The workforce team keeps this year's figures of its monthly indicators in a tracker of its
#: own, laid out wide (one row per indicator, the months across the top): the file to upload
#: figures "laid out like" in the web app. Earlier years stay in data/figures.csv.
WIDE_FILE = "data/workforce-2025-26.csv"
WIDE_REFS = ("PE01", "PE02", "PE04")
WIDE_SOURCE = {
    "file": WIDE_FILE,
    "format": "wide",
    "columns": {"Ref": "indicator", "Status": "status"},
    "ignore": ["Indicator"],
}


# -- periods -------------------------------------------------------------------------------


def periods(frequency: str) -> list[tuple[str, int]]:
    """(label, financial year index into YEARS) for every period from April 2021 to the
    last month; annual indicators stop at the last complete year."""
    if frequency == "annual":
        return [(year, i) for i, year in enumerate(YEARS[:-1])]
    step = 1 if frequency == "monthly" else 3
    found = []
    for fy in range(len(YEARS)):
        for offset in range(step - 1, 12, step):
            year, month = 2021 + fy + (3 + offset) // 12, (3 + offset) % 12 + 1
            if (year, month) > LAST_MONTH:
                return found
            found.append((_label(frequency, year, month, fy, offset), fy))
    return found


def _label(frequency: str, year: int, month: int, fy: int, offset: int) -> str:
    if frequency == "monthly":
        return f"{MONTHS[month - 1]} {year}"
    return f"Q{offset // 3 + 1} {YEARS[fy]}"


def reported_periods(ind: dict) -> list[tuple[str, int]]:
    """The periods with figures: those running in arrears stop `lag` periods early."""
    found = periods(ind["frequency"])
    return found[: len(found) - ind.get("lag", 0)]


# -- figures -------------------------------------------------------------------------------


def trend(ind: dict, count: int, rng: random.Random) -> list[float]:
    """Straight lines from `start` through `mid` (halfway, when given) to the second-last
    value, with noise; then the last two values as given."""
    start, (previous, latest) = ind["start"], ind["last"]
    end = max(count - 2, 1)
    middle = end // 2
    points = (
        [(0, start), (middle, ind["mid"]), (end, previous)]
        if "mid" in ind
        else [(0, start), (end, previous)]
    )
    line = [_between(points, i) + rng.gauss(0, ind["noise"]) for i in range(count - 2)]
    return line + [previous, latest]


def _between(points: list[tuple[int, float]], i: int) -> float:
    """The value at `i` on the straight lines joining `points`."""
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if i <= x1:
            return y0 + (y1 - y0) * (i - x0) / (x1 - x0)
    return points[-1][1]


def decimals(ind: dict) -> int:
    return ind.get("decimals", {"percent": 1, "rate_per_100k": 1, "days": 1}.get(ind["unit"], 0))


def target_for(ind: dict, fy: int) -> tuple[float | None, float | None]:
    """(target, floor) for a financial year; the floor sits `floor` worse than the target."""
    targets = ind.get("targets")
    target = targets[fy] if isinstance(targets, tuple) else targets
    if target is None or ind.get("floor") is None:
        return target, None
    sign = -1 if ind["polarity"] == "higher_better" else 1
    return target, round(target + sign * ind["floor"], 2)


def figure_row(
    ind: dict, label: str, fy: int, value: float, index: int, rng: random.Random
) -> dict:
    """One row of the tidy CSV; with a denominator the value is worked out from the counts."""
    row = {
        "indicator": ind["ref"],
        "organisation": ORGANISATION["code"],
        "period": label,
        "status": "provisional" if fy == len(YEARS) - 1 else "final",
    }
    if "den" in ind:
        row.update(_counts(ind, value, index, rng))
    else:
        row["value"] = _rounded(ind, value)
    marker = ind.get("missing", {}).get(label)
    if marker:
        row.update(value=marker, note=NOTES[marker])
        if "numerator" in row:
            row["numerator"] = marker
    return row


def _counts(ind: dict, value: float, index: int, rng: random.Random) -> dict:
    per = 100_000 if ind["unit"] == "rate_per_100k" else 100
    growth = 1 + ind.get("den_growth", 0.04) * index / 18
    wobble = 1 if per == 100_000 else 1 + rng.gauss(0, 0.02)
    denominator = max(round(ind["den"] * growth * wobble), 1)
    numerator = max(round(value * denominator / per), 0)
    worked = round(numerator / denominator * per, decimals(ind))
    return {
        "value": _text(worked, decimals(ind)),
        "numerator": numerator,
        "denominator": denominator,
    }


def _rounded(ind: dict, value: float) -> str:
    step = ind.get("round_to")
    if step:
        return _text(round(value / step) * step, 0)
    value = max(value, 0) if ind["unit"] != "currency" else value
    return _text(round(value, decimals(ind)), decimals(ind))


def _text(value: float, places: int) -> str:
    return f"{value:.{places}f}"


def figures(ind: dict) -> list[dict]:
    """Every row of one indicator, oldest first."""
    rng = random.Random(f"{SEED}/{ind['ref']}")
    found = reported_periods(ind)
    values = trend(ind, len(found), rng)
    return [
        figure_row(ind, label, fy, value, i, rng)
        for i, ((label, fy), value) in enumerate(zip(found, values, strict=True))
    ]


# -- ratings, for the commentary -----------------------------------------------------------


def rate(ind: dict, value: float | None, target: float | None, floor: float | None) -> str:
    """The rating the project's rules give, so the words match the pack."""
    if ind["polarity"] == "none" or value is None or target is None:
        return "no_status"
    if ind["polarity"] == "in_band":
        scheme = RATING_SCHEMES[ind["scheme"]]
        distance = abs(value - target)
        return (
            "green"
            if distance <= scheme["band"]
            else ("amber" if distance <= scheme["tolerance"] else "red")
        )

    def meets(bound: float) -> bool:
        return value >= bound if ind["polarity"] == "higher_better" else value <= bound

    if meets(target):
        return "green"
    return "amber" if floor is None or meets(floor) else "red"


def manual(ref: str, period: str) -> dict | None:
    return next((o for o in OVERRIDES if o["indicator"] == ref and o["period"] == period), None)


def number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


# -- commentary ----------------------------------------------------------------------------

OPENERS = {
    "green": [
        "{Period} saw {value} against a target of {target}, so the target was met.",
        "Performance was {value} in {period}, ahead of the target of {target}.",
        "At {value}, the result for {period} met the target of {target}.",
    ],
    "amber": [
        "The result for {period} was {value}, short of the target of {target}{floor_clause}.",
        "{Period} came in at {value} against a target of {target}{floor_clause}.",
        "Performance was {value} in {period}; this is behind the target of {target}{floor_clause}.",
    ],
    "red": [
        "The result for {period} was {value}, {beyond} the floor of {floor} (target {target}).",
        "At {value}, {period} fell {beyond} the floor of {floor}; the target is {target}.",
    ],
    "no_status": [
        "The figure for {period} was {value}; the measure tracks activity and has no target.",
        "{Period} recorded {value}; as an activity measure it has no target and is not rated.",
    ],
}
IN_BAND_OPENERS = {
    "green": "{value} in {period} is within {band} points of the target of {target}, the range "
    "the service aims for.",
    "amber": "{value} in {period} is {distance} points from the target of {target}: outside the "
    "range of ±{band} points the service aims for, but within ±{tolerance}.",
    "red": "{value} in {period} is {distance} points from the target of {target}, more than "
    "±{tolerance} away.",
}
MOVEMENT = {
    "better": "an improvement on",
    "worse": "a deterioration from",
    "same": "unchanged from",
    "up": "up from",
    "down": "down from",
}
FOLLOW_UPS = {
    "green": [
        "Performance will continue to be monitored monthly by the Adult Social Care Leadership "
        "Team.",
        "Good practice from the best-performing teams will be shared at the next managers' forum.",
        "The target for 2026/27 will be reviewed in the light of this year's results.",
    ],
    "amber": [
        "An improvement plan is in place and progress is reported to the Adult Social Care "
        "Leadership Team each month.",
        "Team-level figures are reviewed at each locality performance meeting so that support "
        "goes where it is most needed.",
        "The lead officer will report progress against the improvement plan at the next panel.",
    ],
    "red": [
        "A recovery plan with monthly milestones has been agreed and is reported to the Corporate "
        "Director.",
        "Performance is reviewed weekly by the {division} management team until it is back "
        "within the floor.",
    ],
    "no_status": [
        "Activity is monitored monthly alongside the related performance indicators.",
        "Trends in demand feed into the service's workforce and budget planning.",
    ],
}
CHALLENGES = [
    "The panel asked whether the current plan would bring performance back within the floor "
    "before the year end, and what would happen if it did not.",
    "The panel challenged the service on how quickly the actions would take effect and asked "
    "for a clear trajectory.",
    "The panel noted the reasons for the fall and asked how the service would know the actions "
    "were working.",
]
RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red", "no_status": "No status"}
CALL_IN = (
    "Having been Amber for {run} consecutive {periods}, the indicator is on the panel's "
    "call-in list and the lead officer will attend the next meeting."
)


def show(ind: dict, value: float) -> str:
    """A figure as the pack prints it: 85.6%, 2,668, £2,430,000, 10.4 days."""
    places = decimals(ind)
    if ind["unit"] == "currency":
        return f"{'-' if value < 0 else ''}£{abs(value):,.{places}f}"
    suffix = {"percent": "%", "rate_per_100k": " per 100,000", "days": " days", "fte": " FTE"}
    return f"{value:,.{places}f}{suffix.get(ind['unit'], '')}"


def spoken(label: str) -> str:
    """Q2 2025/26 -> Quarter 2 2025/26; Sep 2025 -> September 2025."""
    if label.startswith("Q"):
        return f"Quarter {label[1]} {label[3:]}"
    full = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    for short, name in zip(MONTHS, full, strict=True):
        if label.startswith(short + " "):
            return name + label[3:]
    return label


def series(ind: dict) -> list[dict]:
    """The indicator's rows with value, target, floor and rating (manual where set)."""
    rows = []
    for row, (label, fy) in zip(figures(ind), reported_periods(ind), strict=True):
        target, floor = target_for(ind, fy)
        value = number(row["value"])
        override = manual(ind["ref"], label)
        rag = override["rag"] if override else rate(ind, value, target, floor)
        rows.append({**row, "number": value, "target": target, "floor": floor, "rag": rag})
    return rows


def amber_run(rows: list[dict]) -> int:
    run = 0
    for row in reversed(rows):
        if row["rag"] != "amber":
            break
        run += 1
    return run


def opening(ind: dict, row: dict, rng: random.Random) -> str:
    words = {
        "value": show(ind, row["number"]),
        "period": spoken(row["period"]),
        "Period": spoken(row["period"]),
    }
    if row["target"] is not None:
        words["target"] = show(ind, row["target"])
    if ind["polarity"] == "in_band" and row["target"] is not None:
        scheme = RATING_SCHEMES[ind["scheme"]]
        distance = f"{abs(row['number'] - row['target']):.1f}"
        return IN_BAND_OPENERS[row["rag"]].format(distance=distance, **scheme, **words)
    calculated = rate(ind, row["number"], row["target"], row["floor"])
    floor = row["floor"]
    words["floor"] = show(ind, floor) if floor is not None else ""
    words["floor_clause"] = (
        f" but within the floor of {words['floor']}" if floor is not None else ""
    )
    words["beyond"] = "below" if ind["polarity"] == "higher_better" else "above"
    return rng.choice(OPENERS[calculated]).format(**words)


def movement(ind: dict, now: float, before: float) -> str:
    if ind["polarity"] in ("none", "in_band"):
        return MOVEMENT["same" if now == before else "up" if now > before else "down"]
    if now == before:
        return MOVEMENT["same"]
    better = (now > before) == (ind["polarity"] == "higher_better")
    return MOVEMENT["better" if better else "worse"]


def comparison(ind: dict, rows: list[dict]) -> str | None:
    latest, previous = rows[-1], rows[-2]
    if previous["number"] is None:
        return None
    text = (
        f"This is {movement(ind, latest['number'], previous['number'])} "
        f"{show(ind, previous['number'])} in {spoken(previous['period'])}"
    )
    back = {"monthly": 12, "quarterly": 4, "annual": 1}[ind["frequency"]]
    if len(rows) > back and rows[-1 - back]["number"] is not None:
        text += f", and compares with {show(ind, rows[-1 - back]['number'])} a year earlier"
    return text + "."


def counts(ind: dict, row: dict) -> str | None:
    if "denominator" not in row:
        return None
    num, den = int(row["numerator"]), int(row["denominator"])
    if ind["unit"] == "rate_per_100k":
        return (
            f"The rate is based on {num:,} {ind['num_label'].lower()} and a "
            f"{ind['den_label'].lower()} of {den:,}."
        )
    return f"The figure is {num:,} {ind['num_label'].lower()} out of {den:,}."


def arrears(ind: dict, row: dict) -> str | None:
    if not ind.get("lag"):
        return None
    unit = "quarter" if ind["frequency"] == "quarterly" else "month"
    return (
        f"This measure runs a {unit} in arrears, so the latest figure is for "
        f"{spoken(row['period'])}."
    )


def manual_note(ind: dict, rows: list[dict]) -> str | None:
    for row in reversed(rows[-2:]):
        override = manual(ind["ref"], row["period"])
        if override:
            return (
                f"The Performance Assurance Panel agreed a rating of "
                f"{RAG_WORDS[override['rag']]} for {spoken(row['period'])}: "
                f"{override['reason']}."
            )
    return None


def commentary(ind: dict, rows: list[dict], rng: random.Random) -> list[str]:
    latest = rows[-1]
    first = [opening(ind, latest, rng), comparison(ind, rows), counts(ind, latest)]
    second = [ind["context"], arrears(ind, latest)]
    if latest["status"] == "provisional" and rng.random() < 0.4:
        second.append("Figures for 2025/26 are provisional and may be revised.")
    paragraphs = [first, second, [manual_note(ind, rows)]]
    return [" ".join(s for s in p if s) for p in paragraphs if any(p)]


def actions(ind: dict, rows: list[dict], rng: random.Random) -> list[str]:
    rag = rows[-1]["rag"]
    division = OWNERS[ind["area"]][0]
    items = [ind["action"], rng.choice(FOLLOW_UPS[rag]).format(division=division)]
    if amber_run(rows) >= 2:
        periods = {"monthly": "months", "quarterly": "quarters", "annual": "years"}
        items.append(CALL_IN.format(run=amber_run(rows), periods=periods[ind["frequency"]]))
    return [f"- {item}" for item in items]


def panel(ind: dict, rng: random.Random) -> list[str]:
    lead = OWNERS[ind["area"]][1]
    agreed = "\n".join(f"{i}. {item}" for i, item in enumerate(ind["panel"], start=1))
    return [
        f"The Performance Assurance Panel discussed this indicator on {PANEL_DATE} with "
        f"{lead}. {rng.choice(CHALLENGES)} The panel agreed:",
        agreed,
    ]


def indicator_markdown(ind: dict) -> str:
    rng = random.Random(f"{SEED}/{ind['ref']}/words")
    rows = series(ind)
    risk, mitigation = ind["risk"]
    sections = [
        ("Commentary", commentary(ind, rows, rng)),
        ("Actions", ["\n".join(actions(ind, rows, rng))]),
        ("Risks and mitigations", [f"**Risk:** {risk}", f"**Mitigation:** {mitigation}"]),
    ]
    if rows[-1]["rag"] == "red":
        sections.append(("Panel discussion", panel(ind, rng)))
    body = "\n\n".join(f"## {name}\n\n" + "\n\n".join(parts) for name, parts in sections)
    return f"# {ind['ref']}\n\n{body}\n"


def commentary_file() -> str:
    return "\n".join(indicator_markdown(ind) for ind in INDICATORS)


# -- the project file ----------------------------------------------------------------------


class Flow(dict):
    """A mapping written on one line: {period: 2023/24, target: 90, floor: 80}."""


class Dumper(yaml.SafeDumper):
    pass


def _flow(dumper: yaml.SafeDumper, data: Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


def _text_block(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


Dumper.add_representer(Flow, _flow)
Dumper.add_representer(str, _text_block)

SOURCES = {
    "fi": "Corporate financial ledger",
    "wf": "HR and payroll system",
    "cc": "Customer contact and complaints system",
}
KEEP = ("ref", "title", "tier", "polarity", "unit", "decimals", "frequency", "measurement")


def catalogue_entry(ind: dict) -> dict:
    entry = {key: ind[key] for key in KEEP if key in ind}
    entry.setdefault("measurement", "during_period")
    if ind.get("lag"):
        entry["lag_periods"] = ind["lag"]
    entry["data_source"] = ind.get("source") or SOURCES.get(
        ind["area"], "Adult social care case record system"
    )
    if "num_label" in ind:
        entry.update(numerator_label=ind["num_label"], denominator_label=ind["den_label"])
    division, lead = OWNERS[ind["area"]]
    entry["owners"] = {
        "cabinet_member": CABINET_MEMBER,
        "director": DIRECTOR,
        "portfolio": PORTFOLIO,
        "division": division,
        "lead_officer": lead,
    }
    entry["perspective"] = ind["perspective"]
    tags = {
        "ascof": ind.get("ascof"),
        "better_care_fund": ind.get("bcf"),
        "corporate_risk": ind.get("corporate_risk"),
    }
    if any(tags.values()):
        entry["tags"] = {key: value for key, value in tags.items() if value}
    if ind.get("scheme"):
        entry["rating_scheme"] = ind["scheme"]
    if ind.get("targets") is not None:
        entry["targets"] = target_entries(ind)
    return entry


def target_entries(ind: dict) -> list[Flow]:
    entries = []
    for fy, year in enumerate(YEARS):
        target, floor = target_for(ind, fy)
        if target is not None:
            entry = Flow(period=year, target=target)
            if floor is not None:
                entry["floor"] = floor
            entries.append(entry)
    return entries


#: The committee paper the demo's packs are tabled as (`paper:`), and each layout's own.
PAPER = {
    "committee": "Adult Social Care and Health Cabinet Committee",
    "meeting": "Meeting of 20 November 2025",
    "date": "2025-11-20",
    "author": {
        "name": "Alex Morgan",
        "role": "Head of Performance, Adult Social Care and Health",
        "phone": "01234 567890",
        "email": "alex.morgan@example.gov.uk",
    },
    "version": "1.0",
    "status": "Final",
    "classification": "Unrestricted",
    "purpose": "The performance dashboard gives Members progress against the targets set for "
    "key performance and activity indicators for Adult Social Care and Health.",
    "introduction": "Each Cabinet Committee reviews the performance of the functions of the "
    "Council within its remit: its policy objectives, performance targets and the experience "
    "of the people it serves. To this end each Cabinet Committee receives a performance "
    "dashboard.",
    "background_documents": [],
    "appendices": ["Appendix A: Adult Social Care and Health Performance Dashboard"],
}
LAYOUTS = {
    # The demo stands in for Kent's 2018 committee dashboard cover report, in its words (2.9
    # and 3.1); the layout's own wording is neutral.
    "committee-dashboard": {
        "paper": {"title": "Adult Social Care and Health Performance Dashboard"},
        "indicator_pages": "exceptions",
        "sections": [
            "purpose",
            "recommendations",  # at the top, under the summary, as Kent's cover report has it
            "introduction",
            {
                "id": "ratings",
                "introduction": "Performance results are assigned an alert on the following basis:",
            },
            {
                "id": "summary-of-performance",
                "introduction": "There are currently {count} measures within the {title} and, "
                "where appropriate, a RAG (Red, Amber and Green) rating has been applied.",
            },
            "in-full",
            "background-documents",
            "author",
            "appendices",
            "dashboard",
            "technical-notes",
        ],
    },
    "quarterly-report": {
        "paper": {
            "title": "Quarterly Performance Report",
            "committee": "Cabinet",
            "foreword": "This report sets out how the Council's adult social care services "
            "performed against their targets this quarter, and what is being done where "
            "they fell short.",
            "sign_off": {
                "name": "Paul Fenwick",
                "role": "Corporate Director, Adult Social Care and Health",
                "date": "2025-11-06",
            },
        },
    },
}


def project() -> dict:
    return {
        "organisation": ORGANISATION,
        "settings": {
            "default_rating_scheme": "threshold",
            "no_change_within_pct": 0,
            "call_in_amber_periods": 2,
            "percent_decimals": 1,
            "direction_display": "arrow",
        },
        "rating_schemes": RATING_SCHEMES,
        "indicators": [catalogue_entry(ind) for ind in INDICATORS],
        "data": [{"file": "data/figures.csv"}, WIDE_SOURCE],
        "commentary": [{"period": REPORT_PERIOD, "file": COMMENTARY_FILE}],
        "overrides": OVERRIDES,
        "paper": PAPER,
        "layouts": LAYOUTS,
    }


HEADER = """\
# Example County Council: a fictional council for demonstrating Boardpack.
# Written by generate.py from indicators.py; change those and run `python generate.py`.
"""


def project_yaml() -> str:
    text = yaml.dump(project(), Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    return HEADER + "\n" + text


def in_the_tracker(row: dict) -> bool:
    """Whether a figure is kept in the workforce tracker (this year's, of its indicators)."""
    return row["indicator"] in WIDE_REFS and row["status"] == "provisional"


def figures_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for ind in INDICATORS:
        writer.writerows(row for row in figures(ind) if not in_the_tracker(row))
    return out.getvalue()


def tracker_heading(label: str) -> str:
    """A month as trackers head their columns: "Apr 2025" -> "Apr-25"."""
    month, year = label.split()
    return f"{month}-{year[2:]}"


def workforce_csv() -> str:
    """The workforce tracker: each indicator's reference, title and status, then a column per
    month of the year so far."""
    rows = [(ind, [r for r in figures(ind) if in_the_tracker(r)]) for ind in INDICATORS]
    rows = [(ind, kept) for ind, kept in rows if kept]
    months = [row["period"] for row in rows[0][1]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Ref", "Indicator", "Status", *map(tracker_heading, months)])
    for ind, kept in rows:
        assert [row["period"] for row in kept] == months, ind["ref"]
        writer.writerow([ind["ref"], ind["title"], "provisional", *(r["value"] for r in kept)])
    return out.getvalue()


# -- writing and checking ------------------------------------------------------------------


def outputs() -> dict[str, str]:
    """Relative path -> text of every generated file."""
    return {
        "boardpack.yaml": project_yaml(),
        "data/figures.csv": figures_csv(),
        WIDE_FILE: workforce_csv(),
        COMMENTARY_FILE: commentary_file(),
    }


def write(folder: Path) -> list[Path]:
    written = []
    for name, text in outputs().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def check() -> int:
    """0 when the committed files match a fresh run, else 1 with the files that differ."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = write(Path(tmp))
        stale = [
            path.relative_to(tmp)
            for path in fresh
            if not (HERE / path.relative_to(tmp)).is_file()
            or not filecmp.cmp(path, HERE / path.relative_to(tmp), shallow=False)
        ]
    for name in stale:
        print(
            f"examples/example-county/{name} is out of date; run "
            "`python examples/example-county/generate.py` and commit the result",
            file=sys.stderr,
        )
    return 1 if stale else 0


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        return check()
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    for path in write(HERE):
        print(f"wrote {path.relative_to(HERE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
