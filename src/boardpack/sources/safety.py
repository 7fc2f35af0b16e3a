"""Refuse a spreadsheet that would cost too much to read, before reading it.

A few kilobytes can ask a reader for hundreds of gigabytes: a sheet whose used range reaches
cell XFD1048576, a zip of a few kilobytes that unpacks to gigabytes, a CSV of a million rows.
`check_file` looks at the file without materialising anything: a workbook's zip directory
(sizes, ratios, number of parts) and each XML part streamed through expat (DOCTYPE and ENTITY
declarations refused; the sheet's `<dimension>`, the farthest cell, cell lengths and formulas
without a saved result noted); a CSV's bytes (NUL, encoding, binary data), then its records,
cells and quotes found over the whole file at once (`check_csv_text`), its rows streamed
through Python's CSV reader only from the first record that may break a limit.
`check_rows` checks the rows a reader gave (any format). The limits are `Limits`, read from the
environment (`BOARDPACK_MAX_*`), each refusal naming the limit and how to raise it.
Reading in a child process with memory and time limits is `boardpack.sources.isolated`.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from xml.parsers import expat

import numpy as np

from boardpack.errors import BoardpackError, Problem

MB = 1024 * 1024
CHUNK = 64 * 1024
#: Characters no text file holds: control characters (but tab, line ends and form feed) and
#: the mark of bytes that are not Windows-1252.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")
CELL_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


@dataclass(frozen=True)
class Limit:
    """One limit: its environment variable, its default and how people read it."""

    variable: str
    default: int
    unit: str = ""

    def value(self) -> int:
        text = os.environ.get(self.variable, "").strip()
        return int(text) if text.isdigit() and int(text) > 0 else self.default


LIMITS = {
    "file_mb": Limit("BOARDPACK_MAX_UPLOAD_MB", 10, " MB"),
    "rows": Limit("BOARDPACK_MAX_ROWS", 100_000),
    "columns": Limit("BOARDPACK_MAX_COLUMNS", 1_000),
    "cell_chars": Limit("BOARDPACK_MAX_CELL_CHARS", 32_767),
    "unzipped_mb": Limit("BOARDPACK_MAX_UNZIPPED_MB", 200, " MB"),
    "zip_parts": Limit("BOARDPACK_MAX_ZIP_PARTS", 2_000),
    "zip_ratio": Limit("BOARDPACK_MAX_ZIP_RATIO", 200),
    "seconds": Limit("BOARDPACK_READ_SECONDS", 60, " seconds"),
    "memory_mb": Limit("BOARDPACK_READ_MEMORY_MB", 2_048, " MB"),
}


@dataclass(frozen=True)
class Limits:
    """What a spreadsheet may cost to read (each from its `BOARDPACK_MAX_*` variable)."""

    file_mb: int = LIMITS["file_mb"].default
    rows: int = LIMITS["rows"].default
    columns: int = LIMITS["columns"].default
    cell_chars: int = LIMITS["cell_chars"].default
    unzipped_mb: int = LIMITS["unzipped_mb"].default
    zip_parts: int = LIMITS["zip_parts"].default
    zip_ratio: int = LIMITS["zip_ratio"].default
    seconds: int = LIMITS["seconds"].default
    memory_mb: int = LIMITS["memory_mb"].default

    @classmethod
    def from_env(cls) -> Limits:
        return cls(**{f.name: LIMITS[f.name].value() for f in fields(cls)})

    def words(self, name: str) -> str:
        """`the most read is 100,000 rows (BOARDPACK_MAX_ROWS)`."""
        limit = LIMITS[name]
        return f"{getattr(self, name):,}{limit.unit} ({limit.variable})"


class TooCostly(BoardpackError):
    """A file refused before reading: too large, damaged, or not what its name says."""


def refuse(name: str, what: str, fix: str, sheet: str | None = None, **where) -> TooCostly:
    return TooCostly(Problem(what=what, fix=fix, file=name, sheet=sheet, **where))


def over(limits: Limits, name: str, limit: str, what: str, fix: str, **where) -> TooCostly:
    """A refusal for going past one limit, saying which and how to raise it."""
    return refuse(
        name,
        f"{what}; the most allowed is {limits.words(limit)}",
        f"{fix}, or ask the administrator to raise {LIMITS[limit].variable}",
        **where,
    )


# --- the whole file ------------------------------------------------------------------------


def check_file(path: Path, name: str, sheet: str | None = None, limits: Limits | None = None):
    """Refuse `path` (`TooCostly`) if reading it would cost more than `limits` allow or it is
    not what its name says; `sheet` is the sheet to be read (formulas are checked there)."""
    limits = limits or Limits.from_env()
    size = path.stat().st_size
    if size > limits.file_mb * MB:
        raise over(limits, name, "file_mb", f"the file is {size / MB:,.1f} MB", "split it")
    checker = CHECKERS.get(path.suffix.lower())
    if checker is not None:
        checker(path, name, sheet, limits)


def check_rows(rows: list[list], name: str, sheet: str | None, limits: Limits | None = None):
    """Refuse rows a reader gave that are too many or too wide, or hold NUL characters or
    cells longer than the limits allow (for formats not checked before reading)."""
    limits = limits or Limits.from_env()
    if len(rows) > limits.rows:
        raise over(limits, name, "rows", f"has {len(rows):,} rows", "split it", sheet=sheet)
    for number, row in enumerate(rows, start=1):
        if len(row) > limits.columns:
            raise _too_wide(limits, name, sheet, len(row), number)
        for index, cell in enumerate(row):
            if isinstance(cell, str):
                _check_text(cell, limits, name, sheet, number, index)


def _check_text(text: str, limits: Limits, name, sheet, row: int, index: int) -> None:
    column = column_letters(index + 1)
    if "\x00" in text:
        raise refuse(
            name,
            "holds a NUL character (\\0), which is not text",
            "delete the character from the cell (it often comes from pasting binary data)",
            sheet=sheet,
            row=row,
            column=column,
        )
    if len(text) > limits.cell_chars:
        raise over(
            limits,
            name,
            "cell_chars",
            f"a cell holds {len(text):,} characters",
            "shorten the cell",
            sheet=sheet,
            row=row,
            column=column,
        )


def _too_wide(limits: Limits, name, sheet, width: int, row: int | None = None) -> TooCostly:
    return over(
        limits,
        name,
        "columns",
        f"has {width:,} columns",
        "delete the unused columns to the right of the figures",
        sheet=sheet,
        row=row,
    )


def column_letters(number: int) -> str:
    """1 -> A, 28 -> AB, 16384 -> XFD."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


# --- CSV -----------------------------------------------------------------------------------


def check_csv(path: Path, name: str, sheet: str | None, limits: Limits) -> None:
    check_csv_text(decode_text(path.read_bytes(), name), name, limits)


def read_csv_utf8(path: Path, name: str, limits: Limits | None = None) -> bytes:
    """A CSV file's bytes as UTF-8 (without a byte-order mark), once `check_file`'s checks
    pass: one read for both."""
    limits = limits or Limits.from_env()
    size = path.stat().st_size
    if size > limits.file_mb * MB:
        raise over(limits, name, "file_mb", f"the file is {size / MB:,.1f} MB", "split it")
    data = path.read_bytes()
    text = decode_text(data, name)
    check_csv_text(text, name, limits, data)
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :]
    return data if data.isascii() else text.encode()


def check_csv_text(text: str, name: str, limits: Limits, data: bytes | None = None) -> None:
    """Refuse a CSV's text with too many rows or columns, or too long a cell.

    Its bytes (`data` when it is ASCII, else the text as UTF-8) are checked at once by
    `first_suspect_record`: where its records end, how long each is, and whether every quote
    opens or closes a cell as Excel writes them. From the first record that may break a limit
    (none, for almost every file) Python's CSV reader reads on, row by row, to find the row,
    column and limit exactly."""
    raw = data if data is not None and data.isascii() else text.encode()
    suspect = first_suspect_record(raw, limits)
    if suspect is None:
        return
    record, start = suspect
    lines = raw.count(b"\n", 0, start) + raw.count(b"\r", 0, start)
    lines -= raw.count(b"\r\n", 0, start)
    rest = io.BytesIO(raw)
    rest.seek(start)
    _stream_csv(io.TextIOWrapper(rest, encoding="utf-8", newline=""), name, limits, record, lines)


def _stream_csv(text, name: str, limits: Limits, before: int, lines: int) -> None:
    """Check the CSV rows of `text` (lines) one by one; `before` rows and `lines` lines came
    before."""
    reader = csv.reader(text)
    try:
        for number, row in enumerate(reader, start=before + 1):
            _check_csv_row(row, number, limits, name)
    except csv.Error as error:
        line = lines + reader.line_num
        if "field limit" in str(error):
            raise over(
                limits,
                name,
                "cell_chars",
                f"a cell near line {line} holds more than {csv.field_size_limit():,} characters",
                "shorten the cell",
                row=line,
            ) from None
        raise refuse(
            name,
            f"cannot be read as CSV near line {line} ({error})",
            "check the quotes around that line, or save the file again as CSV from Excel",
            row=line,
        ) from None


_QUOTE, _COMMA, _LF, _CR = (ord(c) for c in '",\n\r')
#: Bytes that may stand before a quote opening a cell or after one closing it: the start or end
#: of a cell or row, or another quote (two quotes in a quoted cell are one quote).
_BESIDE_QUOTES = np.isin(np.arange(256), [_COMMA, _LF, _CR, _QUOTE])


def first_suspect_record(data: bytes, limits: Limits) -> tuple[int, int] | None:
    """The first record of CSV bytes that may break a limit, as (how many records come
    before it, its first byte), or None when every record is plainly within the limits.

    Found over the bytes at once with numpy, for files with quotes as for those without: the
    quotes and line ends; whether each line end is inside a quoted cell (after an odd number
    of quotes); hence where each record ends and how many bytes it holds. A record may break
    a limit when it is beyond the rows allowed, holds more bytes than a cell may hold
    characters (or Python's CSV reader accepts in a cell), holds more cells than the columns
    allowed (its commas outside quotes counted when it is long enough to), or holds a quote
    that neither opens nor closes a cell (`ab"c`, `"a"b`, a quote never closed): from such a
    quote on, Python's CSV reader may read the file otherwise than this count."""
    octets = np.frombuffer(data, dtype=np.uint8)
    size = octets.size
    if size == 0:
        return None
    found = octets == _LF
    for mark in (b'"', b"\r"):
        if mark in data:
            found |= octets == ord(mark)
    marks = np.flatnonzero(found)
    kinds = octets[marks]
    quote = kinds == _QUOTE
    outside = (np.cumsum(quote) - quote) % 2 == 0  # after an even number of quotes
    after = octets[np.minimum(marks + 1, size - 1)]
    ends = outside & ((kinds == _LF) | ((kinds == _CR) & (after != _LF)))
    stops = marks[ends]  # each record's line end
    starts = np.concatenate(([0], stops + 1))
    if starts[-1] == size:
        starts = starts[:-1]
    finish = np.append(stops, size)[: starts.size]
    lengths = finish - starts
    suspects = [limits.rows] if starts.size > limits.rows else []
    longest = min(limits.cell_chars, csv.field_size_limit())
    suspects.extend(np.flatnonzero(lengths > longest)[:1].tolist())
    quotes = marks[quote]
    stray = _stray_quotes(octets, quotes, outside[quote])
    if stray.size:
        suspects.append(int(np.searchsorted(stops, stray[0])))
    wide = np.flatnonzero(lengths[: min(suspects, default=None)] >= limits.columns)
    if wide.size:
        span = (int(starts[wide[0]]), int(finish[wide[-1]]))
        suspects.extend(_too_wide_records(octets, span, quotes, stops, limits)[:1].tolist())
    if not suspects:
        return None
    record = min(suspects)
    return record, int(starts[record])


def _stray_quotes(octets: np.ndarray, quotes: np.ndarray, opening: np.ndarray) -> np.ndarray:
    """Where quotes are that neither open a cell (at its start) nor close one (at its end), and
    the last quote when it opens a cell never closed."""
    last = octets.size - 1
    before = octets[np.maximum(quotes - 1, 0)]
    after = octets[np.minimum(quotes + 1, last)]
    stray = np.where(
        opening,
        (quotes != 0) & ~_BESIDE_QUOTES[before],
        (quotes != last) & ~_BESIDE_QUOTES[after],
    )
    if quotes.size % 2:
        stray[-1] = True  # the CSV reader has the last word on how the file ends
    return quotes[stray]


def _too_wide_records(octets, span, quotes, stops, limits: Limits) -> np.ndarray:
    """The records from byte `span[0]` to `span[1]` holding more cells than the columns
    allowed: their commas outside quoted cells counted."""
    commas = np.flatnonzero(octets[span[0] : span[1]] == _COMMA) + span[0]
    commas = commas[np.searchsorted(quotes, commas) % 2 == 0]
    cells = np.bincount(np.searchsorted(stops, commas), minlength=stops.size + 1) + 1
    return np.flatnonzero(cells > limits.columns)


def _check_csv_row(row: list[str], number: int, limits: Limits, name: str) -> None:
    if number > limits.rows:
        raise over(limits, name, "rows", f"has more than {limits.rows:,} rows", "split it")
    if len(row) > limits.columns:
        raise _too_wide(limits, name, None, len(row), number)
    for index, cell in enumerate(row):
        if len(cell) > limits.cell_chars:
            _check_text(cell, limits, name, None, number, index)


def decode_text(data: bytes, name: str) -> str:
    """A text file's bytes as text: UTF-8 (with or without a byte-order mark), else
    Windows-1252 as Excel writes it. UTF-16/32, NUL characters and binary data are refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(data):
        raise refuse(
            name,
            "is saved as UTF-16 (Unicode) text, which is not read",
            "save it again as CSV UTF-8 (Excel: File, Save As, CSV UTF-8 (Comma delimited))",
        )
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise refuse(
            name,
            "holds NUL characters (\\0), so it is not a text file",
            "save the spreadsheet as CSV UTF-8 and upload that file",
            row=line,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        _check_printable(text, name)
        return text
    _check_printable(text, name, data)
    return text


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of its start is NUL."""
    start = data[:200]
    return len(start) >= 4 and start[1::2].count(0) > len(start) // 4


#: Bytes that are control characters in UTF-8 text (all but tab, line ends and form feed).
_CONTROL_BYTES = bytes(b for b in range(32) if chr(b) not in "\t\n\r\x0c")
_OTHER_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def _check_printable(text: str, name: str, data: bytes | None = None) -> None:
    if (
        data is not None
        and not data.translate(None, _OTHER_BYTES)
        and "\ufffd".encode() not in data
    ):
        return  # UTF-8 bytes with no control character and no replacement mark
    bad = NOT_TEXT.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise refuse(
            name,
            f"holds characters that are not text (the first at line {line}), so it is "
            "binary data or in an encoding that is not read",
            "save the spreadsheet as CSV UTF-8 and upload that file",
            row=line,
        )


# --- workbooks (XLSX, XLSM, ODS): the zip and its XML ------------------------------------


def open_zip(path: Path, name: str, limits: Limits) -> zipfile.ZipFile:
    """The workbook's zip, refused if it is not one, has too many parts or unpacks to too
    much (in all, or one part far more than it is packed, as zip bombs do)."""
    kind = path.suffix.lower().lstrip(".").upper()
    try:
        archive = zipfile.ZipFile(path)
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse(
            name,
            f"is not an {kind} workbook (it is not the zip file such a workbook is)",
            f"open it in Excel or LibreOffice and save it as {kind}, or upload it as CSV",
        ) from None
    if len(parts) > limits.zip_parts:
        raise over(limits, name, "zip_parts", f"is a zip of {len(parts):,} parts", "save it again")
    _check_unzipped(parts, name, limits)
    return archive


def _check_unzipped(parts: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > MB and ratio > limits.zip_ratio:
            raise over(
                limits,
                name,
                "zip_ratio",
                f"its part {part.filename} unpacks to {ratio:,.0f} times its packed size, "
                "as a zip bomb does",
                "open it in Excel or LibreOffice and save it again",
            )
    total = sum(part.file_size for part in parts)
    if total > limits.unzipped_mb * MB:
        raise over(
            limits,
            name,
            "unzipped_mb",
            f"unpacks to {total / MB:,.0f} MB",
            "delete unused sheets and the empty rows and columns beyond the figures",
        )


@dataclass
class Extent:
    """What streaming one sheet found: how far it reaches and its formulas with no result."""

    sheet: str
    rows: int = 0
    columns: int = 0
    cell: str = ""
    unresolved: list[str] = field(default_factory=list)

    def reach(self, row: int, column: int, where: str) -> None:
        if row > self.rows or column > self.columns:
            self.cell = where
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)


class XmlStream:
    """An expat parser fed a zip part in chunks, refusing DOCTYPE and ENTITY declarations
    (no document of a workbook needs them; they are how XML bombs work)."""

    def __init__(self, name: str, part: str):
        self.name, self.part = name, part
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartDoctypeDeclHandler = self._declaration
        self.parser.EntityDeclHandler = self._declaration
        self.parser.buffer_text = True

    def _declaration(self, *args) -> None:
        raise refuse(
            self.name,
            f"its part {self.part} holds an XML DOCTYPE or ENTITY declaration, which a "
            "workbook never needs and XML attacks use",
            "open it in Excel or LibreOffice and save it again, or upload it as CSV",
        )

    def run(self, archive, info, start=None, end=None, text=None) -> None:
        """Stream the part through `start(tag, attributes)`, `end(tag)` and `text(data)`."""
        self.parser.StartElementHandler = start
        self.parser.EndElementHandler = end
        self.parser.CharacterDataHandler = text
        self.feed(archive, info)

    def feed(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        except (expat.ExpatError, zipfile.BadZipFile, EOFError, OSError) as error:
            raise refuse(
                self.name,
                f"is damaged: its part {self.part} cannot be read ({error})",
                "open it in Excel or LibreOffice and save it again",
            ) from None


def local(tag: str) -> str:
    return tag.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]


def attribute(attributes: dict, wanted: str) -> str | None:
    return next((v for k, v in attributes.items() if local(k) == wanted), None)


class TextLength:
    """Counts the characters of each cell's text as it streams past (between `start` and
    `stop`), refusing a NUL character or a cell longer than the limit."""

    def __init__(self, name: str, sheet: str | None, limits: Limits):
        self.name, self.sheet, self.limits = name, sheet, limits
        self.count, self.where, self.active = 0, "", False

    def start(self, where: str = "") -> None:
        self.count, self.where, self.active = 0, where, True

    def stop(self) -> None:
        self.active = False

    def add(self, text: str) -> None:
        if not self.active:
            return
        self.count += len(text)
        if "\x00" in text or self.count > self.limits.cell_chars:
            row, column = split_reference(self.where)
            index = column_number(column) - 1 if column else 0
            shown = "\x00" if "\x00" in text else "x" * self.count
            _check_text(shown, self.limits, self.name, self.sheet, row, index)


def split_reference(reference: str) -> tuple[int | None, str | None]:
    found = CELL_REFERENCE.fullmatch(reference or "")
    return (int(found.group(2)), found.group(1).upper()) if found else (None, None)


# --- XLSX and XLSM ---------------------------------------------------------------------------


def check_xlsx(path: Path, name: str, sheet: str | None, limits: Limits) -> None:
    with open_zip(path, name, limits) as archive:
        parts = {info.filename: info for info in archive.infolist()}
        sheets = xlsx_sheets(archive, parts, name)
        for info in parts.values():
            if info.filename.endswith((".xml", ".rels", ".vml")):
                if info.filename not in sheets.values():
                    _stream_other(archive, info, name, limits)
        for title, part in sheets.items():
            if part in parts:
                extent = _stream_sheet(archive, parts[part], name, title, limits)
                _check_extent(extent, name, limits)
                if title == (sheet or next(iter(sheets), None)):
                    _check_formulas(extent, name)


def xlsx_sheets(archive, parts: dict, name: str) -> dict[str, str]:
    """Sheet name -> the zip part holding it, from the workbook and its relationships."""
    book = next((p for p in parts if p.lower() == "xl/workbook.xml"), None)
    rels = next((p for p in parts if p.lower() == "xl/_rels/workbook.xml.rels"), None)
    if book is None or rels is None:
        return {}
    named: dict[str, str] = {}
    targets: dict[str, str] = {}

    def in_book(tag, attributes):
        if local(tag) == "sheet":
            named[attribute(attributes, "name") or ""] = attribute(attributes, "id") or ""

    def in_rels(tag, attributes):
        if local(tag) == "Relationship":
            target = attribute(attributes, "Target") or ""
            where = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[attribute(attributes, "Id") or ""] = posixpath.normpath(where)

    for part, handler in ((book, in_book), (rels, in_rels)):
        stream = XmlStream(name, part)
        stream.parser.StartElementHandler = handler
        stream.feed(archive, parts[part])
    return {title: targets.get(rid, "") for title, rid in named.items()}


def _stream_other(archive, info, name: str, limits: Limits) -> None:
    """Any other XML part: no declarations, and shared strings no longer than a cell may be."""
    stream = XmlStream(name, info.filename)
    if posixpath.basename(info.filename).lower() == "sharedstrings.xml":
        length = TextLength(name, None, limits)
        stream.parser.StartElementHandler = lambda tag, a: local(tag) == "si" and length.start()
        stream.parser.CharacterDataHandler = length.add
    stream.feed(archive, info)


def _stream_sheet(archive, info, name: str, title: str, limits: Limits) -> Extent:
    extent = Extent(title)
    stream = XmlStream(name, info.filename)
    length = TextLength(name, title, limits)
    cell: dict = {}

    def start(tag, attributes):
        kind = local(tag)
        if kind == "dimension":
            _reach_range(extent, attribute(attributes, "ref") or "")
        elif kind == "row":
            row = attribute(attributes, "r")
            if row and row.isdigit():
                extent.reach(int(row), 0, f"row {row}")
        elif kind == "c":
            cell.clear()
            cell["r"] = attribute(attributes, "r") or ""
            _reach_cell(extent, cell["r"])
            length.start(cell["r"])
        elif kind in ("f", "v"):
            cell[kind] = True

    def end(tag):
        if local(tag) != "c":
            return
        length.stop()
        if cell.get("f") and not cell.get("v"):
            extent.unresolved.append(cell["r"])

    stream.run(archive, info, start, end, length.add)
    return extent


def _reach_range(extent: Extent, ref: str) -> None:
    for reference in ref.split(":"):
        _reach_cell(extent, reference)


def _reach_cell(extent: Extent, reference: str) -> None:
    row, column = split_reference(reference)
    if row is not None:
        extent.reach(row, column_number(column), reference.replace("$", "").upper())


def _check_extent(extent: Extent, name: str, limits: Limits) -> None:
    """Refuse a sheet reaching farther than the limits (its used range or any one cell)."""
    if extent.rows <= limits.rows and extent.columns <= limits.columns:
        return
    reach = f"reaches {extent.cell or f'row {extent.rows:,}'}"
    limit = "rows" if extent.rows > limits.rows else "columns"
    raise over(
        limits,
        name,
        limit,
        f"the sheet {reach} ({extent.rows:,} rows by {extent.columns:,} columns)",
        "delete the empty rows and columns beyond the figures (or copy the figures to a new "
        "sheet) and save it again",
        sheet=extent.sheet,
    )


def _check_formulas(extent: Extent, name: str) -> None:
    if not extent.unresolved:
        return
    cells = ", ".join(extent.unresolved[:10])
    more = f" and {len(extent.unresolved) - 10:,} more" if len(extent.unresolved) > 10 else ""
    raise refuse(
        name,
        f"has formulas with no saved result, which cannot be read: cells {cells}{more}",
        "open it in Excel or LibreOffice and save it again so the results are stored, or type "
        "the figures in place of the formulas",
        sheet=extent.sheet,
    )


# --- ODS ---------------------------------------------------------------------------------------


def check_ods(path: Path, name: str, sheet: str | None, limits: Limits) -> None:
    with open_zip(path, name, limits) as archive:
        for info in archive.infolist():
            if info.filename == "content.xml":
                for extent in _stream_ods(archive, info, name, limits):
                    _check_extent(extent, name, limits)
            elif info.filename.endswith(".xml"):
                XmlStream(name, info.filename).feed(archive, info)


def _stream_ods(archive, info, name: str, limits: Limits) -> list[Extent]:
    """Each table's extent, counting repeated rows and cells that hold something (LibreOffice
    writes the empty rest of a sheet as one row repeated a million times)."""
    tables: list[Extent] = []
    at = {"row": 0, "column": 0, "rows": 1, "columns": 1}
    length = TextLength(name, None, limits)

    def start(tag, attributes):
        kind = local(tag)
        if kind == "table":
            tables.append(Extent(attribute(attributes, "name") or f"sheet {len(tables) + 1}"))
            at["row"], length.sheet = 0, tables[-1].sheet
        elif kind == "table-row":
            at["rows"] = int(attribute(attributes, "number-rows-repeated") or 1)
            at["row"] += 1
            at["column"] = 0
        elif kind in ("table-cell", "covered-table-cell"):
            at["columns"] = int(attribute(attributes, "number-columns-repeated") or 1)
            at["column"] += 1
            length.start(f"{column_letters(at['column'])}{at['row']}")
            if attribute(attributes, "value-type") and tables:
                _reach_ods(tables[-1], at)
        elif kind == "p" and tables:
            _reach_ods(tables[-1], at)

    def end(tag):
        kind = local(tag)
        if kind == "table-row":
            at["row"] += at["rows"] - 1
        elif kind in ("table-cell", "covered-table-cell"):
            at["column"] += at["columns"] - 1
            length.stop()

    XmlStream(name, info.filename).run(archive, info, start, end, length.add)
    return tables


def _reach_ods(extent: Extent, at: dict) -> None:
    row = at["row"] + at["rows"] - 1
    column = at["column"] + at["columns"] - 1
    extent.reach(row, column, f"{column_letters(column)}{row}")


CHECKERS: dict[str, Callable[[Path, str, str | None, Limits], None]] = {
    ".csv": check_csv,
    ".xlsx": check_xlsx,
    ".xlsm": check_xlsx,
    ".ods": check_ods,
}
