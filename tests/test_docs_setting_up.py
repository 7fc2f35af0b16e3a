"""docs/setting-up.md stays true: every `boardpack` command in its `sh` blocks runs, in order,
from a folder holding the examples; the file and starter project it quotes are what the
example's file holds and what `boardpack init` writes."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from boardpack.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "setting-up.md").read_text(encoding="utf-8")


def blocks(kind: str) -> list[str]:
    return re.findall(rf"^ *```{kind}\n(.*?)^ *```", DOC, flags=re.M | re.S)


def commands() -> list[list[str]]:
    lines = [line.strip() for block in blocks("sh") for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("boardpack ")]


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> dict[str, object]:
    """Each command's result, run in order in a folder where `examples/` is the checkout's."""
    folder = tmp_path_factory.mktemp("walk-through")
    (folder / "examples").symlink_to(ROOT / "examples")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        results = {shlex.join(args): CliRunner().invoke(main, args) for args in commands()}
    return {"folder": folder, "results": results}


def test_the_walk_through_has_its_commands():
    names = [args[0] for args in commands()]
    assert names[:3] == ["init", "validate", "build"]
    assert names[-1] == "reconcile"


def test_every_command_in_the_walk_through_runs(ran):
    failed = {line: r.output for line, r in ran["results"].items() if r.exit_code != 0}
    assert failed == {}


def said(ran, start: str) -> str:
    return next(r.output for line, r in ran["results"].items() if line.startswith(start))


def shown(text: str, output: str) -> bool:
    """The output quoted, in full or up to a closing `...`."""
    quoted = text.strip()
    return (
        output.strip().startswith(quoted.removesuffix(" ..."))
        if quoted.endswith(" ...")
        else output.strip() == quoted
    )


def test_the_outputs_shown_are_what_the_commands_say(ran):
    init, starter, finished = blocks("text")
    assert shown(init, said(ran, "init riverside"))
    assert shown(starter, said(ran, "reconcile riverside"))
    assert shown(finished, said(ran, "reconcile examples/riverside-unitary"))


def test_the_starter_project_quoted_is_what_init_writes(ran):
    written = (ran["folder"] / "riverside" / "boardpack.yaml").read_text(encoding="utf-8")
    starter = next(block for block in blocks("yaml") if "guessed" in block)
    assert [line for line in starter.splitlines() if line not in written] == []


def test_the_file_quoted_is_the_example_file():
    text = (ROOT / "examples" / "riverside-unitary" / "data" / "2025-26-q1.csv").read_text()
    quoted = [line.strip() for line in blocks("csv")[0].splitlines()]
    assert [line for line in quoted if line not in text.splitlines()] == []


def test_the_finished_project_quoted_is_the_example():
    project = (ROOT / "examples" / "riverside-unitary" / "boardpack.yaml").read_text()
    finished = [b for b in blocks("yaml") if "guessed" not in b]
    quoted = [b for b in finished if "rating_schemes:" in b or "&ignore" in b]
    lines = [line.strip() for block in quoted for line in block.splitlines()]
    assert [line for line in lines if line not in {x.strip() for x in project.splitlines()}] == []
