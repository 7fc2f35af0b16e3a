"""Checks that compare one part of the project file with another.

Each rule is a small function taking the validated `Project` and yielding `Finding`s: one
concern per rule, all run, every finding reported. Add a rule by writing a function and
listing it in `RULES`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .conditions import ConditionError, parse_condition
from .errors import did_you_mean
from .kinds import scheme_kinds
from .models import BUILTIN_SCHEMES, Band, Indicator, Project

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """A problem at `loc` (a path into the file, e.g. ('indicators', 3, 'polarity'))."""

    loc: Loc
    message: str


Rule = Callable[[Project], Iterator[Finding]]


def _indicators(project: Project) -> Iterator[tuple[int, Indicator]]:
    return iter(enumerate(project.indicators))


def _scheme_kind(project: Project, name: str) -> str | None:
    scheme = project.rating_schemes.get(name) or BUILTIN_SCHEMES.get(name)
    return scheme.kind if scheme else None


@functools.lru_cache(maxsize=4096)  # a catalogue names the same few periods thousands of times
def _period_problem(label: str, frequency: str | None) -> str | None:
    """The message if `label` is not a period, else None."""
    from boardpack.periods import PeriodError, parse_period

    try:
        parse_period(label, frequency)
    except PeriodError as error:
        return str(error)
    return None


# -- indicators ----------------------------------------------------------------------------


def refs_unique(project: Project) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, ind in _indicators(project):
        first = seen.setdefault(ind.ref.lower(), i)
        if first != i:
            yield Finding(
                ("indicators", i, "ref"),
                f'"{ind.ref}" is used twice (also indicators[{first}]); references must be unique, ignoring case',
            )


def _schemes_from(project: Project) -> Iterator[tuple[Loc, Indicator, str]]:
    """Each indicator's schemes from a period on: (where, indicator, scheme name)."""
    for i, ind in _indicators(project):
        for j, entry in enumerate(ind.schemes):
            yield ("indicators", i, "schemes", j, "scheme"), ind, entry.scheme


def scheme_names_exist(project: Project) -> Iterator[Finding]:
    known = [*project.rating_schemes, *BUILTIN_SCHEMES]
    named = [(("settings", "default_rating_scheme"), project.settings.default_rating_scheme)]
    named += [
        (("indicators", i, "rating_scheme"), ind.rating_scheme) for i, ind in _indicators(project)
    ]
    named += [(loc, name) for loc, _, name in _schemes_from(project)]
    for loc, name in named:
        if name is not None and name not in known:
            yield Finding(
                loc,
                f'no rating scheme "{name}"{did_you_mean(name, known)}; '
                f"use a built-in kind ({', '.join(BUILTIN_SCHEMES)}) or a name under rating_schemes",
            )


def scheme_names_not_builtin(project: Project) -> Iterator[Finding]:
    for name in project.rating_schemes:
        if name in BUILTIN_SCHEMES:
            yield Finding(
                ("rating_schemes", name),
                f'"{name}" is the name of a built-in kind; give this scheme another name',
            )


def scheme_fits_polarity(project: Project) -> Iterator[Finding]:
    named = [
        (("indicators", i, "rating_scheme" if ind.rating_scheme else "polarity"), ind, None)
        for i, ind in _indicators(project)
    ]
    for loc, ind, name in [*named, *_schemes_from(project)]:
        name = name or ind.scheme_name(project.settings)
        kind = _scheme_kind(project, name)
        fits_polarities = scheme_kinds()[kind].polarities if kind else ()
        if kind and ind.polarity not in fits_polarities:
            fits = ", ".join(sorted(fits_polarities))
            yield Finding(
                loc,
                f'the rating scheme "{name}" ({kind}) cannot rate an indicator with polarity '
                f"{ind.polarity}; it rates {fits}. Choose another rating_scheme (none for no rating)",
            )


def scheme_periods_parse(project: Project) -> Iterator[Finding]:
    for i, ind in _indicators(project):
        for j, entry in enumerate(ind.schemes):
            problem = _period_problem(entry.from_, ind.frequency)
            if problem:
                yield Finding(("indicators", i, "schemes", j, "from"), problem)


def target_periods_parse(project: Project) -> Iterator[Finding]:
    for i, ind in _indicators(project):
        for j, entry in enumerate(ind.targets):
            problem = entry.period and _period_problem(entry.period, ind.frequency)
            if problem:
                yield Finding(("indicators", i, "targets", j, "period"), problem)


def baseline_periods_parse(project: Project) -> Iterator[Finding]:
    for i, ind in _indicators(project):
        problem = ind.baseline and _period_problem(ind.baseline.period, None)
        if problem:
            yield Finding(("indicators", i, "baseline", "period"), problem)


def targets_not_repeated(project: Project) -> Iterator[Finding]:
    for i, ind in _indicators(project):
        seen: dict[object, int] = {}
        for j, entry in enumerate(ind.targets):
            key = entry.from_ or _period_key(entry.period, ind.frequency)
            first = seen.setdefault(key, j)
            if first != j:
                field = "from" if entry.from_ else "period"
                yield Finding(
                    ("indicators", i, "targets", j, field),
                    f"targets[{first}] already sets a target for this {field}; keep one entry",
                )


@functools.lru_cache(maxsize=4096)
def _period_key(label: str | None, frequency: str) -> object:
    from boardpack.periods import PeriodError, parse_period

    try:
        return parse_period(label or "", frequency)
    except PeriodError:
        return ("unread", label)


_FLOOR_SIDE = {  # polarity -> (floor is fine when, how to say so)
    "higher_better": (lambda floor, target: floor <= target, "at or below"),
    "lower_better": (lambda floor, target: floor >= target, "at or above"),
}


def floors_on_right_side(project: Project) -> Iterator[Finding]:
    for i, ind in _indicators(project):
        for j, entry in enumerate(ind.targets):
            if entry.floor is None:
                continue
            loc = ("indicators", i, "targets", j, "floor")
            if ind.polarity == "in_band":
                yield Finding(
                    loc, "in_band indicators do not use a floor; give band and tolerance instead"
                )
            elif ind.polarity in _FLOOR_SIDE:
                fine, side = _FLOOR_SIDE[ind.polarity]
                if not fine(entry.floor, entry.target):
                    yield Finding(
                        loc,
                        f"floor {entry.floor:g} is on the wrong side of target {entry.target:g}: "
                        f"with polarity {ind.polarity} the floor must be {side} the target",
                    )


def band_only_for_in_band(project: Project) -> Iterator[Finding]:
    for i, ind in _indicators(project):
        name = ind.scheme_name(project.settings)
        for j, entry in enumerate(ind.targets):
            loc = ("indicators", i, "targets", j)
            given = [key for key in ("band", "tolerance") if getattr(entry, key) is not None]
            message = _band_problem(given, name, _scheme_kind(project, name))
            if message:
                yield Finding((*loc, given[0]) if given else loc, message)


def _band_problem(given: list[str], name: str, kind: str | None) -> str | None:
    if given and kind != "in_band":
        return f"{given[0]} only applies to in_band rating schemes (this indicator uses {name})"
    if len(given) == 1:
        return "give band and tolerance together"
    return None


# -- rating schemes ------------------------------------------------------------------------


def variance_bands_ordered(project: Project) -> Iterator[Finding]:
    for name, scheme in project.rating_schemes.items():
        if scheme.kind == "variance_bands":
            yield from _bands_ordered(name, scheme.bands)


def _bands_ordered(name: str, bands: list[Band]) -> Iterator[Finding]:
    previous = None
    for k, band in enumerate(bands):
        loc = ("rating_schemes", name, "bands", k, "min_pct")
        if band.min_pct is None and k != len(bands) - 1:
            yield Finding(
                loc, "only the last band may leave out min_pct (it catches everything else)"
            )
        elif previous is not None and band.min_pct is not None and band.min_pct >= previous:
            yield Finding(
                loc,
                f"min_pct {band.min_pct:g} is not below the band before ({previous:g}); "
                "list bands from best to worst, each min_pct lower than the one before",
            )
        previous = band.min_pct if band.min_pct is not None else previous


def rule_conditions_valid(project: Project) -> Iterator[Finding]:
    """Every rule of a `rules` scheme has a condition that parses and names known fields,
    except the last, which may have none (it catches everything else)."""
    for name, scheme in project.rating_schemes.items():
        if scheme.kind != "rules":
            continue
        last = len(scheme.rules) - 1
        for k, rule in enumerate(scheme.rules):
            loc = ("rating_schemes", name, "rules", k, "when")
            where = f'rule {k + 1} of the rating scheme "{name}"'
            if rule.when is None and k != last:
                yield Finding(
                    loc,
                    f"{where} has no condition (when:); only the last rule may leave it out, "
                    "as it catches everything else",
                )
            elif rule.when is not None:
                try:
                    parse_condition(rule.when)
                except ConditionError as error:
                    yield Finding(loc, f"{where}: {error}")


def in_band_tolerance_wider(project: Project) -> Iterator[Finding]:
    """Amber must be at least as wide as Green, in a scheme and on a target that gives both."""
    widths = [
        (("rating_schemes", name), s)
        for name, s in project.rating_schemes.items()
        if s.kind == "in_band"
    ]
    widths += [
        (("indicators", i, "targets", j), e)
        for i, ind in _indicators(project)
        for j, e in enumerate(ind.targets)
        if e.band is not None and e.tolerance is not None
    ]
    for loc, given in widths:
        if given.tolerance < given.band:
            yield Finding(
                (*loc, "tolerance"),
                f"tolerance {given.tolerance:g} is narrower than band {given.band:g}; "
                "Amber (tolerance) must be at least as wide as Green (band)",
            )


# -- data, commentary and overrides --------------------------------------------------------


def tracker_sources_complete(project: Project) -> Iterator[Finding]:
    for k, source in enumerate(project.data):
        if source.format == "tracker" and not source.rows:
            yield Finding(
                ("data", k), "a tracker needs rows: (row label -> field, e.g. Result: value)"
            )
        if source.format != "tracker":
            for key in ("rows", "indicator_column"):
                if getattr(source, key):
                    yield Finding(("data", k, key), f"{key} only applies to format: tracker")


def record_measures_have_records(project: Project) -> Iterator[Finding]:
    """An indicator computed from client-level records needs the records: section."""
    if project.records is not None:
        return
    for i, ind in _indicators(project):
        if ind.source is not None:
            yield Finding(
                ("indicators", i, "source", "records"),
                f"{ind.ref} takes its figures from the records measure {ind.source.records}, "
                "but the project names no records; add a records: section with the Client "
                "Level Data submission files",
            )


def commentary_periods_parse(project: Project) -> Iterator[Finding]:
    frequencies = sorted({ind.frequency for ind in project.indicators})
    for k, entry in enumerate(project.commentary):
        problems = [_period_problem(entry.period, f) for f in (None, *frequencies)]
        if all(problems):
            yield Finding(("commentary", k, "period"), problems[0])


def overrides_name_indicators(project: Project) -> Iterator[Finding]:
    refs = {ref.lower() for ref in project.refs()}
    for k, entry in enumerate(project.overrides):
        if entry.indicator.lower() not in refs:
            yield Finding(
                ("overrides", k, "indicator"),
                f'no indicator "{entry.indicator}" in the catalogue{did_you_mean(entry.indicator, project.refs())}',
            )


def discussed_indicators_exist(project: Project) -> Iterator[Finding]:
    refs = {ref.lower() for ref in project.refs()}
    papers = [(("paper",), project.paper)] + [
        (("layouts", name, "paper"), options.paper)
        for name, options in project.layouts.items()
        if options.paper is not None
    ]
    for loc, paper in papers:
        for k, ref in enumerate(paper.discuss):
            if ref.lower() not in refs:
                yield Finding(
                    (*loc, "discuss", k),
                    f'no indicator "{ref}" in the catalogue{did_you_mean(ref, project.refs())}',
                )


def override_periods_parse(project: Project) -> Iterator[Finding]:
    for k, entry in enumerate(project.overrides):
        try:
            frequency = project.indicator(entry.indicator).frequency
        except KeyError:
            frequency = None
        problem = _period_problem(entry.period, frequency)
        if problem:
            yield Finding(("overrides", k, "period"), problem)


def overrides_not_repeated(project: Project) -> Iterator[Finding]:
    """One manual rating per indicator, organisation and period."""
    seen: dict[object, int] = {}
    for k, entry in enumerate(project.overrides):
        try:
            frequency = project.indicator(entry.indicator).frequency
        except KeyError:
            continue
        period = _period_key(entry.period, frequency)
        key = (entry.indicator.lower(), entry.organisation or project.organisation.code, period)
        first = seen.setdefault(key, k)
        if first != k:
            yield Finding(
                ("overrides", k, "period"),
                f"overrides[{first}] already rates {entry.indicator} for this period; keep one entry",
            )


def override_reasons_given(project: Project) -> Iterator[Finding]:
    for k, entry in enumerate(project.overrides):
        if not entry.reason.strip():
            yield Finding(
                ("overrides", k, "reason"),
                "a manual rating needs a reason; it is published with the rating",
            )


RULES: list[Rule] = [
    refs_unique,
    scheme_names_exist,
    scheme_names_not_builtin,
    scheme_fits_polarity,
    target_periods_parse,
    baseline_periods_parse,
    scheme_periods_parse,
    targets_not_repeated,
    floors_on_right_side,
    band_only_for_in_band,
    variance_bands_ordered,
    in_band_tolerance_wider,
    rule_conditions_valid,
    tracker_sources_complete,
    record_measures_have_records,
    commentary_periods_parse,
    overrides_name_indicators,
    override_periods_parse,
    overrides_not_repeated,
    override_reasons_given,
    discussed_indicators_exist,
]


def check(project: Project, rules: list[Rule] = RULES) -> list[Finding]:
    """Every finding of every rule."""
    return [finding for rule in rules for finding in rule(project)]
