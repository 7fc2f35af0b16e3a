"""The Dataset's schema, declared once: every table's columns and their polars types.

Readers conform to it (`sources`), the engine reads from it (`engine`), the Store rebuilds its
frames by it (`web.frames`), and `docs/architecture.md` lists it (a test compares the two). A
table's `empty()` is the frame a project without that part gets.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Table:
    """One table of the Dataset: its columns in order, with their types, and what a row is."""

    name: str
    columns: dict[str, pl.DataType]
    row: str

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.columns)

    def frame(self, rows: list[dict]) -> pl.DataFrame:
        """Rows (dictionaries by column name) as a frame of this table."""
        return pl.DataFrame(rows, schema=self.columns)

    def conform(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame`'s columns of this table, in order and cast to their types (a missing column
        is an error naming it); other columns are left out."""
        missing = [name for name in self.columns if name not in frame.columns]
        if missing:
            raise ValueError(f"the {self.name} frame lacks column(s) {', '.join(missing)}")
        return frame.select(pl.col(name).cast(dtype) for name, dtype in self.columns.items())


#: The catalogue's indicators, one row each, as the engine reads them (and, in the Dataset,
#: one `tag_<name>` text column per tag after these).
INDICATOR_COLUMNS = {
    "indicator": pl.String,
    "title": pl.String,
    "tier": pl.String,
    "polarity": pl.String,
    "unit": pl.String,
    "decimals": pl.Int32,
    "frequency": pl.String,
    "step_months": pl.Int32,
    "scheme": pl.String,
    "lag_periods": pl.Int32,
    "no_change_within": pl.Float64,
    "directorate": pl.String,
    "perspective": pl.String,
    "measurement": pl.String,
    "baseline": pl.Float64,
    "baseline_period": pl.String,
    "target_placeholder": pl.Float64,
    "direction_basis": pl.String,
}

#: The tag columns after the indicators' own: `tag_<name>`, text ("Yes"/"No" for true/false).
TAG_PREFIX = "tag_"

#: The part of a period every dated table carries, for integer look-ups: `end_month` is the
#: month index of the period's last month (`year * 12 + month - 1`).
_PERIOD = {
    "period": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "end_month": pl.Int32,
}

_BUDGET_END = {"comment": pl.String, "is_total": pl.Boolean, "source": pl.String}

INDICATORS = Table("indicators", INDICATOR_COLUMNS, "an indicator of the catalogue")
OBSERVATIONS = Table(
    "observations",
    {
        "indicator": pl.String,
        "organisation": pl.String,
        **_PERIOD,
        "value": pl.Float64,
        "numerator": pl.Float64,
        "denominator": pl.Float64,
        "target": pl.Float64,
        "floor": pl.Float64,
        "status": pl.String,
        "note": pl.String,
        "missing_reason": pl.String,
        "published_rag": pl.String,
        "published_direction": pl.String,
        "baseline": pl.Float64,
        "source": pl.String,
    },
    "a figure for an indicator, organisation and period",
)
REVISIONS = Table(
    "revisions",
    {
        "indicator": pl.String,
        "organisation": pl.String,
        "period": pl.String,
        "end_month": pl.Int32,
        "value_before": pl.Float64,
        "value_after": pl.Float64,
        "source": pl.String,
        "revised_on": pl.Date,
    },
    "an earlier figure revised by a later one (a later file, or a later import)",
)
TARGETS = Table(
    "targets",
    {
        "indicator": pl.String,
        **_PERIOD,
        "target": pl.Float64,
        "floor": pl.Float64,
        "band": pl.Float64,
        "tolerance": pl.Float64,
    },
    "a catalogue target resolved to a period of the indicator's frequency",
)
COMMENTARY = Table(
    "commentary",
    {"indicator": pl.String, "period": pl.String, "section": pl.String, "markdown": pl.String},
    "a section of an indicator's commentary for a period (commentary, actions, risks, panel)",
)
OVERRIDES = Table(
    "overrides",
    {
        "indicator": pl.String,
        "organisation": pl.String,
        "period": pl.String,
        "rag": pl.String,
        "reason": pl.String,
        "approved_by": pl.String,
    },
    "a manual rating",
)
RISKS = Table(
    "risks",
    {
        "period": pl.String,
        "period_end": pl.Date,
        "end_month": pl.Int32,
        "ref": pl.String,
        "title": pl.String,
        "description": pl.String,
        "owner": pl.String,
        "category": pl.String,
        "impact": pl.Int8,
        "impact_label": pl.String,
        "likelihood": pl.Int8,
        "likelihood_label": pl.String,
        "score": pl.Int16,
        "rating": pl.String,
        "rag": pl.String,
        "controls": pl.String,
        "status": pl.String,
        "assurance": pl.String,
        "target_impact": pl.Int8,
        "target_impact_label": pl.String,
        "target_likelihood": pl.Int8,
        "target_likelihood_label": pl.String,
        "target_score": pl.Int16,
        "target_rating": pl.String,
        "linked_indicators": pl.List(pl.String),
        "source": pl.String,
    },
    "a risk of the register in a period",
)
REVENUE = Table(
    "revenue",
    {
        "period": pl.String,
        "end_month": pl.Int32,
        "line": pl.Int32,
        "service_area": pl.String,
        "original_budget": pl.Float64,
        "revised_budget": pl.Float64,
        "forecast": pl.Float64,
        "variance": pl.Float64,
        "variance_pct": pl.Float64,
        **_BUDGET_END,
    },
    "a revenue budget line in a period, and a total row per period (`line` null)",
)
CAPITAL = Table(
    "capital",
    {
        "period": pl.String,
        "end_month": pl.Int32,
        "line": pl.Int32,
        "scheme": pl.String,
        "original_budget": pl.Float64,
        "slippage_cf": pl.Float64,
        "revised_budget": pl.Float64,
        "in_year_slippage": pl.Float64,
        "latest_budget": pl.Float64,
        "forecast": pl.Float64,
        "variance": pl.Float64,
        "slippage": pl.Float64,
        "new_budget": pl.Float64,
        **_BUDGET_END,
    },
    "a capital scheme in a period, and a total row per period (`line` null)",
)
COMMITMENTS = Table(
    "commitments",
    {
        "period": pl.String,
        "end_month": pl.Int32,
        "ref": pl.String,
        "title": pl.String,
        "due": pl.Date,
        "owner": pl.String,
        "rating": pl.String,
        "rag": pl.String,
        "commentary": pl.String,
        "source": pl.String,
    },
    "a commitment (commissioning intention, project, action) rated in a period",
)
NARRATIVE = Table(
    "narrative",
    {
        "period": pl.String,
        "section": pl.String,
        "item": pl.Int32,
        "markdown": pl.String,
        "action_markdown": pl.String,
    },
    "a section of the pack's narrative in Markdown (one per key challenge, with its action)",
)
RECORDS_QUALITY = Table(
    "records_quality",
    {
        "organisation": pl.String,
        "file": pl.String,
        "submitted": pl.Date,
        "quarter_end": pl.Date,
        "rows": pl.Int64,
        "used": pl.Boolean,
        "no_person_id": pl.Int64,
        "duplicate": pl.Int64,
        "after_death": pl.Int64,
        "end_before_start": pl.Int64,
        "open_service": pl.Int64,
        "invalid_code": pl.Int64,
        "least_complete_field": pl.String,
        "least_complete_pct": pl.Float64,
    },
    "a Client Level Data submission loaded for the measures, with its data-quality summary",
)
NATIONAL_VALUES = Table(
    "national.values",
    {
        "measure": pl.String,
        "area_code": pl.String,
        "area_name": pl.String,
        "area_kind": pl.String,
        "organisation": pl.String,
        "period": pl.String,
        "value": pl.Float64,
        "numerator": pl.Float64,
        "denominator": pl.Float64,
        "margin_of_error": pl.Float64,
        "respondents": pl.Float64,
        "value_marker": pl.String,
        "numerator_marker": pl.String,
        "denominator_marker": pl.String,
    },
    "a published figure for a measure, area (council, region, England) and year",
)
NATIONAL_MEASURES = Table(
    "national.measures",
    {
        "measure": pl.String,
        "title": pl.String,
        "unit": pl.String,
        "decimals": pl.Int64,
        "scale": pl.Float64,
        "population": pl.String,
        "polarity": pl.String,
        "polarity_reason": pl.String,
    },
    "a measure of the publication, with its unit and polarity",
)
NATIONAL_ORGANISATIONS = Table(
    "national.organisations",
    {
        "organisation": pl.String,
        "cassr_code": pl.String,
        "name": pl.String,
        "type": pl.String,
        "region_code": pl.String,
        "region_name": pl.String,
        "last_period": pl.String,
    },
    "a council in the publication, with its type and region",
)
NATIONAL_MEMBERSHIP = Table(
    "national.membership",
    {
        "group": pl.String,
        "group_kind": pl.String,
        "group_code": pl.String,
        "organisation": pl.String,
    },
    "a council's place in a comparator group (England, its region, its type, a named group)",
)

#: Every table, by its Dataset field (`national.<part>` for the national publication's).
TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        INDICATORS,
        OBSERVATIONS,
        REVISIONS,
        TARGETS,
        COMMENTARY,
        OVERRIDES,
        RISKS,
        REVENUE,
        CAPITAL,
        COMMITMENTS,
        NARRATIVE,
        RECORDS_QUALITY,
        NATIONAL_VALUES,
        NATIONAL_MEASURES,
        NATIONAL_ORGANISATIONS,
        NATIONAL_MEMBERSHIP,
    )
}
#: The report's parts beside the indicators, each read from a file a project section names.
REPORT_PARTS = ("risks", "revenue", "capital", "commitments", "narrative", "records_quality")
#: The national publication's tables (fields of `Publication`).
NATIONAL_PARTS = ("values", "measures", "organisations", "membership")
