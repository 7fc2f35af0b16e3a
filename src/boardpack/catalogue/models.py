"""The shape of `boardpack.yaml`, as pydantic models.

The models check each value on its own (types, allowed words, unknown keys). Checks that
compare one part of the file with another live in `rules.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .errors import describe, did_you_mean
from .kinds import SchemeConfig

Polarity = Literal["higher_better", "lower_better", "in_band", "none"]
Unit = Literal["percent", "number", "rate_per_100k", "days", "currency", "fte", "ratio"]
Frequency = Literal["monthly", "quarterly", "annual"]
Measurement = Literal["snapshot", "during_period", "rolling_12_months", "year_to_date"]
Rag = Literal["green", "green_amber", "amber", "red_amber", "red", "no_status"]
DataFormat = Literal["tidy", "tracker", "wide"]
DirectionDisplay = Literal["arrow", "words", "trend"]
Direction = Literal["improving", "no_change", "worsening", "not_applicable"]
Percentages = Literal["points", "relative"]
DirectionBasis = Literal["previous_period", "same_period_last_year"]

RAGS = get_args(Rag)
DIRECTIONS = get_args(Direction)
#: The fields a figures file's columns (tidy) or rows (tracker) can give, in the tidy order.
FIGURE_FIELDS = (
    "indicator",
    "period",
    "value",
    "organisation",
    "numerator",
    "denominator",
    "target",
    "floor",
    "status",
    "note",
    "published_rag",
    "previous_value",
    "published_direction",
    "baseline",
)
#: Each rating in words, as packs and messages write it.
RAG_LABELS: dict[str, str] = {
    "green": "Green",
    "green_amber": "Green Amber",
    "amber": "Amber",
    "red_amber": "Red Amber",
    "red": "Red",
    "no_status": "No status",
}
DEFAULT_DECIMALS: dict[str, int] = {"percent": 1, "rate_per_100k": 1, "days": 1, "ratio": 2}
REF_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/._-]*$")


def ref_key(ref: str) -> str:
    """How a reference written in a data file finds its indicator: ignoring case and spaces, so
    a file's `ASC 1` or `asc1` is the catalogue's ASC1."""
    return "".join(ref.split()).lower()


def _scalar(value: Any) -> Any:
    if isinstance(value, str | bool | int | float):
        return value
    raise ValueError(f"a tag value must be a word, number, true or false, not {describe(value)}")


TagValue = Annotated[
    Any,
    AfterValidator(_scalar),
    WithJsonSchema({"type": ["string", "boolean", "integer", "number"]}),
]
Text = Annotated[str, Field(min_length=1)]


class Model(BaseModel):
    """Base for every section: unknown keys are errors; numbers read as text where text is due."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class Organisation(Model):
    code: Text = Field(description="ONS code, e.g. E10000016; the organisation key in the data.")
    name: Text = Field(description="Name shown on packs.")
    directorate: str | None = Field(None, description="Default directorate for indicators.")


class Settings(Model):
    default_rating_scheme: str = Field(
        "threshold", description="A built-in kind or a name under rating_schemes."
    )
    no_change_within_pct: float = Field(
        0,
        ge=0,
        description='Direction is "no change" when |change| <= this % of the previous value.',
    )
    call_in_amber_periods: int = Field(
        2,
        ge=1,
        description="Amber this many consecutive periods puts an indicator on the call-in list.",
    )
    percent_decimals: int = Field(1, ge=0, le=6, description="Default decimals for percentages.")
    count_stale: bool = Field(
        False,
        description="Count a figure older than the period due (stale) among the period's "
        "ratings and directions; by default it is shown with its period but not counted.",
    )
    target_placeholder: float | None = Field(
        None,
        description="A target that means no target yet (often 0): figures are not rated "
        "against it. An indicator's own target_placeholder wins.",
    )
    direction_display: DirectionDisplay = Field(
        "arrow",
        description="arrow: an arrow and a word; words: the word only; trend: the arrow and "
        "word, then whether the trend over recent periods is significant.",
    )
    default_organisation: str | None = Field(
        None,
        description="The organisation of figures whose organisation is blank, in every file; "
        "default: a blank organisation is an error.",
    )
    show_reconciliation: bool = Field(
        False,
        description="Add an appendix comparing Boardpack's ratings and directions with those "
        "the files publish (published_rag, published_direction).",
    )


class Band(Model):
    rag: Rag
    min_pct: float | None = Field(
        None,
        description="Lowest relative variance (%, positive = better) in this band; omit on the last band.",
    )


class ThresholdScheme(Model):
    """Green at or better than target, Amber between target and floor, Red beyond the floor."""

    kind: Literal["threshold"]
    percentages: Percentages = Field(
        "points",
        description="How a percentage's distance from target is described: points (percentage "
        "points, 25.5 points worse) or relative (its share of the target, 75.0% worse).",
    )


class VarianceBandsScheme(Model):
    """Rated by relative variance from target; the first band whose min_pct is met wins."""

    kind: Literal["variance_bands"]
    bands: list[Band] = Field(min_length=1)
    percentages: Percentages = Field(
        "points",
        description="How a percentage's distance from target is described: points (percentage "
        "points, 25.5 points worse) or relative (its share of the target, 75.0% worse).",
    )


class InBandScheme(Model):
    """Green within target +/- band, Amber within target +/- tolerance, else Red."""

    kind: Literal["in_band"]
    band: float = Field(ge=0, description="Green within target +/- this (indicator units).")
    tolerance: float = Field(ge=0, description="Amber within target +/- this (indicator units).")


class NoneScheme(Model):
    """Not rated: activity measures and context figures."""

    kind: Literal["none"]


class RatingRule(Model):
    """One rule of a `rules` scheme: the rating it gives where its condition holds."""

    rag: Rag
    when: str | None = Field(
        None,
        description="A condition over the figure's fields, e.g. variance_pct >= -0.10 "
        "(docs/rating-rules.md); omit on the last rule, which catches everything else.",
    )
    meaning: Text = Field(description="What the rating means, as the pack's key says it.")


class RulesScheme(Model):
    """Ordered rules, the first whose condition holds gives the rating (docs/rating-rules.md)."""

    kind: Literal["rules"]
    rules: list[RatingRule] = Field(min_length=1)
    percentages: Percentages = Field(
        "points",
        description="How a percentage's distance from target is described: points (percentage "
        "points, 25.5 points worse) or relative (its share of the target, 75.0% worse).",
    )


#: A `rating_schemes:` entry: the model of the kind it names (`kinds.SCHEME_KINDS`, live).
RatingSchemeConfig = SchemeConfig

#: Boardpack's own kinds, each usable by its name with these settings (no entry needed).
BUILTIN_SCHEMES: dict[str, Model] = {
    "threshold": ThresholdScheme(kind="threshold"),
    "variance_bands": VarianceBandsScheme(
        kind="variance_bands",
        bands=[
            Band(rag="green", min_pct=0),
            Band(rag="green_amber", min_pct=-10),
            Band(rag="red_amber", min_pct=-20),
            Band(rag="red"),
        ],
    ),
    "in_band": InBandScheme(kind="in_band", band=5, tolerance=10),
    "none": NoneScheme(kind="none"),
    "info_only": RulesScheme(
        kind="rules", rules=[RatingRule(rag="no_status", meaning="For information only")]
    ),
}


class Owners(Model):
    cabinet_member: str | None = None
    director: str | None = None
    portfolio: str | None = None
    division: str | None = None
    lead_officer: str | None = None


class TargetEntry(Model):
    """A target for a period (and the periods inside it), or from a date until the next entry."""

    model_config = ConfigDict(populate_by_name=True)

    period: str | None = Field(None, description="A period label: 2023/24, Q4 2023/24, Sep 2023.")
    from_: dt.date | None = Field(
        None, alias="from", description="Applies from this date (2024-04-01)."
    )
    target: float
    floor: float | None = Field(
        None,
        description="Red beyond this; below target when higher is better, above when lower is better.",
    )
    band: float | None = Field(
        None, ge=0, description="in_band indicators: Green within target +/- band."
    )
    tolerance: float | None = Field(
        None, ge=0, description="in_band indicators: Amber within +/- tolerance."
    )

    @model_validator(mode="after")
    def _one_of_period_or_from(self) -> TargetEntry:
        if (self.period is None) == (self.from_ is None):
            raise ValueError(
                "give either period (a period label) or from (a date), not both or neither"
            )
        return self


class Baseline(Model):
    """Where an indicator started from: rating rules measure `progress` from here to target."""

    period: str = Field(description="The period of the baseline figure: Mar 2024, Q4 2023/24.")
    value: float = Field(description="The figure then, e.g. 390.")


class SchemeFrom(Model):
    """A rating scheme an indicator uses from a period on (until a later entry's period)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(
        alias="from", description="The first period rated so: Q2 2014/15, Jul 2014, 2015/16."
    )
    scheme: str = Field(description="A built-in scheme (info_only...) or one under rating_schemes.")


class ChartOptions(Model):
    y_from_zero: bool = Field(True, description="Start the value axis at zero.")


class IndicatorSource(Model):
    """Where an indicator's figures come from when no data file gives them."""

    records: str = Field(
        pattern=r"^[a-z0-9_]+$",
        description="A measure computed from the project's Client Level Data records "
        "(records: section): an ASCOF one such as ascof_2c, a local one such as lts_people, or "
        "one of the project's measures/*.sql (docs/records.md).",
    )


class Indicator(Model):
    ref: str = Field(description="Unique reference: letters, digits and / . - _")
    title: Text
    definition: str | None = None
    tier: str | None = Field(
        None, description="Strategic, Critical, KPI, Activity, or your own word."
    )
    polarity: Polarity
    unit: Unit
    decimals: int | None = Field(
        None,
        ge=0,
        le=6,
        description="Default: percent 1 (settings.percent_decimals), rate_per_100k 1, days 1, ratio 2, others 0.",
    )
    frequency: Frequency
    measurement: Measurement = "during_period"
    lag_periods: int = Field(0, ge=0, description="Periods in arrears the figure runs.")
    data_source: str | None = None
    source: IndicatorSource | None = Field(
        None,
        description="Figures computed by Boardpack instead of read from a data file: "
        "{records: ascof_2c}.",
    )
    numerator_label: str | None = None
    denominator_label: str | None = None
    owners: Owners = Field(default_factory=Owners)
    directorate: str | None = Field(None, description="Default: organisation.directorate.")
    perspective: str | None = Field(None, description="Scorecard perspective.")
    tags: dict[str, TagValue] = Field(default_factory=dict)
    rating_scheme: str | None = Field(
        None,
        description="Default: none when polarity is none, in_band when in_band, else settings.default_rating_scheme.",
    )
    no_change_within: float | None = Field(
        None, ge=0, description='Absolute tolerance for "no change".'
    )
    targets: list[TargetEntry] = Field(default_factory=list)
    schemes: list[SchemeFrom] = Field(
        default_factory=list,
        description="Rating schemes from a period on, e.g. [{from: Q2 2014/15, scheme: "
        "info_only}]; before the first, rating_scheme applies.",
    )
    direction_basis: DirectionBasis | None = Field(
        None,
        description="What direction of travel compares a figure with. Default: the same "
        "period last year for year_to_date measures (like with like), else the previous period.",
    )
    target_placeholder: float | None = Field(
        None,
        description="A target that means no target yet, e.g. 0: not rated against. "
        "Default: settings.target_placeholder.",
    )
    baseline: Baseline | None = Field(
        None,
        description="The figure the indicator started from, for rating rules' progress "
        "(docs/rating-rules.md), e.g. {period: Mar 2024, value: 390}.",
    )
    chart: ChartOptions = Field(default_factory=ChartOptions)
    notes: str | None = Field(None, description="Markdown: data notes, printed with the indicator.")
    technical_notes: str | None = Field(
        None, description="Markdown: how the figure is made, printed in a technical notes appendix."
    )
    internal_notes: str | None = Field(
        None, description="Markdown for whoever keeps the catalogue; never published."
    )

    _decimals_given: bool = PrivateAttr(True)

    @field_validator("ref")
    @classmethod
    def _ref_shape(cls, ref: str) -> str:
        if not REF_PATTERN.match(ref):
            raise ValueError(
                f'"{ref}" is not a valid reference; use letters, digits and / . - _ only'
            )
        return ref

    @model_validator(mode="after")
    def _default_decimals(self) -> Indicator:
        if self.decimals is None:
            self.decimals = DEFAULT_DECIMALS.get(self.unit, 0)
            self._decimals_given = False
        return self

    def scheme_name(self, settings: Settings) -> str:
        """The rating scheme this indicator uses, defaults resolved."""
        if self.rating_scheme:
            return self.rating_scheme
        if self.polarity in ("none", "in_band"):
            return self.polarity
        return settings.default_rating_scheme


class DataSource(Model):
    file: Text = Field(description="Path relative to the project folder.")
    format: DataFormat = Field(
        "tidy",
        description="tidy: one row per figure; tracker: blocks of rows per indicator; "
        "wide: one row per indicator, the periods across the top.",
    )
    sheet: str | None = Field(
        None, description="Sheet name in a workbook; default the first sheet."
    )
    header_row: int | None = Field(
        None,
        ge=1,
        description="Row number of the header (1 = first row); default the first row with two or more cells filled.",
    )
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="Your header -> our column name.",
        json_schema_extra={"additionalProperties": {"enum": list(FIGURE_FIELDS)}},
    )
    indicator_column: str | None = Field(
        None, description="tracker: the column naming the indicator."
    )
    rows: dict[str, str] = Field(
        default_factory=dict,
        description="tracker: row label -> field.",
        json_schema_extra={"additionalProperties": {"enum": list(FIGURE_FIELDS)}},
    )
    period: str | None = Field(
        None,
        description="tidy: every row is this period (a table per period, with no period column).",
    )
    ignore: list[Text] = Field(
        default_factory=list, description="tidy and wide: columns of the file not to read."
    )
    missing: list[str] = Field(
        default_factory=list,
        description='Values meaning "no figure" in this file, e.g. ["0", "-", "n/a"].',
    )
    organisation: str | None = Field(
        None,
        description="The organisation of rows whose organisation is blank; default: a blank "
        "organisation is an error (a file with no organisation column is the project's own).",
    )
    published_words: dict[str, str] = Field(
        default_factory=dict,
        description="Published ratings and directions as the file writes them -> ours "
        "(Getting better: improving, lg: green).",
        json_schema_extra={"additionalProperties": {"enum": [*RAGS, *DIRECTIONS]}},
    )
    revisions: bool = Field(
        False, description="The file revises figures given earlier: its figures win, recorded."
    )

    @field_validator("columns", "rows")
    @classmethod
    def _known_fields(cls, mapping: dict[str, str]) -> dict[str, str]:
        wrong = [(mine, ours) for mine, ours in mapping.items() if ours not in FIGURE_FIELDS]
        if wrong:
            raise ValueError(
                "; ".join(
                    f'"{mine}" is mapped to "{ours}", which is not a field'
                    f"{did_you_mean(ours, FIGURE_FIELDS)}"
                    for mine, ours in wrong
                )
                + f"; the fields are {', '.join(FIGURE_FIELDS)}"
            )
        return mapping

    @field_validator("published_words")
    @classmethod
    def _known_words(cls, words: dict[str, str]) -> dict[str, str]:
        known = (*RAGS, *DIRECTIONS)
        wrong = [(word, ours) for word, ours in words.items() if ours not in known]
        if wrong:
            raise ValueError(
                "; ".join(
                    f'"{word}" is given as "{ours}"{did_you_mean(ours, known)}'
                    for word, ours in wrong
                )
                + f"; a published word means a rating ({', '.join(RAGS)}) or a direction "
                f"({', '.join(DIRECTIONS)})"
            )
        return words

    @field_validator("period")
    @classmethod
    def _a_period(cls, label: str | None) -> str | None:
        from boardpack.periods import PeriodError, parse_period

        if label is not None:
            try:
                parse_period(label)
            except PeriodError as error:
                raise ValueError(
                    f'"{label}" is not a period ({error}); write it like Q2 2019/20'
                ) from None
        return label

    @model_validator(mode="after")
    def _not_mapped_and_ignored(self) -> DataSource:
        mapped = {" ".join(name.split()).lower() for name in self.columns}
        both = [name for name in self.ignore if " ".join(name.split()).lower() in mapped]
        if both:
            raise ValueError(
                f"{', '.join(both)} is both mapped under columns: and listed under ignore:; "
                "keep one"
            )
        return self

    @model_validator(mode="after")
    def _tidy_only(self) -> DataSource:
        tidy_only = ("period", "ignore") if self.format == "tracker" else ("period",)
        given = [name for name in tidy_only if getattr(self, name)]
        if self.format != "tidy" and given:
            raise ValueError(
                f"{' and '.join(given)} apply to tidy files; a {self.format} file's periods "
                "are its column headers"
            )
        return self


class CommentaryFile(Model):
    period: str
    file: Text


class Override(Model):
    """A manual rating; the reason is published with it."""

    indicator: str
    period: str
    rag: Rag
    reason: str
    approved_by: str | None = None
    organisation: str | None = Field(None, description="Default: organisation.code.")


class Benchmarking(Model):
    """National benchmarking: the publication to read and whom the council is compared with."""

    publication: Text = Field(
        description="The national publication (ODS or XLSX; CSV too in the long format), "
        "relative to the project folder."
    )
    format: Text = Field(
        "ascof",
        description="A built-in publication format (ascof; long: one row per measure, area and "
        "year) or a path to a format YAML file.",
    )
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="long: the file's header -> measure, organisation, period, value, "
        "numerator, denominator or area_name.",
    )
    measures: str | None = Field(
        None, description="Measures file (YAML) with polarity; default the format's own."
    )
    lookups: Text = Field(
        description="Folder holding the organisation lookups (cassr_la_lookup.csv, "
        "utla_all_codes.csv), relative to the project folder."
    )
    groups: list[Text] = Field(
        default_factory=list,
        description="CSV files of named comparator groups (columns group, organisation).",
    )
    compare_with: list[Text] = Field(
        default_factory=lambda: ["england", "region"],
        description="Groups the pack compares with: england, region, council_type, or the "
        "name of a group from the groups files.",
    )
    tag: Text = Field(
        "national_measure",
        description="The indicator tag whose value is a national measure code, e.g. 3A.",
    )

    @model_validator(mode="after")
    def _long_columns(self) -> Benchmarking:
        if self.columns and self.format != "long":
            raise ValueError("columns: applies to the long format; add format: long")
        wrong = [(mine, ours) for mine, ours in self.columns.items() if ours not in LONG_FIELDS]
        if wrong:
            raise ValueError(
                "; ".join(
                    f'"{mine}" is mapped to "{ours}", which is not a field of a long '
                    f"publication{did_you_mean(ours, LONG_FIELDS)}"
                    for mine, ours in wrong
                )
                + f"; the fields are {', '.join(LONG_FIELDS)}"
            )
        return self


#: What the columns of a national publication in the long format give.
LONG_FIELDS = (
    "measure",
    "organisation",
    "period",
    "value",
    "numerator",
    "denominator",
    "area_name",
)


IMPACT_LABELS = ("Negligible", "Minor", "Moderate", "Major", "Catastrophic")
LIKELIHOOD_LABELS = ("Rare", "Unlikely", "Possible", "Likely", "Almost Certain")


class RiskBand(Model):
    """A rating band of the 5x5 matrix: scores from min_score up to the next band's."""

    label: Text = Field(description="The rating, e.g. Medium High.")
    min_score: int = Field(ge=1, le=25, description="Lowest score (impact x likelihood) rated so.")
    rag: Rag | None = Field(None, description="Colour for the heat map cell.")


#: A common four-band scheme for a 5x5 matrix (docs/catalogue.md).
DEFAULT_RISK_BANDS: tuple[RiskBand, ...] = (
    RiskBand(label="Low", min_score=1, rag="green"),
    RiskBand(label="Medium", min_score=5, rag="green_amber"),
    RiskBand(label="High", min_score=12, rag="red_amber"),
    RiskBand(label="Very High", min_score=20, rag="red"),
)


class Risks(Model):
    """The risk register: one row per risk per period."""

    file: Text = Field(description="CSV, XLSX or ODS, relative to the project folder.")
    sheet: str | None = Field(None, description="Sheet name in a workbook; default the first.")
    header_row: int | None = Field(
        None, ge=1, description="Default: the first row with two or more cells filled."
    )
    bands: list[RiskBand] = Field(
        default_factory=lambda: list(DEFAULT_RISK_BANDS),
        min_length=1,
        description="Rating bands from lowest to highest; the first starts at 1.",
    )
    impact_labels: list[Text] = Field(
        default_factory=lambda: list(IMPACT_LABELS), min_length=5, max_length=5
    )
    likelihood_labels: list[Text] = Field(
        default_factory=lambda: list(LIKELIHOOD_LABELS), min_length=5, max_length=5
    )

    @model_validator(mode="after")
    def _bands_ascend(self) -> Risks:
        scores = [band.min_score for band in self.bands]
        if scores[0] != 1 or any(b <= a for a, b in zip(scores, scores[1:], strict=False)):
            raise ValueError(
                "bands run from lowest to highest: the first has min_score 1 and each later "
                f"min_score is higher than the one before (got {scores})"
            )
        labels = [band.label.lower() for band in self.bands]
        if len(set(labels)) != len(labels):
            raise ValueError("each band needs its own label")
        return self

    def band_for(self, score: int) -> RiskBand:
        """The band a score falls in (the last band whose min_score it reaches)."""
        return [band for band in self.bands if band.min_score <= score][-1]


class BudgetFile(Model):
    file: Text = Field(description="CSV, XLSX or ODS, relative to the project folder.")
    sheet: str | None = Field(None, description="Sheet name in a workbook; default the first.")
    header_row: int | None = Field(
        None, ge=1, description="Default: the first row with two or more cells filled."
    )
    decimals: int = Field(0, ge=0, le=2, description="Decimal places shown in the tables.")


class Budget(Model):
    """Budget monitoring: revenue lines and capital schemes, in pounds or thousands."""

    revenue: BudgetFile | None = None
    capital: BudgetFile | None = None
    unit: Literal["pounds", "thousands"] = Field(
        "thousands", description="pounds: figures in £; thousands: figures in £000."
    )


class CommitmentRating(Model):
    label: Text = Field(description="The rating as the report words it, e.g. Commitment met.")
    rag: Rag


DEFAULT_COMMITMENT_SCHEME: tuple[CommitmentRating, ...] = (
    CommitmentRating(label="Commitment met", rag="green"),
    CommitmentRating(label="Commitment delayed, low impact", rag="green_amber"),
    CommitmentRating(label="Commitment delayed, medium impact", rag="red_amber"),
    CommitmentRating(label="Risk of not delivering or high impact", rag="red"),
)


class Commitments(Model):
    """Commitments, commissioning intentions, projects or actions with their own ratings."""

    file: Text = Field(description="CSV, XLSX or ODS, relative to the project folder.")
    sheet: str | None = Field(None, description="Sheet name in a workbook; default the first.")
    header_row: int | None = Field(
        None, ge=1, description="Default: the first row with two or more cells filled."
    )
    scheme: list[CommitmentRating] = Field(
        default_factory=lambda: list(DEFAULT_COMMITMENT_SCHEME),
        min_length=1,
        description="The ratings, best first, each with its RAG colour.",
    )

    @model_validator(mode="after")
    def _distinct(self) -> Commitments:
        labels = [r.label.lower() for r in self.scheme]
        rags = [r.rag for r in self.scheme]
        if len(set(labels)) != len(labels) or len(set(rags)) != len(rags):
            raise ValueError("each rating in the scheme needs its own label and its own rag")
        return self


class NarrativeFile(Model):
    period: str = Field(description="The pack period the file speaks for, e.g. Q1 2015/16.")
    file: Text


class RecordsFile(Model):
    """One Client Level Data submission file and, where its name does not say, when it was sent."""

    file: Text = Field(description="CSV or XLSX, relative to the project folder; may be a glob.")
    submitted: dt.date | None = Field(
        None, description="Date submitted; default the last YYYY-MM-DD in the file name."
    )


class Records(Model):
    """Client Level Data submissions: the files, and how the measures are computed from them."""

    files: list[RecordsFile] = Field(
        min_length=1, description="Submission files (paths or globs), or {file, submitted}."
    )
    as_of: dt.date | None = Field(
        None, description="Use only submissions sent on or before this date; default all."
    )
    discharges: str | None = Field(
        None, description="Hospital discharges (CSV) for ASCOF 2D; without it 2D is unavailable."
    )
    mappings: str | None = Field(
        None, description="Folder of extra value mapping CSVs (field, raw, cleaned)."
    )
    suppress: bool = Field(
        True, description="Blank numerators and denominators under 5, as the publication does."
    )

    @model_validator(mode="before")
    @classmethod
    def _files_as_written(cls, value: Any) -> Any:
        if isinstance(value, list):
            value = {"files": value}
        if isinstance(value, dict) and isinstance(value.get("files"), list):
            files = [{"file": f} if isinstance(f, str) else f for f in value["files"]]
            value = {**value, "files": files}
        return value


IndicatorPages = Literal["all", "exceptions", "none"]


class Person(Model):
    """Who wrote the paper, and how to reach them."""

    name: Text
    role: str | None = Field(None, description="Job title, e.g. Head of Performance.")
    phone: str | None = None
    email: str | None = None


class SignOff(Model):
    """Who signs the paper off (a foreword's author, or the director who approves it)."""

    name: Text
    role: str | None = None
    date: dt.date | None = None


LANGUAGE_TAG = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


class Translation(Model):
    """One language's statement of how to get help with the paper in that language."""

    language: str = Field(
        pattern=LANGUAGE_TAG,
        description="The statement's language as a BCP 47 tag, e.g. bn, zh-Hant, pl, ur.",
    )
    name: str | None = Field(
        None, description="The language's name printed after it, e.g. Bengali; none if not given."
    )
    text: Text = Field(description="Markdown: the statement, in that language.")
    direction: Literal["ltr", "rtl"] | None = Field(
        None,
        description="Writing direction; default right to left for Arabic-script and "
        "Hebrew languages (ar, fa, ur, he, ...), else left to right.",
    )


class Paper(Model):
    """The committee paper around the figures: its cover and front and back matter. Text
    fields are Markdown. Every field is optional; what is not given is not printed."""

    committee: str | None = Field(None, description="e.g. Adult Social Care Cabinet Committee.")
    meeting: str | None = Field(None, description="The meeting, e.g. Meeting of 29 November 2018.")
    date: dt.date | None = Field(None, description="Date of the meeting or of the paper.")
    title: str | None = Field(None, description="The paper's title; default the layout's title.")
    author: Person | None = None
    version: str | None = None
    status: str | None = Field(None, description="e.g. Draft, Final.")
    classification: str | None = Field(None, description="e.g. Unrestricted, OFFICIAL.")
    purpose: str | None = Field(None, description="Markdown: what the paper is for.")
    recommendations: str | None = Field(
        None, description="Markdown: what members are asked to do; default the layout's own."
    )
    introduction: str | None = Field(None, description="Markdown.")
    foreword: str | None = Field(None, description="Markdown, signed by sign_off.")
    sign_off: list[SignOff] = Field(
        default_factory=list, description="Who signs the foreword: one, or a list."
    )
    background_documents: list[Text] | None = Field(
        None, description="Markdown, one item each; an empty list is printed as None."
    )
    appendices: list[Text] = Field(default_factory=list, description="The appendices' titles.")
    translation: str | list[Translation] | None = Field(
        None,
        description="How to get help with the paper in another language: Markdown in the "
        "paper's language, or a list of {language, name, text}, one statement per language.",
    )
    discuss: list[Text] = Field(
        default_factory=list,
        description="Indicator references to report in full even when not exceptions.",
    )
    data_note: str | None = Field(
        None,
        description="The note on the figures in every page's footer; default: figures for the "
        "current financial year are provisional and may be revised. An empty text prints none.",
    )

    @field_validator("sign_off", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value


class SectionEntry(Model):
    """A section of a layout's index page: its id, and the title and introduction to use."""

    id: Text
    title: str | None = None
    introduction: str | None = Field(None, description="Markdown, under the title.")


class LayoutOptions(Model):
    """How one layout prints this project's pack."""

    paper: Paper | None = Field(None, description="Fields that replace the project's paper's.")
    indicator_pages: IndicatorPages | None = Field(
        None,
        description="all: a page per indicator; exceptions: only those members must discuss "
        "(called in, Red, worse by a rating step, restated, or in paper.discuss); none.",
    )
    sections: list[Text | SectionEntry] | None = Field(
        None,
        description="The index page's sections in order, each an id or {id, title, "
        "introduction}; a section not listed is left out. Default: the layout's own.",
    )


class Project(Model):
    organisation: Organisation
    settings: Settings = Field(default_factory=Settings)
    rating_schemes: dict[str, RatingSchemeConfig] = Field(default_factory=dict)
    indicators: list[Indicator] = Field(default_factory=list)
    data: list[DataSource] = Field(default_factory=list)
    commentary: list[CommentaryFile] = Field(default_factory=list)
    overrides: list[Override] = Field(default_factory=list)
    benchmarking: Benchmarking | None = None
    risks: Risks | None = None
    budget: Budget | None = None
    commitments: Commitments | None = None
    narrative: list[NarrativeFile] = Field(default_factory=list)
    records: Records | None = None
    paper: Paper = Field(default_factory=Paper)
    layouts: dict[str, LayoutOptions] = Field(
        default_factory=dict, description="Per layout name: paper, indicator_pages, sections."
    )

    _folder: Path = PrivateAttr(default_factory=Path)

    @model_validator(mode="after")
    def _project_defaults(self) -> Project:
        for ind in self.indicators:
            if ind.directorate is None:
                ind.directorate = self.organisation.directorate
            if ind.unit == "percent" and not ind._decimals_given:
                ind.decimals = self.settings.percent_decimals
        return self

    @property
    def folder(self) -> Path:
        """The project folder; data and commentary paths are relative to it."""
        return self._folder

    def layout_options(self, name: str) -> LayoutOptions:
        """How the layout called `name` prints this pack (empty options when not given)."""
        return self.layouts.get(name) or LayoutOptions()

    def paper_for(self, layout: str) -> Paper:
        """The paper for a layout: the project's, with each field the layout gives (not left at
        its default) in its place; so the same holds after the project is stored and read back."""
        own = self.layout_options(layout).paper
        if own is None:
            return self.paper
        given = {
            name: value
            for name, field in Paper.model_fields.items()
            if (value := getattr(own, name)) != field.get_default(call_default_factory=True)
        }
        return self.paper.model_copy(update=given)

    def resolve(self, file: str) -> Path:
        """The path of a file named in the project, relative to the project folder."""
        return self._folder / file

    def refs(self) -> list[str]:
        """Indicator references in file order."""
        return [ind.ref for ind in self.indicators]

    def indicator(self, ref: str) -> Indicator:
        """The indicator with this reference (case-insensitive)."""
        for ind in self.indicators:
            if ind.ref.lower() == ref.lower():
                return ind
        raise KeyError(f'no indicator "{ref}" in the catalogue{did_you_mean(ref, self.refs())}')

    def scheme(self, name: str) -> RatingSchemeConfig:
        """A rating scheme by name: one under rating_schemes, or a built-in kind."""
        if name in self.rating_schemes:
            return self.rating_schemes[name]
        if name in BUILTIN_SCHEMES:
            return BUILTIN_SCHEMES[name]
        known = [*self.rating_schemes, *BUILTIN_SCHEMES]
        raise KeyError(f'no rating scheme "{name}"{did_you_mean(name, known)}')

    def indicator_scheme(self, ind: Indicator) -> RatingSchemeConfig:
        """The rating scheme an indicator uses."""
        return self.scheme(ind.scheme_name(self.settings))
