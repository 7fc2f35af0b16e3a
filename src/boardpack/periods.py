"""UK financial-year periods (April to March) and a parser for the labels councils write.

Internally a month is an integer index, ``year * 12 + month - 1``, so shifting a period is
integer arithmetic. A period is its first and last month plus a kind.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .errors import BoardpackError

FREQUENCIES = ("monthly", "quarterly", "annual")
STEP_MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}  # months from one period to the next
KINDS = ("month", "quarter", "year", "rolling_12", "year_to_date", "range")
ACCEPTED_FORMS: tuple[str, ...] = (
    "Q2 2019/20",
    "Quarter 2 2019/2020",
    "Sep 2019",
    "Sept 10",
    "2019-09",
    "Apr-Jun 2015",
    "Oct 2014 - Mar 2015",
    "2019/20",
    "2015 to 2016",
    "2019/20 to Sep 2019",
    "30/09/2019",
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_APRIL = 3  # month index remainder of April


#: For each frequency: what its periods are called, forms they are written in, the month one
#: ends in (for a quarterly or annual indicator, a month is read as the period ending in it)
#: and the day one ends: what a message about a period of that frequency shows.
FREQUENCY_FORMS: dict[str, tuple[str, tuple[str, ...], str | None, str]] = {
    "monthly": ("month", ("Sep 2019", "2019-09"), None, "30/09/2019"),
    "quarterly": ("quarter", ("Q2 2019/20", "Jul-Sep 2019"), "Sep 2019", "30/09/2019"),
    "annual": ("financial year", ("2019/20", "2019 to 2020"), "Mar 2020", "31/03/2020"),
}


def how_to_write(frequency: str, by_month: bool = False) -> str:
    """How to write a period of `frequency`: "write a quarter like Q2 2019/20, Jul-Sep 2019 or
    the day it ends, 30/09/2019"; `by_month`, also the month it ends (as `period_for` reads
    one)."""
    noun, forms, month, day = FREQUENCY_FORMS[frequency]
    if by_month and month:
        return (
            f"write a {noun} like {', '.join(forms)}, or the month or day it ends, {month} or {day}"
        )
    return f"write a {noun} like {', '.join(forms)} or the day it ends, {day}"


class PeriodError(BoardpackError):
    """A period label that cannot be read, or a period that cannot exist. Read for figures
    of a `frequency`, the message says it and how to write such a period; otherwise it lists
    every form read."""

    def __init__(self, label: str, reason: str | None = None, frequency: str | None = None):
        self.label = label
        self.reason = reason
        self.frequency = frequency
        if frequency in FREQUENCY_FORMS:
            how = how_to_write(frequency)
            why = f"{reason}. {how[:1].upper()}{how[1:]}" if reason else how
            message = f'Cannot read the period "{label}" for {frequency} figures: {why}'
        else:
            forms = ", ".join(ACCEPTED_FORMS)
            why = f"{reason}. Use" if reason else "use"
            message = f'Cannot read the period "{label}": {why} one of the forms {forms}'
        super().__init__(message)


def month_index(d: date) -> int:
    """The month of a date as one integer: ``d.year * 12 + d.month - 1``."""
    return d.year * 12 + d.month - 1


def _first_day(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _last_day(index: int) -> date:
    year, month = index // 12, index % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def _fy_start(index: int) -> int:
    """Index of the April that starts the financial year holding month ``index``."""
    return index - (index - _APRIL) % 12


def _fy_label(index: int) -> str:
    year = _fy_start(index) // 12
    return f"{year}/{(year + 1) % 100:02d}"


def _month_label(index: int) -> str:
    return f"{_MONTHS[index % 12]} {index // 12}"


def _is_quarter(first: int, last: int) -> bool:
    return last - first == 2 and first % 3 == 0


# Shape each kind must have, given its first and last month index.
_SHAPES: dict[str, Callable[[int, int], bool]] = {
    "month": lambda a, b: a == b,
    "quarter": _is_quarter,
    "year": lambda a, b: b - a == 11 and a % 12 == _APRIL,
    "rolling_12": lambda a, b: b - a == 11,
    "year_to_date": lambda a, b: a == _fy_start(b),
    "range": lambda a, b: b > a and b - a != 11 and not _is_quarter(a, b),
}

_LABELS: dict[str, Callable[[int, int], str]] = {
    "month": lambda a, b: _month_label(b),
    "quarter": lambda a, b: f"Q{(a - _APRIL) % 12 // 3 + 1} {_fy_label(b)}",
    "year": lambda a, b: _fy_label(b),
    "rolling_12": lambda a, b: (
        f"12 months to {_month_label(b)}"
        if b % 12 == 2
        else f"{_month_label(a)} - {_month_label(b)}"
    ),
    "year_to_date": lambda a, b: f"{_fy_label(b)} to {_month_label(b)}",
    "range": lambda a, b: f"{_month_label(a)} - {_month_label(b)}",
}


@dataclass(frozen=True, order=True)
class Period:
    """A run of whole months: ``start`` is a first day, ``end`` a last day of a month."""

    start: date
    end: date
    kind: str

    def __post_init__(self) -> None:
        shape = _SHAPES.get(self.kind)
        text = f"{self.kind} {self.start} to {self.end}"
        if shape is None:
            raise PeriodError(text, f"the kind must be one of {', '.join(KINDS)}")
        if self.start.day != 1 or self.end != _last_day(month_index(self.end)):
            raise PeriodError(
                text, "a period runs from the first day of a month to the last day of a month"
            )
        if not shape(month_index(self.start), self.end_month):
            raise PeriodError(text, f"these dates do not make a {self.kind.replace('_', ' ')}")

    @property
    def label(self) -> str:
        """The canonical label, as councils write it; ``parse_period`` reads it back."""
        return _LABELS[self.kind](month_index(self.start), self.end_month)

    @property
    def months(self) -> int:
        return self.end_month - month_index(self.start) + 1

    @property
    def end_month(self) -> int:
        return month_index(self.end)

    @property
    def financial_year(self) -> str:
        """The financial year of the end date, e.g. ``2019/20``."""
        return _fy_label(self.end_month)

    def previous(self, step_months: int | None = None) -> Period:
        """The same kind of period ``step_months`` earlier.

        The default step is the period's own length, or one month for rolling 12 months and
        year to date. A year to date always starts on 1 April, so the one before April's is the
        whole of the previous financial year (to March).
        """
        if step_months is None:
            step_months = 1 if self.kind in ("rolling_12", "year_to_date") else self.months
        last = self.end_month - step_months
        if self.kind == "year_to_date":
            return _make("year_to_date", _fy_start(last), last)
        return _make(self.kind, month_index(self.start) - step_months, last)

    def last_year(self) -> Period:
        """The same period twelve months earlier."""
        return self.previous(12)

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def __str__(self) -> str:
        return self.label


def _make(kind: str, first: int, last: int) -> Period:
    return Period(_first_day(first), _last_day(last), kind)


def _span(first: int, last: int) -> Period:
    """The period covering these months, named by its shape (a quarter, a year, ...)."""
    if last < first:
        raise ValueError("the period ends before it starts")
    for kind in ("month", "quarter", "year", "rolling_12", "range"):
        if _SHAPES[kind](first, last):
            return _make(kind, first, last)
    raise AssertionError("unreachable: every span has a kind")


def _quarter_ending(last: int) -> Period:
    if last % 3 != 2:
        raise ValueError(
            "a quarter of the financial year ends in June, September, December or March"
        )
    return _make("quarter", last - 2, last)


_ENDING: dict[str, Callable[[int], Period]] = {
    "monthly": lambda last: _make("month", last, last),
    "quarterly": _quarter_ending,
    "annual": lambda last: _make("year" if last % 12 == 2 else "rolling_12", last - 11, last),
}


def _check_frequency(frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise ValueError(f'Unknown frequency "{frequency}": use one of {", ".join(FREQUENCIES)}')


def period_ending(end: date, frequency: str) -> Period:
    """The period of ``frequency`` ending on ``end``: a month, a quarter of the financial year,
    or for ``annual`` the financial year (ending 31 March) or else the 12 months to ``end``."""
    _check_frequency(frequency)
    text = end.strftime("%d/%m/%Y")
    if end != _last_day(month_index(end)):
        raise PeriodError(text, "a period ends on the last day of a month")
    try:
        return _ENDING[frequency](month_index(end))
    except (PeriodError, ValueError) as error:
        raise PeriodError(text, str(error)) from None


@functools.lru_cache(maxsize=4096)
def period_for(label: str, frequency: str | None) -> Period:
    """Parse a period label for an indicator of `frequency`: a single month read for a quarterly
    or annual indicator is the quarter or year ending that month, as trackers head their columns
    `Sept 10, Dec 10, Mar 11`."""
    period = parse_period(label, frequency)
    if period.kind == "month" and frequency not in (None, "monthly"):
        try:
            return period_ending(period.end, frequency)
        except PeriodError as error:
            raise PeriodError(label, error.reason, frequency) from None
    return period


def periods_in(container: Period, frequency: str) -> list[Period]:
    """The months, quarters or financial years of ``frequency`` lying wholly inside ``container``."""
    return list(_periods_in(container, frequency))


@functools.lru_cache(maxsize=1024)
def _periods_in(container: Period, frequency: str) -> tuple[Period, ...]:
    _check_frequency(frequency)
    size = STEP_MONTHS[frequency]
    first, last = month_index(container.start), container.end_month
    # quarters and years of the financial year all end in a month aligned with March
    return tuple(
        _ENDING[frequency](i) for i in range(first + size - 1, last + 1) if (i - 2) % size == 0
    )


def periods_ending_within(container: Period, frequency: str) -> list[Period]:
    """The months, quarters or years of ``frequency`` whose last month lies in ``container``: a
    quarter's three months, the quarter itself, or the financial year ending in a Q4."""
    _check_frequency(frequency)
    size = STEP_MONTHS[frequency]
    months = range(month_index(container.start), container.end_month + 1)
    return [_ENDING[frequency](i) for i in months if (i - 2) % size == 0]


# --- parsing -------------------------------------------------------------------------------


def _mon(name: str) -> str:
    return (
        rf"(?P<{name}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
        rf"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
    )


def _year(text: str) -> int:
    """A year; two digits mean 2000-2069 for 00-69 and 1970-1999 for 70-99."""
    n = int(text)
    return n if len(text) == 4 else n + (2000 if n < 70 else 1900)


def _month(g: dict, name: str, year: str) -> int:
    """Month index from the month name in group ``name`` and the year in group ``year``."""
    return _year(g[year]) * 12 + _MONTHS.index(g[name][:3].title())


def _fy_first(g: dict) -> int:
    """April of the financial year written as ``fy1``/``fy2`` (``2019/20``, ``2019/2020``)."""
    first, second = _year(g["fy1"]), g["fy2"]
    if int(second) != (first + 1) % 10 ** len(second) or len(g["fy1"]) < len(second):
        raise ValueError("the two years of a financial year must be consecutive, like 2017/18")
    return first * 12 + _APRIL


def _financial_year(g: dict, frequency: str | None = None) -> Period:
    return _make("year", _fy_first(g), _fy_first(g) + 11)


def _year_or_month(g: dict, frequency: str | None) -> Period:
    """``2019-20`` is a financial year, ``2019-09`` a month; ``2011-12`` is read as the
    financial year unless the indicator is monthly."""
    month = int(g["fy2"]) if len(g["fy2"]) == 2 else 0
    consecutive = int(g["fy2"]) % 100 == (int(g["fy1"]) + 1) % 100
    if 1 <= month <= 12 and (frequency == "monthly" or not consecutive):
        index = int(g["fy1"]) * 12 + month - 1
        return _make("month", index, index)
    return _financial_year(g)


def _quarter(g: dict, frequency: str | None) -> Period:
    first = _fy_first(g) + (int(g["q"]) - 1) * 3
    return _make("quarter", first, first + 2)


def _one_month(g: dict, frequency: str | None) -> Period:
    index = _month(g, "b", "y2")
    return _make("month", index, index)


def _month_range(g: dict, frequency: str | None) -> Period:
    """``Apr-June 2015`` or ``Oct 2014 - March 2015``, named by its shape (quarter, year...)."""
    last = _month(g, "b", "y2")
    if "y1" in g:
        return _span(_month(g, "a", "y1"), last)
    first = _month(g, "a", "y2")
    return _span(first - 12 if first > last else first, last)


def _rolling_12(g: dict, frequency: str | None) -> Period:
    return _make("rolling_12", _month(g, "b", "y2") - 11, _month(g, "b", "y2"))


def _year_to_date(g: dict, frequency: str | None) -> Period:
    last = _month(g, "b", "y2")
    if "fy1" in g and _fy_first(g) != _fy_start(last):
        raise ValueError(f"{_month_label(last)} is not in the financial year {g['fy1']}/{g['fy2']}")
    return _make("year_to_date", _fy_start(last), last)


def _date(g: dict, frequency: str | None) -> Period:
    try:
        end = date(_year(g["y"]), int(g["m"]), int(g["d"]))
    except ValueError:
        raise ValueError("there is no such date (dates are written day/month/year)") from None
    if frequency is None:
        raise ValueError(
            "a date gives the day a period ends, so the indicator's frequency "
            "(monthly, quarterly or annual) is needed to know which period it is"
        )
    return period_ending(end, frequency)


_FY = r"(?:fy ?)?(?P<fy1>[0-9]{2}|[0-9]{4})[/-](?P<fy2>[0-9]{2}|[0-9]{4})"
_Q = r"(?:q|qtr|quarter) ?(?P<q>[1-4])"
_MY = _mon("b") + r"[ -]?(?P<y2>[0-9]{4}|[0-9]{2})"  # a month and its year: Sep 2019, Sept 10
_YTD = r"(?:ytd|year to date)"
_Builder = Callable[[dict, "str | None"], Period]
# Tried in order against the normalised label; the first full match builds the period.
_PATTERNS: list[tuple[str, _Builder]] = [
    (rf"{_Q} {_FY}", _quarter),
    (rf"{_FY} {_Q}", _quarter),
    (r"(?:fy ?)?(?P<fy1>[0-9]{2}|[0-9]{4})/(?P<fy2>[0-9]{2}|[0-9]{4})", _financial_year),
    (r"(?:fy ?)?(?P<fy1>[0-9]{2})-(?P<fy2>[0-9]{2})", _financial_year),
    (r"(?P<fy1>[0-9]{4})-(?P<fy2>[0-9]{2}|[0-9]{4})", _year_or_month),
    (r"(?P<fy1>[0-9]{4}) to (?P<fy2>[0-9]{4})", _financial_year),
    (_MY, _one_month),
    (rf"{_mon('a')}-{_MY}", _month_range),
    (rf"{_mon('a')}[ -]?(?P<y1>[0-9]{{4}}|[0-9]{{2}})-{_MY}", _month_range),
    (rf"(?:rolling )?12 months (?:to|ending) {_MY}", _rolling_12),
    (rf"{_FY} to {_MY}", _year_to_date),
    (rf"{_YTD}(?: to)? {_MY}", _year_to_date),
    (rf"{_MY} {_YTD}", _year_to_date),
    (r"(?P<d>[0-9]{1,2})[/.-](?P<m>[0-9]{1,2})[/.-](?P<y>[0-9]{4}|[0-9]{2})", _date),
    (r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})", _date),
]
_REGISTRY = [(re.compile(pattern, re.ASCII), build) for pattern, build in _PATTERNS]


def _normalise(label: str) -> str:
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", label.lower())
    text = " ".join(text.split())
    return re.sub(r" ?([-/]) ?", r"\1", text)


def read_period(label: str) -> Period | None:
    """A period label as a council writes it, a date read as the month it ends; None if not one
    (a column's header that may or may not be a period)."""
    for frequency in (None, "monthly"):
        try:
            return parse_period(label, frequency)
        except PeriodError:
            continue
    return None


def parse_period(label: str, frequency: str | None = None) -> Period:
    """Read a period label (``Q2 2019/20``, ``Sept 10``, ``Apr-June 2015``, ``30/09/2019``...).

    A bare date is the last day of a period, so reading one needs the indicator's ``frequency``.
    Raises ``PeriodError`` naming the label and the accepted forms (for ``frequency``, how
    to write a period of it).
    """
    if not isinstance(label, str):
        raise PeriodError(repr(label), "a period is written as text", frequency)
    return _parse_text(label, frequency)


@functools.lru_cache(maxsize=8192)
def _parse_text(label: str, frequency: str | None) -> Period:
    """`parse_period` for a label in text, remembered: files repeat a few labels many times."""
    text = _normalise(label)
    if not text:
        raise PeriodError(label, "the period is blank", frequency)
    for pattern, build in _REGISTRY:
        found = pattern.fullmatch(text)
        if found:
            groups = {k: v for k, v in found.groupdict().items() if v is not None}
            try:
                return build(groups, frequency)
            except PeriodError as error:
                raise PeriodError(label, error.reason, frequency) from None
            except (ValueError, OverflowError) as error:
                raise PeriodError(label, str(error) or None, frequency) from None
    raise PeriodError(label, None, frequency)
