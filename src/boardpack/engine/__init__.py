"""The engine: pure and vectorised. Polars frames in, polars frames out; no files, no printing."""

from ..catalogue.kinds import SCHEME_KINDS, register_kind
from .evaluate import EngineSettings, evaluate
from .evaluated import CONTRACT_COLUMNS, Evaluated
from .formatting import format_number, format_value
from .schemes import DEFAULT_SCHEMES, make_scheme
from .summary import call_in, summarise, summary_sentence
from .vocab import DIRECTION_LABELS, DIRECTIONS, POLARITY_WORDS, RAG_LABELS, RAGS

__all__ = [
    "CONTRACT_COLUMNS",
    "DEFAULT_SCHEMES",
    "DIRECTIONS",
    "DIRECTION_LABELS",
    "EngineSettings",
    "Evaluated",
    "POLARITY_WORDS",
    "RAGS",
    "RAG_LABELS",
    "SCHEME_KINDS",
    "call_in",
    "evaluate",
    "format_number",
    "format_value",
    "make_scheme",
    "register_kind",
    "summarise",
    "summary_sentence",
]
