"""Days, quarters and the windows of quarterly submissions.

Dates are held as whole days since 1970-01-01 (numpy and polars both count from there), so a
simulation step is integer arithmetic. Each quarterly submission covers the rolling 12 months
ending at its quarter end; the method takes every three-month reference period from the latest
submission covering it (`3-submission-selection.md`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

EPOCH = date(1970, 1, 1)
LAST_QUARTER_END = date(2025, 3, 31)  # the reporting year of the ASCOF data: 2024/25
NEVER = 1_000_000  # a day far beyond any submission: "has not ended"


def day(when: date) -> int:
    return (when - EPOCH).days


def as_date(days: int) -> date:
    return EPOCH + timedelta(days=int(days))


def _quarter_end(year: int, month: int) -> date:
    """The last day of the quarter whose last month is `month` (3, 6, 9 or 12)."""
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def quarter_ends(count: int, last: date = LAST_QUARTER_END) -> list[date]:
    """The last days of `count` consecutive quarters ending with `last`, oldest first."""
    months = [(last.year * 12 + last.month - 1) - 3 * back for back in range(count)]
    return [_quarter_end(m // 12, m % 12 + 1) for m in reversed(months)]


def window_start(quarter_end: date) -> date:
    """The first day of the rolling 12 months ending at `quarter_end`."""
    return date(quarter_end.year - 1, quarter_end.month, quarter_end.day) + timedelta(days=1)


def financial_year(when: date) -> int:
    """The year a financial year starts in: 2024 for 2024/25."""
    return when.year if when.month >= 4 else when.year - 1


def year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


@dataclass(frozen=True)
class Quarter:
    """A three-month period: a reference period of the method, or a local measure's quarter."""

    start: int
    end: int

    @property
    def label(self) -> str:
        """`Q1 2024/25` for April to June 2024."""
        end = as_date(self.end)
        year = financial_year(end)
        number = (end.month - 4) % 12 // 3 + 1
        return f"Q{number} {year_label(year)}"


def quarters_between(first: int, last: int) -> list[Quarter]:
    """The calendar quarters from the one starting on day `first` to the one ending on `last`."""
    out = []
    start = as_date(first)
    while day(start) <= last:
        end = _quarter_end(start.year, (start.month - 1) // 3 * 3 + 3)
        out.append(Quarter(day(start), day(end)))
        start = end + timedelta(days=1)
    return out


def april_firsts(first: int, last: int) -> list[int]:
    """Every 1 April from day `first` to day `last`: when councils re-row packages at a new
    financial year's prices."""
    start, end = as_date(first), as_date(last)
    return [
        day(date(y, 4, 1))
        for y in range(start.year, end.year + 1)
        if first <= day(date(y, 4, 1)) <= last
    ]
