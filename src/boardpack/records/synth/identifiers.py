"""Identifiers of synthetic people: NHS numbers, councils' own person identifiers, postcodes.

NHS numbers are ten digits with a valid modulus-11 check digit, all starting with 9 (a range
not issued to patients), unique across every council of every run with the same seed; a person
who moves keeps theirs.
"""

from __future__ import annotations

import numpy as np
import polars as pl

WEIGHTS = np.arange(10, 1, -1)  # modulus 11 weights of the first nine digits
BLOCK = 600_000  # NHS number bases reserved per council


def nhs_numbers(ordinal: int, count: int) -> np.ndarray:
    """`count` valid NHS numbers (as int64) for the council with this ordinal."""
    base = 900_000_000 + ordinal * BLOCK
    candidates = np.arange(base, base + max(count * 12 // 10 + 20, 40), dtype=np.int64)
    while True:
        digits = (candidates[:, None] // 10 ** np.arange(8, -1, -1)) % 10
        check = (11 - (digits * WEIGHTS).sum(axis=1) % 11) % 11
        valid = check != 10
        if valid.sum() >= count:
            break
        candidates = np.arange(base, base + len(candidates) * 2, dtype=np.int64)
    return (candidates[valid] * 10 + check[valid])[:count]


def nhs_strings(numbers: np.ndarray) -> pl.Series:
    """Ten-digit strings; null where the number is negative (no NHS number)."""
    series = pl.Series(numbers, dtype=pl.Int64)
    return pl.select(pl.when(series >= 0).then(series.cast(pl.String).str.zfill(10))).to_series()


def person_ids(count: int) -> pl.Series:
    """The council's own identifiers: `P` and a six-digit number."""
    numbers = pl.Series(np.arange(100_001, 100_001 + count)).cast(pl.String)
    return pl.select(pl.concat_str(pl.lit("P"), numbers)).to_series()


LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))


def postcodes(rng: np.random.Generator, count: int) -> pl.Series:
    """Postcode-shaped strings (`XX9 9XX`), made up: no real address is meant."""

    def letters() -> pl.Series:
        return pl.Series(LETTERS[rng.integers(0, len(LETTERS), count)])

    def digit(low: int) -> pl.Series:
        return pl.Series(rng.integers(low, 10, count)).cast(pl.String)

    parts = [
        letters(),
        letters(),
        digit(1),
        pl.Series([" "] * count),
        digit(0),
        letters(),
        letters(),
    ]
    return pl.select(pl.concat_str(parts)).to_series()
