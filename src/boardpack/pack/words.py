"""Ratings and directions as words plus a shape, and the catalogue's codes in plain words.

Colour is never the only signal: every badge shows a visible word and a shape (hidden from
screen readers, which read the word).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from markupsafe import Markup

from boardpack.engine.vocab import DIRECTION_LABELS, POLARITY_WORDS, RAG_LABELS

RAG_ICONS = {
    "green": "●",
    "green_amber": "◐",
    "amber": "▲",
    "red_amber": "◆",
    "red": "■",
    "no_status": "○",
}
DIRECTION_ICONS = {"improving": "↑", "no_change": "→", "worsening": "↓", "not_applicable": "–"}

UNIT_WORDS = {
    "percent": "Percentage",
    "number": "Number",
    "rate_per_100k": "Rate per 100,000 population",
    "days": "Days",
    "currency": "Pounds (£)",
    "fte": "Full-time equivalent staff",
    "ratio": "Ratio",
}
MEASUREMENT_WORDS = {
    "snapshot": "Snapshot at the end of the period",
    "during_period": "Measured during the period",
    "rolling_12_months": "Rolling 12 months to the end of the period",
    "year_to_date": "Financial year to date",
}
FREQUENCY_WORDS = {"monthly": "Monthly", "quarterly": "Quarterly", "annual": "Annual"}
DIRECTION_MEANINGS = {
    "improving": "Performance has improved since the previous period",
    "no_change": "Performance is about the same as the previous period",
    "worsening": "Performance has worsened since the previous period",
    "not_applicable": "No comparison can be made (no previous figure, or no better or worse)",
}
DEFAULT_RAG_MEANINGS = [
    ("Green", "Target has been achieved or exceeded"),
    ("Amber", "Performance is behind target but within acceptable limits"),
    ("Red", "Performance is significantly behind target"),
    ("No status", "Not rated: no target, or no figure for the period"),
]
NUMBER_WORDS = "no one two three four five six seven eight nine ten".split()

__all__ = [
    "DIRECTION_ICONS",
    "DIRECTION_LABELS",
    "POLARITY_WORDS",
    "RAG_ICONS",
    "RAG_LABELS",
    "direction_badge",
    "lag_words",
    "rag_badge",
]


def rag_key(rag: str | None) -> str:
    """A rating code, with a missing rating read as "no_status"."""
    return rag if rag in RAG_LABELS else "no_status"


def direction_key(direction: str | None) -> str:
    """A direction code, with a missing direction read as "not_applicable"."""
    return direction if direction in DIRECTION_LABELS else "not_applicable"


@cache  # a handful of distinct badges, drawn hundreds of times on a page
def _badge(kind: str, key: str, icon: str, word: str) -> Markup:
    shape = Markup('<span class="icon" aria-hidden="true">{}</span> ').format(icon) if icon else ""
    return Markup('<span class="badge {}-{}">{}{}</span>').format(kind, key, shape, word)


def rag_badge(rag: str | None) -> Markup:
    """A rating as a shape and a word, e.g. ■ Red."""
    key = rag_key(rag)
    return _badge("rag", key, RAG_ICONS[key], RAG_LABELS[key])


def direction_badge(direction: str | None, icon: bool = True) -> Markup:
    """A direction of travel as an arrow and a word, e.g. ↑ Improving; the word only if not `icon`."""
    key = direction_key(direction)
    return _badge("direction", key, DIRECTION_ICONS[key] if icon else "", DIRECTION_LABELS[key])


def rag_from_label(label: str) -> str | None:
    """The rating code a key label names ("Green Amber" -> "green_amber"), or None."""
    wanted = " ".join(label.replace("_", " ").replace("/", " ").split()).lower()
    return next((key for key, word in RAG_LABELS.items() if word.lower() == wanted), None)


def lag_words(lag: int | None) -> str | None:
    """How far in arrears the figure runs, in words; None when it is current."""
    if not lag:
        return None
    count = NUMBER_WORDS[lag] if lag < len(NUMBER_WORDS) else str(lag)
    return f"Reported {count} period{'s' if lag > 1 else ''} in arrears"


# Making Data Count's icons, in words (the packs never rely on the icon alone): the seven
# variation icons and the three assurance icons, by the names `boardpack spc` gives them.
VARIATION_WORDS = {
    "common_cause": "Common cause variation: no significant change",
    "improvement_high": "Special cause variation of an improving nature: significantly higher",
    "improvement_low": "Special cause variation of an improving nature: significantly lower",
    "concern_high": "Special cause variation of a concerning nature: significantly higher",
    "concern_low": "Special cause variation of a concerning nature: significantly lower",
    "neither_high": "Special cause variation, neither improving nor concerning: significantly higher",
    "neither_low": "Special cause variation, neither improving nor concerning: significantly lower",
    "too_few": "Fewer than 12 figures so far: too few to judge variation",
}
ASSURANCE_WORDS = {
    "consistent_pass": "The process will consistently meet the target",
    "consistent_fail": "The process will consistently miss the target unless something changes",
    "hit_and_miss": "The process will hit and miss the target by chance",
}


@dataclass(frozen=True)
class Icon:
    """A Making Data Count icon: its kind (which picture), colour, letter, the words a screen
    reader reads (`label`) and a short visible word."""

    kind: str
    colour: str
    letter: str
    label: str
    short: str


SPC_COLOURS = {"improvement": "#1d70b8", "concern": "#c14f00", "neither": "#4c2c92"}
COMMON_GREY = "#6f777b"
SIDES = {"high": "H", "low": "L"}
SHORT_WORDS = {"improvement": "Improvement", "concern": "Concern", "neither": "Unusually"}
ASSURANCE_ICONS = {  # assurance icon -> (kind, colour, letter, short word)
    "consistent_pass": ("pass", "#1d70b8", "P", "Pass"),
    "consistent_fail": ("fail", "#c14f00", "F", "Fail"),
    "hit_and_miss": ("hit_and_miss", COMMON_GREY, "", "Hit and miss"),
}
ICON_MEANINGS = {  # variation icon -> what it means, for the key
    "common_cause": "No significant change: the figures vary by chance.",
    "improvement_high": "An improvement: significantly higher figures where higher is better.",
    "improvement_low": "An improvement: significantly lower figures where lower is better.",
    "concern_high": "A concern: significantly higher figures where lower is better.",
    "concern_low": "A concern: significantly lower figures where higher is better.",
    "neither_high": "Significantly higher figures, on a measure with no better direction.",
    "neither_low": "Significantly lower figures, on a measure with no better direction.",
}


def variation_icon(code: str | None) -> Icon | None:
    """The Making Data Count variation icon of a code (`improvement_high`, `concern_low`,
    `neither_high`, `common_cause`...): H or L says whether the signal is high or low."""
    if code == "common_cause":
        return Icon("common_cause", COMMON_GREY, "", VARIATION_WORDS[code], "Common cause")
    nature, _, side = (code or "").partition("_")
    if code not in VARIATION_WORDS or side not in SIDES:
        return None
    short = (
        f"{SHORT_WORDS[nature]} {side}"
        if nature == "neither"
        else f"{SHORT_WORDS[nature]} ({side})"
    )
    return Icon("special_cause", SPC_COLOURS[nature], SIDES[side], VARIATION_WORDS[code], short)


def assurance_icon(code: str | None) -> Icon | None:
    """The assurance icon of an SPC assurance code, or None without one."""
    if code not in ASSURANCE_ICONS:
        return None
    kind, colour, letter, short = ASSURANCE_ICONS[code]
    return Icon(kind, colour, letter, ASSURANCE_WORDS[code], short)


def spc_icon_key() -> list[tuple[Icon, str]]:
    """Every icon a pack may show, with what it means, for the key: Making Data Count's
    seven variation icons and three assurance icons."""
    key = [(variation_icon(code), meaning) for code, meaning in ICON_MEANINGS.items()]
    return key + [
        (assurance_icon(code), ASSURANCE_WORDS[code] + ": the target lies " + where + ".")
        for code, where in (
            ("consistent_pass", "on the good side of the process limits"),
            ("consistent_fail", "on the bad side of the process limits"),
            ("hit_and_miss", "between the process limits"),
        )
    ]
