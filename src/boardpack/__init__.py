"""Boardpack: performance management and reporting for public services.

The public API is small: load a project into a Dataset, evaluate it, reconcile its ratings
with those the council published, benchmark it nationally, build a pack. Anything a person can put right is a `BoardpackError` listing every `Problem`.
"""

from .api import benchmark, build_pack, evaluate, reconcile
from .dataset import Dataset
from .errors import BoardpackError, Problem
from .sources import load_project

__all__ = [
    "BoardpackError",
    "Dataset",
    "Problem",
    "benchmark",
    "build_pack",
    "evaluate",
    "load_project",
    "reconcile",
]
