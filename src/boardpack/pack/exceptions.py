"""Which indicators a paper reports in full: the exceptions members must discuss.

`indicator_pages` (per layout in boardpack.yaml, else the layout's default) says which
indicators get a page of their own: `all`, `none`, or `exceptions`: those called in, rated
Red, newly worse by a rating step, restated since the last pack, or named in
`paper.discuss`. Every other indicator stays in the layout's summary and appendix tables.
Each test is one small function in `EXCEPTION_TESTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .inputs import PackInput
from .words import RAG_LABELS

#: Ratings from best to worst: a step down this list is a worse rating.
RAG_RANK = {"green": 0, "green_amber": 1, "amber": 2, "red_amber": 3, "red": 4}


@dataclass(frozen=True)
class Facts:
    """What the tests look at beyond an indicator's row."""

    called_in: dict[str, str]
    restated: set[str]
    discuss: set[str]


def worse_by_a_step(row: dict) -> bool:
    """Rated worse than last period (both periods rated)."""
    now, before = RAG_RANK.get(row.get("rag")), RAG_RANK.get(row.get("previous_rag"))
    return now is not None and before is not None and now > before


def _called_in(row: dict, facts: Facts) -> str | None:
    reason = facts.called_in.get(row["indicator"])
    return f"called in ({reason})" if reason else None


def _red(row: dict, facts: Facts) -> str | None:
    return "rated Red" if row.get("rag") == "red" else None


def _worse(row: dict, facts: Facts) -> str | None:
    if not worse_by_a_step(row):
        return None
    return f"worse by a rating step ({RAG_LABELS[row['previous_rag']]} to {RAG_LABELS[row['rag']]})"


def _restated(row: dict, facts: Facts) -> str | None:
    return "figures restated since the last pack" if row["indicator"] in facts.restated else None


def _discuss(row: dict, facts: Facts) -> str | None:
    return "named for discussion" if row["indicator"].lower() in facts.discuss else None


EXCEPTION_TESTS: list[Callable[[dict, Facts], str | None]] = [
    _called_in,
    _red,
    _worse,
    _restated,
    _discuss,
]
MODES = ("all", "exceptions", "none")


def facts(pack: PackInput, discuss: tuple[str, ...] = ()) -> Facts:
    frame = pack.call_in
    called = (
        dict(zip(frame["indicator"].to_list(), frame["call_in_reason"].to_list(), strict=True))
        if not frame.is_empty() and "indicator" in frame.columns
        else {}
    )
    return Facts(
        called_in=called,
        restated={item.indicator for item in pack.restatements},
        discuss={ref.lower() for ref in discuss},
    )


def exception_reasons(pack: PackInput, discuss: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Each exception's reference with why it is one, in the rows' order."""
    known = facts(pack, discuss)
    found: dict[str, list[str]] = {}
    for row in pack.rows.iter_rows(named=True):
        reasons = [r for test in EXCEPTION_TESTS if (r := test(row, known))]
        if reasons and row["indicator"] not in found:
            found[row["indicator"]] = reasons
    return found


def indicator_pages(pack: PackInput, layout) -> str:
    """The layout's `indicator_pages` for this project: its own setting, else the layout's."""
    chosen = pack.project.layout_options(layout.name).indicator_pages
    return chosen or getattr(layout, "indicator_pages", "all")


def reported_in_full(pack: PackInput, layout, refs: list[str]) -> list[str]:
    """Of `refs`, those given a page of their own in this layout, in the same order."""
    mode = indicator_pages(pack, layout)
    if mode == "none":
        return []
    if mode == "all":
        return list(refs)
    discuss = tuple(pack.project.paper_for(layout.name).discuss)
    reasons = exception_reasons(pack, discuss)
    return [ref for ref in refs if ref in reasons]
