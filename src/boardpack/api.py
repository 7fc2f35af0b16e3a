"""The library's front door: `evaluate` a project, `benchmark` it nationally and `build_pack`
from it. The command line and the web app call these and hold no recipe of their own.

Each takes a Dataset (from `load_project` or the database) or a project folder to load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .catalogue import Project, load_project_file
from .dataset import Dataset, Publication
from .engine.evaluated import Evaluated
from .engine.national import National, as_at, benchmark_table, national_from
from .engine.project import evaluate_dataset
from .engine.reconcile import reconcile as reconcile_table
from .engine.reconcile import reconciliation_summary
from .errors import BoardpackError, NotFound, Problem
from .periods import PeriodError, parse_period
from .sources import load_project
from .sources.national import read_national, require_benchmarking

DatasetOrProject = Dataset | str | Path
#: Shows progress through `items` (there are `count` of them) while passing them on.
Progress = Callable[[Iterable, int], Iterable]


def dataset_of(dataset_or_project: DatasetOrProject) -> Dataset:
    """The Dataset given, or the project folder (or its `boardpack.yaml`) read into one."""
    if isinstance(dataset_or_project, Dataset):
        return dataset_or_project
    return load_project(dataset_or_project)


def evaluate(dataset_or_project: DatasetOrProject) -> Evaluated:
    """Rate every figure: one row per indicator, organisation and period, with its reason,
    previous values and direction of travel (`Evaluated.contract()` is the open-data table)."""
    return evaluate_dataset(dataset_of(dataset_or_project))


@dataclass(frozen=True)
class Reconciliation:
    """Boardpack's ratings and directions beside the council's published ones: `table` has a
    row per figure with a published rating or direction (`engine.reconcile.RECONCILE_COLUMNS`),
    `summary` says how many agree and which differ, and why."""

    table: pl.DataFrame
    summary: str


def reconcile(dataset_or_project: DatasetOrProject) -> Reconciliation:
    """Compare Boardpack's ratings and directions with those the figures files publish
    (`published_rag`, `published_direction`): the check when moving a council to Boardpack."""
    from .assemble import revision_texts

    dataset = dataset_of(dataset_or_project)
    results = evaluate_dataset(dataset).results
    table = reconcile_table(results, dataset.observations, revision_texts(dataset))
    if table.is_empty():
        raise NotFound(
            "no figure has a published rating or direction to compare with; map the file's "
            "columns to published_rag and published_direction under `columns:` "
            "(docs/data-formats.md)"
        )
    return Reconciliation(table, reconciliation_summary(table))


def national(dataset_or_project: DatasetOrProject) -> National:
    """The national publication a project's `benchmarking:` section names, with the benchmark
    statistics (a folder is read for its catalogue and publication only)."""
    return national_from(_publication(dataset_or_project)[1])


def _publication(dataset_or_project: DatasetOrProject) -> tuple[Project, Publication]:
    """The project and the publication its `benchmarking:` section names."""
    if isinstance(dataset_or_project, Dataset):
        project, publication = dataset_or_project.project, dataset_or_project.national
    else:
        project = load_project_file(dataset_or_project)
        require_benchmarking(project)
        publication = read_national(project)
    require_benchmarking(project)
    if publication is None:
        raise NotFound("the national publication was not read; import the project again")
    return project, publication


def benchmark(
    dataset_or_project: DatasetOrProject, organisations: Sequence[str] = ()
) -> pl.DataFrame:
    """Every council (or those in `organisations`) placed among all councils on every national
    measure: the published benchmark table, `docs/benchmarking.md`."""
    return benchmark_table(national(dataset_or_project), list(organisations) or None)


@dataclass(frozen=True)
class Built:
    """What `build_pack` made: the `layout`, `what` it was built for ("for Q2 2025/26", "for
    152 councils"), the `index` page of the site (or the first document without one) and the
    `documents`."""

    layout: str
    what: str
    index: Path
    documents: tuple[Path, ...] = ()


@dataclass(frozen=True)
class PackRequest:
    """A pack asked for, its options checked (`build_pack`'s arguments)."""

    layout: str
    period: str | None
    formats: tuple[str, ...]
    out: Path
    organisation: str | None
    all_organisations: bool
    progress: Progress | None
    restatements: tuple
    restated_since: dt.date | None = None


def build_pack(
    dataset_or_project: DatasetOrProject,
    *,
    period: str | None = None,
    layout: str | None = None,
    formats: Sequence[str] = ("html",),
    out: str | Path = "build/pack",
    organisation: str | None = None,
    all_organisations: bool = False,
    progress: Progress | None = None,
    restatements: Sequence = (),
    restated_since: str | dt.date | None = None,
) -> Built:
    """Build a pack into `out`: the static site (`html`) and any documents (`pdf`, `xlsx`,
    `docx`, or a registered output format).

    `layout` is a registered layout (default quarterly-report, or benchmarking with
    `all_organisations`); `period` the reporting period (default: the latest quarter with
    figures; a year such as 2023/24 for the benchmarking layout); `organisation` the area to
    report on (default: the project's). A period layout reads the Dataset; a national one its
    publication. `restatements` are listed in the pack (figures revised since the last one).
    The pack lists the Dataset's revised figures up to its period; with `restated_since` (a
    date, or a period: after it ended) only those revised since."""
    from .pack.layouts import get_layout

    layout = layout or ("benchmarking" if all_organisations else "quarterly-report")
    chosen = _checked(get_layout, layout, "layout")
    request = PackRequest(
        layout,
        period,
        _formats(formats, chosen.source),
        Path(out),
        organisation,
        _all_organisations(all_organisations, chosen),
        progress,
        tuple(restatements),
        restated_since_date(restated_since),
    )
    return BUILDERS[chosen.source](dataset_or_project, request)


def restated_since_date(given: str | dt.date | None) -> dt.date | None:
    """The first day a revision counts from: a date (2025-01-31, 31/01/2025), or the day after
    a period (Q2 2024/25) ended."""
    if given is None or isinstance(given, dt.date):
        return given
    for shape in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(given.strip(), shape).date()
        except ValueError:
            continue
    try:
        return parse_period(given, "quarterly").end + dt.timedelta(days=1)
    except PeriodError as error:
        what = f'"{given}" is neither a date (2025-01-31) nor a period (Q2 2024/25): {error}'
        raise BoardpackError(Problem(field="restated_since", what=what)) from None


def _checked(lookup: Callable, name: str, field: str):
    """`lookup(name)` from a registry, or a problem with the parameter `field`."""
    try:
        return lookup(name)
    except KeyError as error:
        raise BoardpackError(Problem(field=field, what=error.args[0])) from None


def _formats(given: Sequence[str], source: str) -> tuple[str, ...]:
    """The formats asked for (repeated or comma lists), each known; html alone for national
    packs. The output formats' registry (which imports every document writer) is read only
    when something other than html is asked for."""
    chosen = tuple(
        dict.fromkeys(f.strip().lower() for g in given for f in g.split(",") if f.strip())
    )
    known = ("html",) if chosen == ("html",) else ("html", *_output_formats())
    unknown = [f for f in chosen if f not in known]
    if unknown or not chosen:
        what = f"{', '.join(unknown) or 'nothing'} is not a format; choose from {', '.join(known)}"
        raise BoardpackError(Problem(field="formats", what=what))
    if source != "period" and chosen != ("html",):
        what = "PDF, Excel and Word documents are made of a period's pack, not a benchmarking one"
        raise BoardpackError(Problem(field="formats", what=what))
    return chosen


def _output_formats():
    from .documents import output_formats

    return output_formats()


def _all_organisations(asked: bool, layout) -> bool:
    if asked and layout.source != "national":
        what = f"builds the benchmarking layout, not {layout.name}"
        raise BoardpackError(Problem(field="all_organisations", what=what))
    return asked


#: The formats whose charts are drawn by the chart workers (the Excel workbook has none).
CHARTED = frozenset({"html", "pdf", "docx"})


def _period_pack(dataset_or_project: DatasetOrProject, request: PackRequest) -> Built:
    """A pack of the project's indicators for one reporting period."""
    from .assemble import latest_period, pack_input

    if CHARTED & set(request.formats):
        from .pack.render import start_chart_server

        start_chart_server()
    chosen = parse_period(request.period, "quarterly") if request.period else None
    dataset = dataset_of(dataset_or_project)
    chosen = chosen or latest_period(dataset)
    pack = pack_input(
        dataset, evaluate_dataset(dataset), chosen, request.organisation, request.restated_since
    )
    pack.restatements = list(request.restatements)
    return _written(pack, request, f"for {chosen.label}")


def _written(pack, request: PackRequest, what: str) -> Built:
    """The site (for html) and each document asked for, into `out` (the document writers
    imported only when there are documents to write)."""
    from .pack import build_site

    out, layout = request.out, request.layout
    site = build_site(pack, layout, out) if "html" in request.formats else None
    documents = [f for f in request.formats if f != "html"]
    written: tuple[Path, ...] = ()
    if documents:
        from .documents import write_documents

        written = tuple(write_documents(pack, layout, documents, out, site=site))
    return Built(layout, what, site or written[0], written)


def _national_pack(dataset_or_project: DatasetOrProject, request: PackRequest) -> Built:
    """The benchmarking pack of one council, or of every council."""
    from .benchmarking.site import build_all_sites, build_council_site, current_councils
    from .pack.chart_store import store_for

    project, publication = _publication(dataset_or_project)
    store = store_for(project.folder)
    chosen = as_at(national_from(publication), request.period)
    compare_with = project.benchmarking.compare_with
    if not request.all_organisations:
        code = request.organisation or project.organisation.code
        site = build_council_site(chosen, code, request.out, compare_with, store)
        return Built(request.layout, f"for {code}", site)
    count = len(current_councils(chosen))
    shown = request.progress or (lambda items, count: items)
    index = build_all_sites(
        chosen, request.out, compare_with, progress=lambda items: shown(items, count), store=store
    )
    return Built(request.layout, f"for {count} councils", index)


#: A layout's `source` -> how a pack of it is built.
BUILDERS: dict[str, Callable[[DatasetOrProject, PackRequest], Built]] = {
    "period": _period_pack,
    "national": _national_pack,
}
