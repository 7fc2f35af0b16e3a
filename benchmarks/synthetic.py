"""Synthetic national-scale data for the benchmarks: every organisation x indicator x month."""

import numpy as np
import polars as pl

RATED = ["higher_better", "lower_better", "in_band"]
SCHEMES = {
    "higher_better": "threshold",
    "lower_better": "threshold",
    "in_band": "in_band",
    "none": "none",
}
UNITS = ["percent", "number", "rate_per_100k", "days", "currency"]


def polarity_of(i: int) -> str:
    """Every tenth indicator is an activity measure; the rest cycle through the rated kinds."""
    return RATED[i % 3] if i % 10 else "none"


def indicators(n: int) -> pl.DataFrame:
    polarity = [polarity_of(i) for i in range(n)]
    return pl.DataFrame(
        {
            "indicator": [f"IND{i:04d}" for i in range(n)],
            "title": [f"Indicator {i}" for i in range(n)],
            "tier": ["Strategic" if i % 3 == 0 else "KPI" for i in range(n)],
            "polarity": polarity,
            "unit": [UNITS[i % len(UNITS)] for i in range(n)],
            "decimals": [1 if i % 2 else 0 for i in range(n)],
            "frequency": ["monthly"] * n,
            "step_months": [1] * n,
            "scheme": [SCHEMES[p] for p in polarity],
            "lag_periods": [i % 2 for i in range(n)],
            "no_change_within": [None] * n,
            "directorate": [f"Directorate {i % 4}" for i in range(n)],
            "perspective": [f"Perspective {i % 5}" for i in range(n)],
        },
        schema_overrides={"no_change_within": pl.Float64},
    )


def observations(n_orgs: int, n_indicators: int, n_months: int, seed: int = 1) -> pl.DataFrame:
    """Shuffled rows with values, targets and floors; month index starts at Apr 2020."""
    rng = np.random.default_rng(seed)
    rows = n_orgs * n_indicators * n_months
    org = np.repeat(np.arange(n_orgs), n_indicators * n_months)
    ind = np.tile(np.repeat(np.arange(n_indicators), n_months), n_orgs)
    month = np.tile(np.arange(n_months), n_orgs * n_indicators) + 2020 * 12 + 3
    target = 50 + (ind % 40).astype(float)
    lower = np.array([polarity_of(i) == "lower_better" for i in range(n_indicators)])[ind]
    value = target + rng.normal(0, 6, rows)
    value[rng.random(rows) < 0.01] = np.nan
    order = rng.permutation(rows)
    frame = pl.DataFrame(
        {
            "indicator": pl.Series(
                [f"IND{i:04d}" for i in range(n_indicators)], dtype=pl.Categorical
            )[ind[order]],
            "organisation": pl.Series([f"E{i:08d}" for i in range(n_orgs)], dtype=pl.Categorical)[
                org[order]
            ],
            "end_month": month[order].astype(np.int32),
            "value": value[order],
            "target": target[order],
            "floor": np.where(lower, target + 8, target - 8)[order],
        }
    ).with_columns(pl.col("value").fill_nan(None))
    end = pl.date(pl.col("end_month") // 12, pl.col("end_month") % 12 + 1, 1).dt.month_end()
    return frame.with_columns(
        pl.format("M{}", pl.col("end_month")).cast(pl.Categorical).alias("period"),
        end.dt.month_start().alias("period_start"),
        end.alias("period_end"),
        pl.lit(None, dtype=pl.Float64).alias("numerator"),
        pl.lit(None, dtype=pl.Float64).alias("denominator"),
        pl.lit("final", dtype=pl.Categorical).alias("status"),
        pl.lit(None, dtype=pl.String).alias("note"),
        pl.when(pl.col("value").is_null())
        .then(pl.lit("suppressed"))
        .cast(pl.Categorical)
        .alias("missing_reason"),
    )
