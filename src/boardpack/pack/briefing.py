"""The executive summary in plain English, led by exceptions, from the data alone: what changed
since the last pack (new Reds, recoveries, other indicators worse by a rating step, restated
figures), what is being done (the actions recorded for those indicators), the counts of
ratings in the seed papers' words, and what members are asked to do. Every sentence is a
template filled from the figures; nothing is invented."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from .exceptions import RAG_RANK, worse_by_a_step
from .inputs import PackInput
from .report import counts_sentence, number_words
from .words import RAG_LABELS

RECOVERED_FROM = ("amber", "red_amber", "red")


@dataclass(frozen=True)
class Change:
    """One indicator in a group of changes: its reference, title, link and what moved."""

    ref: str
    title: str
    href: str
    detail: str


@dataclass(frozen=True)
class ChangeGroup:
    """A sentence heading a list of indicators ("Two indicators became Red:")."""

    key: str
    sentence: str
    items: list[Change]


@dataclass(frozen=True)
class Briefing:
    counts: str
    groups: list[ChangeGroup]
    unchanged: str | None
    actions: list[tuple[Change, Markup]] = field(default_factory=list)
    #: Whether some of those indicators' actions are on their own pages instead.
    actions_elsewhere: bool = False


def _indicators(count: int) -> str:
    return f"{number_words(count).capitalize()} indicator{'' if count == 1 else 's'}"


def _moved(row: dict) -> str:
    return f"{RAG_LABELS[row['previous_rag']]} to {RAG_LABELS[row['rag']]}"


def _new_red(row: dict) -> bool:
    return (
        row.get("rag") == "red"
        and row.get("previous_rag") in RAG_RANK
        and row["previous_rag"] != "red"
    )


def _recovered(row: dict) -> bool:
    return row.get("rag") == "green" and row.get("previous_rag") in RECOVERED_FROM


def _worsened(row: dict) -> bool:
    return worse_by_a_step(row) and not _new_red(row)


#: Each change: key, test of a row, and the verb phrase after "N indicator(s)".
CHANGES = (
    ("new_red", _new_red, ("became Red", "became Red")),
    ("recovered", _recovered, ("recovered to Green", "recovered to Green")),
    ("worsened", _worsened, ("is rated a step worse", "are rated a step worse")),
)


def change_groups(pack: PackInput, views: dict) -> list[ChangeGroup]:
    """What changed since the last pack, a group per kind of change that has any."""
    rows = [
        r
        for r in pack.rows.iter_rows(named=True)
        if r["indicator"] in views and not r.get("stale")  # a stale figure moved before then
    ]
    groups = []
    for key, test, (one, many) in CHANGES:
        items = [
            Change(
                r["indicator"], views[r["indicator"]].title, views[r["indicator"]].href, _moved(r)
            )
            for r in rows
            if test(r)
        ]
        if items:
            verb = one if len(items) == 1 else many
            groups.append(
                ChangeGroup(key, f"{_indicators(len(items))} {verb} since the last pack:", items)
            )
    restated = list(
        dict.fromkeys(item.indicator for item in pack.restatements if item.indicator in views)
    )
    if restated:
        items = [
            Change(ref, views[ref].title, views[ref].href, "figures revised") for ref in restated
        ]
        verb = "has" if len(items) == 1 else "have"
        groups.append(
            ChangeGroup(
                "restated",
                f"{_indicators(len(items))} {verb} figures revised since the last pack:",
                items,
            )
        )
    return groups


def briefing(pack: PackInput, views: dict, in_full: set[str] | frozenset = frozenset()) -> Briefing:
    """The executive summary of a pack. The actions of an indicator in `in_full` (reported
    in full, or with its actions on the index page) are printed there, so not here."""
    groups = change_groups(pack, views)
    acted_on = [item for g in groups if g.key in ("new_red", "worsened") for item in g.items]
    with_actions = [item for item in acted_on if views[item.ref].sections.get("actions")]
    actions = [
        (item, views[item.ref].sections["actions"])
        for item in with_actions
        if item.ref not in in_full
    ]
    unchanged = (
        None if groups else "No indicator became Red, recovered or worsened since the last pack."
    )
    return Briefing(
        counts=f"For {pack.period_label}, {counts_sentence(pack)}.",
        groups=groups,
        unchanged=unchanged,
        actions=actions,
        actions_elsewhere=len(actions) < len(with_actions),
    )
