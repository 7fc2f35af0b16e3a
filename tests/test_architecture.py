"""docs/architecture.md stays true, and the layers it lists hold: the import-linter contracts
run here, so a test run fails when a module imports from a layer above its own."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from boardpack.dataset.schema import INDICATORS, TABLES

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src"
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def between(start: str, end: str) -> str:
    found = re.search(rf"<!-- {start}.*?-->\n(.*?)<!-- {end} -->", DOC, flags=re.S)
    assert found, f"docs/architecture.md has no <!-- {start} --> ... <!-- {end} --> part"
    return found.group(1)


def test_the_import_contracts_hold():
    """`lint-imports` on this checkout: every layer, the engine's purity, nothing imports the
    command line."""
    code = "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SOURCE), os.getenv("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-c", code, "--no-cache", "--no-logo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def contract_layers() -> list[str]:
    (layers,) = [c for c in CONTRACTS["contracts"] if c["type"] == "layers"]
    return layers["layers"]


def test_the_documented_layers_are_the_contract():
    documented = re.findall(r"^\d+\. `(.*)`$", between("layers", "end layers"), flags=re.M)
    assert documented == [layer.replace("`", "") for layer in contract_layers()]


def top_level() -> set[str]:
    """Every module and package directly under `boardpack`."""
    package = SOURCE / "boardpack"
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    packages = {p.parent.name for p in package.glob("*/__init__.py")}
    return {f"boardpack.{name}" for name in modules | packages}


def test_every_part_of_boardpack_is_in_a_layer():
    layered = {name.strip() for layer in contract_layers() for name in layer.split("|")}
    assert top_level() - layered == set()
    assert layered - top_level() == set()


def documented_modules() -> set[str]:
    table = DOC.split("\n## Modules\n", 1)[1].split("\n## ", 1)[0]
    first_cells = re.findall(r"^\| (.*?) \|", table, flags=re.M)
    return {name for cell in first_cells for name in re.findall(r"`(boardpack[\w.]*)`", cell)}


def test_every_module_named_exists():
    assert [m for m in sorted(documented_modules()) if importlib.util.find_spec(m) is None] == []


def test_every_package_is_named():
    packages = {
        ".".join(p.parent.relative_to(SOURCE).parts)
        for p in (SOURCE / "boardpack").rglob("__init__.py")
    }
    assert packages - documented_modules() == set()
    assert top_level() - documented_modules() == set()


def schema_rows() -> dict[str, tuple[str, str]]:
    rows = re.findall(r"^\| `([\w.]+)` \| (.*?) \| (.*) \|$", between("schema", "end schema"), re.M)
    return {name: (row, columns) for name, row, columns in rows}


def test_the_documented_tables_are_the_schema():
    expected = {
        table.name: (table.row, ", ".join(f"`{n}` {t}" for n, t in table.columns.items()))
        for table in TABLES.values()
    }
    assert schema_rows() == expected


def test_the_indicators_table_says_where_tags_go():
    assert INDICATORS.name in schema_rows()
    assert "one `tag_<name>` String column per tag" in DOC
