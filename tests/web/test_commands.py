"""`boardpack import` and `boardpack db` on a database file of their own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import copy_examples, rewrite


def boardpack(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "boardpack.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": "",
            "PYTHONPATH": os.getenv("PYTHONPATH", ""),
        },
    )


def test_import_then_audit_then_a_bad_import_that_saves_nothing(small_project, tmp_path):
    db = str(tmp_path / "store.sqlite3")
    first = boardpack("import", str(small_project), "--db", db, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "observation: 4 new, 0 revised, 0 withdrawn" in first.stdout
    rewrite(small_project / "data" / "figures.csv", "Q1 2024/25,2501", "Q1 2024/25,many")
    bad = boardpack("import", str(small_project), "--db", db, cwd=tmp_path)
    assert bad.returncode == 1
    assert "1 problem found; nothing was loaded" in bad.stderr and "many" in bad.stderr
    audit = boardpack("db", "audit", "--db", f"sqlite:///{db}", cwd=tmp_path)
    assert audit.returncode == 0, audit.stderr
    lines = audit.stdout.splitlines()
    assert lines[0].startswith("at,user,organisation,action")
    assert sum(",observation," in line for line in lines) == 4  # nothing from the bad import


def test_build_from_the_database_gives_the_same_pages_as_from_files(tmp_path):
    """`boardpack build --db` goes through the same Dataset, engine and templates."""
    project = Path(__file__).resolve().parents[2] / "examples" / "example-county"
    db = str(tmp_path / "store.sqlite3")
    files = boardpack("build", str(project), "--out", "files", cwd=tmp_path)
    assert files.returncode == 0, files.stderr
    stored = boardpack("import", str(project), "--db", db, cwd=tmp_path)
    assert stored.returncode == 0, stored.stderr
    built = boardpack("build", "--db", db, "--out", "db", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    pages = sorted((tmp_path / "files").rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        twin = tmp_path / "db" / page.relative_to(tmp_path / "files")
        assert twin.read_text() == page.read_text(), page.name


def test_a_pack_from_the_database_reads_no_project_file(tmp_path):
    """Risks, budget, commitments, narrative and the national publication all come from the
    database: the packs build with the project's files (and the publication's) deleted."""
    project, national = copy_examples(tmp_path, "seeds/worcestershire-2019-20-q2", "ascof-england")
    db = str(tmp_path / "store.sqlite3")
    files = boardpack("build", str(project), "--out", "files", cwd=tmp_path)
    assert files.returncode == 0, files.stderr
    stored = boardpack("import", str(project), "--db", db, cwd=tmp_path)
    assert stored.returncode == 0, stored.stderr
    assert "nationaltable: 4 new" in stored.stdout
    shutil.rmtree(project)
    shutil.rmtree(national)
    built = boardpack("build", "--db", db, "--out", "db", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    pages = sorted((tmp_path / "files").rglob("*.html"))
    for page in pages:
        twin = tmp_path / "db" / page.relative_to(tmp_path / "files")
        assert twin.read_text() == page.read_text(), page.name
    index = (tmp_path / "db" / "index.html").read_text()
    assert "councils in England, " in index and ", ASCOF; England" in index
    council = boardpack(
        "build", "--db", db, "--layout", "benchmarking", "--out", "ascof", cwd=tmp_path
    )
    assert council.returncode == 0, council.stderr
    assert "Worcestershire" in (tmp_path / "ascof" / "index.html").read_text()
