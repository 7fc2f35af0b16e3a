"""The words Boardpack uses for ratings and direction of travel, in one place (the ratings
themselves are the catalogue's: `catalogue.models.RAGS`)."""

import polars as pl

from ..catalogue.models import RAG_LABELS, RAGS

RAG_TYPE = pl.Enum(RAGS)
# Ratings that put an indicator on the panel's call-in list when they repeat.
AMBER_RATINGS = ("amber", "green_amber", "red_amber")

DIRECTIONS = ("improving", "no_change", "worsening", "not_applicable")
DIRECTION_TYPE = pl.Enum(DIRECTIONS)
DIRECTION_LABELS = {
    "improving": "Improving",
    "no_change": "No change",
    "worsening": "Worsening",
    "not_applicable": "Not applicable",
}

POLARITY_WORDS = {
    "higher_better": "Higher values are better",
    "lower_better": "Lower values are better",
    "in_band": "Neither too high nor too low",
    "none": "No polarity (activity measure)",
}

__all__ = [
    "AMBER_RATINGS",
    "DIRECTIONS",
    "DIRECTION_LABELS",
    "DIRECTION_TYPE",
    "POLARITY_WORDS",
    "RAGS",
    "RAG_LABELS",
    "RAG_TYPE",
]
