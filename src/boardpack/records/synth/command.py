"""`boardpack records synth OUT`: synthetic Client Level Data submissions with known answers."""

from __future__ import annotations

from pathlib import Path

import click

from boardpack.errors import BoardpackError

from .generate import synthesise


@click.command("synth")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--councils",
    type=int,
    default=2,
    show_default=True,
    help="How many real councils (chosen by --seed from the 153 of 2024-25) to simulate.",
)
@click.option(
    "--people",
    type=int,
    default=None,
    help="People with long-term support in 2024-25 per council, on average over the chosen "
    "councils; each council keeps its published share. Omit for the published volumes.",
)
@click.option(
    "--quarters",
    type=int,
    default=5,
    show_default=True,
    help="Quarterly submissions per council, the last for the quarter ending 31 March 2025; each "
    "covers the rolling 12 months to its quarter end.",
)
@click.option(
    "--seed", type=int, default=1, show_default=True, help="The same seed gives the same files."
)
@click.option(
    "--faults",
    is_flag=True,
    help="Inject the faults the method must survive; OUT/faults.csv lists them and expected.csv "
    "holds the measures after the method's treatment of each.",
)
def synth(
    out: Path, councils: int, people: int | None, quarters: int, seed: int, faults: bool
) -> None:
    """Simulate people's care journeys in real councils and write their quarterly Client Level
    Data submissions to OUT, with OUT/expected.csv: the measures worked out from the simulated
    truth (organisation, measure, period, numerator, denominator, value)."""
    try:
        result = synthesise(
            out, councils=councils, people=people, quarters=quarters, seed=seed, faults=faults
        )
    except BoardpackError as error:
        raise click.ClickException(
            f"{error.count_text()}; nothing was written.\n{error}"
        ) from error
    rate = result.rows / result.seconds if result.seconds else 0
    click.echo(
        f"Wrote {result.files:,} submissions ({result.rows:,} rows) for {result.councils} councils "
        f"to {out} in {result.seconds:.1f} s ({rate:,.0f} rows a second)."
    )
    click.echo(f"Expected measures: {out / 'expected.csv'} ({result.expected.height:,} rows).")
    if faults:
        click.echo(f"Faults injected: {out / 'faults.csv'}.")
