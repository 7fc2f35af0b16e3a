"""The words Boardpack uses for ratings and direction of travel, in one place."""

import polars as pl

RAGS = ("green", "green_amber", "amber", "red_amber", "red", "no_status")
RAG_LABELS = {
    "green": "Green",
    "green_amber": "Green Amber",
    "amber": "Amber",
    "red_amber": "Red Amber",
    "red": "Red",
    "no_status": "No status",
}
RAG_TYPE = pl.Enum(RAGS)
# Ratings that put an indicator on the panel's call-in list when they repeat.
AMBER_RAGS = ("amber", "green_amber", "red_amber")

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
