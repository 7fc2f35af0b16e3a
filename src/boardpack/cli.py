"""The `boardpack` command: the command-line door into the same Dataset, engine and pack."""

from __future__ import annotations

import functools
import json
import sys
import time
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
@project_argument
@click.option(
    "--period",
    help="The reporting period, e.g. 'Q2 2025/26'. Default: the latest quarter with figures.",
)
@click.option(
    "--layout",
    default="quarterly-report",
    show_default=True,
    help="A registered layout (see `boardpack layouts`).",
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
@reports_problems
def build(
    project: Path, period: str | None, layout: str, out: Path, organisation: str | None
) -> None:
    """Build the performance pack for a period as a self-contained static site."""
    from .assemble import latest_period, pack_input
    from .dataset import load_project
    from .pack import build_site, get_layout

    started = time.perf_counter()
    try:
        get_layout(layout)
    except KeyError as error:
        raise click.BadParameter(error.args[0], param_hint="--layout") from error
    dataset = load_project(project)
    try:
        chosen = parse_period(period, "quarterly") if period else latest_period(dataset)
        pack = pack_input(dataset, dataset.evaluate(), chosen, organisation)
    except ValueError as error:  # a period or organisation with nothing to report
        raise click.ClickException(str(error)) from error
    index = build_site(pack, layout, out)
    click.echo(
        f"Built the {layout} pack for {chosen.label} in {time.perf_counter() - started:.1f} s: {index}"
    )


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


if __name__ == "__main__":
    main()
