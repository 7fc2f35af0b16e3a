"""The entry form's figure as an officer types it: a percentage with its % sign, and what a
figure that does not match its numerator and denominator is told."""

from __future__ import annotations

from boardpack.catalogue import Indicator
from boardpack.web.figure_entry import FigureForm, slots

MONTH = slots("Q3 2025/26", "monthly")[0]  # Oct 2025


def indicator(unit: str, decimals: int | None = None) -> Indicator:
    return Indicator(
        ref="HW11",
        title="Applications completed in time",
        polarity="higher_better",
        unit=unit,
        frequency="monthly",
        decimals=decimals,
    )


def form(definition: Indicator, **typed: str) -> FigureForm:
    data = {MONTH.field(name): text for name, text in typed.items()}
    checked = FigureForm(data, slot=MONTH, definition=definition, required=True)
    checked.is_valid()
    return checked


def test_a_percentage_may_be_typed_with_its_percent_sign():
    typed = form(indicator("percent", 1), value="55.5%")
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["value"] == 55.5


def test_a_percent_sign_on_a_figure_not_measured_in_percent_is_refused_saying_so():
    typed = form(indicator("number"), value="12%")
    assert typed.field_errors() == {
        MONTH.field("value"): "The figure for Oct 2025 is not a percentage: write the number "
        "alone, like 42 or 38.5, not “12%”"
    }


def test_a_percent_sign_is_not_taken_on_a_numerator():
    typed = form(indicator("percent", 1), numerator="45%", denominator="60")
    assert "is not a percentage" in typed.field_errors()[MONTH.field("numerator")]


def test_a_figure_that_does_not_match_its_parts_is_told_the_sum_and_how_to_fix_it():
    typed = form(indicator("percent", 1), value="80", numerator="50", denominator="60")
    assert typed.field_errors() == {
        MONTH.field("value"): "The figure for Oct 2025 (80) does not match its numerator and "
        "denominator: 50 ÷ 60 × 100 is 83.3. Correct one of them, or leave the figure blank "
        "to have it worked out"
    }


def test_a_figure_within_its_rounding_of_the_parts_is_kept():
    typed = form(indicator("percent", 1), value="83.3%", numerator="50", denominator="60")
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["value"] == 83.3
