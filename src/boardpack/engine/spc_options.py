"""What an XmR (statistical process control) chart needs to be told, and the words it answers
with. `docs/spc.md` says where each default comes from."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ..errors import BoardpackError

#: How far the process limits sit from the mean, in average moving ranges (3 / 1.128).
LIMIT = 2.66
#: The near (two sigma) limits sit at two thirds of that distance.
NEAR = 2 * LIMIT / 3
#: A moving range above this many average moving ranges is screened out (3.267 = D4 for n=2).
SCREEN = 3.267

IMPROVEMENTS = {"increase": 1, "decrease": -1, "neutral": 0}

#: Rules in order of precedence: a point is labelled with the first that flags it.
RULES = ["beyond_limit", "run", "trend", "two_in_three"]
RULE = pl.Enum(RULES)
POINT_TYPES = ["common_cause", "improvement", "concern", "neutral_high", "neutral_low"]
POINT_TYPE = pl.Enum(POINT_TYPES)
#: Making Data Count's seven variation icons: special cause of improvement or concern (or
#: neither, where no direction is better), from high or low figures; or common cause.
VARIATION_ICONS = [
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neither_high",
    "neither_low",
]
#: (point type, improvement direction: 1 increase, -1 decrease, 0 neutral) -> variation icon.
#: An improvement on a measure where lower is better is a low signal, a concern a high one.
ICON_OF_POINT = {
    ("common_cause", 1): "common_cause",
    ("common_cause", -1): "common_cause",
    ("common_cause", 0): "common_cause",
    ("improvement", 1): "improvement_high",
    ("improvement", -1): "improvement_low",
    ("concern", 1): "concern_low",
    ("concern", -1): "concern_high",
    ("neutral_high", 0): "neither_high",
    ("neutral_low", 0): "neither_low",
}
VARIATION_ICON = pl.Enum(VARIATION_ICONS)
#: Making Data Count's three assurance icons.
ASSURANCE_ICONS = ["consistent_pass", "consistent_fail", "hit_and_miss"]
ASSURANCE_ICON = pl.Enum(ASSURANCE_ICONS)


@dataclass(frozen=True)
class SpcOptions:
    """Options for `spc()`.

    improvement: "increase", "decrease" or "neutral" for every series, or a mapping from
        series to one of those (every series must be named).
    screen_outliers: leave out moving ranges above 3.267 x their average, then average again.
    fix_after: limits come from the first `fix_after` points of each segment (at least 12).
    recalculate_at: periods where a new segment (new mean and limits) starts: a list for
        every series, or a mapping from series to its list.
    run_length: points in a row on one side of the mean that signal a shift.
    trend_length: points in a row each above (or each below) the one before that signal a trend.
    minimum_points: limits from fewer points than this are trial limits.
    icon_minimum: a series with fewer points than this (missing values not counted) gets
        no icons.
    """

    improvement: str | Mapping[Any, str] = "increase"
    screen_outliers: bool = True
    fix_after: int | None = None
    recalculate_at: Mapping[Any, Sequence[Any]] | Sequence[Any] = field(default_factory=tuple)
    run_length: int = 7
    trend_length: int = 7
    minimum_points: int = 12
    icon_minimum: int = 12

    def __post_init__(self) -> None:
        words = [self.improvement] if isinstance(self.improvement, str) else self.improvement
        for word in words if isinstance(words, list) else words.values():
            if word not in IMPROVEMENTS:
                raise BoardpackError(
                    f'improvement "{word}" is not one of {", ".join(IMPROVEMENTS)}'
                )
        if self.fix_after is not None and self.fix_after < 12:
            raise BoardpackError(f"fix_after is {self.fix_after}; limits need at least 12 points")
        for name, least in (("run_length", 2), ("trend_length", 3), ("minimum_points", 1)):
            if getattr(self, name) < least:
                raise BoardpackError(
                    f"{name} is {getattr(self, name)}; it must be at least {least}"
                )
