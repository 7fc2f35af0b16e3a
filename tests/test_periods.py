import calendar
import re
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boardpack.periods import (
    ACCEPTED_FORMS,
    FREQUENCIES,
    FREQUENCY_FORMS,
    Period,
    PeriodError,
    month_index,
    parse_period,
    period_ending,
    period_for,
    periods_ending_within,
    periods_in,
)

# label as written -> (start, end, kind, canonical label)
FORMS = {
    "Q2 2011/12": (date(2011, 7, 1), date(2011, 9, 30), "quarter", "Q2 2011/12"),
    "Quarter 2 2019/2020": (date(2019, 7, 1), date(2019, 9, 30), "quarter", "Q2 2019/20"),
    "Q2 2019-20": (date(2019, 7, 1), date(2019, 9, 30), "quarter", "Q2 2019/20"),
    "2019/20 Q2": (date(2019, 7, 1), date(2019, 9, 30), "quarter", "Q2 2019/20"),
    "Q1 15/16": (date(2015, 4, 1), date(2015, 6, 30), "quarter", "Q1 2015/16"),
    "Q4 2019/20": (date(2020, 1, 1), date(2020, 3, 31), "quarter", "Q4 2019/20"),
    "Sep 11": (date(2011, 9, 1), date(2011, 9, 30), "month", "Sep 2011"),
    "Sept 10": (date(2010, 9, 1), date(2010, 9, 30), "month", "Sep 2010"),
    "Mar 12": (date(2012, 3, 1), date(2012, 3, 31), "month", "Mar 2012"),
    "Sep 2019": (date(2019, 9, 1), date(2019, 9, 30), "month", "Sep 2019"),
    "September 2019": (date(2019, 9, 1), date(2019, 9, 30), "month", "Sep 2019"),
    "June 2015": (date(2015, 6, 1), date(2015, 6, 30), "month", "Jun 2015"),
    "July 2011": (date(2011, 7, 1), date(2011, 7, 31), "month", "Jul 2011"),
    "Feb 2020": (date(2020, 2, 1), date(2020, 2, 29), "month", "Feb 2020"),
    "2011-09": (date(2011, 9, 1), date(2011, 9, 30), "month", "Sep 2011"),
    "Apr-June 2015": (date(2015, 4, 1), date(2015, 6, 30), "quarter", "Q1 2015/16"),
    "Apr - May 2015": (date(2015, 4, 1), date(2015, 5, 31), "range", "Apr 2015 - May 2015"),
    "Oct 2014 - March 2015": (date(2014, 10, 1), date(2015, 3, 31), "range", "Oct 2014 - Mar 2015"),
    "June 2014 - May 2015": (
        date(2014, 6, 1),
        date(2015, 5, 31),
        "rolling_12",
        "Jun 2014 - May 2015",
    ),
    "June 2014-May 2015": (
        date(2014, 6, 1),
        date(2015, 5, 31),
        "rolling_12",
        "Jun 2014 - May 2015",
    ),
    "Apr 2014 - Mar 2015": (date(2014, 4, 1), date(2015, 3, 31), "year", "2014/15"),
    "12 months to Mar 2015": (
        date(2014, 4, 1),
        date(2015, 3, 31),
        "rolling_12",
        "12 months to Mar 2015",
    ),
    "2017/2018": (date(2017, 4, 1), date(2018, 3, 31), "year", "2017/18"),
    "2017/18": (date(2017, 4, 1), date(2018, 3, 31), "year", "2017/18"),
    "2017-18": (date(2017, 4, 1), date(2018, 3, 31), "year", "2017/18"),
    "2015-2016": (date(2015, 4, 1), date(2016, 3, 31), "year", "2015/16"),
    "2015 to 2016": (date(2015, 4, 1), date(2016, 3, 31), "year", "2015/16"),
    "1999/00": (date(1999, 4, 1), date(2000, 3, 31), "year", "1999/00"),
    "2019/20 to Sep 2019": (
        date(2019, 4, 1),
        date(2019, 9, 30),
        "year_to_date",
        "2019/20 to Sep 2019",
    ),
    "YTD Sep 2019": (date(2019, 4, 1), date(2019, 9, 30), "year_to_date", "2019/20 to Sep 2019"),
}


@pytest.mark.parametrize("label", FORMS)
def test_each_accepted_form(label):
    start, end, kind, canonical = FORMS[label]
    period = parse_period(label)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert period.label == canonical == str(period)
    assert parse_period(canonical) == period


@pytest.mark.parametrize(
    "messy, clean",
    [
        ("  q2   2019/20 ", "Q2 2019/20"),
        ("QUARTER 2 2019 / 2020", "Q2 2019/20"),
        ("Apr\u2013June 2015", "Apr-Jun 2015"),
        ("Oct 2014 \u2014 March 2015", "Oct 2014 - Mar 2015"),
        ("sept. 2010", "Sep 2010"),
        ("Sep-11", "Sep 2011"),
    ],
)
def test_case_spacing_and_dashes_do_not_matter(messy, clean):
    assert parse_period(messy) == parse_period(clean)


@pytest.mark.parametrize(
    "text, year", [("Sep 00", 2000), ("Sep 69", 2069), ("Sep 70", 1970), ("Sep 99", 1999)]
)
def test_two_digit_years(text, year):
    assert parse_period(text).start.year == year


@pytest.mark.parametrize(
    "text, frequency, label",
    [
        ("30/09/2019", "monthly", "Sep 2019"),
        ("30/09/2019", "quarterly", "Q2 2019/20"),
        ("30/09/2019", "annual", "Oct 2018 - Sep 2019"),
        ("31/03/2019", "annual", "2018/19"),
        ("31/03/2019", "quarterly", "Q4 2018/19"),
        ("2019-09-30", "quarterly", "Q2 2019/20"),
        ("30/06/19", "quarterly", "Q1 2019/20"),
    ],
)
def test_dates_need_a_frequency_and_give_the_period_ending_there(text, frequency, label):
    assert parse_period(text, frequency).label == label


def test_a_date_without_a_frequency_says_the_frequency_is_needed():
    with pytest.raises(PeriodError, match="frequency"):
        parse_period("30/09/2019")


def test_iso_month_that_is_also_a_financial_year_follows_the_frequency():
    assert parse_period("2011-12").kind == "year"
    assert parse_period("2011-12", "monthly").label == "Dec 2011"


@pytest.mark.parametrize(
    "end, frequency, error",
    [
        (date(2019, 9, 15), "monthly", "last day of a month"),
        (date(2019, 8, 31), "quarterly", "quarter"),
        (date(2019, 9, 30), "weekly", "frequency"),
    ],
)
def test_period_ending_rejects_dates_that_end_no_such_period(end, frequency, error):
    with pytest.raises((PeriodError, ValueError), match=error):  # ValueError: no such frequency
        period_ending(end, frequency)


@pytest.mark.parametrize(
    "label, previous",
    [
        ("Sep 2019", "Aug 2019"),
        ("Jan 2020", "Dec 2019"),
        ("Q4 2019/20", "Q3 2019/20"),
        ("Q1 2019/20", "Q4 2018/19"),
        ("2019/20", "2018/19"),
        ("Jun 2014 - May 2015", "May 2014 - Apr 2015"),
        ("May 2014 - Apr 2015", "12 months to Mar 2015"),
        ("Oct 2014 - Mar 2015", "Apr 2014 - Sep 2014"),
        ("Apr 2015 - May 2015", "Feb 2015 - Mar 2015"),
        ("2019/20 to Sep 2019", "2019/20 to Aug 2019"),
        ("2019/20 to Apr 2019", "2018/19 to Mar 2019"),
    ],
)
def test_previous(label, previous):
    period = parse_period(label)
    assert period.previous().label == previous
    assert period.previous().kind == period.kind


@pytest.mark.parametrize(
    "label, last_year",
    [
        ("Jan 2020", "Jan 2019"),
        ("Q1 2019/20", "Q1 2018/19"),
        ("2019/20", "2018/19"),
        ("Jun 2014 - May 2015", "Jun 2013 - May 2014"),
        ("Oct 2014 - Mar 2015", "Oct 2013 - Mar 2014"),
        ("2019/20 to Sep 2019", "2018/19 to Sep 2018"),
    ],
)
def test_last_year(label, last_year):
    assert parse_period(label).last_year().label == last_year


def test_previous_with_a_step_shifts_by_that_many_months():
    assert parse_period("Sep 2019").previous(3).label == "Jun 2019"
    assert parse_period("Jun 2014 - May 2015").previous(3).label == "Mar 2014 - Feb 2015"
    with pytest.raises(PeriodError):
        parse_period("Q2 2019/20").previous(1)


def test_properties_of_a_quarter():
    q4 = parse_period("Q4 2019/20")
    assert q4.months == 3
    assert q4.end_month == month_index(date(2020, 3, 31)) == 2020 * 12 + 2
    assert q4.financial_year == "2019/20"
    assert parse_period("Jun 2014 - May 2015").financial_year == "2015/16"


def test_contains():
    year = parse_period("2019/20")
    assert year.contains(parse_period("Q4 2019/20"))
    assert year.contains(parse_period("Mar 2020"))
    assert year.contains(year)
    assert not year.contains(parse_period("Apr 2020"))
    assert not parse_period("Q2 2019/20").contains(year)


@pytest.mark.parametrize(
    "container, frequency, labels",
    [
        ("Q2 2019/20", "monthly", ["Jul 2019", "Aug 2019", "Sep 2019"]),
        ("2019/20", "quarterly", ["Q1 2019/20", "Q2 2019/20", "Q3 2019/20", "Q4 2019/20"]),
        ("Oct 2014 - Mar 2015", "quarterly", ["Q3 2014/15", "Q4 2014/15"]),
        ("Jun 2014 - May 2015", "quarterly", ["Q2 2014/15", "Q3 2014/15", "Q4 2014/15"]),
        ("Jun 2014 - May 2015", "annual", []),
        ("2019/20", "annual", ["2019/20"]),
    ],
)
def test_periods_in(container, frequency, labels):
    assert [p.label for p in periods_in(parse_period(container), frequency)] == labels


@pytest.mark.parametrize(
    "label, reason",
    [
        ("Qtr 5 2019", None),
        ("2017/19", "consecutive"),
        ("2017/2019", "consecutive"),
        ("2015 to 2017", "consecutive"),
        ("31/02/2019", "no such date"),
        ("2019/20 to Sep 2020", "not in the financial year"),
        ("Oct 2015 - Mar 2015", "ends before it starts"),
        ("", "blank"),
        ("Smarch 2019", None),
    ],
)
def test_errors_name_the_label_and_the_accepted_forms(label, reason):
    with pytest.raises(PeriodError) as caught:
        parse_period(label)
    message = str(caught.value)
    assert caught.value.label == label
    assert message.startswith(f'Cannot read the period "{label}"')
    assert all(form in message for form in ACCEPTED_FORMS)
    if reason:
        assert reason in message


@pytest.mark.parametrize("frequency", FREQUENCIES)
def test_each_frequencys_example_forms_read_as_a_period_of_it(frequency):
    kind = {"monthly": "month", "quarterly": "quarter", "annual": "year"}[frequency]
    noun, forms, month, day = FREQUENCY_FORMS[frequency]
    written = [*forms, month or forms[0], day]
    assert {parse_period(form, frequency).kind for form in [*forms, day]} == {kind}
    assert {period_for(form, frequency).kind for form in written} == {kind}
    assert len({period_for(form, frequency) for form in written}) == 1  # the same period


@pytest.mark.parametrize(
    "label, frequency, said",
    [
        ("Q5 2023/24", "quarterly", "write a quarter like Q2 2019/20, Jul-Sep 2019 or the day"),
        ("Decc 10", "monthly", "write a month like Sep 2019, 2019-09 or the day it ends"),
        ("2017/19", "annual", "Write a financial year like 2019/20, 2019 to 2020 or the day"),
        ("Aug 2019", "quarterly", "ends in June, September, December or March. Write a quarter"),
    ],
)
def test_an_error_for_a_frequency_says_it_and_how_to_write_such_a_period(label, frequency, said):
    with pytest.raises(PeriodError) as caught:
        period_for(label, frequency)
    message = str(caught.value)
    assert message.startswith(f'Cannot read the period "{label}" for {frequency} figures: ')
    assert said in message and message.endswith(f"the day it ends, {FREQUENCY_FORMS[frequency][3]}")
    assert caught.value.frequency == frequency and caught.value.label == label


def test_a_period_that_cannot_exist_is_refused():
    with pytest.raises(PeriodError):
        Period(date(2019, 5, 1), date(2019, 7, 31), "quarter")
    with pytest.raises(PeriodError):
        Period(date(2019, 4, 2), date(2019, 4, 30), "month")
    with pytest.raises(PeriodError):
        Period(date(2019, 4, 1), date(2019, 4, 30), "fortnight")


# --- properties ----------------------------------------------------------------------------

MONTHS = st.integers(min_value=1950 * 12, max_value=2090 * 12)


def _period(kind, first, last):
    year, month = last // 12, last % 12 + 1
    end = date(year, month, calendar.monthrange(year, month)[1])
    return Period(date(first // 12, first % 12 + 1, 1), end, kind)


@st.composite
def periods(draw):
    kind = draw(
        st.sampled_from(["month", "quarter", "year", "rolling_12", "year_to_date", "range"])
    )
    last = draw(MONTHS)
    if kind == "quarter":
        last -= (last - 2) % 3
    if kind == "year":
        last -= (last - 2) % 12
    first = {
        "month": last,
        "quarter": last - 2,
        "year": last - 11,
        "rolling_12": last - 11,
        "year_to_date": last - (last - 3) % 12,
    }.get(kind)
    if kind == "range":
        length = draw(st.integers(min_value=2, max_value=36).filter(lambda n: n != 12))
        first = last - length + 1
        if length == 3 and first % 3 == 0:
            first, last = first + 1, last + 1
    return _period(kind, first, last)


@given(st.text())
def test_parsing_any_text_returns_a_period_or_a_period_error(text):
    try:
        assert isinstance(parse_period(text), Period)
    except PeriodError as error:
        assert error.label == text


@given(
    st.text(alphabet="0123456789/- QqApr to", max_size=20), st.sampled_from((None,) + FREQUENCIES)
)
def test_parsing_period_like_text_never_fails_otherwise(text, frequency):
    try:
        parse_period(text, frequency)
    except PeriodError:
        pass


@given(periods())
def test_labels_round_trip(period):
    assert parse_period(period.label) == period


@given(periods())
def test_previous_ends_before_it_starts_and_keeps_the_kind(period):
    before = period.previous()
    assert before.kind == period.kind
    if period.kind in ("month", "quarter", "year", "range"):
        assert before.end < period.start
        assert before.months == period.months
    assert period.last_year().end_month == period.end_month - 12


@given(periods())
def test_periods_in_lie_inside_and_do_not_overlap(period):
    for frequency in FREQUENCIES:
        inside = periods_in(period, frequency)
        assert all(period.contains(p) for p in inside)
        assert all(a.end < b.start for a, b in pairwise(inside))


def test_every_form_in_the_docs_is_read():
    docs = Path(__file__).parents[1] / "docs" / "periods.md"
    table = docs.read_text().split("## Accepted forms")[1].split("A date is the last day")[0]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    forms = [form for row in rows for form in re.findall(r"`([^`]+)`", row)]
    assert len(forms) > 20
    for form in forms:
        assert isinstance(parse_period(form, "quarterly"), Period), form


@pytest.mark.parametrize(
    ("container", "frequency", "labels"),
    [
        ("Q3 2024/25", "monthly", ["Oct 2024", "Nov 2024", "Dec 2024"]),
        ("Q3 2024/25", "quarterly", ["Q3 2024/25"]),
        ("Q3 2024/25", "annual", []),
        ("Q4 2024/25", "annual", ["2024/25"]),
        ("Sep 2024", "quarterly", ["Q2 2024/25"]),
    ],
)
def test_periods_ending_within(container, frequency, labels):
    found = periods_ending_within(parse_period(container), frequency)
    assert [p.label for p in found] == labels
