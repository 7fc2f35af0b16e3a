"""Numbers written as council reports write them."""

import re

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boardpack.engine import format_number, format_value
from boardpack.engine.formatting import format_column

UNITS = ["number", "percent", "rate_per_100k", "days", "currency", "fte", "ratio", None]


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "text"),
    [
        (1311192, 0, "currency", "£1,311,192"),
        (37.0, 1, "percent", "37.0%"),
        (81.84, 1, "percent", "81.8%"),
        (1631, 0, "number", "1,631"),
        (6.45, 2, "days", "6.45 days"),
        (512.3, 1, "rate_per_100k", "512.3"),
        (1234.5, 1, "fte", "1,234.5 FTE"),
        (0.875, 2, "ratio", "0.88"),
        (999.96, 1, "number", "1,000.0"),
        (1234567.891, 2, None, "1,234,567.89"),
        (123, 0, "number", "123"),
        (1000, 0, "number", "1,000"),
        (0, 0, "currency", "£0"),
        (0, 2, "number", "0.00"),
        (7, 3, "number", "7.000"),
        (-1234, 0, "number", "-1,234"),
        (-2500.5, 1, "currency", "-£2,500.5"),
        (-12.34, 1, "percent", "-12.3%"),
        (-0.04, 1, "percent", "0.0%"),  # rounds to zero: no minus sign
        (0.04, 1, "percent", "0.0%"),
        (19.6, 0, "number", "20"),
    ],
)
def test_format_value(value, decimals, unit, text):
    assert format_value(value, decimals, unit) == text


def test_null_is_blank_and_stays_null_in_a_column():
    assert format_value(None, 1, "percent") == ""
    frame = pl.DataFrame({"value": [None, 1.5], "decimals": [1, 1], "unit": ["percent", "percent"]})
    assert format_column(frame, "value").to_list() == [None, "1.5%"]


@pytest.mark.parametrize(
    ("value", "decimals", "text"), [(12.25, 1, "12.3%"), (2.5, 0, "3%"), (0.5, 0, "1%")]
)
def test_halves_round_away_from_zero(value, decimals, text):
    assert format_value(value, decimals, "percent") == text


# --- properties --------------------------------------------------------------------------

values = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
decimal_places = st.integers(min_value=0, max_value=3)
units = st.sampled_from(UNITS)


def parse_text(text: str) -> float:
    """The number a formatted text states: separators, unit prefix and suffix removed."""
    assert re.fullmatch(r"-?£?\d{1,3}(,\d{3})*(\.\d+)?(%| days| FTE)?", text), text
    return float(re.sub(r"[£,%]| days| FTE", "", text))


@given(value=values, decimals=decimal_places, unit=units)
def test_formatted_text_states_the_rounded_number(value, decimals, unit):
    text = format_value(value, decimals, unit)
    stated = parse_text(text)
    places = text.split(".")[1] if "." in text else ""
    assert len(re.sub(r"\D", "", places)) == decimals
    # At most half a unit of the last place away, allowing for the float error of scaling.
    assert abs(stated - value) <= 0.5 * 10**-decimals + abs(value) * 1e-12


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), values, st.sampled_from([0.05, -0.05, 2.5, -2.5, 0.0])),
            decimal_places,
            units,
        ),
        min_size=1,
        max_size=40,
    )
)
def test_format_column_matches_format_number(rows):
    frame = pl.DataFrame(
        {
            "value": [r[0] for r in rows],
            "decimals": [r[1] for r in rows],
            "unit": [r[2] for r in rows],
        },
        schema={"value": pl.Float64, "decimals": pl.Int32, "unit": pl.String},
    )
    expected = frame.select(format_number(pl.col("value"), pl.col("decimals"), pl.col("unit")))
    assert format_column(frame, "value").to_list() == expected.to_series().to_list()


@settings(max_examples=300)
@given(
    value=st.one_of(
        values,
        st.integers(min_value=-(10**6), max_value=10**6).map(lambda n: n / 200),  # halves
    ),
    decimals=decimal_places,
    unit=units,
)
def test_format_value_matches_format_number(value, decimals, unit):
    frame = pl.DataFrame({"v": [float(value)], "d": [decimals], "u": [unit or "number"]})
    expected = frame.select(format_number(pl.col("v"), pl.col("d"), pl.col("u"))).item()
    assert format_value(value, decimals, unit) == expected
