"""Write Eastvale District Council's KPI dashboard, data/kpi-dashboard.csv: a made-up
district's 45 tiles over two quarters, one row per KPI and quarter with the previous figure
beside this one, its target, the published RAG and direction of travel.

    python generate.py

The figures are invented (from a fixed seed). The RAG and direction are the council's
published rules applied to the figures as printed (see README.md), except for the tiles an
officer rated by judgement (`JUDGEMENT`).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 20251208
HERE = Path(__file__).resolve().parent
QUARTERS = ["Q4 2024/25", "Q1 2025/26", "Q2 2025/26"]  # the first is shown only as "Previous"

# ref, title, service, polarity (higher/lower/none), unit (% / n / days / £), target, level, noise
KPIS = [
    (
        "WR01",
        "Household waste sent for reuse, recycling or composting",
        "Waste",
        "higher",
        "%",
        50,
        46,
        3,
    ),
    ("WR02", "Residual household waste per household (kg)", "Waste", "lower", "n", 105, 112, 6),
    ("WR03", "Missed bin collections per 100,000 collections", "Waste", "lower", "n", 60, 68, 10),
    (
        "WR04",
        "Fly-tipping incidents cleared within 2 working days",
        "Waste",
        "higher",
        "%",
        95,
        92,
        3,
    ),
    ("WR05", "Garden waste subscriptions", "Waste", "higher", "n", 21000, 20400, 600),
    (
        "PL01",
        "Major planning applications decided within 13 weeks",
        "Planning",
        "higher",
        "%",
        70,
        78,
        8,
    ),
    (
        "PL02",
        "Minor planning applications decided within 8 weeks",
        "Planning",
        "higher",
        "%",
        70,
        66,
        5,
    ),
    (
        "PL03",
        "Other planning applications decided within 8 weeks",
        "Planning",
        "higher",
        "%",
        80,
        83,
        4,
    ),
    ("PL04", "Planning appeals allowed", "Planning", "lower", "%", 30, 34, 6),
    (
        "PL05",
        "Building control applications checked within 15 days",
        "Planning",
        "higher",
        "%",
        85,
        81,
        5,
    ),
    ("RB01", "Council tax collected", "Revenues and Benefits", "higher", "%", 97.5, 97.2, 0.4),
    ("RB02", "Business rates collected", "Revenues and Benefits", "higher", "%", 98.0, 97.9, 0.5),
    (
        "RB03",
        "Average days to process new Housing Benefit claims",
        "Revenues and Benefits",
        "lower",
        "days",
        18,
        21,
        2.5,
    ),
    (
        "RB04",
        "Average days to process Housing Benefit changes",
        "Revenues and Benefits",
        "lower",
        "days",
        6,
        6.4,
        0.8,
    ),
    (
        "RB05",
        "Council Tax Reduction claims processed within 14 days",
        "Revenues and Benefits",
        "higher",
        "%",
        90,
        86,
        4,
    ),
    ("HO01", "Households in temporary accommodation", "Housing", "lower", "n", 85, 98, 8),
    ("HO02", "Homelessness prevented or relieved", "Housing", "higher", "%", 60, 55, 6),
    ("HO03", "Affordable homes delivered", "Housing", "higher", "n", 40, 34, 9),
    (
        "HO04",
        "Disabled facilities grants completed within 26 weeks",
        "Housing",
        "higher",
        "%",
        75,
        69,
        6,
    ),
    ("HO05", "Empty homes brought back into use", "Housing", "higher", "n", 12, 11, 3),
    (
        "EH01",
        "Food premises rated 4 or 5 for hygiene",
        "Environmental Health",
        "higher",
        "%",
        92,
        93,
        1.5,
    ),
    (
        "EH02",
        "Food hygiene inspections due that were done",
        "Environmental Health",
        "higher",
        "%",
        95,
        88,
        5,
    ),
    (
        "EH03",
        "Noise complaints responded to within 3 working days",
        "Environmental Health",
        "higher",
        "%",
        90,
        91,
        4,
    ),
    (
        "EH04",
        "Licensing applications decided within 28 days",
        "Environmental Health",
        "higher",
        "%",
        95,
        96,
        3,
    ),
    ("EH05", "Pest control requests", "Environmental Health", "none", "n", None, 310, 40),
    ("CS01", "Calls answered within 60 seconds", "Customer Services", "higher", "%", 80, 73, 6),
    ("CS02", "Average call wait (seconds)", "Customer Services", "lower", "n", 90, 104, 15),
    (
        "CS03",
        "Complaints answered within 10 working days",
        "Customer Services",
        "higher",
        "%",
        90,
        86,
        5,
    ),
    (
        "CS04",
        "Online transactions as a share of all transactions",
        "Customer Services",
        "higher",
        "%",
        65,
        63,
        2,
    ),
    (
        "CS05",
        "Freedom of Information requests answered within 20 days",
        "Customer Services",
        "higher",
        "%",
        90,
        92,
        4,
    ),
    ("LC01", "Leisure centre visits", "Leisure and Culture", "higher", "n", 240000, 232000, 9000),
    ("LC02", "Leisure memberships", "Leisure and Culture", "higher", "n", 6200, 6050, 180),
    ("LC03", "Museum and theatre visitors", "Leisure and Culture", "none", "n", None, 41000, 5000),
    ("LC04", "Parks with a Green Flag award", "Leisure and Culture", "higher", "n", 6, 6, 0),
    ("LC05", "Community grants awarded", "Leisure and Culture", "none", "£", None, 56000, 9000),
    (
        "HR01",
        "Working days lost to sickness per FTE (rolling 12 months)",
        "People",
        "lower",
        "days",
        8.0,
        8.6,
        0.5,
    ),
    ("HR02", "Staff turnover (rolling 12 months)", "People", "lower", "%", 12, 12.8, 1.0),
    ("HR03", "Posts filled by agency staff", "People", "lower", "%", 5, 6.2, 1.0),
    ("HR04", "Staff appraisals completed", "People", "higher", "%", 95, 84, 6),
    ("HR05", "Apprentices employed", "People", "none", "n", None, 14, 2),
    ("FI01", "Invoices paid within 30 days", "Finance", "higher", "%", 95, 94, 2),
    ("FI02", "Sundry debt over 90 days old", "Finance", "lower", "£", 250000, 268000, 30000),
    ("FI03", "Savings delivered against the plan", "Finance", "higher", "%", 100, 91, 6),
    ("FI04", "Commercial property occupied", "Finance", "higher", "%", 92, 90, 2),
    ("FI05", "Car park income", "Finance", "none", "£", None, 412000, 30000),
]
#: KPIs for information only from a quarter on (their target withdrawn): ref -> quarter.
INFO_FROM = {"FI04": "Q2 2025/26"}
#: Tiles an officer rated by judgement, not the rule: (ref, quarter) -> RAG.
JUDGEMENT = {("PL04", "Q2 2025/26"): "Amber", ("HO03", "Q1 2025/26"): "Green"}


def printed(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "days":
        return f"{value:.1f}"
    if unit == "£":
        return f"£{round(value):,}"
    return f"{round(value):,}"


def number(text: str) -> float:
    return float(text.strip("%£").replace(",", ""))


def direction(now: float, before: float, polarity: str) -> str:
    if polarity == "none":
        return "-"
    if now == before:
        return "Same"
    return "Better" if (now > before) == (polarity == "higher") else "Worse"


def rating(now: float, target: float | None, polarity: str, moved: str) -> str:
    """On target or within 10%: Green; more than 10% off but better or the same: Amber;
    more than 10% off and worse: Red. Activity measures are for information."""
    if target is None:
        return "Info"
    off = (now - target) / abs(target) * (1 if polarity == "higher" else -1)
    if off >= -0.10:
        return "Green"
    return "Amber" if moved in ("Better", "Same") else "Red"


def rows() -> list[list[str]]:
    table = [
        ["KPI", "Measure", "Service", "Quarter", "Previous", "Result", "Target", "RAG", "Direction"]
    ]
    for ref, title, service, polarity, unit, target, level, noise in KPIS:
        draw = random.Random(f"{SEED}{ref}")
        shown = [printed(level + draw.gauss(0, noise), unit) for _ in QUARTERS]
        for i, quarter in enumerate(QUARTERS[1:], start=1):
            moved = direction(number(shown[i]), number(shown[i - 1]), polarity)
            info = ref in INFO_FROM and QUARTERS.index(quarter) >= QUARTERS.index(INFO_FROM[ref])
            goal = None if info else target
            rag = rating(number(shown[i]), goal, polarity, moved)
            rag = JUDGEMENT.get((ref, quarter), rag)
            goal = "" if goal is None else printed(goal, unit)
            table.append([ref, title, service, quarter, shown[i - 1], shown[i], goal, rag, moved])
    return table


def main() -> None:
    with open(HERE / "data" / "kpi-dashboard.csv", "w", newline="", encoding="utf-8") as out:
        csv.writer(out, lineterminator="\n").writerows(rows())


if __name__ == "__main__":
    main()
