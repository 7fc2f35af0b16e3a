"""Write Northshire County Council's adult social care dashboard, data/asc-dashboard.xlsx:
a made-up council's tracker with six quarters across the top and, for each measure, the rows
Actual, Target, Tolerance and RAG, as its performance team keeps it.

    python generate.py

The figures are invented (a trend with noise from a fixed seed). The RAG row is the council's
published rule applied to the figures as printed (see README.md), except where an officer
rated by judgement (`JUDGEMENT`), as councils do.
"""

from __future__ import annotations

import random
from pathlib import Path

import xlsxwriter

SEED = 20251207
HERE = Path(__file__).resolve().parent
QUARTERS = ["Jun 24", "Sep 24", "Dec 24", "Mar 25", "Jun 25", "Sep 25"]

# ref, title, polarity, unit, start, step, noise, target, tolerance (the Red line)
MEASURES = [
    ("ASC01", "Contacts resolved at the front door", "higher", "%", 58.0, 1.4, 2.0, 62, 55),
    (
        "ASC02",
        "Care Act assessments completed within 28 days",
        "higher",
        "%",
        71.0,
        1.5,
        3.0,
        80,
        70,
    ),
    (
        "ASC03",
        "Permanent admissions to care homes, aged 65+, per 100,000",
        "lower",
        "rate",
        150.0,
        -3.0,
        8.0,
        140,
        155,
    ),
    ("ASC04", "People waiting for a Care Act assessment", "lower", "", 420, -12, 25, 350, 450),
    (
        "ASC05",
        "Older people still at home 91 days after reablement",
        "higher",
        "%",
        80.5,
        0.3,
        1.5,
        82,
        78,
    ),
    ("ASC06", "Annual reviews completed on time", "higher", "%", 61.0, 2.0, 2.5, 75, 65),
    (
        "ASC07",
        "Safeguarding enquiries where the risk was reduced or removed",
        "higher",
        "%",
        89.0,
        0.2,
        1.5,
        90,
        85,
    ),
    (
        "ASC08",
        "People who use services receiving direct payments",
        "higher",
        "%",
        26.5,
        0.3,
        0.6,
        28,
        25,
    ),
    (
        "ASC09",
        "Average days from referral to a package of care starting",
        "lower",
        "days",
        27.0,
        -0.8,
        1.8,
        21,
        28,
    ),
    ("ASC10", "Carers assessed or reviewed", "higher", "", 780, 25, 60, 900, 800),
]
#: Ratings set by an officer, not the rule: (ref, quarter) -> rating.
JUDGEMENT = {("ASC05", "Sep 24"): "Amber", ("ASC09", "Sep 24"): "Green"}


def printed(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.1f}%"
    if unit in ("days", "rate"):
        return f"{value:.1f}"
    return f"{round(value):,}"


def rating(value: float, target: float, tolerance: float, polarity: str) -> str:
    better = (lambda a, b: a >= b) if polarity == "higher" else (lambda a, b: a <= b)
    if better(value, target):
        return "Green"
    return "Amber" if better(value, tolerance) else "Red"


def rows() -> list[list[str]]:
    table = [["Ref", "Row", *QUARTERS]]
    for ref, _title, polarity, unit, start, step, noise, target, tolerance in MEASURES:
        draw = random.Random(f"{SEED}{ref}")
        shown = [
            printed(start + step * i + draw.gauss(0, noise), unit) for i in range(len(QUARTERS))
        ]
        values = [float(text.rstrip("%").replace(",", "")) for text in shown]
        rags = [
            JUDGEMENT.get((ref, quarter), rating(value, target, tolerance, polarity))
            for quarter, value in zip(QUARTERS, values, strict=True)
        ]
        table += [
            [ref, "Actual", *shown],
            ["", "Target", *[printed(target, unit)] * len(QUARTERS)],
            ["", "Tolerance", *[printed(tolerance, unit)] * len(QUARTERS)],
            ["", "RAG", *rags],
        ]
    return table


def main() -> None:
    book = xlsxwriter.Workbook(HERE / "data" / "asc-dashboard.xlsx")
    book.set_properties({"created": __import__("datetime").datetime(2025, 10, 20)})
    about = book.add_worksheet("About")
    about.write(0, 0, "Northshire County Council: adult social care dashboard (made-up figures)")
    about.write(1, 0, "RAG: Green meets target; Amber misses it but within tolerance; Red beyond.")
    sheet = book.add_worksheet("Dashboard")
    for r, row in enumerate(rows()):
        for c, cell in enumerate(row):
            if cell:
                sheet.write_string(r, c, cell)
    book.close()


if __name__ == "__main__":
    main()
