"""Read `boardpack.yaml`, keeping the line of every value so each problem names its line."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .. import collector
from ..errors import Problem
from . import sections
from .errors import CatalogueError
from .messages import explain, where_text
from .models import Project
from .rules import check

#: libyaml's safe loader where PyYAML was built with it (three times faster on a large
#: catalogue; node marks, and so line numbers in messages, are the same), else the pure one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(SAFE_LOADER):
    """The safe loader, each distinct scalar's tag resolved once: a catalogue repeats the same
    keys and words thousands of times, and PyYAML tries every implicit pattern on each."""

    def __init__(self, stream):
        super().__init__(stream)
        self._tags: dict = {}

    def resolve(self, kind, value, implicit):
        if self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        key = (kind, value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = self._tags[key] = super().resolve(kind, value, implicit)
        return tag


PROJECT_FILE = "boardpack.yaml"


def load_project_file(path: str | Path) -> Project:
    """Load and check a project: the path of its `boardpack.yaml` or of its folder.

    Raises `CatalogueError` listing every problem found, each with file and line.
    """
    file = Path(path)
    if file.is_dir():
        file = file / PROJECT_FILE
    if not file.is_file():
        raise CatalogueError(
            [Problem(file=str(file), what=f"no such file; a project folder holds a {PROJECT_FILE}")]
        )
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise CatalogueError(
            [Problem(file=str(file), what=f"not UTF-8 text ({error.reason}); save it as UTF-8")]
        ) from None
    project = load_project_text(text, str(file))
    project._folder = file.parent
    return project


def load_project_text(text: str, file: str = PROJECT_FILE) -> Project:
    """Load and check a project from the text of a `boardpack.yaml`; `file` names it in problems."""
    with collector.paused():  # a large catalogue is many small nodes: see `collector`
        return _from_sections(text) or _load_text(text, file)


def _from_sections(text: str) -> Project | None:
    """The project when the text reads section by section (`sections`: the sections read
    before come from memory) with no problem at all; None to read it whole, as for any
    problem, so every message names its line as before."""
    data = sections.values(text, _section_alone)
    if data is None:
        return None
    try:
        project = Project.model_validate(data)
    except ValidationError:
        return None
    return None if list(check(project)) else project


def _section_alone(part: str) -> dict | None:
    try:
        root = _compose(part, PROJECT_FILE)
    except CatalogueError:
        return None
    if root is None or next(_duplicate_keys(root), None) is not None:
        return None
    return build(root)


def _load_text(text: str, file: str) -> Project:
    root = _compose(text, file)
    problems = [
        Problem(file=file, line=line, field=where, what=message)
        for line, where, message in _duplicate_keys(root)
    ]
    data = build(root) if root is not None else None
    if not isinstance(data, dict):
        raise CatalogueError(
            [
                *problems,
                Problem(
                    file=file,
                    line=1,
                    what="the file must be a mapping that starts with organisation:",
                ),
            ]
        )
    try:
        project = Project.model_validate(data)
    except ValidationError as error:
        raise CatalogueError(_in_order(problems + _pydantic_problems(error, root, file))) from None
    problems += [_problem(file, root, f.loc, f.message) for f in check(project)]
    if problems:
        raise CatalogueError(_in_order(problems))
    return project


def load_project_data(data: dict, file: str = "the stored catalogue") -> Project:
    """A project from its settings as a mapping (as the database keeps them), checked by the
    same models; `CatalogueError` names each setting wrong. The rules comparing parts of the
    file with each other are `check`'s, run separately."""
    try:
        return Project.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(file=file, field=where_text(path) or None, what=message)
            for path, message in map(explain, error.errors())
        ]
        raise CatalogueError(problems) from None


def _in_order(problems: list[Problem]) -> list[Problem]:
    """Problems in file order, each once."""
    return sorted(dict.fromkeys(problems), key=lambda i: i.line or 0)


#: The tags `build` makes values of itself; a document with any other is built by PyYAML.
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
}
_SEQUENCE, _MAPPING = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def build(root: yaml.Node) -> Any:
    """The document's values, as PyYAML's safe constructor makes them, walked directly: each
    distinct scalar made once. A document with anchors used in a cycle, merge keys or other
    tags is left to PyYAML's constructor."""
    constructor = yaml.SafeLoader("")
    scalars: dict[tuple[str, str], Any] = {}

    def value(node: yaml.Node, path: frozenset) -> Any:
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _PLAIN_TAGS:
                raise _Unusual
            key = (node.tag, node.value)
            if key not in scalars:
                scalars[key] = constructor.construct_object(node)
            return scalars[key]
        if id(node) in path:
            raise _Unusual
        inner = path | {id(node)}
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQUENCE:
            return [value(item, inner) for item in node.value]
        if isinstance(node, yaml.MappingNode) and node.tag == _MAPPING:
            built = {}
            for key, item in node.value:
                if key.tag == "tag:yaml.org,2002:merge":
                    raise _Unusual
                built[value(key, inner)] = value(item, inner)
            return built
        raise _Unusual

    try:
        return value(root, frozenset())
    except (_Unusual, TypeError, RecursionError):
        return yaml.SafeLoader("").construct_document(root)


class _Unusual(Exception):
    """A node `build` leaves to PyYAML's constructor."""


def _compose(text: str, file: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(filter(None, [error.context, error.problem]))
        raise CatalogueError(
            [Problem(file=file, line=line, what=f"not valid YAML: {problem}")]
        ) from None
    except yaml.YAMLError as error:
        raise CatalogueError([Problem(file=file, what=f"not valid YAML: {error}")]) from None


def _pydantic_problems(error: ValidationError, root: yaml.Node, file: str) -> list[Problem]:
    return [_problem(file, root, *explain(err)) for err in error.errors()]


def _problem(file: str, root: yaml.Node, loc: Sequence[str | int], message: str) -> Problem:
    return Problem(file=file, line=line_of(root, loc), field=where_text(loc) or None, what=message)


def line_of(root: yaml.Node, loc: Sequence[str | int]) -> int:
    """The line (from 1) of the value at `loc`, or of the nearest enclosing one in the file."""
    node, line = root, root.start_mark.line
    for part in loc:
        found = _child(node, part)
        if found is None:
            break
        line, node = found
    return line + 1


def _child(node: yaml.Node, part: str | int) -> tuple[int, yaml.Node] | None:
    """(line, node) of a mapping key's value or a sequence item."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key.start_mark.line, value
    if (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        item = node.value[part]
        return item.start_mark.line, item
    return None


def _duplicate_keys(node: Any, path: tuple = ()) -> Iterator[tuple[int, str, str]]:
    """(line, where, message) for every key given twice in one mapping."""
    if isinstance(node, yaml.MappingNode):
        lines: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in lines:
                message = f'"{name}" appears twice in this mapping (first on line {lines[name] + 1}); keep one'
                yield key.start_mark.line + 1, where_text((*path, name)), message
            lines.setdefault(name, key.start_mark.line)
            yield from _duplicate_keys(value, (*path, name))
    elif isinstance(node, yaml.SequenceNode):
        for k, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*path, k))
