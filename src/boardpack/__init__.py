"""Boardpack: performance management and reporting for public services.

The public API is small: load a project into a Dataset, evaluate it, reconcile its ratings
with those the council published, benchmark it nationally, build a pack. Anything a person can put right is a `BoardpackError` listing every `Problem`.

The names are imported when first used, so importing one part of Boardpack (a chart-drawing
worker imports `boardpack.pack.render`) does not import all of it.
"""

from importlib import import_module

#: The public names -> the module of each.
PUBLIC = {
    "BoardpackError": ".errors",
    "Dataset": ".dataset",
    "Problem": ".errors",
    "benchmark": ".api",
    "build_pack": ".api",
    "evaluate": ".api",
    "load_project": ".sources",
    "reconcile": ".api",
}
__all__ = sorted(PUBLIC)


def __getattr__(name: str):
    if name not in PUBLIC:
        raise AttributeError(f"module 'boardpack' has no attribute {name!r}")
    value = getattr(import_module(PUBLIC[name], __name__), name)
    globals()[name] = value
    return value
