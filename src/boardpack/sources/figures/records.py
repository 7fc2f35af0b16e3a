"""Raw records: the cells of one observation, each remembering where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from boardpack.catalogue.models import FIGURE_FIELDS

from ...errors import Problem
from ..readers import Cell, Table, cell_text

#: Our field names, in the order of the tidy format's columns.
FIELDS = FIGURE_FIELDS
#: The fields read as numbers, those that may be written as percentages, and the statuses.
NUMBERS = ("value", "numerator", "denominator", "target", "floor", "previous_value", "baseline")
PERCENT_FIELDS = ("value", "target", "floor", "previous_value", "baseline")
STATUSES = ("provisional", "final")
#: The missing reason of a figure left blank.
NOT_YET_REPORTED = "not yet reported"


@dataclass(frozen=True)
class Field:
    """One cell and its place in the sheet."""

    raw: Cell
    row: int
    column: str


@dataclass
class Record:
    """The cells of one observation; `row` is the row named in the `source` column, `column`
    the period's column when a row holds many periods (trackers)."""

    file: str
    sheet: str | None
    row: int
    fields: dict[str, Field] = field(default_factory=dict)
    column: str | None = None

    @property
    def source(self) -> str:
        return f"{self.file}:{self.row}"

    def where(self) -> str:
        return self.problem("", "").where()

    def problem(self, name: str, reason: str, show_value: bool = True) -> Problem:
        """A problem with the cell called `name` (or the whole row when it has no such cell)."""
        cell = self.fields.get(name)
        if cell is None:
            return Problem(
                file=self.file, sheet=self.sheet, row=self.row, column=self.column, what=reason
            )
        value = cell_text(cell.raw) if show_value else None
        return Problem(
            file=self.file,
            sheet=self.sheet,
            row=cell.row,
            column=cell.column,
            value=value,
            what=reason,
        )


#: What a table's total row says where an indicator's reference would be.
TOTAL_WORDS = ("total", "totals", "grand total", "sub total", "subtotal", "sub-total")


def is_total(cell: Cell) -> bool:
    """A total row (`Total` in the indicator's column): a sum of the figures above it, not a
    figure of any indicator, so it is passed over."""
    return normalise(cell_text(cell)) in TOTAL_WORDS


def column_name(table: Table, index: int) -> str:
    """The column's header, or its spreadsheet letter when the header is blank."""
    header = table.header[index].strip() if index < len(table.header) else ""
    return header or column_letter(index)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def normalise(label: str) -> str:
    """Headers and row labels match case-insensitively, ignoring extra spaces."""
    return " ".join(label.split()).lower()
