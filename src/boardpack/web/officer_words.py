"""Messages in the words of the people using the web app, not of the project's files.

The readers shared with the command line speak to whoever keeps the project folder ("add it to
boardpack.yaml"); on the web the same problem is the catalogue's, kept by the performance
officers. `plain` rewrites those phrases; each pair says what the command line says and what
an officer reads instead.
"""

from __future__ import annotations

import dataclasses

from boardpack.errors import Problem

#: What the readers say -> what the web says, applied in this order.
PHRASES = (
    (
        "add it to boardpack.yaml or fix the reference",
        "fix the reference, or ask a performance officer to add the indicator to the catalogue",
    ),
    ("give its reference from boardpack.yaml", "give its reference from the catalogue"),
    ("is not an indicator in boardpack.yaml", "is not an indicator in the catalogue"),
    (
        "or map the file's own headers under `columns:` for this file in boardpack.yaml",
        "or choose the layout that matches the file under “How the file is laid out”",
    ),
    # a file's settings (`missing:`, `ignore:`, `columns:`) are the project's, not the upload's
    (
        "; if it means no figure, list it under `missing:` for this file",
        "; if there is no figure yet, leave the cell empty",
    ),
    (
        "; if it holds something else, list it under `ignore:` for this file, or map it under "
        "`columns:`",
        "; if it holds something else (a title, comments), delete the column from the file, or "
        "choose the layout that matches the file under “How the file is laid out”",
    ),
    ("; keep one, or list one under `ignore:`", "; keep one and delete the other from the file"),
    (
        "Name it indicator, or map it under `columns:` (e.g. Ref: indicator)",
        "Head it indicator, or choose the layout that matches the file under “How the file is "
        "laid out”",
    ),
    ("boardpack.yaml", "the catalogue"),
)


def plain(text: str | None) -> str | None:
    """`text` with the project's file words replaced by the officer's."""
    if not text:
        return text
    for said, meant in PHRASES:
        text = text.replace(said, meant)
    return text


def plain_problem(problem: Problem) -> Problem:
    return dataclasses.replace(problem, what=plain(problem.what), fix=plain(problem.fix))
