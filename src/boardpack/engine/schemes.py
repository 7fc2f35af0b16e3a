"""Rating schemes: small named objects that turn value, target and floor into a RAG rating.

Each scheme returns polars expressions, so one scheme rates millions of rows at once. A scheme
gives the rating and the words of its reason; the engine assembles the reason as
`<Rating>: <value> <phrase> <reference><tail>`, e.g. `Red: 81.8% is below the floor of 85.0%`.

Councils choose and tune schemes in `boardpack.yaml` (`rating_schemes:`). Each kind (a `Kind`,
following `boardpack.catalogue.kinds.SchemeKind`) is registered in the one registry the
catalogue checks projects against; new kinds are added with `register_kind` or a plugin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import polars as pl
from pydantic import BaseModel

from ..catalogue.conditions import (
    CONDITION_FIELDS,
    TARGET_FIELDS,
    condition_fields,
    parse_condition,
)
from ..catalogue.kinds import register_kind, scheme_kinds
from ..catalogue.models import (
    InBandScheme,
    NoneScheme,
    RulesScheme,
    ThresholdScheme,
    VarianceBandsScheme,
)
from .formatting import format_number
from .vocab import RAG_LABELS, RAG_TYPE

LOWER = pl.col("polarity") == "lower_better"
EDGE_PLACES = 9  # comparisons round to this many places, so 29.7 against 33 is exactly 10% worse


class RatingScheme(Protocol):
    """What a kind's `scheme()` makes: a named scheme that rates rows (`rate`) and says what
    its ratings mean (`key`, pairs of rating and meaning for a pack's key). `needs_target`:
    a figure without a target is No status."""

    name: str
    kind: str
    needs_target: bool

    def rate(self) -> Rating: ...

    def key(self) -> list[tuple[str, str]]: ...


@dataclass(frozen=True)
class Rating:
    """The expressions a scheme contributes to every row it rates. `tail` parts are null
    where they do not apply."""

    rag: pl.Expr
    phrase: pl.Expr
    reference: pl.Expr
    tail: tuple[pl.Expr, ...] = ()


def meets(value: pl.Expr, bound: pl.Expr) -> pl.Expr:
    """True where `value` is at least as good as `bound`, respecting polarity."""
    return pl.when(LOWER).then(value <= bound).otherwise(value >= bound)


def by_polarity(lower: str, higher: str) -> pl.Expr:
    """Words that depend on polarity: `lower` for lower-is-better indicators."""
    return pl.when(LOWER).then(pl.lit(lower)).otherwise(pl.lit(higher))


def width_text(width: pl.Expr) -> pl.Expr:
    """A band width as written: 5, 2.5 (no trailing zeros)."""
    return width.round(6).cast(pl.String).str.replace(r"\.0$", "")


def rating_of(code: pl.Expr, rags: list[str]) -> pl.Expr:
    """The rating numbered `code` in `rags`, in the engine's rating type: picked as an enum
    value by position, where a lookup of strings would build a string a row (several times
    slower over millions of rows)."""
    return pl.lit(pl.Series(rags, dtype=RAG_TYPE)).gather(code)


def only(condition: pl.Expr, part: pl.Expr | str) -> pl.Expr:
    """A reason part present only where `condition` holds (null elsewhere)."""
    return pl.when(condition).then(pl.lit(part) if isinstance(part, str) else part)


@dataclass(frozen=True)
class Threshold:
    """Green when the target is met; Amber when the floor is met but not the target;
    Red when the floor is missed. With no floor set, any miss is Amber."""

    name: str = "threshold"
    kind: str = "threshold"
    needs_target: bool = True
    percentages: str = "points"

    # Each outcome: its rating, its words for higher- and lower-is-better indicators, and the
    # words that join the second figure quoted. Looked up by code rather than chosen by nested
    # conditions: one lookup builds one column of text.
    OUTCOMES = (
        ("green", "is at or above the target of", "is at or below the target of", None),
        (
            "amber",
            "is below the target of",
            "is above the target of",
            "; no floor is set, so any miss is Amber",
        ),
        ("amber", "is below the target of", "is above the target of", " but meets the floor of "),
        ("red", "is below the floor of", "is above the floor of", " (target "),
    )

    def rate(self) -> Rating:
        target_met = meets(pl.col("value"), pl.col("target"))
        no_floor = pl.col("floor").is_null()
        floor_met = meets(pl.col("value"), pl.col("floor"))
        outcome = (
            pl.when(target_met).then(0).when(no_floor).then(1).when(floor_met).then(2).otherwise(3)
        )

        def lookup(code: pl.Expr, texts: dict) -> pl.Expr:
            return code.replace_strict(texts, default=None, return_dtype=pl.String)

        rag = rating_of(outcome, [o[0] for o in self.OUTCOMES])
        phrases = {
            2 * i + lower: o[1 + lower] for i, o in enumerate(self.OUTCOMES) for lower in (0, 1)
        }
        phrase = lookup(outcome * 2 + LOWER.cast(pl.Int32), phrases)
        red = outcome == 3
        reference = pl.when(red).then(pl.col("floor_text")).otherwise(pl.col("target_text"))
        joining = lookup(outcome, {i: o[3] for i, o in enumerate(self.OUTCOMES)})
        second = (
            pl.when(red).then(pl.col("target_text")).when(outcome == 2).then(pl.col("floor_text"))
        )
        return Rating(rag, phrase, reference, (joining, second, only(red, ")")))

    def key(self) -> list[tuple[str, str]]:
        return [
            ("Green", "Target has been achieved or exceeded"),
            (
                "Amber",
                "Performance is behind target but within acceptable limits (at or better than the floor)",
            ),
            ("Red", "Performance is below the floor: the pre-defined minimum acceptable level"),
        ]


@dataclass(frozen=True)
class Band:
    rag: str
    min_pct: float | None = None  # relative variance in percent; positive is better than target

    def words(self) -> str:
        if self.min_pct is None:
            return "any other result"
        if self.min_pct >= 0:
            return (
                "target met"
                if self.min_pct == 0
                else f"at least {self.min_pct:g}% better than target"
            )
        return f"no more than {-self.min_pct:g}% worse than target"


@dataclass(frozen=True)
class VarianceBands:
    """N levels from bands of relative variance from target (four by default, as in Barnet)."""

    bands: tuple[Band, ...]
    name: str = "variance_bands"
    kind: str = "variance_bands"
    needs_target: bool = True
    percentages: str = "points"

    def _band_expr(self, attribute: Callable[[Band], str]) -> pl.Expr:
        met_zero_target = pl.col("variance_pct").is_null() & meets(
            pl.col("value"), pl.col("target")
        )
        # The band follows the variance as the reason quotes it, to one place.
        pct = (
            pl.when(met_zero_target)
            .then(0.0)
            .otherwise((pl.col("variance_pct") * 100).round(1, mode="half_away_from_zero"))
        )
        expr = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.String))
        for band in self.bands:
            condition = (
                pl.lit(True) if band.min_pct is None else pct >= band.min_pct
            )  # null (missed 0) falls through
            expr = expr.when(condition).then(pl.lit(attribute(band)))
        return expr.otherwise(pl.lit(attribute(self.bands[-1])))

    def rate(self) -> Rating:
        phrase = variance_phrase(self.percentages)
        band_words = self._band_expr(lambda b: f" ({RAG_LABELS[b.rag]}: {b.words()})")
        return Rating(
            self._band_expr(lambda b: b.rag), phrase, pl.col("target_text"), (band_words,)
        )

    def key(self) -> list[tuple[str, str]]:
        return [(RAG_LABELS[b.rag], b.words().capitalize()) for b in self.bands]


@dataclass(frozen=True)
class InBand:
    """For "neither too high nor too low": Green within `band` of the target, Amber within
    `tolerance`, Red outside. Band and tolerance are in the indicator's own units."""

    band: float
    tolerance: float
    name: str = "in_band"
    kind: str = "in_band"
    needs_target: bool = True

    def rate(self) -> Rating:
        """A target may carry its own `band` and `tolerance`; otherwise the scheme's apply."""
        distance = (pl.col("value") - pl.col("target")).abs().round(EDGE_PLACES)
        band = pl.coalesce(pl.col("band"), pl.lit(float(self.band)))
        tolerance = pl.coalesce(pl.col("tolerance"), pl.lit(float(self.tolerance)))
        outcome = pl.when(distance <= band).then(0).when(distance <= tolerance).then(1).otherwise(2)
        rag = rating_of(outcome, ["green", "amber", "red"])
        opening = outcome.replace_strict(
            {0: "is within ±", 1: "is outside ±", 2: "is more than ±"}, return_dtype=pl.String
        )
        closing = outcome.replace_strict(
            {0: " of the target of", 1: " of the target of", 2: " away from the target of"},
            return_dtype=pl.String,
        )
        first = width_text(pl.when(outcome == 2).then(tolerance).otherwise(band))
        second = only(outcome == 1, pl.concat_str([pl.lit(" but within ±"), width_text(tolerance)]))
        phrase = pl.concat_str([opening, first, second, closing], ignore_nulls=True)
        return Rating(rag, phrase, pl.col("target_text"))

    def key(self) -> list[tuple[str, str]]:
        return [
            ("Green", f"Within ±{self.band:g} of the target"),
            ("Amber", f"Within ±{self.tolerance:g} of the target"),
            ("Red", f"More than ±{self.tolerance:g} away from the target"),
        ]


@dataclass(frozen=True)
class NoRating:
    """Activity measures with no target: always No status."""

    name: str = "none"
    kind: str = "none"
    needs_target: bool = False

    def rate(self) -> Rating:
        return Rating(
            pl.lit("no_status"), pl.lit("is an activity measure with no target"), pl.lit("")
        )

    def key(self) -> list[tuple[str, str]]:
        return [("No status", "Activity measure with no target, or no figure for the period")]


def in_points(percentages: str) -> pl.Expr:
    """True for rows whose distance from target is told in percentage points: percentages,
    unless the scheme says relative."""
    return (pl.col("unit") == "percent") & pl.lit(percentages == "points")


def variance_phrase(percentages: str = "points") -> pl.Expr:
    """How the figure stands against its target, ending in words that lead to the target's
    figure: "is at or above the target of", "is 5.0% worse than the target of", and for
    percentages "is 25.5 percentage points worse than the target of" (unless relative)."""
    met = by_polarity("is at or below the target of", "is at or above the target of")
    worse_pct = format_number(pl.col("variance_pct").abs() * 100, pl.lit(1), pl.lit("percent"))
    worse_by = pl.concat_str([pl.lit("is "), worse_pct, pl.lit(" worse than the target of")])
    points = format_number(pl.col("variance_points").abs(), pl.col("decimals"))
    worse_points = pl.concat_str(
        [pl.lit("is "), points, pl.lit(" percentage points worse than the target of")]
    )
    missed_zero = by_polarity("is above the target of", "is below the target of")
    return (
        pl.when(meets(pl.col("value"), pl.col("target")))
        .then(met)
        .when(in_points(percentages))
        .then(worse_points)
        .when(pl.col("variance_pct").is_null())
        .then(missed_zero)
        .otherwise(worse_by)
    )


def progress_words() -> pl.Expr:
    """ ", 62% of the way from 390 in Mar 2024": the progress from the baseline to the target,
    where the indicator has a baseline."""
    share = format_number(pl.col("progress") * 100, pl.lit(0), pl.lit("percent"))
    baseline = format_number(pl.col("baseline"), pl.col("decimals"), pl.col("unit"))
    since = pl.concat_str([pl.lit(" in "), pl.col("baseline_period").cast(pl.String)])
    words = pl.concat_str(
        [pl.lit(", "), share, pl.lit(" of the way from "), baseline, since], ignore_nulls=True
    )
    return only(pl.col("progress").is_not_null(), words)


@dataclass(frozen=True)
class Rule:
    """One rule of a `Rules` scheme: its rating, its condition (None: always) and meaning."""

    rag: str
    when: str | None
    meaning: str


@dataclass(frozen=True)
class Rules:
    """A council's own rules, in order: the first rule whose condition holds gives the
    rating, and the reason names it. Conditions are SQL-style expressions over the figure's
    fields (`boardpack.catalogue.conditions`), each one polars expression over all rows."""

    rules: tuple[Rule, ...]
    name: str = "rules"
    kind: str = "rules"
    percentages: str = "points"

    @property
    def fields(self) -> set[str]:
        """The fields the rules' conditions use."""
        return set().union(*(condition_fields(r.when) for r in self.rules if r.when))

    @property
    def edge_fields(self) -> tuple[str, ...]:
        """The numbers the conditions compare, which the engine rounds to `EDGE_PLACES` first."""
        numbers = (name for name, dtype in CONDITION_FIELDS.items() if dtype == pl.Float64)
        return tuple(name for name in numbers if name in self.fields)

    @property
    def needs_target(self) -> bool:
        """A scheme whose conditions use the target rates only figures that have one."""
        return bool(self.fields & TARGET_FIELDS)

    def _chosen(self) -> pl.Expr:
        """The number (from 1) of the first rule that holds; null where none does."""
        chosen = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.Int32))
        for number, rule in enumerate(self.rules, start=1):
            holds = pl.lit(True) if rule.when is None else parse_condition(rule.when)
            chosen = chosen.when(holds).then(pl.lit(number, dtype=pl.Int32))
        return chosen

    def rate(self) -> Rating:
        number = self._chosen()
        rags = {n: r.rag for n, r in enumerate(self.rules, start=1)}
        rag = number.replace_strict(rags, default="no_status", return_dtype=pl.String)
        said = {n: f" (rule {n}: {r.meaning})" for n, r in enumerate(self.rules, start=1)}
        rule_words = number.replace_strict(
            said, default=" (no rule applies)", return_dtype=pl.String
        )
        has_target = pl.col("target").is_not_null()
        phrase = only(has_target, variance_phrase(self.percentages))
        reference = only(has_target, pl.col("target_text"))
        tail = (progress_words(),) if "progress" in self.fields else ()
        return Rating(rag, phrase, reference, (*tail, rule_words))

    def key(self) -> list[tuple[str, str]]:
        """Each rating the rules give, with their meanings (joined where rules share one)."""
        meanings: dict[str, list[str]] = {}
        for rule in self.rules:
            meanings.setdefault(RAG_LABELS[rule.rag], []).append(rule.meaning)
        return [
            (label, "; or ".join([said[0], *(m[:1].lower() + m[1:] for m in said[1:])]))
            for label, said in meanings.items()
        ]


def _rules(config) -> Rules:
    rules = tuple(Rule(r.rag, r.when, r.meaning) for r in config.rules)
    return Rules(rules=rules, percentages=config.percentages)


def _bands(config) -> VarianceBands:
    bands = tuple(Band(b.rag, b.min_pct) for b in config.bands)
    return VarianceBands(bands=bands, percentages=config.percentages)


@dataclass(frozen=True)
class Kind:
    """A kind of rating scheme (`boardpack.catalogue.kinds.SchemeKind`): the model its
    `rating_schemes:` entries are checked by, the polarities it rates, and `make`, which builds
    the scheme from a checked entry."""

    name: str
    config: type[BaseModel]
    polarities: frozenset[str]
    make: Callable[[BaseModel], RatingScheme]

    def scheme(self, config: BaseModel) -> RatingScheme:
        return self.make(config)


RATED = frozenset({"higher_better", "lower_better"})
for _kind in (
    Kind(
        "threshold",
        ThresholdScheme,
        RATED,
        lambda config: Threshold(percentages=config.percentages),
    ),
    Kind("variance_bands", VarianceBandsScheme, RATED, _bands),
    Kind(
        "in_band",
        InBandScheme,
        frozenset({"in_band"}),
        lambda config: InBand(band=config.band, tolerance=config.tolerance),
    ),
    Kind("none", NoneScheme, RATED | {"in_band", "none"}, lambda config: NoRating()),
    Kind("rules", RulesScheme, RATED | {"in_band", "none"}, _rules),
):
    register_kind(_kind)

DEFAULT_SCHEMES: dict[str, RatingScheme] = {
    "threshold": Threshold(),
    "none": NoRating(),
    "variance_bands": VarianceBands(
        bands=(Band("green", 0), Band("green_amber", -10), Band("red_amber", -20), Band("red"))
    ),
    "in_band": InBand(band=5, tolerance=10),
    "info_only": Rules(rules=(Rule("no_status", None, "For information only"),), name="info_only"),
}


def make_scheme(name: str, config: dict | BaseModel) -> RatingScheme:
    """Build the named scheme instance a project configures, e.g. a council's four bands."""
    given = config.model_dump() if isinstance(config, BaseModel) else config
    kinds = scheme_kinds()
    if given["kind"] not in kinds:
        raise ValueError(
            f'Unknown rating scheme kind "{given["kind"]}"; use one of {", ".join(kinds)}'
        )
    kind = kinds[given["kind"]]
    scheme = kind.scheme(kind.config.model_validate(given))
    object.__setattr__(scheme, "name", name)
    return scheme
