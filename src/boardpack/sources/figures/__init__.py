"""Reading a project's data files: readers, value parsing, the tidy and tracker formats, and the
validation report that lists every problem before anything is loaded."""

from ..problems import ImportFailed, Problem, ReadError
from ..readers import Row, Table, read_rows, sheet_names
from ..values import MISSING_MARKERS, ParsedValue, ValueParseError, parse_value
from .observations import SCHEMA, load_observations

__all__ = [
    "MISSING_MARKERS",
    "SCHEMA",
    "ImportFailed",
    "ParsedValue",
    "Problem",
    "ReadError",
    "Row",
    "Table",
    "ValueParseError",
    "load_observations",
    "parse_value",
    "read_rows",
    "sheet_names",
]
