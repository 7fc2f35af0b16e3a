"""Read every data file of a project into one observations frame, or report every problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from boardpack.catalogue import DataSource, Indicator, Project, closest
from boardpack.catalogue.models import ref_key
from boardpack.dataset.schema import OBSERVATIONS, REVISIONS
from boardpack.periods import FREQUENCY_FORMS, PeriodError, how_to_write, period_for

from ...errors import BoardpackError, Problem
from ..columnar import ROW, read_csv_frame, read_sheet_frame
from ..readers import ReadError, Table, cell_text, read_rows
from ..values import MISSING_MARKERS, ParsedValue, ValueParseError, parse_value
from .columnar import FrameRead, read_tidy_frame
from .combine import combine
from .records import NOT_YET_REPORTED, NUMBERS, PERCENT_FIELDS, STATUSES, Record
from .tidy import tidy_records
from .tracker import tracker_records
from .wide import wide_records
from .words import Words

Format = Callable[[Table, DataSource, list[Problem]], list[Record]]
FORMATS: dict[str, Format] = {
    "tidy": tidy_records,
    "tracker": lambda table, source, problems: tracker_records(
        table, source.rows, source.indicator_column, problems
    ),
    "wide": wide_records,
}


@dataclass(frozen=True)
class Figures:
    """A project's figures as read from its files: the `observations` and the `revisions`
    (earlier figures a later file revised), both as the Dataset's tables."""

    observations: pl.DataFrame
    revisions: pl.DataFrame


def load_observations(
    project: Project, project_dir: Path, organisation_default: str
) -> pl.DataFrame:
    """Every observation in the project's data files, as the Dataset's `observations` table.

    All files are checked first; if anything is wrong, `BoardpackError` lists every problem and
    nothing is returned."""
    return load_figures(project, project_dir, organisation_default).observations


def load_figures(project: Project, project_dir: Path, organisation_default: str) -> Figures:
    """Every observation in the project's data files, and the revisions among them.

    `organisation_default` is the organisation of a file without an organisation column. All
    files are checked first; if anything is wrong, `BoardpackError` lists every problem.
    Tidy CSV files and workbook sheets are read as frames (`columnar`); other files, and the rows of those that
    the frame's filters find wrong or repeated, record by record."""
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    frames: list[tuple[int, FileReading, FrameRead]] = []
    for position, source in enumerate(project.data):
        reading = file_reading(project, source, Path(project_dir), organisation_default, problems)
        read = _read_frame(source, Path(project_dir), reading, problems)
        records = read.records if read else _read_source(source, Path(project_dir), problems)
        rows.extend(_built(records, reading, position, by_row=read is not None))
        if read is not None:
            frames.append((position, reading, read))
        problems.extend(reading.blank_organisations())
    fast = _frame_rows(frames, rows)
    first = {}
    for row in rows:
        first.setdefault((row["indicator"], row["organisation"], row["period"]), row[SEQ])
    kept, revisions = combine(rows, problems)
    if problems:
        raise BoardpackError(_in_file_order(problems, project))
    for row in kept:
        row[SEQ] = first[(row["indicator"], row["organisation"], row["period"])]
    if kept:
        given = pl.DataFrame(kept, schema={SEQ: pl.Int64, **OBSERVATIONS.columns})
        observations = pl.concat([fast, given]).sort(SEQ)
    else:
        observations = fast  # in the order given: one frame per file, each in row order
    return Figures(observations.select(list(OBSERVATIONS.columns)), REVISIONS.frame(revisions))


#: The order rows were given in: the file's place in the project, then the row (and a
#: previous period's figure printed beside it after the row's own).
SEQ = "__seq"
FILE_SHIFT = 1 << 40


def _built(
    records: list[Record], reading: FileReading, position: int, by_row: bool
) -> list[dict[str, Any]]:
    rows = []
    for count, record in enumerate(records):
        place = record.row if by_row else count
        for sub, row in enumerate(Observation(record, reading).build()):
            row[SEQ] = position * FILE_SHIFT + place * 4 + sub
            rows.append(row)
    return rows


def _read_frame(
    source: DataSource, project_dir: Path, reading: FileReading, problems: list[Problem]
) -> FrameRead | None:
    """A tidy CSV or workbook sheet read as a frame, or None when it is read row by row."""
    if source.format != "tidy":
        return None
    path = project_dir / source.file
    table = read_sheet_frame(path, source.file, source.sheet, source.header_row) or (
        None if source.sheet else read_csv_frame(path, source.file, source.header_row)
    )
    return read_tidy_frame(table, reading, problems) if table is not None else None


def _frame_rows(
    frames: list[tuple[int, FileReading, FrameRead]], rows: list[dict[str, Any]]
) -> pl.DataFrame:
    """The frames' observations whose indicator, organisation and period are given once in
    all the files; the others are added to `rows` (in order) for `combine` to merge."""
    key = ["indicator", "organisation", "period"]
    given = [
        read.observations.select(
            *key,
            pl.col(ROW),
            (pl.lit(position * FILE_SHIFT) + pl.col(ROW).cast(pl.Int64) * 4).alias(SEQ),
            pl.lit(position).alias("__file"),
        )
        for position, _, read in frames
    ]
    slow = pl.DataFrame(
        [{name: row[name] for name in key} for row in rows],
        schema={name: pl.String for name in key},
    ).unique()
    everything = (
        pl.concat(given)
        if given
        else pl.DataFrame(
            schema={
                **dict.fromkeys(key, pl.String),
                ROW: pl.UInt32,
                SEQ: pl.Int64,
                "__file": pl.Int32,
            }
        )
    )
    repeated = pl.concat([everything.select(key), slow]).filter(pl.struct(key).is_duplicated())
    twice = everything.join(repeated.unique(), on=key, how="semi")
    for position, reading, read in frames:
        numbers = twice.filter(pl.col("__file") == position)[ROW]
        if not numbers.is_empty():
            rows.extend(_built(read.records_at(reading.source, numbers), reading, position, True))
    rows.sort(key=lambda row: row[SEQ])
    once = [
        read.observations.join(
            twice.filter(pl.col("__file") == position), on=ROW, how="anti", maintain_order="left"
        )
        .with_columns((pl.lit(position * FILE_SHIFT) + pl.col(ROW).cast(pl.Int64) * 4).alias(SEQ))
        .select(SEQ, *OBSERVATIONS.columns)
        for position, _, read in frames
    ]
    return pl.concat(
        [
            OBSERVATIONS.empty()
            .with_columns(pl.lit(0, pl.Int64).alias(SEQ))
            .select(SEQ, *OBSERVATIONS.columns),
            *once,
        ]
    )


def file_reading(
    project: Project,
    source: DataSource,
    project_dir: Path,
    organisation_default: str,
    problems: list[Problem],
) -> FileReading:
    """What reading `source`'s records needs; problems are added to `problems`."""
    return FileReading(
        source,
        {ref_key(ind.ref): ind for ind in project.indicators},
        organisation_default,
        source.organisation or project.settings.default_organisation,
        Words(source.published_words),
        _revised_on(project_dir / source.file),
        problems,
    )


def observation_row(record: Record, reading: FileReading) -> dict[str, Any] | None:
    """The observation one record gives, or None (with its problems added) when a cell is
    bad; a previous period's figure printed beside it is left out."""
    rows = Observation(record, reading).build()
    return rows[0] if rows else None


def _read_source(source: DataSource, project_dir: Path, problems: list[Problem]) -> list[Record]:
    try:
        table = read_rows(
            project_dir / source.file,
            source.sheet,
            source.header_row,
            name=source.file,
        )
    except ReadError as error:
        problems.append(error.problem)
        return []
    return FORMATS[source.format](table, source, problems)


def _revised_on(path: Path) -> dt.date | None:
    """When a file was last saved: the date its revisions were made."""
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return None


def _in_file_order(problems: list[Problem], project: Project) -> list[Problem]:
    """Distinct problems, by file as the project lists them, then by row."""
    order = {source.file: index for index, source in enumerate(project.data)}
    return sorted(dict.fromkeys(problems), key=lambda p: (order.get(p.file, 0), p.row or 0))


@dataclass
class FileReading:
    """What reading one file needs beyond its records: its settings, the catalogue, and the
    rows whose organisation is blank (reported once for the file)."""

    source: DataSource
    indicators: dict[str, Indicator]  # by lower-case reference
    organisation_default: str  # a file with no organisation column is about this one
    blank_default: str | None  # set explicitly for blank organisations, or None
    words: Words
    revised_on: dt.date | None
    problems: list[Problem]
    blanks: list[Record] = field(default_factory=list)

    def is_missing(self, text: str) -> bool:
        """Whether a cell is one of the file's own markers for "no figure" (`missing:`)."""
        return text.lower() in {marker.strip().lower() for marker in self.source.missing}

    def blank_organisations(self) -> list[Problem]:
        """One problem for every row of the file whose organisation is blank."""
        if not self.blanks:
            return []
        first = self.blanks[0].fields["organisation"]
        rows = [record.row for record in self.blanks]
        shown = ", ".join(str(row) for row in rows[:10]) + (", ..." if len(rows) > 10 else "")
        plural = f"{len(rows)} rows" if len(rows) > 1 else "1 row"
        return [
            Problem(
                file=self.source.file,
                sheet=self.blanks[0].sheet,
                column=first.column,
                what=f"the organisation is blank or not given in {plural} (row {shown}), "
                "so those figures belong to no one",
                fix="give each row its organisation code, or say whose they are with "
                "`organisation:` for this file in boardpack.yaml",
            )
        ]


#: How a file says a word in a figure's place means no figure ("tbc", "awaiting data").
NO_FIGURE_HINT = "; if it means no figure, list it under `missing:` for this file"


@dataclass
class Observation:
    """Turns one record into an observation row (and one for the previous period when the
    file prints its figure alongside), adding a problem for each bad cell."""

    record: Record
    reading: FileReading

    @property
    def problems(self) -> list[Problem]:
        return self.reading.problems

    def build(self) -> list[dict[str, Any]]:
        count = len(self.problems)
        indicator = self._indicator()
        row: dict[str, Any] = {
            "indicator": indicator.ref if indicator else None,
            "missing_reason": None,
            "record": self.record,
            "revises": self.reading.source.revisions,
            "revised_on": self.reading.revised_on,
        }
        period = self._period(indicator)
        row.update(_period_columns(period) if period else {})
        row.update(self._numbers(indicator))
        row["organisation"] = self._organisation()
        row["status"] = self._status()
        row["note"] = self._text("note")
        row["published_rag"] = self._word("published_rag")
        row["published_direction"] = self._word("published_direction")
        row["source"] = self.record.source
        self._check_denominator(row)
        if len(self.problems) != count or row["organisation"] is None:
            return []
        previous = row.pop("previous_value")
        return [row, *self._previous(row, period, previous)]

    def _previous(self, row: dict[str, Any], period, value: float | None) -> list[dict[str, Any]]:
        """The previous period's figure as printed beside this one: it revises the figure
        stored for that period where the two differ."""
        if value is None:
            return []
        before = period.previous()
        return [
            {
                **dict.fromkeys(OBSERVATIONS.columns),
                **{k: row[k] for k in ("indicator", "organisation", "record", "revised_on")},
                **_period_columns(before),
                "value": value,
                "source": row["source"],
                "revises": True,
            }
        ]

    def _text(self, name: str) -> str | None:
        found = self.record.fields.get(name)
        return (cell_text(found.raw) or None) if found else None

    def _add(self, name: str, reason: str) -> None:
        self.problems.append(self.record.problem(name, reason))

    def _indicator(self) -> Indicator | None:
        ref = self._text("indicator")
        if not ref:
            self._add("indicator", "the indicator is blank; give its reference from boardpack.yaml")
            return None
        indicators = self.reading.indicators
        indicator = indicators.get(ref_key(ref))
        if indicator is None:
            match = closest(ref, [ind.ref for ind in indicators.values()])
            hint = (
                f"; did you mean {match}?"
                if match
                else "; add it to boardpack.yaml or fix the reference"
            )
            self._add("indicator", f"is not an indicator in boardpack.yaml{hint}")
        return indicator

    def _period(self, indicator: Indicator | None):
        label = self._text("period") or ""
        try:
            return period_for(label, indicator.frequency if indicator else None)
        except PeriodError as error:
            why = f" ({error.reason})" if error.reason else ""
            how = "write it like Q2 2019/20, Sep 2019, 2019/20 or 30/09/2019"
            if indicator is not None and indicator.frequency in FREQUENCY_FORMS:
                written = how_to_write(indicator.frequency, by_month=True)
                how = f"the indicator is {indicator.frequency}: {written}"
            self._add("period", f"is not a period{why}; {how}")
            return None

    def _organisation(self) -> str | None:
        """The row's organisation; None (noted for the file's one problem) when blank with no
        default set for blanks."""
        if "organisation" not in self.record.fields:
            return self.reading.blank_default or self.reading.organisation_default
        text = self._text("organisation") or ""
        if text.lower() not in MISSING_MARKERS:
            return text
        if self.reading.blank_default:
            return self.reading.blank_default
        self.reading.blanks.append(self.record)
        return None

    def _numbers(self, indicator: Indicator | None) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for name in NUMBERS:
            parsed = self._number(name, indicator)
            row[name] = parsed.value if parsed else None
            if name == "value" and parsed and parsed.missing:
                row["missing_reason"] = (
                    NOT_YET_REPORTED if parsed.missing == "blank" else parsed.missing
                )
        return row

    def _number(self, name: str, indicator: Indicator | None) -> ParsedValue | None:
        found = self.record.fields.get(name)
        raw = found.raw if found else None
        if raw is not None and self.reading.is_missing(cell_text(raw)):
            return ParsedValue(None, MISSING_MARKERS["n/a"])
        try:
            parsed = parse_value(raw)
        except ValueParseError as error:
            worded = not any(c.isdigit() for c in cell_text(raw))  # "tbc", not "12..5"
            self._add(name, error.reason + (NO_FIGURE_HINT if worded else ""))
            return None
        if (
            parsed.is_percent
            and name in PERCENT_FIELDS
            and indicator
            and indicator.unit != "percent"
        ):
            self._add(
                name,
                f"is a percentage but {indicator.ref} is measured as {indicator.unit}; "
                "remove the % sign or change the indicator's unit",
            )
        return parsed

    def _status(self) -> str | None:
        status = self._text("status")
        if status and status.lower() not in STATUSES:
            self._add(
                "status",
                f"is not a status; use {' or '.join(STATUSES)}, or leave it blank "
                "(a column of ratings maps to published_rag under `columns:`)",
            )
            return None
        return status.lower() if status else None

    def _word(self, name: str) -> str | None:
        """A published rating or direction in Boardpack's words."""
        text = self._text(name)
        if text is None or self.reading.is_missing(text):
            return None
        meaning, reason = self.reading.words.read(name, text)
        if reason:
            self._add(name, reason)
        return meaning

    def _check_denominator(self, row: dict[str, Any]) -> None:
        if row.get("denominator") == 0 and row.get("numerator") is not None:
            self._add(
                "denominator",
                "is zero but a numerator is given; a rate needs a denominator "
                "above zero (leave both blank if there were no cases)",
            )


def _period_columns(period) -> dict[str, Any]:
    return {
        "period": period.label,
        "period_start": period.start,
        "period_end": period.end,
        "end_month": period.end_month,
    }
