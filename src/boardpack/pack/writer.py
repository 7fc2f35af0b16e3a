"""Writes a pack as a self-contained static site: index.html, a page per indicator, and assets.

No page loads anything from the network: the stylesheet is copied into `assets/` and every
chart is inline SVG. The charts are handed to worker processes (started before the first chart
is built, `render.py`) in batches as the pages' views are built, so the workers draw while the
build goes on, and each page is written once its charts are drawn (`ChartsAsBuilt`); a chart
the project's chart store holds (`chart_store.py`) is not drawn again.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import partial
from importlib.resources import files
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)

from boardpack.engine.summary import summary_sentence
from boardpack.engine.vocab import RAGS
from boardpack.errors import BoardpackError, Problem

from .briefing import briefing
from .chart_memo import ChartMemo
from .chart_store import TEMPLATES, store_for
from .charts import Chart, DrawingCharts, start_charts
from .exceptions import exception_reasons, reported_in_full
from .inputs import PackInput
from .layouts import Layout, get_layout, layouts
from .markdown import render_markdown
from .paper import paper_view
from .records_quality import data_quality
from .render import SvgRenderer
from .sections import page_sections
from .views import IndicatorView, indicator_views, shown_statistics
from .words import (
    DEFAULT_RAG_MEANINGS,
    DIRECTION_MEANINGS,
    RAG_LABELS,
    direction_badge,
    rag_badge,
    rag_from_label,
    spc_icon_key,
)

CHARTS_PER_INDICATOR = 2  # the trend chart, and the SPC chart where there are enough figures
ALWAYS_SHOWN = ("green", "amber", "red")


def template_environment(compiled: Path | None = None) -> Environment:
    """The pack's templates (a layout's own folder first, where it has one): autoescaped and
    strict about missing names; with `compiled`, a folder where templates compiled once are
    kept for later builds (`TemplateCache`)."""
    own = [FileSystemLoader(layout.templates) for layout in layouts().values() if layout.templates]
    return Environment(
        loader=ChoiceLoader([*own, PackageLoader("boardpack.pack", "templates")]),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=None if compiled is None else TemplateCache(compiled),
    )


class TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept in a folder (beside the chart store), so a build does not compile
    every template again: Jinja keys each by its name and the checksum of its source, and
    writes it under a temporary name first. A folder that cannot be written to or read from
    keeps nothing; the template is compiled as usual."""

    #: Raised when the environment's options change (they are not part of Jinja's key).
    FORMAT = 1

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder), f"boardpack-{self.FORMAT}-%s.cache")
        self.folder = folder

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def make_environment(pack: PackInput) -> Environment:
    """The template environment of a period's pack, with badge filters; its compiled templates
    kept in the project's cache folder (`templates` beside the chart store's `charts`)."""
    store = store_for(pack.project.folder)
    env = template_environment(None if store is None else store.folder / TEMPLATES)
    display = pack.project.settings.direction_display
    arrows = display in ("arrow", "trend")
    env.filters.update(
        rag=rag_badge,
        direction=partial(direction_badge, icon=arrows),
        rag_code=rag_from_label,
        markdown=render_markdown,
        plain=plain_number,
    )
    env.globals.update(
        RAG_LABELS=RAG_LABELS,
        DIRECTION_MEANINGS=DIRECTION_MEANINGS,
        SPC_KEY=spc_icon_key(),
        shown_statistics=shown_statistics,
        show_trend=display == "trend",
    )
    return env


def plain_number(value: float) -> str:
    """A count or figure as printed in a numerator and denominator: 422, 22.59 (no separators)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def summary_columns(pack: PackInput) -> list[str]:
    """Ratings the summary table shows: Green, Amber and Red always, others when any are counted."""
    frame = pack.summary
    return [
        rag
        for rag in RAGS
        if rag in frame.columns and (rag in ALWAYS_SHOWN or frame[rag].fill_null(0).sum() > 0)
    ]


def summary_rows(pack: PackInput) -> list[dict]:
    """The summary frame's rows, each with a sentence of its counts in words."""
    rows = pack.summary.to_dicts()
    for row in rows:
        row["sentence"] = summary_sentence(row) if all(r in row for r in RAGS) else ""
    return rows


def copy_assets(out_dir: Path) -> None:
    assets = out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for item in files("boardpack.pack").joinpath("static").iterdir():
        if item.is_file():
            shutil.copyfile(str(item), assets / item.name)


def page_context(
    pack: PackInput, layout: Layout, views: dict[str, IndicatorView], extra: dict | None = None
) -> dict:
    """What every template receives; `extra` (from the layout's own hook) is added to it."""
    groups = layout.arrange(pack)
    ordered = [views[ref] for group in groups for ref in group.refs]
    paper = paper_view(pack, layout, narrative_text(pack, "recommendations"))
    reasons = exception_reasons(pack, paper.discuss)
    full = set(reported_in_full(pack, layout, [view.ref for view in ordered]))
    return (extra or {}) | {
        "pack": pack,
        "layout": layout,
        "organisation": pack.project.organisation.name,
        "period_label": pack.period_label,
        "groups": groups,
        "views": views,
        "ordered": ordered,
        "paper": paper,
        "sections": page_sections(
            pack,
            layout,
            section_defaults(layout),
            title=paper.title,
            count=str(len(ordered)),
            period=pack.period_label,
            amber_periods=str(pack.project.settings.call_in_amber_periods),
        ),
        "briefing": briefing(
            pack, views, set(views) if getattr(layout, "actions_on_index", False) else full
        ),
        "exception_reasons": reasons,
        "in_full": [(view, reasons.get(view.ref, [])) for view in ordered if view.ref in full],
        "summary_only": [view for view in ordered if view.ref not in full],
        "summary_columns": summary_columns(pack),
        "summary_rows": summary_rows(pack),
        "called_in": [v for v in views.values() if v.call_in_reason],
        "scheme_key": pack.scheme_key or DEFAULT_RAG_MEANINGS,
        "data_quality": data_quality(pack),
    }


def check_layout_options(pack: PackInput) -> None:
    """Every layout named under `layouts:` must be one there is."""
    known = layouts()
    unknown = [name for name in pack.project.layouts if name not in known]
    if unknown:
        raise BoardpackError(
            [
                Problem(
                    file="boardpack.yaml",
                    field="layouts",
                    value=name,
                    what=f'there is no layout called "{name}"',
                    fix=f"use one of: {', '.join(sorted(known))}",
                )
                for name in unknown
            ]
        )


def section_defaults(layout: Layout):
    """The layout's sections; for a layout that names none, those of the built-in layout
    whose index template it uses."""
    own = getattr(layout, "sections", ())
    if own:
        return own
    same = [
        other.sections
        for other in layouts().values()
        if other.index_template == layout.index_template and getattr(other, "sections", ())
    ]
    return same[0] if same else ()


def narrative_text(pack: PackInput, section: str) -> str | None:
    """A narrative section's Markdown for the period, or None."""
    frame = pack.report.narrative
    if frame.is_empty() or "section" not in frame.columns:
        return None
    rows = frame.filter(frame["section"] == section)["markdown"].to_list()
    return "\n\n".join(r for r in rows if r) or None


def write_indicator_pages(
    env: Environment,
    layout: Layout,
    context: dict,
    out_dir: Path,
    ready: Callable[[IndicatorView], object] | None = None,
) -> None:
    """Each indicator's page; `ready(view)` is called first (it waits for the view's charts
    to be drawn, where they are being drawn meanwhile)."""
    template = env.get_template(layout.indicator_template)
    (out_dir / "indicators").mkdir(parents=True, exist_ok=True)
    ordered = context["ordered"]
    for i, view in enumerate(ordered):
        if ready is not None:
            ready(view)
        html = template.render(
            context,
            view=view,
            root="../",
            previous=ordered[i - 1] if i > 0 else None,
            next=ordered[i + 1] if i + 1 < len(ordered) else None,
        )
        (out_dir / view.href).write_text(html, encoding="utf-8")


def period_layout(layout: str) -> Layout:
    """The layout named `layout`, which must be made of a period's indicators."""
    chosen = get_layout(layout)
    if chosen.source != "period":
        raise ValueError(
            f"the {layout} layout is built from a national publication, not a period's "
            f"indicators: `boardpack build --layout {layout}` builds it"
        )
    return chosen


def expected_charts(pack: PackInput, layout: str) -> int:
    """How many charts the pack's site in `layout` renders, at most (to size a renderer)."""
    chosen = period_layout(layout)
    return CHARTS_PER_INDICATOR * sum(len(group.refs) for group in chosen.arrange(pack))


def pack_renderer(pack: PackInput, layout: str, png_scale: float | None = None) -> SvgRenderer:
    """A renderer for the pack's charts in `layout`, with the project's chart store."""
    store = store_for(pack.project.folder)
    return SvgRenderer(expected_charts(pack, layout), png_scale=png_scale, store=store)


#: Charts handed to the workers at a time as a build makes them: the workers draw the first
#: while the next are built (and the pages are written while the last are drawn).
BATCH_CHARTS = 32


class ChartsAsBuilt:
    """A build's charts handed to `renderer` as their views are made, `BATCH_CHARTS` at a
    time, so the workers draw while the rest of the pack is built; `ready(view)` waits until
    the view's charts are drawn and filled in (those of earlier batches first), `ready()` until
    all are."""

    def __init__(self, renderer: SvgRenderer) -> None:
        self.renderer = renderer
        self.waiting: list[Chart] = []
        self.batches: list[DrawingCharts] = []
        self.batch_of: dict[str, int] = {}  # a view's ref -> the last batch with its charts
        self.filled = 0

    def add(self, view: IndicatorView) -> None:
        self.add_charts(view.charts())
        if any(chart.svg is None for chart in view.charts()):
            self.batch_of[view.ref] = len(self.batches)
        if len(self.waiting) >= BATCH_CHARTS:
            self.flush()

    def add_charts(self, charts: list[Chart]) -> None:
        self.waiting += [chart for chart in charts if chart.svg is None]

    def flush(self) -> None:
        """Start drawing the charts not yet handed out."""
        if self.waiting:
            self.batches.append(start_charts(self.waiting, self.renderer))
            self.waiting = []

    def ready(self, view: IndicatorView | None = None) -> None:
        last = len(self.batches) - 1 if view is None else self.batch_of.get(view.ref, -1)
        while self.filled <= last:
            self.batches[self.filled].fill()
            self.filled += 1


def build_site(
    pack: PackInput, layout: str, out_dir: Path, renderer: SvgRenderer | None = None
) -> Path:
    """Write the pack in `layout` to `out_dir` and return the path of its index page. The
    charts are rendered by `renderer` when given (its caller keeps it for later work, such as
    the charts' PNGs), otherwise by workers started and stopped here."""
    if renderer is None:
        with pack_renderer(pack, layout) as renderer:
            return build_site(pack, layout, out_dir, renderer)
    chosen = period_layout(layout)
    check_layout_options(pack)
    refs = [ref for group in chosen.arrange(pack) for ref in group.refs]
    memo = None if renderer.store is None else ChartMemo(renderer.store)
    drawing = ChartsAsBuilt(renderer)
    views = indicator_views(pack, refs, memo, drawing.add)
    extra = chosen.extra(pack, views) if chosen.extra else {}
    drawing.add_charts(list(extra.get("charts", [])))
    drawing.flush()
    env = make_environment(pack)
    context = page_context(pack, chosen, views, extra)
    out_dir = Path(out_dir)
    copy_assets(out_dir)
    write_indicator_pages(env, chosen, context, out_dir, drawing.ready)
    drawing.ready()
    if memo is not None:
        memo.write()
    index = out_dir / "index.html"
    index.write_text(
        env.get_template(chosen.index_template).render(context, root=""), encoding="utf-8"
    )
    return index
