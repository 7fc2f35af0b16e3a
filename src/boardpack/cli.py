"""The `boardpack` command: the command-line door into the same Dataset, engine and pack."""

from __future__ import annotations

import functools
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click
import polars as pl

from .catalogue import CatalogueError
from .commentary import CommentaryError
from .dataset import ProjectProblems
from .ingest import ImportFailed
from .periods import PeriodError, parse_period, period_for

PROBLEMS = (CatalogueError, ProjectProblems, ImportFailed, CommentaryError, PeriodError)


def reports_problems(command):
    """Turn a project's problems into a readable report and exit status 1, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PROBLEMS as error:
            count = len(getattr(error, "problems", getattr(error, "issues", [error])))
            noun = "problem" if count == 1 else "problems"
            raise click.ClickException(
                f"{count} {noun} found; nothing was loaded.\n{error}"
            ) from error

    return wrapper


project_argument = click.argument("project", type=click.Path(exists=True, path_type=Path))
out_option = click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write; standard output when omitted.",
)


def format_option(help: str):
    """`--format csv|json`, CSV by default, for commands that write a table."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["csv", "json"]),
        default="csv",
        show_default=True,
        help=help,
    )


@click.group()
@click.version_option(package_name="boardpack")
def main() -> None:
    """Boardpack: from indicator catalogue and raw figures to a published performance pack."""


@main.command()
@project_argument
@reports_problems
def validate(project: Path) -> None:
    """Check a project's catalogue, data files and commentary, listing every problem."""
    from .dataset import load_project

    dataset = load_project(project)
    click.echo(
        f"{project}: {len(dataset.project.indicators)} indicators, "
        f"{dataset.observations.height} figures, no problems found."
    )


@main.command()
@project_argument
@format_option("CSV or JSON (an array of objects).")
@out_option
@reports_problems
def evaluate(project: Path, fmt: str, out: Path | None) -> None:
    """Write the evaluated table as open data: one row per indicator, organisation and period.

    The columns are a published contract, documented in docs/data-formats.md."""
    from .dataset import load_project

    table = load_project(project).evaluate().contract()
    text = (
        table.write_csv() if fmt == "csv" else json.dumps(table.to_dicts(), default=str, indent=1)
    )
    _write(text, out)


@main.command()
@click.argument("project", required=False, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--period",
    help="The reporting period, e.g. 'Q2 2025/26'. Default: the latest quarter with figures. "
    "For the benchmarking layout, a year such as 2023/24 builds the pack as it stood then.",
)
@click.option(
    "--layout",
    help="A registered layout (see `boardpack layouts`). Default: quarterly-report, or "
    "benchmarking with --all-organisations.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/pack"),
    show_default=True,
    help="Folder to write the static site into.",
)
@click.option(
    "--organisation", help="Organisation code to report on. Default: the project's organisation."
)
@click.option(
    "--db",
    metavar="URL",
    help="Build from the Boardpack database (see `boardpack import`) instead of PROJECT's files: "
    "a database URL or an SQLite file.",
)
@click.option(
    "--all-organisations",
    is_flag=True,
    help="Build the benchmarking pack for every council, with an index page.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    default=("html",),
    show_default=True,
    metavar="html|pdf|xlsx|docx",
    help="What to write: the html site, pack.pdf, pack.xlsx, pack.docx; repeat or give a "
    "comma list, e.g. --format html,pdf.",
)
@reports_problems
def build(
    project: Path,
    period: str | None,
    layout: str | None,
    out: Path,
    organisation: str | None,
    all_organisations: bool,
    db: str | None,
    formats: tuple[str, ...],
) -> None:
    """Build the performance pack for a period as a self-contained static site.

    PROJECT is the project folder; with --db the figures come from the database instead."""
    from .pack import get_layout

    if project is None and db is None:
        raise click.UsageError("give a PROJECT folder, or --db to build from the database")

    started = time.perf_counter()
    layout = layout or ("benchmarking" if all_organisations else "quarterly-report")
    try:
        chosen = get_layout(layout)
    except KeyError as error:
        raise click.BadParameter(error.args[0], param_hint="--layout") from error
    if all_organisations and chosen.source != "national":
        raise click.BadParameter(
            f"--all-organisations builds the benchmarking layout, not {layout}",
            param_hint="--all-organisations",
        )
    formats = pack_formats(formats, chosen.source)
    options = BuildOptions(
        project, period, layout, out, organisation, all_organisations, formats, db
    )
    try:
        what, index = BUILDERS[chosen.source](options)
    except ValueError as error:  # a period or organisation with nothing to report
        raise click.ClickException(str(error)) from error
    click.echo(f"Built the {layout} pack {what} in {time.perf_counter() - started:.1f} s: {index}")


@dataclass(frozen=True)
class BuildOptions:
    project: Path | None
    period: str | None
    layout: str
    out: Path
    organisation: str | None
    all_organisations: bool
    formats: tuple[str, ...] = ("html",)
    db: str | None = None


def pack_formats(given: tuple[str, ...], source: str) -> tuple[str, ...]:
    """`--format` values, repeated or comma-separated, checked; html alone for national packs."""
    from .documents import FORMATS

    known = ("html", *FORMATS)
    chosen = tuple(
        dict.fromkeys(f.strip().lower() for g in given for f in g.split(",") if f.strip())
    )
    unknown = [f for f in chosen if f not in known]
    if unknown or not chosen:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'} is not a format; choose from {', '.join(known)}",
            param_hint="--format",
        )
    if source != "period" and chosen != ("html",):
        raise click.BadParameter(
            "PDF, Excel and Word documents are made of a period's pack, not a benchmarking one",
            param_hint="--format",
        )
    return chosen


def write_formats(pack, options: BuildOptions) -> Path:
    """The site (for html) and each document asked for, into --out; the site's index page, or
    the first document when there is no site."""
    from .documents import write_documents
    from .pack import build_site

    documents = [f for f in options.formats if f != "html"]
    site = build_site(pack, options.layout, options.out) if "html" in options.formats else None
    written = write_documents(pack, options.layout, documents, options.out, site=site)
    for path in written:
        click.echo(f"Wrote {path}")
    return site or written[0]


def build_period_pack(options: BuildOptions) -> tuple[str, Path]:
    """A pack of the project's indicators for one reporting period."""
    from .assemble import latest_period, pack_input
    from .dataset import load_project

    dataset = load_project(options.project) if options.db is None else store_dataset(options.db)
    period = options.period
    chosen = parse_period(period, "quarterly") if period else latest_period(dataset)
    pack = pack_input(dataset, dataset.evaluate(), chosen, options.organisation)
    return f"for {chosen.label}", write_formats(pack, options)


def store_dataset(db: str):
    """The Dataset held in the database at `db`, as `boardpack import` stored it."""
    from .web import setup

    setup(db)
    from .web.store import dataset_from_store

    return dataset_from_store()


def build_national_pack(options: BuildOptions) -> tuple[str, Path]:
    """The benchmarking pack of one council, or of every council."""
    from .benchmarking.national import as_at, national_for_project
    from .benchmarking.site import build_all_sites, build_council_site, current_councils
    from .catalogue import load_project_file

    if options.project is None:
        raise ValueError(
            "the benchmarking layout reads PROJECT's benchmarking: section; give PROJECT"
        )
    project = load_project_file(options.project)
    national = as_at(national_for_project(project), options.period)
    compare_with = project.benchmarking.compare_with
    if not options.all_organisations:
        code = options.organisation or project.organisation.code
        return f"for {code}", build_council_site(national, code, options.out, compare_with)
    count = len(current_councils(national))
    with click.progressbar(length=count, label="Councils", file=sys.stderr) as bar:
        index = build_all_sites(national, options.out, compare_with, progress=bar_steps(bar))
    return f"for {count} councils", index


def bar_steps(bar):
    """Advance `bar` by one for each item passed through."""

    def steps(items):
        for item in items:
            bar.update(1)
            yield item

    return steps


BUILDERS = {"period": build_period_pack, "national": build_national_pack}


@main.command()
@project_argument
@format_option("CSV or JSON (an array of objects).")
@out_option
@click.option(
    "--organisation",
    "organisations",
    multiple=True,
    metavar="CODE",
    help="Only this organisation (ONS code); repeat for several. Default: every council.",
)
@reports_problems
def benchmark(project: Path, fmt: str, out: Path | None, organisations: tuple[str, ...]) -> None:
    """Place every council among all councils on every national measure.

    Reads the national publication the project's `benchmarking:` section names and writes one
    row per organisation, measure, period and comparator group: the value, the group's value,
    median, quartiles, MAD, distance from the median in MADs, rank, number ranked, quartile
    and change in rank. Documented in docs/benchmarking.md."""
    from .benchmarking.national import benchmark_table, national_for_project
    from .catalogue import load_project_file

    try:
        national = national_for_project(load_project_file(project))
    except ValueError as error:  # no benchmarking section, or inputs the statistics refuse
        raise click.ClickException(str(error)) from error
    table = benchmark_table(national, list(organisations) or None)
    text = (
        table.write_csv() if fmt == "csv" else json.dumps(table.to_dicts(), default=str, indent=1)
    )
    _write(text, out)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option("CSV (one row per point, with its series' icons) or JSON (points and series).")
@out_option
@click.option(
    "--improvement",
    type=click.Choice(["increase", "decrease", "neutral"]),
    default="increase",
    show_default=True,
    help="Which way is better, for every series.",
)
@click.option(
    "--no-screen-outliers",
    is_flag=True,
    help="Keep moving ranges above 3.267 x their average (as the Excel tool does).",
)
@click.option("--fix-after", type=int, help="Fix the limits after this many points (at least 12).")
@click.option(
    "--recalculate-at",
    "recalculate_at",
    multiple=True,
    metavar="PERIOD",
    help="A period where a new process starts (new mean and limits); repeat for several.",
)
@click.option(
    "--run",
    "run_length",
    type=int,
    default=7,
    show_default=True,
    help="Points in a row on one side of the mean that signal a shift.",
)
@click.option(
    "--trend",
    "trend_length",
    type=int,
    default=7,
    show_default=True,
    help="Points in a row rising or falling that signal a trend.",
)
def spc(
    file: Path,
    fmt: str,
    out: Path | None,
    improvement: str,
    no_screen_outliers: bool,
    fix_after: int | None,
    recalculate_at: tuple[str, ...],
    run_length: int,
    trend_length: int,
) -> None:
    """Statistical process control (XmR charts, as NHS Making Data Count) on any CSV of series.

    FILE has columns series, period, value and optionally target. Writes, per point, the mean,
    process and near limits, whether it is a special cause, by which rule, and its type; and,
    per series, the variation and assurance icons. The rules are documented in docs/spc.md."""
    from .engine.spc import spc as run_spc
    from .engine.spc_csv import read_period, read_spc_csv
    from .engine.spc_options import SpcOptions

    try:
        frame = read_spc_csv(file)
        restarts = [read_period(label, frame["period"].dtype) for label in recalculate_at]
        options = SpcOptions(
            improvement, not no_screen_outliers, fix_after, restarts, run_length, trend_length
        )
        result = run_spc(frame, options)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    _write(_spc_text(result, fmt), out)


def _spc_text(result, fmt: str) -> str:
    points = result.points.join(
        result.series.drop("points"), on="series", how="left", maintain_order="left"
    )
    if fmt == "csv":
        return points.write_csv()
    both = {"points": points.to_dicts(), "series": result.series.to_dicts()}
    return json.dumps(both, default=str, indent=1)


def _write(text: str, out: Path | None) -> None:
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@main.command()
def layouts() -> None:
    """List the registered pack layouts."""
    from .pack import LAYOUTS

    for name, layout in LAYOUTS.items():
        click.echo(f"{name}: {layout.description}")


@main.command()
def schema() -> None:
    """Print the JSON Schema of boardpack.yaml, for editors."""
    from .catalogue.schema import schema_text

    click.echo(schema_text(), nl=False)


@main.command()
@click.argument("labels", nargs=-1, required=True)
@click.option(
    "--frequency",
    type=click.Choice(["monthly", "quarterly", "annual"]),
    help="Needed for dates such as 30/09/2019.",
)
def periods(labels: tuple[str, ...], frequency: str | None) -> None:
    """Show how period labels are read: kind, canonical label, start and end."""
    rows, problems = [], []
    for label in labels:
        try:
            rows.append(_period_row(label, frequency))
        except PeriodError as error:
            problems.append(str(error))
    if rows:
        click.echo(pl.DataFrame(rows).write_csv(), nl=False)
    if problems:
        raise click.ClickException("\n".join(problems))


def _period_row(label: str, frequency: str | None) -> dict:
    p = period_for(label, frequency)
    return {
        "label": label,
        "kind": p.kind,
        "period": p.label,
        "start": p.start,
        "end": p.end,
        "previous": p.previous().label,
        "last_year": p.last_year().label,
    }


from .web.commands import commands  # noqa: E402

for _command in commands():
    main.add_command(_command)

from .records.commands import records  # noqa: E402

main.add_command(records)

if __name__ == "__main__":
    main()
