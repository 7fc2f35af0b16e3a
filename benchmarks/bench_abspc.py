"""Side by side with `abspc` (a published Python implementation of Making Data Count): the
time per series for limits, special causes, variation and assurance, on a fixed sample of the
same series `bench_spc.py` charts; and the results compared point by point on 300 seeded
series with matched options (`abspc_compare.py`), every difference by class. Prints one JSON
object; asserts nothing."""

import json
import time

import abspc
import pandas as pd
import polars as pl
from abspc_compare import compare, seeded_series
from bench_spc import POINTS, synthetic

SAMPLE = 200  # abspc works series by series in pandas; a fixed sample of the same series


def abspc_seconds_per_series(frame: pl.DataFrame) -> float:
    series = frame.partition_by("series", maintain_order=False)[:SAMPLE]
    tables = [
        pd.DataFrame(s.sort("period").drop_nulls("value").to_dict(as_series=False)) for s in series
    ]
    start = time.perf_counter()
    for table in tables:
        limits = abspc.calculate_control_limits(table, "XmR", value_col="value", subgroup_col=None)
        flagged = abspc.detect_special_causes(limits)
        abspc.determine_variation_type(flagged, improvement_direction="high")
        abspc.determine_assurance_type(
            flagged, target=float(table["target"].iloc[0]), improvement_direction="high"
        )
    return (time.perf_counter() - start) / len(tables)


def agreement() -> dict:
    """How far Boardpack (screen_outliers off, run 8, trend 6) and abspc agree."""
    found = compare(seeded_series()).as_dict()
    return {f"abspc_compared_{k}": v for k, v in found.items()}


def main() -> None:
    frame = synthetic(2 * SAMPLE, POINTS)
    print(
        json.dumps(
            {
                "abspc_sample_series": SAMPLE,
                "abspc_seconds_per_series": abspc_seconds_per_series(frame),
                **agreement(),
            }
        )
    )


if __name__ == "__main__":
    main()
