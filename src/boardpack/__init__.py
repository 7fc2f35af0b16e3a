"""Boardpack: performance management and reporting for public services.

The public API is small: load a project into a Dataset, evaluate it, build a pack.
"""

from .sources.project import Dataset, load_project

__all__ = ["Dataset", "load_project"]
