"""The data quality of the client-level records behind a pack's figures: the section every
period layout ends with when the project has records, and the notes on the page of each
indicator computed from them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from boardpack.dataset.schema import RECORDS_QUALITY
from boardpack.periods import period_ending

from .inputs import PackInput

#: Fault column -> table heading, and how the indicator note words it (what the method does).
FAULTS = (
    ("no_person_id", "No person identifier", "without a person identifier (dropped)"),
    ("duplicate", "Duplicates", "duplicating another (counted once)"),
    ("after_death", "After death", "starting after the person's death (dropped)"),
    ("end_before_start", "End before start", "ending before they start (left out)"),
    ("invalid_code", "Invalid codes", "with a code no mapping knows (read as not mapped)"),
    ("open_service", "Open services", None),
)


@dataclass
class SubmissionQuality:
    """One submission as the section's table shows it, every cell as text."""

    quarter: str
    file: str
    submitted: str
    used: bool
    rows: str
    faults: list[str]
    least_complete: str


@dataclass
class DataQuality:
    """The section: the date the figures are as of, and a row per submission."""

    as_of: str
    headings: list[str] = field(default_factory=lambda: [h for _, h, _ in FAULTS])
    submissions: list[SubmissionQuality] = field(default_factory=list)


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _organisation(pack: PackInput) -> str:
    if pack.rows.height and "organisation" in pack.rows.columns:
        return pack.rows["organisation"][0]
    return pack.project.organisation.code


def _submissions(pack: PackInput, organisation: str) -> pl.DataFrame:
    """The organisation's submissions (none: the project has no records loaded)."""
    frame = pack.report.records_quality
    if frame.is_empty():
        return RECORDS_QUALITY.empty()
    return frame.filter(pl.col("organisation") == organisation)


def data_quality(pack: PackInput) -> DataQuality | None:
    """The pack's data-quality section (None when the project has no records loaded)."""
    frame = _submissions(pack, _organisation(pack))
    used = frame.filter("used")
    if used.is_empty():
        return None
    rows = [
        SubmissionQuality(
            quarter=period_ending(row["quarter_end"], "quarterly").label,
            file=row["file"],
            submitted=long_date(row["submitted"]),
            used=row["used"],
            rows=f"{row['rows']:,}",
            faults=[f"{row[name]:,}" for name, _, _ in FAULTS],
            least_complete=_least_complete(row),
        )
        for row in frame.iter_rows(named=True)
    ]
    return DataQuality(as_of=long_date(used["submitted"].max()), submissions=rows)


def _least_complete(row: dict) -> str:
    if row["least_complete_field"] is None:
        return ""
    if row["least_complete_pct"] == 100:
        return "All complete"
    return f"{row['least_complete_field']} ({row['least_complete_pct']:.1f}%)"


def records_notes(pack: PackInput, measure: str, organisation: str) -> list[tuple[str, str]]:
    """An indicator computed from records: where its figures come from, and the quality of
    the submissions they were computed from."""
    used = _submissions(pack, organisation).filter("used")
    if used.is_empty():
        return [("Data source", f"Computed from the Client Level Data submissions ({measure})")]
    as_of = long_date(used["submitted"].max())
    source = f"Computed from the Client Level Data submissions as of {as_of} (measure {measure})"
    return [("Data source", source), ("Data quality", quality_sentence(used))]


def quality_sentence(used: pl.DataFrame) -> str:
    """The faults in the submissions the figures came from, and what the method did with each."""
    total = int(used["rows"].sum())
    count = used.height
    parts = [
        f"{int(used[name].sum()):,} {words}"
        for name, _, words in FAULTS
        if words and int(used[name].sum())
    ]
    faults = "; of them " + ", ".join(parts) if parts else "; none had a fault the method corrects"
    return (
        f"{total:,} rows in {count} submission{'s' if count != 1 else ''}{faults}. "
        "See the data-quality section of the pack."
    )
