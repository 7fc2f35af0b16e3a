"""The definitions as PostgreSQL and Spark receive them, kept as files beside the package so
that a change of SQLGlot (pinned exactly) shows as a diff in review.

`python -m boardpack.records.golden` rewrites them; the tests fail when they are stale.
"""

from __future__ import annotations

from pathlib import Path

from . import definitions
from .engines import transpile

FOLDER = Path(__file__).with_name("golden")
DIALECTS = ("postgres", "spark")


def expected() -> dict[Path, str]:
    """Every golden file's path and the text it should hold."""
    files = {}
    every = [
        *definitions.stages(),
        *definitions.builtin_measures(),
        *definitions.discharge_measures(),
    ]
    for definition in every:
        for dialect in DIALECTS:
            path = FOLDER / dialect / f"{definition.name}.sql"
            files[path] = transpile(definition.sql, dialect) + "\n"
    return files


def stale() -> list[Path]:
    """Golden files missing, different or no longer made."""
    wanted = expected()
    present = set(FOLDER.glob("*/*.sql"))
    changed = [p for p, text in wanted.items() if not p.exists() or p.read_text() != text]
    return sorted(changed + [p for p in present if p not in wanted])


def write() -> list[Path]:
    wanted = expected()
    for path in set(FOLDER.glob("*/*.sql")) - set(wanted):
        path.unlink()
    for path, text in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(wanted)


if __name__ == "__main__":
    print(f"wrote {len(write())} golden files in {FOLDER}")
