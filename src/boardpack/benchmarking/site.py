"""The benchmarking pack: one council's position on every national measure, as a static site.

`build_council_site` writes one council's page; `build_all_sites` writes a page for every
council and an index of them, as `boardpack build --all-organisations` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from boardpack.catalogue import closest
from boardpack.engine.benchmark import QUARTILES
from boardpack.engine.national import National
from boardpack.errors import NotFound
from boardpack.pack.chart_store import ChartStore
from boardpack.pack.charts import Chart, render_charts
from boardpack.pack.layouts import get_layout
from boardpack.pack.render import SvgRenderer
from boardpack.pack.writer import copy_assets, template_environment

from .charts import rank_spec, spine_rows, spine_spec
from .views import MeasureView, measure_views, quartile_counts, shown_groups, with_texts

LAYOUT = get_layout("benchmarking")


@dataclass
class CouncilPage:
    code: str
    name: str
    type: str | None
    region: str | None
    slug: str
    views: list[MeasureView]
    groups: list[dict]
    charts: dict[str, Chart]

    @property
    def counts(self) -> dict[str, int]:
        return quartile_counts(self.views)


def latest_periods(statistics: pl.DataFrame) -> pl.DataFrame:
    """Each measure's latest year with a council figure (some surveys run every other year)."""
    published = statistics.filter(pl.col("value").is_not_null())
    return published.group_by("measure").agg(pl.col("period").max())


def spread(statistics: pl.DataFrame) -> pl.DataFrame:
    """Lowest and highest council value per group, measure and period."""
    return statistics.group_by("group", "measure", "period").agg(
        lowest=pl.col("value").min(), highest=pl.col("value").max()
    )


def council_charts(
    national: National,
    council: pl.DataFrame,
    code: str,
    name: str,
    extremes: pl.DataFrame,
    latest: pl.DataFrame,
) -> dict[str, Chart]:
    """The council's spine chart against every council, and its rank over time where any
    measure has several years; not yet rendered."""
    first = council.filter(pl.col("group_kind") == "england")
    position = (
        first.join(latest, on=["measure", "period"])
        .join(extremes, on=["group", "measure", "period"])
        .join(national.measures.select("measure", "title", "polarity"), on="measure")
        .with_columns(label=pl.col("measure") + ": " + short_title(36))
    )
    order = national.measures["measure"].to_list()
    position = position.sort(pl.col("measure").replace_strict(order, range(len(order))))
    period = position["period"].max() or ""
    title = f"{name} against every council, latest year ({period})"
    spine = spine_spec(spine_rows(position), name, "England", title)
    ranks = first.filter(pl.col("rank").is_not_null()).join(
        national.measures.select("measure", "title"), on="measure"
    )
    several = ranks.group_by("measure").len().filter(pl.col("len") > 1)["measure"]
    ranks = ranks.filter(pl.col("measure").is_in(several.implode())).with_columns(
        label=pl.col("measure") + ": " + short_title(30)
    )
    ranks = ranks.sort(pl.col("measure").replace_strict(order, range(len(order))), "period")
    charts = {
        "spine": Chart(f"chart-{code.lower()}-spine", title, spine_words(position, name), spine)
    }
    if len(ranks):
        rank_title = f"{name}: rank among all councils over time"
        rank = rank_spec(ranks, int(first["n_ranked"].max() or 1), rank_title)
        words = rank_words(ranks, name)
        charts["rank"] = Chart(f"chart-{code.lower()}-rank", rank_title, words, rank)
    return charts


def short_title(characters: int) -> pl.Expr:
    """A measure's title cut to a chart label's length, with an ellipsis where it was cut."""
    title = pl.col("title")
    cut = title.str.slice(0, characters).str.strip_chars_end() + "…"
    return pl.when(title.str.len_chars() > characters).then(cut).otherwise(title)


def spine_words(position: pl.DataFrame, name: str) -> str:
    counts = position["quartile"].drop_nulls().value_counts()
    parts = [
        f"{n} in the {q.lower()}"
        for q in QUARTILES
        for n in counts.filter(pl.col("quartile") == q)["count"].to_list()
    ]
    return (
        f"Spine chart of {name}'s position among all councils on {len(position)} measures, "
        "worst council on the left and best on the right, the middle half shaded, England as a "
        f"line: {', '.join(parts) or 'none ranked'}. The figures are in the table."
    )


def rank_words(ranks: pl.DataFrame, name: str) -> str:
    if not len(ranks):
        return ""
    return (
        f"Line charts of {name}'s national rank (1 is best) in each year on "
        f"{ranks['measure'].n_unique()} measures published over several years."
    )


def council_pages(
    national: National, codes: Iterable[str], compare_with: list[str]
) -> Iterable[CouncilPage]:
    """A page per council, its charts not yet rendered."""
    texts = with_texts(national.statistics, national.measures)
    latest = latest_periods(texts)
    extremes = spread(texts)
    by_council = texts.partition_by("organisation", as_dict=True)
    markers = national.values.filter(pl.col("value_marker").is_not_null()).select(
        "organisation", "measure", "period", "value_marker"
    )
    names = national.organisations.select("organisation", "name", "type", "region_name")
    lookup = {row["organisation"]: row for row in names.to_dicts()}
    for code in codes:
        council = by_council.get((code,))
        if council is None:
            continue
        info = lookup.get(code, {"name": code, "type": None, "region_name": None})
        own_markers = markers.filter(pl.col("organisation") == code).drop("organisation")
        views = measure_views(council, latest, national.measures, own_markers, compare_with)
        yield CouncilPage(
            code=code,
            name=info["name"],
            type=info["type"],
            region=info["region_name"],
            slug=code,
            views=views,
            groups=group_sizes(council, latest, compare_with),
            charts=council_charts(national, council, code, info["name"], extremes, latest),
        )


def group_sizes(council: pl.DataFrame, latest: pl.DataFrame, compare_with: list[str]) -> list[dict]:
    """The groups the council is compared with and how many councils each ranks at most."""
    groups = shown_groups(council, compare_with)
    sizes = (
        council.join(latest, on=["measure", "period"])
        .group_by("group")
        .agg(pl.col("n_ranked").max())
    )
    return groups.join(sizes, on="group", how="left").sort("order").to_dicts()


def render_pages(pages: list[CouncilPage], renderer: SvgRenderer | None = None) -> None:
    """Render every page's charts in one batch."""
    render_charts([chart for page in pages for chart in page.charts.values()], renderer)


def context(national: National, page: CouncilPage, root: str) -> dict:
    return {
        "layout": LAYOUT,
        "organisation": page.name,
        "period_label": national.title,
        "page": page,
        "national": national,
        "quartiles": QUARTILES,
        "root": root,
    }


def write_page(env, national: National, page: CouncilPage, out: Path, root: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    html = env.get_template(LAYOUT.indicator_template).render(context(national, page, root))
    out.write_text(html, encoding="utf-8")


def current_councils(national: National) -> list[str]:
    """Codes of the councils with figures in the publication's latest year, by name."""
    latest = national.organisations["last_period"].max()
    current = national.organisations.filter(pl.col("last_period") == latest)
    return current.sort("name")["organisation"].to_list()


def unknown_council(national: National, organisation: str) -> str:
    """The message for a code with no figures, suggesting the council it may mean: one whose
    name starts with the text given, or the nearest name or code."""
    codes = dict(national.organisations.select("name", "organisation").iter_rows())
    starting = [name for name in codes if name.lower().startswith(organisation.lower())]
    name = (starting or [closest(organisation, list(codes))])[0]
    code = codes.get(name) or closest(organisation, list(codes.values()))
    named = {value: key for key, value in codes.items()}
    hint = f"; did you mean {code} ({named[code]})?" if code else ""
    return (
        f'organisation "{organisation}" has no figures in {national.title}; give a council\'s '
        f"ONS code, e.g. E10000016 for Kent{hint}"
    )


def build_council_site(
    national: National,
    organisation: str,
    out_dir: Path,
    compare_with: list[str],
    store: ChartStore | None = None,
) -> Path:
    """Write the benchmarking pack of one council; returns its index page. Charts the chart
    `store` holds are not drawn again."""
    pages = list(council_pages(national, [organisation], compare_with))
    if not pages:
        raise NotFound(unknown_council(national, organisation))
    render_pages(pages, SvgRenderer(0, store=store))
    out_dir = Path(out_dir)
    copy_assets(out_dir)
    index = out_dir / "index.html"
    write_page(template_environment(), national, pages[0], index, root="")
    return index


def build_all_sites(
    national: National,
    out_dir: Path,
    compare_with: list[str],
    progress: Callable[[Iterable], Iterable] = lambda items: items,
    batch: int = 16,
    store: ChartStore | None = None,
) -> Path:
    """A benchmarking page for every council under `out_dir/<code>/`, and an index of them;
    charts the chart `store` holds are not drawn again."""
    env = template_environment()
    out_dir = Path(out_dir)
    copy_assets(out_dir)
    codes = current_councils(national)
    written: list[CouncilPage] = []
    pending: list[CouncilPage] = []
    with SvgRenderer(expected=2 * len(codes), store=store) as renderer:
        for page in progress(council_pages(national, codes, compare_with)):
            pending.append(page)
            if len(pending) == batch:
                written += flush(env, national, pending, out_dir, renderer)
                pending = []
        written += flush(env, national, pending, out_dir, renderer)
    index = out_dir / "index.html"
    html = env.get_template(LAYOUT.index_template).render(
        layout=LAYOUT,
        organisation="Every council",
        period_label=national.title,
        national=national,
        pages=written,
        quartiles=QUARTILES,
        root="",
    )
    index.write_text(html, encoding="utf-8")
    return index


def flush(
    env, national: National, pages: list[CouncilPage], out_dir: Path, renderer: SvgRenderer
) -> list[CouncilPage]:
    """Render a batch's charts, write its pages and keep only what the index needs."""
    render_pages(pages, renderer)
    for page in pages:
        write_page(env, national, page, out_dir / page.slug / "index.html", root="../")
        page.charts = {}
    return pages
