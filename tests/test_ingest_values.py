import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from boardpack.sources.values import ParsedValue, ValueParseError, parse_column, parse_value


@pytest.mark.parametrize(
    ("text", "value", "is_percent", "is_currency"),
    [
        ("37.0%", 37.0, True, False),
        ("1,631", 1631.0, False, False),
        ("£1,311,192", 1311192.0, False, True),
        ("(1,062)", -1062.0, False, False),
        ("(£1,062)", -1062.0, False, True),
        ("-14", -14.0, False, False),
        ("-£14", -14.0, False, True),
        ("6.45 (Days)", 6.45, False, False),
        ("7 (Days)", 7.0, False, False),
        ("0.8%", 0.8, True, False),
        (".05%", 0.05, True, False),
        ("1,755.3", 1755.3, False, False),
        (" 42 ", 42.0, False, False),
        ("73.5 %", 73.5, True, False),
    ],
)
def test_numbers_as_people_type_them(text, value, is_percent, is_currency):
    assert parse_value(text) == ParsedValue(value, None, is_percent, is_currency)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[c]", "suppressed"),
        ("[C]", "suppressed"),
        ("[x]", "not available"),
        ("[z]", "not applicable"),
        ("N/A", "not available"),
        ("n/a", "not available"),
        ("-", "not available"),
        ("–", "not available"),
        ("..", "not available"),
        ("", "blank"),
        ("   ", "blank"),
        (None, "blank"),
    ],
)
def test_markers_are_missing_with_the_reason_kept(text, reason):
    parsed = parse_value(text)
    assert parsed.value is None
    assert parsed.missing == reason


@pytest.mark.parametrize("number", [3.0, 0.371, -2.5, 1631])
def test_spreadsheet_numbers_pass_through(number):
    assert parse_value(number) == ParsedValue(float(number))


@pytest.mark.parametrize("text", ["12..5", "1,63", "abc", "37%%", "1e5", "(-5)", "£", "%"])
def test_anything_else_is_an_error_naming_the_text(text):
    with pytest.raises(ValueParseError) as caught:
        parse_value(text)
    assert caught.value.text == text
    assert f'"{text}" is not a number' in str(caught.value)


@given(st.text())
def test_any_string_parses_or_raises_value_parse_error(text):
    try:
        parsed = parse_value(text)
    except ValueParseError:
        return
    assert (parsed.value is None) != (parsed.missing is None)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_formatted_numbers_read_back(number):
    assert parse_value(f"{number:,.2f}").value == pytest.approx(round(number, 2))
    assert parse_value(f"{abs(number):,.2f}%").is_percent


#: Cells in every form a council writes, and some no reader accepts.
COLUMN_CELLS = [
    "37.0%",
    "1,631",
    "£1,311,192",
    "(1,062)",
    "(£1,062)",
    "-14",
    "-£14",
    "£-14",
    "6.45 (Days)",
    ".05%",
    " 42 ",
    "73.5 %",
    "+5",
    "- 5",
    "−3",
    "5.",
    "[c]",
    "[X]",
    "n/a",
    "—",
    "..",
    None,
    "abc",
    "(-5)",
    "-(5)",
    "1,23",
    "(5",
    "1e3",
    "inf",
    "nan",
    "٣",
    "-£-5",
    "12",
    "-0",
    "007",
]


def _expected(text):
    try:
        parsed = parse_value(text)
    except ValueParseError:
        return (None, None, False, False)
    return (parsed.value, parsed.missing, parsed.is_percent, True)


def test_a_column_is_parsed_as_each_cell_is():
    parsed = parse_column(pl.Series(COLUMN_CELLS, dtype=pl.String))
    assert list(parsed.iter_rows()) == [_expected(text) for text in COLUMN_CELLS]


@given(st.lists(st.text(alphabet="0123456789.,-+£%() []cxn/a−", max_size=8), max_size=30))
def test_a_column_of_any_cells_is_parsed_as_each_cell_is(cells):
    parsed = parse_column(pl.Series(cells, dtype=pl.String))
    for text, row in zip(cells, parsed.iter_rows(), strict=True):
        expected = _expected(text.strip() or None)
        assert row == expected or not (row[3] or expected[3]), text
