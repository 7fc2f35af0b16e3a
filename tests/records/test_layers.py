"""The records package stays below the engine, packs, documents, web and command line: it may
import only errors, periods, catalogue and the CLD readers (its commands module is the one
door the command line uses)."""

from __future__ import annotations

import ast
from pathlib import Path

import boardpack.records

ALLOWED = ("boardpack.errors", "boardpack.periods", "boardpack.catalogue", "boardpack.sources.cld")
PACKAGE = Path(boardpack.records.__file__).parent


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_records_imports_only_the_layers_below_it():
    wrong = {
        (path.name, name)
        for path in PACKAGE.rglob("*.py")
        if "synth" not in path.parts
        for name in _imports(path)
        if name.startswith("boardpack") and not name.startswith(("boardpack.records", *ALLOWED))
    }
    assert wrong == set()
