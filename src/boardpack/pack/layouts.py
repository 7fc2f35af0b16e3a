"""Layouts: named ways of arranging a pack, kept in a registry so a council can add its own.

A layout (`PackLayout`) names its two templates (the index page and the page for each
indicator) and a function that arranges the reported indicators into headed groups. A
council's own layout may bring its own templates (`templates`, a folder); they can extend
Boardpack's `base.html` and import its `macros.html`. `register_layout` adds one in code; a
plugin's `layouts` hook adds them from a package (`docs/hooks.md`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..plugins import Registry
from .inputs import PackInput
from .sections import SectionDefault


@dataclass(frozen=True)
class Group:
    """A heading (None for no heading) and the indicator references under it, in order."""

    heading: str | None
    refs: tuple[str, ...]


@runtime_checkable
class PackLayout(Protocol):
    """A way of arranging a pack: its `name`, `title` and `description`; the templates of its
    index page and of each indicator's page (found in `templates`, a folder of the layout's
    own, then among Boardpack's); `arrange`, which puts the reported indicators into headed
    `Group`s; `source`, what it is built from ("period" or "national"); and `extra`, more for
    the templates (None for nothing more)."""

    name: str
    title: str
    description: str
    index_template: str
    indicator_template: str
    arrange: Callable[[PackInput], list[Group]]
    source: str
    extra: Callable[[PackInput, dict], dict] | None
    templates: Path | None


@dataclass(frozen=True)
class Layout:
    """A layout may also name its index page's `sections`, whether it prints a page for
    `indicator_pages` "all", "exceptions" or "none", its default `recommendation`, and whether
    its title is prefixed by the directorate (`titled_by_directorate`).

    `source` says what a layout is built from: "period" (a period's indicators, arranged into
    groups) or "national" (a national publication: `boardpack.benchmarking`). `extra`, given
    the pack and the indicator views by reference, returns more for the templates; any charts it
    lists under "charts" are rendered with the indicators' own."""

    name: str
    title: str
    description: str
    index_template: str
    indicator_template: str
    arrange: Callable[[PackInput], list[Group]]
    source: str = "period"
    extra: Callable[[PackInput, dict], dict] | None = None
    templates: Path | None = None
    #: The index page's sections, in order, with neutral titles (`sections.py`).
    sections: tuple[SectionDefault, ...] = ()
    #: all, exceptions or none (`exceptions.py`); a project may choose otherwise.
    indicator_pages: str = "all"
    #: The recommendation the layout's seed paper made, with {committee} and {title}; None
    #: for none.
    recommendation: str | None = None
    #: Whether the paper's default title is the directorate's name before the layout's title.
    titled_by_directorate: bool = False
    #: Whether the index page prints the indicators' actions itself (the executive summary
    #: then does not repeat them).
    actions_on_index: bool = False
    #: Whether the printed documents carry a contents list (a two-page summary needs none).
    print_contents: bool = True


#: Every layout by name (`layouts()` adds the installed plugins' first).
LAYOUTS = Registry("layouts", PackLayout)
OTHER_PERSPECTIVE = "Other measures"


def register_layout(layout: PackLayout) -> None:
    """Add a layout (or replace one of the same name)."""
    LAYOUTS.register(layout)


def layouts() -> Registry:
    """Every layout: Boardpack's, those registered in code and the installed plugins'."""
    return LAYOUTS.loaded()


def get_layout(name: str) -> PackLayout:
    """The layout called `name`, or an error listing the layouts there are."""
    known = layouts()
    if name not in known:
        raise KeyError(
            f'there is no layout called "{name}"; choose one of: {", ".join(sorted(known))}'
        )
    return known[name]


def catalogue_order(pack: PackInput) -> list[str]:
    """The reported indicators in the order the catalogue lists them; others after, as given."""
    reported = list(dict.fromkeys(pack.rows["indicator"].to_list()))
    position = {ref: i for i, ref in enumerate(pack.project.refs())}
    return sorted(reported, key=lambda ref: position.get(ref, len(position)))


def perspective_of(pack: PackInput, ref: str) -> str:
    """The indicator's scorecard perspective, from the catalogue or else its row."""
    try:
        perspective = pack.project.indicator(ref).perspective
    except KeyError:
        perspective = None
    if perspective is None and "perspective" in pack.rows.columns:
        rows = pack.rows.filter(pack.rows["indicator"] == ref)["perspective"]
        perspective = rows[0] if len(rows) else None
    return perspective or OTHER_PERSPECTIVE


def in_catalogue_order(pack: PackInput) -> list[Group]:
    """One group of every indicator, in catalogue order."""
    return [Group(None, tuple(catalogue_order(pack)))]


def by_perspective(pack: PackInput) -> list[Group]:
    """One group per perspective, in the order they first appear in the catalogue; measures with
    no perspective come last, under "Other measures"."""
    groups: dict[str, list[str]] = {}
    for ref in catalogue_order(pack):
        groups.setdefault(perspective_of(pack, ref), []).append(ref)
    other = groups.pop(OTHER_PERSPECTIVE, None)
    if other:
        groups[OTHER_PERSPECTIVE] = other
    return [Group(heading, tuple(refs)) for heading, refs in groups.items()]


def sections(*pairs: tuple[str, str] | tuple[str, str, str]) -> tuple[SectionDefault, ...]:
    return tuple(SectionDefault(*pair) for pair in pairs)


#: The paper's own parts (`templates/paper.html`), by id and neutral title.
PURPOSE = ("purpose", "Summary")
EXECUTIVE_SUMMARY = ("executive-summary", "Executive summary")
INTRODUCTION = ("introduction", "Introduction")
FOREWORD = ("foreword", "Foreword")
IN_FULL = ("in-full", "Indicators reported in full")
RECOMMENDATIONS = ("recommendations", "Recommendations")
BACKGROUND = ("background-documents", "Background documents")
AUTHOR = ("author", "Report author")
APPENDICES = ("appendices", "Appendices")
TRANSLATION = ("translation", "Help in your own language")
SUMMARY_ONLY = ("summary-only", "Appendix: indicators in the tables only")
TECHNICAL_NOTES = ("technical-notes", "Appendix: technical notes")
CALL_IN = (
    "call-in",
    "Indicators called in for the performance assurance panel",
    "Red indicators, and those Amber for {amber_periods} or more consecutive periods, are "
    "called in for discussion by the performance assurance panel.",
)

register_layout(
    Layout(
        name="quarterly-report",
        title="Quarterly Performance Report",
        description="Contents, rating keys, executive summary, the panel's call-in list, a summary "
        "table, then a page per indicator with its trend, chart and commentary.",
        index_template="quarterly/index.html",
        indicator_template="quarterly/indicator.html",
        arrange=in_catalogue_order,
        sections=sections(
            PURPOSE,
            FOREWORD,
            INTRODUCTION,
            ("keys", "Key to ratings, direction of travel and SPC icons"),
            EXECUTIVE_SUMMARY,
            CALL_IN,
            ("summary", "Summary of indicators"),
            (
                "reports",
                "Indicator reports",
                "Each indicator reported in full has its own page: who owns it, how it is "
                "measured, its trend against target, the reason for its rating, commentary, "
                "actions, risks and the panel's discussion.",
            ),
            RECOMMENDATIONS,
            BACKGROUND,
            AUTHOR,
            APPENDICES,
            TECHNICAL_NOTES,
            TRANSLATION,
        ),
    )
)

register_layout(
    Layout(
        name="scorecard",
        title="Balanced Scorecard",
        description="Measures grouped by perspective; each shows target, latest performance, "
        "rating, direction of travel and data period, then performance details.",
        index_template="scorecard/index.html",
        indicator_template="scorecard/indicator.html",
        arrange=by_perspective,
        sections=sections(
            PURPOSE,
            INTRODUCTION,
            FOREWORD,
            ("keys", "Keys"),
            EXECUTIVE_SUMMARY,
            ("measures", "Measures by perspective"),
            RECOMMENDATIONS,
            BACKGROUND,
            AUTHOR,
            APPENDICES,
            TECHNICAL_NOTES,
            TRANSLATION,
        ),
        indicator_pages="exceptions",
        actions_on_index=True,
    )
)

register_layout(
    Layout(
        name="benchmarking",
        title="Benchmarking",
        description="One council's position among all councils on every measure of a national "
        "publication (ASCOF): a spine chart, ranks and quartiles against England, its region, "
        "council type and named groups, and rank over time. Needs a benchmarking: section; "
        "--all-organisations builds it for every council.",
        index_template="benchmarking/all.html",  # --all-organisations: every council
        indicator_template="benchmarking/council.html",  # one council
        arrange=lambda pack: [],
        source="national",
    )
)


def by_kpi(pack: PackInput) -> list[Group]:
    """One group per KPI of the appendix (`kpi.by_kpi`)."""
    from .kpi import by_kpi as groups

    return groups(pack)


def report_extra(pack: PackInput, views: dict) -> dict:
    """Narrative, budget, risks and commitments for the templates (`report.report_context`)."""
    from .report import report_context

    return report_context(pack, views)


def kpi_extra(pack: PackInput, views: dict) -> dict:
    """The appendix's KPIs and their series charts (`kpi.kpi_context`)."""
    from .kpi import kpi_context

    return kpi_context(pack, views)


register_layout(
    Layout(
        name="delivery-unit",
        title="Delivery Unit Report",
        description="A delivery unit's quarterly report: dashboard, achievements and challenges, "
        "indicators by type, those not meeting target with comments, commitments, revenue and "
        "capital budgets, risk heat map and register, equalities and customer experience.",
        index_template="delivery_unit/index.html",
        indicator_template="quarterly/indicator.html",
        arrange=in_catalogue_order,
        extra=report_extra,
        sections=sections(
            ("dashboard", "Dashboard"),
            PURPOSE,
            INTRODUCTION,
            ("foreword", "Foreword"),
            EXECUTIVE_SUMMARY,
            ("achievements", "Top achievements and actions"),
            ("summary-of-performance", "Summary of performance"),
            ("performance", "Performance"),
            ("commitments", "Commissioning intentions"),
            ("finance", "Financial"),
            ("risk", "Risk"),
            ("equalities", "Equalities"),
            ("customer-experience", "Customer experience"),
            RECOMMENDATIONS,
            BACKGROUND,
            AUTHOR,
            ("appendix-met", "Appendix A: indicators that met or exceeded their target"),
            ("appendix-unrated", "Appendix B: indicators with no rating"),
            APPENDICES,
            TECHNICAL_NOTES,
            TRANSLATION,
        ),
        # As the report it follows: its tables and comments, no page per indicator.
        indicator_pages="none",
        actions_on_index=True,
    )
)

register_layout(
    Layout(
        name="committee-dashboard",
        title="Performance Dashboard",
        description="A cabinet committee's cover paper: the counts of ratings in words, what the "
        "ratings mean, recommendations, and the dashboard as an appendix.",
        index_template="committee/index.html",
        indicator_template="quarterly/indicator.html",
        arrange=in_catalogue_order,
        extra=report_extra,
        sections=sections(
            PURPOSE,
            INTRODUCTION,
            FOREWORD,
            (
                "ratings",
                "How results are rated",
                "Performance results are assigned a rating on the following basis:",
            ),
            (
                "summary-of-performance",
                "Summary of performance",
                "The {title} reports {count} indicators; those with a target are rated against it.",
            ),
            IN_FULL,
            RECOMMENDATIONS,
            BACKGROUND,
            AUTHOR,
            APPENDICES,
            ("dashboard", "Appendix A: {title}"),
            TECHNICAL_NOTES,
            TRANSLATION,
        ),
        indicator_pages="exceptions",
        recommendation="The {committee} is asked to CONSIDER and COMMENT on the {title}.",
        titled_by_directorate=True,
    )
)

register_layout(
    Layout(
        name="kpi-appendix",
        title="Key Performance Indicators and Activity",
        description="Each KPI with its chart (target dotted, floor dashed), technical notes, "
        "tags and commentary; activity measures a line each with no target.",
        index_template="kpi/index.html",
        indicator_template="quarterly/indicator.html",
        arrange=by_kpi,
        extra=kpi_extra,
        sections=sections(
            PURPOSE,
            INTRODUCTION,
            FOREWORD,
            EXECUTIVE_SUMMARY,
            ("kpis", "Key performance indicators"),
            ("activity", "Activity measures"),
            ("keys", "Key to ratings and direction of travel"),
            RECOMMENDATIONS,
            BACKGROUND,
            AUTHOR,
            APPENDICES,
            TRANSLATION,
        ),
        # The appendix prints every KPI with its chart, notes and commentary already.
        indicator_pages="none",
        actions_on_index=True,
        titled_by_directorate=True,
    )
)

register_layout(
    Layout(
        name="member-summary",
        title="Performance Summary for Members",
        description="Two pages for members who read no more: the cover block, an executive "
        "summary led by what changed, every indicator's rating in one table, and the "
        "indicators called in.",
        index_template="member/index.html",
        indicator_template="quarterly/indicator.html",
        arrange=in_catalogue_order,
        sections=sections(
            EXECUTIVE_SUMMARY,
            ("call-in", "Indicators called in"),
            ("summary", "Every indicator's rating"),
        ),
        indicator_pages="none",
        print_contents=False,
    )
)
