"""The Store's tests run on SQLite (in memory) by default, and on PostgreSQL when
BOARDPACK_TEST_DATABASE_URL is set (postgres://postgres@127.0.0.1:5432/test): Django makes and
drops a `test_` database beside the one named."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import django
import pytest

os.environ["DATABASE_URL"] = os.environ.get("BOARDPACK_TEST_DATABASE_URL") or "sqlite://:memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boardpack.web.settings")
django.setup()  # before the test modules import the models

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

SMALL_PROJECT = """\
organisation:
  code: E10000099
  name: Smallshire County Council
  directorate: Adults
indicators:
  - ref: ADM1
    title: Admissions to care homes
    polarity: lower_better
    unit: number
    frequency: quarterly
    tier: Strategic
    owners: {lead_officer: Ann Owner}
    targets:
      - {period: 2024/25, target: 2600, floor: 2800}
  - ref: PB1
    title: People with a personal budget
    polarity: higher_better
    unit: percent
    frequency: quarterly
    targets:
      - {from: 2024-04-01, target: 40, floor: 30}
data:
  - file: data/figures.csv
commentary:
  - period: Q2 2024/25
    file: commentary/q2.md
overrides:
  - indicator: PB1
    period: Q2 2024/25
    rag: green
    reason: Late returns counted
    approved_by: Panel
"""
SMALL_FIGURES = """\
indicator,organisation,period,value,numerator,denominator,status
ADM1,E10000099,Q1 2024/25,2501,,,final
ADM1,E10000099,Q2 2024/25,2650,,,provisional
PB1,E10000099,Q1 2024/25,38.5,385,1000,final
PB1,E10000099,Q2 2024/25,39.0,390,1000,final
"""
SMALL_COMMENTARY = """\
# ADM1

Admissions rose over the summer.

## Actions

Review every placement.
"""


@pytest.fixture
def small_project(tmp_path) -> Path:
    """A two-indicator project written fresh for each test."""
    return write_small_project(tmp_path / "smallshire")


def write_small_project(folder: Path) -> Path:
    """The two-indicator project, written into `folder`."""
    (folder / "data").mkdir(parents=True)
    (folder / "commentary").mkdir()
    (folder / "boardpack.yaml").write_text(SMALL_PROJECT, encoding="utf-8")
    (folder / "data" / "figures.csv").write_text(SMALL_FIGURES, encoding="utf-8")
    (folder / "commentary" / "q2.md").write_text(SMALL_COMMENTARY, encoding="utf-8")
    return folder


def copy_example(name: str, tmp_path: Path) -> Path:
    target = tmp_path / Path(name).name
    shutil.copytree(EXAMPLES / name, target)
    return target


def copy_examples(tmp_path: Path, *names: str) -> list[Path]:
    """Examples copied to `tmp_path` keeping their places (`seeds/...` beside `ascof-england`),
    so paths between them (a seed's national publication) still hold."""
    for name in names:
        shutil.copytree(EXAMPLES / name, tmp_path / name)
    return [tmp_path / name for name in names]


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def dedent(text: str) -> str:
    return textwrap.dedent(text)


@pytest.fixture
def roles():
    """The role groups and their permissions, for tests committing to the database (`transaction=True`), which
    start from a database emptied of the groups the migrations made."""
    from django.apps import apps

    from boardpack.web.records.roles import apply_roles

    apply_roles(apps)
