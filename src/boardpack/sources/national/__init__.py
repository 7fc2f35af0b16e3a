"""National benchmarking: read a national publication (ASCOF and tables like it), its measures,
councils and comparator groups."""

from .config import PublicationConfig, load_config
from .measures import load_measures
from .organisations import group_membership, load_organisations, read_named_groups
from .publication import NationalData, read_publication

__all__ = [
    "NationalData",
    "PublicationConfig",
    "group_membership",
    "load_config",
    "load_measures",
    "load_organisations",
    "read_named_groups",
    "read_publication",
]
