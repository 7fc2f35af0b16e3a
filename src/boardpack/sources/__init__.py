"""Sources: everything that reads a project's files (and other inputs) and checks them.

Sources only read and check; what is derived from the figures is the engine's work.
`load_project(path)` reads a whole project folder into a `boardpack.dataset.Dataset`.
"""

from .project import ProjectFiles, load_project, make_dataset, read_project

__all__ = ["ProjectFiles", "load_project", "make_dataset", "read_project"]
