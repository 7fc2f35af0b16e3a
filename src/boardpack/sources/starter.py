"""Read a council's own table or tracker, as it keeps it, into a starter project: one indicator
per reference, the file's own column mapping, and a `Guess` for everything the file does not
say outright. Two shapes are read:

- a **table**: one row per indicator (and period, when a column gives it; a table per period
  names its period in the file name, or `period` is given), columns such as Ref, Title,
  Actual, Target, RAG;
- a **tracker**: periods across the top, one block of labelled rows per indicator (the
  tracker format of docs/data-formats.md).

`boardpack.init_project` writes the result as `boardpack.yaml`, each guess as a comment.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..catalogue.models import REF_PATTERN, ref_key
from ..errors import BoardpackError, Problem
from ..periods import Period, read_period
from .figures.records import is_total, normalise
from .figures.wide import ROW_FIELDS as WIDE_ROLES
from .figures.words import Words
from .guesses import (
    DIRECTION_WORDS,
    RAG_WORDS,
    Guess,
    frequency_guess,
    guessed,
    measurement_guess,
    polarity_guess,
    stated_polarity,
    unit_guess,
    word_key,
    words_guess,
)
from .readers import Cell, ReadError, Row, Table, cell_text, read_rows, sheet_names
from .values import ValueParseError, parse_value


class StarterError(BoardpackError):
    """The file cannot be read as a council's table or tracker."""

    outcome = "no project was written"


#: A table's headers (normalised) -> what the column holds; the first pattern that matches.
HEADERS: tuple[tuple[str, str], ...] = (
    (
        r"(indicator |kpi |pi |measure )?(ref|reference|code|no\.?|number|id)|kpi|pi|indicator",
        "indicator",
    ),
    (
        r"title|description|(indicator|kpi|pi|measure) (name|title|description)|name|measure|"
        r"performance indicator",
        "title",
    ),
    (
        r"(reporting |data )?period|quarter|qtr|month|year|date|as at|"
        r"(period|quarter|qtr|month|year) (end|ending|end date)|(reporting|snapshot) date",
        "period",
    ),
    (
        r"polarity|good is|good performance is|aim|better is|(higher|lower) is better|"
        r"direction of (good|improvement|good performance)",
        "polarity",
    ),
    (
        r"value|actual|result|outturn|performance|latest|figure|this (period|quarter|month)|"
        r"current( period| quarter| month)?|(actual|value|result) this (period|quarter|month)",
        "value",
    ),
    (
        r"last (period|quarter|month)|previous( period| quarter| month| value)?|prior period",
        "previous_value",
    ),
    (r"(this (period|quarter|month) )?target|target this (period|quarter|month)", "target"),
    (r"floor|minimum|intervention level", "floor"),
    (r"rag|rag (status|rating)|status|rating|performance status", "published_rag"),
    (r"trend|direction|direction of travel|dot|travel", "published_direction"),
    (r"organisation|council|(la|ons|authority|org) code", "organisation"),
    (r"numerator", "numerator"),
    (r"denominator", "denominator"),
    (r"notes?|comments?|commentary", "note"),
    (r"directorate|service( area)?|department|portfolio|division", "directorate"),
)
#: Words that name a column within a longer header ("2025/26 Target", "Q2 Actual"), when no
#: header above matches it whole.
HEADER_WORDS: tuple[tuple[str, str], ...] = (
    (r"\btarget\b", "target"),
    (r"\b(previous|last (period|quarter|month))\b", "previous_value"),
    (r"\b(actual|result|outturn|performance)\b", "value"),
    (r"\brag\b|\bstatus\b|\brating\b", "published_rag"),
    (r"\bdirection\b|\btrend\b", "published_direction"),
)
#: Columns read into the catalogue only; every other role is a column of the data file.
CATALOGUE_ROLES = ("title", "directorate", "polarity")

#: A tracker's row labels -> field, by the first pattern found in the label.
ROW_LABELS: tuple[tuple[str, str], ...] = (
    (r"target", "target"),
    (r"floor|minimum|intervention|tolerance", "floor"),
    (r"\brag\b|rating|status", "published_rag"),
    (r"direction|trend|\bdot\b", "published_direction"),
    (r"denominator|cohort|eligible|population", "denominator"),
    (r"numerator|numbers?|count|clients|people", "numerator"),
    (r"note|comment", "note"),
    (r"result|actual|value|performance|outturn|figure|%", "value"),
)


@dataclass
class Found:
    """What the file says about one indicator; `ref` without the spaces a file may write in
    it (`ASC 1` is ASC1, as figures find their indicator)."""

    ref: str
    title: str | None = None
    directorate: str | None = None
    polarity: str | None = None  # as the file states it: High, Lower is better
    cells: list[Cell] = field(default_factory=list)  # values and targets as written
    periods: list[Period] = field(default_factory=list)
    targeted: bool = False  # a target is given for some period
    rated: list[tuple[float, float, str]] = field(default_factory=list)  # value, target, rag
    moved: list[tuple[float, float, str]] = field(default_factory=list)  # value, previous, way
    ratios: list[tuple[float, float, float]] = field(default_factory=list)  # value, num, den

    def __post_init__(self) -> None:
        self.ref = "".join(self.ref.split())


@dataclass
class StarterIndicator:
    """One indicator of the starter catalogue: field -> guess, in the order written."""

    ref: str
    fields: dict[str, Guess]


@dataclass
class Starter:
    """A starter project: a data entry per file, the indicators, whose organisation."""

    data: list[dict[str, Guess]]
    indicators: list[StarterIndicator]
    organisation: str | None = None  # the organisation most figures are for, where given
    #: Each published rating -> the range of variance from target (a signed fraction,
    #: positive better, by the guessed polarity) of the middle 80% of the figures given it
    #: (a judgement or two aside), and how many were.
    spread: dict[str, tuple[float, float, int]] = field(default_factory=dict)

    def guesses(self) -> int:
        """How many answers the officer should check (a guess inside a mapping counts too)."""
        every = [g for entry in self.data for g in entry.values()]
        every += [g for ind in self.indicators for g in ind.fields.values()]
        inside = [v for g in every if isinstance(g.value, dict) for v in g.value.values()]
        return sum(isinstance(g, Guess) and g.guessed for g in every + inside)


@dataclass
class Read:
    """One file read: its data entry, what it says about each indicator, whose figures."""

    data: dict[str, Guess]
    found: list[Found]
    organisations: Counter = field(default_factory=Counter)


def starter_from(
    *paths: Path | str,
    sheet: str | None = None,
    period: str | None = None,
    names: Sequence[str] = (),
) -> Starter:
    """A starter project from a council's tables or trackers (a table per quarter, say), each
    named in the project as `names` gives (default: its file name under `data/`)."""
    if period and len(paths) > 1:
        raise StarterError(
            Problem(what="a period is given for one file; name each file by its period instead")
        )
    names = list(names) or [f"data/{Path(path).name}" for path in paths]
    reads = [_read_file(Path(p), sheet, period, name) for p, name in zip(paths, names, strict=True)]
    found = _merged([one for read in reads for one in read.found])
    every = [p for one in found for p in one.periods]
    codes = sum((read.organisations for read in reads), Counter())
    # no target anywhere says nothing about any one indicator: the file just gives none
    targets_given = any(one.targeted for one in found)
    indicators = [_indicator(one, every, targets_given) for one in found]
    return Starter(
        [read.data for read in reads],
        indicators,
        codes.most_common(1)[0][0] if codes else None,
        _spread(found, indicators),
    )


def _spread(
    found: list[Found], indicators: list[StarterIndicator]
) -> dict[str, tuple[float, float, int]]:
    """How far from target the figures given each published rating were: the council's rule
    in numbers (Greens down to -9.8% suggest "within 10%")."""
    by_rag: dict[str, list[float]] = {}
    for one, ind in zip(found, indicators, strict=True):
        sign = {"higher_better": 1, "lower_better": -1}.get(ind.fields["polarity"].value)
        for value, target, rag in one.rated if sign else ():
            if target:
                by_rag.setdefault(rag, []).append(sign * (value - target) / abs(target))
    order = [rag for rag in RAG_ORDER if rag in by_rag]
    return {rag: (*_middle(sorted(by_rag[rag])), len(by_rag[rag])) for rag in order}


def _middle(ordered: list[float]) -> tuple[float, float]:
    """The 10th and 90th percentiles (nearest rank), rounded to a tenth of a percent."""
    last = len(ordered) - 1
    low, high = ordered[round(0.1 * last)], ordered[round(0.9 * last)]
    return round(low, 3) + 0.0, round(high, 3) + 0.0


RAG_ORDER = ("green", "green_amber", "amber", "red_amber", "red")


def _read_file(path: Path, sheet: str | None, period: str | None, name: str) -> Read:
    """The file's table or tracker; in a workbook with no sheet named, the first sheet that
    reads as one (a Notes or Contents sheet before the figures is passed over)."""
    sheets = sheet_names(path) if sheet is None else []
    if len(sheets) < 2:
        return _read_sheet(path, sheet, period, name)
    refused: list[StarterError] = []
    for each in sheets:
        try:
            return _read_sheet(path, each, period, name)
        except (StarterError, ReadError) as error:
            if isinstance(error, ReadError) and error.problem.sheet is None:
                raise  # the file itself (damaged, too costly to read), not this sheet
            refused.append(error)
    listed = ", ".join(f'"{each}"' for each in sheets)
    raise StarterError(
        [
            *(p for error in refused for p in error.problems),
            Problem(
                file=name,
                what=f"no sheet reads as a table or tracker (its sheets are {listed}); "
                "give the sheet with --sheet once it is arranged as docs/data-formats.md shows",
            ),
        ]
    )


def _read_sheet(path: Path, sheet: str | None, period: str | None, name: str) -> Read:
    table = read_rows(path, sheet, name=name)
    across = _period_columns(table)
    if len(across) >= 2:
        wide = _wide_table(table, across)
        return _from_wide(*wide, across) if wide else _from_tracker(table, across)
    headed = [table.header[i].strip() for i in across]  # "Q2 2025/26" heading the figures
    return _from_table(table, period or _period_in_name(path.stem, table.sheet, *headed))


def _merged(found: list[Found]) -> list[Found]:
    """One `Found` per indicator (references ignoring case), in the order first seen."""
    merged: dict[str, Found] = {}
    for one in found:
        into = merged.setdefault(ref_key(one.ref), Found(one.ref))
        into.title = into.title or one.title
        into.directorate = into.directorate or one.directorate
        into.polarity = into.polarity or one.polarity
        into.cells += one.cells
        into.periods += one.periods
        into.targeted = into.targeted or one.targeted
        into.rated += one.rated
        into.moved += one.moved
        into.ratios += one.ratios
    return list(merged.values())


# -- periods ---------------------------------------------------------------------------------


def _period_columns(table: Table) -> dict[int, Period]:
    found = {i: read_period(h) for i, h in enumerate(table.header) if h.strip()}
    return {i: p for i, p in found.items() if p is not None}


NAMED_QUARTER = (
    re.compile(r"(?P<q>q[1-4])\W*(?P<fy>\d{4}\W\d{2,4})", re.I),
    re.compile(r"(?P<fy>\d{4}\W\d{2,4})\W*(?P<q>q[1-4])", re.I),
)


def _period_in_name(*names: str | None) -> str | None:
    """The period a file or sheet name gives: `2025-26-q1.csv`, `Q1 2025-26`, `Sep 2025`."""
    for name in filter(None, names):
        for pattern in NAMED_QUARTER:
            found = pattern.search(name)
            if found:
                year = re.sub(r"\W", "/", found["fy"])
                return f"{found['q'].upper()} {year}"
        period = read_period(name.replace("_", " "))
        if period is not None:
            return period.label
    return None


# -- a table: one row per indicator ------------------------------------------------------------


def _from_table(table: Table, period: str | None) -> Read:
    roles = _roles(table)
    if "indicator" not in roles:
        raise _problem(table, _no_references(table))
    if "period" not in roles and period is None:
        raise _problem(
            table,
            "has no period column and its name does not say which period it is; name the file "
            "like 2025-26-q1.csv, or give --period",
        )
    found = _found_in_table(table, roles, period)
    read = {i: role for role, i in roles.items() if role not in CATALOGUE_ROLES}
    data = {"file": Guess(table.name)}
    if table.sheet:
        data["sheet"] = Guess(table.sheet)
    if "period" not in roles:
        data["period"] = Guess(period)
    ignore = [h.strip() for i, h in enumerate(table.header) if h.strip() and i not in read]
    if ignore:
        data["ignore"] = Guess(ignore, "read for the catalogue only, or not read")
    data["columns"] = Guess(
        {
            table.header[i].strip(): role
            for i, role in read.items()
            if normalise(table.header[i]) != role
        }
    )
    words = {name: _words(table, roles.get(name)) for name in PUBLISHED}
    codes = _words(table, roles.get("organisation"))
    read = _read(table, data, found, words)
    read.organisations.update(code for code in codes if code and code not in BLANK_CODES)
    if any(code in BLANK_CODES for code in codes) and read.organisations:
        data["organisation"] = guessed(
            read.organisations.most_common(1)[0][0],
            "the code most rows give",
            "whose figures are the rows with a blank organisation?",
        )
    return read


#: What a blank organisation cell is written as.
BLANK_CODES = ("", "-")


def _roles(table: Table) -> dict[str, int]:
    """What each column holds -> its position; the first column of each kind wins."""
    roles: dict[str, int] = {}
    for index, header in enumerate(table.header):
        role = _header_role(table, index, normalise(header))
        if role and role not in roles:
            roles[role] = index
    return roles


def _header_role(table: Table, index: int, header: str) -> str | None:
    role = next((r for words, r in HEADERS if re.fullmatch(words, header)), None)
    role = role or next((r for words, r in HEADER_WORDS if re.search(words, header)), None)
    if role is None and read_period(header) is not None:
        return "value"  # a table's one column of figures, headed by its period
    texts = [cell_text(row.cells[index]) for row in table.rows if row.cells[index] is not None]
    if role == "indicator" and not all(_is_ref(text) for text in texts):
        return "title"  # "Indicator" holding each indicator's name
    if (
        role == "published_rag"
        and texts
        and all(t.lower() in ("provisional", "final") for t in texts)
    ):
        return "status"
    return role


def _no_references(table: Table) -> str:
    """Why the table cannot start a project: no column holds references."""
    return (
        "has no column of indicator references (short codes such as CS01 or AC/S3, one per "
        "row); add one, or name the column Ref"
    )


def _is_ref(text: str) -> bool:
    """A reference as a file writes it: `ASC 1` is ASC1 (figures find their indicator ignoring
    case and spaces)."""
    return len(text) <= 24 and bool(REF_PATTERN.match("".join(text.split())))


def _found_in_table(table: Table, roles: dict[str, int], period: str | None) -> list[Found]:
    found: dict[str, Found] = {}

    def cell(row: Row, role: str) -> Cell:
        return row.cells[roles[role]] if role in roles else None

    for row in table.rows:
        ref = cell_text(cell(row, "indicator"))
        if not ref or is_total(ref):
            continue
        one = found.setdefault(ref_key(ref), Found(ref))
        one.title = one.title or _one_line(cell(row, "title"))
        one.directorate = one.directorate or _one_line(cell(row, "directorate"))
        one.polarity = one.polarity or _one_line(cell(row, "polarity"))
        label = cell_text(cell(row, "period")) if "period" in roles else period
        _add(
            one,
            read_period(label or ""),
            *(cell(row, r) for r in ("value", "target", "published_rag")),
        )
        _add_move(one, *(cell(row, r) for r in ("value", "previous_value", "published_direction")))
        _add_ratio(one, *(cell(row, r) for r in ("value", "numerator", "denominator")))
        one.cells += [c for c in (cell(row, "previous_value"),) if c is not None]
    return list(found.values())


def _add(one: Found, period: Period | None, value: Cell, target: Cell, rag: Cell) -> None:
    """A figure for one period: its cells for the unit, its rating for the polarity."""
    one.cells += [c for c in (value, target) if c is not None]
    one.targeted = one.targeted or _number(target) is not None
    if period is not None:
        one.periods.append(period)
    numbers = _number(value), _number(target)
    meaning = RAG_WORDS.get(word_key(cell_text(rag)))
    if None not in numbers and meaning:
        one.rated.append((*numbers, meaning))


def _one_line(cell: Cell) -> str | None:
    """A title as one line: a cell's line breaks (Alt+Enter) and runs of spaces as one space."""
    return " ".join(cell_text(cell).split()) or None


def _add_ratio(one: Found, value: Cell, numerator: Cell, denominator: Cell) -> None:
    """A figure given with the counts it is worked out from."""
    numbers = _number(value), _number(numerator), _number(denominator)
    if None not in numbers and numbers[2]:
        one.ratios.append(numbers)


def _add_move(one: Found, value: Cell, previous: Cell, direction: Cell) -> None:
    """The previous figure and this one, and the direction published between them."""
    numbers = _number(value), _number(previous)
    meaning = DIRECTION_WORDS.get(word_key(cell_text(direction)))
    if None not in numbers and meaning:
        one.moved.append((*numbers, meaning))


def _number(cell: Cell) -> float | None:
    try:
        return parse_value(cell).value
    except ValueParseError:
        return None


def _words(table: Table, index: int | None) -> list[str]:
    if index is None:
        return []
    return [cell_text(row.cells[index]) for row in table.rows]


# -- a wide table: one row per indicator, periods across the top ---------------------------


def _wide_table(table: Table, across: dict[int, Period]) -> tuple[Table, dict[str, int]] | None:
    """The table's rows with figures, and its columns' roles, when each row names one
    indicator, once (a wide table); None when the table is a tracker of row blocks. Rows
    without figures (notes, a key) and total rows are left out."""
    rows = [row for row in table.rows if any(row.cells[i] is not None for i in across)]
    roles = _lead_roles(replace(table, rows=rows), across)
    column = roles.get("indicator")
    if column is None:
        return None
    rows = [row for row in rows if not is_total(row.cells[column])]
    refs = [cell_text(row.cells[column]) for row in rows]
    if not refs or len(set(refs)) != len(refs) or not all(_is_ref(ref) for ref in refs):
        return None
    return replace(table, rows=rows), roles


def _lead_roles(table: Table, across: dict[int, Period]) -> dict[str, int]:
    """What each column that is not a period holds -> its position, the first of each kind."""
    roles: dict[str, int] = {}
    for index, header in enumerate(table.header):
        role = None if index in across else _header_role(table, index, normalise(header))
        if role and role not in roles:
            roles[role] = index
    return roles


def _from_wide(table: Table, roles: dict[str, int], across: dict[int, Period]) -> Read:
    given = {role: i for role, i in roles.items() if role in WIDE_ROLES}
    data = {"file": Guess(table.name), "format": Guess("wide")}
    if table.sheet:
        data["sheet"] = Guess(table.sheet)
    columns = {
        table.header[i].strip(): role
        for role, i in given.items()
        if normalise(table.header[i]) != role
    }
    if columns:
        data["columns"] = Guess(columns)
    ignore = [
        h.strip()
        for i, h in enumerate(table.header)
        if h.strip() and i not in across and i not in given.values()
    ]
    if ignore:
        data["ignore"] = Guess(ignore, "read for the catalogue only, or not read")
    found = [_found_in_row(table, row, roles, across) for row in table.rows]
    return _read(table, data, found, {name: [] for name in PUBLISHED})


def _found_in_row(
    table: Table, row: Row, roles: dict[str, int], across: dict[int, Period]
) -> Found:
    def cell(role: str) -> Cell:
        return row.cells[roles[role]] if role in roles else None

    one = Found(cell_text(cell("indicator")))
    one.title = _one_line(cell("title"))
    one.directorate = _one_line(cell("directorate"))
    one.polarity = _one_line(cell("polarity"))
    for index, period in sorted(across.items(), key=lambda item: item[1]):
        if row.cells[index] is not None:
            _add(one, period, row.cells[index], cell("target"), None)
    return one


# -- a tracker: periods across the top -------------------------------------------------------


#: A published field -> the vocabulary its words are guessed from, and what they are.
PUBLISHED = {
    "published_rag": (RAG_WORDS, "rating"),
    "published_direction": (DIRECTION_WORDS, "direction"),
}


def _from_tracker(table: Table, across: dict[int, Period]) -> Read:
    lead = [i for i in range(min(across)) if i not in across]
    if not lead or len(lead) > 2:
        raise _problem(
            table,
            "has periods across the top but not one column of indicator references and one of "
            "row labels before them; arrange it as docs/data-formats.md's tracker format shows",
        )
    indicator = lead[0] if len(lead) == 2 else None
    label = lead[-1]
    if indicator is None and _one_row_each(table, label, across):
        raise _problem(
            table,
            "has one row per indicator with the periods across the top; a tracker labels each "
            "row with what it holds: add a column of row labels (Result, Target...) after the "
            "references, as docs/data-formats.md's tracker format shows",
        )
    if indicator is not None and not table.header[indicator].strip():
        raise _problem(
            table,
            "names its column of indicator references with a blank header; head it, e.g. Indicator",
        )
    labels, blocks = _tracker_blocks(table, indicator, label)
    data = {"file": Guess(table.name), "format": Guess("tracker")}
    if table.sheet:
        data["sheet"] = Guess(table.sheet)
    if indicator is not None:
        data["indicator_column"] = Guess(table.header[indicator].strip())
    figures = next(written for written, name in labels.items() if name == "value")
    data["rows"] = (
        Guess(labels)
        if _label_field(figures) == "value"
        else guessed(labels, f'"{figures}" holds the figures', "which row holds the figures?")
    )
    found = [_found_in_block(ref, block, labels, across) for ref, block in blocks.items()]
    words = {
        name: [
            cell_text(row.cells[i])
            for block in blocks.values()
            for written, row in block.items()
            if labels[written] == name
            for i in across
        ]
        for name in PUBLISHED
    }
    return _read(table, data, found, words)


def _one_row_each(table: Table, label: int, across: dict[int, Period]) -> bool:
    """Every row a reference with its figures beside it: no row labels at all."""
    return all(
        _is_ref(cell_text(row.cells[label]))
        and not _label_field(cell_text(row.cells[label]))
        and any(row.cells[i] is not None for i in across)
        for row in table.rows
    )


def _tracker_blocks(
    table: Table, indicator: int | None, label: int
) -> tuple[dict[str, str], dict[str, dict[str, Row]]]:
    """Row label as written -> field, and each indicator's rows by label as written."""
    labels: dict[str, str] = {}  # normalised -> as first written
    blocks: dict[str, dict[str, Row]] = {}
    current: dict[str, Row] | None = None
    for row in table.rows:
        ref = cell_text(row.cells[indicator]) if indicator is not None else ""
        text = cell_text(row.cells[label])
        if indicator is None and _starts_block(row, label, text):
            ref, text = text, ""
        if ref:
            current = blocks.setdefault(ref, {})
        if text and current is not None:
            current[labels.setdefault(normalise(text), text)] = row
    return _label_fields(table, list(labels.values())), blocks


def _starts_block(row: Row, label: int, text: str) -> bool:
    others = [c for i, c in enumerate(row.cells) if i != label and c is not None]
    return not others and _is_ref(text) and not _label_field(text)


def _label_field(text: str) -> str | None:
    return next((name for words, name in ROW_LABELS if re.search(words, text, re.I)), None)


def _label_fields(table: Table, labels: list[str]) -> dict[str, str]:
    """Each label -> a field (the first label no pattern places holds the figures when none
    says so); a label no field matches is an error, as the reader would refuse it."""
    fields = {text: _label_field(text) for text in labels}
    unplaced = [text for text, name in fields.items() if name is None]
    if "value" not in fields.values() and unplaced:
        fields[unplaced.pop(0)] = "value"
    problems = [
        Problem(
            file=table.name,
            sheet=table.sheet,
            value=text,
            what="is a row label Boardpack cannot place; rename it (Result, Target, RAG, "
            "Numerator, Denominator, Note) or remove its rows",
        )
        for text in unplaced
    ]
    if "value" not in fields.values():
        problems.append(
            Problem(
                file=table.name,
                sheet=table.sheet,
                what="has no row label for the figures; label each indicator's figures Result",
            )
        )
    if problems:
        raise StarterError(problems)
    return fields


def _found_in_block(
    ref: str, block: dict[str, Row], labels: dict[str, str], across: dict[int, Period]
) -> Found:
    one = Found(ref)
    by_field = {labels[written]: row for written, row in block.items()}

    def cell(name: str, index: int) -> Cell:
        row = by_field.get(name)
        return row.cells[index] if row is not None else None

    previous: Cell = None
    for index, period in sorted(across.items(), key=lambda item: item[1]):
        if any(row is not None and row.cells[index] is not None for row in block.values()):
            _add(
                one,
                period,
                cell("value", index),
                cell("target", index),
                cell("published_rag", index),
            )
            _add_move(one, cell("value", index), previous, cell("published_direction", index))
            _add_ratio(one, *(cell(name, index) for name in ("value", "numerator", "denominator")))
            previous = cell("value", index)
    return one


# -- the indicators ---------------------------------------------------------------------------


def _read(
    table: Table, data: dict[str, Guess], found: list[Found], words: dict[str, list[str]]
) -> Read:
    if not found:
        raise _problem(table, "has no rows naming an indicator; is the header row the first row?")
    data.update(_published_words(words))
    none = _no_figure_words(found)
    if none:
        said = data["missing"].value if "missing" in data else []
        data["missing"] = guessed(
            sorted({*said, *none}),
            "written where a figure would be",
            "words meaning no figure?",
        )
    return Read(data, found)


def _no_figure_words(found: list[Found]) -> list[str]:
    """Words written in place of a figure or target (`TBC`, `awaiting data`): text with no
    digit in it that is not a number. Text with digits (`31 days`) is left for the officer."""
    texts = {cell_text(cell).strip() for one in found for cell in one.cells}
    return sorted(t for t in texts if t and not re.search(r"\d", t) and _not_a_number(t))


def _not_a_number(text: str) -> bool:
    try:
        parse_value(text)
    except ValueParseError:
        return True
    return False


def _published_words(words: dict[str, list[str]]) -> dict[str, Guess]:
    """The file's own words for ratings and directions, those Boardpack does not read
    without being told: `published_words:`, and `missing:` for a word meaning "none" in both
    columns (`-` is No status among ratings, not applicable among directions)."""
    meanings = {
        name: words_guess([w for w in words[name] if not _own_word(name, w)], vocabulary, what)
        for name, (vocabulary, what) in PUBLISHED.items()
    }
    both = set(meanings["published_rag"]) & set(meanings["published_direction"])
    own = {w: g for name in PUBLISHED for w, g in meanings[name].items() if w not in both}
    found = {"published_words": Guess(own)} if own else {}
    if both:
        found["missing"] = Guess(sorted(both), "no rating and no direction")
    return found


def _own_word(name: str, word: str) -> bool:
    return not word.strip() or Words({}).read(name, word)[0] is not None


def _indicator(one: Found, every: list[Period], targets_given: bool) -> StarterIndicator:
    title = one.title or one.ref
    unit, decimals = unit_guess(one.cells, title, one.ratios)
    frequency = frequency_guess(one.periods if len(set(one.periods)) > 1 else every)
    fields = {
        "title": Guess(title)
        if one.title
        else guessed(title, "the file gives no title", "the indicator's name?"),
        "polarity": stated_polarity(one.polarity or "")
        or polarity_guess(title, one.rated, one.targeted or not targets_given, one.moved),
        "unit": unit,
        "decimals": decimals,
        "frequency": frequency,
        "measurement": measurement_guess(title),
    }
    if one.directorate:
        fields["directorate"] = Guess(one.directorate)
    return StarterIndicator(one.ref, fields)


def _problem(table: Table, what: str) -> StarterError:
    return StarterError(Problem(file=table.name, sheet=table.sheet, what=what))
