"""What a council's own table says about its indicators, as far as it says it: the unit and
decimals from the values as written (`37.0%`, `£1,311`), the frequency from the periods, the
polarity from the published ratings or the title's words, and what its words for ratings and
directions mean. Each answer is a `Guess`: a value, and a note saying where it came from, marked
`guessed` when the officer should check it (`boardpack init` writes the notes as comments).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..periods import Period
from .readers import Cell, cell_text
from .values import ValueParseError, parse_value

GUESSED = "guessed"


@dataclass(frozen=True)
class Guess:
    """A value for `boardpack.yaml` and the note written beside it (None: read as it stands)."""

    value: Any
    note: str | None = None
    guessed: bool = False


def guessed(value: Any, why: str, question: str = "") -> Guess:
    """A guess the officer should check: `question` then `guessed: why` in its note."""
    return Guess(value, f"{question} {GUESSED}: {why}".strip(), True)


# -- unit and decimals -------------------------------------------------------------------

#: Words in a title that suggest a unit, first match wins.
UNIT_WORDS: tuple[tuple[str, str], ...] = (
    (r"per 100,?000|per 100k", "rate_per_100k"),
    (r"^(percentage|proportion|%)|\bpercentage of\b|\bproportion of\b|\(%\)", "percent"),
    (r"\b(average|number of|mean) (working |calendar )?days\b|\bdays\b", "days"),
    (r"£|\bcost\b|\bspend\b|\bbudget\b|\bincome\b", "currency"),
    (r"\bfte\b|full.time equivalent", "fte"),
    (r"\bratio\b", "ratio"),
)


UNIT_QUESTION = "percent, number, rate_per_100k, days, currency, fte or ratio?"


#: What a figure is to its numerator over its denominator, by unit: 37 for 37 / 100 is percent.
RATIO_SCALES = (("percent", 100), ("rate_per_100k", 100_000), ("ratio", 1))
RATIO_WORDS = {"percent": "a percentage", "rate_per_100k": "a rate per 100,000", "ratio": "a ratio"}


def unit_guess(
    cells: Sequence[Cell], title: str, ratios: Sequence[tuple[float, float, float]] = ()
) -> tuple[Guess, Guess]:
    """The unit and decimals: from the values as written when they carry a `%` or `£`, or
    from the numerator and denominator given with them, else from the title's words (a guess)."""
    written = [cell_text(cell) for cell in cells if _is_number(cell)]
    decimals = max((_decimals(cell) for cell in cells if _is_number(cell)), default=0)
    shown = f"values written like {written[0]}" if written else "no figures given yet"
    scaled = _ratio_unit(ratios)
    if scaled and not any(text.endswith("%") or "£" in text for text in written):
        value, numerator, denominator = ratios[0]
        note = f"{numerator:g} / {denominator:g} is {value:g} as {RATIO_WORDS[scaled]}"
        return Guess(scaled, f"from the numerators and denominators: {note}"), Guess(
            decimals, f"from {shown}"
        )
    example = next((text for text in written if text.endswith("%")), None)
    if example:
        note = f"from values written like {example}"
        return Guess("percent", note), Guess(decimals, note)
    example = next((text for text in written if text.lstrip("-(").startswith("£")), None)
    if example:
        note = f"from values written like {example}"
        return Guess("currency", note), Guess(decimals, note)
    found = next(((m, u) for words, u in UNIT_WORDS if (m := re.search(words, title, re.I))), None)
    unit, why = (found[1], f'"{found[0].group(0)}" in the title') if found else ("number", "")
    why = why or "no % or £ on the values"
    if unit == "percent" and _fractions(cells):
        why += (
            "; the values look like fractions (0.37 for 37%), as a cell formatted as a "
            "percentage stores them: type them as 37 or 37%, or they read as 0.37%"
        )
    return guessed(unit, why, UNIT_QUESTION), Guess(decimals, f"from {shown}")


def _ratio_unit(ratios: Sequence[tuple[float, float, float]]) -> str | None:
    """The unit every figure given with its counts agrees with (within rounding), if any."""
    for unit, scale in RATIO_SCALES:
        if ratios and all(
            abs(value - scale * n / d) <= 0.005 * abs(value) + 0.05 for value, n, d in ratios
        ):
            return unit
    return None


def _fractions(cells: Sequence[Cell]) -> bool:
    """Spreadsheet numbers all between 0 and 1, not all whole: percentages stored as fractions."""
    numbers = [cell for cell in cells if isinstance(cell, float)]
    return (
        bool(numbers)
        and all(0 <= n <= 1 for n in numbers)
        and not all(n.is_integer() for n in numbers)
    )


def _is_number(cell: Cell) -> bool:
    try:
        return parse_value(cell).value is not None
    except ValueParseError:
        return False


def _decimals(cell: Cell) -> int:
    """Decimal places as written: `37.0%` 1, `1,311` 0; a spreadsheet number's own, up to 2."""
    if isinstance(cell, float):
        text = f"{cell:.6f}".rstrip("0")
        return min(len(text.split(".")[1]), 2)
    number = re.search(r"\d[\d,]*(?:\.(\d+))?", cell_text(cell))
    return len(number.group(1)) if number and number.group(1) else 0


# -- frequency and measurement ------------------------------------------------------------

FREQUENCY_OF_KIND = {"month": "monthly", "quarter": "quarterly", "year": "annual"}
STEP_FREQUENCY = {1: "monthly", 3: "quarterly", 12: "annual"}
FREQUENCY_QUESTION = "monthly, quarterly or annual?"


def frequency_guess(periods: Sequence[Period]) -> Guess:
    """Monthly, quarterly or annual, from the periods' kind and their spacing."""
    distinct = sorted(set(periods))
    if not distinct:
        return guessed("quarterly", "no periods given", FREQUENCY_QUESTION)
    shown = (
        distinct[0].label if len(distinct) == 1 else f"{distinct[0].label} to {distinct[-1].label}"
    )
    kinds = {p.kind for p in distinct}
    if kinds == {"month"} and len(distinct) > 1:
        steps = {b.end_month - a.end_month for a, b in zip(distinct, distinct[1:], strict=False)}
        frequency = STEP_FREQUENCY.get(min(steps), "monthly")
        return Guess(frequency, f"from the periods {shown}")
    frequency = FREQUENCY_OF_KIND.get(distinct[0].kind, "annual")
    if len(distinct) == 1:
        return guessed(frequency, f"from the one period, {shown}", FREQUENCY_QUESTION)
    return Guess(frequency, f"from the periods {shown}")


#: Words in a title that say how a figure is measured, first match wins.
MEASUREMENT_WORDS: tuple[tuple[str, str], ...] = (
    (r"year to date|\bytd\b|cumulative|so far this year", "year_to_date"),
    (r"rolling|12 months to|last 12 months|12.month", "rolling_12_months"),
    (
        r"\bat (the )?(end|month end|quarter end)\b|\bsnapshot\b|\bas at\b|\bcurrent(ly)?\b",
        "snapshot",
    ),
)


def measurement_guess(title: str) -> Guess:
    found = next((m for words, m in MEASUREMENT_WORDS if re.search(words, title, re.I)), None)
    why = "the title's words" if found else "nothing in the title says otherwise"
    return guessed(
        found or "during_period", why, "snapshot, during_period, rolling_12_months or year_to_date?"
    )


# -- polarity ------------------------------------------------------------------------------

#: Words in a title that suggest lower is better.
LOWER_WORDS = re.compile(
    r"\b(reduc\w*|delay\w*|waiting|wait|time taken|days to|complaints?|sickness|absence|"
    r"re-?offend\w*|re-?referr\w*|missed|vacanc\w*|arrears|homeless\w*|admissions?|"
    r"overspend|cost per|falls|deaths?|errors?|backlog|outstanding|overdue|turnover|"
    r"agency|temporary accommodation|repeat|exclusions?|not in education|neet|void|"
    r"fly.?tipping|litter|crime|incidents?|residual|debt)\b",
    re.I,
)
#: Words that say a share of work done (well), which higher is better for, whatever it is about.
HIGHER_WORDS = re.compile(
    r"\b(within|on time|answered|prevented|relieved|cleared|completed|collected|processed|"
    r"decided|resolved|satisf\w*|achiev\w*|delivered|paid|filled)\b",
    re.I,
)
#: A rating of a figure above its target, as a vote for "higher is better" (1) or not (-1).
BETTER_WHEN_ABOVE = {"green": 1, "green_amber": 1, "amber": -1, "red_amber": -1, "red": -1}


#: A published direction of a figure that rose, as a vote for "higher is better" or not.
BETTER_WHEN_RISEN = {"improving": 1, "worsening": -1}


#: A council's own word for which way is better, as a tracker's Polarity or "Good is" column
#: writes it.
POLARITY_WORDS = {
    **dict.fromkeys(
        (
            "high",
            "higher",
            "up",
            "increase",
            "maximise",
            "bigger",
            "higher is better",
            "high is good",
            "bigger is better",
            "\u2191",
        ),
        "higher_better",
    ),
    **dict.fromkeys(
        (
            "low",
            "lower",
            "down",
            "decrease",
            "reduce",
            "minimise",
            "smaller",
            "lower is better",
            "low is good",
            "smaller is better",
            "\u2193",
        ),
        "lower_better",
    ),
}


def stated_polarity(word: str) -> Guess | None:
    """The polarity a file states in its own words (`High`, `Lower is better`), or None."""
    polarity = POLARITY_WORDS.get(" ".join(word.lower().split()))
    return Guess(polarity, f'the file says "{word.strip()}"') if polarity else None


def polarity_guess(
    title: str,
    rated: Iterable[tuple[float, float, str]],
    targeted: bool = True,
    moved: Iterable[tuple[float, float, str]] = (),
) -> Guess:
    """Higher or lower is better: what the council's own ratings imply (a figure above its
    target rated Red means lower is better) and its directions (a fall called improving),
    else the title's words; `none` (an activity measure) when no target is given."""
    if not targeted:
        return Guess("none", f"an activity measure? {GUESSED}: no target is given", True)
    votes = [
        BETTER_WHEN_ABOVE[rag] * (1 if value > target else -1)
        for value, target, rag in rated
        if rag in BETTER_WHEN_ABOVE and _telling(value, target, rag)
    ] + [
        BETTER_WHEN_RISEN[way] * (1 if now > before else -1)
        for now, before, way in moved
        if way in BETTER_WHEN_RISEN and now != before
    ]
    higher, lower = votes.count(1), votes.count(-1)
    if higher != lower:
        polarity = "higher_better" if higher > lower else "lower_better"
        why = f"{max(higher, lower)} of {higher + lower} published ratings and directions agree"
    elif HIGHER_WORDS.search(title):
        polarity = "higher_better"
        why = f'"{HIGHER_WORDS.search(title).group(0)}" in the title'
    elif LOWER_WORDS.search(title):
        polarity = "lower_better"
        why = f'"{LOWER_WORDS.search(title).group(0)}" in the title'
    else:
        polarity, why = "higher_better", "nothing says otherwise"
    word = polarity.split("_")[0]
    return Guess(polarity, f"higher or lower is better? {GUESSED} {word}: {why}", True)


def _telling(value: float, target: float, rag: str) -> bool:
    """A miss rated Amber or Red says which side of the target is worse; a Green only when the
    figure is well away from the target (a council's Green may allow a figure within 10%)."""
    if value == target:
        return False
    return not rag.startswith("green") or abs(value - target) > 0.1 * abs(target)


# -- published words -----------------------------------------------------------------------

#: A council's words for a rating, normalised (lower case, single spaces).
RAG_WORDS: dict[str, str] = {
    **{w: "green" for w in ("green", "g", "on target", "achieved", "met", "on track", "good")},
    **{w: "green_amber" for w in ("green amber", "green/amber", "ga", "g/a", "amber green")},
    **{w: "amber" for w in ("amber", "a", "slightly off target", "near target", "at risk")},
    **{w: "red_amber" for w in ("red amber", "red/amber", "ra", "r/a", "amber red")},
    **{w: "red" for w in ("red", "r", "off target", "not met", "missed", "not achieved")},
    **{
        w: "no_status"
        for w in (
            "no status",
            "n/a",
            "na",
            "none",
            "-",
            "data only",
            "info",
            "for information",
            "information only",
            "for information only",
            "not rated",
            "no target",
        )
    },
}

#: A council's words for a direction of travel.
DIRECTION_WORDS: dict[str, str] = {
    **{
        w: "improving"
        for w in ("improving", "improved", "better", "getting better", "improvement", "↑", "up")
    },
    **{
        w: "worsening"
        for w in (
            "worsening",
            "worse",
            "getting worse",
            "declined",
            "declining",
            "deteriorated",
            "deteriorating",
            "↓",
            "down",
        )
    },
    **{
        w: "no_change"
        for w in (
            "no change",
            "same",
            "unchanged",
            "stable",
            "maintained",
            "static",
            "↔",
            "→",
            "level",
        )
    },
    **{w: "not_applicable" for w in ("n/a", "na", "new", "-", "not applicable")},
}
#: Words that say which way the figure moved, not whether that was better.
MOVEMENT_WORDS = {"↑", "↓", "up", "down"}


def word_key(text: str) -> str:
    return " ".join(text.lower().split())


def words_guess(words: Iterable[str], vocabulary: dict[str, str], what: str) -> dict[str, Guess]:
    """Each distinct word as written -> what it means; a word not in the vocabulary is
    `no_status` or `not_applicable`, marked for the officer."""
    unknown = "no_status" if what == "rating" else "not_applicable"
    found: dict[str, Guess] = {}
    for word in sorted({w.strip() for w in words if w and w.strip()}):
        meaning = vocabulary.get(word_key(word))
        if meaning is None:
            found[word] = guessed(
                unknown, "not a word Boardpack knows", f'what {what} is "{word}"?'
            )
        elif word_key(word) in MOVEMENT_WORDS:
            found[word] = guessed(
                meaning,
                "an arrow may say which way the figure moved, not whether that was better",
                "better or worse?",
            )
        else:
            found[word] = Guess(meaning)
    return found


# -- the council's rule --------------------------------------------------------------------


def bands_guess(spread: dict[str, tuple[float, float, int]]) -> list[dict] | None:
    """Variance bands the published Green, Amber and Red fit, when each lies wholly beyond
    the next (`spread`: each rating's range of variance from target, positive better): the
    roundest edge between them, e.g. Amber down to -5.0% and Red from -5.2% gives -5."""
    if set(spread) != {"green", "amber", "red"}:
        return None
    edges = [
        _roundest(spread[worse][1], spread[better][0])
        for better, worse in (("green", "amber"), ("amber", "red"))
    ]
    if None in edges:
        return None
    return [
        {"rag": "green", "min_pct": edges[0]},
        {"rag": "amber", "min_pct": edges[1]},
        {"rag": "red"},
    ]


def _roundest(below: float, upto: float) -> int | float | None:
    """The roundest percentage in (below, upto], both fractions: a multiple of 10, of 5, a
    whole number, then a tenth; None when the ranges overlap."""
    low, high = below * 100, upto * 100
    if low >= high:
        return None
    for step in (10, 5, 1, 0.1):
        top = round(step * (high // step), 1) + 0.0
        if top > low:
            return int(top) if top.is_integer() else top
    return None
