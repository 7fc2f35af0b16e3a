"""Write the Example County Council demo project: boardpack.yaml, data/figures.csv and the
commentary for the reporting period, from the indicator table in indicators.py.

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
ORGANISATION = {"code": "E99999999", "name": "Example County Council",
                "directorate": "Adult Social Care and Health"}
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
    {"indicator": "HW15", "period": "Q2 2025/26", "rag": "green",
     "reason": "41 assessments completed by the carers' support service in September were "
     "entered after the figures were taken; with them the quarter's target of 1,250 was met",
     "approved_by": "Performance Assurance Panel, 14 October 2025"},
    {"indicator": "HW16", "period": "Q1 2025/26", "rag": "green",
     "reason": "The fall followed a data cleanse that closed 11 employment records for people who "
     "left work before April 2024; on a like-for-like basis the figure was 6.6%, above target",
     "approved_by": "Paul Fenwick, Corporate Director"},
]
COLUMNS = ["indicator", "organisation", "period", "value", "numerator", "denominator",
           "target", "floor", "status", "note"]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


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
    """A straight line from `start` to the second-last value with noise, then the last two."""
    start, (previous, latest) = ind["start"], ind["last"]
    steps = max(count - 2, 1)
    line = [start + (previous - start) * i / steps + rng.gauss(0, ind["noise"])
            for i in range(count - 2)]
    return line + [previous, latest]


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


def figure_row(ind: dict, label: str, fy: int, value: float, index: int,
               rng: random.Random) -> dict:
    """One row of the tidy CSV; with a denominator the value is worked out from the counts."""
    row = {"indicator": ind["ref"], "organisation": ORGANISATION["code"], "period": label,
           "status": "provisional" if fy == len(YEARS) - 1 else "final"}
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
    return {"value": _text(worked, decimals(ind)), "numerator": numerator,
            "denominator": denominator}


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
    return [figure_row(ind, label, fy, value, i, rng)
            for i, ((label, fy), value) in enumerate(zip(found, values, strict=True))]


# -- ratings, for the commentary -----------------------------------------------------------


def rate(ind: dict, value: float | None, target: float | None, floor: float | None) -> str:
    """The rating the project's rules give, so the words match the pack."""
    if ind["polarity"] == "none" or value is None or target is None:
        return "no_status"
    if ind["polarity"] == "in_band":
        scheme = RATING_SCHEMES[ind["scheme"]]
        distance = abs(value - target)
        return "green" if distance <= scheme["band"] else (
            "amber" if distance <= scheme["tolerance"] else "red")
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
