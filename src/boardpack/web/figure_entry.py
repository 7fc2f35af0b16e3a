"""The figures an indicator reports in a reporting period, and the form that enters each.

An indicator reports one figure for each period of its own frequency ending within the
reporting period: a monthly indicator each month of the quarter, a quarterly one the quarter,
an annual one the financial year (in the quarter the year ends). Each is entered and saved
under its own period, so the pack finds the figure before it for the direction of travel and
the previous rating. An indicator with one figure to report keeps the form's plain field names
(`value`, `numerator`, ...); one with several has a set of fields per period, named with the
period's prefix (`oct-2024-value`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django import forms

from boardpack.periods import Period, parse_period, periods_ending_within

#: How a figure follows from its numerator and denominator, by unit.
SCALES = {"percent": 100.0, "ratio": 1.0, "rate_per_100k": 100_000.0}
#: Units whose numerator is part of the denominator (so never larger).
PARTS_OF_A_WHOLE = {"percent"}
#: The figure's numbers, with how messages name them.
NUMBERS = {"value": "figure", "numerator": "numerator", "denominator": "denominator"}


@dataclass(frozen=True)
class Slot:
    """One figure to report: its period, and the prefix of its fields ("" when it is the
    indicator's only figure in the reporting period)."""

    period: Period
    prefix: str = ""

    @property
    def label(self) -> str:
        return self.period.label

    @property
    def part(self) -> str:
        """The entry's part this figure is (its base version is posted as `base_<part>`)."""
        return f"figure-{self.prefix}" if self.prefix else "figure"

    @property
    def title(self) -> str:
        return f"Figure for {self.label}" if self.prefix else "Figure"

    def field(self, name: str) -> str:
        return f"{self.prefix}-{name}" if self.prefix else name


def slots(reporting_label: str, frequency: str) -> list[Slot]:
    """The figures an indicator of `frequency` reports in the reporting period, in order."""
    reporting = parse_period(reporting_label, "quarterly")
    due = periods_ending_within(reporting, frequency) or [reporting]
    if len(due) == 1:
        return [Slot(due[0])]
    return [Slot(p, p.label.lower().replace(" ", "-").replace("/", "-")) for p in due]


def uses_parts(definition) -> bool:
    """Whether the indicator's figure is entered with a numerator and denominator."""
    named = definition.numerator_label or definition.denominator_label
    return bool(named) or definition.unit in PARTS_OF_A_WHOLE


class NumberField(forms.CharField):
    """A number as an officer types it (commas allowed), or None when left blank. `percent`:
    the figure of an indicator measured in percent, which may be typed with its % sign."""

    def __init__(self, *, said: str, percent: bool = False, **kwargs):
        self.said, self.percent = said, percent
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = super().to_python(value).replace(",", "")
        if not text:
            return None
        if text.endswith("%"):
            if not self.percent:
                raise forms.ValidationError(
                    f"{self.said} is not a percentage: write the number alone, like 42 or "
                    f"38.5, not “{text}”"
                )
            text = text[:-1].strip()
        try:
            number = float(text)
        except ValueError:
            raise forms.ValidationError(
                f"{self.said} must be a number, like 42 or 38.5, not “{text}”"
            ) from None
        if not math.isfinite(number):
            raise forms.ValidationError(f"{self.said} must be a finite number")
        return number


class FigureForm(forms.Form):
    """One figure of the entry form, checked against the indicator's catalogue entry: the
    numerator and denominator against each other and the figure, which is worked out from them
    when left blank. `required`: a figure must be given (else a blank one is left unsaved)."""

    note = forms.CharField(required=False)

    def __init__(self, data, *, slot: Slot, definition, required: bool):
        super().__init__(data, prefix=slot.prefix or None)
        self.slot, self.definition, self.required = slot, definition, required
        self.parts = uses_parts(definition)
        whose = f" for {slot.label}" if slot.prefix else ""
        for name, said in NUMBERS.items():
            if name == "value" or self.parts:
                percent = name == "value" and definition.unit == "percent"
                self.fields[name] = NumberField(said=f"The {said}{whose}", percent=percent)
        self.whose = whose

    @property
    def blank(self) -> bool:
        """Nothing typed for this figure."""
        return not any((self.data.get(self.add_prefix(n)) or "").strip() for n in self.fields)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        value = data.get("value")
        numerator, denominator = data.get("numerator"), data.get("denominator")
        if (numerator is None) != (denominator is None):
            missing = "denominator" if denominator is None else "numerator"
            self.add_error(missing, f"Enter the {missing}{self.whose} too, or leave both blank")
        elif numerator is None:
            if value is None and self.required:
                self.add_error("value", f"Enter the figure{self.whose}")
        else:
            data["value"] = self._from_parts(value, numerator, denominator)
        return data

    def _from_parts(self, value, numerator: float, denominator: float) -> float | None:
        definition = self.definition
        if denominator == 0:
            self.add_error("denominator", f"The denominator{self.whose} must not be 0")
            return value
        if definition.unit in PARTS_OF_A_WHOLE and numerator > denominator:
            self.add_error(
                "numerator",
                f"The numerator{self.whose} ({numerator:g}) is larger than the denominator "
                f"({denominator:g}); for a percentage it is part of the denominator",
            )
            return value
        scale = SCALES.get(definition.unit)
        if scale is None:
            return value
        worked = numerator / denominator * scale
        places = definition.decimals or 0
        if value is None:
            return round(worked, places)
        if abs(value - worked) > 0.5 * 10**-places + 1e-9:
            self.add_error("value", self._mismatch(value, numerator, denominator, worked))
        return value

    def _mismatch(self, value: float, numerator: float, denominator: float, worked: float) -> str:
        """Why the figure typed is refused: the sum its numerator and denominator give."""
        places = self.definition.decimals or 0
        scale = SCALES[self.definition.unit]
        times = f" × {scale:,.0f}" if scale != 1 else ""
        return (
            f"The figure{self.whose} ({value:g}) does not match its numerator and denominator: "
            f"{numerator:g} ÷ {denominator:g}{times} is {worked:,.{places}f}. Correct one of "
            "them, or leave the figure blank to have it worked out"
        )

    def field_errors(self) -> dict[str, str]:
        """The problems by the posted field's name, one message each."""
        return {self.add_prefix(name): " ".join(texts) for name, texts in self.errors.items()}

    def values(self) -> dict:
        """The figure as the Store keeps it, in its own period."""
        data, period = self.cleaned_data, self.slot.period
        return {
            "period_start": period.start,
            "period_end": period.end,
            "end_month": period.end_month,
            "value": data.get("value"),
            "numerator": data.get("numerator"),
            "denominator": data.get("denominator"),
            "note": (data.get("note") or "").strip() or None,
        }
