"""The indicator catalogue and project file `boardpack.yaml`.

`load_project_file(path)` reads and checks a project; every problem is collected into one
`CatalogueError` whose problems name file, line and field.
"""

from .errors import CatalogueError, closest
from .kinds import SCHEME_KINDS, SchemeKind, register_kind, scheme_kinds
from .loader import (
    PROJECT_FILE,
    line_of,
    load_project_data,
    load_project_file,
    load_project_text,
)
from .models import (
    BUILTIN_SCHEMES,
    DEFAULT_DECIMALS,
    RAGS,
    Band,
    ChartOptions,
    CommentaryFile,
    DataFormat,
    DataSource,
    Frequency,
    InBandScheme,
    Indicator,
    Measurement,
    NoneScheme,
    Organisation,
    Override,
    Owners,
    Polarity,
    Project,
    Rag,
    RatingSchemeConfig,
    Settings,
    TargetEntry,
    ThresholdScheme,
    Unit,
    VarianceBandsScheme,
)
from .rules import RULES, Finding, Rule, check
from .schema import project_json_schema

__all__ = [
    "BUILTIN_SCHEMES",
    "DEFAULT_DECIMALS",
    "PROJECT_FILE",
    "RAGS",
    "RULES",
    "SCHEME_KINDS",
    "SchemeKind",
    "Band",
    "CatalogueError",
    "ChartOptions",
    "CommentaryFile",
    "DataFormat",
    "DataSource",
    "Finding",
    "Frequency",
    "InBandScheme",
    "Indicator",
    "Measurement",
    "NoneScheme",
    "Organisation",
    "Override",
    "Owners",
    "Polarity",
    "Project",
    "Rag",
    "RatingSchemeConfig",
    "Rule",
    "Settings",
    "TargetEntry",
    "ThresholdScheme",
    "Unit",
    "VarianceBandsScheme",
    "check",
    "closest",
    "line_of",
    "load_project_data",
    "load_project_file",
    "load_project_text",
    "project_json_schema",
    "register_kind",
    "scheme_kinds",
]
