"""`boardpack init`: a starter project from a council's own table or tracker.

`boardpack.sources.starter` reads the file and guesses; this writes `boardpack.yaml` beside
a copy of the file, each guess as a comment, and checks the result loads before keeping it.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .catalogue.models import RAG_LABELS
from .errors import BoardpackError, Problem
from .sources import load_project
from .sources.guesses import Guess, bands_guess, guessed
from .sources.starter import Starter, StarterIndicator, starter_from

PROJECT_FILE = "boardpack.yaml"
HEADER = """\
# A starter project written by `boardpack init` from {file}.
# Lines marked "guessed" are guesses: check each, correct it, and delete the mark.
# `boardpack validate` checks this file; `boardpack build` builds a pack; docs/catalogue.md
# describes every setting, docs/setting-up.md walks through the rest.
"""
ORGANISATION = {
    "code": guessed(
        "E99999999", "a placeholder", "your council's ONS code (e.g. E06000001), every figure's?"
    ),
    "name": guessed("Your Council", "a placeholder", "your council's name as packs show it?"),
}
SCHEME = guessed(
    "threshold",
    "Green on or better than target, else Amber (no floors given)",
    "your council's own rating rules? see docs/ratings.md;",
)


@dataclass(frozen=True)
class Initialised:
    """What `init_project` wrote: the project file, from which files, how many indicators and
    guesses."""

    path: Path
    sources: tuple[str, ...]
    indicators: int
    guesses: int


def init_project(
    project: Path,
    sources: Path | Sequence[Path],
    *,
    sheet: str | None = None,
    period: str | None = None,
) -> Initialised:
    """Write a starter project into the folder `project` from the council's files `sources`
    (a table per quarter, say). Refuses a folder that already holds a project; keeps nothing
    unless the result loads."""
    project = Path(project)
    sources = [Path(sources)] if isinstance(sources, str | Path) else [Path(s) for s in sources]
    target = project / PROJECT_FILE
    if target.exists():
        raise _refused(
            target,
            "already exists; boardpack init starts a new project",
            "choose a new folder, or edit the project you have",
        )
    places = _data_files(project, sources)
    names = [name for name, _ in places]
    starter = starter_from(*sources, sheet=sheet, period=period, names=names)
    copies = [(source, copy) for source, (_, copy) in zip(sources, places, strict=True) if copy]
    written = _write(project, target, copies, project_text(starter))
    try:
        load_project(project)
    except BoardpackError:
        _remove(written)
        raise
    ours = sum(guess.guessed for guess in [*ORGANISATION.values(), SCHEME])
    ours -= bool(starter.organisation)
    return Initialised(target, tuple(names), len(starter.indicators), starter.guesses() + ours)


def _refused(path: Path, what: str, fix: str) -> BoardpackError:
    return BoardpackError(
        Problem(file=str(path), what=what, fix=fix), outcome="nothing was written"
    )


def _data_files(project: Path, sources: list[Path]) -> list[tuple[str, Path | None]]:
    """How the project names each file, and where to copy it (None: it is in the project)."""
    places = [_data_file(project, source) for source in sources]
    names = [name for name, _ in places]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise _refused(
            project / twice[0], "would be copied from two files of that name", "rename one of them"
        )
    return places


def _data_file(project: Path, source: Path) -> tuple[str, Path | None]:
    try:
        return source.resolve().relative_to(project.resolve()).as_posix(), None
    except ValueError:
        copy = project / "data" / source.name
    if copy.exists():
        raise _refused(
            copy,
            "already exists; boardpack init would overwrite it",
            "move it, or choose a new project folder",
        )
    return f"data/{source.name}", copy


def _write(project: Path, target: Path, copies: list[tuple[Path, Path]], text: str) -> list[Path]:
    """Write the project; the paths created, deepest first, to remove if it does not load."""
    created = [p for p in (project, project / "data") if not p.exists()]
    project.mkdir(parents=True, exist_ok=True)
    for source, copy in copies:
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
    target.write_text(text, encoding="utf-8")
    return [target, *(copy for _, copy in copies), *reversed(created)]


def _remove(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir():
            path.rmdir()
        elif path.exists():
            path.unlink()


# -- boardpack.yaml with its comments ----------------------------------------------------------


def project_text(starter: Starter) -> str:
    """`boardpack.yaml` for a starter project: each guess a comment on its line."""
    files = ", ".join(entry["file"].value for entry in starter.data)
    lines = [HEADER.format(file=files).rstrip("\n")]
    organisation = dict(ORGANISATION)
    if starter.organisation:
        organisation["code"] = Guess(starter.organisation, "the file's organisation column")
    lines += ["organisation:", *_mapping(organisation, 1)]
    lines += ["settings:", *_line("default_rating_scheme", SCHEME, 1), *_spread(starter)]
    lines += _rule(starter)
    lines += ["indicators:", *(line for ind in starter.indicators for line in _indicator(ind))]
    lines += ["data:", *_data(starter)]
    return "\n".join(lines) + "\n"


def _spread(starter: Starter) -> list[str]:
    """What the published ratings say about the council's rule, as comments."""
    if not starter.spread:
        return []
    shown = "; ".join(
        f"{RAG_LABELS[rag]} {low:+.1%} to {high:+.1%} ({count})"
        for rag, (low, high, count) in starter.spread.items()
    )
    return [
        "  # The published ratings, by the figure's distance from its target (+ is better),",
        "  # the middle 80% of each (a judgement or two aside):",
        f"  #   {shown}",
    ]


def _rule(starter: Starter) -> list[str]:
    """The bands the published ratings fit, as a scheme to uncomment, or why there are none
    (a file that gives floors has its rule in them)."""
    given = [
        v
        for entry in starter.data
        for k in ("columns", "rows")
        for v in entry.get(k, Guess({})).value.values()
    ]
    if "floor" in given or not {"green", "amber", "red"} <= set(starter.spread):
        return []
    bands = bands_guess(starter.spread)
    if bands is None:
        return [
            "# Amber and Red overlap in distance from target: your rule may weigh the direction",
            "# of travel too (a rules scheme: docs/rating-rules.md).",
        ]
    edges = ", ".join(f"{RAG_LABELS[b['rag']]} from {b['min_pct']:g}%" for b in bands[:2])
    return [
        f"# The published ratings fit these bands ({edges}): to rate by them, uncomment",
        "# the lines below and set default_rating_scheme: published.",
        "# rating_schemes:",
        "#   published:",
        "#     kind: variance_bands",
        "#     percentages: relative",
        f"#     bands: {_scalar(bands)}",
    ]


def _indicator(ind: StarterIndicator) -> list[str]:
    body = _mapping(ind.fields, 2)
    return [f"  - ref: {_scalar(ind.ref)}", *body]


def _data(starter: Starter) -> list[str]:
    lines = []
    for entry in starter.data:
        first, *rest = _mapping(entry, 2)
        lines += [f"  - {first.strip()}", *rest]
    return lines


def _mapping(fields: dict[str, Guess], depth: int) -> list[str]:
    return [line for key, guess in fields.items() for line in _line(key, guess, depth)]


def _line(key: str, guess: Guess, depth: int) -> list[str]:
    indent = "  " * depth
    comment = f"  # {guess.note}" if guess.note else ""
    if isinstance(guess.value, dict) and guess.value:
        nested = [
            f"{indent}  {_scalar(k)}: {_scalar(v.value if isinstance(v, Guess) else v)}"
            + (f"  # {v.note}" if isinstance(v, Guess) and v.note else "")
            for k, v in guess.value.items()
        ]
        return [f"{indent}{key}:{comment}", *nested]
    return [f"{indent}{key}: {_scalar(guess.value)}{comment}"]


def _scalar(value: Any) -> str:
    """One value as YAML writes it inline (quoted where it must be)."""
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=10**6, sort_keys=False
    )
    return text.removesuffix("\n...\n").strip()
