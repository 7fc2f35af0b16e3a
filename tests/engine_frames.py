"""Tiny hand-built frames for the engine tests: an indicator row, an observation row, a frame."""

import polars as pl

from boardpack.dataset.schema import INDICATOR_COLUMNS, OBSERVATIONS
from boardpack.engine import EngineSettings, evaluate, make_scheme
from boardpack.periods import parse_period

STEPS = {"monthly": 1, "quarterly": 3, "annual": 12}
FREQUENCY_OF_STEP = {step: frequency for frequency, step in STEPS.items()}
BARNET_BANDS = [
    {"rag": "green", "min_pct": 0},
    {"rag": "green_amber", "min_pct": -10},
    {"rag": "red_amber", "min_pct": -20},
    {"rag": "red"},
]
# Barnet's four levels as a named scheme, as a project's `rating_schemes:` would give it.
# Barnet describes percentages relative to their target ("5.0% worse than the target").
BARNET = {
    "barnet": make_scheme(
        "barnet", {"kind": "variance_bands", "bands": BARNET_BANDS, "percentages": "relative"}
    )
}


def indicator(
    ref: str,
    polarity: str = "higher_better",
    scheme: str | None = None,
    unit: str = "percent",
    decimals: int = 1,
    step_months: int = 3,
    lag_periods: int = 0,
    no_change_within: float | None = None,
    tier: str = "KPI",
    directorate: str = "Adult Social Care",
    perspective: str | None = None,
) -> dict:
    """One catalogue row; the scheme follows the polarity as the catalogue's default does."""
    default = {"none": "none", "in_band": "in_band"}.get(polarity, "threshold")
    return {
        "indicator": ref,
        "title": f"Indicator {ref}",
        "tier": tier,
        "polarity": polarity,
        "unit": unit,
        "decimals": decimals,
        "frequency": FREQUENCY_OF_STEP[step_months],
        "step_months": step_months,
        "scheme": scheme or default,
        "lag_periods": lag_periods,
        "no_change_within": no_change_within,
        "directorate": directorate,
        "perspective": perspective,
    }


def observation(
    ref: str,
    period_label: str,
    value: float | None,
    target: float | None = None,
    floor: float | None = None,
    organisation: str = "E1",
    missing_reason: str | None = None,
) -> dict:
    """One figure, its period columns read from the label."""
    period = parse_period(period_label)
    return {
        "indicator": ref,
        "organisation": organisation,
        "period": period.label,
        "period_start": period.start,
        "period_end": period.end,
        "end_month": period.end_month,
        "value": value,
        "numerator": None,
        "denominator": None,
        "target": target,
        "floor": floor,
        "status": "final",
        "note": None,
        "missing_reason": missing_reason,
    }


def indicators_frame(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=INDICATOR_COLUMNS)


def observations_frame(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=OBSERVATIONS.columns)


def override(ref: str, period_label: str, rag: str, reason: str, organisation: str = "E1") -> dict:
    """A manual rating, as `boardpack.yaml`'s `overrides:` gives one."""
    return {
        "indicator": ref,
        "organisation": organisation,
        "period": parse_period(period_label).label,
        "rag": rag,
        "reason": reason,
        "approved_by": "Director of Adult Social Services",
    }


def overrides_frame(*rows: dict, key_type: pl.DataType = pl.Categorical) -> pl.DataFrame:
    """Manual ratings; the keys typed as the observations' (`pl.String` is what the Dataset builds)."""
    frame = pl.DataFrame(list(rows), schema=dict.fromkeys(rows[0], pl.String))
    return frame.with_columns(pl.col("indicator", "organisation", "period").cast(key_type))


def target(ref: str, period_label: str, value: float, floor: float | None = None) -> dict:
    """A catalogue target resolved to one period, as the Dataset's `targets` frame holds it."""
    period = parse_period(period_label)
    return {
        "indicator": ref,
        "period": period.label,
        "period_start": period.start,
        "period_end": period.end,
        "end_month": period.end_month,
        "target": value,
        "floor": floor,
    }


def run(
    indicators: list[dict],
    observations: list[dict],
    overrides: pl.DataFrame | None = None,
    schemes: dict | None = None,
    settings: EngineSettings | None = None,
    targets: list[dict] | None = None,
):
    """Evaluate hand-built rows; returns the `Evaluated`."""
    target_frame = pl.DataFrame(targets) if targets else None
    return evaluate(
        observations_frame(*observations),
        indicators_frame(*indicators),
        targets=target_frame,
        overrides=overrides,
        schemes=schemes,
        settings=settings or EngineSettings(),
    )


def rows(evaluated) -> list[dict]:
    """The results in series and period order, as plain dicts with string labels."""
    frame = evaluated.results.sort("series", "end_month")
    return frame.with_columns(pl.col(pl.Categorical).cast(pl.String)).to_dicts()


def one(indicator_row: dict, observation_row: dict, **kwargs) -> dict:
    """Evaluate a single figure and return its result row."""
    return rows(run([indicator_row], [observation_row], **kwargs))[0]


def series(
    indicator_row: dict,
    values: dict[str, float | None],
    target: float | None = None,
    organisation: str = "E1",
    **kwargs,
) -> list[dict]:
    """Evaluate one indicator's figures by period label; rows in period order."""
    ref = indicator_row["indicator"]
    observations = [
        observation(ref, label, value, target, organisation=organisation)
        for label, value in values.items()
    ]
    return rows(run([indicator_row], observations, **kwargs))


def by_period(result_rows: list[dict]) -> dict[str, dict]:
    return {row["period"]: row for row in result_rows}


def rated(
    value: float | None, target: float | None = None, floor: float | None = None, **attributes
) -> dict:
    """One Q2 2019/20 figure of an indicator with these attributes, evaluated (Barnet's scheme known)."""
    return one(
        indicator("A", **attributes),
        observation("A", "Q2 2019/20", value, target, floor),
        schemes=BARNET,
    )
