"""The cells of a workbook formatted as percentages, read as the percentage people see.

A cell showing `81%` in Excel or LibreOffice stores the fraction 0.81; the readers give the
fraction. `percent_cells` finds which cells of a sheet carry a percentage format, and
`as_percentages` writes those cells' numbers as the text people see (`81%`), so they read as
a figure written with `%`, exactly as in a CSV.

XLSX and XLSM: the styles part lists each cell style's number format (built-in formats 9 and
10, or a custom format with `%` outside quotes); the sheet part is streamed through expat,
noting numeric cells with such a style. ODS: cells of `office:value-type="percentage"`.
The file has passed `safety.check_file` first, so its parts are small enough to stream.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from .safety import XmlStream, attribute, column_number, local, split_reference, xlsx_sheets

#: Excel's built-in number formats that show a percentage: 0% and 0.00%.
BUILT_IN_PERCENT = frozenset({9, 10})
#: The parts of a format code that are shown as written: quoted text, escaped characters.
LITERAL = re.compile(r'"[^"]*"|\\.')

Cells = set[tuple[int, int]]


def percent_cells(path: Path, sheet: str) -> Cells:
    """(row, column) of each numeric cell in `sheet` formatted as a percentage, counted from
    0 as the readers give rows and columns."""
    finder = FINDERS.get(path.suffix.lower())
    if finder is None:
        return set()
    try:
        with zipfile.ZipFile(path) as archive:
            return finder(archive, str(path), sheet)
    except (zipfile.BadZipFile, OSError):
        return set()


def as_percentages(rows: list[list], cells: Cells) -> None:
    """Write each number at `cells` as the percentage it shows (0.815 -> `81.5%`)."""
    for row, column in cells:
        if row < len(rows) and column < len(rows[row]):
            value = rows[row][column]
            if isinstance(value, int | float) and not isinstance(value, bool):
                rows[row][column] = f"{_shown(value * 100)}%"


def _shown(number: float) -> str:
    """A percentage as a person would write it: every digit kept, no trailing `.0`
    (81.00000000000001 from 0.81 * 100 is 81)."""
    text = repr(round(number, 9))
    return text[:-2] if text.endswith(".0") else text


def is_percent_format(code: str) -> bool:
    """Whether an Excel format code scales by 100: a `%` that is not quoted or escaped."""
    return "%" in LITERAL.sub("", code)


# --- XLSX ------------------------------------------------------------------------------------


def _xlsx(archive: zipfile.ZipFile, name: str, sheet: str) -> Cells:
    parts = {info.filename: info for info in archive.infolist()}
    styles = _percent_styles(archive, parts, name)
    part = xlsx_sheets(archive, parts, name).get(sheet)
    if not styles or part not in parts:
        return set()
    found: Cells = set()

    def start(tag, attributes):
        if local(tag) != "c" or (attribute(attributes, "t") or "n") != "n":
            return
        style = attribute(attributes, "s")
        if style and style.isdigit() and int(style) in styles:
            row, column = split_reference(attribute(attributes, "r") or "")
            if row is not None:
                found.add((row - 1, column_number(column) - 1))

    XmlStream(name, part).run(archive, parts[part], start)
    return found


def _percent_styles(archive: zipfile.ZipFile, parts: dict, name: str) -> set[int]:
    """The indexes of the cell styles (`cellXfs`) whose number format shows a percentage."""
    part = next((p for p in parts if p.lower() == "xl/styles.xml"), None)
    if part is None:
        return set()
    custom: dict[int, str] = {}
    formats: list[int] = []
    inside: list[str] = []

    def start(tag, attributes):
        kind = local(tag)
        if kind == "numFmt":
            number = attribute(attributes, "numFmtId") or ""
            if number.isdigit():
                custom[int(number)] = attribute(attributes, "formatCode") or ""
        elif kind == "xf" and inside and inside[-1] == "cellXfs":
            number = attribute(attributes, "numFmtId") or "0"
            formats.append(int(number) if number.isdigit() else 0)
        inside.append(kind)

    XmlStream(name, part).run(archive, parts[part], start, lambda tag: inside.pop())
    percent = {n for n, code in custom.items() if is_percent_format(code)}
    percent |= BUILT_IN_PERCENT - custom.keys()
    return {index for index, number in enumerate(formats) if number in percent}


# --- ODS -------------------------------------------------------------------------------------


def _ods(archive: zipfile.ZipFile, name: str, sheet: str) -> Cells:
    info = next((i for i in archive.infolist() if i.filename == "content.xml"), None)
    if info is None:
        return set()
    found: Cells = set()
    at = {"table": None, "row": -1, "column": 0}

    def start(tag, attributes):
        kind = local(tag)
        if kind == "table":
            at["table"] = attribute(attributes, "name")
            at["row"] = -1
        elif at["table"] != sheet:
            return
        elif kind == "table-row":
            at["row"] += 1
            at["column"] = 0
            at["rows"] = _repeated(attributes, "number-rows-repeated")
        elif kind in ("table-cell", "covered-table-cell"):
            columns = _repeated(attributes, "number-columns-repeated")
            if attribute(attributes, "value-type") == "percentage":
                for offset in range(min(columns, 1_000)):
                    found.add((at["row"], at["column"] + offset))
            at["column"] += columns

    def end(tag):
        if local(tag) == "table-row" and at["table"] == sheet:
            at["row"] += at.get("rows", 1) - 1

    XmlStream(name, info.filename).run(archive, info, start, end)
    return found


def _repeated(attributes: dict, wanted: str) -> int:
    text = attribute(attributes, wanted) or "1"
    return int(text) if text.isdigit() else 1


FINDERS: dict[str, Callable[[zipfile.ZipFile, str, str], Cells]] = {
    ".xlsx": _xlsx,
    ".xlsm": _xlsx,
    ".ods": _ods,
}
