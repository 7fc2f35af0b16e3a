"""Python's cyclic garbage collector held back while a bulk step makes many objects.

Reading a 500-indicator catalogue makes some 130,000 YAML nodes and marks, and comparing
60,000 stored figures 1.2 million values; the collector, started by every few hundred new
containers, walks all the objects alive again each time it reaches its oldest generation, and
so took two thirds of the catalogue's reading. Reference counting still frees everything not
in a cycle at once; cycles made meanwhile are collected after."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Run the block without cyclic collections (nested blocks are fine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
