"""Write Riverside Council's quarterly web table: data/2025-26-q1.csv ... q4.csv, one CSV per
quarter as a made-up unitary council publishes it on its website, with the columns
Indicator, Description, Directorate, Last period, This period, Target, Status, Trend.

    python generate.py

The figures are invented (from a fixed seed). Status and Trend are the council's published
rules applied to the figures as printed (see README.md), except where noted in `JUDGEMENT`,
`REVISED` and `ROUNDED` below, as happens in real tables.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 20251209
HERE = Path(__file__).resolve().parent
QUARTERS = ["Q4 2024/25", "Q1 2025/26", "Q2 2025/26", "Q3 2025/26", "Q4 2025/26"]
FILES = {q: f"2025-26-q{q[1]}.csv" for q in QUARTERS[1:]}

# ref, description, directorate, polarity, unit (% / n / days), target, level, noise
INDICATORS = [
    (
        "ASC01",
        "Adults with a learning disability in paid employment",
        "Adult Social Care",
        "higher",
        "%",
        6.0,
        5.9,
        0.3,
    ),
    (
        "ASC02",
        "Adults supported to live in their own homes",
        "Adult Social Care",
        "higher",
        "%",
        82.0,
        81.0,
        1.2,
    ),
    (
        "CSC01",
        "Children's social care assessments completed within 45 days",
        "Children's Services",
        "higher",
        "%",
        90.0,
        86.0,
        3.0,
    ),
    (
        "CSC02",
        "Children in care with three or more placements in the year",
        "Children's Services",
        "lower",
        "%",
        10.0,
        10.4,
        0.8,
    ),
    (
        "EDU01",
        "Education, health and care plans issued within 20 weeks",
        "Children's Services",
        "higher",
        "%",
        60.0,
        54.0,
        6.0,
    ),
    ("HOU01", "Households in temporary accommodation", "Housing", "lower", "n", 210, 221, 12),
    ("HOU02", "Average days to re-let council homes", "Housing", "lower", "days", 30.0, 31.0, 2.0),
    (
        "ENV01",
        "Household waste reused, recycled or composted",
        "Environment",
        "higher",
        "%",
        45.0,
        44.0,
        1.5,
    ),
    (
        "ENV02",
        "Streets below the cleanliness standard for litter",
        "Environment",
        "lower",
        "%",
        6.0,
        6.3,
        0.8,
    ),
    (
        "RES01",
        "Average days to process new Housing Benefit claims",
        "Resources",
        "lower",
        "days",
        20.0,
        20.5,
        1.5,
    ),
    ("RES02", "Invoices paid within 30 days", "Resources", "higher", "%", 95.0, 94.6, 1.0),
    (
        "RES03",
        "Freedom of Information requests answered on time",
        "Resources",
        "higher",
        "%",
        90.0,
        89.0,
        2.5,
    ),
]
#: A Status set by an officer, not the rule: (ref, quarter) -> the word published.
JUDGEMENT = {("HOU02", "Q3 2025/26"): "Near target"}
#: A figure revised after it was published: (ref, quarter) -> the figure printed as "Last
#: period" in the next quarter's table.
REVISED = {("HOU01", "Q1 2025/26"): 214}
#: Trends the council published as "No change" because its web page rounds to whole numbers.
ROUNDED = {("RES02", "Q2 2025/26")}
STATUS = {"green": "On target", "amber": "Near target", "red": "Off target"}


def printed(value: float, unit: str) -> str:
    return f"{round(value):,}" if unit == "n" else f"{value:.1f}{'%' if unit == '%' else ''}"


def number(text: str) -> float:
    return float(text.rstrip("%").replace(",", ""))


def status(now: float, target: float, polarity: str) -> str:
    """On target: met; Near target: missed by no more than 5%; Off target: further."""
    off = (now - target) / abs(target) * (1 if polarity == "higher" else -1)
    return STATUS["green" if off >= 0 else "amber" if off >= -0.05 else "red"]


def trend(now: float, before: float, polarity: str) -> str:
    if now == before:
        return "No change"
    return "Getting better" if (now > before) == (polarity == "higher") else "Getting worse"


def tables() -> dict[str, list[list[str]]]:
    header = [
        "Indicator",
        "Description",
        "Directorate",
        "Last period",
        "This period",
        "Target",
        "Status",
        "Trend",
    ]
    out = {quarter: [header] for quarter in QUARTERS[1:]}
    for ref, description, directorate, polarity, unit, target, level, noise in INDICATORS:
        draw = random.Random(f"{SEED}{ref}")
        shown = [printed(level + draw.gauss(0, noise), unit) for _ in QUARTERS]
        for i, quarter in enumerate(QUARTERS[1:], start=1):
            last = REVISED.get((ref, QUARTERS[i - 1]), shown[i - 1])
            last = printed(last, unit) if isinstance(last, int | float) else last
            now = number(shown[i])
            moved = "No change" if (ref, quarter) in ROUNDED else trend(now, number(last), polarity)
            word = JUDGEMENT.get((ref, quarter), status(now, target, polarity))
            row = [
                ref,
                description,
                directorate,
                last,
                shown[i],
                printed(target, unit),
                word,
                moved,
            ]
            out[quarter].append(row)
    return out


def main() -> None:
    for quarter, rows in tables().items():
        with open(HERE / "data" / FILES[quarter], "w", newline="", encoding="utf-8") as out:
            csv.writer(out, lineterminator="\n").writerows(rows)


if __name__ == "__main__":
    main()
