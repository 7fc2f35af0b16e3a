"""The indicator catalogue and project file `boardpack.yaml`.

`load_project_file(path)` reads and checks a project; every problem is collected into one
`CatalogueError` whose issues name file, line and field.
"""

from .errors import CatalogueError, Issue, closest
from .loader import PROJECT_FILE, line_of, load_project_file, load_project_text
from .models import (
    BUILTIN_SCHEMES,
    DEFAULT_DECIMALS,
    RAGS,
    SCHEME_KINDS,
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
    "Issue",
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
    "load_project_file",
    "load_project_text",
    "project_json_schema",
]
