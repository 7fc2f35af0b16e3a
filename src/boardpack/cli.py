"""The `boardpack` command: the command-line door into the same Dataset, engine and pack."""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

import click
import polars as pl

from . import api
from .dataset import Dataset
from .errors import BoardpackError, Problem, attempt
from .formulas import csv_text
from .periods import period_for
from .sources import load_project

#: Commands defined beside what they work on, imported only when run or listed (the web app's
#: pull in Django, the records' DuckDB): name -> (module, attribute).
LAZY_COMMANDS = {
    "import": ("boardpack.web.commands", "import_command"),
    "db": ("boardpack.web.commands", "db_group"),
    "remind": ("boardpack.web.reminders", "remind_command"),
    "serve": ("boardpack.web.serve", "serve_command"),
    "records": ("boardpack.record_commands", "records"),
}


class Commands(click.Group):
    """The `boardpack` command group. Whatever a person can put right (any `BoardpackError`,
    from any command) is printed in one way, every problem listed, with exit status 1; a
    problem with one of the command's own options is a usage error naming the option. The
    commands of `LAZY_COMMANDS` are imported when first wanted, so `boardpack build` does not
    start by importing the web app."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS:
            module, attribute = LAZY_COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return command

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BoardpackError as error:
            option = _option_of(self.get_command(ctx, ctx.invoked_subcommand or ""), error)
            if option is not None:
                raise click.BadParameter(error.report(), ctx, option) from error
            raise click.ClickException(error.printed()) from error


def _option_of(command: click.Command | None, error: BoardpackError) -> click.Parameter | None:
    """The command's option every problem is about (by its name, e.g. `formats`), if any."""
    fields = {problem.field for problem in error.problems}
    params = {param.name: param for param in command.params} if command else {}
    return params.get(fields.pop()) if len(fields) == 1 else None


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


@click.group(cls=Commands)
@click.version_option(package_name="boardpack")
def main() -> None:
    """Boardpack: from indicator catalogue and raw figures to a published performance pack."""


@main.command()
@project_argument
def validate(project: Path) -> None:
    """Check a project's catalogue, data files and commentary, listing every problem."""
    dataset = load_project(project, measures=False)
    revised = dataset.revisions.height
    revisions = f", {revised} revised by later files" if revised else ""
    computed = sum(ind.source is not None for ind in dataset.project.indicators)
    records = (
        f" ({computed} computed from client-level records: their measures and the loaded "
        "records checked, the figures computed when a pack is built)"
        if computed
        else ""
    )
    click.echo(
        f"{project}: {len(dataset.project.indicators)} indicators, "
        f"{dataset.observations.height} figures{revisions}{records}, no problems found."
    )


@main.command()
@project_argument
@format_option("CSV or JSON (an array of objects).")
@out_option
def evaluate(project: Path, fmt: str, out: Path | None) -> None:
    """Write the evaluated table as open data: one row per indicator, organisation and period.

    The columns are a published contract, documented in docs/data-formats.md."""
    table = api.evaluate(project).contract()
    text = csv_text(table) if fmt == "csv" else json.dumps(table.to_dicts(), default=str, indent=1)
    _write(text, out)


@main.command()
@project_argument
@format_option("CSV, or JSON (the summary and an array of rows).")
@out_option
def reconcile(project: Path, fmt: str, out: Path | None) -> None:
    """Compare Boardpack's ratings and directions with those the council published.

    One row per indicator, organisation and period with a published rating or direction (the
    files' published_rag and published_direction): the figure, target, Boardpack's rating and
    the published one, whether they agree, the same for the direction, and Boardpack's reason.
    The summary is printed after the table (to standard error when the table is on standard
    output)."""
    found = api.reconcile(project)
    table = found.table
    if fmt == "csv":
        text = csv_text(table)
    else:
        text = json.dumps(
            {"summary": found.summary, "rows": table.to_dicts()}, default=str, indent=1
        )
    _write(text, out)
    click.echo(found.summary, err=out is None)


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
@click.option(
    "--restated-since",
    metavar="DATE|PERIOD",
    help="List only the figures revised on or after DATE (2025-01-31), or after PERIOD ended "
    "(Q2 2024/25). Default: every revised figure up to the pack's period.",
)
def build(
    project: Path,
    period: str | None,
    layout: str | None,
    out: Path,
    organisation: str | None,
    all_organisations: bool,
    db: str | None,
    formats: tuple[str, ...],
    restated_since: str | None,
) -> None:
    """Build the performance pack for a period as a self-contained static site.

    PROJECT is the project folder; with --db the figures come from the database instead."""
    if project is None and db is None:
        raise click.UsageError("give a PROJECT folder, or --db to build from the database")
    started = time.perf_counter()
    built = api.build_pack(
        project if db is None else store_dataset(db),
        period=period,
        layout=layout,
        formats=formats,
        out=out,
        organisation=organisation,
        all_organisations=all_organisations,
        progress=progress_bar,
        restated_since=restated_since,
    )
    for path in built.documents:
        click.echo(f"Wrote {path}")
    took = time.perf_counter() - started
    click.echo(f"Built the {built.layout} pack {built.what} in {took:.1f} s: {built.index}")


def store_dataset(db: str) -> Dataset:
    """The Dataset held in the database at `db`, as `boardpack import` stored it."""
    from .web import setup

    setup(db)
    from .web.store import dataset_from_store

    return dataset_from_store()


def progress_bar(items, count: int):
    """A progress bar on standard error while `items` (`count` of them) are passed on."""
    with click.progressbar(items, length=count, label="Councils", file=sys.stderr) as bar:
        yield from bar


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
def benchmark(project: Path, fmt: str, out: Path | None, organisations: tuple[str, ...]) -> None:
    """Place every council among all councils on every national measure.

    Reads the national publication the project's `benchmarking:` section names and writes one
    row per organisation, measure, period and comparator group: the value, the group's value,
    median, quartiles, MAD, distance from the median in MADs, rank, number ranked, quartile
    and change in rank. Documented in docs/benchmarking.md."""
    table = api.benchmark(project, organisations)
    text = csv_text(table) if fmt == "csv" else json.dumps(table.to_dicts(), default=str, indent=1)
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
    from .engine.spc_options import SpcOptions
    from .sources.spc_csv import read_period, read_spc_csv

    frame = read_spc_csv(file)
    restarts = [read_period(label, frame["period"].dtype) for label in recalculate_at]
    options = SpcOptions(
        improvement, not no_screen_outliers, fix_after, restarts, run_length, trend_length
    )
    result = run_spc(frame, options)
    _write(_spc_text(result, fmt), out)


def _spc_text(result, fmt: str) -> str:
    points = result.points.join(
        result.series.drop("points"), on="series", how="left", maintain_order="left"
    )
    if fmt == "csv":
        return csv_text(points)
    both = {"points": points.to_dicts(), "series": result.series.to_dicts()}
    return json.dumps(both, default=str, indent=1)


def _write(text: str, out: Path | None) -> None:
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@main.command()
@click.argument("project", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--from",
    "sources",
    required=True,
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The council's own table or tracker (CSV, XLSX or ODS), copied into PROJECT/data; "
    "repeat for a table per quarter.",
)
@click.option("--sheet", help="The sheet to read in a workbook. Default: the first.")
@click.option(
    "--period",
    help="The period of a table with no period column, e.g. 'Q1 2025/26' (one file only). "
    "Default: the period the file or sheet name gives (2025-26-q1.csv).",
)
def init(project: Path, sources: tuple[Path, ...], sheet: str | None, period: str | None) -> None:
    """Start a project from a council's own table or tracker: boardpack.yaml with one
    indicator per reference, the file's columns mapped, and every guess marked for checking.

    PROJECT is a new folder (an existing project is never overwritten)."""
    from .init_project import init_project

    made = init_project(project, sources, sheet=sheet, period=period)
    click.echo(
        f"Wrote {made.path}: {made.indicators} indicators from {', '.join(made.sources)}, "
        f'{made.guesses} guesses to check (the comments marked "guessed").'
    )
    click.echo(f"Next: boardpack validate {project}, then boardpack build {project}")


@main.command()
def layouts() -> None:
    """List the registered pack layouts."""
    from .pack import layouts as registered

    for name, layout in registered().items():
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
    problems: list[Problem] = []
    read = [
        attempt(lambda label=label: _period_row(label, frequency), problems) for label in labels
    ]
    rows = [row for row in read if row is not None]
    if rows:
        click.echo(csv_text(pl.DataFrame(rows)), nl=False)
    if problems:  # the labels that could be read are shown above
        raise BoardpackError(problems, outcome=None)


@main.group()
def cache() -> None:
    """The chart store: every chart a build drew, kept to be drawn once only."""


@cache.command("clear")
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--older-than",
    "days",
    type=click.FloatRange(min=0),
    default=None,
    help="Remove only the charts no build has used for this many days.",
)
def cache_clear(project: Path, days: float | None) -> None:
    """Remove every chart and picture kept in PROJECT's chart store (the folder that
    BOARDPACK_CACHE names, if set), or with --older-than those no build has used lately."""
    from .pack.chart_store import store_for

    store = store_for(project.parent if project.is_file() else project)
    if store is None:
        click.echo("BOARDPACK_CACHE is off: there is no chart store to clear.")
        return
    if days is None:
        removed = store.clear()
        click.echo(f"Removed {removed} charts and pictures from {store.folder}")
        return
    removed = store.trim(days * 86_400)
    click.echo(
        f"Removed {removed} charts and pictures unused for {days:g} days from {store.folder}; "
        f"{store.count()} kept"
    )


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


if __name__ == "__main__":
    main()
