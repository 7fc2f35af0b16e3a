"""The order the engine sorts rows in: `sorting_order` agrees with `arg_sort` (equal keys in row
order), whether it sorts keys packed with row numbers or, where they do not fit, by `arg_sort`."""

import numpy as np
import polars as pl
import pytest

from boardpack.engine.evaluate import sorting_order


@pytest.mark.parametrize(
    "keys",
    [
        [3, 1, 2, 1, 0, 3],  # packed with the row numbers
        [3, 1, None, 1],  # a null: by arg_sort, nulls first
        [5, -1, 5, 0],  # a negative key: by arg_sort
        [1 << 62, 0, 1 << 62, 3],  # too large to pack: by arg_sort
        [7],
        [],
    ],
)
def test_sorting_order_is_arg_sort(keys):
    key = pl.Series("key", keys, dtype=pl.Int64)
    order = sorting_order(key)
    assert order.to_list() == key.arg_sort().to_list()
    assert order.dtype == pl.get_index_type()


def test_equal_keys_keep_row_order():
    assert sorting_order(pl.Series([2, 0, 2, 0, 1])).to_list() == [1, 3, 4, 0, 2]


def test_many_keys_agree_with_arg_sort():
    key = pl.Series(np.random.default_rng(7).integers(0, 1_000, 200_000))
    assert sorting_order(key).equals(key.arg_sort(), check_names=False)
